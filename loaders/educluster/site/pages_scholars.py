"""Scholars and sources: a page per scholar, per paper and per cited work, the
bibliography with BibTeX to copy and backlinks to what each work is cited for."""

from __future__ import annotations

import re

from educluster import collation
from educluster.site import common, escape, urls
from educluster.site import model as M
from educluster.site.lang import _, ngettext
from educluster.site.pages_concepts import definitions_block, kind_title
from educluster.site.writer import Page, Pages

SRC = "ontology/sources.ttl and ontology/kb/*.ttl"

BIBTEX_TYPES = {
    "AcademicArticle": "article", "Article": "article", "Book": "book", "Thesis": "phdthesis",
    "Proceedings": "proceedings", "Collection": "book", "BookSection": "incollection",
    "Chapter": "inbook", "Report": "techreport", "Legislation": "misc", "Document": "misc",
    "Webpage": "misc",
}


def _bib_escape(value: str) -> str:
    text = " ".join(str(value).split())
    text = text.replace("\\", "").replace("{", "(").replace("}", ")")
    return re.sub(r"([&%$#_])", r"\\\1", text)


def person_bib_name(m, p) -> str:
    family = m.text(p, M.FOAF + "familyName")
    label = m.label(p)
    if family and family in label:
        given = " ".join(label.replace(family, "").split())
        return f"{family}, {given}" if given else family
    return label


#: BibTeX blocks stay out of the search index (they filled the snippets of every search)
BIBTEX_FENCE = '{.bibtex data-search-exclude="true"}'


