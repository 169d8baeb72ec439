"""Virtuoso (Debian's ``virtuoso-opensource``) as a second real store: ``educluster push`` to
its authenticated Graph Store endpoint (Digest, no permissions granted by hand), then every
competency question through ``query --endpoint`` compared with its checked answer.

The test starts its own Virtuoso once for the module, on 127.0.0.1 with free ports and a
``virtuoso.ini`` it writes in a temporary folder (a fresh database whose ``dba`` password
it sets), and stops it at the end; no system service is touched. In CI a missing Virtuoso
fails the test; elsewhere it is skipped.

Virtuoso 7.2 answers some questions differently from SPARQL 1.1 (``*``/``+`` property
paths, trailing ``VALUES``): where it does, ``query --endpoint`` must have said so on stderr
(never fewer rows silently). ``DIFFERENT`` lists the questions Virtuoso 7.2.5 may answer
differently; which of them do depends on its query plan (fresh database or not).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import educluster_executable, in_ci
from educluster import engines
from educluster.query import catalogue, results as R, sparql

REPO = Path(__file__).resolve().parents[1]
CQ = REPO / "ontology" / "cq"
QUESTIONS = catalogue.questions(CQ)
PASSWORD = "educluster-test-Pw1"

#: Questions Virtuoso 7.2.5 may answer differently, and why; each with the warning.
DIFFERENT = {  # rows lost on a fresh database; after some pushes some gain rows instead
    "cluster-interaction-models-and-activities": "ec:partOf*/ path in an OPTIONAL",
    "cluster-members-by-kind": "rdfs:subClassOf* and a + path in MINUS",
    "cluster-principles-and-prerequisites": "a/rdfs:subClassOf* in a subquery",
    "clusters-without-higher-education-core": "rdfs:subClassOf+ in MINUS",
    "directions-without-activity": "ec:partOf*/ paths in MINUS",
    "paper-cluster-members-with-quotes": "rdfs:subClassOf* and a + path in MINUS",
    # with the header's example parameter (substituted into the query where it can be, else a
    # trailing VALUES clause, which Virtuoso 7.2 ignores: every row comes back)
    "characteristics-never-named --param concept": "trailing VALUES ignored",
    "cluster-interaction-models-and-activities --param cluster": "* path",
    "cluster-members-by-kind --param cluster": "* and + paths",
    "cluster-principles-and-prerequisites --param cluster": "* path",
    "paper-cluster-members-with-quotes --param cluster": "* path",
    "participants-per-education-level --param cluster": "trailing VALUES ignored, * path",
    "scholars-cited-by-paper --param paper": "trailing VALUES ignored, * path",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tool(name: str) -> str:
    import shutil

    path = shutil.which(name)
    if path is None:
        if in_ci():
            pytest.fail(f"{name} is not installed but CI must have it (.ci/run installs "
                        "virtuoso-opensource)")
        pytest.skip(f"{name} is not installed (apt-get install virtuoso-opensource)")
    return path


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
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, request):
    """A fresh Virtuoso on 127.0.0.1 (its base URL), dba's password set; stopped at the end."""
    server, isql = _tool("virtuoso-t"), _tool("isql-vt")
    d = tmp_path_factory.mktemp("virtuoso")
    sql, http = _free_port(), _free_port()
    (d / "virtuoso.ini").write_text(INI.format(d=d, sql=sql, http=http), encoding="utf-8")
    proc = subprocess.Popen([server, "-f", "-c", str(d / "virtuoso.ini")], cwd=d,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop():
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)

    request.addfinalizer(stop)
    base = f"http://127.0.0.1:{http}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        log = d / "virtuoso.log"
        assert proc.poll() is None and time.monotonic() < deadline, \
            f"Virtuoso did not start: {log.read_text(errors='replace')[-2000:] if log.exists() else ''}"
        time.sleep(0.5)
    out = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba",
                          f"exec=user_set_password('dba', '{PASSWORD}');"],
                         capture_output=True, text=True, timeout=60, cwd=d)
    assert out.returncode == 0 and "Done." in out.stdout, out.stdout + out.stderr
    return base


