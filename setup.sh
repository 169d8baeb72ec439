#!/usr/bin/env bash
# Set up educluster from a clone and run the main job.
#   1. create .venv with the system python3 (>= 3.11), unless it exists
#   2. install the package editable with the test extras, every package at the version
#      constraints.txt pins (again only when pyproject.toml or constraints.txt changed or
#      the command is missing); .ci/update-constraints regenerates constraints.txt
#   3. educluster build, educluster check, ...
# Idempotent: run it as often as you like. PYTHON=/path/to/python3.x overrides the interpreter.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
VENV=.venv
STAMP="$VENV/.educluster-install-stamp"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found; install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || die "$("$PYTHON" -V 2>&1) is too old; educluster needs Python 3.11 or newer (set PYTHON=...)"

if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV with $("$PYTHON" -V 2>&1)"
    "$PYTHON" -m venv "$VENV" \
        || die "could not create $VENV (Debian: apt-get install python3-venv)"
fi

want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want" != "$have" ] || [ ! -x "$VENV/bin/educluster" ]; then
    say "installing educluster (editable) with test extras into $VENV"
    log="$VENV/pip-install.log"
    # constraints.txt pins every package to the version tested (.ci/update-constraints)
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            -c constraints.txt -e '.[test]' >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "pip install failed (full log: $log)"
    fi
    printf '%s\n' "$want" > "$STAMP"
else
    say "educluster already installed in $VENV"
fi

EC="$VENV/bin/educluster"
say "educluster build"
"$EC" build
# check reads the five papers (../shared/seeds, or $EDUCLUSTER_SEEDS) to verify every quote and
# attribution. On a machine without them the quote rules cannot run; say so loudly and skip them
# explicitly rather than fail the whole setup (CI has the papers, so there nothing is skipped).
if [ -n "${EDUCLUSTER_SEEDS:-}" ] || [ -d ../shared/seeds ]; then
    say "educluster check"
    "$EC" check
else
    say "WARNING: the source papers (../shared/seeds) are not here: quotes and attributions are NOT"
    say "WARNING: verified; set EDUCLUSTER_SEEDS=/path/to/seeds and run 'educluster check' for the full gate"
    say "educluster check --no-seeds"
    "$EC" check --no-seeds
fi
say "educluster validate examples/tashkent (Turtle, JSON, CSV)"
"$EC" validate examples/tashkent/tashkent.ttl
"$EC" validate examples/tashkent/tashkent.json
"$EC" validate examples/tashkent/csv/*.csv
say "educluster site build"
"$EC" site build
say "done; run the tests with: $VENV/bin/pytest"
