"""Concept pages: a page per class, a page per concept-like KB individual, the kind
indexes (with an anchor per item for the kinds without pages), the properties page
and the ontology overview with the class hierarchy diagram."""

from __future__ import annotations

import re

from educluster import collation
from educluster.kb import ONTOLOGY_IRI
from educluster.site import common, diagrams, escape, urls
from educluster.site import model as M
from educluster.site.lang import N_, _, ngettext
from educluster.site.writer import Page, Pages

SRC_TERMS = "ontology/*.ttl"
SRC_KB = "ontology/*.ttl and ontology/kb/*.ttl"

KIND_TITLES = {
    "activity-type": N_("Activity types"), "axis": N_("Classification axes"),
    "chain-link": N_("Innovation chain links"), "characteristic": N_("Characteristics"),
    "claim": N_("Claims"), "cluster-type": N_("Cluster types"), "condition": N_("Conditions and factors"),
    "consequence": N_("Consequences"), "cooperation-area": N_("Areas of cooperation"),
    "definition": N_("Definitions"), "difference": N_("Differences between a cluster and a system"),
    "direction": N_("Directions"), "direction-content": N_("Content items"),
    "area": N_("Areas of development"), "approach-activity": N_("Activities within the cluster approach"),
    "element": N_("Structural elements"), "feature": N_("Cluster features"), "form": N_("Cluster forms and strategies"),
    "interaction-model": N_("Interaction models"), "key-area": N_("Key areas"), "objective": N_("Objectives"),
    "obligation": N_("Partner obligations"), "org": N_("Organisations"), "paper": N_("Source papers"),
    "participant-kind": N_("Participant kinds"), "person": N_("Scholars"), "prerequisite": N_("Prerequisites"),
    "principle": N_("Principles"), "relation-type": N_("Relation types"), "research-area": N_("Research areas"),
    "scheme": N_("Lists (concept schemes)"), "significance": N_("Significance"), "sphere": N_("Spheres"),
    "swot": N_("SWOT findings"), "swot-category": N_("SWOT categories"), "task": N_("Tasks"),
    "work": N_("Cited works"),
}


#: search weight of a class page (mkdocs-material front matter ``search: boost``), so that
#: searching a concept's label ("cluster", "educational cluster") shows its page first
CLASS_BOOST = 100


def kind_title(kind: str) -> str:
    """The title of a kind's index ("Principles"), in the language being generated."""
    return _(KIND_TITLES[kind]) if kind in KIND_TITLES else kind.replace("-", " ").capitalize()


def all_of(kind: str) -> str:
    """"All principles": the link to (and browser title of) a kind's index."""
    return _("All {kinds}").format(kinds=kind_title(kind).lower())


# -- definitions side by side -------------------------------------------------------------------

def definition_year(m, d) -> str:
    for w in m.works_of(d):
        y = m.year(w)
        if y:
            return y
    for p in m.papers_of(d):
        y = m.year(p)
        if y:
            return y
    return "n.d."


def printed_attribution(m, d) -> str | None:
    """``“A group of researchers” (unnamed, as printed)`` for a definition the paper reports from
    nobody it names, else None."""
    words = sorted(str(w) for w in m.objects(d, M.PRINTED_ATTRIBUTION))
    return "; ".join(f"“{w}” (unnamed, as printed)" for w in words) if words else None


def definition_author(m, d) -> str:
    who = sorted(m.objects(d, M.ATTRIBUTED), key=m.sort_key)
    if who:
        return ", ".join(m.label(w) for w in who)
    return printed_attribution(m, d) or "unattributed"


def definitions_of(m, cls) -> list:
    defs = m.subjects(M.EC + "defines", cls)
    return sorted(defs, key=lambda d: (definition_year(m, d) == "n.d.", definition_year(m, d),
                                       collation.key(definition_author(m, d), m.lang), str(d)))


