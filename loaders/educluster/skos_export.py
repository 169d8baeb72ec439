"""The knowledge base's lists as plain SKOS for vocabulary tools (Skosmos, VocBench, qSKOS):
``educluster build`` writes it as ``educluster-skos.ttl``.

Every list (``skos:ConceptScheme``) with its label and source; every item of a list as a
``skos:Concept`` with ``skos:inScheme``, ``skos:prefLabel``, ``skos:altLabel``,
``skos:definition``, ``skos:scopeNote`` and ``dcterms:source`` as the KB states them. Only
what SKOS entails is added, never invented: ``skos:narrower`` for each ``skos:broader``,
``skos:hasTopConcept`` for each ``skos:topConceptOf``, the other direction of the symmetric
``skos:closeMatch``, ``skos:exactMatch``, ``skos:relatedMatch`` and ``skos:related`` (the
mappings between papers the KB records), a scheme's ``rdfs:label`` as its ``skos:prefLabel``
where it has none. Mappings are kept only between concepts of the export (a Skosmos vocabulary
cannot show the others). Quality: the qSKOS-style queries in ``ontology/qc/skos/``.
"""

from __future__ import annotations

HEADER = "# generated from ontology/*.ttl by educluster build — do not edit\n"
FILE = "educluster-skos.ttl"

_PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
_CONCEPT = "?{v} skos:inScheme ?{v}s . ?{v}s a skos:ConceptScheme ."

#: One CONSTRUCT per kind of statement (each small: no cross products of OPTIONALs).
QUERIES = [
    "CONSTRUCT { ?s a skos:ConceptScheme } WHERE { ?s a skos:ConceptScheme }",
    """CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a skos:ConceptScheme .
         { ?s skos:prefLabel ?l } UNION { ?s rdfs:label ?l FILTER NOT EXISTS { ?s skos:prefLabel ?x } } }""",
    *(f"CONSTRUCT {{ ?s {p} ?o }} WHERE {{ ?s a skos:ConceptScheme ; {p} ?o }}"
      for p in ("skos:definition", "dcterms:source")),
    f"CONSTRUCT {{ ?c a skos:Concept ; skos:inScheme ?cs }} WHERE {{ {_CONCEPT.format(v='c')} }}",
    *(f"CONSTRUCT {{ ?c {p} ?o }} WHERE {{ {_CONCEPT.format(v='c')} ?c {p} ?o }}"
      for p in ("skos:prefLabel", "skos:altLabel", "skos:definition", "skos:scopeNote",
                "dcterms:source")),
    f"""CONSTRUCT {{ ?c skos:topConceptOf ?s . ?s skos:hasTopConcept ?c }} WHERE {{
         {_CONCEPT.format(v='c')} {{ ?c skos:topConceptOf ?s }} UNION {{ ?s skos:hasTopConcept ?c }}
         ?s a skos:ConceptScheme }}""",
    f"""CONSTRUCT {{ ?c skos:broader ?b . ?b skos:narrower ?c }} WHERE {{
         {_CONCEPT.format(v='c')} {_CONCEPT.format(v='b')}
         {{ ?c skos:broader ?b }} UNION {{ ?b skos:narrower ?c }} }}""",
    *(f"""CONSTRUCT {{ ?a {p} ?b . ?b {p} ?a }} WHERE {{
           {_CONCEPT.format(v='a')} {_CONCEPT.format(v='b')} ?a {p} ?b FILTER(?a != ?b) }}"""
      for p in ("skos:closeMatch", "skos:exactMatch", "skos:relatedMatch", "skos:related")),
]


def export_triples(store) -> list:
    """The SKOS export of the KB in ``store`` (a pyoxigraph store), sorted triples."""
    found = set()
    for q in QUERIES:
        found.update(store.query(_PREFIXES + q))
    return sorted(found, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def export_store(store):
    """A new pyoxigraph store holding only the export of the KB in ``store`` (for the QC)."""
    import pyoxigraph as ox

    out = ox.Store()
    out.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
               for t in export_triples(store))
    return out


def export_turtle(ntriples: bytes) -> bytes:
    """The export as Turtle, from the merged graph as N-Triples (deterministic)."""
    import pyoxigraph as ox

    from educluster.kb import PREFIXES

    store = ox.Store()
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    triples = export_triples(store)
    prefixes = {p: PREFIXES[p] for p in ("skos", "dcterms", "rdf")}  # no id: (its local names would need \/ escapes)
    return HEADER.encode("utf-8") + b"\n" + ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                                         prefixes=prefixes)
