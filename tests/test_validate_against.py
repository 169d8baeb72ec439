"""`educluster validate NEW_FILES --against URL | --against-store DIR`: a submission checked in
the context of stored data (a real Oxigraph server started and stopped here, or a store folder
made by `oxigraph load`): the results on the focus nodes the submission adds or touches equal
those of a local run of everything, and ids that collide with stored ones are violations
naming both."""

from __future__ import annotations

import json
import random
import subprocess

import pyoxigraph as ox

from educluster import engines

from test_fastvalidate import _generated
from test_validate_endpoint import server  # noqa: F401  (the Oxigraph server fixture)
from virtuoso_server import PASSWORD, push, virtuoso  # noqa: F401  (the Virtuoso fixture)

SYN = "https://example.org/educluster/synthetic/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _split(data, tmp_path, share: int = 12, seed: int = 3):
    """The generated file split by subject: one subject in ``share`` goes to the submission
    (all its triples), the rest to the store."""
    lines = [line for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    subjects = sorted({line.split(" ", 1)[0] for line in lines})
    rng = random.Random(seed)
    picked = set(rng.sample(subjects, len(subjects) // share))
    sub, rest = tmp_path / "submission.nt", tmp_path / "stored.nt"
    sub.write_text("\n".join(x for x in lines if x.split(" ", 1)[0] in picked) + "\n", "utf-8")
    rest.write_text("\n".join(x for x in lines if x.split(" ", 1)[0] not in picked) + "\n",
                    "utf-8")
    return sub, rest


def _touched(path) -> set[str]:
    nodes = set()
    for t in ox.parse(path=str(path)):
        nodes.add(t.subject.value)
        if isinstance(t.object, ox.NamedNode) and t.predicate.value != RDF_TYPE:
            nodes.add(t.object.value)
    return nodes


def _keys(results) -> list[tuple]:
    return sorted((r["focus"], r["path"], r["component"], r["shape"], str(r["value"]),
                   r["severity"]) for r in results)


def _json(run_cli, *args) -> tuple[int, dict, str]:
    code, out, err = run_cli("validate", *args, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out), err


def test_against_server_equals_local_on_touched_nodes(server, tmp_path, run_cli):  # noqa: F811
    data, _ = _generated(tmp_path, 10000, 40)
    sub, rest = _split(data, tmp_path)
    code, _, err = run_cli("push", "--store", f"{server}/store", "--data", str(rest))
    assert code == 0, err
    _, full, _ = _json(run_cli, str(data))
    touched = _touched(sub)
    want = _keys(r for r in full["results"] if r["focus"] in touched)
    assert len(want) >= 3                 # the split carries some of the known defects
    _, got, _ = _json(run_cli, str(sub), "--against", f"{server}/query")
    assert _keys(got["results"]) == want
    # a local store folder of the data alone gives the same (the background is added locally)
    folder = tmp_path / "folder"
    subprocess.run([engines.oxigraph_binary(), "load", "--location", str(folder), "--file",
                    str(rest)], check=True, capture_output=True)
    _, got, _ = _json(run_cli, str(sub), "--against-store", str(folder))
    assert _keys(got["results"]) == want


def test_against_collisions_name_both(server, tmp_path, run_cli):  # noqa: F811
    """A submission that describes a stored participant differently (the same id for another
    organisation), and a new participant with a stored participant's identifier."""
    data, _ = _generated(tmp_path, 10000, 0)
    code, _, err = run_cli("push", "--store", f"{server}/store", "--data", str(data))
    assert code == 0, err
    stored = next(t for t in ox.parse(path=str(data))
                  if t.predicate.value == "http://www.w3.org/ns/org#identifier")
    sub = tmp_path / "new.ttl"
    sub.write_text(f"""
@prefix ec: <https://w3id.org/educluster/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
<{stored.subject.value}> a ec:School ; rdfs:label "Another school"@en .
<{SYN}new/school-1> a ec:School ; rdfs:label "New school"@en ;
    org:identifier {stored.object} .
""", encoding="utf-8")
    code, doc, _ = _json(run_cli, str(sub), "--against", f"{server}/query")
    assert code == 1
    coll = [r for r in doc["results"] if r["component"].endswith("IdCollisionComponent")]
    by_focus = {r["focus"]: r for r in coll}
    assert set(by_focus) == {stored.subject.value, f"{SYN}new/school-1"}, coll
    assert by_focus[f"{SYN}new/school-1"]["value"] == stored.subject.value   # both named
    assert "already stored" in by_focus[f"{SYN}new/school-1"]["message"]
    # the same submission alone has no collision: it is the store that makes them
    _, alone, _ = _json(run_cli, str(sub))
    assert not [r for r in alone["results"] if r["component"].endswith("IdCollisionComponent")]


def test_neighbourhood_graph_answer_equals_rows(server, tmp_path, run_cli):  # noqa: F811
    """The neighbourhood is copied as CONSTRUCT answers, N-Triples read by pyoxigraph, asked
    a few chunks at a time (before: SELECT rows as SPARQL JSON decoded in Python, one chunk
    after another; at 10 million stored triples a submission's 20,000 copied triples cost
    more in decoding than the store took to find them). The copy must be the same triples
    as the rows -- literals with a language, a datatype, quotes and line breaks, a blank
    node -- from the server and from a store folder, over more than one chunk."""
    import pyoxigraph as ox

    from educluster.fastvalidate.stores import EndpointStore
    from educluster.validate import against

    ex = "https://example.org/t/"
    lines = [f'<{ex}n{i}> <{ex}p> "v{i}" .' for i in range(against.CHUNK + 50)] + [
        f'<{ex}n0> <{ex}label> "Maktab \\"1\\"\\nline two"@uz .',
        f'<{ex}n0> <{ex}count> "7"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .',
        f'<{ex}n0> <{ex}date> "2020-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .',
        f'<{ex}n1> <{ex}part> _:b1 .', f'<{ex}n2> <{ex}to> <{ex}n1> .']
    data = tmp_path / "tricky.nt"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli("push", "--store", f"{server}/store", "--data", str(data))
    assert code == 0, err
    folder = tmp_path / "folder"
    subprocess.run([engines.oxigraph_binary(), "load", "--location", str(folder), "--file",
                    str(data)], check=True, capture_output=True)
    nodes = [ox.NamedNode(f"{ex}n{i}") for i in range(against.CHUNK + 50)]

    def plain(triples):      # blank node labels are the store's own: compare their place
        return sorted({(s.value if not isinstance(s, ox.BlankNode) else "_",
                       str(p), str(o) if not isinstance(o, ox.BlankNode) else "_")
                      for s, p, o in triples})   # a set: the local store keeps one of each

    remote = EndpointStore(f"{server}/query")
    remote.graphs = [engines.layout([str(data)])[-1].iri]
    rows = [(r["s"], r["p"], r["o"]) for r in remote.query(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?n {{ {' '.join(map(str, nodes))} }} "
        f"{against.BOTH} }}")]
    assert len(plain(rows)) == len(lines)
    before = remote.requests
    got = against._select_triples(remote, against.BOTH, nodes)
    assert remote.requests - before == 2          # two chunks, each one CONSTRUCT
    assert plain(got) == plain(rows)
    local = against.LocalStore(str(folder))
    assert plain(against._select_triples(local, against.BOTH, nodes)) == plain(rows)


def test_against_virtuoso_equals_local_on_touched_nodes(virtuoso, tmp_path, run_cli):  # noqa: F811
    """--against a Virtuoso 7.2 (the fixture of test_validate_virtuoso): its CONSTRUCT answers
    (or, in another syntax, its SELECT rows) give the same neighbourhood, so the same results
    as a local run of everything restricted to the submission's nodes."""
    data, _ = _generated(tmp_path, 10000, 40)
    sub, rest = _split(data, tmp_path)
    proc = push(virtuoso, PASSWORD, "--data", str(rest))
    assert proc.returncode == 0, proc.stderr
    _, full, _ = _json(run_cli, str(data))
    touched = _touched(sub)
    want = _keys(r for r in full["results"] if r["focus"] in touched)
    assert len(want) >= 3
    _, got, err = _json(run_cli, str(sub), "--against", f"{virtuoso}/sparql")
    assert _keys(got["results"]) == want, err