#: words with which the editors' comments (rdfs:comment) say that a printed passage is damaged
DAMAGE = re.compile(r"\b(garbled|OCR|stray|misprint\w*)\b", re.IGNORECASE)


def damage_notes(m, d) -> list[str]:
    """The editors' comments on ``d`` that say its printed wording is damaged (the knowledge
    base records damage only in rdfs:comment; decision 0025), each with the cleaned reading
    where the comment gives one."""
    return [str(c) for c in m.texts(d, M.RDFS + "comment") if DAMAGE.search(str(c))]


def definition_card(page: Page, d, level: int = 3) -> str:
    """One definition as a card: a heading (scholar, year), the term and quote, where it is cited.

    The card is a ``<section>`` whose heading (``<h{level}>``, one below the section it stands
    in) names it for screen readers; the characteristics list is introduced by visible text.
    """
    m = page.model
    who = sorted(m.objects(d, M.ATTRIBUTED), key=m.sort_key)
    authors = (", ".join(page.hlink(w) for w in who)
               or escape.html(printed_attribution(m, d) or "unattributed"))
    year = escape.html(definition_year(m, d))
    term = m.text(d, M.EC + "definedTerm")
    quote = m.text(d, M.QUOTE) or m.text(d, M.DEFINITION) or ""
    papers = ", ".join(page.hlink(p, m.short_cite(p)) for p in m.papers_of(d))
    works = ", ".join(page.hlink(w, m.short_cite(w)) for w in m.works_of(d))
    cite = _("In {papers}").format(papers=papers) if papers else ""
    if works:
        cite += ((_(", citing {works}") if cite else _("From {works}")).format(works=works)
                 + " " + _("(printed reference)"))
    inferred = ", ".join(page.hlink(w, m.short_cite(w)) for w in m.inferred_works_of(d))
    if inferred:
        cite += (("; " if cite else "") + _("the editors infer {works}").format(works=inferred)
                 + " " + _("(no printed reference)"))
    chars = sorted(m.objects(d, M.EC + "namesCharacteristic"), key=m.sort_key)
    chips = "".join(f'<li>{page.hlink(c)}</li>' for c in chars)
    bib = m.text(m.works_of(d)[0], M.DCT + "bibliographicCitation") if m.works_of(d) else None
    return (
        f'<section class="ec-def" id="def-{escape.attr(urls.slug_of(str(d)))}">'
        f'<h{level} class="ec-def-head"><span class="ec-def-author">{authors}</span> '
        f'<span class="ec-def-year">({year})</span></h{level}>'
        + ('<p class="ec-def-term">' + escape.html(_("Term as printed:"))
           + f' <span lang="en">“{escape.html(term)}”</span></p>' if term else "")
        + f'<blockquote class="ec-quote" lang="{escape.attr(getattr(quote, "lang", None) or "en")}">'
        f'{escape.html(quote)}</blockquote>'
        + "".join('<p class="ec-def-damage"><strong>' + escape.html(_("Damaged in print:")) + "</strong> "
                  f"{common.comment_html(page, c)}</p>" for c in damage_notes(m, d))
        + common.locator_html(page, d)
        + f'<p class="ec-def-cite">{cite}. <a href="{escape.attr(page.href(d) or "")}">'
        + escape.html(_("This definition")) + "</a></p>"
        + (f'<p class="ec-def-bib">{escape.html(bib.replace("*", ""))}</p>' if bib else "")
        + ('<p class="ec-chips-head">' + escape.html(_("Characteristics named:")) + "</p>"
           f'<ul class="ec-chips">{chips}</ul>'
           if chips else "")
        + "</section>")


def definitions_block(page: Page, defs: list, level: int = 3) -> str:
    """The cards of ``defs`` in a grid, each headed at ``level``."""
    cards = "".join(definition_card(page, d, level) for d in defs)
    return f'<div class="ec-defs">{cards}</div>\n'


