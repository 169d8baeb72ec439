"""Regression tests for issue 12's output, terminal and input-safety items (1, 7, 13, 14, 15,
17, 18, 19, 23, 24): each says what broke before the fix. Small inputs, in seconds."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import educluster_executable, run_educluster
from educluster import atomic
from educluster.cli import main

EXAMPLE_JSON = Path(__file__).resolve().parents[1] / "examples" / "tashkent" / "tashkent.json"


def run(capsys, *argv) -> tuple[int, str, str]:
    """``educluster ARGV`` in this process: (exit code, stdout, stderr)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("educluster: ") and "Traceback" not in err, err
    assert "internal error" not in err, err
    return lines[0]


# --- item 1: outputs never replace a link, a device or a FIFO --------------------------------

def test_write_atomic_refuses_symlink_fifo_and_device(tmp_path):
    """Before: write_atomic replaced whatever was at the path; a symlink, a FIFO or /dev/null
    became a regular file."""
    real = tmp_path / "real.txt"
    real.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, kind in ((link, "symbolic link"), (fifo, "FIFO")):
        with pytest.raises(atomic.UserError, match=kind):
            atomic.write_atomic(path, "data")
    assert link.is_symlink() and real.read_text() == "keep"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with pytest.raises(atomic.UserError, match="device"):
        atomic.check_output_file("/dev/null")  # only looked at, never written
    assert not [p for p in tmp_path.iterdir() if "educluster-tmp" in p.name]


@pytest.mark.parametrize("command", [
    ["convert", "{src}", "-o", "{out}"],
    ["validate", "{src}", "-o", "{out}"],
])
def test_commands_refuse_a_symlink_output(tmp_path, capsys, command):
    """Before: convert -o / validate -o replaced a symlink with a regular file (exit 0)."""
    src = EXAMPLE_JSON
    target = tmp_path / "target.ttl"
    target.write_text("precious")
    out = tmp_path / "out.ttl"
    out.symlink_to(target)
    code, _, err = run(capsys, *[a.format(src=src, out=out) for a in command])
    assert code == 2
    assert "symbolic link" in one_line(err)
    assert out.is_symlink() and target.read_text() == "precious"


def test_convert_refuses_a_fifo_output(tmp_path, capsys):
    """Before: convert -o FIFO replaced the FIFO with a regular file (and, run as root,
    ``-o /dev/null`` replaced the system's device: never test that one by writing)."""
    src = EXAMPLE_JSON
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "convert", src, "-o", fifo)
    assert code == 2
    assert "FIFO" in one_line(err)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_build_refuses_symlinked_out_folder(tmp_path, capsys):
    """Before: build --out LINK wrote into the link's target; now the folder is swapped as a
    whole, so a link there is refused rather than replaced."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "dist"
    link.symlink_to(real)
    onto = _tiny_ontology(tmp_path)
    code, _, err = run(capsys, "build", "--ontology-dir", onto, "--out", link)
    assert code == 2
    assert "symbolic link" in one_line(err)
    assert link.is_symlink() and list(real.iterdir()) == []


# --- item 17: modes --------------------------------------------------------------------------

def test_outputs_respect_umask_and_existing_mode(tmp_path):
    """Before: every output was chmod 0644, widening an existing 0600 file and ignoring the
    umask."""
    old = os.umask(0o077)
    try:
        new = atomic.write_atomic(tmp_path / "new.txt", "x")
        assert stat.S_IMODE(new.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    private = tmp_path / "private.txt"
    private.write_text("secret")
    private.chmod(0o600)
    atomic.write_atomic(private, "report")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_text() == "report"


# --- item 18: leftovers and whole-folder builds -----------------------------------------------

def test_leftovers_of_dead_writers_are_cleaned_at_next_write(tmp_path):
    """Before: a kill -9 during a write left '.NAME.XXXX.tmp' files for ever. Now temporary
    names carry the writer's pid; the next write in the folder removes those of dead
    processes and leaves a running writer's alone."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale_file = tmp_path / f".out.ttl.{dead.pid}-abc123.educluster-tmp"
    stale_file.write_text("half")
    stale_dir = tmp_path / f".dist.{dead.pid}.educluster-new"
    (stale_dir / "sub").mkdir(parents=True)
    live = tmp_path / f".out.ttl.{os.getpid()}-zzz.educluster-tmp"
    live.write_text("mine, still being written")
    atomic.write_atomic(tmp_path / "out.ttl", "data")
    assert not stale_file.exists() and not stale_dir.exists()
    assert live.exists()


