"""``educluster validate --endpoint URL``: the fast engine's compiled queries run where the data
lives, a SPARQL 1.1 endpoint, with the same report as a local run (decision 0020).

The store must already hold the background -- the ontology and knowledge base, as ``educluster
push`` leaves them: a read-only endpoint cannot be sent triples. Before validating, one query
per 300 background triples asks which ones the store lacks; any lacking is a one-line error
that says to push, except the day of validation (``ec:referenceDate``), which only a local run
adds: the shapes that read it are then reported as not checked, never silently empty.
A store that answers the dialect probes unlike SPARQL 1.1 (Virtuoso 7.2) gets its queries in a
plainer form, is probed again in that form, and the shapes it still cannot answer the same way
run on a local copy of the triples they read (decision 0027).
"""

from __future__ import annotations

import sys

from educluster.errors import UserError
from educluster.i18n import _, ngettext

CHUNK = 300


def data_graphs(url: str, graphs, store_kwargs: dict) -> tuple[list[str], list[str]]:
    """``(graphs to ask, data graphs)``: the ``--graph`` IRIs plus the pushed ontology and
    knowledge-base graphs; without ``--graph``, the graphs push left (or the default graph)."""
    from educluster.engines import KB_GRAPH, ONTOLOGY_GRAPH
    from educluster.query.remote import pushed_graphs

    if graphs:
        return list(graphs) + [g for g in (ONTOLOGY_GRAPH, KB_GRAPH) if g not in graphs], \
            list(graphs)
    pushed = pushed_graphs(url, store_kwargs.get("timeout"), store_kwargs.get("max_bytes"),
                           store_kwargs.get("headers"), store_kwargs.get("netrc_file"))
    return pushed, [g for g in pushed if g not in (ONTOLOGY_GRAPH, KB_GRAPH)]


def missing_background(store, background) -> list[tuple]:
    """The triples of ``background`` (an rdflib graph) the store does not hold; triples with
    blank nodes cannot be named in a query and are not asked."""
    from rdflib import BNode

    triples = sorted((t for t in background if not any(isinstance(x, BNode) for x in t)),
                     key=lambda t: tuple(x.n3() for x in t))
    missing = []
    for i in range(0, len(triples), CHUNK):
        rows = " ".join(f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in triples[i:i + CHUNK])
        q = (f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} "
             f"FILTER NOT EXISTS {{ ?s ?p ?o }} }}")
        try:
            sols = store.query(q)
        except ValueError as exc:
            raise UserError(_("validate --endpoint: {reason}").format(reason=exc)) from None
        for row in sols:
            missing.append((row["s"], row["p"], row["o"]))
    return missing


PROBES = {
    # the forms the compiled shapes use: paths with * and + inside a plain pattern,
    # FILTER NOT EXISTS over a UNION, and MINUS
    "path *": "SELECT ?x WHERE {{ VALUES ?x {{ {classes} }} ?x rdfs:subClassOf* ?top }}",
    "path * between variables": ("SELECT ?x ?y WHERE {{ VALUES ?x {{ {items} }} "
                                 "?x rdf:type ?k . ?k rdfs:subClassOf* ?y }}"),
    "path * in NOT EXISTS": ("SELECT ?x WHERE {{ VALUES ?x {{ {classes} }} "
                             "FILTER NOT EXISTS {{ ?x (rdfs:subClassOf*) ?top }} }}"),
    "path + in MINUS": ("SELECT ?x WHERE {{ VALUES ?x {{ {classes} }} "
                        "MINUS {{ ?x rdfs:subClassOf+ ?y . ?y rdfs:subClassOf* ?top }} }}"),
    "rdf:type/rdfs:subClassOf* in NOT EXISTS over UNION": (
        "SELECT ?x WHERE {{ VALUES ?x {{ {items} }} FILTER NOT EXISTS {{ "
        "{{ ?x rdf:type/rdfs:subClassOf* ?top }} UNION {{ ?x rdf:type/rdfs:subClassOf* ?top2 }} "
        "}} }}"),
    # regular expressions on characters, not on UTF-8 bytes (Virtuoso 7.2 matches bytes)
    "regular expression on characters": (
        'SELECT ?x WHERE {{ VALUES ?x {{ "\\u00E9" "ab" "a\\u00A0b" }} '
        'FILTER(REGEX(?x, "^.$") || REGEX(?x, "[\\\\s]")) }}'),
}