def characteristics_matrix(page: Page, defs: list) -> str:
    """Which characteristics each definition names: a row per characteristic, a column per card.

    Columns are headed by short numbers (D1, D2, ...; the full scholar, year and definition are
    the head's tooltip and the legend below), the first column stays put while the table scrolls
    sideways inside its own box, so the table fits a phone without the page scrolling.
    """
    m = page.model
    chars = sorted({c for d in defs for c in m.objects(d, M.EC + "namesCharacteristic")},
                   key=lambda c: (-sum(c in m.objects(d, M.EC + "namesCharacteristic")
                                       for d in defs), m.sort_key(c)))
    if not chars:
        return ""
    names = {d: f"{definition_author(m, d)} ({definition_year(m, d)})" for d in defs}
    head = "".join(
        f'<th scope="col" title="{escape.attr(names[d] + ": " + m.label(d))}">'
        f'<a href="#ec-col-{i}">D{i}</a></th>' for i, d in enumerate(defs, 1))
    rows = []
    named = escape.html(_("named"))
    for c in chars:
        cells = "".join(
            f'<td class="ec-yes" title="D{i}: {named}">✔<span class="ec-sr"> {named}</span></td>'
            if c in m.objects(d, M.EC + "namesCharacteristic") else '<td class="ec-no"></td>'
            for i, d in enumerate(defs, 1))
        n = sum(c in m.objects(d, M.EC + "namesCharacteristic") for d in defs)
        rows.append(f"<tr><th scope=\"row\">{page.hlink(c)}</th><td>{n}</td>{cells}</tr>")
    legend = "".join(
        f'<li id="ec-col-{i}"><strong>D{i}</strong> {escape.html(names[d])}: '
        f'<a href="#def-{escape.attr(urls.slug_of(str(d)))}">{escape.html(m.label(d))}</a></li>'
        for i, d in enumerate(defs, 1))
    region = escape.attr(_("Characteristics named by each definition (scrolls sideways)"))
    first, count = escape.html(_("characteristic")), escape.html(_("of {n}").format(n=len(defs)))
    columns = escape.attr(_("Columns of the table"))
    return (f'<div class="ec-matrix" tabindex="0" role="region" aria-label="{region}"><table><thead><tr>'
            f'<th scope="col">{first}</th><th scope="col">{count}</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>\n'
            f'<ol class="ec-matrix-legend" aria-label="{columns}">{legend}</ol>\n')


# -- class pages -------------------------------------------------------------------------------

def also_called(page: Page, x) -> None:
    """A paragraph with the alternative labels (skos:altLabel) of a term or item, if it has any."""
    alt = sorted(str(a) for a in page.model.texts(x, M.SKOS + "altLabel"))
    if alt:
        page.para(_("Also called:") + " " + "; ".join(page.shown(a) for a in alt) + ".")


def rdf_file(node, suffix: str = "ttl") -> str:
    """The docs path of ``node``'s own RDF file (the layout of ``educluster build``'s dist/)."""
    from educluster.termfiles import path_of

    return f"downloads/{path_of(str(node))}.{suffix}"


