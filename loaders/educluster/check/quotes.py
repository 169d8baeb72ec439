"""Verify that every ec:quote occurs verbatim (after collapsing whitespace) in the paper it cites.

The papers are read from a seeds folder given at run time; the package never ships them."""
from __future__ import annotations

import re
from pathlib import Path

from .findings import Finding, Report

EC = "https://w3id.org/educluster/ontology#"
_WS = re.compile(r"\s+")

QUERY = f"""
PREFIX ec: <{EC}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?item ?quote ?paper ?file WHERE {{
  ?item ec:quote ?quote ; dcterms:source ?paper .
  ?paper ec:seedFile ?file .
}}
"""


def collapse(text: str) -> str:
    """Collapse every run of whitespace to one space, so line breaks in the OCR do not matter."""
    return _WS.sub(" ", text).strip()


def check_quotes(store, seeds: Path, report: Report) -> None:
    """Add a `quote-verbatim` finding for each quote that none of its cited papers contains."""
    texts: dict[str, str | None] = {}
    found: dict[tuple[str, str], bool] = {}
    for row in store.query(QUERY):
        item, quote, file = row["item"].value, row["quote"].value, row["file"].value
        if file not in texts:
            path = seeds / file
            texts[file] = collapse(path.read_text(encoding="utf-8")) if path.is_file() else None
            if texts[file] is None:
                report.notes.append(f"seed file {file} not found in {seeds}; its quotes were not verified")
        text = texts[file]
        key = (item, quote)
        ok = text is not None and collapse(quote) in text
        found[key] = found.get(key, False) or ok or text is None
    for (item, quote), ok in sorted(found.items()):
        if not ok:
            short = quote if len(quote) <= 90 else quote[:87] + "..."
            report.add(Finding("quote-verbatim", item, "quote does not occur verbatim in the paper it cites", short))
