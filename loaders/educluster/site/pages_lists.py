"""The list pages: each list the papers give, ordered as printed, with what hangs off
each item (prerequisites, content, activities), and "the same idea in paper X" links."""

from __future__ import annotations

from educluster.site import common, diagrams, escape, urls
from educluster.site import model as M
from educluster.site.lang import N_, _
from educluster.site.writer import Page, Pages

SRC = "ontology/kb/*.ttl"
EC = M.EC


def item_line(page: Page, x, indent: int = 0, definition: bool = True) -> str:
    """One list item: position, linked label, definition, then its cross-paper matches."""
    m = page.model
    pad = " " * indent
    pos = m.position(x)
    num = f"**{pos}.** " if pos < 10**6 else ""
    d = m.text(x, M.DEFINITION) if definition else None
    who = sorted(m.objects(x, M.ATTRIBUTED), key=m.sort_key)
    by = (" *(" + _("after {names}").format(names=", ".join(page.link(w) for w in who)) + ")*"
          if who else "")
    out = f"{pad}- {num}**{page.link(x)}**{by}" + (f" — {page.shown(d, mark=True)}" if d else "") + "\n"
    for line in common.matches_md(page, x):
        out += f"{pad}    - *{line}*\n"
    return out


def scheme_heading(page: Page, scheme, level: int = 2) -> None:
    m = page.model
    papers = ", ".join(m.short_cite(p) for p in m.papers_of(scheme))
    page.h(level, page.shown(m.label(scheme), mark=True), "s-" + urls.slug_of(str(scheme)))
    bits = []
    if papers:
        bits.append(_("From {papers}").format(
            papers=", ".join(common.paper_name(page, p) for p in m.papers_of(scheme))))
    bits.append(page.link(scheme, _("the list as data")))
    page.para(" · ".join(bits))
    page.add(common.quote_html(page, scheme))


def schemes_for(m, cls) -> list:
    """Schemes that hold at least one instance of ``cls``, by paper then label."""
    members = set(m.instances(m.node(cls)))
    found = {s for x in members for s in m.schemes_of(x)}
    return sorted(found, key=lambda s: (",".join(m.short_cite(p) for p in m.papers_of(s)),
                                        m.sort_key(s)))


def by_scheme(page: Page, cls: str, sub=None, empty: str | None = None) -> None:
    """Every scheme holding items of ``cls``, its items in printed order; ``sub(x)`` adds nested lines."""
    m = page.model
    schemes = schemes_for(m, cls)
    members = set(m.instances(m.node(cls)))
    if not schemes and not members:
        page.para(empty or _("None yet."))
        return
    listed = set()
    for s in schemes:
        scheme_heading(page, s)
        text = ""
        for x in m.scheme_members(s):  # items of other classes in the same list are shown too
            listed.add(x)
            text += item_line(page, x)
            if sub:
                text += sub(x)
        page.add(text)
    rest = sorted(members - listed, key=m.list_key)
    if rest:
        page.h(2, _("In no printed list"), "s-unlisted")
        page.add("".join(item_line(page, x) + (sub(x) if sub else "") for x in rest))


def children_lines(page: Page, x, prop: str) -> str:
    m = page.model
    kids = sorted(m.objects(x, prop), key=m.list_key)
    return "".join(item_line(page, k, indent=4) for k in kids)


def relation_types(pages: Pages) -> None:
    m = pages.model
    page = pages.page("lists/relation-types.md", _("Relation types by axis"), SRC)
    page.para(_("How the papers classify the relations between the subjects of a cluster: "
                "each axis (criterion) with its relation types."))
    types = m.instances(m.node(EC + "RelationType"))
    axes = sorted({a for t in types for a in m.objects(t, EC + "onAxis")}
                  | set(m.instances(m.node(EC + "ClassificationAxis"))), key=m.list_key)
    if not types and not axes:
        page.para("None yet.")
        return
    for a in axes:
        page.h(2, page.shown(m.label(a), mark=True), "a-" + (urls.slug_of(str(a)) if urls.is_kb(str(a)) else "x"))
        d = m.text(a, M.DEFINITION)
        src = common.source_line(page, a)
        page.para(" ".join(filter(None, [page.link(a, _("The axis")) + ".", page.shown(d, mark=True) if d else "",
                                         src + "." if src else ""])))
        members = sorted((t for t in types if a in m.objects(t, EC + "onAxis")), key=m.list_key)
        page.add("".join(item_line(page, t) for t in members) or _("No relation types on this axis yet.") + "\n")
    rest = [t for t in types if not m.objects(t, EC + "onAxis")]
    if rest:
        page.h(2, _("Without an axis"), "a-none")
        page.add("".join(item_line(page, t) for t in sorted(rest, key=m.list_key)))