def test_killed_build_leaves_previous_dist_whole(tmp_path):
    """Before: build wrote the five files one by one into dist/; a kill between them left a
    new .ttl beside old .nt/.rdf/.jsonld. Now a kill -9 at any moment leaves dist/ entirely
    old or entirely new, and the next build removes the leftover sibling folder."""
    onto = _tiny_ontology(tmp_path)
    out = tmp_path / "dist"
    code, _, err = run_educluster("build", "--ontology-dir", onto, "--out", out)
    assert code == 0, err
    before = _tree(out)
    (onto / "more.ttl").write_text(
        "@prefix ec: <https://w3id.org/educluster/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\nec:Other a owl:Class .\n")
    # stop the build while it writes its new folder (SIGSTOP, then SIGKILL)
    proc = subprocess.Popen([educluster_executable(), "build", "--ontology-dir", str(onto),
                             "--out", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    new_dir = tmp_path / f".dist.{proc.pid}.educluster-new"
    while time.monotonic() < deadline and proc.poll() is None and not new_dir.exists():
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = _tree(out)
    # what a complete new build writes (build also writes a file per term since issue 13, so
    # "new" is a different set of files: compare with a finished build, not with the old set;
    # the old comparison failed whenever the kill landed after the swap)
    fresh = tmp_path / "fresh"
    code, _, err = run_educluster("build", "--ontology-dir", onto, "--out", fresh)
    assert code == 0, err
    whole_new = _tree(fresh)
    assert after == before or after == whole_new
    code, _, err = run_educluster("build", "--ontology-dir", onto, "--out", out)
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir() if "educluster-" in p.name] == []
    assert b"Other" in (out / "educluster.nt").read_bytes()
    assert _tree(out) == whole_new


def test_failed_build_leaves_previous_dist_whole(tmp_path, capsys, monkeypatch):
    """Before: build replaced dist/'s files one by one, so a failure at the third file left
    new files beside old ones. Now the new folder is swapped in only when complete."""
    from educluster import build

    onto = _tiny_ontology(tmp_path)
    out = tmp_path / "dist"
    assert run(capsys, "build", "--ontology-dir", onto, "--out", out)[0] == 0
    before = _tree(out)
    real_serialise, real_publication = build.serialise, build.publication

    def changed(graph):  # every file of the new build differs from the old one
        return {k: v.replace(b"task", b"new") for k, v in real_serialise(graph).items()}

    def failing(files, args):  # ... and the last file to write cannot be written
        return {**real_publication(files, args), "zzz-last": object()}

    monkeypatch.setattr(build, "serialise", changed)
    monkeypatch.setattr(build, "publication", failing)
    code, _, err = run(capsys, "build", "--ontology-dir", onto, "--out", out)
    assert code == 2, err
    assert _tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if "educluster-" in p.name] == []


