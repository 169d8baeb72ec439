"""The example cluster page (``examples/*/*.ttl``): the cluster, its members with their
roles, everything else the example records, and a diagram; the example's files in every
format it comes in are offered for download."""

from __future__ import annotations

from pathlib import Path

from educluster.site import common, diagrams, escape, urls
from educluster.site import lang as sitelang
from educluster.site import model as M
from educluster.site.lang import _
from educluster.site.writer import Page, Pages

ORG = M.ORG


def _anchor(iri: str) -> str:
    local = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return "ex-" + urls.safe_segment(local)


class _Example:
    """One example graph, read beside the knowledge base."""

    def __init__(self, pages: Pages, path: Path):
        from educluster.kb import parse_file
        from educluster.site.model import Model

        self.kb = pages.model
        self.path = path
        self.ex = Model(parse_file(path))
        self.subjects = sorted((s for s in self.ex.out if isinstance(s, self.kb.URIRef)), key=str)
        self.subject_set = set(self.subjects)

    def label(self, x) -> str:
        if x in self.subject_set:
            count = self.ex.text(x, M.EC + "count")
            kind = self.ex.value(x, M.EC + "countedKind")
            if count and kind is not None and self.ex.value(x, M.LABEL) is None:
                return f"{count} × {self.kb.label(kind)}"
            return self.ex.label(x)
        return self.kb.label(x)

    def is_a(self, x, cls: str) -> bool:
        kb = self.kb
        target = kb.node(cls)
        return any(t == target or target in _ancestors(kb, t) for t in self.ex.objects(x, M.TYPE))

    def value(self, page: Page, o) -> str:
        m = self.kb
        if isinstance(o, m.Literal):
            return escape.md(o)
        if o in self.subject_set:
            return f"[{escape.md(self.label(o))}](#{_anchor(str(o))})"
        if page.target(o) is not None:
            return page.link(o)
        return f"<code>{escape.md(m.curie(o))}</code>"

    def href(self, page: Page, x) -> str | None:
        if x in self.subject_set:
            return "#" + _anchor(str(x))
        return page.href(x)


def _ancestors(m, c) -> set:
    seen, todo = set(), [c]
    while todo:
        for s in m.objects(todo.pop(), M.SUBCLASS):
            if s not in seen:
                seen.add(s)
                todo.append(s)
    return seen


def _table(page: Page, ex: _Example, x, skip=frozenset()) -> str:
    rows = []
    for p, objs in sorted(ex.ex.out.get(x, {}).items()):
        if p in skip:
            continue
        vals = "<br>".join(ex.value(page, o) for o in sorted(objs, key=str))
        rows.append(f"| {common.prop_label(page, p)} | {vals} |")
    return ("| property | value |\n| --- | --- |\n" + "\n".join(rows) + "\n") if rows else ""


def _diagram(page: Page, ex: _Example, cluster, memberships) -> str:
    m = ex.kb
    spokes: list[tuple[str, diagrams.Node]] = []
    index: dict = {}

    def add(x, edge: str, label: str | None = None, css: str = "ec-node"):
        if x in index or len(spokes) >= 18:
            return
        index[x] = len(spokes)
        spokes.append((edge, diagrams.Node(label or ex.label(x), ex.href(page, x), css)))

    for ms in memberships:
        for member in ex.ex.objects(ms, ORG + "member"):
            roles = ex.ex.objects(ms, ORG + "role")
            role = ", ".join(m.label(r) for r in roles) or "member"
            add(member, role, css="ec-node" + (" ec-role-core" if "core" in role else ""))
    for s in ex.subjects:
        if s == cluster or s in memberships or s in index:
            continue
        if cluster in [o for objs in ex.ex.out[s].values() for o in objs] and not ex.ex.objects(s, M.EC + "partOf"):
            if ex.ex.text(s, M.EC + "count"):
                add(s, "counted")
            else:
                types = [m.label(t) for t in ex.ex.objects(s, M.TYPE)]
                add(s, ", ".join(types) or "part")
    links = []
    for s, i in index.items():
        for p, objs in ex.ex.out.get(s, {}).items():
            for o in objs:
                if o in index and o != s:
                    links.append((i, index[o], m.label(m.node(p))))
    center = diagrams.Node(ex.label(cluster), None)
    center.max_chars = 34
    center.lines = diagrams.wrap(center.label, 34, 3)
    return diagrams.star(center, spokes, links, _("Members and parts of {name}").format(name=ex.label(cluster))) + "\n"


