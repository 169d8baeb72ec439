"""The JSON-LD context generated from the ontology (``dist/context.jsonld``).

:func:`make_context` returns ``{"@context": {...}}`` with

* one prefix entry for each of :data:`educluster.kb.PREFIXES`;
* for every ``ec:`` class and property, a term named by its local name mapping to
  its IRI:

  - ``owl:ObjectProperty`` -> ``{"@id": IRI, "@type": "@id"}``;
  - ``owl:DatatypeProperty`` whose ``rdfs:range`` is one XSD datatype ->
    ``{"@id": IRI, "@type": "xsd:<datatype>"}``, else ``{"@id": IRI}``;
  - annotation properties and plain ``rdf:Property``: ``"@type": "@id"`` when the
    range is a class (not a datatype or ``rdfs:Literal``), or, with no range, when
    every value the merged graph gives them is an IRI (e.g. ``ec:defines``);
    otherwise untyped;
  - classes -> the IRI.

  A local name equal to a prefix name is left out (the prefix wins).

Never edit context.jsonld by hand: change the ontology and run ``educluster build``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from educluster.kb import EC, PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

XSD = PREFIXES["xsd"]


def _local(iri: str) -> str | None:
    if not iri.startswith(EC):
        return None
    name = iri[len(EC):]
    return name if name and all(c.isalnum() or c in "_-" for c in name) else None


def make_context(graph: "rdflib.Graph") -> dict[str, Any]:
    """The JSON-LD context document for the ontology in ``graph``."""
    from rdflib import OWL, RDF, RDFS, Literal, URIRef

    ctx: dict[str, Any] = dict(PREFIXES)

    def typed(s, *types) -> bool:
        return any((s, RDF.type, t) in graph for t in types)

    def ranges(s) -> list[str]:
        return sorted(str(o) for o in graph.objects(s, RDFS.range) if isinstance(o, URIRef))

    terms: dict[str, Any] = {}
    subjects = sorted({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)
                       and _local(str(s))}, key=str)
    for s in subjects:
        name = _local(str(s))
        iri = str(s)
        if name in PREFIXES:
            continue
        if typed(s, OWL.ObjectProperty):
            terms[name] = {"@id": iri, "@type": "@id"}
        elif typed(s, OWL.DatatypeProperty):
            xsd = [r for r in ranges(s) if r.startswith(XSD)]
            if len(xsd) == 1:
                terms[name] = {"@id": iri, "@type": "xsd:" + xsd[0][len(XSD):]}
            else:
                terms[name] = {"@id": iri}
        elif typed(s, OWL.AnnotationProperty, RDF.Property):
            rs = ranges(s)
            if rs:
                to_id = all(not r.startswith(XSD) and r != str(RDFS.Literal)
                            and r != str(RDF.langString) for r in rs)
            else:
                values = list(graph.objects(None, s))
                to_id = bool(values) and not any(isinstance(v, Literal) for v in values)
            terms[name] = {"@id": iri, "@type": "@id"} if to_id else {"@id": iri}
        elif typed(s, OWL.Class, RDFS.Class, RDFS.Datatype):
            terms[name] = iri
    for name in sorted(terms):
        ctx[name] = terms[name]
    return {"@context": ctx}
