"""Shared fixtures: the repository root and a runner for the installed ``educluster`` command."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TASHKENT = REPO / "examples" / "tashkent" / "tashkent.ttl"

#: The prefixes of the small SHACL shapes and data graphs the fast validator's tests write.
SHACL_PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""


def hostile_tashkent(folder: Path, cluster_suffix: str = "") -> Path:
    """The Tashkent example with markup in the cluster's name (``cluster_suffix`` after the
    literal, e.g. ``@en``) and in a member's name, written to ``folder``: pages must escape both."""
    text = TASHKENT.read_text(encoding="utf-8")
    text = text.replace('"Innovative cluster of teacher education in the Tashkent region"',
                        '"<script>alert(1)</script> & cluster"' + cluster_suffix)
    text = text.replace('"Chirchik State Pedagogical Institute"', '"<img src=x onerror=alert(2)>"')
    f = folder / "evil.ttl"
    f.write_text(text, encoding="utf-8")
    return f

# The tests read English texts: the program writes in the locale's language when no --lang is
# given (LC_ALL, LC_MESSAGES, LANG; issue 15), so a developer in a Russian or Uzbek locale would
# see Russian or Uzbek reports. A neutral locale for this process and the programs it starts;
# tests of the languages pass --lang or their own LANG.
os.environ["LC_ALL"] = "C.UTF-8"
os.environ.pop("LC_MESSAGES", None)


def educluster_executable() -> str:
    """The ``educluster`` console script of the Python running the tests (the venv's)."""
    candidate = Path(sys.executable).parent / "educluster"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("educluster")
    if found:
        return found
    pytest.fail("the educluster command is not installed: run ./setup.sh first")


def run_educluster(*args, cwd=None, env=None, timeout=900) -> tuple[int, str, str]:
    """Run ``educluster ARGS...`` in a subprocess; return (exit code, stdout, stderr)."""
    full_env = {k: v for k, v in os.environ.items() if k != "EDUCLUSTER_DEBUG"}
    if env:
        full_env.update(env)
    proc = subprocess.run([educluster_executable(), *map(str, args)], cwd=cwd or REPO,
                          env=full_env, capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the folder holding ontology/, shapes/, loaders/)."""
    return REPO


@pytest.fixture(scope="session")
def run_cli():
    """``run_cli(*args, cwd=None, env=None) -> (code, stdout, stderr)`` for the installed command."""
    return run_educluster


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """Path of an external tool; skip if absent on a developer machine, fail if absent in CI."""
    path = shutil.which(name)
    if path is None:
        if in_ci():
            pytest.fail(f"{name} is not installed but CI must have it (.ci/run installs it)")
        pytest.skip(f"{name} is not installed (apt-get install raptor2-utils)")
    return path


def free_port() -> int:
    """A port on 127.0.0.1 that nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def writable_oxigraph(tmp_path):
    """A writable Oxigraph server (no union default graph) on a free loopback port, stopped at
    the end: yields its base URL (``/store`` for the Graph Store Protocol, ``/query``)."""
    from educluster import engines

    port = free_port()
    proc = subprocess.Popen([engines.oxigraph_binary(), "serve", "--location", str(tmp_path / "db"),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert proc.poll() is None and time.monotonic() < deadline, "oxigraph serve did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)