def class_page(pages: Pages, cls) -> None:
    m = pages.model
    t = m.target(cls)
    page = pages.page(t.doc, m.label(cls), SRC_TERMS)
    # the fewer words a label has beyond the query, the closer the match: the theme's search
    # (lunr, trailing wildcards) scores "cluster" on "cluster unit" as high as on "cluster"
    page.search_boost = round(CLASS_BOOST / max(1, len(m.label(cls).split())), 1)
    page.search_tags = [m.label(cls)]
    page.description = m.text(cls, M.DEFINITION)
    page.para(f'<code>{escape.md(m.curie(cls))}</code> · ' + escape.md(_("class"))
              + f' · IRI <code>{escape.md(str(cls))}</code> · {page.link_doc(rdf_file(cls), "Turtle")}')
    d = m.text(cls, M.DEFINITION)
    if d:
        page.para("**" + escape.md(_("Working definition.")) + f"** {page.shown(d, mark=True)}")
    also_called(page, cls)
    for c in m.texts(cls, M.RDFS + "comment"):
        page.para(f"*{common.comment_md(page, c)}*")
    defs = definitions_of(m, cls)
    if defs:
        page.h(2, _("Every definition side by side ({n})").format(n=len(defs)), "definitions")
        page.para(_("Each card is one scholar's wording as quoted in a source paper, oldest first "
                    "(years are those of the cited work, else of the paper; n.d. = no date "
                    "printed)."))
        page.add(definitions_block(page, defs))
        matrix = characteristics_matrix(page, defs)
        if matrix:
            page.h(2, _("Which characteristics each definition names"), "characteristics")
            page.add(matrix)
    page.h(2, _("Place in the hierarchy"), "hierarchy")
    supers = m.superclasses(cls)
    subs = m.subclasses(cls)
    lines = []
    lines.append(_("Broader:") + " " + (", ".join(common.value_md(page, s) for s in supers)
                                        or _("none (a top class)")))
    above = [a for a in ancestors(m, cls) if a not in supers]
    if above:
        lines.append(_("All ancestors:") + " "
                     + ", ".join(common.value_md(page, a) for a in ancestors(m, cls)))
    lines.append(_("Narrower:") + " " + (", ".join(page.link(s) for s in subs) or _("none")))
    page.add(common.bullet_list(lines))
    page.add(hierarchy_svg(page, roots=[cls], title=_("{name} and its subclasses").format(name=m.label(cls)))
             if subs else "")
    members = m.instances(cls, direct=True)
    if members:
        page.h(2, _("Items of this class ({n})").format(n=len(members)), "items")
        if len(members) > 30:  # the list pages describe them: links only here
            page.para(", ".join(page.link(x) for x in members) + ".")
        else:
            page.add(common.bullet_list([item_summary(page, x) for x in members]))
    schemes = sorted(m.subjects(M.EC + "concerns", cls), key=m.sort_key)
    schemes = [s for s in schemes if M.SKOS + "ConceptScheme" in m.types(s)]
    if schemes:
        page.h(2, _("Lists about it ({n})").format(n=len(schemes)), "lists")
        page.add(common.bullet_list([f"{page.link(s)} ({escape.md(', '.join(m.short_cite(p) for p in m.papers_of(s)))})"
                                     for s in schemes]))
    dom = sorted(m.subjects(M.RDFS + "domain", cls), key=m.sort_key)
    rng = sorted(m.subjects(M.RDFS + "range", cls), key=m.sort_key)
    if dom or rng:
        page.h(2, _("Properties"), "properties")
        lines = []
        if dom:
            lines.append(_("Described by:") + " " + ", ".join(page.link(p) for p in dom))
        if rng:
            lines.append(_("Value of:") + " " + ", ".join(page.link(p) for p in rng))
        page.add(common.bullet_list(lines))
    inherited = [(a, sorted(m.subjects(M.RDFS + "domain", a), key=m.sort_key))
                 for a in ancestors(m, cls)]
    inherited = [(a, ps) for a, ps in inherited if ps]
    if inherited:
        page.h(2, _("Inherited properties"), "inherited-properties")
        page.add(common.bullet_list([_("from {class_}:").format(class_=common.value_md(page, a)) + " "
                                     + ", ".join(page.link(p) for p in ps) for a, ps in inherited]))
    used = common.used_by(page, cls, skip={M.SUBCLASS, M.EC + "defines", M.EC + "concerns",
                                          M.RDFS + "domain", M.RDFS + "range"})
    concerns = [x for x in m.subjects(M.EC + "concerns", cls) if x not in schemes]
    if used or concerns:
        page.h(2, _("Used by"), "used-by")
        page.add(used)
        if concerns:  # all of them (it stopped at 40 with "…"), by kind, folded
            by_kind: dict[str, list] = {}
            for x in sorted(concerns, key=m.sort_key):
                by_kind.setdefault(urls.kind_of(str(x)) or "other", []).append(x)
            page.add(f'<details class="ec-used-by"><summary>'
                     + escape.html(ngettext("{n} list item or claim concerns it, by kind",
                                            "{n} list items and claims concern it, by kind",
                                            len(concerns))
                                   .format(n=len(concerns))) + '</summary><ul>'
                     + "".join(f"<li>{escape.html(kind_title(k))} ({len(xs)}): "
                               + ", ".join(page.hlink(x) for x in xs) + "</li>"
                               for k, xs in sorted(by_kind.items()))
                     + "</ul></details>\n")
    svg = common.neighbourhood_svg(page, cls)
    if svg:
        page.h(2, _("Neighbourhood"), "neighbourhood")
        page.add(svg)


