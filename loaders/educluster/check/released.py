"""Deprecation instead of deletion: a term or item of the latest release (``--releases DIR``, by
default ``releases/`` next to the ontology folder) that the ontology no longer describes is a finding, as `release` would
refuse it; keep it with ``owl:deprecated true`` and ``dcterms:isReplacedBy`` (decision 0017)."""
from __future__ import annotations

from pathlib import Path

from .findings import Finding, Report

RULE = "released-term-missing"


def check_released_terms(graph, releases: Path, report: Report) -> int:
    """Add a finding per IRI of the latest release that ``graph`` lacks; return how many IRIs
    of that release were examined (0 when there is no release)."""
    from ..errors import display_path
    from ..kb import EC, ID
    from ..release import _items, release_dates, release_graph

    dates = release_dates(releases)
    if not dates:
        return 0
    ntriples, released_file = release_graph(releases / dates[-1])
    released = _items(ntriples)
    present = {str(s) for s in graph.subjects(unique=True) if str(s).startswith((EC, ID))}
    for iri in sorted(set(released) - present):
        report.add(Finding(RULE, iri, f"in release {dates[-1]} but no longer described: keep it, "
                           "marked owl:deprecated true with dcterms:isReplacedBy its successor",
                           file=display_path(released_file)))
    return len(released)
