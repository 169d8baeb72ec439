"""One name for a thing the data names in several languages (data officers write Uzbek,
Russian and English): English first, then untagged, then the rest, ties by text, so that an
English report never depends on the order a store returns rows."""

from __future__ import annotations


def rank(term) -> tuple:
    """Sort key choosing one name among several: English first, then untagged, then the other
    languages; ties by text, so a report never depends on the order the store returns rows."""
    if term is None:
        return (3, "")
    language = (getattr(term, "language", None) or "").lower()
    return (0 if language == "en" or language.startswith("en-") else 1 if not language else 2,
            term.value)


def better(current, term) -> bool:
    """True when ``term`` is a better name than ``current`` (see :func:`rank`)."""
    return term is not None and (current is None or rank(term) < rank(current))