def strategies_and_forms(pages: Pages) -> None:
    m = pages.model
    page = pages.page("lists/strategies-and-forms.md", _("Cluster strategies and forms"), SRC)
    page.para(_("The strategies of cluster development the papers cite and the forms a cluster may "
                "take. Some papers argue that the strategies are in fact forms: an item that is both "
                "is marked in both columns."))
    items = sorted(set(m.instances(m.node(EC + "ClusterStrategy")))
                   | set(m.instances(m.node(EC + "ClusterForm"))), key=m.list_key)
    if not items:
        page.para("None yet.")
    else:
        rows = ["| " + " | ".join((_("item"), _("strategy"), _("form"), _("after"), _("source"))) + " |",
                "| --- | :-: | :-: | --- | --- |"]
        for x in items:
            who = ", ".join(page.link(w) for w in sorted(m.objects(x, M.ATTRIBUTED), key=m.sort_key))
            rows.append(f"| {page.link(x)} | {'✔' if m.is_a(x, m.node(EC + 'ClusterStrategy')) else ''} | "
                        f"{'✔' if m.is_a(x, m.node(EC + 'ClusterForm')) else ''} | {who} | "
                        + ", ".join(common.paper_name(page, p) for p in m.papers_of(x)) + " |")
        page.add("\n".join(rows) + "\n")
        page.h(2, _("The lists as printed"), "printed")
        by_scheme(page, EC + "ClusterStrategy")
        for s in schemes_for(m, EC + "ClusterForm"):
            if s not in schemes_for(m, EC + "ClusterStrategy"):
                scheme_heading(page, s)
                page.add("".join(item_line(page, x) for x in m.scheme_members(s)))
    claims = [c for c in m.instances(m.node(EC + "Claim"))
              if any(w in m.label(c).lower() for w in ("strateg", "form"))]
    if claims:
        page.h(2, _("What the papers argue"), "claims")
        page.add(common.bullet_list([page.link(c) + " — " + page.shown(m.text(c, M.DEFINITION) or "", mark=True)
                                     for c in claims]))


def simple(pages: Pages, doc: str, title: str, intro: str, cls: str, children: str | None = None) -> None:
    """A list page: the items of class ``cls`` by scheme, each with its ``children`` (an ec:
    property such as hasPrerequisite) listed under it when given."""
    page = pages.page(doc, _(title), SRC)
    page.para(_(intro))
    sub = (lambda x: children_lines(page, x, EC + children)) if children else None
    by_scheme(page, EC + cls, sub)


def swot(pages: Pages) -> None:
    m = pages.model
    page = pages.page("lists/swot.md", _("SWOT analysis of educational clusters"), SRC)
    cats = sorted(m.instances(m.node(EC + "SWOTCategory")), key=m.list_key)
    findings = m.instances(m.node(EC + "SWOTFinding"))
    if not cats and not findings:
        page.para("None yet.")
        return
    srcs = sorted({p for f in findings for p in m.papers_of(f)}, key=str)
    page.para("The strengths, weaknesses, opportunities and threats of educational clusters"
              + (" as " + ", ".join(common.paper_name(page, p) for p in srcs) + " lists them" if srcs else "")
              + ". Each finding links to its quote.")
    cells = []
    for c in cats:
        fs = sorted((f for f in findings if c in m.objects(f, EC + "swotCategory")), key=m.list_key)
        lis = "".join(f"<li>{page.hlink(f)}</li>" for f in fs)
        cells.append(f'<section class="ec-swot-cell"><h3 class="ec-swot-head">{page.hlink(c)}</h3>'
                     f'<ul>{lis}</ul></section>')
    page.add(f'<div class="ec-swot">{"".join(cells)}</div>\n')
    rest = [f for f in findings if not m.objects(f, EC + "swotCategory")]
    if rest:
        page.h(2, _("Without a category"), "uncategorised")
        page.add("".join(item_line(page, f) for f in rest))


