"""Loading data and background into one pyoxigraph store, and the terms' two faces.

**One graph.** The data graph that is validated is the RDF merge of the data and the
background (ontology + knowledge base), all in the store's default graph: what pyshacl
sees when it is given one rdflib graph holding the data, the ontology and the knowledge
base (pyshacl's own ``ont_graph`` copies only class and property axioms, not the knowledge
base's individuals, so the shapes' ``sh:class ec:Direction`` would fail for every
direction).

**Datatypes Oxigraph does not keep.** Oxigraph's storage encodes every literal of a type
derived from ``xsd:integer`` (``xsd:nonNegativeInteger``, ``xsd:positiveInteger``,
``xsd:int``, ``xsd:byte``, ...) as an ``xsd:integer`` and ``xsd:dateTimeStamp`` as
``xsd:dateTime``: ``"45"^^xsd:nonNegativeInteger`` is stored, and returned by every query,
as ``"45"^^xsd:integer``. ``sh:datatype xsd:nonNegativeInteger`` would then fail on valid
data. So while loading we keep a side table (:class:`Collapsed`) of the triples whose object
had such a datatype, with the literal as written; the datatype constraint consults it.
For N-Triples files (the big ones) the file is bulk-loaded at full speed and only the lines
that mention such a datatype are parsed again; other formats that mention one are parsed in
Python once and inserted (the same blank nodes in store and table).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

from educluster.terms import rdflib_to_ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = XSD + "integer"
XSD_DATETIME = XSD + "dateTime"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Datatype -> the datatype Oxigraph stores it as (measured with pyoxigraph 0.5; a test
#: re-checks the list against the installed version).
COLLAPSED = {XSD + n: XSD_INTEGER for n in (
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
COLLAPSED[XSD + "dateTimeStamp"] = XSD_DATETIME

_NT_COLLAPSED = re.compile(rb"XMLSchema#(?:" + b"|".join(
    re.escape(k[len(XSD):].encode()) for k in COLLAPSED) + rb")>")
_ANY_COLLAPSED = re.compile(rb"(?:nonNegativeInteger|positiveInteger|negativeInteger|"
                            rb"nonPositiveInteger|unsigned(?:Long|Int|Short|Byte)|dateTimeStamp|"
                            rb"[#:\"](?:long|int|short|byte)\b)")

FORMATS = {
    ".ttl": "TURTLE", ".turtle": "TURTLE", ".nt": "N_TRIPLES", ".ntriples": "N_TRIPLES",
    ".n3": "N3", ".rdf": "RDF_XML", ".owl": "RDF_XML", ".xml": "RDF_XML",
    ".jsonld": "JSON_LD", ".json-ld": "JSON_LD", ".trig": "TRIG", ".nq": "N_QUADS",
}


def ox_format(path: Path):
    import pyoxigraph as ox

    name = FORMATS.get(path.suffix.lower())
    if name is None:
        raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r} "
                         f"(known: {', '.join(sorted(FORMATS))})")
    return getattr(ox.RdfFormat, name)


class Collapsed:
    """Triples whose object literal had a datatype the store does not keep.

    Keyed by (subject, predicate, object as stored), all pyoxigraph terms; the value is the
    list of literals as written (two written literals may collapse into one stored one).
    """

    def __init__(self):
        self.table: dict[tuple, list] = {}
        self.stored: set = set()
        #: (s, p, o) of literals rdflib marked ill-typed but gave a valid-looking lexical
        #: form ("yes"^^xsd:boolean becomes "false"): pyshacl still sees them ill-typed
        self.ill_typed: list[tuple] = []
        #: a store loaded elsewhere that collapses these datatypes: literals are judged by
        #: their value, and ``noted`` collects the shapes for which that was done
        self.by_value = False
        self.noted: set = set()

    def __bool__(self) -> bool:
        return bool(self.table)

    def ill_typed_for(self, predicate: str, datatype: str) -> list[tuple]:
        return [(s, o) for s, p, o in self.ill_typed
                if p.value == predicate and o.datatype is not None and o.datatype.value == datatype]

    def __len__(self) -> int:
        return len(self.table)

    def add(self, s, p, stored, original) -> None:
        lst = self.table.setdefault((s, p, stored), [])
        self.stored.add(stored)
        if original not in lst:
            lst.append(original)

    def originals(self, s, p, stored) -> list | None:
        return self.table.get((s, p, stored))

    def is_stored(self, literal) -> bool:
        """Whether some literal written with a collapsed datatype is stored as ``literal``."""
        return literal in self.stored

    def datatypes(self) -> set[str]:
        return {o.datatype.value for v in self.table.values() for o in v}


def _canonical(triples: list) -> list:
    """The objects of ``triples`` as the store would hold them (one small scratch store)."""
    import pyoxigraph as ox

    scratch = ox.Store()
    scratch.extend(ox.Quad(s, p, o, ox.NamedNode(f"urn:x-fastvalidate:{i}"))
                   for i, (s, p, o) in enumerate(triples))
    out = [None] * len(triples)
    for q in scratch:
        out[int(q.graph_name.value.rsplit(":", 1)[1])] = q.object
    return out


def _record(collapsed: Collapsed, triples: list) -> None:
    if not triples:
        return
    for (s, p, o), stored in zip(triples, _canonical(triples)):
        collapsed.add(s, p, stored, o)


def _is_collapsed_literal(o) -> bool:
    import pyoxigraph as ox

    return isinstance(o, ox.Literal) and o.datatype is not None and o.datatype.value in COLLAPSED


def load_file(store, path: Path, collapsed: Collapsed) -> None:
    """Load one RDF file into the store's default graph, recording collapsed literals."""
    path = Path(path)
    load_bytes(store, path.read_bytes(), ox_format(path), path.resolve().as_uri(), collapsed)


