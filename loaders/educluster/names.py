"""One name for a thing the data names in several languages (data officers write Uzbek,
Russian and English): the name in the language the pages are written in first, then English,
then untagged, then the rest, ties by text, so that a page never depends on the order a store
returns rows. The chosen name keeps its language (:class:`Name`), so a page can mark an English
name standing in for a missing translation."""

from __future__ import annotations

from educluster.i18n import normalise


class Name(str):
    """A name or label with the language of its literal: one of the four languages
    (``"uz-Cyrl"``, not ``"uz-cyrl"``), another tag as written, or ``None`` when untagged
    (no language is claimed for it). Serialises to JSON as the plain string."""

    lang: str | None = None

    @classmethod
    def of(cls, term) -> "Name | None":
        """The name of a pyoxigraph literal (or term), ``None`` for ``None``."""
        if term is None:
            return None
        return cls.make(term.value, getattr(term, "language", None))

    @classmethod
    def make(cls, text: str, tag: str | None) -> "Name":
        n = cls(text)
        n.lang = (normalise(tag) or tag.lower()) if tag else None
        return n


def rank(term, lang: str = "en") -> tuple:
    """Sort key choosing one name among several for a page in ``lang``: that language first,
    then English, then untagged, then the other languages; ties by text, so a report never
    depends on the order the store returns rows."""
    if term is None:
        return (4, "")
    tag = getattr(term, "language", None) or ""
    norm = normalise(tag) if tag else None
    return (0 if norm == lang else 1 if norm == "en" else 2 if not tag else 3, term.value)


def better(current, term, lang: str = "en") -> bool:
    """True when ``term`` is a better name than ``current`` for ``lang`` (see :func:`rank`)."""
    return term is not None and (current is None or rank(term, lang) < rank(current, lang))
