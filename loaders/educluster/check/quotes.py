"""Quote rules: every ec:quote occurs verbatim (after collapsing whitespace) in the item's OWN paper,
an item comes from exactly one paper, and quotes under MIN_QUOTE characters need a recorded reason
(a quote that short can stand almost anywhere, so it proves little).

The papers are read from a seeds folder given at run time; the package never ships them."""
from __future__ import annotations

from .findings import Finding, Report
from .papers import Item, Paper, collapse

MIN_QUOTE = 20


def check_quotes(items: dict[str, Item], papers: dict[str, Paper], report: Report) -> int:
    """Add `quote-verbatim`, `source-papers` and `quote-short` findings; return how many quotes ran."""
    examined = 0
    for iri, item in sorted(items.items()):
        if len(item.papers) > 1:
            names = ", ".join(f"<{p}>" for p in sorted(item.papers))
            report.add(Finding("source-papers", iri, "names several source papers; an item comes from one "
                               "paper (make one item per paper and link them with skos:closeMatch)", names))
            continue
        paper = papers.get(item.paper() or "")
        if paper is None:
            continue  # no paper with a seed file: source-missing reports it
        for quote in item.quotes:
            examined += 1
            short = quote if len(quote) <= 90 else quote[:87] + "..."
            if collapse(quote) not in paper.text:
                report.add(Finding("quote-verbatim", iri, "quote does not occur verbatim in the item's own "
                                   f"paper ({paper.file})", short))
            elif len(collapse(quote)) < MIN_QUOTE:
                report.add(Finding("quote-short", iri, f"quote under {MIN_QUOTE} characters: quote the whole "
                                   "sentence, or record why this is enough in ontology/qc/exceptions.ttl", short))
    return examined
