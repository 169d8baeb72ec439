"""Each page's RDF: the per-term files of ``educluster build`` copied into ``downloads/``, and
on every page that stands for one IRI a ``<link rel="alternate describedby">`` per format and
the IRI's description embedded as JSON-LD, so that crawlers and Linked Data clients find it."""

from __future__ import annotations

import json

from educluster.kb import ONTOLOGY_IRI
from educluster.site.writer import Pages
from educluster.termfiles import FORMATS

WHOLE = {"ttl": "educluster.ttl", "jsonld": "educluster.jsonld", "rdf": "educluster.rdf",
         "nt": "educluster.nt"}


def script_json(data: bytes) -> str:
    """JSON text safe inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes, so that
    ``</script>`` (or ``<!--``) in a label cannot end the element."""
    text = json.dumps(json.loads(data), ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def generate(pages: Pages) -> None:
    """Write the per-term files and attach alternates and JSON-LD to the pages of single IRIs."""
    from educluster.termfiles import description_files, path_of, term_files

    m = pages.model
    nt = m.graph.serialize(format="nt").encode("utf-8")
    files = term_files(nt)
    for path, data in files.items():
        pages.file(f"downloads/{path}", data)
    for node in [*m.terms, *m.individuals, m.node(ONTOLOGY_IRI)]:
        t = m.target(node)
        if t is None or t.anchor or t.doc not in pages.pages:
            continue
        page = pages.pages[t.doc]
        iri = str(node)
        if iri == ONTOLOGY_IRI:
            own = description_files(nt, iri)
            jsonld = own["jsonld"]
            targets = {ext: f"downloads/{name}" for ext, name in WHOLE.items()}
        else:
            base = path_of(iri)
            if f"{base}.jsonld" not in files:
                continue
            jsonld = files[f"{base}.jsonld"]
            targets = {ext: f"downloads/{base}.{ext}" for ext in FORMATS}
        page.alternates = [{"type": FORMATS[ext][0], "href": page.href_doc(doc)}
                           for ext, doc in targets.items()]
        page.jsonld = script_json(jsonld)