def cluster_vs_system(pages: Pages) -> None:
    m = pages.model
    page = pages.page("lists/cluster-vs-system.md", _("A cluster versus a system"), SRC)
    diffs = sorted(m.instances(m.node(EC + "ClusterSystemDifference")), key=m.list_key)
    if not diffs:
        page.para("None yet.")
        return
    srcs = sorted({p for d in diffs for p in m.papers_of(d)}, key=str)
    page.para("How the papers set a cluster apart from a (simple) system"
              + (", after " + ", ".join(common.paper_name(page, p) for p in srcs) if srcs else "") + ".")
    rows = ["| " + " | ".join((_("difference"), _("a system"), _("a cluster"))) + " |",
            "| --- | --- | --- |"]
    for d in diffs:
        rows.append(f"| {page.link(d)} | {escape.md(m.text(d, EC + 'systemSide') or '')} | "
                    f"{escape.md(m.text(d, EC + 'clusterSide') or '')} |")
    page.add("\n".join(rows) + "\n")
    matches = [(d, line) for d in diffs for line in common.matches_md(page, d)]
    if matches:
        page.h(2, _("Elsewhere in the papers"), "elsewhere")
        page.add(common.bullet_list([f"{page.link(d)}: {line}" for d, line in matches]))


def consequences(pages: Pages) -> None:
    m = pages.model
    page = pages.page("lists/consequences.md", _("Consequences and significance by sphere"), SRC)
    cons = m.instances(m.node(EC + "Consequence"))
    sig = m.instances(m.node(EC + "Significance"))
    spheres = sorted(m.instances(m.node(EC + "Sphere")), key=m.list_key)
    if not cons and not sig:
        page.para("None yet.")
        return
    page.para(_("What implementing a cluster leads to, and why it matters, by the sphere in which it shows."))
    for title, anchor, items in ((_("Consequences"), "consequences", cons),
                                 (_("Significance"), "significance", sig)):
        page.h(2, title, anchor)
        if not items:
            page.para("None yet.")
            continue
        for sp in spheres + [None]:
            if sp is None:
                xs = [x for x in items if not m.objects(x, EC + "inSphere")]
            else:
                xs = [x for x in items if sp in m.objects(x, EC + "inSphere")]
            xs.sort(key=m.list_key)
            if not xs:
                continue
            page.h(3, (_("Sphere:") + " " + page.link(sp)) if sp is not None else _("In no particular sphere"),
                   f"{anchor}-" + (urls.slug_of(str(sp)) if sp is not None else "none"))
            page.add("".join(item_line(page, x) for x in xs))


def innovation_chain(pages: Pages) -> None:
    m = pages.model
    page = pages.page("lists/innovation-chain.md", _("The innovation chain"), SRC)
    links = m.instances(m.node(EC + "InnovationChainLink"))
    if not links:
        page.para("None yet.")
        return
    # follow ec:nextInChain from the links nothing points to; else order by position
    nxt = {x: m.objects(x, EC + "nextInChain") for x in links}
    starts = [x for x in links if not m.subjects(EC + "nextInChain", x)]
    order, seen = [], set()
    for s in sorted(starts, key=m.list_key):
        x = s
        while x is not None and x not in seen:
            order.append(x)
            seen.add(x)
            x = nxt[x][0] if nxt.get(x) else None
    order += [x for x in sorted(links, key=m.list_key) if x not in seen]
    srcs = sorted({p for x in links for p in m.papers_of(x)}, key=str)
    page.para("The chain of links a pedagogical education cluster forms"
              + (", after " + ", ".join(common.paper_name(page, p) for p in srcs) if srcs else "") + ".")
    nodes = [diagrams.Node(m.label(x), page.href(x)) for x in order]
    page.add(diagrams.chain(nodes, _("The innovation chain")) + "\n")
    page.add("".join(item_line(page, x) for x in order))


