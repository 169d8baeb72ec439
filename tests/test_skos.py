"""The SKOS export `educluster build` writes (educluster-skos.ttl) for Skosmos and other
vocabulary tools: what it holds, that it invents no mapping, and the qSKOS-style QC queries in
ontology/qc/skos/ (clean on the real export; each one catches its own fault in a small fixture)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REPO, run_educluster

SKOS = "http://www.w3.org/2004/02/skos/core#"
QC = REPO / "ontology" / "qc" / "skos"
PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(the export as a store, the merged KB as a store), from one real build."""
    out = tmp_path_factory.mktemp("dist")
    code, _, err = run_educluster("build", "--out", out)
    assert code == 0, err
    export, kb = ox.Store(), ox.Store()
    export.load(path=str(out / "educluster-skos.ttl"), format=ox.RdfFormat.TURTLE)
    kb.load(path=str(out / "educluster.nt"), format=ox.RdfFormat.N_TRIPLES)
    assert (out / "educluster-skos.ttl").read_text(encoding="utf-8").startswith("# generated from")
    return export, kb


def rows(store, name: str) -> list:
    return list(store.query((QC / name).read_text(encoding="utf-8")))


def ask(store, query: str) -> bool:
    return store.query(f"PREFIX skos: <{SKOS}> ASK {{ {query} }}")


def pairs(store, prop: str) -> set:
    return {(r["a"].value, r["b"].value)
            for r in store.query(f"PREFIX skos: <{SKOS}> SELECT ?a ?b WHERE {{ ?a skos:{prop} ?b }}")}


def test_every_qc_query_is_clean_on_the_real_export(built):
    export, _ = built
    queries = sorted(QC.glob("*-violation.rq"))
    assert len(queries) >= 4
    for q in queries:
        assert rows(export, q.name) == [], q.name


def test_export_has_what_skosmos_reads(built):
    """Schemes with labels and top concepts; concepts typed, in a scheme, labelled, defined."""
    export, kb = built
    schemes = len(list(kb.query(f"PREFIX skos: <{SKOS}> SELECT ?s WHERE {{ ?s a skos:ConceptScheme }}")))
    assert schemes > 50
    assert len(list(export.query(f"PREFIX skos: <{SKOS}> SELECT DISTINCT ?s WHERE {{ ?s a "
                                 "skos:ConceptScheme ; skos:prefLabel ?l ; skos:hasTopConcept ?t }"))) == schemes
    assert not ask(export, "?c a skos:Concept FILTER NOT EXISTS { ?c skos:inScheme ?s ; "
                           "skos:prefLabel ?l ; skos:definition ?d }")
    assert pairs(export, "topConceptOf") == {(b, a) for a, b in pairs(export, "hasTopConcept")}
    assert pairs(export, "narrower") == {(b, a) for a, b in pairs(export, "broader")}
    assert pairs(export, "broader") and pairs(export, "closeMatch")


@pytest.mark.parametrize("prop", ["closeMatch", "relatedMatch", "broader"])
def test_no_relation_is_invented(built, prop):
    """Each link in the export is one the KB states (or its SKOS inverse), between two concepts."""
    export, kb = built
    stated = pairs(kb, prop)
    concepts = {r["c"].value for r in export.query(
        f"PREFIX skos: <{SKOS}> SELECT ?c WHERE {{ ?c a skos:Concept }}")}
    exported = pairs(export, prop)
    if prop == "broader":
        expected = stated | {(b, a) for a, b in pairs(kb, "narrower")}
    else:
        expected = stated | {(b, a) for a, b in stated}  # symmetric in SKOS
    assert exported == {(a, b) for a, b in expected if a in concepts and b in concepts}


# One fixture per rule: (query, Turtle that breaks exactly that rule, the focus it must report).
GOOD = """ex:s a skos:ConceptScheme ; skos:prefLabel "scheme"@en ; skos:hasTopConcept ex:a .
ex:t a skos:ConceptScheme ; skos:prefLabel "other"@en ; skos:hasTopConcept ex:x .
ex:a a skos:Concept ; skos:inScheme ex:s ; skos:topConceptOf ex:s ; skos:prefLabel "a"@en ;
     skos:definition "A."@en ; skos:narrower ex:b ; skos:closeMatch ex:x .
ex:b a skos:Concept ; skos:inScheme ex:s ; skos:broader ex:a ; skos:prefLabel "b"@en ;
     skos:definition "B."@en .
ex:x a skos:Concept ; skos:inScheme ex:t ; skos:topConceptOf ex:t ; skos:prefLabel "x"@en ;
     skos:definition "X."@en ; skos:closeMatch ex:a .
"""
BAD = [
    ("orphan-concept-violation.rq",
     'ex:o a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "o"@en ; skos:definition "O."@en .',
     "o"),
    ("orphan-concept-violation.rq",
     'ex:o a skos:Concept ; skos:prefLabel "o"@en ; skos:definition "O."@en .', "o"),
    ("missing-label-violation.rq",
     'ex:b2 a skos:Concept ; skos:inScheme ex:s ; skos:broader ex:a ; skos:prefLabel "b2"@ru ; '
     'skos:definition "B2."@en .', "b2"),
    ("inconsistent-preflabel-violation.rq", 'ex:b skos:prefLabel "bee"@en .', "b"),
    ("broader-cycle-violation.rq", "ex:a skos:broader ex:b .", "a"),
    ("overlapping-labels-violation.rq",
     'ex:b2 a skos:Concept ; skos:inScheme ex:s ; skos:broader ex:a ; skos:prefLabel "B"@en ; '
     'skos:definition "B2."@en .', "b2"),
    ("top-concept-broader-violation.rq",
     'ex:a2 a skos:Concept ; skos:inScheme ex:s ; skos:topConceptOf ex:s ; skos:broader ex:a ; '
     'skos:prefLabel "a2"@en ; skos:definition "A2."@en .', "a2"),
    ("undocumented-concept-violation.rq",
     'ex:b2 a skos:Concept ; skos:inScheme ex:s ; skos:broader ex:a ; skos:prefLabel "b2"@en .', "b2"),
    ("empty-scheme-violation.rq", 'ex:e a skos:ConceptScheme ; skos:prefLabel "empty"@en .', "e"),
    ("mapping-within-scheme-violation.rq", "ex:b skos:relatedMatch ex:a .", "b"),
]


def _store(ttl: str):
    s = ox.Store()
    s.load(PREFIXES + ttl, format=ox.RdfFormat.TURTLE)
    return s


def test_qc_fixtures_cover_every_query():
    assert {q.name for q in QC.glob("*-violation.rq")} == {name for name, _, _ in BAD}


@pytest.mark.parametrize("name", sorted({name for name, _, _ in BAD}))
def test_qc_query_passes_the_valid_fixture(name):
    assert rows(_store(GOOD), name) == []


@pytest.mark.parametrize("name,extra,focus", BAD)
def test_qc_query_reports_its_fault(name, extra, focus):
    found = {r["focus"].value for r in rows(_store(GOOD + extra), name)}
    assert "https://example.org/" + focus in found, found
    for other, _, _ in BAD:  # the fault is this rule's alone (the cycle also breaks orphans)
        if other != name and not (name == "broader-cycle-violation.rq"
                                  and other == "top-concept-broader-violation.rq"):
            assert rows(_store(GOOD + extra), other) == [] or other == name, (name, other)