def dialect_differences(store, background) -> list[str]:
    """The probes (:data:`PROBES`, over the background's own classes and items, which the
    store holds) the store answers differently from Oxigraph: a store whose dialect would
    give other validation results. A probe the store's translation (``store.plain``) will not
    send (:class:`educluster.fastvalidate.dialect.NotHere`), or that the store refuses once
    queries are translated, is not a difference: a shape whose query is of that form runs on
    a local copy of the triples it reads."""
    from educluster.fastvalidate.dialect import NotHere

    import pyoxigraph as ox
    from rdflib import RDF, RDFS, URIRef

    from educluster.terms import rdflib_to_ox

    local = ox.Store()
    local.extend(ox.Quad(rdflib_to_ox(s), rdflib_to_ox(p), rdflib_to_ox(o), ox.DefaultGraph())
                 for s, p, o in background)
    subs = sorted({s for s in background.subjects(RDFS.subClassOf, None)
                   if isinstance(s, URIRef)})[:200]
    if not subs:
        return []
    supers: dict = {}
    for s, o in background.subject_objects(RDFS.subClassOf):
        if isinstance(o, URIRef):
            supers[o] = supers.get(o, 0) + 1
    tops = sorted(supers, key=lambda c: (-supers[c], str(c)))
    items = sorted({s for s, o in background.subject_objects(RDF.type)
                    if isinstance(s, URIRef) and o in supers})[:100]
    prefix = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
              "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
    out = []
    for name, q in PROBES.items():
        text = prefix + q.format(classes=" ".join(c.n3() for c in subs),
                                 items=" ".join(i.n3() for i in items) or "<urn:x:none>")
        text = text.replace("?top2", tops[1].n3() if len(tops) > 1 else "?top2")
        text = text.replace("?top", tops[0].n3())
        want = sorted(tuple(str(x) for x in r) for r in local.query(text))
        try:
            got = sorted(tuple(str(x) for x in r) for r in store.query(text))
        except NotHere:
            continue
        except ValueError:
            if getattr(store, "plain", None) is None:
                out.append(name)
            # else: a query of that form refused by the store runs on a local copy
            continue
        if got != want:
            out.append(name)
    return out


