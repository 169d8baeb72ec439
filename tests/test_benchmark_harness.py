"""The benchmark harness's floor runs for real: every ratio in benchmarks/README.md is taken
against it, so a floor that fails must stop the run instead of yielding a tiny time.

Regression: after run.floor() was shared by scale_curve, national and query_data, it named its
worker "parse_oxigraph" (the worker is "parse-oxigraph"); each floor was a 0.1 s traceback and
every ratio to it (e.g. 150x for validate at 1M) nonsense, with no error."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run_module():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(REPO / "benchmarks"))


def test_floor_loads_the_whole_file(tmp_path):
    nt = tmp_path / "small.nt"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", "5000",
                    "--seed", "1", "-o", str(nt)], check=True, capture_output=True)
    lines = sum(1 for line in nt.read_text(encoding="utf-8").splitlines() if line.strip())
    m = _run_module().floor(nt)
    assert m["code"] == 0, m["stderr"]
    assert m["json"]["triples"] == lines


def test_a_failed_floor_stops_the_run(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="bulk load of .*bad.nt failed"):
        _run_module().floor(bad)


def test_an_unknown_worker_name_is_refused():
    with pytest.raises(SystemExit, match="unknown benchmark worker 'parse_oxigraph'"):
        _run_module().worker_cmd("parse_oxigraph", "x")
