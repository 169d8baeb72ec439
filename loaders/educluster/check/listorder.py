"""List-order rule: the items of a printed list follow, by `ec:listPosition`, the order in which
their quotes stand in the paper. Swapping two items' quotes (or positions) breaks the order.

Items are grouped by list (`skos:inScheme`) and, for sub-items, by their broader item. A short quote
("suppliers") may stand several times in a paper, so the rule asks only that some occurrence of each
item's quotes follows (or shares) the one chosen for the item before it, choosing the earliest each
time: a list passes exactly when its quotes can be read in the paper in list order."""
from __future__ import annotations

from .findings import Finding, Report
from .papers import Item, Paper, find_all

QUERY = """
PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?list ?broader ?position WHERE {
  ?item skos:inScheme ?list ; ec:listPosition ?position .
  OPTIONAL { ?item skos:broader ?broader }
}
"""


def check_list_order(store, items: dict[str, Item], papers: dict[str, Paper], report: Report) -> int:
    """Add a `list-order` finding per item that stands in the paper before the item listed ahead of
    it; return how many listed items were examined."""
    groups: dict[tuple[str, str], list[tuple[int, list[int], str]]] = {}
    for row in store.query(QUERY):
        iri = row["item"].value
        item = items.get(iri)
        paper = papers.get(item.paper() or "") if item else None
        if paper is None:
            continue  # no quote or no single own paper: other rules report it
        offsets = [o for quote in item.quotes for o in find_all(paper.text, quote)]
        if not offsets:
            continue  # not verbatim: quote-verbatim reports it
        broader = row["broader"].value if row["broader"] is not None else ""
        try:
            position = int(row["position"].value)
        except ValueError:
            continue
        groups.setdefault((row["list"].value, broader), []).append((position, sorted(offsets), iri))
    examined = 0
    for (_, _), members in sorted(groups.items()):
        members.sort()
        examined += len(members)
        previous, previous_item, previous_position = -1, "", 0
        for position, offsets, iri in members:
            later = [o for o in offsets if o >= previous]
            if not later:
                report.add(Finding("list-order", iri, f"list position {position}, but its quote stands in "
                                   f"the paper before the quote of position {previous_position} "
                                   f"(<{previous_item}>): the quotes or positions are swapped", str(position)))
                continue
            previous, previous_item, previous_position = later[0], iri, position
    return examined
