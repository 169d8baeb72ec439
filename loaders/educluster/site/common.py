"""Building blocks every generated page uses: sources, quotes, matches, details, "used by"."""

from __future__ import annotations

import re

from educluster.site import diagrams, escape
from educluster.site import model as M
from educluster.site.lang import _
from educluster.site.writer import Page

# properties shown by the dedicated blocks, not again in the details table
SHOWN = {M.TYPE, M.LABEL, M.PREF, M.DEFINITION, M.QUOTE, M.LOCATOR, M.SOURCE, M.ATTRIBUTED,
         M.INFERRED_SOURCE, M.INFERENCE_REASON, M.PRINTED_ATTRIBUTION,
         M.SKOS + "closeMatch", M.SKOS + "relatedMatch", M.SKOS + "altLabel",
         M.RDFS + "comment", M.RDFS + "isDefinedBy"}
# properties that add nothing to a neighbourhood diagram
NOT_IN_DIAGRAM = {M.RDFS + "isDefinedBy", M.SKOS + "topConceptOf"}


_PAPER_NUMBER = re.compile(r"\b(00\d)\b")


def _md_keep_spaces(text: str) -> str:
    """``escape.md`` of ``text`` with its leading and trailing spaces kept."""
    core = text.strip()
    if not core:
        return text
    return text[: len(text) - len(text.lstrip())] + escape.md(core) + text[len(text.rstrip()):]


def _with_paper_names(page: Page, text: str, plain, name) -> str:
    """``text`` with each internal paper number replaced by ``name(page, paper)`` and the text
    between written by ``plain``."""
    by_number = page.model.papers_by_number
    text = str(text)
    out, last = [], 0
    for hit in _PAPER_NUMBER.finditer(text):
        paper = by_number.get(hit.group(1))
        if paper is None:
            continue
        out.append(plain(text[last:hit.start()]) + name(page, paper))
        last = hit.end()
    return "".join(out) + plain(text[last:])


def comment_md(page: Page, text: str) -> str:
    """An editors' comment as Markdown, with the internal paper numbers ("Named in 003", the
    seed files' numbers) replaced by the papers' short citations, linked; the comments are
    written in English, so marked lang="en" on the other languages' pages."""
    return english(page, _with_paper_names(page, text, _md_keep_spaces, paper_name))


def comment_html(page: Page, text: str) -> str:
    """An editors' comment as HTML (inside raw-HTML cards), paper numbers as in comment_md."""
    return english(page, _with_paper_names(page, text, escape.html,
                                            lambda pg, paper: pg.hlink(paper, pg.model.short_cite(paper))))


def english(page: Page, shown: str) -> str:
    """``shown`` (an English-only text: an editors' comment, a shape's description) marked lang="en"
    on a page in another language."""
    return shown if page.model.lang == "en" else f'<span lang="en">{shown}</span>'


def paper_name(page: Page, paper) -> str:
    """A Markdown link to a paper or work, shown by its short citation."""
    return page.link(paper, page.model.short_cite(paper))


def source_line(page: Page, node) -> str:
    """``Source: <paper>, citing <work> (printed reference); the editors infer <work> (...);
    attributed to <scholar>`` (Markdown), or ""."""
    m = page.model
    papers, works = m.papers_of(node), m.works_of(node)
    bits = []
    if papers:
        bits.append(_("Source:") + " " + ", ".join(paper_name(page, p) for p in papers))
    if works:
        bits.append((_("citing") + " " if papers else _("Source:") + " ")
                    + ", ".join(paper_name(page, w) for w in works) + " " + _("(printed reference)"))
    inferred = m.inferred_works_of(node)
    if inferred:
        reasons = sorted(str(r) for r in m.objects(node, M.INFERENCE_REASON))
        bits.append(_("the editors infer {works}").format(
            works=", ".join(paper_name(page, w) for w in inferred))
                    + " (" + _("no printed reference")
                    + (": " + escape.md(" ".join(reasons)) if reasons else "") + ")")
    who = sorted(m.objects(node, M.ATTRIBUTED), key=m.sort_key)
    if who:
        bits.append(_("attributed to") + " " + ", ".join(page.link(w) for w in who))
    printed = sorted(str(w) for w in m.objects(node, M.PRINTED_ATTRIBUTION))
    if printed:
        bits.append("the paper's words for whom it reports: " + "; ".join(f"“{escape.md(w)}”" for w in printed)
                    + " (as printed; no scholar asserted)")
    return "; ".join(bits)


def locator_html(page: Page, node) -> str:
    """Where the item's quotes stand in the paper (ec:locator: page or section), or ""."""
    locs = sorted(str(x) for x in page.model.objects(node, M.LOCATOR))
    if not locs:
        return ""
    return ('<p class="ec-locator">' + escape.html(_("Location in the paper:"))
            + f' {escape.html("; ".join(locs))}</p>')