def ancestors(m, cls) -> list:
    """Every superclass of ``cls``, nearest first (breadth-first), each once."""
    out, todo, seen = [], list(m.superclasses(cls)), {cls}
    while todo:
        a = todo.pop(0)
        if a in seen:
            continue
        seen.add(a)
        out.append(a)
        todo.extend(m.superclasses(a))
    return out


def item_summary(page: Page, x) -> str:
    m = page.model
    d = m.text(x, M.DEFINITION)
    papers = m.papers_of(x)
    src = f" ({escape.md(', '.join(m.short_cite(p) for p in papers))})" if papers else ""
    return page.link(x) + src + (f" — {escape.md(d)}" if d else "")


def hierarchy_svg(page: Page, roots: list, title: str) -> str:
    m = page.model

    def children(c):
        return [s for s in m.subclasses(c) if s in m.class_set]

    def extra(c):
        return [s for s in m.superclasses(c)]

    return diagrams.tree(roots, children, lambda c: common.node_for(page, c, max_chars=20),
                         title, extra) + "\n"


# -- the ontology overview, properties ---------------------------------------------------------

def terms_index(pages: Pages) -> None:
    m = pages.model
    onto = m.node(ONTOLOGY_IRI)
    page = pages.page("terms/index.md", _("Concepts and terms of the ontology"), SRC_TERMS)
    title = m.text(onto, M.DCT + "title")
    if title:
        page.para(f"**{escape.md(title)}**")
    desc = m.text(onto, M.DCT + "description")
    if desc:
        page.para(escape.md(desc))
    meta = []
    for p, name in ((M.OWL + "versionInfo", "version"), (M.DCT + "license", "licence"),
                    (M.DCT + "modified", "modified"), (M.DCT + "bibliographicCitation", "cite as")):
        v = m.value(onto, p)
        if v is not None:
            meta.append(f"{name}: {common.value_md(page, v)}")
    meta.append(f"ontology IRI: <code>{escape.md(ONTOLOGY_IRI)}</code>; term namespace "
                f"<code>{escape.md(M.EC)}</code> (prefix <code>ec:</code>)")
    page.add(common.bullet_list(meta))
    page.h(2, "Namespaces", "namespaces")
    page.para("The vocabularies whose terms the ontology reuses, with their specifications.")
    from educluster.site import vocabularies

    ns_rows = [f"| <code>ec:</code> | <code>{escape.md(M.EC)}</code> | this ontology's terms |"]
    ns_rows += [f"| <code>{escape.md(p)}:</code> | <code>{escape.md(ns)}</code> | "
                f'<a href="{escape.attr(url)}">{escape.html(what)}</a> |'
                for p, ns, what, url in vocabularies.rows()]
    page.add("| prefix | namespace | what it is |\n| --- | --- | --- |\n" + "\n".join(ns_rows) + "\n")
    page.h(2, "Class hierarchy", "class-hierarchy")
    tops = set()
    for c in m.classes:
        sup = [s for s in m.superclasses(c) if s in m.class_set]
        if not sup:
            ext = [s for s in m.superclasses(c)]
            tops.update(ext or [c])
    roots = sorted(tops, key=lambda x: (x in m.class_set, m.sort_key(x)))

    def children(c):
        return [s for s in m.subclasses(c) if s in m.class_set]

    svg = diagrams.tree(roots, children, lambda c: common.node_for(page, c, max_chars=20),
                        _("Class hierarchy of the educluster ontology"),
                        lambda c: m.superclasses(c))
    page.para(_("Grey boxes are classes reused from other vocabularies; dashed lines are second parents."))
    page.add(svg + "\n")
    page.h(2, f"Classes ({len(m.classes)})", "classes")
    rows = ["| class | term | working definition |", "| --- | --- | --- |"]
    for c in m.classes:
        rows.append(f"| {page.link(c)} | <code id=\"{escape.attr(urls.safe_segment(str(c)[len(M.EC):]))}\">"
                    f"{escape.md(m.curie(c))}</code> | {escape.md(m.text(c, M.DEFINITION) or '')} |")
    page.add("\n".join(rows) + "\n")
    page.para(f"The {len(m.properties)} properties are on {page.link_doc('terms/properties.md', 'one page')}.")
    # a term IRI ontology#Name resolves to this page (decision 0015): one anchor per property too
    page.para("Each term's IRI (<code>ontology#Name</code>) leads here, to its row or to this list: "
              + " · ".join(f'<a id="{escape.attr(m.target(p).anchor)}" '
                           f'href="{escape.attr(page.href(p))}">{escape.html(m.curie(p))}</a>'
                           for p in m.properties) + ".")


