"""``educluster build``: four isomorphic serialisations of the merged KB plus the JSON-LD context."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS
from rdflib.compare import isomorphic

from conftest import require_tool, run_educluster

EC = "https://w3id.org/educluster/ontology#"
HEADER = "# generated from ontology/*.ttl by educluster build — do not edit\n"
FORMATS = {"educluster.ttl": "turtle", "educluster.nt": "nt", "educluster.rdf": "xml",
           "educluster.jsonld": "json-ld"}
RAPPER = {"educluster.ttl": "turtle", "educluster.nt": "ntriples", "educluster.rdf": "rdfxml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the real ontology + KB once into a temporary folder; (out dir, triple count)."""
    out = tmp_path_factory.mktemp("dist")
    code, stdout, stderr = run_educluster("build", "--out", out)
    assert code == 0, stderr
    m = re.fullmatch(r"wrote (\d+) triples to (.+)/ \(4 formats \+ context\)\n", stdout)
    assert m, stdout
    return out, int(m.group(1))


@pytest.fixture(scope="module")
def graphs(built):
    out, _ = built
    return {name: rdflib.Graph().parse(out / name, format=fmt) for name, fmt in FORMATS.items()}


def test_build_writes_every_file(built):
    out, count = built
    assert count > 0
    names = sorted(p.name for p in out.iterdir())
    # no temporary files left over; ontology/ and id/ hold the per-term files (test_conneg.py)
    assert names == sorted([*FORMATS, "context.jsonld", ".htaccess", "ontology", "id",
                            "educluster-skos.ttl"])


def test_four_serialisations_parse_and_are_isomorphic(built, graphs):
    _, count = built
    reference = graphs["educluster.ttl"]
    assert len(reference) == count
    for name, g in graphs.items():
        assert len(g) == count, name
        assert isomorphic(g, reference), f"{name} differs from educluster.ttl"


def test_headers_on_formats_with_comments(built):
    out, _ = built
    for name in ("educluster.ttl", "educluster.nt"):
        assert (out / name).read_text(encoding="utf-8").startswith(HEADER), name
    assert "do not edit" not in (out / "educluster.jsonld").read_text(encoding="utf-8")[:200]


def test_ntriples_sorted(built):
    out, _ = built
    lines = [l for l in (out / "educluster.nt").read_text(encoding="utf-8").splitlines()
             if l and not l.startswith("#")]
    assert lines == sorted(lines)


@pytest.mark.parametrize("name", sorted(RAPPER))
def test_rapper_parses_with_same_triple_count(built, name):
    rapper = require_tool("rapper")
    out, count = built
    proc = subprocess.run([rapper, "-i", RAPPER[name], "-c", str(out / name)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"Parsing returned (\d+) triples", proc.stderr)
    assert m, proc.stderr
    assert int(m.group(1)) == count


def test_jsonld_passes_oxigraphs_strict_parser(built):
    oxigraph = Path(sys.executable).parent / "oxigraph"
    if not oxigraph.exists():
        pytest.skip("oxigraph binary not in the venv")
    out, count = built
    proc = subprocess.run([str(oxigraph), "convert", "--from-file", str(out / "educluster.jsonld"),
                           "--to-format", "nt"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert len([l for l in proc.stdout.splitlines() if l.strip()]) == count


def test_context_maps_every_ec_term(built, graphs):
    out, _ = built
    doc = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))
    ctx = doc["@context"]
    g = graphs["educluster.ttl"]
    assert ctx["ec"] == EC
    assert ctx["id"] == "https://w3id.org/educluster/id/"
    assert ctx["schema"] == "https://schema.org/"
    for prefix in ("org", "skos", "dcterms", "prov", "bibo", "foaf", "vann", "owl", "rdfs", "xsd"):
        assert prefix in ctx
    assert ctx["Principle"] == EC + "Principle"
    assert ctx["Cluster"] == EC + "Cluster"
    declared = {str(s)[len(EC):] for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                                           OWL.AnnotationProperty, RDFS.Class, RDF.Property)
                for s in g.subjects(RDF.type, t) if str(s).startswith(EC)}
    assert declared and declared <= set(ctx)
    for s in g.subjects(RDF.type, OWL.ObjectProperty):
        if str(s).startswith(EC):
            assert ctx[str(s)[len(EC):]] == {"@id": str(s), "@type": "@id"}
    for s in g.subjects(RDF.type, OWL.DatatypeProperty):
        ranges = [str(r) for r in g.objects(s, RDFS.range)
                  if str(r).startswith(str(rdflib.XSD))]
        if str(s).startswith(EC) and len(ranges) == 1:
            assert ctx[str(s)[len(EC):]]["@type"] == "xsd:" + ranges[0][len(str(rdflib.XSD)):]


