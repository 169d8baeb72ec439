"""``educluster push --store URL``: load the ontology, knowledge base and data into any store
that speaks the SPARQL 1.1 Graph Store Protocol.

Each graph -- the ontology, the knowledge base, each ``--data`` file (named as in
:mod:`educluster.engines`, or by ``--graph IRI``) -- is sent with one HTTP ``PUT
URL?graph=IRI`` as N-Triples, which replaces whatever the store held in that graph; nothing
else in the store is touched. A data file writes only its own graph: the named graphs of a
TriG or N-Quads file are merged into it (a file cannot overwrite the knowledge base's or
another institution's graph). Two institutions that push a file of the same name give each
its own ``--graph``.

**What "all or none" means here.** Every file is read, checked and serialised before the
first request, so a broken file changes nothing in the store. The Graph Store Protocol has
no transaction across requests: a request that fails midway (the store goes down, refuses
one graph) leaves the graphs sent before it replaced and the others untouched; push names
the graph that failed and the ones already sent, and pushing again completes the set.
With ``--update URL`` (the store's SPARQL Update endpoint) the graphs are uploaded into
temporary graphs first and then replaced together by one update request of ``MOVE``
operations: all or none, in stores that run one update request as one transaction.

**Querying what was pushed.** The competency questions read the store's default graph;
``query --endpoint`` asks with the pushed graphs as ``default-graph-uri``\\ s when the
store's default graph is empty (see :mod:`educluster.query.remote`, decision 0012), so a
plain store answers them with no configuration.
"""

from __future__ import annotations

import sys
import urllib.parse

from educluster.errors import UserError
from educluster.i18n import N_, _, ngettext
from educluster.termsafe import visible


def graph_url(store: str, graph: str) -> str:
    """The Graph Store Protocol URL of a named graph (indirect identification, ``?graph=``)."""
    sep = "&" if urllib.parse.urlsplit(store).query else "?"
    return f"{store}{sep}graph={urllib.parse.quote(graph, safe='')}"


def _graph_names(args, specs) -> None:
    """Give the data graphs the ``--graph`` IRIs, one per ``--data`` file in order."""
    from educluster.query.sparql import parse_term

    names = list(getattr(args, "graph", None) or [])
    if not names:
        return
    data_specs = specs[2:]
    if len(names) != len(data_specs):
        raise UserError(_("the numbers of --graph ({graphs}) and of --data files ({files}) "
                          "differ; give one --graph IRI per data file, in the same order").format(
            graphs=len(names), files=len(data_specs)))
    reserved = {s.iri for s in specs[:2]}
    seen: set[str] = set()
    for spec, raw in zip(data_specs, names):
        value = raw if raw.startswith("<") else f"<{raw}>"
        try:
            iri = parse_term(value, {}, "graph")[1]
        except UserError as exc:
            raise UserError(_("--graph {value} is not an absolute IRI; give one like "
                              "https://example.org/graph/my-institution").format(
                value=repr(raw))) from exc
        if iri in reserved or iri in seen:
            raise UserError(_("--graph {value}: that graph is the ontology's, the knowledge "
                              "base's or another data file's; give each data file a graph of "
                              "its own").format(value=raw))
        seen.add(iri)
        spec.iri = iri


def _triples_line(name: str, n: int, iri: str, status) -> str:
    """The progress line of one graph: its name, its size and where it went."""
    return ngettext("{name}: {n} triple -> <{iri}> ({status})",
                    "{name}: {n} triples -> <{iri}> ({status})", n).format(
        name=visible(_(name)), n=n, iri=iri, status=status)


def _put_each(graphs, store: str, put) -> None:
    """PUT each graph in turn; a failure names the graphs already replaced."""
    sent: list[str] = []
    for iri, name, body, n in graphs:
        try:
            status = put(graph_url(store, iri), body)
        except UserError as exc:
            done = (_("already replaced: {graphs}; push again to complete the set").format(
                graphs=", ".join(_(s) for s in sent)) if sent
                else _("nothing in the store was changed"))
            raise UserError(_("pushing the {name} graph <{iri}>: {reason}; {done}").format(
                name=_(name), iri=iri, reason=exc.message, done=done)) from exc
        print(_triples_line(name, n, iri, status), flush=True)
        sent.append(name)