def quote_html(page: Page, node) -> str:
    """Every quote of the item (an item may rest on several passages), then its locator."""
    quotes = sorted(str(q) for q in page.model.objects(node, M.QUOTE))
    if not quotes:
        return ""
    # quotes stay in English, verbatim, on every language's pages
    return ("".join(f'<blockquote class="ec-quote" lang="en">{escape.html(q)}</blockquote>\n'
                    for q in quotes)
            + locator_html(page, node) + "\n")


def matches_md(page: Page, node) -> list[str]:
    """"The same idea in <paper>: <item>" lines for skos:closeMatch / relatedMatch (both ways)."""
    m = page.model
    lines = []
    seen = set()
    for prop, phrase in ((M.SKOS + "closeMatch", _("The same idea in")),
                         (M.SKOS + "relatedMatch", _("A related idea in"))):
        others = set(m.objects(node, prop)) | set(m.subjects(prop, node))
        for o in sorted(others, key=m.sort_key):
            if (o, phrase) in seen or o == node:
                continue
            seen.add((o, phrase))
            papers = m.papers_of(o)
            where = ", ".join(m.short_cite(p) for p in papers) or _("another list")
            lines.append(f"{phrase} {escape.md(where)}: {page.link(o)}")
    return lines


def value_md(page: Page, o) -> str:
    m = page.model
    if isinstance(o, m.Literal):
        return page.shown(M.Text.of(o))
    if isinstance(o, m.BNode):
        return escape.md(m.label(o))
    if page.target(o) is not None:
        return page.link(o)
    return f"<code>{escape.md(m.curie(o))}</code>"


def prop_label(page: Page, p: str) -> str:
    """A property as a row label: a link to its page, else the label its specification gives
    it, linked to the specification, with the raw name as a tooltip."""
    from educluster.site import vocabularies

    node = page.model.node(p)
    if page.target(node) is not None:
        return page.link(node)
    curie = page.model.curie(node)
    label = vocabularies.TERM_LABELS.get(curie)
    prefix = vocabularies.namespace_of(curie)
    if label and prefix:
        return (f'<a href="{escape.attr(vocabularies.SPECS[prefix][1])}" title="{escape.attr(curie)}">'
                f"{escape.html(label)}</a>")
    return f"<code>{escape.md(curie)}</code>"


def prop_name(page: Page, p: str) -> str:
    """A property's readable name as plain text (diagram edges): its label, else its spec's."""
    from educluster.site import vocabularies

    m = page.model
    label = m.label(m.node(p))
    return vocabularies.TERM_LABELS.get(label, label)


def details_table(page: Page, node, skip: set[str] = frozenset()) -> str:
    """Every other statement about ``node`` as a property/value table (Markdown)."""
    m = page.model
    rows = []
    for p, objs in sorted(m.out.get(node, {}).items(), key=lambda kv: kv[0]):
        if p in SHOWN or p in skip:
            continue
        values = sorted(objs, key=lambda o: (m.list_key(o) if m.is_iri(o) else (0, str(o), "")))
        rows.append(f"| {prop_label(page, p)} | {'<br>'.join(value_md(page, o) for o in values)} |")
    if not rows:
        return ""
    return ("| " + _("property") + " | " + _("value") + " |\n| --- | --- |\n"
            + "\n".join(rows) + "\n")


def used_by(page: Page, node, skip: set[str] = frozenset()) -> str:
    """What links to ``node``: a list per property (Markdown), or ""."""
    m = page.model
    out = []
    for p, subs in sorted(m.inc.get(node, {}).items(), key=lambda kv: kv[0]):
        if p in skip or p == M.TYPE:
            continue
        shown = sorted({s for s in subs if m.is_iri(s)}, key=m.list_key)
        if not shown:
            continue
        items = ", ".join(page.link(s) for s in shown)
        out.append("- " + _("linked by {property} from:").format(property=prop_label(page, p))
                   + " " + items)
    return "\n".join(out) + ("\n" if out else "")


def node_for(page: Page, x, css: str = "ec-node", max_chars: int = 28) -> diagrams.Node:
    m = page.model
    label = m.label(x) if not isinstance(x, m.Literal) else str(x)
    if isinstance(x, m.URIRef) and page.target(x) is None:
        css += " ec-external"
    return diagrams.Node(label, page.href(x), css, max_chars=max_chars)


def neighbourhood_svg(page: Page, node, title: str | None = None) -> str:
    m = page.model
    left, right = [], []
    for p, objs in sorted(m.out.get(node, {}).items()):
        if p in NOT_IN_DIAGRAM:
            continue
        for o in sorted(objs, key=str):
            if isinstance(o, m.URIRef):
                right.append((prop_name(page, p), node_for(page, o)))
    for p, subs in sorted(m.inc.get(node, {}).items()):
        if p in NOT_IN_DIAGRAM:
            continue
        for s in sorted(subs, key=str):
            if isinstance(s, m.URIRef):
                left.append((prop_name(page, p), node_for(page, s)))
    if not left and not right:
        return ""
    center = diagrams.Node(m.label(node), None)
    return diagrams.neighbourhood(center, left, right,
                                  title or _("Neighbourhood of {name}").format(name=m.label(node))) + "\n"


def bullet_list(lines: list[str]) -> str:
    return "".join(f"- {line}\n" for line in lines)