def test_context_expands_institutional_json(built):
    """The generated context turns plain JSON into the intended triples."""
    out, _ = built
    ctx = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    data = {"@context": ctx, "@id": "id:principle/example", "@type": "Principle",
            "listPosition": 3, "namesCharacteristic": "id:characteristic/interconnection"}
    g = rdflib.Graph().parse(data=json.dumps(data), format="json-ld")
    s = rdflib.URIRef("https://w3id.org/educluster/id/principle/example")
    assert (s, RDF.type, rdflib.URIRef(EC + "Principle")) in g
    assert (s, rdflib.URIRef(EC + "namesCharacteristic"),
            rdflib.URIRef("https://w3id.org/educluster/id/characteristic/interconnection")) in g
    [pos] = list(g.objects(s, rdflib.URIRef(EC + "listPosition")))
    assert pos.datatype == rdflib.XSD.positiveInteger and int(pos) == 3


FIXTURE_TBOX = """\
@prefix ec:   <https://w3id.org/educluster/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/educluster/ontology> a owl:Ontology .
ec:Principle a owl:Class ; rdfs:label "principle"@en ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ec:hasPrerequisite ;
                      owl:allValuesFrom ec:Prerequisite ] .
ec:Prerequisite a owl:Class ; rdfs:label "prerequisite"@en .
ec:hasPrerequisite a owl:ObjectProperty ; rdfs:range ec:Prerequisite .
ec:listPosition a owl:DatatypeProperty ; rdfs:range xsd:positiveInteger .
ec:defines a owl:AnnotationProperty .
"""

FIXTURE_KB = """\
@prefix ec: <https://w3id.org/educluster/ontology#> .
@prefix id: <https://w3id.org/educluster/id/> .
<https://w3id.org/educluster/id/principle/a> a ec:Principle ; ec:listPosition 1 ;
    ec:hasPrerequisite [ a ec:Prerequisite ; ec:listPosition 2 ] ;
    <http://www.w3.org/2000/01/rdf-schema#label> "a \\"quoted\\" label"@en , "ünïcode"@uz ,
        "Ўзбекистон"@uz-Cyrl ;
    <http://purl.org/ontology/bibo/authorList> ( <https://w3id.org/educluster/id/person/b> <https://w3id.org/educluster/id/person/a> ) .
<https://w3id.org/educluster/id/definition/d> ec:defines ec:Principle .
"""


@pytest.fixture
def fixture_ontology(tmp_path):
    onto = tmp_path / "ontology"
    (onto / "kb").mkdir(parents=True)
    (onto / "tbox.ttl").write_text(FIXTURE_TBOX, encoding="utf-8")
    (onto / "kb" / "items.ttl").write_text(FIXTURE_KB, encoding="utf-8")
    return onto


def test_output_is_deterministic_with_blank_nodes(tmp_path, fixture_ontology):
    outputs = []
    for i in range(2):
        out = tmp_path / f"out{i}"
        code, stdout, stderr = run_educluster("build", "--ontology-dir", fixture_ontology,
                                              "--out", out)
        assert code == 0, stderr
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes()  # per-term files too
                        for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]
    g = rdflib.Graph().parse(data=outputs[0]["educluster.ttl"], format="turtle")
    for name, fmt in FORMATS.items():
        assert isomorphic(rdflib.Graph().parse(data=outputs[0][name], format=fmt), g), name
    ctx = json.loads(outputs[0]["context.jsonld"])["@context"]
    assert ctx["hasPrerequisite"] == {"@id": EC + "hasPrerequisite", "@type": "@id"}
    assert ctx["listPosition"] == {"@id": EC + "listPosition", "@type": "xsd:positiveInteger"}
    assert ctx["defines"] == {"@id": EC + "defines", "@type": "@id"}  # all its values are IRIs
    assert ctx["Prerequisite"] == EC + "Prerequisite"


def test_real_build_is_deterministic(tmp_path, repo_root):
    """Two builds of a snapshot of the real ontology are byte-identical."""
    import shutil

    snapshot = tmp_path / "ontology"
    shutil.copytree(repo_root / "ontology", snapshot)
    outputs = []
    for i in range(2):
        out = tmp_path / f"out{i}"
        code, _, stderr = run_educluster("build", "--ontology-dir", snapshot, "--out", out)
        assert code == 0, stderr
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes()  # per-term files too
                        for p in out.rglob("*") if p.is_file()})
    assert sorted(outputs[0]) == sorted(outputs[1])
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def test_kb_dir_option_replaces_kb(tmp_path, fixture_ontology):
    other = tmp_path / "other-kb"
    other.mkdir()
    code, stdout, stderr = run_educluster("build", "--ontology-dir", fixture_ontology,
                                          "--kb-dir", other, "--out", tmp_path / "out")
    assert code == 0, stderr
    g = rdflib.Graph().parse(tmp_path / "out" / "educluster.nt", format="nt")
    assert not list(g.subjects(RDF.type, rdflib.URIRef(EC + "Principle")))
