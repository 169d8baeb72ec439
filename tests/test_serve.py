"""`educluster serve`: a real read-only Oxigraph server, plain HTTP, clean stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import REPO, educluster_executable

TASHKENT = "examples/tashkent/tashkent.ttl"


def start(tmp_path, *args):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.Popen([educluster_executable(), "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
    url = proc.stdout.readline().strip()
    if not url:
        out, err = proc.communicate(timeout=30)
        return proc, None, err
    return proc, url, None


def get_json(url: str, query: str) -> dict:
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_over_plain_http_and_stops_cleanly(tmp_path, run_cli, sig):
    proc, url, err = start(tmp_path, "--port", "0", "--data", TASHKENT)
    assert url, err
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/query")
        assert [p.name for p in tmp_path.iterdir()][0].startswith("educluster-serve-")
        # named graphs, and the default graph as their merge
        doc = get_json(url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        counts = {b["g"]["value"]: int(b["n"]["value"]) for b in doc["results"]["bindings"]}
        assert set(counts) == {"https://w3id.org/educluster/graph/ontology",
                               "https://w3id.org/educluster/graph/kb",
                               "https://w3id.org/educluster/graph/data/tashkent.ttl"}
        total = get_json(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(total["results"]["bindings"][0]["n"]["value"]) == sum(counts.values())
        doc = get_json(url, "PREFIX ec: <https://w3id.org/educluster/ontology#> "
                            "SELECT ?c WHERE { GRAPH <https://w3id.org/educluster/graph/data/"
                            "tashkent.ttl> { ?c a ec:PedagogicalEducationCluster } }")
        assert len(doc["results"]["bindings"]) == 1  # the knowledge base has paper 002's too
        # read-only: the server refuses updates
        req = urllib.request.Request(url.replace("/query", "/update"),
                                     data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                     headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(req, timeout=30)
        assert info.value.code >= 400
        # and a SPARQL client (our own) works against it
        code, out, err2 = run_cli("query", "participants-per-education-level", "--endpoint", url,
                                  "--format", "csv")
        assert code == 0, err2
        assert "higher" in out and "21" in out
    finally:
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # the temporary store is gone
    with socket.socket() as s:  # and nothing listens on the port any more
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0])))


def test_serve_port_in_use(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc, url, err = start(tmp_path, "--port", str(port))
    assert url is None and proc.returncode == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and f"port {port}" in lines[0] and "--port" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_serve_bad_data_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n")
    proc, url, err = start(tmp_path, "--port", "0", "--data", str(bad))
    assert url is None and proc.returncode == 2
    assert err.count("\n") == 1 and "bad.ttl:1" in err
    assert [p.name for p in tmp_path.iterdir()] == ["bad.ttl"]
