"""``educluster validate NEW_FILES --against URL`` (or ``--against-store DIR``): a submission
checked in the context of the data already stored (decision 0020).

The submission is loaded into a local store as any input is. Its *nodes* are the IRIs it
describes or points at, other than the vocabulary (the ontology and knowledge base) -- the focus
nodes it adds or touches. Their neighbourhood is copied from the stored data into the local
store: the triples into and out of each node, out of each node those reach and into those the
submission points at, and the triples out of the next ring (types, names, roles), so that the shapes -- which cross entities (a link's
participants must be members of its cluster; a cluster has one core) -- see what they need.
Only results whose focus node is one of the submission's nodes are reported.

Beyond the shapes, two collisions with stored data are violations naming both sides:
an entity the submission describes that is already stored with other statements (the same
IRI used for two things), and a participant identifier (``org:identifier``) that a stored
participant with another IRI already has.
"""

from __future__ import annotations

from educluster.errors import UserError
from educluster.i18n import _

ECSH = "https://w3id.org/educluster/shapes#"
ID_COLLISION_SHAPE = ECSH + "IdCollision"
ID_COLLISION_COMPONENT = ECSH + "IdCollisionComponent"
ORG_IDENTIFIER = "http://www.w3.org/ns/org#identifier"
CHUNK = 400


class LocalStore:
    """A pyoxigraph store folder, read only, asked for the merge of all its graphs."""

    def __init__(self, folder: str):
        import pyoxigraph as ox
        from pathlib import Path

        p = Path(folder)
        if not p.is_dir():
            raise UserError(_("--against-store needs the folder of a store (oxigraph load "
                              "--location DIR); no such folder"), file=folder)
        try:
            self.store = ox.Store.read_only(str(p))
        except OSError as exc:
            raise UserError(_("cannot open the store folder: {reason}").format(reason=exc),
                            file=folder) from None

    def query(self, text: str):
        return self.store.query(text, use_default_graph_as_union=True)

    def construct(self, text: str) -> list[tuple]:
        """The triples of a CONSTRUCT query, as ``(s, p, o)``."""
        return [(t.subject, t.predicate, t.object)
                for t in self.store.query(text, use_default_graph_as_union=True)]


#: chunks of one ring asked at once: the store's threads answer while this one waits
PARALLEL = 4


