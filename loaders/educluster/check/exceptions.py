"""Recorded exceptions to `check`'s rules: ontology/qc/exceptions.ttl, one place, a reason each.

An exception names a rule (`qc:rule`, the rule's name as reports print it), one or more items
(`qc:item`) and a reason (`qc:reason`, true to the paper). It silences that rule's findings on those
items only. An exception without a reason, or one that no longer silences anything, is itself a
finding, so exceptions stay few and current. The file is read by check, never merged into the build."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .findings import Finding, Report

QC = "https://w3id.org/educluster/qc#"


@dataclass
class Exceptions:
    """(rule, item) pairs that are waived, with the reason and where each is written."""

    waived: dict[tuple[str, str], str]
    where: dict[tuple[str, str], tuple[str, int | None]]

    def apply(self, report: Report, present: set[str], not_run: set[str] = frozenset()) -> None:
        """Drop waived findings from the report; add `exception-unused` for waivers never used on
        an item that is present (a trimmed knowledge base, e.g. a test fixture, lacks the others), by a
        rule that ran (`not_run`: rules skipped, e.g. with --no-seeds)."""
        used: set[tuple[str, str]] = set()
        kept = []
        for finding in report.findings:
            key = (finding.rule, finding.focus)
            if key in self.waived:
                used.add(key)
            else:
                kept.append(finding)
        report.findings[:] = kept
        for key in sorted(set(self.waived) - used):
            if key[1] not in present or key[0] in not_run:
                continue
            file, line = self.where[key]
            report.add(Finding("exception-unused", key[1], f"the exception to rule '{key[0]}' no longer "
                               "applies: remove it from the exceptions file", key[0], file, line))

    def count(self, rule: str) -> int:
        """How many items are excepted from `rule`."""
        return sum(1 for r, _ in self.waived if r == rule)


def load_exceptions(path: Path, report: Report) -> Exceptions:
    """Read the exceptions file (missing: none); an exception without rule, item or reason is a finding."""
    from rdflib import Graph, Namespace

    from ..errors import display_path
    from ..kb import parse_file

    exceptions = Exceptions({}, {})
    if not path.is_file():
        return exceptions
    graph = parse_file(path, Graph(), format="turtle")
    lines = _statement_lines(path)
    qc = Namespace(QC)
    shown = display_path(path)
    for node in set(graph.subjects(qc.rule, None)) | set(graph.subjects(qc.item, None)):
        rules = [str(r) for r in graph.objects(node, qc.rule)]
        reason = " ".join(str(r) for r in graph.objects(node, qc.reason)).strip()
        items = [str(i) for i in graph.objects(node, qc.item)]
        line = next((lines[r] for r in rules if r in lines), None)
        if len(rules) != 1 or not items or not reason:
            report.add(Finding("exception-incomplete", rules[0] if rules else shown,
                               "an exception needs exactly one qc:rule, at least one qc:item and a qc:reason",
                               "", shown, line))
            continue
        for item in items:
            exceptions.waived[(rules[0], item)] = reason
            exceptions.where[(rules[0], item)] = (shown, _item_line(path, item, line))
    return exceptions


def _statement_lines(path: Path) -> dict[str, int]:
    """The line of each `qc:rule "name"` (the first line of an exception entry)."""
    import re

    found: dict[str, int] = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.search(r'qc:rule\s+"([^"]+)"', text)
        if match:
            found.setdefault(match.group(1), number)
    return found


def _item_line(path: Path, item: str, default: int | None) -> int | None:
    """The line that names the item (by its local name), else the entry's line."""
    local = item.rsplit("/", 1)[-1]
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if f":{local}" in text or f"/{local}>" in text:
            return number
    return default