def _put_then_move(graphs, store: str, update: str, put, run_update) -> None:
    """All or none: PUT every graph into a temporary graph of its own, then replace the real
    graphs with one SPARQL Update request of ``MOVE`` operations (one transaction in stores
    that run an update request as one, as Oxigraph and Fuseki do). A failed upload drops the
    temporary graphs again and leaves the real ones as they were."""
    import uuid

    token = uuid.uuid4().hex
    temps = [f"urn:educluster:push:{token}:{k}" for k in range(len(graphs))]
    uploaded: list[str] = []
    try:
        for temp, (iri, name, body, n) in zip(temps, graphs):
            try:
                put(graph_url(store, temp), body)
            except UserError as exc:
                raise UserError(_("uploading the {name} graph <{iri}>: {reason}; nothing in the "
                                  "store was replaced").format(name=_(name), iri=iri,
                                                               reason=exc.message)) from exc
            uploaded.append(temp)
        # graph IRIs are checked terms: layout() percent-encodes file names, --graph went
        # through parse_term (no spaces, <, >, quotes or braces)
        moves = " ;\n".join(f"MOVE SILENT <{t}> TO <{iri}>" for t, (iri, *_) in zip(temps, graphs))
        try:
            run_update(moves)
        except UserError as exc:
            raise UserError(_("replacing the graphs: {reason}; nothing in the store was "
                              "replaced").format(reason=exc.message)) from exc
        uploaded = []
    finally:
        if uploaded:  # best effort: the temporary graphs should not stay behind
            try:
                run_update(" ;\n".join(f"DROP SILENT GRAPH <{t}>" for t in uploaded))
            except UserError:
                pass
    for iri, name, body, n in graphs:
        print(_triples_line(name, n, iri, _("replaced together")), flush=True)


def run(args) -> int:
    import pyoxigraph as ox

    from educluster import engines
    from educluster.query.remote import check_url, http, parse_headers, redact

    store = check_url(args.store, "--store")
    shown = redact(store)
    extra = parse_headers(args.header)
    specs = engines.layout(args.data or [], args.ontology_dir, args.kb_dir)
    _graph_names(args, specs)
    graphs: list[tuple[str, str, bytes, int]] = []
    for spec in specs:
        triples, named = set(), set()
        for q in engines.graph_quads(spec):
            if q.graph_name.value != spec.iri:
                named.add(q.graph_name.value)  # a TriG/N-Quads graph: kept inside this file's
            triples.add(ox.Triple(q.subject, q.predicate, q.object))
        if named:
            print("educluster push: " + ngettext(
                "{file}: its {n} named graph goes into <{iri}> (a data file writes only its own "
                "graph)",
                "{file}: its {n} named graphs go into <{iri}> (a data file writes only its own "
                "graph)", len(named)).format(
                    file=visible(spec.name), n=len(named), iri=spec.iri), file=sys.stderr)
        body = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)
        graphs.append((spec.iri, spec.name, body, len(triples)))
    netrc_file = getattr(args, "netrc", None)
    update = check_url(args.update, "--update") if getattr(args, "update", None) else None

    def put(url: str, body: bytes) -> int:
        return http(url, body, {"Content-Type": "application/n-triples", **extra}, "PUT",
                    args.timeout, N_("the store"), 1 << 20, netrc_file)[0]

    total = sum(n for *_, n in graphs)
    if update is None:
        _put_each(graphs, store, put)
    else:
        _put_then_move(graphs, store, update, put,
                       lambda text: http(update, text.encode("utf-8"),
                                         {"Content-Type": "application/sparql-update", **extra},
                                         "POST", args.timeout, N_("the store's update endpoint"),
                                         1 << 20, netrc_file))
    print(ngettext("pushed {n} triple in {graphs} graphs to {store}; 'educluster query "
                   "--endpoint QUERY-URL' asks with these graphs as the default graph when the "
                   "store's default graph is empty",
                   "pushed {n} triples in {graphs} graphs to {store}; 'educluster query "
                   "--endpoint QUERY-URL' asks with these graphs as the default graph when the "
                   "store's default graph is empty", total).format(
        n=total, graphs=len(graphs), store=shown), file=sys.stderr)
    return 0
