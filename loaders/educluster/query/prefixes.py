"""The prefixes every query may use: the project's (``educluster.kb.PREFIXES``) plus one per
kind of knowledge-base item (``person:``, ``principle:``, ``definition:`` ...).

Knowledge-base IRIs are ``id/<kind>/<name>``; written with ``id:`` they need a ``/`` in the
local name (``id:person/porter``), which SPARQL does not allow, so names the table printed
could not be pasted back into a query. With a prefix per kind they print as
``person:porter`` and paste back as they are. The kinds are read from the knowledge base
itself (the ``id/<kind>/`` folders its files use), so a new kind gets its prefix without a
second list to keep; a kind whose name is already a project prefix keeps the project's.
"""

from __future__ import annotations

import functools
import re

_KIND = re.compile(r"(?:https://w3id\.org/educluster/id/|(?<![\w-])id:)([a-z][a-z0-9-]*[a-z0-9])/")
#: a local name that SPARQL and Turtle read as written after ``prefix:``
CLEAN_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


@functools.lru_cache(maxsize=1)
def kind_prefixes() -> dict[str, str]:
    """``kind -> <id>/<kind>/`` for every kind of item in the knowledge base, sorted."""
    from educluster import paths
    from educluster.kb import ID, PREFIXES

    kinds: set[str] = set()
    try:
        files = sorted(paths.ontology_dir().glob("*.ttl")) + sorted(paths.kb_dir().glob("*.ttl"))
    except Exception:  # noqa: BLE001 - no repository: no kind prefixes, the rest still works
        files = []
    for f in files:
        try:
            kinds.update(_KIND.findall(f.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return {k: f"{ID}{k}/" for k in sorted(kinds) if k not in PREFIXES}


def query_prefixes() -> dict[str, str]:
    """The project's prefixes, then one per kind of knowledge-base item."""
    from educluster.kb import PREFIXES

    return {**PREFIXES, **kind_prefixes()}
