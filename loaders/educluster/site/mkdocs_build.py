"""Build the generated docs with mkdocs-material (``python -m mkdocs build --strict``).

mkdocs runs in a child process of this Python (the same virtual environment) into a
fresh folder next to the output, which replaces the output only when the strict
build and the link check both pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from educluster import atomic
from educluster.errors import UserError
from educluster.site import linkcheck


def build(config: Path, out: Path, late=None) -> tuple[float, "linkcheck.Report"]:
    """Build ``config`` into ``out``; ``late()`` returns files (path -> bytes) to add to the site.

    ``late`` runs while mkdocs builds (mkdocs is a child process, so the two share the
    machine's cores); its files go into the built site before the link check.
    """
    out = Path(os.path.abspath(out))
    tmp = atomic.new_folder(out)  # refuses a link or a file at out
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                                 "-f", str(config), "-d", str(tmp)],
                                stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        try:
            extra = late() if late else {}
        except BaseException:
            proc.kill()
            proc.wait()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        proc.wait()
        log.seek(0)
        output = log.read()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        lines = [ln for ln in output.splitlines()
                 if ln.startswith(("WARNING", "ERROR")) or "Error" in ln]
        first = lines[0] if lines else (output.strip().splitlines() or ["(no output)"])[-1]
        raise UserError(f"mkdocs build --strict failed ({len(lines)} problems); first: {first}",
                        file=config)
    for path, data in extra.items():
        p = tmp / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    report = linkcheck.check(tmp)
    if report.broken or report.outside:
        shutil.rmtree(tmp, ignore_errors=True)
        if report.broken:
            page, link = report.broken[0]
            raise UserError(f"{len(report.broken)} broken internal links in the built site; "
                            f"first: {page} -> {link}")
        page, link = report.outside[0]
        raise UserError(f"{len(report.outside)} resources from outside the site; first: {page} -> {link}")
    old = atomic.swap_in(tmp, out, remove_old=False)
    if old is not None:
        threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True},
                         name="remove-old-site").start()
    return seconds, report
