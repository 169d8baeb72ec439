"""How `query --data` and `serve --data` load files: once, by the store's bulk path (issue 18).

The default graph must stay the RDF merge of all graphs (a set) whichever way the store reads
it: the union of the named graphs when no triple stands in two graphs, a materialised copy when
one does. Before issue 18 every file was parsed into Python objects and copied twice; the
overlap cases below are the ones where reading the union instead would count a triple twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.parse
import urllib.request

import pytest

from conftest import REPO, educluster_executable
from educluster import engines

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: A triple the knowledge base states (sources.ttl); a data file that repeats it overlaps.
KB_TRIPLE = ('<https://w3id.org/educluster/id/person/porter>', f'<{LABEL}>')
COUNT_PORTER_LABELS = ("SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/educluster/id/person/porter> "
                       f"<{LABEL}> ?l }}")
COUNT_X = "SELECT (COUNT(*) AS ?n) WHERE { <urn:x:a> <urn:x:p> ?o }"


def _porter_label() -> str:
    """The knowledge base's own label triple for Porter, as N-Triples."""
    ds = engines.oxigraph_store(engines.layout([]))
    row = next(iter(ds.query(f"SELECT ?l WHERE {{ {KB_TRIPLE[0]} {KB_TRIPLE[1]} ?l }}")))
    return f"{KB_TRIPLE[0]} {KB_TRIPLE[1]} {row['l']} .\n"


def _count(args, query) -> int:
    proc = subprocess.run([educluster_executable(), "query", query, "--format", "json", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return int(json.loads(proc.stdout)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_triple_in_two_graphs_counts_once(tmp_path, engine):
    """A data file repeating a knowledge-base triple, and two data files sharing a triple:
    the default graph is a set in both engines (Oxigraph's union default graph would count
    each such triple twice, so the loader must notice the overlap)."""
    repeat = tmp_path / "repeat.nt"
    repeat.write_text(_porter_label(), encoding="utf-8")
    assert _count(["--engine", engine], COUNT_PORTER_LABELS) == 1
    assert _count(["--engine", engine, "--data", str(repeat)], COUNT_PORTER_LABELS) == 1
    a, b = tmp_path / "a.ttl", tmp_path / "b.nt"
    a.write_text("<urn:x:a> <urn:x:p> <urn:x:o> .\n", encoding="utf-8")
    b.write_text("<urn:x:a> <urn:x:p> <urn:x:o> .\n", encoding="utf-8")
    assert _count(["--engine", engine, "--data", str(a), str(b)], COUNT_X) == 1


def test_store_reads_union_only_without_overlap(tmp_path):
    """The loader's choice itself: no overlap -> union (no second copy); overlap -> merge."""
    plain = tmp_path / "plain.nt"
    plain.write_text("<urn:x:a> <urn:x:p> <urn:x:o> .\n", encoding="utf-8")
    ds = engines.oxigraph_store(engines.layout([plain]))
    assert ds.union_default
    n_named = len(ds)
    repeat = tmp_path / "repeat.nt"
    repeat.write_text(_porter_label(), encoding="utf-8")
    ds2 = engines.oxigraph_store(engines.layout([plain, repeat]))
    assert not ds2.union_default
    assert len(ds2) > n_named  # the merge was materialised into the default graph


def test_trig_data_keeps_its_own_named_graph_and_default_is_merge(tmp_path):
    """A TriG file's named graph keeps its name; its default-graph triples go to the file's
    graph; both show in the default graph, each once."""
    trig = tmp_path / "d.trig"
    trig.write_text("<urn:x:a> <urn:x:p> <urn:x:o1> .\n"
                    "<urn:x:g> { <urn:x:a> <urn:x:p> <urn:x:o2> . <urn:x:a> <urn:x:p> <urn:x:o1> . }\n",
                    encoding="utf-8")
    assert _count(["--data", str(trig)], COUNT_X) == 2
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }"
    assert _count(["--data", str(trig)], q) == 2


def test_syntax_error_still_names_file_and_line(tmp_path):
    """The bulk path reports a broken data file as before: one line, file and line, exit 2."""
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:x:a> <urn:x:p> <urn:x:o> .\n<urn:x:a> <urn:x:p> \"open\n", encoding="utf-8")
    proc = subprocess.run([educluster_executable(), "query", COUNT_X, "--data", str(bad)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.nt:2:" in lines[0] and "Traceback" not in proc.stderr


@pytest.mark.parametrize("overlap", [False, True])
def test_serve_default_graph_is_a_set(tmp_path, overlap):
    """`serve --data` goes through the same loader: with and without overlap the endpoint
    counts a repeated triple once (the server is told to read the union only when safe)."""
    data = tmp_path / "d.nt"
    data.write_text((_porter_label() if overlap else "") + "<urn:x:a> <urn:x:p> <urn:x:o> .\n",
                    encoding="utf-8")
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.Popen([educluster_executable(), "serve", "--port", "0", "--data", str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                            env=env)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if not url else url
        for query, want in [(COUNT_PORTER_LABELS, 1), (COUNT_X, 1)]:
            req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                         headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(req, timeout=30) as resp:
                got = json.loads(resp.read())["results"]["bindings"][0]["n"]["value"]
            assert int(got) == want, (query, got)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