def test_build_refuses_folder_with_foreign_files(tmp_path, capsys):
    """build now replaces --out as a whole; a folder holding other files is refused rather than
    losing them."""
    onto = _tiny_ontology(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, _, err = run(capsys, "build", "--ontology-dir", onto, "--out", out)
    assert code == 2
    assert "notes.txt" in one_line(err)
    assert (out / "notes.txt").read_text() == "mine"


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _tiny_ontology(tmp_path: Path) -> Path:
    onto = tmp_path / "ontology"
    onto.mkdir(exist_ok=True)
    (onto / "good.ttl").write_text(
        "@prefix ec: <https://w3id.org/educluster/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "ec:Task a owl:Class ; rdfs:label \"task\"@en .\n", encoding="utf-8")
    return onto


# --- item 7: numbers and nesting that used to be internal errors ----------------------------

@pytest.mark.parametrize("argv", [
    ["convert", "x.json", "-o", "o.ttl", "--max-size", "nan"],
    ["convert", "x.json", "-o", "o.ttl", "--max-size", "inf"],
    ["convert", "x.json", "-o", "o.ttl", "--max-size", "0"],
    ["validate", "x.json", "--max-size", "-1"],
    ["query", "SELECT * {}", "--timeout", "nan"],
    ["query", "SELECT * {}", "--timeout", "inf"],
    ["query", "SELECT * {}", "--timeout", "-3"],
    ["serve", "--timeout", "0"],
    ["push", "--store", "http://127.0.0.1:9/", "--timeout", "nan"],
])
def test_numeric_options_refuse_nan_inf_zero_negative(capsys, argv):
    """Before: --max-size nan/inf crashed (ValueError/OverflowError: internal error), --max-size
    0 silently meant the default, --timeout inf crashed the child process. Now argparse refuses
    them in one line, exit 2."""
    code, _, err = run(capsys, *argv)
    assert code == 2
    line = one_line(err)
    assert "above 0" in line, line


def test_deeply_nested_json_is_one_line(tmp_path, capsys):
    """Before: a 100,000-deep JSON array raised RecursionError (an internal error)."""
    src = tmp_path / "deep.json"
    src.write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = run(capsys, "convert", src, "-o", tmp_path / "o.ttl")
    assert code == 2
    assert "nested too deeply" in one_line(err)
    assert not (tmp_path / "o.ttl").exists()


# --- item 13: duplicate JSON keys ---------------------------------------------------------------

def test_duplicate_json_key_is_refused_with_key_and_line(tmp_path, capsys):
    """Before: two "participants" arrays in one file: the first was silently dropped."""
    src = tmp_path / "dup.json"
    src.write_text('{\n  "participants": [{"id": "a", "type": "School", "name": "A"}],\n'
                   '  "clusters": [{"id": "c", "type": "EducationalCluster", "name": "C"}],\n'
                   '  "participants": [{"id": "b", "type": "School", "name": "B"}]\n}\n')
    for argv in (["convert", src, "-o", tmp_path / "o.ttl"], ["validate", src]):
        code, _, err = run(capsys, *argv)
        assert code == 2
        line = one_line(err)
        assert 'dup.json:4:' in line and '"participants" appears twice' in line, line


def test_duplicate_key_in_jsonld_is_refused(tmp_path, capsys):
    """The same for JSON-LD: a repeated "name" kept only the last value."""
    src = tmp_path / "dup.jsonld"
    src.write_text('{"@id": "https://example.org/x",\n "https://schema.org/name": "one",\n'
                   ' "https://schema.org/name": "two"}\n')
    code, _, err = run(capsys, "convert", src, "-o", tmp_path / "o.ttl")
    assert code == 2
    assert 'dup.jsonld:3:' in one_line(err)


# --- item 14: control characters from data are shown, not obeyed ----------------------------

ESC_LABEL = "\x1b]0;pwned\x07x\x1b[2J\u202e"
DATA_NT = (
    '<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> '
    '"=cmd|\' /C calc\'!A0" .\n'
    '<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> '
    '"\\u001B]0;pwned\\u0007x\\u001B[2J\\u202E" .\n'
    '<https://example.org/c> <http://www.w3.org/2000/01/rdf-schema#label> '
    '"-5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    '<https://example.org/d> <http://www.w3.org/2000/01/rdf-schema#label> "@SUM(1+1)" .\n')
LABELS = ('SELECT ?s ?l WHERE { ?s rdfs:label ?l '
          'FILTER(STRSTARTS(STR(?s), "https://example.org/")) } ORDER BY ?s')


def _no_controls(text: str) -> None:
    bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) < 0xa0
           or c == "\u202e"]
    assert not bad, repr(text)


