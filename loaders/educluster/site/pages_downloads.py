"""Downloads: the merged ontology and knowledge base in the four serialisations and the
JSON-LD context (written by :func:`educluster.build.serialise`, the same bytes as
``educluster build``), and the list of the per-term files (written by :mod:`pages_rdf`)."""

from __future__ import annotations

from educluster.site import escape
from educluster.site.lang import _
from educluster.site.writer import Pages
from educluster.skos_export import FILE as SKOS_FILE

FORMATS = [
    ("educluster.ttl", "Turtle", "text/turtle"),
    ("educluster.jsonld", "JSON-LD", "application/ld+json"),
    ("educluster.rdf", "RDF/XML", "application/rdf+xml"),
    ("educluster.nt", "N-Triples", "application/n-triples"),
]


def term_file(m, s) -> str | None:
    """The downloads path of the Turtle file of ``s`` (a term or KB item), or None."""
    from educluster.termfiles import path_of

    if s in m.class_set or s in m.property_set or s in m.individual_set:
        return f"downloads/{path_of(str(s))}.ttl"
    return None


def _whole_files(graph) -> dict[str, bytes]:
    """The files of ``educluster build`` for the whole graph, and its SKOS export."""
    from educluster.build import serialise
    from educluster.skos_export import export_turtle

    files = serialise(graph)
    files[SKOS_FILE] = export_turtle(files["educluster.nt"])
    return files


def generate(pages: Pages) -> None:
    from educluster.build import CONTEXT

    m = pages.model
    # the four serialisations and the context are the slow part: they are produced while
    # mkdocs builds and added to the built site (so their links are raw HTML, checked by
    # the link check after the build)
    pages.late.append(lambda: {f"downloads/{name}": data
                               for name, data in _whole_files(m.graph).items()})
    page = pages.page("downloads.md", _("Downloads"), "ontology/*.ttl and ontology/kb/*.ttl")
    page.para(_("The ontology and the knowledge base, merged: {triples} triples, {terms} terms and "
                "{items} items. The four files hold exactly the same triples: they are the output of "
                "`educluster build`.").format(triples=len(m.graph), terms=len(m.terms),
                                              items=len(m.individuals)))
    rows = ["| " + " | ".join((_("file"), _("format"), _("media type"))) + " |", "| --- | --- | --- |"]
    for name, fmt, mt in FORMATS + [(CONTEXT, _("JSON-LD context"), "application/ld+json"),
                                    (SKOS_FILE, _("SKOS (Turtle): the lists, for Skosmos and "
                                                     "other vocabulary tools"), "text/turtle")]:
        href = page.href_doc("downloads/" + name)
        rows.append(f'| <a href="{escape.attr(href)}" download>{escape.html(name)}</a> | {fmt} | '
                    f"<code>{mt}</code> |")
    page.add("\n".join(rows) + "\n")
    page.para(_("The JSON-LD context maps the short names of every term to its IRI: use it to write "
                "institutional data as plain JSON-LD."))
    page.h(2, _("One file per term and per item"), "per-term")
    page.para(_("Each class, property and knowledge-base item also has small files of its own, in "
                "the same four formats (`ontology/<Name>.ttl`, `.jsonld`, `.rdf`, `.nt`; "
                "`id/<kind>/<slug>.ttl`, ...), linked from its page: the files its IRI leads to "
                "when a program asks for RDF.") + " " + _("Classes:"))
    page.add("".join(f"- {page.link_doc(term_file(m, c), escape.md(m.curie(c)))}\n" for c in m.classes)
             or _("None yet.") + "\n")
    page.para(_("Properties:"))
    page.add("".join(f"- {page.link_doc(term_file(m, p), escape.md(m.curie(p)))}\n" for p in m.properties)
             or _("None yet.") + "\n")
