"""A throw-away Virtuoso (Debian's ``virtuoso-opensource``) on 127.0.0.1 for tests and benchmarks.

:func:`start` writes a ``virtuoso.ini`` in a folder it is given (127.0.0.1, free ports,
``DirsAllowed`` that folder), starts a fresh database there, sets ``dba``'s password with
``isql-vt`` and returns a :class:`Server`; ``stop()`` ends it. No system service is touched.
The pytest fixture ``virtuoso`` (one server per test module) is defined here so that
``test_virtuoso.py`` and ``test_validate_virtuoso.py`` share it: in CI a missing Virtuoso
fails the test, elsewhere it is skipped.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "educluster-test-Pw1"

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
"""


def free_port() -> int:
    """A port on 127.0.0.1 that nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str | None:
    """Path of a Virtuoso program, or None."""
    return shutil.which(name)


@dataclass
class Server:
    """A running Virtuoso: its HTTP base URL, its SQL port, its folder and process."""

    base: str
    sql: int
    folder: Path
    proc: subprocess.Popen
    isql: str

    def isql_run(self, statements: str, timeout: float = 600) -> str:
        """Run SQL statements with ``isql-vt`` as dba; their output (raises on failure)."""
        out = subprocess.run([self.isql, f"127.0.0.1:{self.sql}", "dba", PASSWORD,
                              f"exec={statements}"], capture_output=True, text=True,
                             timeout=timeout, cwd=self.folder)
        if out.returncode != 0 or "Error" in out.stdout + out.stderr:
            raise RuntimeError(f"isql-vt failed: {out.stdout[-1000:]}{out.stderr[-1000:]}")
        return out.stdout

    def stop(self) -> None:
        """End the server (it is the process this module started)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start(folder: Path, *, buffers: int = 10000, max_rows: int = 100000,
          max_seconds: int = 120, timeout: float = 120) -> Server:
    """A fresh Virtuoso in ``folder`` (which must be empty of an earlier database), with dba's
    password set to :data:`PASSWORD`. Raises ``RuntimeError`` if it does not come up."""
    server, isql = tool("virtuoso-t"), tool("isql-vt")
    if server is None or isql is None:
        raise RuntimeError("virtuoso-t/isql-vt are not installed "
                           "(apt-get install virtuoso-opensource)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(
        INI.format(d=folder, sql=sql, http=http, buffers=buffers, dirty=buffers * 3 // 4,
                   max_rows=max_rows, max_seconds=max_seconds), encoding="utf-8")
    proc = subprocess.Popen([server, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    srv = Server(f"http://127.0.0.1:{http}", sql, folder, proc, isql)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{srv.base}/sparql?query=ASK%7B%7D", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            srv.stop()
            log = folder / "virtuoso.log"
            raise RuntimeError("Virtuoso did not start: "
                               + (log.read_text(errors="replace")[-2000:] if log.exists() else ""))
        time.sleep(0.5)
    out = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba",
                          f"exec=user_set_password('dba', '{PASSWORD}');"],
                         capture_output=True, text=True, timeout=60, cwd=folder)
    if out.returncode != 0 or "Done." not in out.stdout:
        srv.stop()
        raise RuntimeError(f"setting dba's password failed: {out.stdout}{out.stderr}")
    return srv


def push(base: str, password: str, *extra: str, educluster: str | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess:
    """``educluster push`` to the server's authenticated Graph Store endpoint as dba."""
    if educluster is None:
        from conftest import educluster_executable

        educluster = educluster_executable()
    env = {**os.environ, "EDUCLUSTER_USER": "dba", "EDUCLUSTER_PASSWORD": password}
    return subprocess.run([educluster, "push", "--store", f"{base}/sparql-graph-crud-auth",
                           *extra], capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=REPO)


try:
    import pytest
except ImportError:  # pragma: no cover - benchmarks import start() without pytest
    pytest = None

if pytest is not None:
    @pytest.fixture(scope="module")
    def virtuoso(tmp_path_factory, request):
        """A fresh Virtuoso on 127.0.0.1 (its base URL), dba's password set; stopped at the end."""
        from conftest import in_ci

        for name in ("virtuoso-t", "isql-vt"):
            if tool(name) is None:
                if in_ci():
                    pytest.fail(f"{name} is not installed but CI must have it (.ci/run installs "
                                "virtuoso-opensource)")
                pytest.skip(f"{name} is not installed (apt-get install virtuoso-opensource)")
        srv = start(tmp_path_factory.mktemp("virtuoso"))
        request.addfinalizer(srv.stop)
        return srv.base