def test_visible_escapes_controls():
    from educluster.termsafe import visible

    assert visible("a\x1b[2Jb\x9bc\u202ed\ne") == "a\\x1b[2Jb\\x9bc\\u202ed\\x0ae"
    assert visible("line\nnext\tx", keep="\n") == "line\nnext\\x09x"
    assert visible("Ташкент région") == "Ташкент région"


def test_query_table_shows_escape_sequences(tmp_path, capsys):
    """Before: an OSC sequence in a label set the terminal title (and ESC[2J cleared the
    screen) when the query table printed it."""
    data = tmp_path / "d.nt"
    data.write_text(DATA_NT)
    code, out, err = run(capsys, "query", LABELS, "--data", data)
    assert code == 0, err
    _no_controls(out)
    assert "\\x1b]0;pwned\\x07x\\x1b[2J\\u202e" in out


def test_validate_text_report_shows_escape_sequences(tmp_path, capsys):
    """Before: a cluster named with ESC sequences reached the terminal raw in the report."""
    src = tmp_path / "d.json"
    src.write_text(json.dumps({"clusters": [{"id": "c1", "type": "EducationalCluster",
                                             "name": "C" + ESC_LABEL}]}))
    code, out, err = run(capsys, "validate", src)
    assert code == 1, err
    _no_controls(out)
    assert "C\\x1b]0;pwned" in out
    code, out, _ = run(capsys, "validate", src, "--format", "json")
    assert json.loads(out)["results"][0]["focusLabel"] == "C" + ESC_LABEL  # JSON stays exact


def test_error_messages_show_escape_sequences(tmp_path, capsys):
    """Before: a file name or an id with ESC sequences was echoed raw on stderr."""
    code, _, err = run(capsys, "validate", tmp_path / "x\x1b[2Jy.csv")
    assert code == 2
    _no_controls(one_line(err))
    assert "x\\x1b[2Jy.csv" in err
    code, _, err = run(capsys, "query", "--format", "x\x1b]0;t\x07")
    assert code == 2
    _no_controls(err.rstrip("\n"))


# --- item 15: CSV injection -------------------------------------------------------------------

def test_query_csv_and_tsv_neutralise_formulas(tmp_path, capsys):
    """Before: query --format csv printed =cmd|' /C calc'!A0 as is; a spreadsheet opening the
    file would run it. Numbers stay numbers; JSON stays exact."""
    data = tmp_path / "d.nt"
    data.write_text(DATA_NT)
    code, out, err = run(capsys, "query", LABELS, "--data", data, "--format", "csv")
    assert code == 0, err
    rows = out.split("\r\n")
    assert rows[1] == "https://example.org/a,'=cmd|' /C calc'!A0"
    assert rows[3] == "https://example.org/c,-5"
    assert rows[4] == "https://example.org/d,'@SUM(1+1)"
    code, out, err = run(capsys, "query", LABELS, "--data", data, "--format", "tsv")
    assert code == 0, err
    assert "<https://example.org/a>\t\"'=cmd|' /C calc'!A0\"" in out
    assert '"-5"^^<http://www.w3.org/2001/XMLSchema#integer>' in out
    code, out, err = run(capsys, "query", LABELS, "--data", data, "--format", "json")
    values = [b["l"]["value"] for b in json.loads(out)["results"]["bindings"]]
    assert values[0] == "=cmd|' /C calc'!A0" and values[3] == "@SUM(1+1)"


def test_query_help_mentions_csv_neutralising(capsys):
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "OWASP CSV injection" in out


# --- item 19: echoed values are capped; the binary check reads the whole file ---------------

