"""`educluster check`: the knowledge base is clean, and each rule fires, alone, on a fixture that breaks it.

Fixtures are one clean miniature knowledge base (tests/data/check/clean.ttl) and one mutation
of it per rule, run with --kb-dir so the real ontology, sources and QC queries are used."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLEAN = (ROOT / "tests/data/check/clean.ttl").read_text(encoding="utf-8")
SEEDS = ROOT.parent / "shared" / "seeds"
P = "<https://w3id.org/educluster/id/principle/t-individualization>"
ONT = "<https://w3id.org/educluster/ontology>"
TERM = 'rdfs:label "{label}"@en ; skos:definition "A test term."@en ; rdfs:isDefinedBy ' + ONT + " ."

# rule -> (how the clean fixture is broken, needs the reasoner)
MUTATIONS = {
    "parse": (lambda s: s + "\nthis is not turtle .\n", False),
    "label-count": (lambda s: s.replace('rdfs:label "test individualization of education"@en ;', ""), False),
    "label-language": (lambda s: s + f'\n{P} rdfs:label "тест"@ru , "тест два"@ru .\n', False),
    "label-whitespace": (lambda s: s.replace('rdfs:label "test individualization of education"@en',
                                             'rdfs:label "test individualization of education "@en'), False),
    "label-shared": (lambda s: s + s[s.index(P):s.index("<https://w3id.org/educluster/id/definition")]
                     .replace("t-individualization", "t-individualization-copy"), False),
    "term-definition": (lambda s: s + '\n<https://w3id.org/educluster/ontology#TestClass> a owl:Class ; rdfs:label "test class"@en ; rdfs:isDefinedBy ' + ONT + " .\n", False),
    "defined-by": (lambda s: s + '\n<https://w3id.org/educluster/ontology#TestClass> a owl:Class ; rdfs:label "test class"@en ; skos:definition "A test class."@en .\n', False),
    "concept-definition": (lambda s: s.replace('skos:definition "Education is adapted to the individual learner."@en ;', ""), False),
    "subclass-cycle": (lambda s: s + "\n<https://w3id.org/educluster/ontology#TA> a owl:Class ; rdfs:subClassOf <https://w3id.org/educluster/ontology#TB> ; " + TERM.format(label="test a")
                       + "\n<https://w3id.org/educluster/ontology#TB> a owl:Class ; rdfs:subClassOf <https://w3id.org/educluster/ontology#TA> ; " + TERM.format(label="test b") + "\n", False),
    # six rdfs:subClassOf steps: TB, TA, then PedagogicalUniversity's four up to org:Organization
    "subclass-depth": (lambda s: s + "\n<https://w3id.org/educluster/ontology#TA> a owl:Class ; rdfs:subClassOf <https://w3id.org/educluster/ontology#PedagogicalUniversity> ; " + TERM.format(label="test a")
                       + "\n<https://w3id.org/educluster/ontology#TB> a owl:Class ; rdfs:subClassOf <https://w3id.org/educluster/ontology#TA> ; " + TERM.format(label="test b") + "\n", False),
    "broader-cycle": (lambda s: s + f"\n{P} skos:broader {P} .\n", False),
    "source-missing": (lambda s: s.replace("ec:listPosition 1 ;\n    dcterms:source <https://w3id.org/educluster/id/paper/mirzayev> ;",
                                           "ec:listPosition 1 ;\n    dcterms:source <https://w3id.org/educluster/id/work/porter-2004> ;"), False),
    "quote-missing": (lambda s: s.replace('ec:quote "individualization of education" .', "."
                                          ).replace("dcterms:source <https://w3id.org/educluster/id/paper/mirzayev> ;\n    .", "dcterms:source <https://w3id.org/educluster/id/paper/mirzayev> ."), False),
    "quote-verbatim": (lambda s: s.replace('ec:quote "individualization of education"', 'ec:quote "individualisation of education"'), False),
    "locator": (lambda s: s.replace('ec:locator "section \\"Introduction\\"" ;\n    ec:listPosition 1',
                                    'ec:locator "section \\"Conclusion\\"" ;\n    ec:listPosition 1'), False),
    "source-not-printed": (lambda s: s + f"\n{P} <http://purl.org/dc/terms/source> <https://w3id.org/educluster/id/work/porter-2004> .\n", False),
    "inferred-citation-reason": (lambda s: s + f"\n{P} <https://w3id.org/educluster/ontology#inferredSource> <https://w3id.org/educluster/id/work/porter-2004> .\n", False),
    "deprecated-reference": (lambda s: s + "\n<https://w3id.org/educluster/id/principle/t-old> owl:deprecated true ; "
                             'rdfs:label "test old (deprecated)"@en ; <http://purl.org/dc/terms/isReplacedBy> ' + P + " .\n"
                             + f"{P} skos:related <https://w3id.org/educluster/id/principle/t-old> .\n", False),
    "dangling-reference": (lambda s: s + f"\n{P} skos:related <https://w3id.org/educluster/id/principle/t-nowhere> .\n", False),
    "undeclared-term": (lambda s: s + f'\n{P} <https://w3id.org/educluster/ontology#madeUp> "x" .\n', False),
    "external-term": (lambda s: s + f'\nskos:madeUpNote a owl:AnnotationProperty .\n{P} skos:madeUpNote "x" .\n', False),
    "meta-shape": (lambda s: s.replace("prov:wasAttributedTo <https://w3id.org/educluster/id/person/mirzayev> ;", ""), False),
    # the SKOS export (issue 13 section 4): a list item no longer a top concept is out of
    # Skosmos's tree, and its scheme shows empty (one fault, two views: SAME_FAULT below)
    "skos-orphan-concept": (lambda s: s.replace(
        "skos:topConceptOf <https://w3id.org/educluster/id/scheme/t-principles> ;", ""), False),
    "consistency": (lambda s: s + f"\n{P} a owl:Nothing .\n", True),
    "unsatisfiable-class": (lambda s: s + "\n<https://w3id.org/educluster/ontology#TBad> a owl:Class ; rdfs:subClassOf owl:Nothing ; " + TERM.format(label="test bad") + "\n", True),
}

# rules a mutation fires together with its own because they see one fault from two sides
SAME_FAULT = {"skos-orphan-concept": {"skos-empty-scheme"}}

PREFIXES = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"


def no_releases(kb_dir: Path) -> list[str]:
    """``--releases`` an empty folder for a fixture knowledge base: a small fixture standing in
    for ontology/kb/ lacks the repository's released items, which is not the fault under test
    (the released-terms rule has its own tests in test_release.py)."""
    if kb_dir.resolve() == (ROOT / "ontology" / "kb").resolve():
        return []
    empty = kb_dir.parent / "no-releases"
    empty.mkdir(exist_ok=True)
    return ["--releases", str(empty)]


def check(kb_dir: Path, *extra: str) -> tuple[int, dict, str]:
    """Run the real `educluster check` on a knowledge-base folder; return (exit code, JSON report, stderr)."""
    env = dict(os.environ, EDUCLUSTER_SEEDS=str(SEEDS))
    proc = subprocess.run(
        [sys.executable, "-m", "educluster", "check", "--kb-dir", str(kb_dir), "--format", "json",
         *no_releases(kb_dir), *extra],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )
    report = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {}
    return proc.returncode, report, proc.stderr


def _stubs() -> str:
    """Labels for the knowledge-base IRIs that ontology/*.ttl itself points at (e.g. roles linked to
    KB elements), so that a fixture KB standing in for ontology/kb/ leaves no dangling reference."""
    import rdflib

    ontology = rdflib.Graph()
    for file in (ROOT / "ontology").glob("*.ttl"):
        ontology.parse(file)
    wanted = {o for o in ontology.objects() if isinstance(o, rdflib.URIRef)
              and str(o).startswith("https://w3id.org/educluster/id/")
              and (o, rdflib.RDFS.label, None) not in ontology}
    return "".join(f'<{iri}> rdfs:label "stub {n}"@en .\n' for n, iri in enumerate(sorted(wanted)))


STUBS = _stubs()


def write_kb(tmp_path: Path, text: str) -> Path:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "items.ttl").write_text(PREFIXES + text, encoding="utf-8")
    (kb / "stubs.ttl").write_text("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + STUBS, encoding="utf-8")
    return kb


@pytest.fixture(scope="module", autouse=True)
def _seeds_present():
    if not SEEDS.is_dir():
        pytest.fail(f"the source papers are needed for quote verification: {SEEDS} is missing")


def test_real_knowledge_base_is_clean():
    """The shipped ontology and knowledge base pass every check, HermiT included."""
    code, report, stderr = check(ROOT / "ontology" / "kb")
    assert code == 0, json.dumps(report.get("findings", [])[:20], indent=1) + stderr
    assert {"parse", "qc-queries", "quotes", "external-terms", "meta-shapes", "hermit"} <= set(report["checks"])


def test_clean_fixture_passes(tmp_path):
    code, report, stderr = check(write_kb(tmp_path, CLEAN))
    assert code == 0, (report, stderr)


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_each_rule_fires_alone(tmp_path, rule):
    mutate, reasoner = MUTATIONS[rule]
    broken = mutate(CLEAN)
    assert broken != CLEAN, "the mutation must change the fixture"
    code, report, stderr = check(write_kb(tmp_path, broken), *([] if reasoner else ["--no-reasoner"]))
    assert code == 1, (rule, report, stderr)
    rules = {f["rule"] for f in report["findings"]}
    assert rules == {rule} | SAME_FAULT.get(rule, set()), report["findings"]
    assert all(f["focus"] and f["message"] for f in report["findings"])
    # every finding sends the editor to the file and line of the offending item (issue 10)
    assert all(f["file"] and f["line"] for f in report["findings"]), report["findings"]


def test_every_qc_query_is_wired_and_tested():
    """Every ontology/qc/*-violation.rq runs in check, and has a fixture here that makes it fire."""
    names = {p.name[: -len("-violation.rq")] for p in (ROOT / "ontology/qc").glob("*-violation.rq")}
    assert names, "no QC queries found"
    assert names <= set(MUTATIONS), f"QC queries without a fixture: {sorted(names - set(MUTATIONS))}"


def test_every_skos_qc_query_is_wired_and_runs_in_check():
    """Every ontology/qc/skos/*-violation.rq runs in `check` (rule skos-NAME) on the export `build`
    writes, so a list that Skosmos could not show stops the build; one fires in MUTATIONS."""
    names = {"skos-" + p.name[: -len("-violation.rq")] for p in (ROOT / "ontology/qc/skos").glob("*-violation.rq")}
    assert len(names) >= 9
    assert names & set(MUTATIONS)
    code, report, stderr = check(write_kb(Path(__import__("tempfile").mkdtemp()), CLEAN), "--no-reasoner")
    assert code == 0 and "skos-qc" in report["checks"], (report, stderr)
    assert report["examined"]["skos-concepts"] >= 2


def test_text_report_names_rule_term_and_reason(tmp_path):
    kb = write_kb(tmp_path, MUTATIONS["quote-verbatim"][0](CLEAN))
    env = dict(os.environ, EDUCLUSTER_SEEDS=str(SEEDS))
    proc = subprocess.run([sys.executable, "-m", "educluster", "check", "--kb-dir", str(kb), "--no-reasoner",
                           *no_releases(kb)],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 1
    assert "quote-verbatim: 1 finding\n" in proc.stdout
    assert "principle/t-individualization" in proc.stdout
    assert "does not occur verbatim" in proc.stdout


def test_missing_java_is_exit_2_with_install_hint(tmp_path):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent), EDUCLUSTER_SEEDS=str(SEEDS))
    proc = subprocess.run([sys.executable, "-m", "educluster", "check"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "java" in lines[0].lower() and "apt-get install" in lines[0]


ATTRIBUTED = "prov:wasAttributedTo <https://w3id.org/educluster/id/person/mirzayev> ;"


@pytest.mark.parametrize("edit, clean", [
    # a definition may define any concept of the field, not only the four cluster concepts (issue 10)
    (lambda s: s.replace("ec:defines ec:EducationalCluster ;", "ec:defines ec:ContinuousEducation ;"), True),
    # ... but not a class of the knowledge-base vocabulary
    (lambda s: s.replace("ec:defines ec:EducationalCluster ;", "ec:defines ec:Principle ;"), False),
    # a definition the paper reports from nobody carries the paper's words instead of a scholar
    # (words 000 prints just before the fixture's quote: check's attribution rule looks for them there)
    (lambda s: s.replace(ATTRIBUTED, 'ec:printedAttribution "we can propose the following interpretation" ;'), True),
], ids=["defines-new-concept", "defines-vocabulary-class", "printed-attribution"])
def test_what_a_definition_may_define_and_whom_it_names(tmp_path, edit, clean):
    """The meta-shapes accept any concept class and an unnamed printed attribution, and refuse
    to let a definition define a knowledge-base item class."""
    broken = edit(CLEAN)
    assert broken != CLEAN
    code, report, stderr = check(write_kb(tmp_path, broken), "--no-reasoner")
    if clean:
        assert code == 0, (report, stderr)
    else:
        assert code == 1 and {f["rule"] for f in report["findings"]} == {"meta-shape"}, report
        assert any("ec:defines" in f["message"] or "concept" in f["message"] for f in report["findings"])
