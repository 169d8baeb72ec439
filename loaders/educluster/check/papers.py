"""The source papers' text for `check`: read once from the seeds folder, whitespace collapsed, and
each item's quotes located in its own paper (the rules on quotes, attribution and list order use it).

A paper whose `ec:seedFile` is not in the seeds folder, or a folder with none of the papers, is an
error (exit 2), never a silent skip: skipping quote verification is the user's `--no-seeds`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..i18n import _

EC = "https://w3id.org/educluster/ontology#"
MAX_SEED_BYTES = 20 * 1024 * 1024  # the papers are tens of kilobytes; refuse anything absurd
_WS = re.compile(r"\s+")

PAPERS_QUERY = f"""
PREFIX ec: <{EC}>
SELECT ?paper ?file WHERE {{ ?paper ec:seedFile ?file }} ORDER BY ?paper ?file
"""

QUOTES_QUERY = f"""
PREFIX ec: <{EC}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?item ?quote ?paper WHERE {{
  ?item ec:quote ?quote .
  OPTIONAL {{ ?item dcterms:source ?paper . ?paper ec:seedFile ?file }}
}}
"""


def collapse(text: str) -> str:
    """Collapse every run of whitespace to one space, so line breaks in the OCR do not matter."""
    return _WS.sub(" ", text).strip()


@dataclass
class Paper:
    """One source paper: its IRI, seed file name and collapsed text."""

    iri: str
    file: str
    text: str


@dataclass
class Item:
    """An item with quotes: its papers (normally exactly one) and each quote's offsets there."""

    iri: str
    papers: set[str] = field(default_factory=set)
    quotes: list[str] = field(default_factory=list)

    def paper(self) -> str | None:
        """The item's own paper, when it names exactly one."""
        return next(iter(self.papers)) if len(self.papers) == 1 else None


def load_papers(store, seeds: Path, locations) -> dict[str, Paper]:
    """Read every paper's seed file from `seeds`; UserError (exit 2) for a missing or unreadable one."""
    rows = [(row["paper"].value, row["file"].value) for row in store.query(PAPERS_QUERY)]
    if not rows:
        return {}
    present = [name for _, name in rows if _is_plain_name(name) and (seeds / name).is_file()]
    if not present:
        raise UserError(_("this folder holds none of the papers' text files (e.g. {name}): "
                          "give --seeds the folder of the source papers, or --no-seeds to skip "
                          "quote verification").format(name=rows[0][1]), file=seeds)
    papers: dict[str, Paper] = {}
    for iri, name in rows:
        where, line = locations.of(iri)
        if not _is_plain_name(name) or not (seeds / name).is_file():
            raise UserError(_("paper <{iri}>: its ec:seedFile \"{name}\" is not a file in "
                              "{folder}; correct the file name (or give --seeds the folder that "
                              "holds it)").format(iri=iri, name=name, folder=seeds),
                            file=where or None, line=line)
        path = seeds / name
        try:
            if path.stat().st_size > MAX_SEED_BYTES:
                raise UserError(_("larger than {mb} MB: not a paper's text; check "
                                  "--seeds").format(mb=MAX_SEED_BYTES // 2**20), file=path)
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(_("not UTF-8 text ({reason}); save the paper's text as "
                              "UTF-8").format(reason=exc.reason), file=path) from exc
        except OSError as exc:
            raise UserError(_("cannot read the paper's text ({reason}); fix its permissions "
                              "or give --seeds another folder").format(reason=exc.strerror),
                            file=path) from exc
        papers[iri] = Paper(iri, name, collapse(text))
    return papers


def _is_plain_name(name: str) -> bool:
    """A seed file is named, never a path: the check reads nothing outside the seeds folder."""
    return bool(name) and "/" not in name and "\\" not in name and name not in {".", ".."}


def quoted_items(store) -> dict[str, Item]:
    """Every item with an ec:quote, with the papers (sources that have a seed file) it names."""
    items: dict[str, Item] = {}
    for row in store.query(QUOTES_QUERY):
        item = items.setdefault(row["item"].value, Item(row["item"].value))
        quote = row["quote"].value
        if quote not in item.quotes:
            item.quotes.append(quote)
        paper = row["paper"]
        if paper is not None:
            item.papers.add(paper.value)
    for item in items.values():
        item.quotes.sort()
    return items


def find_all(text: str, quote: str) -> list[int]:
    """Every offset of the collapsed quote in the collapsed paper text."""
    needle = collapse(quote)
    if not needle:
        return []
    offsets, start = [], text.find(needle)
    while start != -1:
        offsets.append(start)
        start = text.find(needle, start + 1)
    return offsets
