"""Parameters over HTTP substituted into the query as checked terms (decision 0026): only
variable tokens are replaced, never text inside strings, IRIs or comments; a query where the
substitution would change the meaning falls back to the trailing VALUES; and the answers over a
real Oxigraph server equal the embedded engine's for questions of both kinds."""

from __future__ import annotations

import json

from educluster.query import results as R
from educluster.query.substitute import substitute

from test_validate_endpoint import server  # noqa: F401  (the Oxigraph server fixture)

C = {"c": R.uri("https://example.org/c")}


def test_only_variable_tokens_are_replaced():
    q = ('SELECT ?c ?cx WHERE { ?c <http://e/p?c> "?c" . ?cx <http://e/q> ?c # ?c\n'
         ' FILTER(?c != ?cx) } ORDER BY ?c')
    out = substitute(q, C)
    assert out == ('SELECT (<https://example.org/c> AS ?c) ?cx WHERE { <https://example.org/c> '
                   '<http://e/p?c> "?c" . ?cx <http://e/q> <https://example.org/c> # ?c\n'
                   ' FILTER(<https://example.org/c> != ?cx) } ORDER BY (<https://example.org/c>)')


def test_a_literal_is_escaped_not_pasted():
    hostile = {"n": R.literal('x" } ; DROP ALL ; SELECT * { "')}
    out = substitute('SELECT ?s ?n WHERE { ?s <http://e/name> ?n }', hostile)
    assert out is not None
    import pyoxigraph as ox

    store = ox.Store()
    text = 'x" } ; DROP ALL ; SELECT * { "'
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/name"),
                      ox.Literal(text)))
    rows = list(store.query(out))     # one query, the literal matched as one term
    assert [r["n"].value for r in rows] == [text] and rows[0]["s"].value == "http://e/s"


def test_falls_back_where_meaning_would_change():
    assert substitute("SELECT ?c WHERE { BIND(<http://e/a> AS ?c) }", C) is None
    # a subquery that does not project ?c has its own ?c
    assert substitute("SELECT ?c WHERE { ?c ?p ?o { SELECT ?o WHERE { ?c ?q ?o } } }", C) is None
    # one that projects ?c puts ?c in scope, and (TERM AS ?c) may not rebind it: VALUES too
    assert substitute("SELECT ?c WHERE { ?c ?p ?o { SELECT ?c WHERE { ?c ?q ?o } } }", C) is None
    assert substitute("SELECT ?o WHERE { ?c ?p ?o }", C) == \
        "SELECT ?o WHERE { <https://example.org/c> ?p ?o }"


def test_answers_over_http_equal_embedded(server, run_cli):  # noqa: F811
    data = "tests/data/cq/fictional-clusters.ttl"
    code, _, err = run_cli("push", "--store", f"{server}/store", "--data", data)
    assert code == 0, err
    cluster = "cluster=<https://example.org/educluster/fictional/cluster-a>"
    for qid, params in (("cluster-members-by-kind", [cluster]),            # substituted
                        ("participants-per-education-level", [cluster])):  # VALUES fallback
        args = [a for p in params for a in ("--param", p)]
        code, out, err = run_cli("query", qid, "--data", data, *args, "--format", "json")
        assert code == 0, err
        here = R.from_json(json.loads(out))
        code, out, err = run_cli("query", qid, "--endpoint", f"{server}/query", *args,
                                 "--format", "json")
        assert code == 0, err
        there = R.from_json(json.loads(out))
        assert there.rows == here.rows and here.rows, qid