def bibtex(m, work) -> str:
    kind = "misc"
    for t in m.types(work):
        if t.startswith(M.BIBO) and t[len(M.BIBO):] in BIBTEX_TYPES:
            kind = BIBTEX_TYPES[t[len(M.BIBO):]]
            break
    fields: list[tuple[str, str]] = []
    authors = m.authors(work)
    if authors:
        fields.append(("author", " and ".join(person_bib_name(m, a) for a in authors)))
    fields.append(("title", m.display_title(work)))
    venue = m.value(work, M.DCT + "isPartOf")
    if venue is not None:
        vtitle = m.text(venue, M.DCT + "title") or m.label(venue)
        vtypes = m.types(venue)
        field = "journal" if M.BIBO + "Journal" in vtypes else "booktitle"
        fields.append((field, vtitle))
    year = m.year(work)
    if year:
        fields.append(("year", year))
    for prop, name in (("volume", "volume"), ("issue", "number"), ("number", "number"),
                       ("doi", "doi"), ("uri", "url"), ("issn", "issn")):
        v = m.text(work, M.BIBO + prop)
        if v and name not in {f for f, _ in fields}:
            fields.append((name, v))
    start, end = m.text(work, M.BIBO + "pageStart"), m.text(work, M.BIBO + "pageEnd")
    pages_ = f"{start}--{end}" if start and end else start or m.text(work, M.BIBO + "pages")
    if pages_:
        fields.append(("pages", pages_))
    pub = m.value(work, M.DCT + "publisher")
    if pub is not None:
        fields.append(("publisher", m.label(pub)))
    cite = m.text(work, M.DCT + "bibliographicCitation")
    if cite:
        fields.append(("note", "As printed: " + cite.replace("*", "")))
    key = urls.slug_of(str(work)) if urls.is_kb(str(work)) else "work"
    body = ",\n".join(f"  {name} = {{{_bib_escape(v)}}}" for name, v in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def cited_for(m, work) -> list:
    """The items that cite ``work`` (or ``paper``) as their source, printed or inferred."""
    return sorted(set(m.subjects(M.SOURCE, work)) | set(m.subjects(M.INFERRED_SOURCE, work)),
                  key=m.sort_key)


def citing_papers(m, work) -> tuple[list, list]:
    """(papers that print a reference to ``work``, papers for which the editors infer it)."""
    printed = sorted(m.subjects(M.CITES, work), key=m.sort_key)
    inferred = sorted(m.subjects(M.INFERRED_CITATION, work), key=m.sort_key)
    return printed, inferred


def citation_summary(page: Page, work) -> str:
    """``printed by <papers>; inferred for <papers>`` (Markdown), or ""."""
    m = page.model
    printed, inferred = citing_papers(m, work)
    bits = []
    if printed:
        bits.append(_("printed by") + " " + ", ".join(page.link(p, m.short_cite(p)) for p in printed))
    if inferred:
        bits.append(_("inferred by the editors for") + " " + ", ".join(page.link(p, m.short_cite(p)) for p in inferred))
    return "; ".join(bits)


def grouped_links(page: Page, items: list, limit: int | None = None) -> str:
    m = page.model
    groups: dict[str, list] = {}
    for x in items:
        groups.setdefault(urls.kind_of(str(x)) if urls.is_kb(str(x)) else "other", []).append(x)
    lines = []
    for kind in sorted(groups):
        xs = sorted(groups[kind], key=m.sort_key)
        shown = xs if limit is None else xs[:limit]
        more = " … " + _("and {n} more").format(n=len(xs) - len(shown)) if len(xs) > len(shown) else ""
        lines.append(f"**{escape.md(kind_title(kind))}** ({len(xs)}): "
                     + ", ".join(page.link(x) for x in shown) + more)
    return common.bullet_list(lines)


def work_page(pages: Pages, work) -> None:
    m = pages.model
    t = m.target(work)
    heading = (m.display_title(work) if m.untitled_name(work)  # the short citation would repeat it
               else m.short_cite(work) + ": " + m.display_title(work))
    page = pages.page(t.doc, heading, SRC)
    is_paper = str(work).startswith(M.ID + "paper/")
    page.para((_("One of the five **source papers** of the knowledge base.") if is_paper
               else _("A **work cited** by the source papers."))
              + f" IRI <code>{escape.md(str(work))}</code>")
    cite = m.text(work, M.DCT + "bibliographicCitation")
    if cite:
        page.add(f'> <span lang="en">{escape.cite(cite)}</span>\n')
    authors = m.authors(work)
    if authors:
        page.para(_("Authors:") + " " + ", ".join(page.link(a) for a in authors) + ".")
    if m.untitled_name(work):
        page.para(_("The paper prints no title and no author. “{name}” is the editors' descriptive "
                    "name for it, not a title: cite it as an untitled article.").format(
                        name=escape.md(m.untitled_name(work))))
    for c in m.texts(work, M.RDFS + "comment"):
        page.para("*" + _("Note:") + f"* {common.comment_md(page, c)}")
    page.h(2, "BibTeX", "bibtex")
    page.add(escape.fence(bibtex(m, work), BIBTEX_FENCE))
    cites = sorted(m.objects(work, M.CITES), key=m.sort_key)
    if cites:
        page.h(2, _("Cites: printed references") + f" ({len(cites)})", "cites")
        page.para(_("Works the paper prints a reference to: in its reference list, or by naming the work in its text."))
        page.add(common.bullet_list([page.link(w, m.short_cite(w)) + " — " + escape.md(m.label(w))
                                     for w in cites]))
    inferred = sorted(m.objects(work, M.INFERRED_CITATION), key=m.sort_key)
    if inferred:
        page.h(2, _("Citations inferred by the editors") + f" ({len(inferred)})", "cites-inferred")
        reasons = " ".join(str(r) for r in m.objects(work, M.INFERENCE_REASON))
        page.para(_("The paper prints no reference to these works; the editors identified them")
                  + (f": {escape.md(reasons)}" if reasons else "."))
        page.add(common.bullet_list([page.link(w, m.short_cite(w)) + " — " + escape.md(m.label(w))
                                     for w in inferred]))
    printed_by, inferred_by = citing_papers(m, work)
    if printed_by:
        page.h(2, _("Cited by (printed reference)"), "cited-by")
        page.add(common.bullet_list([page.link(w, m.short_cite(w)) for w in printed_by]))
    if inferred_by:
        page.h(2, _("Cited by (inferred by the editors, no printed reference)"), "cited-by-inferred")
        page.add(common.bullet_list([page.link(w, m.short_cite(w)) for w in inferred_by]))
    items = cited_for(m, work)
    defs = [x for x in items if M.EC + "Definition" in m.types(x)]
    if defs:
        page.h(2, _("Definitions it gives or reports") + f" ({len(defs)})", "definitions")
        page.add(definitions_block(page, defs))
    if items:
        page.h(2, (_("Items taken from this paper") if is_paper else _("What it is cited for"))
               + f" ({len(items)})", "cited-for")
        page.add(grouped_links(page, items))


def person_page(pages: Pages, person) -> None:
    m = pages.model
    t = m.target(person)
    page = pages.page(t.doc, m.label(person), SRC)
    name = m.text(person, M.FOAF + "name")
    page.para((f"**{escape.md(name)}** · " if name else "") + f"IRI <code>{escape.md(str(person))}</code>")
    for c in m.texts(person, M.RDFS + "comment"):
        page.para(common.comment_md(page, c))
    works = sorted(m.subjects(M.DCT + "creator", person), key=lambda w: (m.year(w) or "9999", str(w)))
    if works:
        page.h(2, _("Works") + f" ({len(works)})", "works")
        page.add(common.bullet_list([page.link(w, m.short_cite(w)) + " — "
                                     + escape.md(m.display_title(w))
                                     + (f" ({citation_summary(page, w)})" if citation_summary(page, w) else "")
                                     for w in works]))
    cited = how_cited(page, person, works)
    if cited:
        page.h(2, _("How the source papers cite them"), "cited-how")
        page.add(cited)
    attributed = m.subjects(M.ATTRIBUTED, person)
    defs = [x for x in attributed if M.EC + "Definition" in m.types(x)]
    if defs:
        page.h(2, _("Definitions") + f" ({len(defs)})", "definitions")
        page.add(definitions_block(page, sorted(defs, key=str)))
    others = [x for x in attributed if x not in defs]
    if others:
        page.h(2, _("Other ideas attributed to them") + f" ({len(others)})", "attributed")
        page.add(grouped_links(page, others))
    named = common.used_by(page, person, skip={M.ATTRIBUTED, M.DCT + "creator", M.RDF + "first"})
    if named:
        page.h(2, _("Also named in"), "named-in")
        page.add(named)


def how_cited(page: Page, person, works: list) -> str:
    """Per source paper that attributes items to ``person`` or cites their works: whether it
    prints a reference to their work, or the editors infer it, or it names them only."""
    m = page.model
    printed: dict = {}
    inferred: dict = {}
    for w in works:
        for p in m.subjects(M.CITES, w):
            printed.setdefault(p, []).append(w)
        for p in m.subjects(M.INFERRED_CITATION, w):
            inferred.setdefault(p, []).append(w)
    naming = {p for x in m.subjects(M.ATTRIBUTED, person) for p in m.papers_of(x)}
    naming -= set(m.subjects(M.DCT + "creator", person))   # their own paper does not cite them
    lines = []
    for p in sorted(set(printed) | set(inferred) | naming, key=m.sort_key):
        if not str(p).startswith(M.ID + "paper/"):
            continue
        bits = []
        if p in printed:
            bits.append(_("prints a reference to") + " " + ", ".join(page.link(w, m.short_cite(w)) for w in printed[p]))
        if p in inferred:
            bits.append(_("names them; the editors infer") + " " + ", ".join(page.link(w, m.short_cite(w)) for w in inferred[p])
                        + " (" + _("no printed reference") + ")")
        if not bits:
            bits.append(_("names them and cites no work of theirs"))
        lines.append(page.link(p, m.short_cite(p)) + ": " + "; ".join(bits))
    return common.bullet_list(lines) if lines else ""


def scholars_index(pages: Pages) -> None:
    m = pages.model
    people = m.by_kind.get("person", [])
    page = pages.page(urls.kind_index("person"), _("Scholars"), SRC)
    page.para(_("{n} scholars: the authors of the five source papers and everyone they cite or "
                "name. Each has a page with their works, their definitions and the ideas the papers "
                "attribute to them.").format(n=len(people)))
    rows = ["| " + " | ".join((_("scholar"), _("works"), _("definitions"), _("other ideas attributed"))) + " |", "| --- | --- | --- | --- |"]
    for p in sorted(people, key=lambda p: (collation.key(m.family_name(p), m.lang), str(p))):
        attributed = m.subjects(M.ATTRIBUTED, p)
        ndef = sum(M.EC + "Definition" in m.types(x) for x in attributed)
        rows.append(f"| {page.link(p)} | {len(m.subjects(M.DCT + 'creator', p))} | {ndef} | "
                    f"{len(attributed) - ndef} |")
    page.add("\n".join(rows) + "\n")


def bibliography(pages: Pages) -> None:
    m = pages.model
    page = pages.page("bibliography.md", _("Bibliography"), SRC)
    papers = m.by_kind.get("paper", [])
    works = m.by_kind.get("work", [])
    page.para(_("The {papers} source papers and the {works} works they cite, as printed. Open an "
                "entry for its BibTeX (with a copy button) and everything the knowledge base takes "
                "from it. Each cited work says which papers **print** a reference to it (in a "
                "reference list, or by naming the work) and for which the editors **inferred** it "
                "(the paper names the scholar or prints a [n] marker with no reference list).").format(
                    papers=len(papers), works=len(works)))
    for title, anchor, group in ((_("Source papers"), "papers", papers), (_("Cited works"), "works", works)):
        page.h(2, title, anchor)
        if not group:
            page.para(_("None yet."))
        for w in sorted(group, key=lambda w: (collation.key(m.short_cite(w), m.lang), str(w))):
            cite = m.text(w, M.DCT + "bibliographicCitation") or m.label(w)
            n = len(cited_for(m, w))
            how = citation_summary(page, w)
            cites = _("no items") if not n else ngettext("{n} item cites it", "{n} items cite it",
                                                         n).format(n=n)
            # the citation as printed is English data: marked so on every language's page
            page.add(f'- {page.link(w, m.short_cite(w))}: <span lang="en">{escape.cite(cite)}</span> '
                     f"({cites}{'; ' + how if how else ''})\n")
            page.add("\n    ??? note \"BibTeX\"\n\n"
                     + "".join("        " + line + "\n" for line in escape.fence(bibtex(m, w), BIBTEX_FENCE).splitlines())
                     + "\n")


def generate(pages: Pages) -> None:
    m = pages.model
    for w in m.by_kind.get("paper", []) + m.by_kind.get("work", []):
        work_page(pages, w)
    for p in m.by_kind.get("person", []):
        person_page(pages, p)
    scholars_index(pages)
    bibliography(pages)
