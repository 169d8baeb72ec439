"""The SHACL shapes for cluster data: SHACL-SHACL, the conventions every shape follows, and
that every shape has an invalid fixture failing for its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, BNode, Namespace, URIRef

from conftest import REPO

SH = Namespace("http://www.w3.org/ns/shacl#")
ECSH = "https://w3id.org/educluster/shapes#"
SHAPE_FILES = sorted((REPO / "shapes").glob("*.ttl"))
INVALID = REPO / "tests" / "data" / "invalid"


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in SHAPE_FILES:
        g.parse(f)
    return g


def all_shapes(g):
    nodes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(g.objects(None, SH.property)) | set(g.objects(None, SH.node))
    nodes |= set(g.objects(None, SH.qualifiedValueShape))
    return nodes


def test_violations_and_warnings_in_separate_files():
    names = {f.name for f in SHAPE_FILES}
    assert {"cluster-violations.ttl", "cluster-warnings.ttl"} <= names
    for f in SHAPE_FILES:
        g = rdflib.Graph().parse(f)
        severities = set(g.objects(None, SH.severity))
        if f.name.endswith("-warnings.ttl"):
            assert severities == {SH.Warning}, f
            for s in g.subjects(RDF.type, SH.NodeShape):
                if (None, SH.node, s) in g or (None, SH.qualifiedValueShape, s) in g:
                    continue  # used only inside another shape: its severity is that shape's
                assert (s, SH.severity, SH.Warning) in g, s
        else:
            assert severities <= {SH.Violation}, f


def test_shapes_pass_shacl_shacl(shapes):
    """The shapes graph conforms to SHACL-SHACL (pyshacl's meta_validate; validating the
    shapes graph as data against itself would also run ecsh:Submission, whose sh:targetNode
    is a focus in any data graph)."""
    from pyshacl.entrypoints import meta_validate

    conforms, _, text = meta_validate(shapes, inference="none")
    assert conforms, text


def test_every_shape_has_iri_name_description_message(shapes):
    found = all_shapes(shapes)
    assert len(found) > 40
    for s in found:
        assert isinstance(s, URIRef) and str(s).startswith(ECSH), f"blank or foreign shape {s}"
        for p in (SH.name, SH.description):
            values = list(shapes.objects(s, p))
            assert len(values) == 1 and str(values[0]).strip(), (s, p)
        messages = list(shapes.objects(s, SH.message))
        assert len(messages) == 1 and len(str(messages[0])) > 20, (s, "sh:message")
    for c in shapes.objects(None, SH.sparql):
        assert isinstance(c, URIRef), "SPARQL constraints get IRIs too"
        assert shapes.value(c, SH.message) is not None, c


def test_controlled_values_use_knowledge_base_classes(shapes):
    EC = "https://w3id.org/educluster/ontology#"
    expected = {
        "Cluster-direction": "Direction", "Cluster-principle": "Principle",
        "Cluster-interactionModel": "InteractionModel", "Cluster-objective": "Objective",
        "Cluster-cooperationArea": "CooperationArea", "Membership-role": "MembershipRole",
        "Activity-activityType": "ActivityType",
    }
    for shape, cls in expected.items():
        assert shapes.value(URIRef(ECSH + shape), SH["class"]) == URIRef(EC + cls), shape
    for shape in ("NatureOfRelationsValue", "ConcentrationLevelValue"):
        assert shapes.value(URIRef(ECSH + shape), SH["class"]) == URIRef(EC + "RelationType")


def _reported_shapes(g) -> set:
    """Shapes whose results appear at the top level of a report: targeted node shapes and the
    property shapes under them (shapes used through sh:node / sh:qualifiedValueShape report
    through the shape that uses them)."""
    out = set()
    for s in set(g.subjects(SH.targetClass, None)):
        if g.value(s, SH.sparql) is not None or any(
                p in (SH["class"], SH.datatype) for p in g.predicates(s, None)):
            out.add(s)
        out |= set(g.objects(s, SH.property))
    return out


def test_every_shape_has_an_invalid_fixture(shapes):
    covered = set()
    files = sorted(INVALID.glob("*.expected.json"))
    assert len(files) > 0
    for f in files:
        for r in json.loads(f.read_text()):
            covered.add(r["shape"])
    missing = sorted(s.replace(ECSH, "ecsh:") for s in map(str, _reported_shapes(shapes))
                     if s.replace(ECSH, "ecsh:") not in covered)
    assert not missing, f"shapes without an invalid fixture: {missing}"


def test_each_fixture_fails_for_one_shape_only():
    files = sorted(INVALID.glob("*.expected.json"))
    assert files
    for f in files:
        shapes = {r["shape"] for r in json.loads(f.read_text())}
        assert len(shapes) == 1, (f.name, shapes)
        first = (INVALID / f.name.replace(".expected.json", ".ttl")).read_text().splitlines()[0]
        assert next(iter(shapes)) in first, (f.name, "the fixture's first line names its shape")
