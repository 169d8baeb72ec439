"""The reference: plain pyshacl on the same data graph, as :class:`Result` objects.

Used by the equality tests and the benchmark. The data graph is the RDF merge of the data
and the background (one rdflib graph), validated in place without inference; only the
report's top-level results count (pyshacl may add the nested results of ``sh:node`` as
``sh:detail``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def merged_graph(data, background=None):
    """One rdflib graph holding ``data`` and ``background`` (rdflib graphs or file paths)."""
    from rdflib import Graph

    g = Graph(bind_namespaces="none")

    def add(src):
        if src is None:
            return
        if isinstance(src, Graph):
            for t in src:
                g.add(t)
        elif isinstance(src, (str, Path)):
            g.parse(str(src))
        else:
            for s in src:
                add(s)
    add(data)
    add(background)
    return g


def pyshacl_validate(data, shapes_graph, background=None, *, merged=None) -> list:
    """pyshacl's results for ``data`` + ``background`` (or for an already ``merged`` graph)."""
    import pyshacl
    from rdflib import RDF, URIRef

    from educluster.fastvalidate import Result, _shapes_graph
    from educluster.fastvalidate.shapes import SH

    g = merged if merged is not None else merged_graph(data, background)
    shapes = _shapes_graph(shapes_graph)
    _conforms, report, _text = pyshacl.validate(
        g, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True,
        inplace=True, advanced=False, meta_shacl=False, js=False, debug=False)
    sh = lambda local: URIRef(SH + local)  # noqa: E731
    out = []
    for rep in report.subjects(RDF.type, sh("ValidationReport")):
        for r in report.objects(rep, sh("result")):
            path = report.value(r, sh("resultPath"))
            out.append(Result(
                focus=report.value(r, sh("focusNode")), path=path,
                component=report.value(r, sh("sourceConstraintComponent")),
                severity=report.value(r, sh("resultSeverity")),
                message=None, value=report.value(r, sh("value")),
                source_shape=report.value(r, sh("sourceShape")),
                source_constraint=report.value(r, sh("sourceConstraint")),
                path_text=path_text(report, path)))
    return out


def path_text(graph, path) -> str | None:
    """A result path as SPARQL property-path text (comparable across graphs)."""
    from educluster.fastvalidate.shapes import path_to_sparql

    if path is None:
        return None
    return path_to_sparql(graph, path)


def keys(results) -> Counter:
    """The multiset of (focus, path, component, severity) of a list of results."""
    return Counter(r.key() for r in results)
