"""The ``educluster`` program: help, fast start-up, one-line errors, nothing half-written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import run_educluster

COMMANDS = ["build", "check", "validate", "convert", "template", "query", "serve", "push", "site",
            "assess", "report"]
HEAVY = ["rdflib", "pyshacl", "owlready2", "pyoxigraph", "owlrl"]


def assert_one_line_error(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("educluster: ")
    return lines[0]


def test_help_lists_every_subcommand(run_cli):
    code, stdout, stderr = run_cli("--help")
    assert code == 0, stderr
    for cmd in COMMANDS:
        assert f"\n    {cmd} " in stdout, cmd


def test_site_has_build_and_serve(run_cli):
    code, stdout, _ = run_cli("site", "--help")
    assert code == 0
    assert "build" in stdout and "serve" in stdout


def test_version(run_cli):
    code, stdout, _ = run_cli("--version")
    assert code == 0 and stdout.startswith("educluster ")


def test_cli_and_command_modules_import_no_heavy_library():
    """Start-up stays fast: heavy libraries are imported only inside run()."""
    code = (
        "import sys, pkgutil, importlib, educluster, educluster.cli\n"
        "for m in pkgutil.iter_modules(educluster.__path__):\n"
        "    importlib.import_module('educluster.' + m.name) if m.name != '__main__' else None\n"
        f"heavy = [h for h in {HEAVY!r} if h in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"imported at module level: {proc.stdout.strip()}"


def test_unknown_command_is_one_line(run_cli):
    code, _, stderr = run_cli("no-such-command")
    assert code == 2
    assert "invalid choice" in assert_one_line_error(stderr)


def test_unknown_option_is_one_line(run_cli):
    code, _, stderr = run_cli("build", "--no-such-option")
    assert code == 2
    assert_one_line_error(stderr)


GOOD = """\
@prefix ec: <https://w3id.org/educluster/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
ec:Principle a owl:Class .
"""

BROKEN = """\
@prefix ec: <https://w3id.org/educluster/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .

ec:Direction a owl:Class ;
    ec:quote "an unterminated string .
ec:Task a owl:Class .
"""


def test_broken_turtle_names_file_and_line_and_keeps_previous_output(tmp_path, run_cli):
    onto = tmp_path / "ontology"
    onto.mkdir()
    (onto / "good.ttl").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "dist"
    code, _, stderr = run_cli("build", "--ontology-dir", onto, "--out", out)
    assert code == 0, stderr
    before = {p.relative_to(out): (p.read_bytes(), p.stat().st_mtime_ns)
              for p in out.rglob("*") if p.is_file()}
    assert len([p for p in before if len(p.parts) == 1]) == 7  # 4 formats, context, .htaccess, SKOS

    (onto / "broken.ttl").write_text(BROKEN, encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--ontology-dir", onto, "--out", out)
    assert code == 2
    line = assert_one_line_error(stderr)
    assert "broken.ttl:5:" in line, line
    assert "syntax error" in line
    assert stdout == ""
    after = {p.relative_to(out): (p.read_bytes(), p.stat().st_mtime_ns)
             for p in out.rglob("*") if p.is_file()}
    assert after == before  # untouched (per-term files too), and no temporary files left


def test_broken_file_in_kb_dir(tmp_path, run_cli):
    onto = tmp_path / "ontology"
    (onto / "kb").mkdir(parents=True)
    (onto / "good.ttl").write_text(GOOD, encoding="utf-8")
    (onto / "kb" / "p999-bad.ttl").write_text(BROKEN, encoding="utf-8")
    code, _, stderr = run_cli("build", "--ontology-dir", onto, "--out", tmp_path / "out")
    assert code == 2
    assert "p999-bad.ttl:5:" in assert_one_line_error(stderr)
    assert not (tmp_path / "out").exists()


def test_missing_ontology_dir(tmp_path, run_cli):
    code, _, stderr = run_cli("build", "--ontology-dir", tmp_path / "nope", "--out", tmp_path / "o")
    assert code == 2
    assert "nope" in assert_one_line_error(stderr)


def test_bad_educluster_home(tmp_path, run_cli):
    code, _, stderr = run_cli("build", "--out", tmp_path / "o",
                              env={"EDUCLUSTER_HOME": str(tmp_path)})
    assert code == 2
    assert "EDUCLUSTER_HOME" in assert_one_line_error(stderr)


def test_educluster_home_override(tmp_path, run_cli, repo_root):
    clone = tmp_path / "clone"
    (clone / "ontology").mkdir(parents=True)
    (clone / "ontology" / "x.ttl").write_text(GOOD, encoding="utf-8")
    code, stdout, stderr = run_cli("build", env={"EDUCLUSTER_HOME": str(clone)}, cwd=tmp_path)
    assert code == 0, stderr
    assert (clone / "dist" / "educluster.ttl").exists()
    assert stdout == "wrote 1 triple to clone/dist/ (4 formats + context)\n"


def test_unwritable_output_is_one_line(tmp_path, run_cli):
    onto = tmp_path / "ontology"
    onto.mkdir()
    (onto / "good.ttl").write_text(GOOD, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, stderr = run_cli("build", "--ontology-dir", onto, "--out", blocker)
    assert code == 2
    assert_one_line_error(stderr)


# -- in-process: the error handling of cli.main -----------------------------------------

def test_internal_error_is_one_line_without_traceback(monkeypatch, capsys):
    monkeypatch.delenv("EDUCLUSTER_DEBUG", raising=False)
    from educluster import cli

    def boom(args):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(cli, "_dispatch", boom)
    assert cli.main(["build"]) == 2
    assert capsys.readouterr().err == ("educluster: internal error: RuntimeError: boom second "
                                       "line (run with EDUCLUSTER_DEBUG=1 for a traceback)\n")


def test_debug_shows_traceback(monkeypatch, capsys):
    monkeypatch.setenv("EDUCLUSTER_DEBUG", "1")
    from educluster import cli

    def boom(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_dispatch", boom)
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.endswith("(run with EDUCLUSTER_DEBUG=1 for a traceback)\n")


def test_user_error_format(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("EDUCLUSTER_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    from educluster import cli
    from educluster.errors import UserError

    def fail(args):
        raise UserError("something is wrong;\nfix it", file=tmp_path / "data.csv", line=7)

    monkeypatch.setattr(cli, "_dispatch", fail)
    assert cli.main(["build"]) == 2
    assert capsys.readouterr().err == "educluster: data.csv:7: something is wrong; fix it\n"


def test_missing_command_module_says_not_implemented(monkeypatch, capsys):
    from educluster import cli

    real = cli.importlib.import_module

    def fake_import(name):
        if name == "educluster.build":
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real(name)

    monkeypatch.setattr(cli.importlib, "import_module", fake_import)
    assert cli.main(["build"]) == 2
    assert capsys.readouterr().err == "educluster: build: not implemented yet\n"
