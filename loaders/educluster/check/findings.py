"""Findings of `educluster check` and the two report formats (text for people, JSON for machines)."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from educluster.i18n import _, ngettext


@dataclass(frozen=True)
class Finding:
    """One thing `check` found wrong: which rule, on which term, why, and the offending value."""

    rule: str
    focus: str
    message: str
    value: str = ""
    file: str = ""
    line: int | None = None


@dataclass
class Report:
    """All findings of one run, plus notes on checks that could not run (e.g. no seeds)."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks_run: list[str] = field(default_factory=list)
    examined: dict[str, int] = field(default_factory=dict)
    excepted: int = 0

    def add(self, finding: Finding) -> None:
        """Record one finding."""
        self.findings.append(finding)

    def locate(self, locations) -> None:
        """Give each finding the file and line of its item where the finding does not say them:
        the item's own statement, else the statement of the item that refers to it, else the first
        line that writes it."""
        from dataclasses import replace

        for n, f in enumerate(self.findings):
            if not f.file:
                file, line = locations.of(f.focus)
                if not file and f.value:  # a dangling reference: the item that makes it
                    file, line = locations.of(f.value)
                if not file:  # a term used but never described: where it is first written
                    file, line = locations.first_use(f.focus)
                self.findings[n] = replace(f, file=file, line=line)

    def to_text(self) -> str:
        """The report for people: findings by rule, each with item, [file:line], message and value."""
        lines = []
        by_rule: dict[str, list[Finding]] = {}
        for f in self.findings:
            by_rule.setdefault(f.rule, []).append(f)
        for rule in sorted(by_rule):
            items = by_rule[rule]
            lines.append(ngettext("{rule}: {n} finding", "{rule}: {n} findings",
                                  len(items)).format(rule=rule, n=len(items)))
            for f in sorted(items, key=lambda x: (x.focus, x.value)):
                where = f" [{f.file}{'' if f.line is None else f':{f.line}'}]" if f.file else ""
                value = _(" (value: {value})").format(value=f.value) if f.value else ""
                lines.append(f"  {f.focus}{where}: {f.message}{value}")
        for note in self.notes:
            lines.append(_("note: {note}").format(note=_(note)))
        if self.examined:
            lines.append(ngettext("examined: {counts}; {n} recorded exception",
                                  "examined: {counts}; {n} recorded exceptions",
                                  self.excepted).format(
                counts=", ".join(f"{k} {v}" for k, v in self.examined.items()), n=self.excepted))
        n = len(self.findings)
        status = _("clean") if not n else ngettext("{n} finding", "{n} findings",
                                                   n).format(n=n)
        lines.append(ngettext("check: {n} check run ({checks}); {status}",
                              "check: {n} checks run ({checks}); {status}",
                              len(self.checks_run)).format(
            n=len(self.checks_run), checks=", ".join(self.checks_run), status=status))
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The report for machines: conforms, checks, notes, examined counts and findings with file and line."""
        return json.dumps(
            {
                "conforms": not self.findings,
                "checks": self.checks_run,
                "notes": self.notes,
                "examined": self.examined,
                "exceptions": self.excepted,
                "findings": [asdict(f) for f in self.findings],
            },
            indent=2,
            ensure_ascii=False,
        ) + "\n"