#: N-Triples are bulk-loaded in pieces of about this many bytes when progress is shown.
CHUNK_BYTES = 8 << 20


def _bulk_load_lines(store, data: bytes, fmt, progress) -> None:
    """Bulk-load N-Triples in pieces cut at line ends, calling ``progress(done, total)`` (bytes)
    after each; a syntax error keeps the line number of the whole document."""
    total = len(data)
    start, lines_before = 0, 0
    while start < total:
        end = data.find(b"\n", min(start + CHUNK_BYTES, total))
        end = total if end < 0 else end + 1
        piece = data[start:end]
        try:
            store.bulk_load(piece, format=fmt)
        except SyntaxError as exc:
            err = SyntaxError(exc.args[0] if exc.args else str(exc))
            err.lineno = exc.lineno + lines_before if isinstance(exc.lineno, int) else None
            raise err from exc
        lines_before += piece.count(b"\n")
        start = end
        progress(start, total)


def load_bytes(store, data: bytes, fmt, base_iri: str, collapsed: Collapsed,
               progress=None) -> None:
    """Load a document (``fmt``: a pyoxigraph ``RdfFormat``; relative IRIs against
    ``base_iri``) into the store's default graph, recording collapsed literals. A syntax error
    raises pyoxigraph's ``SyntaxError`` (``lineno`` is the 1-based line). ``progress(done,
    total)`` in bytes is called while N-Triples without blank nodes load (other documents load
    in one call)."""
    import pyoxigraph as ox

    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        lines = []
        for m in _NT_COLLAPSED.finditer(data):
            start = data.rfind(b"\n", 0, m.start()) + 1
            end = data.find(b"\n", m.end())
            lines.append(data[start:end if end >= 0 else len(data)])
        if not any(line.lstrip().startswith(b"_:") for line in lines):
            if progress is not None and fmt == ox.RdfFormat.N_TRIPLES and b"_:" not in data:
                _bulk_load_lines(store, data, fmt, progress)   # blank nodes: one document
            else:
                store.bulk_load(data, format=fmt)
            if lines:
                found = [(t.subject, t.predicate, t.object)
                         for t in ox.parse(b"\n".join(dict.fromkeys(lines)) + b"\n", format=fmt)
                         if _is_collapsed_literal(t.object)]
                _record(collapsed, found)
            return
    elif not _ANY_COLLAPSED.search(data):
        store.bulk_load(data, format=fmt, base_iri=base_iri)
        return
    # parse once in Python: the store and the table see the same blank nodes
    found = []
    quads = []
    for t in ox.parse(data, format=fmt, base_iri=base_iri):
        quads.append(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()))
        if _is_collapsed_literal(t.object):
            found.append((t.subject, t.predicate, t.object))
    store.extend(quads)
    _record(collapsed, found)


def load_graph(store, graph, collapsed: Collapsed) -> None:
    """Copy an rdflib graph (or dataset: all its triples) into the store's default graph."""
    import pyoxigraph as ox

    found = []
    quads = []
    triples = graph.triples((None, None, None))
    for s, p, o in triples:
        q = ox.Quad(rdflib_to_ox(s), rdflib_to_ox(p), rdflib_to_ox(o), ox.DefaultGraph())
        quads.append(q)
        if _is_collapsed_literal(q.object):
            found.append((q.subject, q.predicate, q.object))
        elif getattr(o, "ill_typed", None) is True:
            collapsed.ill_typed.append((q.subject, q.predicate, q.object))
    store.extend(quads)
    _record(collapsed, found)


def _is_rdflib_graph(x) -> bool:
    try:
        from rdflib import Graph
    except ImportError:  # pragma: no cover
        return False
    return isinstance(x, Graph)


def load_into(store, source, collapsed: Collapsed) -> None:
    """Load ``source`` -- a file path, an rdflib graph, or an iterable of those -- into
    the store."""
    if source is None:
        return
    if _is_rdflib_graph(source):
        load_graph(store, source, collapsed)
    elif isinstance(source, (str, os.PathLike)):
        load_file(store, Path(source), collapsed)
    elif isinstance(source, Iterable):
        for s in source:
            load_into(store, s, collapsed)
    else:
        raise TypeError(f"cannot load {type(source).__name__}: give file paths or rdflib graphs")


def build_store(data, background=None):
    """A new in-memory store with ``data`` and ``background`` merged in its default graph,
    and the table of collapsed literals."""
    import pyoxigraph as ox

    store = ox.Store()
    collapsed = Collapsed()
    load_into(store, background, collapsed)
    load_into(store, data, collapsed)
    return store, collapsed
