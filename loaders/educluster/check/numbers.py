"""Numbers rule: every number or year written in an item's labels or definitions (any language)
occurs in one of its quotes, so that no figure enters the knowledge base that the paper does not
print. Numbers are runs of digits; "5-7" is 5 and 7. The year a source prints (`dcterms:issued` of
a paper or work the item cites) may name it, as in "(Mukhamedov et al. 2020)", and "wording 2" is
the editors' numbering of one scholar's several wordings (each wording is its own definition)."""
from __future__ import annotations

import re

from .findings import Finding, Report
from .papers import Item

_DIGITS = re.compile(r"\d+")
_WORDING = re.compile(r"\bwording \d+\b")  # the editors' numbering of one scholar's wordings

QUERY = """
PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?p ?text WHERE {
  ?item ec:quote ?q .
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel skos:definition }
  ?item ?p ?text .
}
"""

YEARS = """
PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?item ?year WHERE { ?item ec:quote ?q ; dcterms:source ?source . ?source dcterms:issued ?year }
"""


def check_numbers(store, items: dict[str, Item], report: Report) -> int:
    """Add a `number-not-in-quote` finding per number of a label or definition that no quote of the
    item contains; return how many items were examined."""
    printed: dict[str, set[str]] = {}
    for iri, item in items.items():
        printed[iri] = {n.lstrip("0") or "0" for quote in item.quotes for n in _DIGITS.findall(quote)}
    for row in store.query(YEARS):  # "(Mukhamedov et al. 2020)": the printed year of a source
        printed.setdefault(row["item"].value, set()).add(row["year"].value[:4].lstrip("0"))
    seen: set[tuple[str, str]] = set()
    for row in store.query(QUERY):
        iri, text = row["item"].value, row["text"].value
        for number in _DIGITS.findall(_WORDING.sub("", text)):
            key = number.lstrip("0") or "0"
            if key in printed.get(iri, set()) or (iri, key) in seen:
                continue
            seen.add((iri, key))
            prop = row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            report.add(Finding("number-not-in-quote", iri, f"the number {number} in its {prop} does "
                               "not occur in any of its quotes", number))
    return len(items)
