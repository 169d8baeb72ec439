"""Downloads: the merged ontology and knowledge base in the four serialisations and the
JSON-LD context (written by :func:`educluster.build.serialise`, the same bytes as
``educluster build``), and a small Turtle file per term and per KB item."""

from __future__ import annotations

import re

from educluster.site import escape, urls
from educluster.site import model as M
from educluster.site.writer import Pages

FORMATS = [
    ("educluster.ttl", "Turtle", "text/turtle"),
    ("educluster.jsonld", "JSON-LD", "application/ld+json"),
    ("educluster.rdf", "RDF/XML", "application/rdf+xml"),
    ("educluster.nt", "N-Triples", "application/n-triples"),
]


_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _n3(m, o, prefixes: dict[str, str]) -> str:
    """``o`` in Turtle, IRIs shortened with ``prefixes`` where the local name is simple."""
    if isinstance(o, m.URIRef):
        iri = str(o)
        for p, ns in prefixes.items():
            if iri.startswith(ns) and _LOCAL.match(iri[len(ns):]):
                return f"{p}:{iri[len(ns):]}"
        return o.n3()
    if isinstance(o, m.Literal) and o.datatype is not None:
        text = o.n3()
        dt = str(o.datatype)
        return text[: -len(dt) - 2] + _n3(m, o.datatype, prefixes) if text.endswith(f"<{dt}>") else text
    return o.n3()


def _turtle_of(m, s, prefixes: dict[str, str]) -> str:
    """``s`` and the blank nodes it reaches, as Turtle (a small writer: fast for hundreds of files)."""

    def term(o, depth: int) -> str:
        if isinstance(o, m.BNode) and depth < 8 and o in m.out:
            inner = body(o, depth + 1, "    " * (depth + 2))
            return "[\n" + inner + "\n" + "    " * (depth + 1) + "]"
        return _n3(m, o, prefixes)

    def body(x, depth: int, pad: str) -> str:
        parts = []
        for p, objs in sorted(m.out.get(x, {}).items()):
            pn = "a" if p == M.TYPE else _n3(m, m.node(p), prefixes)
            objs_txt = " , ".join(term(o, depth) for o in sorted(objs, key=lambda o: o.n3()))
            parts.append(f"{pad}{pn} {objs_txt}")
        return " ;\n".join(parts)

    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())
    return head + "\n" + _n3(m, s, prefixes) + "\n" + body(s, 0, "    ") + " .\n"


def term_file(m, s) -> str | None:
    """The downloads path of the Turtle file of ``s`` (a term or KB item), or None."""
    iri = str(s)
    if s in m.class_set:
        return f"downloads/classes/{urls.safe_segment(iri[len(M.EC):])}.ttl"
    if s in m.property_set:
        return f"downloads/properties/{urls.safe_segment(iri[len(M.EC):])}.ttl"
    if s in m.individual_set:
        return f"downloads/id/{urls.kind_of(iri)}/{urls.slug_of(iri)}.ttl"
    return None


def generate(pages: Pages) -> None:
    from educluster.build import CONTEXT, serialise
    from educluster.kb import PREFIXES

    m = pages.model
    # the four serialisations and the context are the slow part: they are produced while
    # mkdocs builds and added to the built site (so their links are raw HTML, checked by
    # the link check after the build)
    pages.late.append(lambda: {f"downloads/{name}": data
                               for name, data in serialise(m.graph).items()})
    header = "# generated from ontology/*.ttl by educluster site build — do not edit\n"
    for s in [*m.terms, *m.individuals]:
        path = term_file(m, s)
        if path:
            pages.file(path, header + _turtle_of(m, s, PREFIXES))
    page = pages.page("downloads.md", "Downloads", "ontology/*.ttl and ontology/kb/*.ttl")
    page.para(f"The ontology and the knowledge base, merged: {len(m.graph)} triples, "
              f"{len(m.terms)} terms and {len(m.individuals)} items. The four files hold exactly "
              "the same triples: they are the output of `educluster build`.")
    rows = ["| file | format | media type |", "| --- | --- | --- |"]
    for name, fmt, mt in FORMATS + [(CONTEXT, "JSON-LD context", "application/ld+json")]:
        href = page.href_doc("downloads/" + name)
        rows.append(f'| <a href="{escape.attr(href)}" download>{escape.html(name)}</a> | {fmt} | '
                    f"<code>{mt}</code> |")
    page.add("\n".join(rows) + "\n")
    page.para("The JSON-LD context maps the short names of every term to its IRI: use it to write "
              "institutional data as plain JSON-LD.")
    page.h(2, "One Turtle file per term", "per-term")
    page.para("Each class, property and knowledge-base item also has a small Turtle file of its "
              "own, linked from its page. Classes:")
    page.add("".join(f"- {page.link_doc(term_file(m, c), escape.md(m.curie(c)))}\n" for c in m.classes)
             or "None yet.\n")
    page.para("Properties:")
    page.add("".join(f"- {page.link_doc(term_file(m, p), escape.md(m.curie(p)))}\n" for p in m.properties)
             or "None yet.\n")
