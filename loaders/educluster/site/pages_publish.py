"""The "Changelog" page (one section per release in ``releases/``, newest first, from its
``changes.json``; the release files copied to ``downloads/releases/``) and the "How to cite"
page (from the ontology header and the latest release), so a reader can name what they used."""

from __future__ import annotations

import json
from pathlib import Path

from educluster.kb import EC, ONTOLOGY_IRI
from educluster.site import escape
from educluster.site import model as M
from educluster.site.lang import _, ngettext
from educluster.site.writer import Page, Pages

RELEASE_FILES = ["educluster.ttl", "educluster.jsonld", "educluster.rdf", "educluster.nt",
                 "context.jsonld", "educluster-skos.ttl", "CHANGELOG.md"]
EXAMPLE_TERM = EC + "Cluster"
EXAMPLE_ITEM = "https://w3id.org/educluster/id/principle/succession"


def _iri(page: Page, iri: str) -> str:
    """A link to the item's page where it has one, else the IRI as code."""
    node = page.model.node(iri)
    if page.target(node) is not None:
        return f"{page.link(node)} (<code>{escape.md(iri)}</code>)"
    return f"<code>{escape.md(iri)}</code>"


def _release_section(page: Page, pages: Pages, folder: Path, changes: dict) -> None:
    from educluster.release import GRAPH, release_graph

    date = changes["release"]
    page.h(2, _("Release") + f" {escape.md(date)}", f"release-{date}")
    page.para(_("Version IRI") + f" <code>{escape.md(changes['versionIRI'])}</code>"
              + ("; " + _("previous release") + f" {escape.md(changes['prior'])}." if changes.get("prior")
                 else "; " + _("the first release.")))
    links = []
    for name in RELEASE_FILES:
        f = folder / name
        if name == GRAPH:       # not committed: made from the release's Turtle (decision 0039)
            data = release_graph(folder)[0]
        elif f.is_file():
            data = f.read_bytes()
        else:
            continue
        path = f"downloads/releases/{date}/{name}"
        if name.endswith(".md"):
            # a download, not a page: written as is beside the built site, so mkdocs neither
            # renders it nor gives it language versions that do not exist (broken links)
            pages.late.append(lambda path=path, data=data: {path: data})
            links.append(f'<a href="{escape.attr(page.href_root_file(path))}">{escape.md(name)}</a>')
        else:
            pages.file(path, data)
            links.append(page.link_doc(path, escape.md(name)))
    page.para(_("Files:") + " " + " · ".join(links))
    if not changes.get("prior"):
        return
    page.para(_("{added} added, {deprecated} deprecated, {changed} changed.").format(
        added=len(changes["added"]), deprecated=len(changes["deprecated"]), changed=len(changes["changed"])))
    for title, key in ((_("Added"), "added"), (_("Deprecated"), "deprecated"), (_("Removed"), "removed")):
        if changes.get(key):
            page.para(f"**{title}:**")
            page.add("".join(f"- {_iri(page, iri)}\n" for iri in changes[key]))
    if changes.get("changed"):
        page.para("**" + _("Changed:") + "**")
        lines = []
        for iri, entry in changes["changed"].items():
            lines.append(f"- {_iri(page, iri)}")
            for name, what in entry.items():
                if name == "other statements":
                    lines.append("    - " + ngettext("{n} other statement added or removed",
                                                     "{n} other statements added or removed",
                                                     int(what)).format(n=int(what)))
                    continue
                lines += [f"    - {escape.md(name)} " + _("removed:") + f" {escape.md(v)}" for v in what["removed"]]
                lines += [f"    - {escape.md(name)} " + _("added:") + f" {escape.md(v)}" for v in what["added"]]
        page.add("\n".join(lines) + "\n")


def releases(folder: Path) -> list[tuple[Path, dict]]:
    """The releases in ``folder`` with their changes, newest first."""
    from educluster.release import release_dates

    out = []
    for date in reversed(release_dates(folder)):
        f = folder / date / "changes.json"
        if f.is_file():
            out.append((folder / date, json.loads(f.read_text(encoding="utf-8"))))
    return out


def generate(pages: Pages, releases_dir: Path) -> None:
    m = pages.model
    found = releases(releases_dir)
    page = pages.page("changelog.md", _("Releases and changelog"), "releases/*/changes.json")
    page.para(_("Each release is dated and never changes: its version IRI "
                "(<code>https://w3id.org/educluster/ontology/YYYY-MM-DD</code>) leads to its files. "
                "`educluster release` makes one and writes what changed since the previous release: "
                "terms and items added, deprecated (a term is never deleted: it stays, marked "
                "deprecated, pointing at its replacement), and changed labels, definitions and quotes."))
    if not found:
        page.para(_("No release yet: the site shows the current, unreleased state."))
    for folder, changes in found:
        _release_section(page, pages, folder, changes)

    onto = m.node(ONTOLOGY_IRI)
    title = m.text(onto, M.DCT + "title") or "educluster"
    cite = m.text(onto, M.DCT + "bibliographicCitation")
    latest = found[0][1] if found else None
    page = pages.page("how-to-cite.md", _("How to cite"), "ontology/educluster.ttl and releases/")

    def english(text_md: str) -> str:
        """A citation text (the ontology's title and citation, the papers' names): as written, in
        English, marked so on the other languages' pages."""
        return text_md if m.lang == "en" else f'<span lang="en">{text_md}</span>'

    page.h(2, _("The knowledge base"), "knowledge-base")
    if cite:  # the citation itself (the ontology's dcterms:bibliographicCitation) stays as written
        page.para(english(escape.md(cite)))
    if latest:
        page.para(_("Better, name the release you used: {title}, release {release}. {iri} "
                    "({all_releases}).").format(
            title=english(escape.md(title)), release=escape.md(latest["release"]),
            iri=f"<code>{escape.md(latest['versionIRI'])}</code>",
            all_releases=page.link_doc("changelog.md", _("all releases"))))
    else:
        page.para(_("There is no release yet: give the ontology IRI and the date you used it. "
                    "Once releases exist, they are listed in the {changelog}.").format(
            changelog=page.link_doc("changelog.md", _("changelog"))))
    page.para(_("The repository's `CITATION.cff` holds the same in the Citation File Format "
                "(reference managers and code hosts read it)."))
    page.h(2, _("A term"), "term")
    term = m.node(EXAMPLE_TERM)
    if m.target(term) is not None:
        values = dict(label=page.shown(m.label(term), mark=True),
                      iri=f"<code>{escape.md(EXAMPLE_TERM)}</code>", title=english(escape.md(title)))
        if latest:
            page.para(_("Cite a term by its IRI, with the release: “{label}” ({iri}), in {title}, "
                        "release {release}.").format(**values, release=escape.md(latest["release"])))
        else:
            page.para(_("Cite a term by its IRI, with the release: “{label}” ({iri}), in {title}.")
                      .format(**values))
    page.para(_("Every IRI resolves: a browser gets its page, a program asking for Turtle, JSON-LD, "
                "RDF/XML or N-Triples gets its description in that format."))
    page.h(2, _("An item of the knowledge base"), "item")
    item = m.node(EXAMPLE_ITEM)
    if m.target(item) is not None:
        papers = ", ".join(m.short_cite(p) for p in m.papers_of(item))
        page.para(_("An item records what a paper says: cite the item by its IRI and the paper it "
                    "comes from, e.g. {item} ({iri}), from {papers}.").format(
            item=page.link(item), iri=f"<code>{escape.md(EXAMPLE_ITEM)}</code>",
            papers=english(escape.md(papers))))