def properties_page(pages: Pages) -> None:
    m = pages.model
    page = pages.page("terms/properties.md", _("Properties"), SRC_TERMS)
    page.para(ngettext("{n} property, with its anchor (the local name of its IRI).",
                       "{n} properties, each with its anchor (the local name of its IRI).",
                       len(m.properties))
              .format(n=len(m.properties)))
    kinds = {M.OWL + "ObjectProperty": _("object property"),
             M.OWL + "DatatypeProperty": _("datatype property"),
             M.OWL + "AnnotationProperty": _("annotation property"), M.RDF + "Property": _("property")}
    for p in m.properties:
        t = m.target(p)
        page.h(2, page.shown(m.label(p), mark=True), t.anchor)
        kind = ", ".join(kinds[k] for k in m.types(p) if k in kinds)
        page.para(f"<code>{escape.md(m.curie(p))}</code> · {escape.md(kind)} · "
                  + page.link_doc(rdf_file(p), "Turtle"))
        d = m.text(p, M.DEFINITION)
        if d:
            page.para(page.shown(d, mark=True))
        lines = []
        for prop, name in ((M.RDFS + "domain", _("domain")), (M.RDFS + "range", _("range")),
                           (M.RDFS + "subPropertyOf", _("sub-property of"))):
            vals = m.objects(p, prop)
            if vals:
                lines.append(f"{name}: " + ", ".join(common.value_md(page, v) for v in vals))
        uses = m.predicate_counts.get(str(p), 0)
        lines.append(ngettext("used in {n} statement of the knowledge base",
                              "used in {n} statements of the knowledge base",
                              uses).format(n=uses))
        page.add(common.bullet_list(lines))


# -- individuals --------------------------------------------------------------------------------

