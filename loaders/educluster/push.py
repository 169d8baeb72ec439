"""``educluster push --store URL``: load the ontology, knowledge base and data into any store
that speaks the SPARQL 1.1 Graph Store Protocol.

Each graph -- the ontology, the knowledge base, each ``--data`` file (named as in
:mod:`educluster.engines`) -- is sent with one HTTP ``PUT URL?graph=IRI`` as N-Triples, which
replaces whatever the store held in that graph; nothing else in the store is touched. The
number of triples sent is reported per graph. A failed request stops the push and reports what
the store answered (status and first line of its body); graphs sent before it stay replaced.

Querying the pushed graphs with the competency questions needs the store's default graph to
cover them: start Oxigraph with ``--union-default-graph``, configure Fuseki's
``tdb2:unionDefaultGraph``, or pass ``query --endpoint URL --default-graph IRI`` for each graph.
"""

from __future__ import annotations

import sys
import urllib.parse

from educluster.errors import UserError


def graph_url(store: str, graph: str) -> str:
    """The Graph Store Protocol URL of a named graph (indirect identification, ``?graph=``)."""
    sep = "&" if urllib.parse.urlsplit(store).query else "?"
    return f"{store}{sep}graph={urllib.parse.quote(graph, safe='')}"


def _headers(raw: list[str] | None) -> dict[str, str]:
    out = {}
    for h in raw or []:
        name, sep, value = h.partition(":")
        if not sep or not name.strip() or any(c in name for c in " \t\r\n") \
                or any(c in value for c in "\r\n"):
            raise UserError(f"--header {h!r}: write it as NAME:VALUE, for example "
                            "'Authorization: Bearer TOKEN'")
        out[name.strip()] = value.strip()
    return out


def run(args) -> int:
    import pyoxigraph as ox

    from educluster import engines
    from educluster.query.remote import check_url, http

    store = check_url(args.store, "--store")
    extra = _headers(args.header)
    specs = engines.layout(args.data or [], args.ontology_dir, args.kb_dir)
    graphs: dict[str, tuple[str, set]] = {}
    for spec in specs:
        graphs.setdefault(spec.iri, (spec.name, set()))
        for q in engines.graph_quads(spec):  # a TriG/N-Quads file may name graphs of its own
            graphs.setdefault(q.graph_name.value, (spec.name, set()))[1].add(
                ox.Triple(q.subject, q.predicate, q.object))
    total = 0
    for iri, (name, triples) in graphs.items():
        body = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)
        try:
            status, _, _ = http(graph_url(store, iri), body,
                                {"Content-Type": "application/n-triples", **extra}, "PUT",
                                args.timeout, "the store")
        except UserError as exc:
            raise UserError(f"pushing the {name} graph <{iri}>: {exc.message}") from exc
        print(f"{name}: {len(triples)} triples -> <{iri}> ({status})", flush=True)
        total += len(triples)
    print(f"pushed {total} triples in {len(graphs)} graphs to {store}", file=sys.stderr)
    return 0