def _push(base: str, password: str, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EDUCLUSTER_USER": "dba", "EDUCLUSTER_PASSWORD": password}
    return subprocess.run([educluster_executable(), "push", "--store",
                           f"{base}/sparql-graph-crud-auth", *extra],
                          capture_output=True, text=True, timeout=300, env=env, cwd=REPO)


DATA = sorted({d for q in QUESTIONS for d in q.data})


@pytest.fixture(scope="module")
def pushed(virtuoso):
    """The ontology, the knowledge base and every question's example data pushed, with
    Digest authentication and no permission granted by hand."""
    proc = _push(virtuoso, PASSWORD, "--data", *DATA)
    assert proc.returncode == 0, proc.stderr
    return virtuoso


def test_push_answers_digest_with_a_large_graph(pushed):
    """The knowledge base (about 10 000 triples) goes through Virtuoso's Digest endpoint.
    Broke before: the body was sent once unauthenticated, Virtuoso answered 401 and closed,
    and push failed with 'Broken pipe' after the (smaller) ontology graph."""
    proc = _push(pushed, PASSWORD)
    assert proc.returncode == 0, proc.stderr
    assert "knowledge base:" in proc.stdout and "triples" in proc.stdout


def test_push_with_a_wrong_password_says_401_in_one_line(pushed):
    proc = _push(pushed, "wrong-password")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "401" in lines[0] and "Traceback" not in proc.stderr
    assert "wrong-password" not in proc.stderr


def _graphs(q) -> list[str]:
    return [s.iri for s in engines.layout([REPO / d for d in q.data])]


def _answer(qid: str) -> R.Result:
    import pyoxigraph as ox

    res = ox.parse_query_results(path=str(CQ / "answers" / f"{qid}.tsv"),
                                 format=ox.QueryResultsFormat.TSV)
    return R.from_oxigraph(res)


def test_every_question_answers_the_same_or_warns(pushed, capsys):
    """Every competency question (and each header parameter) through ``query --endpoint``'s
    client: the checked answer, or a different one only with a warning on stderr."""
    from educluster.query.remote import run_endpoint

    url = f"{pushed}/sparql"
    different, unwarned = set(), []
    for q in QUESTIONS:
        graphs = _graphs(q)
        got = run_endpoint(sparql.prepare(q.text(), q.path), url, graphs, timeout=120)
        warned = "warning" in capsys.readouterr().err
        expected = _answer(q.id)
        if R.canonical_rows(got) != R.canonical_rows(expected):
            different.add(q.id)
            if not warned:
                unwarned.append(q.id)
        for p in q.params:
            prep = sparql.prepare(q.text(), q.path, [f"{p.name}={p.example}"])
            got = run_endpoint(prep, url, graphs, timeout=120)
            warned = "warning" in capsys.readouterr().err
            full = expected
            i = full.vars.index(p.name)
            subset = R.Result("select", full.vars,
                              [r for r in full.rows if r[i] == prep.bindings[p.name]])
            if R.canonical_rows(got) != R.canonical_rows(subset):
                different.add(f"{q.id} --param {p.name}")
                if not warned:
                    unwarned.append(f"{q.id} --param {p.name}")
    assert not unwarned, f"Virtuoso answered differently without a warning: {unwarned}"
    # Which of them differ depends on Virtuoso's plan (a fresh database lost rows in six
    # questions; the same one after a few pushes lost them in three and gained some in
    # others), so the list bounds the differences rather than fixing them.
    assert different <= set(DIFFERENT), sorted(different - set(DIFFERENT))
    assert different, "Virtuoso now answers every question as SPARQL 1.1 does: update DIFFERENT"