def validate_endpoint(url: str, graphs, vocab, shapes, *, timeout=600.0, headers=None,
                      netrc_file=None, max_bytes=None):
    """Validate the data at ``url`` (the merge of ``graphs``, or what push left):
    ``(results, store, data_store, notes, checked)``; ``notes`` are lines for stderr,
    ``checked`` names the shapes run on a local copy and those not checked (for the report's
    summary)."""
    from educluster.convert.vocab import REFERENCE_DATE
    from educluster.fastvalidate import Unsupported
    from educluster.fastvalidate.loading import Collapsed
    from educluster.fastvalidate.stores import EndpointStore
    from educluster.query.remote import redact
    from educluster.validate import unknown_terms
    from educluster.validate.engine import _background, run_fast

    kw = dict(timeout=timeout, headers=headers, netrc_file=netrc_file, max_bytes=max_bytes)
    asked, data = data_graphs(url, graphs, kw)
    store = EndpointStore(url, asked, **kw)
    data_store = store.with_graphs(data) if data else store
    shown = redact(url)
    missing = missing_background(store, _background(vocab))
    other = [t for t in missing if t[1].value != REFERENCE_DATE]
    if other:
        s, p, o = other[0]
        raise UserError(ngettext("the endpoint {endpoint} lacks {n} triple of the ontology and "
                                 "knowledge base that validation needs ({triple}); push it "
                                 "first: educluster push --store STORE-URL (or name its graph "
                                 "with --graph)",
                                 "the endpoint {endpoint} lacks {n} triples of the ontology and "
                                 "knowledge base that validation needs (the first: {triple}); "
                                 "push them first: educluster push --store STORE-URL (or name "
                                 "their graphs with --graph)",
                                 len(other)).format(endpoint=shown, n=len(other),
                                                  triple=f"{s} {p} {o}"))
    notes = []
    odd = dialect_differences(store, _background(vocab))
    if odd:
        # the plainest forms: no * or + paths (closures computed here from the store's
        # triples), FILTER NOT EXISTS rather than MINUS, no batched VALUES tables; the probes
        # are asked again in those forms, and a store that still differs is refused
        from educluster.fastvalidate.dialect import Plain

        store.plain = Plain(store.pairs_of,
                            regex_bytes="regular expression on characters" in odd)
        data_store.plain = store.plain
        still = dialect_differences(store, _background(vocab))
        if still:
            raise UserError(_("the endpoint {endpoint} answers SPARQL 1.1 differently from the "
                              "specification where the compiled shapes need it ({differences}, "
                              "on the knowledge base's own classes, also without property "
                              "paths): its results would not be the local ones; validate the "
                              "files locally (educluster validate FILE...)").format(
                endpoint=shown, differences="; ".join(still)))
        notes.append("educluster: validate: " + _(
            "note: {endpoint} answers {differences} unlike SPARQL 1.1 (dialect probes): its "
            "queries were sent without * and + paths (closures computed from its own triples) "
            "and without MINUS").format(endpoint=shown, differences="; ".join(odd)))
    absent = {REFERENCE_DATE} if missing else set()
    collapsed = Collapsed()
    collapsed.by_value = store.collapses_integer_types()
    unknown = unknown_terms.in_store(data_store, vocab)
    from educluster.fastvalidate.stores import LocalCopy

    elsewhere = {"absent": absent, "copy": LocalCopy(store) if store.plain is not None else None}
    try:
        results = run_fast(store, vocab, shapes, collapsed, elsewhere=elsewhere)
    except Unsupported as exc:    # the whole shapes graph (per-shape refusals are notes)
        raise UserError(_("validate --endpoint: the fast engine cannot run these shapes "
                          "({reason}); validate the data locally with --engine pyshacl").format(
            reason=exc)) from None
    copy = elsewhere.get("copy")
    for label, reason in elsewhere.get("copied", ()):
        notes.append("educluster: validate: " + ngettext("checked on a local copy of the triples "
                                                         "its queries read ({n} triple copied in "
                                                         "all), as {endpoint} cannot answer them "
                                                         "the same way: {shape}: {reason}",
                                                         "checked on a local copy of the triples "
                                                         "its queries read ({n} triples copied "
                                                         "in all), as {endpoint} cannot answer "
                                                         "them the same way: {shape}: {reason}",
                                                         copy.copied if copy else 0).format(
                n=copy.copied if copy else 0, endpoint=shown, shape=label, reason=reason))
    for label, reason in elsewhere.get("skipped", ()):
        notes.append("educluster: validate: " + _(
            "NOT CHECKED at {endpoint}: {shape}: {reason}").format(endpoint=shown, shape=label,
                                                                   reason=reason))
    if collapsed.noted:
        notes.append("educluster: validate: " + _(
            "note: {endpoint} keeps literals of types derived from xsd:integer as xsd:integer "
            "(and xsd:dateTimeStamp as xsd:dateTime), so the datatype written cannot be told "
            "there; {shapes} judged such literals by their value").format(
                endpoint=shown, shapes=", ".join(sorted(collapsed.noted))))
    checked = {"localCopy": [label for label, _ in elsewhere.get("copied", ())],
               "notChecked": [label for label, _ in elsewhere.get("skipped", ())]}
    return results + unknown, store, data_store, notes, checked


def print_notes(notes) -> None:
    """The notes on stderr, one line each."""
    for n in notes:
        print(n, file=sys.stderr)
