"""Run every QC query `ontology/qc/*-violation.rq`; each row a query returns is a finding.

A query file's name (less `-violation.rq`) is its rule; it selects ?focus and optionally ?value and
?message. Queries run on pyoxigraph, which answers them in milliseconds."""
from __future__ import annotations

from pathlib import Path

from .findings import Finding, Report


def qc_queries(qc_dir: Path) -> list[Path]:
    """Every QC query file, in a stable order."""
    return sorted(qc_dir.glob("*-violation.rq"))


def _first_comment(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return "QC query returned this row"


def run_qc(store, qc_dir: Path, report: Report, rule_prefix: str = "") -> int:
    """Add one finding per returned row; return how many queries ran."""
    queries = qc_queries(qc_dir)
    for path in queries:
        text = path.read_text(encoding="utf-8")
        rule = rule_prefix + path.name[: -len("-violation.rq")]
        default_message = _first_comment(text)
        for row in store.query(text):
            focus = row["focus"]
            value = _get(row, "value")
            message = _get(row, "message") or default_message
            report.add(Finding(rule, focus.value if focus is not None else "", message, value))
    return len(queries)


def _get(row, name: str) -> str:
    try:
        term = row[name]
    except (KeyError, IndexError):
        return ""
    return "" if term is None else term.value


def run_skos_qc(store, skos_qc_dir: Path, report: Report) -> int:
    """Run the qSKOS-style queries on the SKOS export `build` writes, so a list that Skosmos
    could not show is a `check` finding (rule ``skos-...``) before anything is published (items
    the KB's own rules already flag are not told twice); return
    how many concepts the export holds."""
    from ..skos_export import export_store

    export = export_store(store)
    found = Report()
    run_qc(export, skos_qc_dir, found, rule_prefix="skos-")
    # the export is derived from the KB: an item the KB's own rules already flag would be
    # the same fault told twice (a broader cycle, a missing label), so it is told once
    flagged = {f.focus for f in report.findings}
    for finding in found.findings:
        if finding.focus not in flagged:
            report.add(finding)
    concepts = export.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { "
                            "?c a <http://www.w3.org/2004/02/skos/core#Concept> }")
    return int(next(iter(concepts))["n"].value)
