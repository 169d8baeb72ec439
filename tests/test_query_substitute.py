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
    assert substitute("SELECT ?o WHERE { ?c ?p ?o }", C) == \
        "SELECT ?o WHERE { <https://example.org/c> ?p ?o }"


def test_a_subquery_that_does_not_project_the_variable_keeps_its_own():
    """Inside a subquery that does not project ?c, ?c is another variable: left alone (before,
    the whole query fell back to the trailing VALUES, which Virtuoso ignores)."""
    out = substitute("SELECT ?c WHERE { ?c ?p ?o { SELECT ?o WHERE { ?c ?q ?o } } }", C)
    assert out == ("SELECT (<https://example.org/c> AS ?c) WHERE { <https://example.org/c> ?p ?o "
                   "{ SELECT ?o WHERE { ?c ?q ?o } } }")


def test_a_subquery_that_projects_the_variable_is_substituted_too():
    """?c projected by a subquery is the query's ?c: replaced inside, and no longer projected
    (a projection left empty projects a constant: the subquery keeps its number of rows)."""
    q = ("SELECT ?c ?n WHERE { ?c ?p ?o OPTIONAL { SELECT ?c (COUNT(*) AS ?n) "
         "WHERE { ?c ?q ?o } GROUP BY ?c } }")
    out = substitute(q, C)
    assert out == ("SELECT (<https://example.org/c> AS ?c) ?n WHERE { <https://example.org/c> ?p ?o "
                   "OPTIONAL { SELECT  (COUNT(*) AS ?n) WHERE { <https://example.org/c> ?q ?o } "
                   "GROUP BY (<https://example.org/c>) } }")
    out = substitute("SELECT ?c WHERE { { SELECT DISTINCT ?c WHERE { ?c ?q ?o } } ?c ?p ?o }", C)
    assert out == ("SELECT (<https://example.org/c> AS ?c) WHERE { { SELECT DISTINCT  (1 AS ?_bound0) "
                   "WHERE { <https://example.org/c> ?q ?o } } <https://example.org/c> ?p ?o }")
    # the same answers as the embedded engine's substitution, duplicates included
    import pyoxigraph as ox

    store = ox.Store()
    c, q_, p = (ox.NamedNode("https://example.org/c"), ox.NamedNode("http://e/q"),
                ox.NamedNode("http://e/p"))
    for o in ("a", "b"):
        store.add(ox.Quad(c, q_, ox.NamedNode(f"http://e/{o}")))
    store.add(ox.Quad(c, p, ox.NamedNode("http://e/x")))
    base = "SELECT ?c ?o WHERE { { SELECT ?c WHERE { ?c <http://e/q> ?z } } ?c <http://e/p> ?o }"
    embedded = list(store.query(base, substitutions={ox.Variable("c"): c}))
    sent = list(store.query(substitute(base, C)))
    assert len(sent) == len(embedded) == 2


def test_every_parameterised_question_is_substituted():
    """Every header parameter of every competency question travels substituted, never as a
    trailing VALUES (which Virtuoso 7.2 ignores: every row came back)."""
    from educluster.query import catalogue, sparql

    n = 0
    for q in catalogue.questions():
        for p in q.params:
            prep = sparql.prepare(q.text(), q.path, [f"{p.name}={p.example}"])
            assert substitute(prep.text, prep.bindings) is not None, (q.id, p.name)
            n += 1
    assert n >= 19


def test_answers_over_http_equal_embedded(server, run_cli):  # noqa: F811
    data = "tests/data/cq/fictional-clusters.ttl"
    code, _, err = run_cli("push", "--store", f"{server}/store", "--data", data)
    assert code == 0, err
    cluster = "cluster=<https://example.org/educluster/fictional/cluster-a>"
    for qid, params in (("cluster-members-by-kind", [cluster]),            # substituted
                        ("participants-per-education-level", [cluster])):  # subqueries
        args = [a for p in params for a in ("--param", p)]
        code, out, err = run_cli("query", qid, "--data", data, *args, "--format", "json")
        assert code == 0, err
        here = R.from_json(json.loads(out))
        code, out, err = run_cli("query", qid, "--endpoint", f"{server}/query", *args,
                                 "--format", "json")
        assert code == 0, err
        there = R.from_json(json.loads(out))
        assert there.rows == here.rows and here.rows, qid
