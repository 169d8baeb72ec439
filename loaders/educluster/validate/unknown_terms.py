"""Warnings for IRIs in our namespaces that the ontology does not declare (most likely typos).

A predicate, a class (object of ``rdf:type``) or another IRI value in ``ec:``, ``org:`` or
``schema:`` that is not a term of the ontology gets a warning with the closest declared term
("did you mean"). A value that is a described individual of the ontology (a role, say) is fine.
Three ways to find them, with the same results: :func:`in_graph` walks an rdflib graph (small
data, the pyshacl engine); :func:`in_store` asks a pyoxigraph store holding only the data for
its distinct predicates and namespace IRIs first (two scans, about 0.9 s of CPU at a million
triples), so that only the triples of undeclared terms are ever looked at; for N-Triples,
:func:`iris_in_ntriples` finds the namespace IRIs in the file's text while pyoxigraph reads it
on the other core, and :func:`from_iris` looks up the triples of the undeclared ones.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from educluster.convert.layout import EC
from educluster.validate.engine import (RDF_TYPE, UNKNOWN_TERM_COMPONENT, UNKNOWN_TERM_SHAPE,
                                        WARNING, Result)

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Future

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

# the namespaces are this module's constants, written into the query text once, as one
# regular expression: Oxigraph evaluates it on a million objects in about two thirds of the
# time of three STRSTARTS, each of which makes the string again (decision 0035). What it
# returns is checked again in Python (_suspect).
_NS_FILTER = 'REGEX(STR(?o), "^(' + "|".join(
    "".join("\\\\" + c if c in "\\.^$|?*+()[]{}" else c for c in ns)
    for ns in CHECKED_NAMESPACES) + ')")'
_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
_OBJECTS = f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER (isIRI(?o) && {_NS_FILTER}) }}"


# An IRI of one of the namespaces as N-Triples writes it (IRIREF: no character below space,
# none of <>"{}|^`\), or an escape \u or \U anywhere, which may spell an IRI otherwise:
# then the text cannot be trusted and the store is asked. A match cannot swallow the start of
# another IRI (no '<' inside), so every IRI of the namespaces written in the text is found.
_NT_IRI = re.compile(rb"<((?:" + b"|".join(re.escape(ns.encode()) for ns in CHECKED_NAMESPACES)
                     + rb')[^\x00-\x20<>"{}|^`\\]*)>|\\[uU]')

#: Bytes of text scanned while holding the GIL (about 4 ms): see :func:`iris_in_ntriples`.
SCAN_SLICE = 1 << 20


def iris_in_ntriples(data: bytes) -> "frozenset[str] | None":
    """Every IRI of :data:`CHECKED_NAMESPACES` written in an N-Triples document (as subject,
    predicate, object, datatype, or inside a literal or comment: a superset of the predicates
    and IRI objects the store scans find), or None when the text has a ``\\u``/``\\U``
    escape (which could write an IRI another way) or is not UTF-8. About 0.5 s for a million
    triples, in Python: run beside pyoxigraph's bulk load, which releases the GIL.

    The text is scanned a slice of whole lines at a time (:data:`SCAN_SLICE` bytes): one
    ``findall`` over the whole text holds the GIL for its half second, and the bulk load beside
    it, which takes the GIL now and then, waited for it (0.5-0.6 s of a 2.1 s load at 1M).
    No match spans a line: an IRI holds no character below space."""
    found: set[bytes] = set()
    start, size = 0, len(data)
    while start < size:
        end = data.find(b"\n", min(start + SCAN_SLICE, size))
        end = size if end < 0 else end + 1
        found.update(_NT_IRI.findall(data, start, end))
        start = end
    if b"" in found:            # the escape alternative matched
        return None
    try:
        return frozenset(x.decode("utf-8") for x in found)
    except UnicodeDecodeError:
        return None


def written_iris(scans: list) -> "frozenset[str] | None":
    """The union of the files' :func:`iris_in_ntriples` (futures), or None when a file was not
    N-Triples or its text could not be trusted: then the store is scanned."""
    out: set[str] = set()
    for scan in scans:
        found = scan.result() if scan is not None else None
        if found is None:
            return None
        out |= found
    return frozenset(out) if scans else None


def from_iris(store, vocab: "Vocabulary", iris) -> list[Result]:
    """:func:`in_store`'s warnings from ``iris``, a superset of the data's predicates and IRI
    objects in our namespaces (:func:`iris_in_ntriples`): the triples of each undeclared one,
    as predicate or as object, looked up in the store (give it the data alone). The same
    triples as the scans': a written IRI that is neither has no such triples."""
    import pyoxigraph as ox

    from educluster.terms import ox_to_rdflib

    triples = set()
    for iri in sorted(iris):
        if not _suspect(iri, vocab):
            continue
        try:
            node = ox.NamedNode(iri)
        except ValueError:      # not an IRI (text in a literal or a comment): not in the store
            continue
        for pattern in ((None, node, None), (None, None, node)):
            for q in store.quads_for_pattern(*pattern):
                triples.add((ox_to_rdflib(q.subject), ox_to_rdflib(q.predicate),
                             ox_to_rdflib(q.object)))
    return _collect(triples, vocab)


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
    return _from_scans(store, vocab, store.query(_PREDICATES), store.query(_OBJECTS))


def in_store_beside(store, vocab: "Vocabulary", background, pool) -> "Future":
    """:func:`in_store`'s warnings for the data the store holds now, computed on a thread of
    ``pool`` while the caller adds the background and runs the shapes (the two scans of a
    million triples take 0.8 s of one core, and the shapes' two threads end unevenly).

    The scans are made on that thread before this returns (pyoxigraph's answers stay on the
    thread that asked): Oxigraph evaluates a query on the store as it was when the query was
    made ("repeatable read"), so they see the data alone. The triples of a suspect term are
    looked up later; they are still the data's when no triple of ``background`` (an rdflib
    graph) has a suspect predicate or object -- checked here, and otherwise the warnings are
    computed at once, before the background is added."""
    import threading
    from concurrent.futures import Future

    from rdflib import URIRef

    if any(isinstance(t, URIRef) and _suspect(str(t), vocab)
           for triple in background for t in triple[1:]):
        done: Future = Future()
        done.set_result(in_store(store, vocab))
        return done
    asked = threading.Event()

    def scan() -> list[Result]:
        try:
            preds, objs = store.query(_PREDICATES), store.query(_OBJECTS)
        finally:
            asked.set()
        return _from_scans(store, vocab, preds, objs)
    later = pool.submit(scan)
    asked.wait()
    return later


def _from_scans(store, vocab: "Vocabulary", pred_rows, obj_rows) -> list[Result]:
    """The warnings from the distinct predicates and namespace objects of the data."""
    from educluster.terms import ox_to_rdflib

    preds = [row[0] for row in pred_rows]
    objs = [row[0] for row in obj_rows]
    suspects = [(None, p, None) for p in preds if _suspect(p.value, vocab)]
    suspects += [(None, None, o) for o in objs if _suspect(o.value, vocab)]
    triples = set()
    for s, p, o in suspects:
        for q in store.quads_for_pattern(s, p, o):
            triples.add((ox_to_rdflib(q.subject), ox_to_rdflib(q.predicate),
                         ox_to_rdflib(q.object)))
    return _collect(triples, vocab)
