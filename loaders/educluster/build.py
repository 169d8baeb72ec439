"""``educluster build``: merge ontology + knowledge base and write the distribution.

Writes to ``--out`` (default ``dist/`` in the repository):

=====================  ==========================================================
``educluster.ttl``     Turtle, with the generated-file header comment
``educluster.nt``      N-Triples, lines sorted, with the header comment
``educluster.rdf``     RDF/XML, subjects sorted (no header, as for JSON-LD)
``educluster.jsonld``  JSON-LD, prefixes-only context, nodes sorted (no
                       header: JSON has no comments; none is added as a triple)
``context.jsonld``     the JSON-LD context generated from the ontology
``ontology/``, ``id/`` one file per term and per KB item in each of the four
                       formats (:mod:`educluster.termfiles`, decision 0015)
``.htaccess``          the w3id.org redirect rules (:mod:`educluster.redirects`)
``educluster-skos.ttl`` the lists as plain SKOS (:mod:`educluster.skos_export`)
=====================  ==========================================================

The four graph files hold exactly the same triples. Output is deterministic:
blank nodes get canonical labels and triples are written in sorted order.
Everything is serialised in memory first, written into a new sibling folder and only
then swapped in for the output folder as a whole (:func:`educluster.atomic.replace_folder`):
a failed or killed build leaves the previous output untouched, never a mix of old and new
files. The output folder may hold only what ``build`` writes (nothing else is lost in the
swap); a link or a file at its path is refused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from educluster import paths
from educluster.atomic import check_output_folder, replace_folder
from educluster.errors import UserError, display_path
from educluster.i18n import _, ngettext

HEADER = "# generated from ontology/*.ttl by educluster build — do not edit\n"

OUTPUTS = ("educluster.ttl", "educluster.jsonld", "educluster.rdf", "educluster.nt")
CONTEXT = "context.jsonld"


def canonical_graph(graph):
    """A copy of ``graph`` with canonical blank-node labels, triples added in sorted order."""
    from rdflib import BNode
    from rdflib.compare import to_canonical_graph

    from educluster.kb import new_graph

    triples = graph
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        triples = to_canonical_graph(graph)
    out = new_graph()
    for t in sorted(triples, key=lambda t: tuple(x.n3() for x in t)):
        out.add(t)
    return out


def _bind_generated_prefixes(graph) -> None:
    """Give namespaces without a project prefix their generated prefix (ns1, ...) in sorted order.

    rdflib's writers otherwise number them in Python set order, which changes from
    run to run.
    """
    nm = graph.namespace_manager
    for predicate in sorted(set(graph.predicates())):
        try:
            nm.compute_qname_strict(predicate)
        except ValueError:
            pass  # not splittable: RDF/XML cannot write it; rdflib will say so


def _rdfxml(graph) -> str:
    """RDF/XML with subjects in sorted order.

    rdflib's writer takes subjects from ``graph.subjects()``, which its memory store
    yields in set order (different on every run); a view of the same store that
    yields them sorted makes the output deterministic.
    """
    import rdflib

    class SortedSubjects(rdflib.Graph):
        def subjects(self, predicate=None, object=None, unique=False):
            if predicate is None and object is None:
                return iter(sorted(set(super().subjects()), key=lambda n: n.n3()))
            return super().subjects(predicate, object, unique)

    view = SortedSubjects(store=graph.store, identifier=graph.identifier,
                          namespace_manager=graph.namespace_manager)
    return view.serialize(format="xml")


def _jsonld(graph) -> str:
    """JSON-LD compacted with the project's prefixes only, nodes sorted by ``@id``.

    Only prefixes, no term coercions: a typed term such as ``quote`` (``xsd:string``)
    would turn plain literals into explicitly typed ones for some readers, and the
    four files must hold the same triples for every reader.
    """
    from educluster.kb import PREFIXES

    data = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES)))
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data["@graph"].sort(key=lambda node: json.dumps(node.get("@id", ""), sort_keys=True))
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def ntriples(canonical) -> bytes:
    """The N-Triples file of a :func:`canonical_graph`: sorted lines under the header, so that
    the same graph always gives the same bytes (a release's is made again from its Turtle)."""
    nt = "".join(sorted(line + "\n" for line in canonical.serialize(format="nt").splitlines()
                        if line.strip()))
    return (HEADER + nt).encode("utf-8")


def serialise(graph) -> dict[str, bytes]:
    """The five output files of ``graph`` as bytes, by file name."""
    from educluster.context import make_context

    g = canonical_graph(graph)
    _bind_generated_prefixes(g)
    ttl = g.serialize(format="turtle")
    context = make_context(g)
    return {
        "educluster.ttl": (HEADER + "\n" + ttl.lstrip("\n")).encode("utf-8"),
        "educluster.nt": ntriples(g),
        "educluster.rdf": _rdfxml(g).encode("utf-8"),
        "educluster.jsonld": _jsonld(g).encode("utf-8"),
        CONTEXT: (json.dumps(context, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def publication(files: dict[str, bytes], args: argparse.Namespace | None = None) -> dict[str, bytes]:
    """The files that make IRIs resolve (per-term files, the w3id ``.htaccess``) and the SKOS
    export for vocabulary tools."""
    from educluster.redirects import DEFAULT_SITE_URL, htaccess
    from educluster.termfiles import term_files

    from educluster.skos_export import FILE, export_turtle

    out = term_files(files["educluster.nt"])
    out[FILE] = export_turtle(files["educluster.nt"])
    site_url = getattr(args, "site_url", None) or DEFAULT_SITE_URL
    out[".htaccess"] = htaccess(site_url, getattr(args, "data_url", None)).encode("utf-8")
    return out


def run(args: argparse.Namespace) -> int:
    from educluster.kb import load_graph

    out = Path(args.out) if getattr(args, "out", None) else paths.dist_dir()
    graph = load_graph(getattr(args, "ontology_dir", None), getattr(args, "kb_dir", None))
    files = serialise(graph)
    files.update(publication(files, args))
    tops = {name.split("/", 1)[0] for name in files}
    if check_output_folder(out):
        foreign = sorted(n for n in os.listdir(out) if n not in tops
                         and not (n.startswith(".") and n.endswith(".tmp")))  # old leftovers
        if foreign:
            raise UserError(_("the output folder holds {name}, which build does not write; "
                              "build replaces the folder as a whole: give an empty or new "
                              "folder as --out").format(name=repr(foreign[0])), file=out)
    try:
        replace_folder(out, files)
    except OSError as exc:
        raise UserError(_("cannot write output: {reason}; check the folder and its "
                          "permissions").format(reason=exc.strerror or exc),
                        file=exc.filename or out) from exc
    shown = display_path(out).rstrip("/") + "/"
    print(ngettext("wrote {n} triple to {folder} (4 formats + context)",
                   "wrote {n} triples to {folder} (4 formats + context)", len(graph)).format(
        n=len(graph), folder=shown), file=sys.stdout)
    return 0
