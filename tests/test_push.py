"""`educluster push`: Graph Store Protocol PUTs into a real, writable `oxigraph serve`,
then the same questions through `query --endpoint`."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from conftest import free_port
from educluster import engines
from educluster.query import results as R, sparql
from educluster.query.catalogue import find

TASHKENT = "examples/tashkent/tashkent.ttl"


@pytest.fixture
def store(writable_oxigraph):
    """A writable Oxigraph server (conftest.writable_oxigraph): its base URL."""
    return writable_oxigraph


def count_graphs(base: str) -> dict[str, int]:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    req = urllib.request.Request(f"{base}/query?" + urllib.parse.urlencode({"query": q}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        doc = json.loads(resp.read())
    return {b["g"]["value"]: int(b["n"]["value"]) for b in doc["results"]["bindings"]}


def test_push_then_query(store, run_cli):
    code, out, err = run_cli("push", "--store", f"{store}/store", "--data", TASHKENT)
    assert code == 0, err
    reported = {}
    for line in out.splitlines():
        name, rest = line.split(": ", 1)
        n, _, tail = rest.partition(" triples -> <")
        reported[tail.split(">")[0]] = int(n)
    specs = engines.layout([TASHKENT])
    assert list(reported) == [s.iri for s in specs]
    assert count_graphs(store) == reported  # what was sent is what the store holds
    assert reported[engines.KB_GRAPH] > 5000

    # push again: graphs are replaced, not added to
    code, _, err = run_cli("push", "--store", f"{store}/store", "--data", TASHKENT)
    assert code == 0, err
    assert count_graphs(store) == reported

    # the questions over the pushed graphs: name them as the default graph
    graphs = [a for s in specs for a in ("--default-graph", s.iri)]
    for qid in ("cluster-members-by-kind", "principles-with-prerequisites"):
        code, out, err = run_cli("query", qid, "--endpoint", f"{store}/query", *graphs,
                                 "--format", "json")
        assert code == 0, err
        remote = R.from_json(json.loads(out))
        q = find(qid)
        local = engines.run_oxigraph(sparql.prepare(q.text(), q.path), specs)
        assert R.canonical_rows(remote) == R.canonical_rows(local), qid
        assert remote.rows


def test_push_failure_says_what_the_store_answered(store, run_cli):
    code, out, err = run_cli("push", "--store", f"{store}/no-such-service")
    assert code == 2 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "ontology graph" in lines[0] and "answered 404" in lines[0], lines[0]


def test_push_unreachable_store(run_cli):
    port = free_port()
    code, out, err = run_cli("push", "--store", f"http://127.0.0.1:{port}/store")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "cannot reach" in err
    code, out, err = run_cli("push", "--store", "not-a-url")
    assert code == 2 and "http" in err
    code, out, err = run_cli("push", "--store", f"http://127.0.0.1:{port}/store", "--header", "bad")
    assert code == 2 and "NAME:VALUE" in err