def meta_line(page: Page, x) -> str:
    m = page.model
    bits = []
    types = [m.node(t) for t in m.types(x)]
    typed = [page.link(t) for t in types if m.target(t) is not None]
    typed += [f"<code>{escape.md(m.curie(t))}</code>" for t in types if m.target(t) is None]
    if typed and m.lang == "en":
        bits.append(escape.article(m.label(types[0])).capitalize() + " " + " and ".join(typed))
    elif typed:  # no article to agree with the label in the other languages
        bits.append(_("Kind:") + " " + ", ".join(typed))
    for s in m.schemes_of(x):
        pos = m.position(x)
        where = (_("item {pos} of {list}").format(pos=pos, list=page.link(s)) if pos < 10**6
                 else _("in {list}").format(list=page.link(s)))
        bits.append(where)
    for b in m.objects(x, M.SKOS + "broader"):
        bits.append(_("part of {item}").format(item=common.value_md(page, b)))
    bits.append(f"IRI <code>{escape.md(str(x))}</code>")
    return " · ".join(bits)


def individual_body(page: Page, x, level: int, card: bool = False) -> None:
    """The description of a KB item: used by its own page and by anchors on kind indexes.

    ``card``: the item's definition card stands just above, so its quote and source are not
    repeated (the definitions list showed every definition twice).
    """
    m = page.model
    page.para(meta_line(page, x))
    d = m.text(x, M.DEFINITION)
    if d:
        page.para("**" + escape.md(_("Definition.")) + f"** {page.shown(d, mark=True)}")
    also_called(page, x)
    q = "" if card else common.quote_html(page, x)
    if q:
        page.add(q)
    src = "" if card else common.source_line(page, x)
    if src:
        page.para(src + ".")
    for c in m.texts(x, M.RDFS + "comment"):
        page.para("*" + escape.md(_("Note:")) + f"* {common.comment_md(page, c)}")
    matches = common.matches_md(page, x)
    if matches:
        page.add(common.bullet_list(matches))
    details = common.details_table(page, x, skip={M.IN_SCHEME, M.SKOS + "topConceptOf",
                                                  M.POSITION, M.SKOS + "broader"})
    if details:
        if level:
            page.h(level, _("Details"), None)
        page.add(details)
    used = common.used_by(page, x, skip={M.SKOS + "closeMatch", M.SKOS + "relatedMatch"})
    if used:
        if level:
            page.h(level, _("Used by"), None)
        page.add(used)


def individual_page(pages: Pages, x) -> None:
    m = pages.model
    t = m.target(x)
    page = pages.page(t.doc, m.label(x), SRC_KB)
    page.description = m.text(x, M.DEFINITION) or m.text(x, M.QUOTE)
    individual_body(page, x, level=2)
    kind = urls.kind_of(str(x))
    page.head_title = f"{m.label(x)} ({kind.replace('-', ' ')})"
    page.para(f"{page.link_doc(urls.kind_index(kind), escape.md(all_of(kind)))} · "
              f"{page.link_doc(rdf_file(x), 'Turtle')}")
    svg = common.neighbourhood_svg(page, x)
    if svg:
        page.h(2, _("Neighbourhood"), "neighbourhood")
        page.add(svg)


def kind_index(pages: Pages, kind: str, items: list) -> None:
    m = pages.model
    page = pages.page(urls.kind_index(kind), kind_title(kind), SRC_KB)
    page.head_title = all_of(kind)
    anchored = kind in urls.ANCHOR_KINDS
    page.para(ngettext("{n} item.",
                       "{n} items.",
                       len(items)).format(n=len(items)) + " " + (
        _("Each has its anchor here: the last part of its IRI.") if anchored else
        _("Each has its own page, named after the last part of its IRI.")))
    if not anchored:
        page.add(common.bullet_list([item_summary(page, x) for x in items]))
        return
    groups: dict[str, list] = {}
    for x in items:
        papers = m.papers_of(x)
        key = ", ".join(m.short_cite(p) for p in papers) if papers else _("no source paper")
        groups.setdefault(key, []).append(x)
    for key in sorted(groups):
        if len(groups) > 1:
            page.h(2, escape.md(key), "g-" + urls.safe_segment("-".join(key.lower().split())
                                                              .replace(".", "").replace(",", "")
                                                              .replace("&", "and")))
        for x in sorted(groups[key], key=m.list_key):
            t = m.target(x)
            level = 3 if len(groups) > 1 else 2
            page.h(level, page.shown(m.label(x), mark=True), t.anchor)
            if kind == "definition":
                page.add(definitions_block(page, [x], level + 1))
            individual_body(page, x, level=0, card=kind == "definition")