def _select_triples(remote, pattern: str, nodes: list) -> list[tuple]:
    """Rows (s, p, o) of ``pattern`` (binding ?s ?p ?o from ?n) for every node, in chunks of
    :data:`CHUNK` nodes asked :data:`PARALLEL` at a time, each as a ``CONSTRUCT`` (a store
    answers a graph in N-Triples, which pyoxigraph reads far faster than SPARQL JSON rows are
    decoded; a store that answers in another syntax is asked with ``SELECT``)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(chunk: list) -> list[tuple]:
        values = " ".join(str(n) for n in chunk)
        where = f"WHERE {{ VALUES ?n {{ {values} }} {pattern} }}"
        try:
            got = remote.construct(f"CONSTRUCT {{ ?s ?p ?o }} {where}")
            if got is None:
                got = [(r["s"], r["p"], r["o"]) for r in remote.query(f"SELECT ?s ?p ?o {where}")]
        except (ValueError, SyntaxError, OSError) as exc:
            raise UserError(_("validate --against: the store refused a query ({reason})").format(
                reason=exc)) from None
        return got

    chunks = [nodes[i:i + CHUNK] for i in range(0, len(nodes), CHUNK)]
    if len(chunks) <= 1:
        return [t for c in chunks for t in one(c)]
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(chunks))) as pool:
        return [t for got in pool.map(one, chunks) for t in got]


OUT = "?n ?p ?o . BIND(?n AS ?s)"
BOTH = "{ ?n ?p ?o . BIND(?n AS ?s) } UNION { ?s ?p ?n . BIND(?n AS ?o) }"


def submission_nodes(store, vocab_terms: set) -> tuple[set, set]:
    """``(nodes, subjects)`` of the submission (pyoxigraph terms): IRIs and blank nodes it
    describes or points at, not vocabulary terms."""
    import pyoxigraph as ox

    nodes, subjects = set(), set()
    for q in store:
        subjects.add(q.subject)
        nodes.add(q.subject)
        if isinstance(q.object, (ox.NamedNode, ox.BlankNode)) and q.predicate.value != \
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            nodes.add(q.object)
    return ({n for n in nodes if n.value not in vocab_terms},
            {n for n in subjects if n.value not in vocab_terms})


def neighbourhood(remote, nodes: set, vocab_terms: set) -> list[tuple]:
    """The stored triples around ``nodes``: into and out of each node; out of everything those
    reach, and into what the nodes point at (a link's participant <- its memberships); then out
    of the next ring (types, names, roles)."""
    import pyoxigraph as ox

    def iris(xs):
        return sorted((x for x in xs if isinstance(x, ox.NamedNode) and x.value not in vocab_terms),
                      key=str)

    seen = set(nodes)
    first = _select_triples(remote, BOTH, iris(nodes))
    ring = {t for tr in first for t in (tr[0], tr[2])} - seen
    pointed = {o for s, _p, o in first if s in nodes} - seen
    seen |= ring
    more = _select_triples(remote, OUT, iris(ring))
    more += _select_triples(remote, "?s ?p ?n . BIND(?n AS ?o)", iris(pointed))
    ring = {t for tr in more for t in (tr[0], tr[2])} - seen
    return first + more + _select_triples(remote, OUT, iris(ring))


def collisions(store, remote, subjects: set, copied: list) -> list:
    """Id collisions of the submission with stored data, as validation results. ``copied``
    is the stored neighbourhood (:func:`neighbourhood`), which holds every stored triple out
    of the submission's subjects: they are not asked again."""
    import pyoxigraph as ox

    from educluster.terms import ox_to_rdflib
    from educluster.validate.engine import VIOLATION, Result

    out = []
    mine: dict = {}
    for q in store:
        mine.setdefault(q.subject, set()).add((q.predicate, q.object))
    named = sorted((s for s in subjects if isinstance(s, ox.NamedNode)), key=str)
    stored: dict = {}
    wanted = set(named)
    for s, p, o in copied:
        if s in wanted:
            stored.setdefault(s, set()).add((p, o))
    for s in named:
        other = stored.get(s, set()) - mine.get(s, set())
        if not other:
            continue
        p, o = sorted(other, key=lambda t: (str(t[0]), str(t[1])))[0]
        out.append(Result(
            focus=ox_to_rdflib(s), path=ox_to_rdflib(p), value=ox_to_rdflib(o),
            component=ID_COLLISION_COMPONENT, severity=VIOLATION, shape=ID_COLLISION_SHAPE,
            message=(f"This id is already used in the stored data, by an entity stated "
                     f"differently ({len(other)} stored statements the submission does not "
                     "make; the value shown is one of them): give the new entity its own id, "
                     "or submit the stored one unchanged with its corrections.")))
    ids = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(ORG_IDENTIFIER), None):
        ids.setdefault(q.object, set()).add(q.subject)
    lits = sorted(ids, key=str)
    for i in range(0, len(lits), CHUNK):
        values = " ".join(str(x) for x in lits[i:i + CHUNK])
        q = (f"SELECT ?s ?id WHERE {{ VALUES ?id {{ {values} }} "
             f"?s <{ORG_IDENTIFIER}> ?id }}")
        for r in remote.query(q):
            for s in sorted(ids.get(r["id"], ()), key=str):
                if s != r["s"]:
                    out.append(Result(
                        focus=ox_to_rdflib(s), path=ox_to_rdflib(ox.NamedNode(ORG_IDENTIFIER)),
                        value=ox_to_rdflib(r["s"]), component=ID_COLLISION_COMPONENT,
                        severity=VIOLATION, shape=ID_COLLISION_SHAPE,
                        message=(f"A participant already stored, {r['s'].value}, has this "
                                 f"identifier ({r['id'].value}): the same organisation "
                                 "registered twice, or a mistyped identifier.")))
    return out


def validate_against(files, remote, vocab, shapes, *, base=None, max_mb=None):
    """Results for the submission ``files`` in the context of ``remote`` (an
    :class:`~educluster.fastvalidate.stores.EndpointStore` or :class:`LocalStore`):
    ``(results, store, loaded)``."""
    import pyoxigraph as ox

    from educluster.terms import ox_to_rdflib
    from educluster.validate import unknown_terms
    from educluster.validate.engine import _background, run_fast
    from educluster.validate.store_input import load_store

    store, collapsed, loaded = load_store(list(files), base=base, max_mb=max_mb, vocab=vocab)
    background = _background(vocab)
    vocab_terms = {str(x) for t in background for x in (t[0], t[2])}
    nodes, subjects = submission_nodes(store, vocab_terms)
    unknown = unknown_terms.in_store(store, vocab)
    copied = neighbourhood(remote, nodes, vocab_terms)
    found = collisions(store, remote, subjects, copied)
    store.extend([ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in copied])
    collapsed.by_value = True      # stored literals come as the store keeps them
    from educluster.fastvalidate import Unsupported

    try:
        results = run_fast(store, vocab, shapes, collapsed)
    except Unsupported as exc:
        raise UserError(_("validate --against: the fast engine cannot run these shapes "
                          "({reason})").format(reason=exc)) from None
    keep = {ox_to_rdflib(n) for n in nodes}
    results = [r for r in results if r.focus in keep]
    return results + found + unknown, store, loaded
