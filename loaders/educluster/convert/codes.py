"""The allowed values of a coded column (kinds of cluster, participant and activity; items of
the knowledge base), with their meaning: one function that the README of the templates, the
workbook's drop-down lists and the site's data guide all use, so they cannot disagree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from educluster.convert.layout import EC, Column

if TYPE_CHECKING:  # pragma: no cover
    from educluster.convert.vocab import Vocabulary


def is_coded(col: Column) -> bool:
    """True for a column whose values come from a fixed list (ontology classes or
    knowledge-base items)."""
    return col.kind in ("type", "class", "code") and bool(col.code_class)


def allowed_values(vocab: "Vocabulary", col: Column) -> list[tuple[str, str]]:
    """``(value to write, meaning)`` for every allowed value of ``col``, in a stable order;
    empty for a column that is not coded."""
    from educluster.convert.vocab import slug_of

    if not is_coded(col):
        return []
    if col.kind in ("type", "class"):
        return [(name, vocab.label(EC + name) or "") for name in vocab.class_names(col.code_class)]
    return [(slug_of(iri), vocab.label(iri) or "")
            for iri in vocab.instances(EC + col.code_class, col.axis)]
