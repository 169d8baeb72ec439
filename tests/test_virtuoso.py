"""Virtuoso (Debian's ``virtuoso-opensource``) as a second real store: ``educluster push`` to
its authenticated Graph Store endpoint (Digest, no permissions granted by hand), then every
competency question through ``query --endpoint`` compared with its checked answer.

The test starts its own Virtuoso once for the module (``virtuoso_server.py``: on 127.0.0.1
with free ports and a ``virtuoso.ini`` it writes in a temporary folder, a fresh database whose
``dba`` password it sets), and stops it at the end; no system service is touched. In CI a
missing Virtuoso fails the test; elsewhere it is skipped.

Virtuoso 7.2 answers some questions differently from SPARQL 1.1 (``*``/``+`` property
paths, trailing ``VALUES``): where it does, ``query --endpoint`` must have said so on stderr
(never fewer rows silently). ``DIFFERENT`` lists the questions Virtuoso 7.2.5 may answer
differently; which of them do depends on its query plan (fresh database or not).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from educluster import engines
from educluster.query import catalogue, results as R, sparql
from virtuoso_server import PASSWORD, push, virtuoso  # noqa: F401  (the module's server fixture)

REPO = Path(__file__).resolve().parents[1]
CQ = REPO / "ontology" / "cq"
QUESTIONS = catalogue.questions(CQ)

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


def _push(base: str, password: str, *extra: str) -> subprocess.CompletedProcess:
    return push(base, password, *extra)


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