def test_huge_value_is_truncated_in_every_report_format(tmp_path, capsys):
    """Before: a 300,000-character value was echoed whole (twice, with its label): a 20 MB label
    made a 41 MB report. Now each echoed value is cut to 200 characters plus its length."""
    big = "Y" * 300_000
    src = tmp_path / "big.json"
    src.write_text(json.dumps({
        "clusters": [{"id": "c1", "type": "EducationalCluster", "name": "N" * 300_000,
                      "foundingDate": big, "region": "R"}],
        "participants": [{"id": "p1", "type": "School", "name": "P"}],
        "memberships": [{"id": "m1", "member": "p1", "cluster": "c1", "role": "core"}]}))
    for fmt in ("text", "json", "turtle"):
        code, out, err = run(capsys, "validate", src, "--format", fmt)
        assert code == 1, err
        assert len(out) < 5000, (fmt, len(out))
        assert "300,000 characters" in out, fmt


def test_nul_byte_after_64k_is_binary(tmp_path, capsys):
    """Before: only the first 64 KB were checked for NUL bytes."""
    for name, head in (("participants.csv", b"id,type,name\n"), ("d.ttl", b"")):
        src = tmp_path / name
        src.write_bytes(head + b"# padding\n" * 10_000 + b"x,School,\x00\n")
        code, _, err = run(capsys, "convert", src, "-o", tmp_path / "o.ttl")
        assert code == 2
        assert "binary file" in one_line(err), name


# --- item 23: long SPARQL text is not taken for a file name ---------------------------------

def test_long_query_text_without_slash_runs(capsys):
    """Before: query 'SELECT ...' over 255 bytes without '/' crashed with OSError: File name
    too long (an internal error)."""
    text = "SELECT ?x WHERE { VALUES ?x { " + " ".join(f'"{i}"' for i in range(80)) + " } }"
    assert len(text.encode()) > 255 and "/" not in text
    code, out, err = run(capsys, "query", text, "--format", "csv")
    assert code == 0, err
    assert out.count("\r\n") == 81


# --- item 24: names the table prints paste back into SPARQL ---------------------------------

def test_printed_kb_names_paste_back_into_a_query(capsys):
    """Before: the table printed id:person/porter, a syntax error when pasted into SPARQL.
    Now each kind of item has its prefix (person:, principle:, ...), predeclared in queries."""
    from educluster.query.prefixes import kind_prefixes

    assert {"person", "principle", "definition", "paper"} <= set(kind_prefixes())
    code, out, err = run(capsys, "query", "SELECT ?who WHERE { ?who a foaf:Person } "
                                          "ORDER BY ?who LIMIT 3")
    assert code == 0, err
    names = [line.split()[0] for line in out.splitlines()[2:-1]]
    assert len(names) == 3 and all(n.startswith("person:") for n in names), out
    code, out, err = run(capsys, "query", f"ASK {{ {names[0]} a foaf:Person }}")
    assert (code, out) == (0, "true\n"), err
    code, out, err = run(capsys, "query", "SELECT ?p WHERE { ?p a ec:Principle } LIMIT 1")
    printed = out.splitlines()[2].split()[0]
    assert printed.startswith("principle:"), out
    code, out, err = run(capsys, "query", "SELECT ?x WHERE { ?x a ec:Principle }",
                         "--param", f"x={printed}", "--format", "csv")
    assert code == 0 and out.count("\r\n") == 2, (out, err)


def test_iri_with_unpastable_local_name_prints_whole():
    """A name that a prefix cannot write (a '/' or a final '.') prints as <iri>."""
    from educluster.query import results

    assert results.short(("uri", "https://w3id.org/educluster/id/person/x/y")) == \
        "<https://w3id.org/educluster/id/person/x/y>"
    assert results.short(("uri", "https://w3id.org/educluster/id/person/porter")) == \
        "person:porter"