def everything_index(pages: Pages) -> None:
    m = pages.model
    page = pages.page("id/index.md", _("Everything in the knowledge base"), SRC_KB)
    page.para(_("{items} items of {kinds} kinds, and {terms} terms. Every IRI of the knowledge base "
                "has a page or an anchor on this site: see {how} for the mapping.").format(
                    items=len(m.individuals), kinds=len(m.by_kind), terms=len(m.terms),
                    how=page.link_doc("how-to-read.md", _("how to read this site"))))
    rows = ["| " + " | ".join((_("kind"), _("items"), _("where"))) + " |", "| --- | --- | --- |"]
    for kind, items in m.by_kind.items():
        where = _("an anchor each on the list") if kind in urls.ANCHOR_KINDS else _("a page each")
        rows.append(f"| {page.link_doc(urls.kind_index(kind), escape.md(kind_title(kind)))} | "
                    f"{len(items)} | {where} |")
    classes, properties = _("Classes"), _("Properties")
    rows.append(f"| {page.link_doc('terms/index.md', classes)} | {len(m.classes)} | " + _("a page each") + " |")
    rows.append(f"| {page.link_doc('terms/properties.md', properties)} | {len(m.properties)} | "
                + _("an anchor each") + " |")
    page.add("\n".join(rows) + "\n")


def a_to_z(pages: Pages) -> None:
    """An A–Z index of every term and every knowledge-base item, by label, with its kind."""
    m = pages.model
    page = pages.page("id/a-z.md", _("A–Z index of every term and item"), SRC_KB)
    entries = []
    for x in [*m.terms, *m.individuals]:
        if m.target(x) is None:
            continue
        label = m.label(x)
        kind = (_("class") if x in m.class_set else _("property") if x in m.property_set
                else kind_title(urls.kind_of(str(x)) or "").lower())
        entries.append((label.lstrip("[“\"'(«"), label, kind, x))
    entries.sort(key=lambda e: (collation.key(e[0], m.lang), e[2], str(e[3])))
    letters: dict[str, list] = {}
    for key, label, kind, x in entries:
        first = collation.initial(key, m.lang)
        letters.setdefault(first if first[:1].isalpha() else "0–9", []).append((label, kind, x))
    anchors = {ch: "letter-" + ("digits" if ch == "0–9" else ch.lower() if ch.isascii()
                                else "-".join(str(ord(c)) for c in ch))
               for ch in letters}
    page.para(ngettext("{n} term or item, by label.",
                       "{n} terms and items, by label.",
                       len(entries)).format(n=len(entries)) + " "
              + " · ".join(f'<a href="#{anchors[ch]}">{escape.html(ch)}</a>' for ch in letters))
    for ch, rows in letters.items():
        page.h(2, escape.md(ch), anchors[ch])
        page.add(common.bullet_list([f"{page.link(x, label)} <small>({escape.md(kind)})</small>"
                                     for label, kind, x in rows]))


#: kinds whose index page another module writes (scholars, every list)
CUSTOM_INDEX = {"person", "scheme"}


def generate(pages: Pages) -> None:
    m = pages.model
    terms_index(pages)
    properties_page(pages)
    for c in m.classes:
        class_page(pages, c)
    for kind, items in m.by_kind.items():
        if kind not in CUSTOM_INDEX:
            kind_index(pages, kind, items)
        if kind in urls.ANCHOR_KINDS or kind in ("person", "paper", "work"):
            continue
        for x in items:
            individual_page(pages, x)
    everything_index(pages)
    a_to_z(pages)