def _example_section(pages: Pages, page: Page, path: Path, repo: Path) -> None:
    ex = _Example(pages, path)
    m = ex.kb
    clusters = [s for s in ex.subjects if ex.is_a(s, M.EC + "Cluster")]
    memberships_all = [s for s in ex.subjects if ex.ex.objects(s, ORG + "organization")]
    rel = path.relative_to(repo) if path.is_relative_to(repo) else path.name
    page.para(_("From {file}: {statements} statements about {resources} resources. Check it "
                "yourself with {command}.").format(
                    file=f"<code>{escape.md(str(rel))}</code>", statements=len(ex.ex.graph),
                    resources=len(ex.subjects),
                    command=f"<code>educluster validate {escape.md(str(rel))}</code>"))
    comments = []
    for ln in path.read_text(encoding="utf-8").splitlines():
        if not ln.startswith("#") or not ln[1:].strip():
            break
        comments.append(ln[1:].strip())
    intro = " ".join(comments)
    if intro:  # the file's own comment, English: marked so on the other languages' pages
        page.para(f"*{escape.md(intro)}*" if sitelang.current() == "en"
                  else f'<em lang="en">{escape.md(intro)}</em>')
    shown = set()
    for c in clusters:
        page.h(2, escape.md(ex.label(c)), _anchor(str(c)))
        kinds = [page.link(t) if page.target(t) else escape.md(m.curie(t)) for t in ex.ex.objects(c, M.TYPE)]
        first = next(iter(ex.ex.objects(c, M.TYPE)), None)
        art = escape.article(m.label(first)).capitalize() if first is not None else "A"
        # "A cluster and ...": English grammar; the other languages list the kinds
        page.para(art + " " + " and ".join(kinds) + "." if sitelang.current() == "en"
                  else ", ".join(kinds) + ".")
        page.add(_table(page, ex, c, skip={M.TYPE, M.LABEL}))
        ms = [s for s in memberships_all if c in ex.ex.objects(s, ORG + "organization")]
        page.add(_diagram(page, ex, c, ms))
        if ms:
            page.h(3, _("Members") + f" ({len(ms)})", _anchor(str(c)) + "-members")
            rows = ["| " + " | ".join((_("member"), _("kind"), _("role"), _("region"), _("description"))) + " |", "| --- | --- | --- | --- | --- |"]
            for s in ms:
                shown.add(s)
                for member in ex.ex.objects(s, ORG + "member"):
                    shown.add(member)
                    kinds = ", ".join(ex.value(page, t) for t in ex.ex.objects(member, M.TYPE))
                    roles = ", ".join(ex.value(page, r) for r in ex.ex.objects(s, ORG + "role"))
                    region = escape.md(ex.ex.text(member, M.EC + "region") or "")
                    desc = escape.md(ex.ex.text(member, M.DCT + "description") or "")
                    rows.append(f'| <span id="{_anchor(str(member))}"></span>'
                                f'<span id="{_anchor(str(s))}"></span>{escape.md(ex.label(member))} | '
                                f"{kinds} | {roles} | {region} | {desc} |")
            page.add("\n".join(rows) + "\n")
        shown.add(c)
    groups: dict[str, list] = {}
    for s in ex.subjects:
        if s in shown:
            continue
        types = sorted(m.label(t) for t in ex.ex.objects(s, M.TYPE)) or ["other"]
        groups.setdefault(types[0], []).append(s)
    for g in sorted(groups):
        page.h(2, escape.md(g[:1].upper() + g[1:]), "exg-" + urls.safe_segment("-".join(g.lower().split())))
        for s in groups[g]:
            page.h(3, escape.md(ex.label(s)), _anchor(str(s)))
            page.add(_table(page, ex, s, skip={M.LABEL}))
    folder = path.parent
    files = sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix in (".ttl", ".json", ".csv", ".jsonld"))
    if files:
        page.h(2, _("The example's files"), "ex-files")
        page.para(_("The same data in every format the example comes in:"))
        links = []
        for f in files:
            dest = f"downloads/examples/{folder.name}/{f.relative_to(folder).as_posix()}"
            pages.file(dest, f.read_bytes())
            links.append(page.link_doc(dest, escape.md(f.relative_to(folder).as_posix())))
        page.add(common.bullet_list(links))


def generate(pages: Pages, examples_dir: Path, repo: Path | None = None) -> None:
    page = pages.page("example.md", _("Example cluster"), "examples/*/*.ttl")
    files = sorted(examples_dir.glob("*/*.ttl")) if examples_dir.is_dir() else []
    if not files:
        page.para(_("None yet: no example cluster data in `examples/`."))
        return
    page.para(_("A real cluster described as institutions would describe theirs: members, roles, "
                "links and activities, using the ontology's terms and the knowledge base's items. "
                "Each item links to its concept page."))
    for f in files:
        _example_section(pages, page, f, repo or examples_dir.parent)
