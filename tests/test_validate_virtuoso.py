"""`educluster validate --endpoint` inside Virtuoso (Debian's ``virtuoso-opensource``, started
by ``virtuoso_server.py``): on the generated 10k set with 40 known defects the report is the
local one -- the same findings, as a multiset.

Virtuoso 7.2 answers ``*``/``+`` property paths inside ``NOT EXISTS`` and ``MINUS`` unlike
SPARQL 1.1 and matches regular expressions on bytes; the dialect probes find it, the queries
are sent without those paths, and the shapes it still cannot answer the same way (regular
expressions it refuses or would match on bytes) run on a local copy of the triples they read,
each named on stderr. Broke before: the run was refused (and before the probes, every
participant got the participant-kind warning from Virtuoso)."""

from __future__ import annotations

import json
from collections import Counter

from test_fastvalidate import _generated
from virtuoso_server import PASSWORD, push, virtuoso  # noqa: F401  (the Virtuoso fixture)


def _findings(doc) -> Counter:
    return Counter((r["focus"], r["path"], r["component"], r["shape"], str(r["value"]),
                    r["severity"]) for r in doc["results"])


def test_virtuoso_report_equals_local(virtuoso, tmp_path, run_cli):  # noqa: F811
    data, _ = _generated(tmp_path, 10000, 40)
    proc = push(virtuoso, PASSWORD, "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    code, out, err = run_cli("validate", str(data), "--format", "json")
    assert code == 1, err
    local = json.loads(out)
    code, out, err = run_cli("validate", "--endpoint", f"{virtuoso}/sparql", "--format", "json")
    assert code == 1, err
    there = json.loads(out)
    assert local["violations"] >= 30                    # the injected defects are found ...
    assert _findings(there) == _findings(local)          # ... and the same ones in Virtuoso
    # what ran differently is said: the dialect, and each shape run on a local copy
    assert "dialect probes" in err and "without * and + paths" in err
    copied = [line for line in err.splitlines() if "checked on a local copy" in line]
    assert copied and all("#" in line for line in copied)
    # ... and in the report's summary, shape by shape
    item = there["summary"][0]
    assert len(item["localCopy"]) == len(copied)
    assert any("ParticipantDuplicateWarning" in label for label in item["localCopy"])
    assert any("PlannedMembershipWarning" in label for label in item["notChecked"])
    assert "Traceback" not in err


def test_queries_without_paths_answer_as_with_them(tmp_path):
    """The translation for such a store (no * or + paths: closures computed from the store's
    triples; regular expressions only where bytes match as characters, `$` as `\\z`; sh:pattern
    matched here) keeps every answer: the whole validation through it, on a local Oxigraph
    store, gives the results of the ordinary run (no Virtuoso needed)."""
    import pyoxigraph as ox

    from educluster.convert.vocab import load_vocabulary
    from educluster.fastvalidate import validate
    from educluster.fastvalidate.dialect import Plain
    from educluster.fastvalidate.loading import Collapsed
    from educluster.fastvalidate.rewrite import tokens
    from educluster.terms import rdflib_to_ox
    from educluster.validate.engine import _background, load_shapes

    data, _ = _generated(tmp_path, 2000, 16)
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
    store.extend(ox.Quad(rdflib_to_ox(s), rdflib_to_ox(p), rdflib_to_ox(o), ox.DefaultGraph())
                 for s, p, o in _background(load_vocabulary()))

    class Translated:
        """The local store asked through the translation, as a store elsewhere."""

        def __init__(self):
            self.plain = Plain(self.pairs_of, regex_bytes=True)
            self.sent = []

        def pairs_of(self, iri):
            return [(str(r[0]), str(r[1])) for r in store.query(
                f"SELECT ?s ?o WHERE {{ ?s <{iri}> ?o FILTER(!isBlank(?s) && !isBlank(?o)) }}")]

        def query(self, text):
            text = self.plain.translate(text)
            toks = tokens(text)
            assert not any(t[0] == "other" and len(t[1]) > 1 and t[1].endswith(("*", "+"))
                           or t[1] in ("*", "+") and (u[0] == "iri" or u[1] == ")")
                           for u, t in zip(toks, toks[1:])), text
            self.sent.append(text)
            return store.query(text)

        def quads_for_pattern(self, s, p, o, graph=None):
            return store.quads_for_pattern(s, p, o, graph)

    shapes = load_shapes()
    collapsed = Collapsed()
    collapsed.by_value = True
    want = validate(store, shapes, None, collapsed=collapsed, rewrite=False, batching=False)
    there = Translated()
    elsewhere = {"absent": set(), "copy": None}
    got = validate(there, shapes, None, collapsed=collapsed, elsewhere=elsewhere)
    # a form the translation will not send is refused, never sent (in a real store the shape
    # then runs on a local copy): here, one shape (participant duplicates: a REPLACE over
    # typographic quotes, which bytes would match differently, and a path under GROUP BY)
    skipped = {label for label, reason in elsewhere["skipped"]}
    assert all("on bytes" in reason or "repeated rows count" in reason
               for _, reason in elsewhere["skipped"]), elsewhere["skipped"]
    assert len(skipped) <= 1, skipped

    def key(r):
        return r.key() + (str(r.value), str(r.source_shape))

    assert Counter(key(r) for r in got) == \
        Counter(key(r) for r in want if r.source_shape.n3() not in skipped)
    assert want and any("FILTER(" in q and " IN (" in q for q in there.sent)
    # an end-of-text $ goes as \z (PCRE's $ also matches before a final line break)
    assert any("\\\\z" in q for q in there.sent)


def test_virtuoso_answer_cut_at_its_row_limit_is_refused(virtuoso, tmp_path, run_cli):  # noqa: F811
    """A Virtuoso whose ResultSetMaxRows (virtuoso.ini) is below an answer cuts it and says so
    only in an ``X-SPARQL-MaxRows`` header: the run stops in one line saying what to raise
    (exit 2), rather than reporting what the cut answers hold. Before, the shapes came out as
    checked with nothing found."""
    from virtuoso_server import start

    srv = start(tmp_path / "small", max_rows=500)
    try:
        data, _ = _generated(tmp_path, 10000, 40)
        proc = push(srv.base, PASSWORD, "--data", str(data))
        assert proc.returncode == 0, proc.stderr
        code, out, err = run_cli("validate", "--endpoint", f"{srv.base}/sparql")
        # query --endpoint too: before, a question's answer cut at 500 rows was printed as if whole
        many = tmp_path / "many.rq"
        many.write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o }\n", encoding="utf-8")
        qcode, qout, qerr = run_cli("query", str(many), "--endpoint", f"{srv.base}/sparql")
    finally:
        srv.stop()
    assert code == 2, err
    lines = err.strip().splitlines()
    assert "cut an answer at 500 rows" in lines[-1] and "ResultSetMaxRows" in lines[-1]
    assert "Traceback" not in err and out == ""
    assert qcode == 2 and qout == "", qerr
    assert len(qerr.strip().splitlines()) == 1 and "cut an answer at 500 rows" in qerr


def test_virtuoso_answers_read_as_sparql_results(virtuoso):  # noqa: F811
    """Virtuoso answers ASK as a one-column SELECT (``__ASK_RETVAL``) and names blank nodes
    ``nodeID://...``, which is not a valid blank-node label for pyoxigraph: both are read
    (before, a blank node in an answer stopped the run with a ValueError, and an ASK came
    back as a row, true even when the answer was no)."""
    import pyoxigraph as ox

    from educluster.fastvalidate.stores import EndpointStore

    assert push(virtuoso, PASSWORD).returncode == 0
    store = EndpointStore(f"{virtuoso}/sparql")
    assert store.query("ASK { ?s ?p ?o }") is True
    assert store.query("ASK { <urn:x:nothing-has-this> ?p ?o }") is False
    rows = list(store.query("SELECT ?b ?c WHERE { ?b ?p ?o . BIND(?b AS ?c) FILTER(isBlank(?b)) } "
                            "LIMIT 3"))
    assert rows and all(isinstance(r["b"], ox.BlankNode) and r["b"] == r["c"] for r in rows)
