"""One small RDF file per term and per knowledge-base item, in the four formats content
negotiation serves, so that every IRI can be answered with its own description.

Layout (decision 0015), relative to ``dist/`` (and to the site's ``downloads/``):

===========================================  ==============================================
IRI                                          files
===========================================  ==============================================
``ec:<Name>`` (``ontology#<Name>``)          ``ontology/<Name>.{ttl,jsonld,rdf,nt}``
``id/<kind>/<slug>``                         ``id/<kind>/<slug>.{ttl,jsonld,rdf,nt}``
the ontology IRI                             the whole ``educluster.{ttl,jsonld,rdf,nt}``
===========================================  ==============================================

Each file holds the IRI's concise bounded description: every triple with the IRI as
subject, and those of the blank nodes it reaches (restrictions, lists). Names that are
not safe path segments are hashed exactly as the site's pages are (:mod:`educluster.site.urls`).
Serialised with pyoxigraph (thousands of small files in well under a second).
"""

from __future__ import annotations

from educluster.kb import EC, ID, PREFIXES

HEADER = "# generated from ontology/*.ttl by educluster build — do not edit\n"

#: file suffix -> (media type, pyoxigraph format name)
FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("text/turtle", "TURTLE"),
    "jsonld": ("application/ld+json", "JSON_LD"),
    "rdf": ("application/rdf+xml", "RDF_XML"),
    "nt": ("application/n-triples", "N_TRIPLES"),
}


def path_of(iri: str) -> str | None:
    """The path (without suffix) of ``iri``'s own files, or None for IRIs that have none."""
    from educluster.site import urls

    if urls.is_term(iri):
        return "ontology/" + urls.safe_segment(iri[len(EC):])
    if urls.is_kb(iri):
        return f"id/{urls.kind_of(iri)}/{urls.slug_of(iri)}"
    return None


def _description(by_subject: dict, subject, ox) -> list:
    """The concise bounded description of ``subject``: its triples and its blank nodes' ones."""
    out, todo, seen = [], [subject], set()
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        for t in by_subject.get(s, ()):
            out.append(t)
            if isinstance(t.object, ox.BlankNode):
                todo.append(t.object)
    return sorted(out, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _index(ntriples: bytes, ox) -> dict:
    """Triples by subject, read with ``pyoxigraph.parse`` (it keeps blank-node labels)."""
    by_subject: dict = {}
    for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        by_subject.setdefault(q.subject, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return by_subject


def _serialise(triples: list, ox) -> dict[str, bytes]:
    """``triples`` in the four formats, by suffix (Turtle and N-Triples with the header)."""
    out = {}
    for suffix, (_, fmt) in FORMATS.items():
        data = ox.serialize(triples, format=getattr(ox.RdfFormat, fmt),
                            prefixes=dict(PREFIXES) if suffix in ("ttl", "rdf") else None)
        if suffix == "nt":
            data = (HEADER + "".join(sorted(data.decode("utf-8").splitlines(True)))).encode("utf-8")
        elif suffix == "ttl":
            data = HEADER.encode("utf-8") + b"\n" + data
        out[suffix] = data
    return out


def description_files(ntriples: bytes, iri: str) -> dict[str, bytes]:
    """The description of one IRI in the four formats, by suffix."""
    import pyoxigraph as ox

    return _serialise(_description(_index(ntriples, ox), ox.NamedNode(iri), ox), ox)


def term_files(ntriples: bytes) -> dict[str, bytes]:
    """Every term's and item's files (path -> bytes) from the merged graph as N-Triples.

    Blank-node labels are the build's canonical ones and triples are written sorted, so the
    files are byte-identical from build to build.
    """
    import pyoxigraph as ox

    by_subject = _index(ntriples, ox)
    subjects = sorted(s.value for s in by_subject
                      if isinstance(s, ox.NamedNode) and s.value.startswith((EC, ID)))
    files: dict[str, bytes] = {}
    for iri in subjects:
        base = path_of(iri)
        if base is not None:
            triples = _description(by_subject, ox.NamedNode(iri), ox)
            for suffix, data in _serialise(triples, ox).items():
                files[f"{base}.{suffix}"] = data
    return files
