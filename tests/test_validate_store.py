"""``educluster validate`` reads RDF files straight into the fast engine's store (issue 6: a
million triples in seconds): the same reports as reading them with rdflib, and the same clear
errors for files it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_validate import (DATA, TASHKENT_FORMS, assert_one_line_error, cli, validate)

FIXTURES = sorted((DATA / "invalid").glob("*.ttl")) + sorted((DATA / "valid").glob("*.ttl"))


def _report_via_rdflib(path: Path) -> str:
    """The JSON report as validate made it before the store path: the data read by rdflib,
    the report built on the whole data graph."""
    from educluster.convert.inputs import load_inputs
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate import Outcome, report
    from educluster.validate.engine import load_shapes, validate_graph

    vocab = load_vocabulary()
    loaded = load_inputs([str(path)], vocab=vocab)
    shapes = load_shapes()
    results = validate_graph(loaded.graph, vocab, shapes, engine="fast")
    entities = report.ReportBuilder(results, loaded.graph, vocab, shapes, loaded).entities()
    return Outcome(results, entities, loaded, report.exit_code(results, False), loaded.files,
                   False).render("json")


@pytest.mark.parametrize("path", FIXTURES, ids=[p.parent.name + "/" + p.stem for p in FIXTURES])
def test_store_path_gives_the_report_of_the_rdflib_path(path):
    """Every result, label, kind, fix and unknown-term warning, for every fixture."""
    assert validate(path).render("json") == _report_via_rdflib(path)


def test_unknown_terms_in_store_match_the_graph_walk(tmp_path):
    """Misspelt predicates, classes and values in every checked namespace, and a described
    individual that is fine: the store query finds exactly what the graph walk finds."""
    import pyoxigraph as ox

    from educluster.convert.vocab import load_vocabulary
    from educluster.kb import parse_file
    from educluster.validate import unknown_terms

    f = tmp_path / "typos.ttl"
    f.write_text(
        "@prefix ec: <https://w3id.org/educluster/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "<https://example.org/s> a ec:Scool , org:Organisation ; ec:regoin \"x\" ;\n"
        "  schema:nmae \"y\" ; ec:countedKind ec:Preschol , ec:School ; org:memberOf <x:y> .\n"
        "<https://example.org/t> a ec:School ; ec:region \"x\" .\n", encoding="utf-8")
    vocab = load_vocabulary()
    store = ox.Store()
    store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)

    def keys(results):
        return sorted((str(r.focus), str(r.path), str(r.value), r.message, r.suggestion)
                      for r in results)

    from_store = keys(unknown_terms.in_store(store, vocab))
    assert from_store == keys(unknown_terms.in_graph(parse_file(f), vocab))
    assert {v.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for _, _, v, _, _ in from_store} == {
        "Scool", "Organisation", "regoin", "nmae", "Preschol", "memberOf"}


@pytest.mark.parametrize("suffix,text,line", [
    (".ttl", "@prefix ec: <https://w3id.org/educluster/ontology#> .\n\n"
             "<https://example.org/a> a ec:School ;\n    ec:region \"x\" \n"
             "<https://example.org/b> a ec:School .\n", 5),
    (".nt", "<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n"
            "<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> \"b .\n", 2),
    (".rdf", "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
             "22-rdf-syntax-ns#\">\n  <rdf:Description rdf:about=\"https://example.org/a\">\n"
             "  </rdf:Descriptio>\n</rdf:RDF>\n", 4),
])
def test_syntax_error_names_file_and_line(tmp_path, suffix, text, line):
    target = tmp_path / f"bad{suffix}"
    target.write_text(text, encoding="utf-8")
    report = tmp_path / "out" / "report.txt"
    code, out, err = cli("validate", target, "--output", report)
    kind = {".ttl": "Turtle", ".nt": "N-Triples", ".rdf": "RDF/XML"}[suffix]
    assert_one_line_error(code, out, err, f"bad{suffix}:{line}:", f"{kind} syntax error",
                          "fix the file")
    assert not report.parent.exists()


def test_file_without_triples_is_refused(tmp_path):
    target = tmp_path / "prefixes.ttl"
    target.write_text("@prefix ec: <https://w3id.org/educluster/ontology#> .\n# nothing yet\n")
    assert_one_line_error(*cli("validate", target), "prefixes.ttl", "holds no data")


def test_not_utf8_turtle_names_the_line(tmp_path):
    target = tmp_path / "latin.ttl"
    target.write_bytes("<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "
                       "\"a\" .\n<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema"
                       "#label> \"Škola\" .\n".encode("cp1250"))
    assert_one_line_error(*cli("validate", target), "latin.ttl:2:", "UTF-8")


def test_byte_order_mark_is_accepted(tmp_path):
    target = tmp_path / "bom.ttl"
    target.write_bytes(b"\xef\xbb\xbf" + TASHKENT_FORMS["turtle"][0].read_bytes())
    outcome = validate(target)
    assert outcome.code == 0 and outcome.results == [], outcome.render("text")


def test_size_limit_is_larger_for_files_the_store_reads(tmp_path):
    """By default an 11 MB N-Triples file is read (the store handles hundreds of megabytes),
    an 11 MB CSV file is refused, and an explicit --max-size applies to both."""
    big = tmp_path / "big.nt"
    line = b"<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n"
    filler = b"# " + b"x" * 1000 + b"\n"
    big.write_bytes(line + filler * (12 * 1024))
    assert big.stat().st_size > 11 * 1024 * 1024
    code, out, err = cli("validate", big)
    assert code in (0, 1) and "over the limit" not in err, err
    csv = tmp_path / "participants.csv"
    csv.write_bytes(b"id,type,name\n" + b"x" * (11 * 1024 * 1024))
    assert_one_line_error(*cli("validate", csv), "participants.csv", "over the limit of 10 MB")
    assert_one_line_error(*cli("validate", big, "--max-size", "5"), "big.nt",
                          "over the limit of 5 MB")


def test_csv_rows_and_rdf_files_validate_together(tmp_path):
    """A Turtle file may describe memberships of participants from CSV rows: the report keeps
    each CSV row's file and line, and names what the Turtle file got wrong."""
    csv_files = [f for f in TASHKENT_FORMS["csv"]]
    extra = tmp_path / "more.ttl"
    extra.write_text(
        "@prefix ec: <https://w3id.org/educluster/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "<https://example.org/educluster/late-membership> a ec:Membership ;\n"
        "  org:member <https://example.org/educluster/chirchik-state-pedagogical-institute> ;\n"
        "  org:role <https://w3id.org/educluster/id/role/partner> ;\n"
        "  org:organization <https://example.org/educluster/no-such-cluster> .\n"
        "<https://example.org/educluster/chirchik-state-pedagogical-institute> ec:regoin \"x\" .\n",
        encoding="utf-8")
    outcome = validate(*csv_files, extra)
    doc = json.loads(outcome.render("json"))
    assert doc["files"][-1].endswith("more.ttl") and len(doc["files"]) == len(csv_files) + 1
    by_focus = {}
    for r in doc["results"]:
        by_focus.setdefault(r["focus"].rsplit("/", 1)[-1], []).append(r)
    assert set(by_focus) == {"late-membership", "chirchik-state-pedagogical-institute"}, doc
    assert {r["path"] for r in by_focus["late-membership"]} == {"org:organization"}
    [typo] = by_focus["chirchik-state-pedagogical-institute"]
    assert typo["source"].endswith("participants.csv:3"), typo
    assert typo["focusLabel"] == "Chirchik State Pedagogical Institute"
    assert "ec:region" in typo["fix"]
    clean = json.loads(validate(*csv_files).render("json"))
    assert clean["results"] == []


