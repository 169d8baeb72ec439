"""The unknown-term check runs beside the shapes (issue 16 §4): its scans start on the data
alone and the background is added while they are pending, yet the warnings are exactly those
of the data alone; a background that itself uses a suspect term makes the check run at once.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from rdflib import Graph, Literal, URIRef

EC = "https://w3id.org/educluster/ontology#"
TYPO_DATA = (
    "@prefix ec: <https://w3id.org/educluster/ontology#> .\n"
    "@prefix org: <http://www.w3.org/ns/org#> .\n"
    "<https://example.org/s> a ec:Scool ; ec:regoin \"x\" ; org:memberOf <x:y> .\n"
    "<https://example.org/t> a ec:School ; ec:region \"x\" .\n")


def _keys(results):
    return sorted((str(r.focus), str(r.path), str(r.value)) for r in results)


def _store(tmp_path):
    import pyoxigraph as ox

    f = tmp_path / "typos.ttl"
    f.write_text(TYPO_DATA, encoding="utf-8")
    store = ox.Store()
    store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    return store


def _load(store, graph):
    from educluster.fastvalidate.loading import Collapsed, load_graph

    load_graph(store, graph, Collapsed())


def test_scans_see_the_data_alone_while_the_background_is_added(tmp_path, monkeypatch):
    """The background (declared terms only) and then a triple with another undeclared
    predicate arrive after the scans start: only the data's own terms are reported."""
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate import unknown_terms

    vocab = load_vocabulary()
    store = _store(tmp_path)
    alone = _keys(unknown_terms.in_store(store, vocab))
    assert len(alone) == 3
    background = Graph()
    background.add((URIRef("https://example.org/bg"), URIRef(EC + "region"), Literal("x")))
    # the scans' answers are read only once everything is loaded
    gate = threading.Event()
    read = unknown_terms._from_scans
    monkeypatch.setattr(unknown_terms, "_from_scans",
                        lambda *a: read(*a) if gate.wait(30) else None)
    with ThreadPoolExecutor(1) as pool:
        pending = unknown_terms.in_store_beside(store, vocab, background, pool)
        _load(store, background)
        late = Graph()      # a triple a scan made now would see
        late.add((URIRef("https://example.org/late"), URIRef(EC + "regoin2"), Literal("x")))
        _load(store, late)
        seen_now = {row[0].value for row in store.query(unknown_terms._PREDICATES)}
        assert EC + "regoin2" in seen_now
        gate.set()
        assert _keys(pending.result()) == alone


def test_a_background_with_a_suspect_term_is_checked_first(tmp_path):
    """If the background itself has a triple with an undeclared term in our namespaces, its
    triples would be found by the later lookup: the check then runs before it is added."""
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate import unknown_terms

    vocab = load_vocabulary()
    store = _store(tmp_path)
    alone = _keys(unknown_terms.in_store(store, vocab))
    background = Graph()
    background.add((URIRef("https://example.org/bg"), URIRef(EC + "regoin"), Literal("z")))
    with ThreadPoolExecutor(1) as pool:
        pending = unknown_terms.in_store_beside(store, vocab, background, pool)
        _load(store, background)
        assert _keys(pending.result()) == alone
    # what the lookup after loading would have said (the background's triple too)
    assert len(_keys(unknown_terms.in_store(store, vocab))) == len(alone) + 1
