"""The vocabularies the ontology reuses: what each prefix is, where its specification is, and
the labels those specifications give the reused terms, so pages show "scope note" rather than
the raw name skos:scopeNote (issue 14) and link each reused term to its specification."""

from __future__ import annotations

from educluster.kb import PREFIXES

#: prefix -> (what it is, specification URL)
SPECS: dict[str, tuple[str, str]] = {
    "org": ("W3C Organization Ontology", "https://www.w3.org/TR/vocab-org/"),
    "prov": ("W3C PROV Ontology (provenance)", "https://www.w3.org/TR/prov-o/"),
    "skos": ("W3C Simple Knowledge Organization System", "https://www.w3.org/TR/skos-reference/"),
    "dcterms": ("DCMI Metadata Terms", "https://www.dublincore.org/specifications/dublin-core/dcmi-terms/"),
    "bibo": ("Bibliographic Ontology", "http://purl.org/ontology/bibo/"),
    "schema": ("Schema.org", "https://schema.org/"),
    "foaf": ("FOAF (Friend of a Friend) vocabulary", "http://xmlns.com/foaf/spec/"),
    "vann": ("VANN, a vocabulary for annotating vocabulary descriptions", "https://vocab.org/vann/"),
    "owl": ("W3C Web Ontology Language (OWL 2)", "https://www.w3.org/TR/owl2-overview/"),
    "rdf": ("W3C RDF 1.1 concepts and vocabulary", "https://www.w3.org/TR/rdf11-concepts/"),
    "rdfs": ("W3C RDF Schema 1.1", "https://www.w3.org/TR/rdf-schema/"),
    "xsd": ("W3C XML Schema datatypes", "https://www.w3.org/TR/xmlschema11-2/"),
}

#: the English rdfs:label each specification's own RDF gives the reused properties shown on pages
TERM_LABELS: dict[str, str] = {
    "skos:scopeNote": "scope note", "skos:notation": "notation", "skos:related": "has related",
    "skos:definition": "definition", "skos:broader": "has broader", "skos:inScheme": "is in scheme",
    "skos:topConceptOf": "is top concept in scheme", "skos:altLabel": "alternative label",
    "dcterms:description": "Description", "dcterms:publisher": "Publisher", "dcterms:source": "Source",
    "dcterms:creator": "Creator", "dcterms:title": "Title", "dcterms:isPartOf": "Is Part Of",
    "rdf:type": "type", "rdfs:seeAlso": "seeAlso", "rdfs:subClassOf": "subClassOf",
    "rdfs:domain": "domain", "rdfs:range": "range", "rdfs:isDefinedBy": "isDefinedBy",
    "org:member": "member", "org:organization": "organization", "org:role": "role",
}


def namespace_of(curie: str) -> str | None:
    """The prefix of a CURIE the site knows a specification for, else None."""
    prefix = curie.split(":", 1)[0]
    return prefix if prefix in SPECS else None


def rows() -> list[tuple[str, str, str, str]]:
    """(prefix, namespace, what it is, specification URL) for every reused vocabulary."""
    return [(p, PREFIXES[p], what, url) for p, (what, url) in SPECS.items() if p in PREFIXES]
