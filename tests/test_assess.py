"""``educluster assess``: evidence profiles of clusters, read against the papers (issue 17 §1).

The Tashkent data (examples/tashkent) is checked criterion by criterion against paper 002's
text; generated national data (benchmarks/generate.py) against the structure the generator
is known to write, recomputed here from the triples with rdflib (not with the criteria's SPARQL).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_educluster

TASHKENT = REPO / "examples" / "tashkent"
ID = "https://w3id.org/educluster/id/"
EC = "https://w3id.org/educluster/ontology#"
SHOWN, NOT_SHOWN, NA = "shown", "not shown in the data", "not applicable"


def _assess(*files, fmt="json"):
    code, out, err = run_educluster("assess", *files, "--format", fmt)
    assert code == 0, err
    return json.loads(out) if fmt == "json" else out


def _outcomes(cluster: dict, crit_id: str) -> dict:
    crit = next(c for c in cluster["criteria"] if c["id"] == crit_id)
    return {it["item"] or it["label"]: it["outcome"] for it in crit["items"]}


@pytest.fixture(scope="module")
def tashkent() -> dict:
    doc = _assess(TASHKENT / "tashkent.ttl")
    assert len(doc["clusters"]) == 1
    return doc["clusters"][0]


def test_every_criterion_names_real_kb_items_with_quotes():
    """Each criterion's header names knowledge-base items that exist and carry the paper's words."""
    from educluster.assess.criteria import criteria
    from educluster.assess.data import open_dataset
    from educluster.assess.criteria import Labels

    crits = criteria()
    assert len(crits) >= 8
    with open_dataset([TASHKENT / "tashkent.ttl"]) as ds:
        labels = Labels(ds)
        for crit in crits:
            for iri in crit.kb:
                info = labels.info(iri)
                assert info["quotes"], f"{crit.id}: {iri} has no ec:quote in the KB"
                assert info["paper"], f"{crit.id}: {iri} has no source paper"
            assert "FILTER NOT EXISTS" not in crit.text()


def test_tashkent_composition(tashkent):
    # 002: "the nature of the cluster of teacher education is determined by the presence of a
    # teacher training university"; the cluster "includes ... Chirchik State Pedagogical
    # Institute" -> shown, the institute is the evidence.
    crit = next(c for c in tashkent["criteria"] if c["id"] == "composition-teacher-training-university")
    (item,) = crit["items"]
    assert item["outcome"] == SHOWN
    assert [e["label"] for e in item["evidence"]] == ["Chirchik State Pedagogical Institute"]
    assert item["quotes"] == ["In fact, the nature of the cluster of teacher education is "
                              "determined by the presence of a teacher training university."]
    # 003's multilevel list read against 002's objects: "21 comprehensive schools" (secondary
    # schools), "1 academic lyceum" (secondary special), the institute (higher education) are
    # there; 002 lists no enterprise among the objects, so "employer" is not shown.
    got = _outcomes(tashkent, "composition-multilevel-participants")
    assert got == {ID + "participant-kind/employer": NOT_SHOWN,
                   ID + "participant-kind/secondary-schools": SHOWN,
                   ID + "participant-kind/secondary-special-and-vocational-education-institutions": SHOWN,
                   ID + "participant-kind/higher-education": SHOWN}


def test_tashkent_continuity(tashkent):
    # 002's objects: "5 preschool educational institutions", "21 comprehensive schools",
    # "1 academic lyceum", the institute; no college among them.
    assert _outcomes(tashkent, "continuity-levels-covered") == {
        EC + "Preschool": SHOWN, EC + "School": SHOWN, EC + "AcademicLyceum": SHOWN,
        EC + "College": NOT_SHOWN, EC + "HigherEducationInstitution": SHOWN}
    # The schools, preschools and lyceum are only counted (002 names none of them), so no link
    # between consecutive levels can be recorded: every step is not applicable, not "not shown".
    assert set(_outcomes(tashkent, "continuity-succession-links").values()) == {NA}


def test_tashkent_relations_directions_models(tashkent):
    # 002 classifies relations (vertically oriented, horizontally oriented, mixed; within the
    # network, interbranch) in general but records no link between the Tashkent cluster's
    # objects: nothing shown, all five applicable (they concern any educational cluster).
    rel = _outcomes(tashkent, "relation-types-present")
    assert len(rel) == 5 and set(rel.values()) == {NOT_SHOWN}
    # The five directions are 003's; 002 gives the Tashkent cluster no direction and its
    # activities (School of Young Teachers) none: not shown, applicable (a pedagogical cluster).
    d = _outcomes(tashkent, "directions-with-activities")
    assert len(d) == 5 and set(d.values()) == {NOT_SHOWN}
    # 002: the cluster "implements the following interaction models" (four), but its activities
    # (master classes, open lessons, ...) are given no activity type of a model: not shown.
    m = _outcomes(tashkent, "interaction-models-with-activities")
    assert len(m) == 4 and set(m.values()) == {NOT_SHOWN}
    # 002 gives no date for any member, link or activity: the dynamics are not shown.
    dyn = next(c for c in tashkent["criteria"] if c["id"] == "dynamics-by-year")
    assert dyn["outcome"] == NOT_SHOWN and dyn["series"] == []


def test_same_profile_from_turtle_json_and_csv():
    """The three forms of the Tashkent data give one profile (CSV/JSON through the converter)."""
    ttl = _assess(TASHKENT / "tashkent.ttl", fmt="text")
    assert _assess(TASHKENT / "tashkent.json", fmt="text") == ttl
    assert _assess(*sorted((TASHKENT / "csv").glob("*.csv")), fmt="text") == ttl


def test_names_in_several_languages_give_the_english_profile(tmp_path):
    """Data officers may name a cluster and its members in Uzbek and Russian too: the English
    profile keeps the English (or untagged) name. Broke before: the first name the store
    returned was shown, so the profile changed with the row order and could show Russian."""
    extra = """