def all_lists(pages: Pages) -> None:
    """``id/scheme/index.md``: every list (concept scheme), its items in printed order."""
    m = pages.model
    schemes = m.by_kind.get("scheme", [])
    page = pages.page(urls.kind_index("scheme"), _("Every list in the papers"), SRC)
    page.para(f"{len(schemes)} lists, grouped by paper, each with its items in the order printed. "
              "Each list has its anchor here: the last part of its IRI.")
    groups: dict[str, list] = {}
    for s in schemes:
        key = ", ".join(m.short_cite(p) for p in m.papers_of(s)) or "editors' lists"
        groups.setdefault(key, []).append(s)
    for key in sorted(groups):
        page.h(2, escape.md(key), "g-" + urls.safe_segment("-".join(
            "".join(ch for ch in key.lower() if ch.isalnum() or ch == " ").split())))
        for s in sorted(groups[key], key=m.sort_key):
            page.h(3, page.shown(m.label(s), mark=True), m.target(s).anchor)
            concerns = m.objects(s, EC + "concerns")
            bits = [_("About:") + " " + ", ".join(page.link(c) for c in concerns)] if concerns else []
            d = m.text(s, M.DCT + "description") or m.text(s, M.DEFINITION)
            if d:
                bits.append(page.shown(d, mark=True))
            if bits:
                page.para(" · ".join(bits))
            q = common.quote_html(page, s)
            if q:
                page.add(q)
            page.add("".join(item_line(page, x, definition=False) for x in m.scheme_members(s))
                     or _("No items yet.") + "\n")


def lists_index(pages: Pages) -> None:
    page = pages.page("lists/index.md", _("Lists"), SRC)
    page.para(_("What the papers enumerate, one page per kind of list. Where two papers name the "
                "same idea differently, the item says so and links the other."))
    page.add(common.bullet_list([page.link_doc(doc, escape.md(_(title))) for doc, title in LIST_PAGES]
                                + [page.link_doc(urls.kind_index("scheme"), _("Every list in the papers")),
                                   page.link_doc(urls.kind_index("claim"), _("Claims"))]))


LIST_PAGES = [
    ("lists/principles.md", N_("Principles and their prerequisites")),
    ("lists/directions.md", N_("Directions and their content")),
    ("lists/areas.md", N_("Areas of development")),
    ("lists/relation-types.md", N_("Relation types by axis")),
    ("lists/strategies-and-forms.md", N_("Cluster strategies and forms")),
    ("lists/cluster-types.md", N_("Cluster types")),
    ("lists/interaction-models.md", N_("Interaction models and their activities")),
    ("lists/tasks.md", N_("Tasks of a cluster")),
    ("lists/objectives.md", N_("Objectives of a cluster")),
    ("lists/conditions.md", N_("Conditions and factors")),
    ("lists/swot.md", N_("SWOT analysis")),
    ("lists/cluster-vs-system.md", N_("A cluster versus a system")),
    ("lists/consequences.md", N_("Consequences and significance")),
    ("lists/innovation-chain.md", N_("The innovation chain")),
]


def generate(pages: Pages) -> None:
    simple(pages, "lists/principles.md", N_("Principles and their prerequisites"),
           N_("The principles each paper gives for an educational cluster, in the order printed; "
              "under each principle, the prerequisites the paper lists for providing it."),
           "Principle", "hasPrerequisite")
    simple(pages, "lists/directions.md", N_("Directions and their content"),
           N_("The directions in which the papers say a cluster should work, each with the "
              "content the paper gives for it."), "Direction", "hasContentItem")
    simple(pages, "lists/areas.md", N_("Areas of development"),
           N_("The general areas in which a paper says the cluster model develops, and the "
              "particular areas into which it says they are specified. They are not directions: "
              "the paper names its directions separately."), "DevelopmentArea")
    relation_types(pages)
    strategies_and_forms(pages)
    simple(pages, "lists/cluster-types.md", N_("Cluster types"),
           N_("The types of cluster the papers distinguish."), "ClusterType")
    simple(pages, "lists/interaction-models.md", N_("Interaction models and their activities"),
           N_("Models of interaction between the subjects of a cluster, each with the kinds of "
              "activity it comprises."), "InteractionModel", "hasActivityType")
    simple(pages, "lists/tasks.md", N_("Tasks of a cluster"),
           N_("The tasks (missions) the papers give an educational cluster."), "ClusterTask")
    simple(pages, "lists/objectives.md", N_("Objectives of a cluster"),
           N_("The objectives, aims and goals the papers give an educational cluster."), "Objective")
    simple(pages, "lists/conditions.md", N_("Conditions and factors"),
           N_("The conditions and factors on which the papers say the success of a cluster "
              "depends."), "Condition")
    swot(pages)
    cluster_vs_system(pages)
    consequences(pages)
    innovation_chain(pages)
    all_lists(pages)
    lists_index(pages)
