"""Where each quote stands in its paper: the locators of ``ontology/kb/locators.ttl``.

A locator is what a reader needs to find a quote in the printed paper: the page where the paper
shows its pages, else the section heading the quote stands under (decision 0013):

- 003 prints its journal pages (250-257 in its citation line) and a running header (the
  "Impact Factor:" table) at the top of each page: a quote on the third page is ``p. 252``;
- 004 prints a running header ("SCIENCE AND INNOVATION ...") on each page after the first but no
  page numbers: pages are counted from the article's first page and shown in brackets, ``p. [2]``;
- 000, 001 and 002 print no pages: ``section "RESULTS AND FINDINGS"`` (the heading as printed,
  without Markdown marks or a trailing colon): Markdown headings (001), lines in capitals (002),
  short plain lines between blank lines (000), and run-in headings ("Conclusion: ...").

Re-run after quotes are added or moved (deterministic: the same knowledge base and seeds give the
same file, byte for byte)::

    python -m educluster.locators            # rewrite ontology/kb/locators.ttl
    python -m educluster.locators --check    # exit 1 if the file is not up to date

``educluster check`` verifies the file against the seeds (:mod:`educluster.check.locators`).
"""
from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

EC = "https://w3id.org/educluster/ontology#"
LOCATOR = EC + "locator"
FILE_NAME = "locators.ttl"

#: Page numbering per paper (by the seed file's three-digit prefix): the running header that
#: starts a page, and the number of the page it starts counting from. ``printed``: the journal
#: prints the numbers (the first page has a header too); otherwise pages are counted from 1 and
#: the first page has no header.
PAGES = {
    "003": {"header": re.compile(r"Impact Factor:"), "first": 250, "printed": True, "last": 257},
    "004": {"header": re.compile(r"SCIENCE AND INNOVATION"), "first": 1, "printed": False},
}

_MARKDOWN = re.compile(r"^\s*#{1,6}\s+(.*\S)\s*$")
_CAPS = re.compile(r"^[A-Z][A-Z ]{3,}[A-Z]$")
_SPACED_LETTERS = re.compile(r"^(?:[A-Z] )+[A-Z]$")          # "N N N N S": OCR list markers
_RUN_IN = re.compile(r"^\s*\**(Abstract|Introduction|Conclusions?|Results|Discussion)\**\s*[:.]")
#: Papers whose headings are plain short lines between blank lines ("Introduction", "List of Used
#: Literature"), not Markdown or capitals.
PLAIN_HEADINGS = {"000"}
_STANDALONE = re.compile(r"^[A-Z][a-z]+(?: (?:[A-Z][a-z]+|of|and|the|Used))*$")
_TOKEN = re.compile(r"\S+")


def _clean_heading(text: str) -> str:
    return text.replace("*", "").strip().rstrip(":.").strip()


@dataclass
class Seed:
    """One paper's text: its collapsed form (as ``check`` compares quotes) and, for each
    position in it, the line of the file, the page and the heading it stands under."""

    name: str
    text: str

    @cached_property
    def _index(self):
        lines = self.text.splitlines()
        starts, line_of, parts, pos = [], [], [], 0
        for n, line in enumerate(lines, 1):
            for m in _TOKEN.finditer(line):
                if parts:
                    pos += 1                               # the one space between tokens
                starts.append(pos)
                line_of.append(n)
                parts.append(m.group(0))
                pos += len(m.group(0))
        return " ".join(parts), starts, line_of, lines

    @property
    def collapsed(self) -> str:
        return self._index[0]

    def line_at(self, offset: int) -> int:
        """The file line (from 1) of the token at ``offset`` of the collapsed text."""
        _, starts, line_of, _ = self._index
        return line_of[max(0, bisect.bisect_right(starts, offset) - 1)]

    @cached_property
    def page_breaks(self) -> list[int]:
        """The lines on which a running header starts a new page (empty if none)."""
        rule = PAGES.get(self.name[:3])
        if rule is None:
            return []
        return [n for n, line in enumerate(self._index[3], 1) if rule["header"].search(line)]

    @cached_property
    def headings(self) -> list[tuple[int, str]]:
        """(line, heading) of every section heading, in order."""
        header = PAGES.get(self.name[:3], {}).get("header")
        lines = self._index[3]
        out = []
        for n, line in enumerate(lines, 1):
            s = line.strip()
            if header is not None and header.search(line):
                continue
            m = _MARKDOWN.match(line)
            if m:
                out.append((n, _clean_heading(m.group(1))))
            elif _CAPS.match(s) and not _SPACED_LETTERS.match(s):
                out.append((n, s))
            elif (m := _RUN_IN.match(line)):
                out.append((n, m.group(1)))
            elif (self.name[:3] in PLAIN_HEADINGS and _STANDALONE.match(s) and len(s.split()) <= 4 and
                  (n == 1 or not lines[n - 2].strip()) and (n == len(lines) or not lines[n].strip())):
                out.append((n, s))
        return out

    def page(self, line: int) -> str | None:
        """``p. 252`` (printed) or ``p. [2]`` (counted), or None where the paper has no pages."""
        rule = PAGES.get(self.name[:3])
        if rule is None:
            return None
        before = bisect.bisect_right(self.page_breaks, line)
        if rule["printed"]:
            return f"p. {rule['first'] + before - 1}" if before else None
        return f"p. [{rule['first'] + before}]"

    def section(self, line: int) -> str | None:
        heads = [h for n, h in self.headings if n <= line]
        return heads[-1] if heads else None

    def locate(self, quote: str) -> str | None:
        """The locator of ``quote`` (its first occurrence), or None if the paper lacks it."""
        at = self.collapsed.find(" ".join(quote.split()))
        if at < 0:
            return None
        line = self.line_at(at)
        page = self.page(line)
        if page:
            return page
        section = self.section(line)
        return f'section "{section}"' if section else "before the first heading"

    def check_pages(self) -> str | None:
        """Why the running headers do not fit the printed page range, or None if they do."""
        rule = PAGES.get(self.name[:3])
        if rule and rule["printed"]:
            expected = rule["last"] - rule["first"] + 1
            if len(self.page_breaks) != expected:
                return (f"{self.name}: {len(self.page_breaks)} running headers, but the paper "
                        f"prints pages {rule['first']}-{rule['last']} ({expected})")
        return None


