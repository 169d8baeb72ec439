"""`check` rule `locator`: every item with a quote found in its paper has exactly the locators
that the paper gives for its quotes (page or section): none missing, none that its quotes do not give.

The locators live in ontology/kb/locators.ttl, written by ``python -m educluster.locators`` from
the same computation (:mod:`educluster.locators`); this rule catches a file gone stale after a
quote was added, moved or changed, and a locator edited by hand."""
from __future__ import annotations

from pathlib import Path

from .findings import Finding, Report
from educluster.i18n import N_

FIX = "run python -m educluster.locators"


def run(store, seeds: Path | None, report: Report) -> None:
    """Compare the stored locators with those the seeds give; skip (with a note) without seeds."""
    from educluster import locators as L

    if seeds is None:
        report.notes.append(N_("no seeds folder: locators not verified"))
        return
    texts = L.load_seeds(store, seeds)
    for problem in (s.check_pages() for s in texts.values()):
        if problem:
            report.add(Finding("locator", problem, "the running headers do not fit the printed pages",
                               "", L.FILE_NAME))
    want, have = L.compute(store, texts), L.stored(store)
    # Only items with a quote found in their paper: an item whose quotes are missing, not
    # verbatim or in a paper whose text is absent is the quote rules' finding, not this one's.
    for item, w in want.items():
        h = have.get(item, [])
        if w == h:
            continue
        if not h:
            message = f"no locator; its quotes stand at {'; '.join(w)}: {FIX}"
        else:
            message = f"locator does not match where its quotes stand ({'; '.join(w)}): {FIX}"
        report.add(Finding("locator", item, message, "; ".join(h)))   # check locates the item
    report.checks_run.append("locators")
