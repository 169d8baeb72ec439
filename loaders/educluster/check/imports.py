"""owl:imports that check cannot satisfy from the ontology folder: reported, never fetched.

owlready2 (under the reasoner) would download every imported ontology and hang on a silent
server (issue 12); an import is local when the merged files themselves declare that
ontology. Non-local imports are findings, and the reasoner is given the graph without any
owl:imports (:func:`without_imports`)."""
from __future__ import annotations

from .findings import Finding, Report

OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"


def check_imports(graph, report: Report) -> None:
    """One `owl-imports` finding per imported ontology the merged files do not declare."""
    from rdflib import OWL, RDF, URIRef

    declared = set(graph.subjects(RDF.type, OWL.Ontology))
    for ontology, target in sorted(graph.subject_objects(URIRef(OWL_IMPORTS))):
        if target not in declared:
            report.add(Finding("owl-imports", str(ontology),
                               "imports an ontology that is not in the ontology folder; check "
                               "never fetches one: add its file to the folder, or drop the import",
                               str(target)))


def without_imports(graph):
    """A copy of ``graph`` without owl:imports triples (what the reasoner may load)."""
    from rdflib import Graph, URIRef

    out = Graph()
    imports = URIRef(OWL_IMPORTS)
    for triple in graph:
        if triple[1] != imports:
            out.add(triple)
    return out
