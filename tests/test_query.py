"""`educluster query`: formats, parameters as bindings, read-only, errors in one line.

Everything runs the installed command in a subprocess (as a researcher would), except the
unit tests of term parsing and of the result formats."""

from __future__ import annotations

import csv
import io
import json
import socket
import time

import pytest

from educluster.errors import UserError
from educluster.query import results as R, sparql

DEFS = "SELECT ?d ?t WHERE { ?d a ec:Definition ; ec:definedTerm ?t } ORDER BY ?d"
TASHKENT = "examples/tashkent/tashkent.ttl"


def one_line_error(code, out, err, *needles):
    assert code == 2, (code, out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("educluster: ")
    assert "Traceback" not in err
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


# -- what a query gives --------------------------------------------------------------------

def test_table_default_and_formats(run_cli):
    code, out, err = run_cli("query", DEFS + " LIMIT 3", env={"COLUMNS": "200"})
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["d", "t"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].startswith("definition:")  # pastes back into SPARQL (issue 12)
    assert lines[-1] == "(3 rows)"

    code, out, _ = run_cli("query", DEFS + " LIMIT 3", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["d", "t"] and len(rows) == 4
    assert rows[1][0].startswith("https://w3id.org/educluster/id/definition/")

    code, out, _ = run_cli("query", DEFS + " LIMIT 3", "--format", "tsv")
    lines = out.splitlines()
    assert lines[0] == "?d\t?t"
    assert lines[1].startswith("<https://w3id.org/educluster/id/definition/")

    code, out, _ = run_cli("query", DEFS + " LIMIT 3", "--format", "json")
    doc = json.loads(out)
    assert doc["head"]["vars"] == ["d", "t"]
    assert len(doc["results"]["bindings"]) == 3
    assert doc["results"]["bindings"][0]["d"]["type"] == "uri"


def test_engines_print_the_same(run_cli):
    outs = [run_cli("query", "characteristics-by-frequency", "--format", "json", "--engine", e)[1]
            for e in ("oxigraph", "rdflib")]
    a, b = (R.canonical_rows(R.from_json(json.loads(o))) for o in outs)
    assert a == b and len(a) > 10


def test_question_id_file_and_stdin(run_cli, repo_root, tmp_path):
    code, by_id, err = run_cli("query", "innovation-chain", "--format", "csv")
    assert code == 0, err
    code, by_file, _ = run_cli("query", repo_root / "ontology/cq/innovation-chain.rq", "--format", "csv")
    assert by_id == by_file and len(by_id.splitlines()) > 3
    import subprocess

    from conftest import educluster_executable

    proc = subprocess.run([educluster_executable(), "query", "-", "--format", "csv"],
                          input=(repo_root / "ontology/cq/innovation-chain.rq").read_text(),
                          capture_output=True, text=True, cwd=repo_root)
    assert proc.returncode == 0 and proc.stdout == by_id


def test_ask_and_construct(run_cli):
    code, out, _ = run_cli("query", "ASK { ?d a ec:Definition }")
    assert (code, out) == (0, "true\n")
    code, out, _ = run_cli("query", "ASK { ?d a ec:Definition }", "--format", "json")
    assert json.loads(out) == {"head": {}, "boolean": True}
    code, out, err = run_cli("query", "CONSTRUCT { ?p ec:hasPrerequisite ?q } WHERE "
                             "{ ?p ec:hasPrerequisite ?q } ")
    assert code == 0, err
    import pyoxigraph as ox

    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) > 20
    code, out, err = run_cli("query", "DESCRIBE <https://w3id.org/educluster/id/principle/routing>")
    assert code == 0 and "routing" in out, err


def test_data_file_adds_a_named_graph(run_cli):
    q = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    code, out, err = run_cli("query", q, "--data", TASHKENT, "--format", "csv")
    assert code == 0, err
    graphs = [r[0] for r in csv.reader(io.StringIO(out))][1:]
    assert graphs == ["https://w3id.org/educluster/graph/data/tashkent.ttl",
                      "https://w3id.org/educluster/graph/kb",
                      "https://w3id.org/educluster/graph/ontology"]
    code, out, _ = run_cli("query", "cluster-members-by-kind", "--data", TASHKENT, "--format", "csv")
    assert "Chirchik State Pedagogical Institute" in out


def test_question_about_data_without_data_says_so(run_cli):
    """Since paper 002's Tashkent cluster is knowledge, a data question answers rows without
    --data; the note must still say that these are the knowledge base's only (it was shown only
    for empty answers, so it vanished)."""
    code, out, err = run_cli("query", "cluster-members-by-kind")
    assert code == 0
    assert "--data" in err and "tashkent" in err and "knowledge base" in err
    code, out, err = run_cli("query", "cluster-members-by-kind", "--data", TASHKENT)
    assert code == 0 and "note" not in err


# -- parameters ----------------------------------------------------------------------------

def test_param_binds_a_term(run_cli):
    code, out, err = run_cli("query", "definitions-side-by-side", "--param",
                             "concept=ec:ClusterApproach", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["concept"] for r in rows} == {"https://w3id.org/educluster/ontology#ClusterApproach"}
    code2, out2, _ = run_cli("query", "definitions-side-by-side", "--param",
                             "concept=<https://w3id.org/educluster/ontology#ClusterApproach>",
                             "--format", "csv", "--engine", "rdflib")
    assert sorted(out2.splitlines()) == sorted(out.splitlines())


def test_param_is_never_pasted_into_the_query(run_cli):
    """A value that would break out of the query if it were pasted in is just a string."""
    evil = '" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER ("'
    code, out, err = run_cli("query", "SELECT ?t ?d WHERE { ?d ec:definedTerm ?t }",
                             "--param", f"t={evil}", "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["t,d"]
    code, out, err = run_cli("query", "SELECT ?t ?d WHERE { ?d ec:definedTerm ?t }",
                             "--param", 't="cluster approach"', "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 8, out


@pytest.mark.parametrize("param,needle", [
    ("nope=1", "no variable ?nope"),
    ("noequals", "NAME=VALUE"),
    ("concept=<not an iri>", "not an absolute IRI"),
    ('concept="open', "no closing"),
])
def test_bad_params(run_cli, param, needle):
    one_line_error(*run_cli("query", "definitions-side-by-side", "--param", param), needle)


def test_param_must_be_a_result_variable(run_cli):
    one_line_error(*run_cli("query", "SELECT ?d WHERE { ?d ec:definedTerm ?t }", "--param", "t=x"),
                   "result variables")


def test_parse_term():
    p = {"ec": "https://w3id.org/educluster/ontology#"}
    assert sparql.parse_term("ec:Cluster", p) == ("uri", p["ec"] + "Cluster")
    assert sparql.parse_term("<urn:x>", p) == ("uri", "urn:x")
    assert sparql.parse_term('"a \\"b\\""@EN', p) == ("literal", 'a "b"', R.RDF_LANGSTRING, "en")
    assert sparql.parse_term('"5"^^xsd:int', {"xsd": R.XSD}) == ("literal", "5", R.XSD + "int", None)
    assert sparql.parse_term("42", p)[2] == R.XSD + "integer"
    assert sparql.parse_term("4.2", p)[2] == R.XSD + "decimal"
    assert sparql.parse_term("true", p)[2] == R.XSD + "boolean"
    assert sparql.parse_term("unknown:thing", p) == R.literal("unknown:thing")
    assert sparql.parse_term("two words", p) == R.literal("two words")
    with pytest.raises(UserError):
        sparql.parse_term("<a b>", p)
    v = sparql.values_clause({"b": ("uri", "urn:b"), "a": R.literal('x"y\n')})
    assert v == 'VALUES (?a ?b) { ("x\\"y\\n" <urn:b>) }'


# -- read-only, syntax errors, timeouts -------------------------------------------------------

@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "LOAD <http://example.org/x.ttl>",
    "PREFIX ec: <https://w3id.org/educluster/ontology#>\nDELETE { ?s ?p ?o } WHERE { ?s a ec:Definition ; ?p ?o }",
])
def test_updates_are_refused(run_cli, update):
    one_line_error(*run_cli("query", update), "update", "read-only")


def test_syntax_error_says_where(run_cli, tmp_path):
    line = one_line_error(*run_cli("query", "SELECT ?s WHERE {\n  ?s ?p \n}"), "syntax error")
    assert "line 3" in line
    bad = tmp_path / "bad.rq"
    bad.write_text("# a comment\nSELECT ?s\nWHERE { ?s ?p ?o . FILTER( }\n")
    line = one_line_error(*run_cli("query", bad), "syntax error")
    assert "bad.rq:3:" in line and "column 28" in line


def test_unknown_question_and_missing_file(run_cli):
    one_line_error(*run_cli("query", "no-such-question"), "no competency question", "--list")
    one_line_error(*run_cli("query", "missing.rq"), "missing.rq", "not found")
    one_line_error(*run_cli("query", DEFS, "--data", "missing.ttl"), "missing.ttl", "not found")


def test_bad_data_file_names_file_and_line(run_cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    line = one_line_error(*run_cli("query", DEFS, "--data", bad), "bad.ttl:3")
    one_line_error(*run_cli("query", DEFS, "--data", bad, "--engine", "rdflib"), "bad.ttl")
    assert "syntax" in line.lower()


def test_timeout_stops_a_runaway_query(run_cli):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    start = time.monotonic()
    line = one_line_error(*run_cli("query", runaway, "--timeout", "1.5"), "stopped after 1.5 s",
                          "--timeout")
    assert time.monotonic() - start < 20, line


def test_timeout_lets_a_quick_query_through(run_cli):
    code, out, err = run_cli("query", "innovation-chain", "--timeout", "60", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 7, err
    one_line_error(*run_cli("query", "SELECT ?s WHERE {", "--timeout", "60"), "syntax error")


def test_unreachable_endpoint(run_cli):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    one_line_error(*run_cli("query", DEFS, "--endpoint", f"http://127.0.0.1:{port}/query"),
                   "cannot reach", f"127.0.0.1:{port}")
    one_line_error(*run_cli("query", DEFS, "--endpoint", "ftp://example.org/"), "http")
    one_line_error(*run_cli("query", DEFS, "--endpoint", "http://127.0.0.1:1/q", "--data", TASHKENT),
                   "--data")


# -- the list -------------------------------------------------------------------------------

def test_list_text_and_json(run_cli):
    code, out, err = run_cli("query", "--list")
    assert code == 0, err
    assert "definitions-side-by-side" in out and "questions in" in out
    code, out, _ = run_cli("query", "--list", "--format", "json")
    doc = json.loads(out)
    assert len(doc) >= 30
    first = doc[0]
    assert {"id", "question", "why", "papers", "params", "data", "file"} <= set(first)
    one_line_error(*run_cli("query", "--list", "innovation-chain"), "--list")
    one_line_error(*run_cli("query"), "give a query")


# -- formats, unit level ------------------------------------------------------------------------

def test_formats_of_odd_terms():
    res = R.Result("select", ["a", "b"], [
        (R.literal('comma, "quote"\nnewline'), ("bnode", "x1")),
        (R.literal("5", R.XSD + "integer"), None),
        (R.literal("hi", lang="en"), ("uri", "https://w3id.org/educluster/ontology#Cluster")),
    ])
    rows = list(csv.reader(io.StringIO(R.to_csv(res))))
    assert rows[1] == ['comma, "quote"\nnewline', "_:x1"]
    assert rows[2] == ["5", ""]
    tsv = R.to_tsv(res).splitlines()
    assert tsv[1] == '"comma, \\"quote\\"\\nnewline"\t_:x1'
    assert tsv[2] == '"5"^^<http://www.w3.org/2001/XMLSchema#integer>\t'
    doc = json.loads(R.to_json(res))
    assert doc["results"]["bindings"][1] == {"a": {"type": "literal", "value": "5",
                                                   "datatype": R.XSD + "integer"}}
    assert doc["results"]["bindings"][2]["a"] == {"type": "literal", "value": "hi", "xml:lang": "en"}
    assert R.from_json(doc).rows == res.rows
    table = R.to_table(res, width=80)
    assert "ec:Cluster" in table and table.rstrip().endswith("(3 rows)")
    narrow = R.to_table(R.Result("select", ["x"] * 6, [tuple([R.literal("word " * 30)] * 6)]), 60)
    assert "-[ row 1 ]" in narrow and max(len(x) for x in narrow.splitlines()) <= 60
