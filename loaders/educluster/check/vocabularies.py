"""Verify that every reused external term exists in its vocabulary.

rdflib ships closed term lists (DefinedNamespace) for ORG, SKOS, DCTERMS, PROV, FOAF, schema.org
and VANN; BIBO's term list is vendored in bibo-terms.txt, made from the published bibo.owl."""
from __future__ import annotations

from importlib import resources

from .findings import Finding, Report

BIBO = "http://purl.org/ontology/bibo/"


def _closed_vocabularies() -> dict[str, set[str]]:
    from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SDO, SKOS, VANN

    vocabularies = {}
    for ns in (DCTERMS, FOAF, ORG, PROV, SDO, SKOS, VANN):
        base = str(ns._NS)
        names = set(getattr(ns, "__annotations__", {}).keys()) | set(getattr(ns, "_extras", []))
        vocabularies[base] = names
    bibo = resources.files(__package__).joinpath("bibo-terms.txt").read_text(encoding="utf-8")
    vocabularies[BIBO] = {line.strip() for line in bibo.splitlines() if line.strip() and not line.startswith("#")}
    return vocabularies


QUERY = """
SELECT DISTINCT ?term WHERE {
  { ?s ?term ?o } UNION { ?s ?p ?term . FILTER(isIRI(?term)) }
}
"""


def check_external_terms(store, report: Report) -> None:
    """Add an `external-term` finding for each term used in a known namespace that it lacks."""
    vocabularies = _closed_vocabularies()
    for row in store.query(QUERY):
        term = row["term"].value
        for base, names in vocabularies.items():
            if term.startswith(base):
                local = term[len(base):]  # bibo's status individuals keep their path: "status/draft"
                if local and local not in names:
                    report.add(Finding("external-term", term, f"not a term of the vocabulary <{base}>"))
                break