<https://example.org/educluster/tashkent-cluster> <http://www.w3.org/2000/01/rdf-schema#label>
    "A test name in Russian"@ru , "A test name in Uzbek"@uz , "Another in Uzbek Cyrillic"@uz-Cyrl .
<https://example.org/educluster/chirchik-state-pedagogical-institute> <http://www.w3.org/2000/01/rdf-schema#label>
    "A member name in Russian"@ru , "A member name in Uzbek"@uz .
"""
    data = (TASHKENT / "tashkent.ttl").read_text(encoding="utf-8")
    f = tmp_path / "named.ttl"
    f.write_text(data + extra, encoding="utf-8")
    before = _assess(TASHKENT / "tashkent.ttl", fmt="text")
    after = _assess(f, fmt="text")
    assert after.replace(str(f), "X") == before.replace(str(TASHKENT / "tashkent.ttl"), "X")
    assert "Russian" not in after and "Uzbek" not in after


def test_html_is_self_contained_and_escaped(tmp_path):
    data = (TASHKENT / "tashkent.ttl").read_text(encoding="utf-8").replace(
        '"Innovative cluster of teacher education in the Tashkent region"',
        '"<script>alert(1)</script> cluster"')
    f = tmp_path / "evil.ttl"
    f.write_text(data, encoding="utf-8")
    out = tmp_path / "profile.html"
    code, _, err = run_educluster("assess", f, "--format", "html", "-o", out)
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; cluster" in page
    assert " src=" not in page and "<link" not in page
    assert '<th scope="col">Outcome</th>' in page and 'lang="en"' in page


@pytest.mark.parametrize("make,expect", [
    (lambda d: d / "missing.ttl", "not found"),
    (lambda d: (d / "bad.ttl").write_text("<a> <b> .", encoding="utf-8") and d / "bad.ttl", "bad.ttl"),
])
def test_bad_input_is_one_line_exit_2(tmp_path, make, expect):
    code, out, err = run_educluster("assess", make(tmp_path))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err and expect in err


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> tuple[Path, dict]:
    d = tmp_path_factory.mktemp("national")
    nt = d / "uz-20k.nt"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", "20000",
                    "--seed", "3", "-o", str(nt)], check=True, capture_output=True, timeout=120)
    return nt, _assess(nt)


def test_generated_national_profiles_match_the_generator(national):
    """Profiles of generated data against the generator's structure, recomputed with rdflib."""
    import rdflib
    from rdflib.namespace import RDF

    nt, doc = national
    g = rdflib.Graph()
    g.parse(nt, format="nt")
    E = rdflib.Namespace(EC)
    ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
    clusters = set(g.subjects(RDF.type, E.EducationalCluster)) | set(
        g.subjects(RDF.type, E.PedagogicalEducationCluster))
    assert len(doc["clusters"]) == len(clusters) >= 5
    for c in doc["clusters"]:
        iri = rdflib.URIRef(c["iri"])
        pedagogical = (iri, RDF.type, E.PedagogicalEducationCluster) in g
        assert c["pedagogical"] == pedagogical
        # the generator gives every pedagogical cluster a pedagogical university as its core
        ttu = _outcomes(c, "composition-teacher-training-university")
        assert list(ttu.values()) == [SHOWN if pedagogical else NA]
        # every cluster has a higher-education core
        assert _outcomes(c, "continuity-levels-covered")[EC + "HigherEducationInstitution"] == SHOWN
        # relation types shown = the types its links record
        links = set(g.subjects(E.withinCluster, iri)) & set(g.subjects(RDF.type, E.CooperationLink))
        types = {str(t) for l in links for t in
                 list(g.objects(l, E.relationType)) + list(g.objects(l, E.concentrationLevel))}
        rel = _outcomes(c, "relation-types-present")
        assert {k for k, v in rel.items() if v == SHOWN} == types
        # directions shown = directions of its activities (pedagogical clusters only)
        acts = set(g.subjects(E.withinCluster, iri)) - links
        dirs = {str(x) for a in acts for x in g.objects(a, E.direction)}
        got = _outcomes(c, "directions-with-activities")
        if pedagogical:
            assert {k for k, v in got.items() if v == SHOWN} == dirs
        else:
            assert set(got.values()) == {NA}
        # dynamics: memberships dated by the generator, counted per year
        dyn = next(x for x in c["criteria"] if x["id"] == "dynamics-by-year")
        starts = [str(d)[:4] for m in g.subjects(ORG.organization, iri)
                  for d in g.objects(m, rdflib.URIRef("https://schema.org/startDate"))]
        members = {}
        for r in dyn["series"]:
            if r["series"] == "members":
                members[str(r["year"])] = members.get(str(r["year"]), 0) + r["n"]
        assert members == {y: starts.count(y) for y in set(starts)}
        # activities per year: the generator dates only events, each part of an activity of
        # the cluster (itself perhaps part of a project); one count per event
        events = [str(d)[:4] for ev in g.subjects(RDF.type, E.ClusterEvent)
                  for a in g.objects(ev, E.partOf) if (a, E.withinCluster, iri) in g
                  for d in g.objects(ev, rdflib.URIRef("https://schema.org/startDate"))]
        acts = {}
        for r in dyn["series"]:
            if r["series"] == "activities":
                acts[str(r["year"])] = acts.get(str(r["year"]), 0) + r["n"]
        assert acts == {y: events.count(y) for y in set(events)}
        assert dyn["outcome"] == (SHOWN if dyn["series"] else NOT_SHOWN)
