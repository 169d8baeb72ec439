"""Label-overlap rule: an item's English label shares a content word with its quotes, so a quote
moved to the wrong item (two principles' quotes swapped, even with their positions) is caught.

Words are compared by their first five letters ("pedagogical" meets "pedagogy"), leaving out short
function words and the class words labels append ("reorganization task"). Definitions (whose label
names the scholar, not the definiens) and lists (whose label describes the list) are not examined."""
from __future__ import annotations

import re

from .findings import Finding, Report
from .papers import Item

STEM = 5
_WORD = re.compile(r"[a-z]+")
STOP = set("""the of and a an in on to for by with as is are be its their from that this at or into
which it not cluster clusters principle principles task tasks""".split())

QUERY = """
PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?label WHERE {
  ?item ec:quote ?q ; rdfs:label ?label .
  FILTER(langMatches(lang(?label), "en"))
  FILTER NOT EXISTS { ?item a ec:Definition }
  FILTER NOT EXISTS { ?item a skos:ConceptScheme }
}
"""


def stems(text: str) -> set[str]:
    """The content words of a text, cut to their first STEM letters."""
    return {w[:STEM] for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in STOP}


def check_label_overlap(store, items: dict[str, Item], report: Report) -> int:
    """Add a `label-quote-overlap` finding per item whose English label shares no content word
    with any of its quotes; return how many items were examined."""
    seen: set[str] = set()
    for row in store.query(QUERY):
        iri, label = row["item"].value, row["label"].value
        if iri in seen or iri not in items:
            continue
        seen.add(iri)
        words = stems(label)
        if words and not words & stems(" ".join(items[iri].quotes)):
            report.add(Finding("label-quote-overlap", iri, "no word of its label stands in its quotes: is "
                               "the quote another item's?", label))
    return len(seen)
