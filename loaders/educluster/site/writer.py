"""The pages being generated: a :class:`Page` collects Markdown, a :class:`Pages` all of them.

Links go through :meth:`Page.link` (Markdown, which mkdocs rewrites and validates
in the strict build) and :meth:`Page.href` (a relative ``.html`` URL for raw HTML
and SVG, checked by :mod:`educluster.site.linkcheck` after the build). A node
without a page or anchor is shown as escaped text, never as a broken link.
"""

from __future__ import annotations

import json

from educluster.site import escape, urls
from educluster.site import lang as sitelang

NOTICE = "# generated from {source} by educluster site build — do not edit"
#: pages titled by a name (scholars, works, organisations): an untranslated name is marked
#: lang="en" but not noted "(English)" in the heading -- a name is not a missing translation
NAMES = ("id/person/", "id/paper/", "id/work/", "id/org/")


class Page:
    def __init__(self, pages: "Pages", doc: str, title: str, source: str):
        self.pages = pages
        self.model = pages.model
        self.doc = doc
        self.title = title
        self.source = source
        self.parts: list[str] = []
        # the page's RDF (pages_rdf): [{"type": media type, "href": relative URL}], JSON-LD text
        self.alternates: list[dict] = []
        self.search_boost: float | None = None  # mkdocs-material's search: boost (front matter)
        self.search_tags: list[str] = []  # front matter tags: indexed by the search, not shown
        self.description: str | None = None  # <meta name=description>; default from the title
        self.jsonld: str = ""
        # the browser's <title> when the H1 alone would repeat another page's (an item and a
        # list of the same name, a characteristic and a principle both called "common goal")
        self.head_title: str | None = None

    # -- content -------------------------------------------------------------------------------

    def add(self, *chunks: str) -> "Page":
        self.parts.extend(chunks)
        return self

    def para(self, text: str) -> "Page":
        return self.add(text.strip() + "\n")

    def h(self, level: int, text_md: str, anchor: str | None = None) -> "Page":
        suffix = f" {{ #{anchor} }}" if anchor else ""
        return self.add(f"{'#' * level} {text_md}{suffix}\n")

    def render(self) -> str:
        """The page: front matter (the notice as a YAML comment, the title), H1, content.

        The title goes into the front matter HTML-escaped: the theme writes ``page.meta.title``
        into ``<title>``, the header and the search index without escaping it, and would
        otherwise fall back to ``page.title | striptags``, which unescapes.
        """
        rdf = ""
        if self.alternates:  # written into <head> by site/overrides/main.html
            rdf = ("ec_alternates: " + json.dumps(self.alternates) + "\n"
                   + "ec_jsonld: " + json.dumps(self.jsonld) + "\n")
        if self.search_boost:  # concept pages come first in the search results
            rdf += f"search:\n  boost: {self.search_boost:g}\n"
        # one description per page (all 351 pages shared the site's): escaped like the title,
        # the theme writes it into <meta name="description"> as it is
        desc = " ".join(str(self.description or "").split())
        if len(desc) > 200:
            desc = desc[:199].rsplit(" ", 1)[0] + "…"
        desc = (f"{self.title}: {desc}" if desc else
                f"{self.title} — educluster, educational-cluster concepts, definitions and sources")
        rdf += "description: " + json.dumps(escape.html(desc)) + "\n"
        if self.search_tags:  # the search index's most weighted field: the page's own labels
            rdf += "tags: " + json.dumps(self.search_tags) + "\n"
        head = ("---\n" + NOTICE.format(source=self.source) + "\n"
                + "title: " + json.dumps(escape.html(self.head_title or self.title)) + "\n"
                + rdf + "---\n\n"
                + f"# {self.shown(self.title, mark=not self.doc.startswith(NAMES))}\n\n")
        return head + "\n".join(p if p.endswith("\n") else p + "\n" for p in self.parts)

    def shown(self, text, *, mark: bool = False, html: bool = False) -> str:
        """``text`` escaped (Markdown, or HTML with ``html``); an English text standing in for a
        missing translation is marked ``lang="en"`` and, with ``mark``, followed by the visible
        note "(English)" in the page's language."""
        esc = escape.html(text) if html else escape.md(text)
        if not self.model.is_fallback(text):
            return esc
        note = (f' <span class="ec-fallback">{escape.html(sitelang.fallback_note(self.model.lang))}</span>'
                if mark else "")
        return f'<span lang="en">{esc}</span>{note}'

    # -- links ---------------------------------------------------------------------------------

    def target(self, node) -> urls.Target | None:
        return self.model.target(node)

    def link(self, node, text: str | None = None, *, code: bool = False) -> str:
        """A Markdown link to ``node``'s page (escaped label as text), or escaped text."""
        label = self.model.label(node) if text is None else text
        shown = f"<code>{self.shown(label)}</code>" if code else self.shown(label)
        t = self.target(node)
        if t is None:
            return shown
        return f"[{shown}]({urls.rel(self.doc, t, markdown=True)})"

    def link_doc(self, doc: str, text_md: str, anchor: str = "") -> str:
        if self.shared(doc):  # a file of the English root: not a page mkdocs knows here
            return f'<a href="{escape.attr(self.href_doc(doc, anchor))}">{text_md}</a>'
        return f"[{text_md}]({urls.rel(self.doc, urls.Target(doc, anchor), markdown=True)})"

    def href(self, node) -> str | None:
        """Relative ``.html`` URL of ``node``'s page, for raw HTML and SVG (None if none)."""
        t = self.target(node)
        return None if t is None else urls.rel(self.doc, t, markdown=False)

    def href_doc(self, doc: str, anchor: str = "") -> str:
        if self.shared(doc):
            up = "../" * (self.doc.count("/") + sitelang.ROOT[self.model.lang].count("/"))
            return up + doc + (f"#{anchor}" if anchor else "")
        return urls.rel(self.doc, urls.Target(doc, anchor), markdown=False)

    def href_root_file(self, path: str) -> str:
        """Relative URL of a file written as is at the English root of the built site (not a
        page mkdocs renders), from this page in any language."""
        return "../" * (self.doc.count("/") + sitelang.ROOT[self.model.lang].count("/")) + path

    def shared(self, doc: str) -> bool:
        """Whether ``doc`` is a file (not a page) on a page in another language than English:
        the downloads exist once, at the English root, for every language."""
        return self.model.lang != "en" and not doc.endswith(".md")

    def hlink(self, node, text: str | None = None) -> str:
        """An HTML ``<a>`` to ``node``'s page (escaped label), or escaped text."""
        label = self.model.label(node) if text is None else text
        h = self.href(node)
        shown = self.shown(label, html=True)
        return f'<a href="{escape.attr(h)}">{shown}</a>' if h else shown


class Pages:
    """All generated pages and files, by docs path."""

    def __init__(self, model):
        self.model = model
        self.pages: dict[str, Page] = {}
        self.files: dict[str, bytes] = {}
        # callables returning {path: bytes} for the built site, run while mkdocs builds
        self.late: list = []

    def page(self, doc: str, title: str, source: str) -> Page:
        if doc in self.pages:
            raise ValueError(f"page generated twice: {doc}")
        p = Page(self, doc, title, source)
        self.pages[doc] = p
        return p

    def file(self, path: str, data: bytes | str) -> None:
        self.files[path] = data.encode("utf-8") if isinstance(data, str) else data
