"""Where every IRI lives on the site: page paths and anchors from the IRIs' local names.

The mapping (documented on the "How to read" page and in decision 0005):

==========================================  ===============================================
IRI                                         page (``docs`` path; the site URL ends ``.html``)
==========================================  ===============================================
``ec:<Class>``                              ``terms/<Class>.md``
``ec:<property>``                           ``terms/properties.md#<property>``
the ontology IRI                            ``terms/index.md``
``id/<kind>/<slug>``, kind with pages       ``id/<kind>/<slug>.md``
``id/<kind>/<slug>``, kind without pages    ``id/<kind>/index.md#<slug>``
==========================================  ===============================================

Every kind also has ``id/<kind>/index.md``, listing all its items, each with the
anchor ``#<slug>``. The kinds without a page of their own are those whose items are
read in their list: :data:`ANCHOR_KINDS`. A local name that is not a safe path
segment (letters, digits, ``-``, ``_``; a slug starts with a letter or digit) is
replaced by ``x-`` and the first 12 hex digits of its SHA-1, so a hostile IRI cannot
make a path outside the site.

The site is built with ``use_directory_urls: false`` (the ``offline`` plugin needs
it): the page ``id/principle/succession.md`` is served as
``id/principle/succession.html``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from educluster.kb import EC, ID, ONTOLOGY_IRI

#: Kinds whose items get an anchor on ``id/<kind>/index.md`` instead of a page.
ANCHOR_KINDS = frozenset({
    # statements and list items read in their list
    "claim", "definition", "scheme", "prerequisite", "direction-content", "swot",
    "swot-category", "difference", "chain-link", "activity-type", "axis", "objective",
    "feature", "participant-kind", "significance", "condition", "task", "key-area",
    "obligation", "element", "cooperation-area", "research-area", "consequence",
})

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_KIND = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def safe_segment(name: str) -> str:
    """``name`` if it is a safe path segment/anchor, else ``x-<sha1 prefix>``."""
    if _SEGMENT.match(name) and len(name) <= 120:
        return name
    return "x-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Target:
    """A place on the site: a docs path (``a/b.md``) and an optional anchor."""

    doc: str
    anchor: str = ""

    def url(self) -> str:
        """The site URL of the page (``a/b.html``), without the anchor."""
        return self.doc[:-3] + ".html" if self.doc.endswith(".md") else self.doc


def is_term(iri: str) -> bool:
    return iri.startswith(EC) and len(iri) > len(EC)


def is_kb(iri: str) -> bool:
    return iri.startswith(ID) and "/" in iri[len(ID):]


def kind_of(iri: str) -> str:
    """The kind of a KB individual IRI (``principle`` for ``id/principle/x``)."""
    kind = iri[len(ID):].split("/", 1)[0]
    return kind if _KIND.match(kind) else safe_segment(kind)


def slug_of(iri: str) -> str:
    return safe_segment(iri[len(ID):].split("/", 1)[1])


def kind_index(kind: str) -> str:
    return f"id/{kind}/index.md"


def target(iri: str, is_class: bool | None = None) -> Target | None:
    """The page (and anchor) of ``iri``; None for IRIs outside the ontology and KB.

    ``is_class`` says whether an ``ec:`` term is a class (page) or a property
    (anchor on the properties page).
    """
    if iri == ONTOLOGY_IRI:
        return Target("terms/index.md")
    if is_term(iri):
        name = safe_segment(iri[len(EC):])
        if is_class:
            return Target(f"terms/{name}.md")
        return Target("terms/properties.md", name)
    if is_kb(iri):
        kind, slug = kind_of(iri), slug_of(iri)
        if kind in ANCHOR_KINDS:
            return Target(kind_index(kind), slug)
        return Target(f"id/{kind}/{slug}.md")
    return None


@lru_cache(maxsize=65536)
def _relpath(dest: str, src_dir: str) -> str:
    return posixpath.relpath(dest, src_dir or ".")


def rel(from_doc: str, to: Target, *, markdown: bool) -> str:
    """A relative link from page ``from_doc`` to ``to``.

    ``markdown=True`` links to the ``.md`` file (mkdocs rewrites and validates it);
    ``False`` gives the ``.html`` URL for raw HTML and SVG.
    """
    dest = to.doc if markdown else to.url()
    src_dir = posixpath.dirname(from_doc)
    path = _relpath(dest, src_dir) if dest != from_doc else posixpath.basename(dest)
    return path + (f"#{to.anchor}" if to.anchor else "")
