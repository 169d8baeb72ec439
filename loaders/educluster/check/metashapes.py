"""Validate the knowledge base against the meta-shapes in `shapes/meta/` with pyshacl.

The meta-shapes say what every definition, principle, ... must carry; the ontology is the
background graph, so subclasses count."""
from __future__ import annotations

from pathlib import Path

from .findings import Finding, Report

SH = "http://www.w3.org/ns/shacl#"


def check_meta_shapes(graph, shapes_dir: Path, report: Report) -> int:
    """Add a `meta-shape` finding per SHACL result; return how many shape files ran."""
    files = sorted(shapes_dir.glob("*.ttl")) if shapes_dir.is_dir() else []
    if not files:
        report.notes.append(f"no meta-shapes found in {shapes_dir}")
        return 0
    import pyshacl
    from rdflib import Graph, Namespace

    shapes = Graph()
    for file in files:
        shapes.parse(file)
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return len(files)
    sh = Namespace(SH)
    for result in results.subjects(sh.resultSeverity, None):
        focus = results.value(result, sh.focusNode)
        message = results.value(result, sh.resultMessage)
        path = results.value(result, sh.resultPath)
        value = results.value(result, sh.value)
        shape = results.value(result, sh.sourceShape)
        text = str(message) if message is not None else f"violates {shape}"
        if path is not None:
            text = f"{text} (path {graph.namespace_manager.normalizeUri(path)})"
        report.add(Finding("meta-shape", str(focus), text, "" if value is None else str(value)))
    return len(files)
