"""RDF terms from pyoxigraph to rdflib and back, so the two engines' results can be compared and mixed.

Simple literals (xsd:string) come back without a datatype, as rdflib parses them; blank nodes keep
their ids. Both libraries are imported only when a term is converted."""
from __future__ import annotations

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_to_ox(term):
    """An rdflib term as a pyoxigraph term (blank nodes keep their ids)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def ox_to_rdflib(term):
    """A pyoxigraph term as an rdflib term (simple literals without a datatype, as rdflib
    parses them); None stays None."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if term is None:
        return None
    raise TypeError(f"not an RDF term: {term!r}")