def test_convert_refusal_lines_show_escape_sequences(tmp_path, capsys):
    """convert's lines for invalid data (one per finding) echo names from the data: shown, not
    obeyed."""
    src = tmp_path / "d.json"
    src.write_text(json.dumps({"clusters": [{"id": "c1", "type": "EducationalCluster",
                                             "name": "C" + ESC_LABEL, "foundingDate": "x"}]}))
    code, _, err = run(capsys, "convert", src, "-o", tmp_path / "o.ttl")
    assert code == 1, err
    assert err.strip()
    for line in err.splitlines():
        _no_controls(line)
    assert not (tmp_path / "o.ttl").exists()


def test_validate_csv_report_neutralises_formulas(tmp_path, capsys):
    """validate --format csv shares the query's spreadsheet-safe cells."""
    src = tmp_path / "d.json"
    src.write_text(json.dumps({"clusters": [{"id": "c1", "type": "EducationalCluster",
                                             "name": "=HYPERLINK(\"x\")", "region": "R",
                                             "foundingDate": "@bad"}]}))
    code, out, err = run(capsys, "validate", src, "--format", "csv")
    assert code == 1, err
    assert "'=HYPERLINK" in out and "'@bad" in out
    assert not any(cell.startswith(("=", "@")) for line in out.splitlines()
                   for cell in line.split(","))


# --- item 25: a constraints file pins every package ------------------------------------------

def test_constraints_pin_every_dependency(repo_root):
    """Before: pyproject.toml had only >= bounds and nothing pinned what setup.sh installs. Now
    constraints.txt (written by .ci/update-constraints) pins every package, the dependencies
    and test extras of pyproject.toml included, and setup.sh installs with it."""
    import re
    import tomllib

    pins = {}
    for line in (repo_root / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            m = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
            assert m, f"not a pin: {line!r}"
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for req in wanted:
        name = re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", req).group()).lower()
        assert name in pins, f"{name} (pyproject.toml) is not pinned: run .ci/update-constraints"
    setup = (repo_root / "setup.sh").read_text(encoding="utf-8")
    assert "-c constraints.txt" in setup and "constraints.txt" in (
        repo_root / ".ci" / "update-constraints").read_text(encoding="utf-8")


def test_scratch_folders_of_dead_processes_are_removed(tmp_path, monkeypatch):
    """Before: work folders in /tmp (check's HermiT input, serve's store) stayed behind after a
    kill -9. scratch_folder names them with the pid and removes dead processes' ones."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"educluster-hermit.{dead.pid}-abc"
    (stale / "x").mkdir(parents=True)
    live = tmp_path / f"educluster-hermit.{os.getpid()}-def"
    live.mkdir()
    other = tmp_path / f"educluster-serve.{dead.pid}-abc"
    other.mkdir()
    new = atomic.scratch_folder("hermit")
    assert not stale.exists() and live.exists() and other.exists()
    assert new.parent == tmp_path and new.name.startswith(f"educluster-hermit.{os.getpid()}-")
    assert stat.S_IMODE(new.stat().st_mode) == 0o700


def test_deeply_nested_endpoint_answer_is_one_line(capsys):
    """Before: an endpoint answering 100,000-deep JSON made query --endpoint die with
    RecursionError (an internal error). A real HTTP server on 127.0.0.1, stopped at the end."""
    import http.server
    import threading

    body = ("[" * 100_000 + "]" * 100_000).encode()

    class Deep(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Deep)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/query"
        code, _, err = run(capsys, "query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                           "--endpoint", url, "--default-graph", "https://example.org/g")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert code == 2
    assert "nested too deeply" in one_line(err)


def test_site_build_refuses_a_symlinked_output_folder(tmp_path):
    """Before: site build renamed whatever stood at --out aside and put the new site there, so a
    link given as --out was replaced by a folder. Refused before mkdocs starts."""
    from educluster.site import mkdocs_build

    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "site"
    link.symlink_to(real)
    with pytest.raises(atomic.UserError, match="symbolic link"):
        mkdocs_build.build(tmp_path / "mkdocs.yml", link)
    assert link.is_symlink()
    assert [p.name for p in tmp_path.iterdir() if "educluster-" in p.name] == []