def test_big_n_triples_load_in_pieces_with_progress_and_true_line_numbers(monkeypatch):
    """With a progress bar, N-Triples load piece by piece: the same triples as one load, the
    progress reaches the end, and a syntax error in a later piece names its line in the file."""
    import pyoxigraph as ox

    from educluster.fastvalidate import loading

    monkeypatch.setattr(loading, "CHUNK_BYTES", 1000)
    lines = [f"<https://example.org/n{i}> <http://www.w3.org/2000/01/rdf-schema#label> "
             f"\"n{i}\" .\n" for i in range(200)]
    data = "".join(lines).encode()
    seen = []
    store = ox.Store()
    loading.load_bytes(store, data, ox.RdfFormat.N_TRIPLES, "file:///x", loading.Collapsed(),
                       progress=lambda done, total: seen.append((done, total)))
    whole = ox.Store()
    whole.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    assert set(store) == set(whole) and len(store) == 200
    assert len(seen) > 5 and seen[-1] == (len(data), len(data))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    broken = "".join(lines[:150]) + "<https://example.org/bad> <p> .\n" + "".join(lines[150:])
    with pytest.raises(SyntaxError) as e:
        loading.load_bytes(ox.Store(), broken.encode(), ox.RdfFormat.N_TRIPLES, "file:///x",
                           loading.Collapsed(), progress=lambda done, total: None)
    assert e.value.lineno == 151


def test_engine_refusing_mid_run_falls_back_to_pyshacl(tmp_path, capsys):
    """What broke: the fast engine refuses some inputs only while its queries run (here
    ``"7"^^xsd:int`` and ``7`` are one term in the store, so ``sh:not [ sh:datatype ]`` cannot
    tell them apart), after the store had been checked; that refusal escaped ``validate`` as an
    internal error instead of falling back to pyshacl."""
    import rdflib

    from educluster.convert.vocab import load_vocabulary
    from educluster.kb import parse_file
    from educluster.validate.engine import validate_graph, validate_store
    from educluster.validate.store_input import load_store

    prefixes = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                "@prefix ex: <http://example.org/> .\n"
                "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
    shapes = rdflib.Graph().parse(data=prefixes + """ex:S a sh:NodeShape ; sh:targetClass ex:T ;
        sh:property [ sh:path ex:n ; sh:not [ sh:datatype xsd:integer ] ] .""", format="turtle")
    data = tmp_path / "d.ttl"
    data.write_text(prefixes + 'ex:a a ex:T ; ex:n 7 ; ex:m "7"^^xsd:int .\n', encoding="utf-8")
    vocab = load_vocabulary()
    store, collapsed, _ = load_store([data], vocab=vocab)
    results = validate_store(store, collapsed, vocab, shapes)
    assert "using pyshacl" in capsys.readouterr().err

    def keys(rs):
        return sorted((str(r.focus), r.component, r.severity) for r in rs)

    assert keys(results) == keys(validate_graph(parse_file(data), vocab, shapes, "pyshacl"))
    assert [k[1].rsplit("#", 1)[-1] for k in keys(results)] == ["NotConstraintComponent"]
