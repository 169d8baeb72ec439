"""Warnings for IRIs in our namespaces that the ontology does not declare (most likely typos).

A predicate, a class (object of ``rdf:type``) or another IRI value in ``ec:``, ``org:`` or
``schema:`` that is not a term of the ontology gets a warning with the closest declared term
("did you mean"). A value that is a described individual of the ontology (a role, say) is fine.
Two ways to find them, with the same results: :func:`in_graph` walks an rdflib graph (small
data, the pyshacl engine); :func:`in_store` asks a pyoxigraph store holding only the data for
its distinct predicates and namespace IRIs first (two scans, about 2 s at a million triples),
so that only the triples of undeclared terms are ever looked at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from educluster.convert.layout import EC
from educluster.validate.engine import (RDF_TYPE, UNKNOWN_TERM_COMPONENT, UNKNOWN_TERM_SHAPE,
                                        WARNING, Result)

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from educluster.convert.vocab import Vocabulary

#: Namespaces whose terms the data model uses: an IRI in one of them that the ontology does
#: not declare is most likely a typo.
CHECKED_NAMESPACES = (EC, "http://www.w3.org/ns/org#", "https://schema.org/")

_WHAT = {"property": "property", "class": "class", "value": "term"}


def N_(message: str) -> str:
    """Marks a message for the catalogues (translated where it is shown)."""
    return message


_MESSAGES = {"property": N_("This property is not a term of the educluster ontology."),
             "class": N_("This class is not a term of the educluster ontology."),
             "value": N_("This term is not a term of the educluster ontology.")}


def _translated(message: str) -> dict[str, str]:
    """``message`` in every language of the catalogues (the report picks one by --lang)."""
    from educluster.i18n import LANGUAGES, translations

    return {lang: translations(lang).gettext(message) for lang in LANGUAGES}

# the namespaces are this module's constants, written into the query text once
_NS_FILTER = " || ".join(f'STRSTARTS(STR(?o), "{ns}")' for ns in CHECKED_NAMESPACES)
_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
_OBJECTS = f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER (isIRI(?o) && ({_NS_FILTER})) }}"


def _suspect(iri: str, vocab: "Vocabulary") -> bool:
    """In one of our namespaces, yet not declared by the ontology."""
    return iri.startswith(CHECKED_NAMESPACES) and iri not in vocab.declared


def _unknown(iri: str, role: str, vocab: "Vocabulary") -> bool:
    # a suspect value may still be a described individual, e.g. a role
    return _suspect(iri, vocab) and not (role == "value" and iri in vocab.types)


def _result(s, p, term, role: str, vocab: "Vocabulary") -> Result:
    return Result(focus=s, path=p, value=term, component=UNKNOWN_TERM_COMPONENT,
                  severity=WARNING, shape=UNKNOWN_TERM_SHAPE,
                  message=_MESSAGES[role], messages=_translated(_MESSAGES[role]),
                  suggestion=vocab.suggest_term(str(term)))


def _collect(triples, vocab: "Vocabulary") -> list[Result]:
    """Results for (s, p, o) rdflib triples, one per (subject, predicate, term), in the order
    of the triples' N-Triples forms."""
    from rdflib import URIRef

    out: list[Result] = []
    seen: set[tuple] = set()
    for s, p, o in sorted(triples, key=lambda t: tuple(x.n3() for x in t)):
        for term, role in ((p, "property"), (o, "class" if str(p) == RDF_TYPE else "value")):
            if not isinstance(term, URIRef) or not _unknown(str(term), role, vocab):
                continue
            if (s, p, term) in seen:
                continue
            seen.add((s, p, term))
            out.append(_result(s, p, term, role, vocab))
    return out


def in_graph(data: "rdflib.Graph", vocab: "Vocabulary") -> list[Result]:
    """The warnings for every triple of ``data``."""
    return _collect(data, vocab)


def in_store(store, vocab: "Vocabulary") -> list[Result]:
    """The warnings for every triple of a pyoxigraph store's default graph (give it the data
    alone: run this before the background is loaded)."""
    from educluster.terms import ox_to_rdflib

    preds = [row[0] for row in store.query(_PREDICATES)]
    objs = [row[0] for row in store.query(_OBJECTS)]
    suspects = [(None, p, None) for p in preds if _suspect(p.value, vocab)]
    suspects += [(None, None, o) for o in objs if _suspect(o.value, vocab)]
    triples = set()
    for s, p, o in suspects:
        for q in store.quads_for_pattern(s, p, o):
            triples.add((ox_to_rdflib(q.subject), ox_to_rdflib(q.predicate),
                         ox_to_rdflib(q.object)))
    return _collect(triples, vocab)