QUOTES = f"""
PREFIX ec: <{EC}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?item ?quote ?file WHERE {{
  ?item ec:quote ?quote ; dcterms:source ?paper .
  ?paper ec:seedFile ?file .
}}
"""


def load_seeds(store, seeds: Path) -> dict[str, Seed]:
    """Every seed file the knowledge base names that exists in ``seeds``, by file name."""
    out = {}
    for row in store.query(f"PREFIX ec: <{EC}> SELECT DISTINCT ?f WHERE {{ ?p ec:seedFile ?f }}"):
        name = row["f"].value
        path = seeds / name
        if path.is_file():
            out[name] = Seed(name, path.read_text(encoding="utf-8"))
    return out


def compute(store, seeds: dict[str, Seed]) -> dict[str, list[str]]:
    """item IRI -> its locators (sorted), one per distinct place of its quotes; quotes that
    occur in none of the item's papers get none (``check``'s quote rule reports them)."""
    found: dict[str, set[str]] = {}
    for row in store.query(QUOTES):
        seed = seeds.get(row["file"].value)
        if seed is None:
            continue
        loc = seed.locate(row["quote"].value)
        if loc is not None:
            found.setdefault(row["item"].value, set()).add(loc)
    return {item: sorted(locs) for item, locs in sorted(found.items())}


def stored(store) -> dict[str, list[str]]:
    """item IRI -> the locators the knowledge base holds (sorted)."""
    out: dict[str, set[str]] = {}
    for row in store.query(f"SELECT ?s ?l WHERE {{ ?s <{LOCATOR}> ?l }}"):
        out.setdefault(row["s"].value, set()).add(row["l"].value)
    return {k: sorted(v) for k, v in sorted(out.items())}


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(locators: dict[str, list[str]]) -> str:
    """The Turtle of ``ontology/kb/locators.ttl``."""
    lines = [
        "# generated from the knowledge base's quotes and the papers in shared/seeds by",
        "# `python -m educluster.locators`: do not edit; re-run it after adding or moving quotes.",
        "# ec:locator: where the item's quotes stand in the paper (printed page, counted page in",
        "# brackets, or section heading); one value per distinct place. See ontology/README.md.",
        f"@prefix ec: <{EC}> .",
        "",
    ]
    for item, locs in locators.items():
        lines.append(f"<{item}> ec:locator {' , '.join(_literal(x) for x in locs)} .")
    return "\n".join(lines) + "\n"


def _store_without_locators(ontology_dir=None):
    """The knowledge base (without the locators file) in a pyoxigraph store."""
    import pyoxigraph

    from educluster.kb import ontology_files

    store = pyoxigraph.Store()
    for f in ontology_files(ontology_dir):
        if f.name != FILE_NAME:
            store.load(path=str(f), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or, with --check, compare) ontology/kb/locators.ttl; exit 0, 1 (stale), 2 (error)."""
    import argparse

    from educluster import paths
    from educluster.atomic import write_atomic
    from educluster.errors import UserError

    parser = argparse.ArgumentParser(prog="python -m educluster.locators", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", help="folder of the papers' text (default: ../shared/seeds)")
    parser.add_argument("--check", action="store_true", help="only say whether the file is up to date")
    args = parser.parse_args(argv)
    try:
        seeds_dir = Path(args.seeds) if args.seeds else paths.seeds_dir()
        if seeds_dir is None or not seeds_dir.is_dir():
            raise UserError("no seeds folder: give --seeds the folder of the papers' text", seeds_dir)
        store = _store_without_locators()
        seeds = load_seeds(store, seeds_dir)
        problems = [p for p in (s.check_pages() for s in seeds.values()) if p]
        if problems:
            raise UserError(problems[0] + "; fix PAGES in educluster/locators.py", seeds_dir)
        text = render(compute(store, seeds))
        target = paths.kb_dir() / FILE_NAME
        if args.check:
            current = target.read_text(encoding="utf-8") if target.is_file() else ""
            if current != text:
                print(f"{target} is not up to date: run python -m educluster.locators", file=sys.stderr)
                return 1
            return 0
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise UserError("not a regular file: will not replace it", target)
        write_atomic(target, text)
        print(f"wrote {target}")
        return 0
    except UserError as error:
        print(f"educluster: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
