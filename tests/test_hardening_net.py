"""Issue 12, network and parsing items: each test feeds the input or server that broke the
command before the fix, small enough to run in seconds and bounded in memory. Servers are
real (``oxigraph`` and tiny standard-library servers), bound to 127.0.0.1, stopped at the end."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, educluster_executable

TASHKENT = "examples/tashkent/tashkent.ttl"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def limited(*args, timeout=120, env=None, cwd=None, input=None):
    """Run educluster with a 2 GB address-space limit (an exploding parser fails fast instead of
    taking the machine) and a time limit; return (code, stdout, stderr)."""
    import resource

    def cap():  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    full = {k: v for k, v in os.environ.items() if k != "EDUCLUSTER_DEBUG"}
    full.update(env or {})
    proc = subprocess.run([educluster_executable(), *map(str, args)], cwd=cwd or REPO, env=full,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=cap,
                          input=input)
    return proc.returncode, proc.stdout, proc.stderr


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# ------------------------------------------------------------------------------------------
# 2. deeply nested SPARQL
# ------------------------------------------------------------------------------------------

def test_deeply_nested_query_is_refused_not_a_crash():
    """Item 2: 5,000 nested parentheses overflowed Oxigraph's parser stack: `query` died with
    signal 11 and nothing on stderr."""
    q = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    code, out, err = limited("query", "-", timeout=60, input=q)
    assert code == 2 and out == ""
    assert "nests brackets more than" in one_line(err)
    # brackets inside strings, IRIs and comments do not count; ordinary nesting passes
    q = ('SELECT ?x WHERE { BIND("' + "(" * 500 + '" AS ?x) } # ' + "{" * 500 + "\n")
    code, out, err = limited("query", "-", "--format", "csv", timeout=60, input=q)
    assert code == 0, err


# ------------------------------------------------------------------------------------------
# 3, 6. RDF/XML: entities, depth, character references
# ------------------------------------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaa">\n'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'
                    for i in range(9))
          + f'<!ENTITY z "&{chr(98 + 8)};">\n]>\n'
          f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:p="http://example.org/p#">\n'
          '<rdf:Description rdf:about="http://example.org/a"><p:x>&z;</p:x></rdf:Description>\n'
          '</rdf:RDF>\n')


def deep_rdfxml(depth: int) -> str:
    return (f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF}" xmlns:p="http://example.org/p#">'
            '<rdf:Description rdf:about="http://example.org/a">'
            + '<p:x rdf:parseType="Resource">' * depth + "</p:x>" * depth
            + "</rdf:Description></rdf:RDF>\n")


@pytest.mark.parametrize("command", [
    ("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--data"),
    ("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--engine", "rdflib", "--data"),
    ("convert", "-o", "{out}.ttl"),
    ("validate",),
    ("validate", "--engine", "pyshacl"),
    ("push", "--store", "http://127.0.0.1:9/store", "--data"),
])
def test_billion_laughs_and_deep_rdfxml_refused_everywhere(tmp_path, command):
    """Items 3 and 6: a 985-byte file with nested DTD entities grew to gigabytes in validate and
    query --data (then a Rust abort), convert and the rdflib/pyshacl paths spun for minutes;
    100k-deep elements took minutes (quadratic). Now refused with the file and line."""
    for name, text, reason in (("laughs.rdf", LAUGHS, "declares XML entities"),
                               ("deep.rdf", deep_rdfxml(5000), "nest more than")):
        f = tmp_path / name
        f.write_text(text)
        args = [a.replace("{out}", str(tmp_path / "out")) for a in command]
        if command[0] in ("convert", "validate"):
            args.insert(1, str(f))
        else:
            args.append(str(f))
        if command[0] == "validate":
            args += ["-o", str(tmp_path / "report")]
        code, out, err = limited(*args, timeout=120)
        assert code == 2, err
        line = one_line(err)
        assert name in line and reason in line, line
    if command[0] == "validate":
        assert not (tmp_path / "report").exists()


def test_character_references_in_rdfxml_convert_linearly(tmp_path):
    """Item 6: 9.5 MB of `&amp;` took convert 61 s (rdflib's RDF/XML parser appends the text
    piece by piece, quadratic). 2 MB (about 8 s before) now converts in well under that, and
    the text is intact."""
    n = 400_000
    f = tmp_path / "amp.rdf"
    f.write_text(f'<?xml version="1.0"?><rdf:RDF xmlns:rdf="{RDF}" '
                 'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
                 '<rdf:Description rdf:about="http://example.org/a"><rdfs:comment>'
                 + "&amp;" * n + "</rdfs:comment></rdf:Description></rdf:RDF>")
    t = time.monotonic()
    code, out, err = limited("convert", f, "-o", tmp_path / "out.nt", timeout=120)
    elapsed = time.monotonic() - t
    assert code == 0, err
    text = (tmp_path / "out.nt").read_text()
    assert "&" * n in text.replace("\\u0026", "&")
    assert elapsed < 30


# ------------------------------------------------------------------------------------------
# 8. JSON-LD contexts fetch nothing
# ------------------------------------------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a JSON-LD context and records the path (nothing may arrive)."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        body = json.dumps({"@context": {"x": "http://example.org/x"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *a):
        pass


@pytest.fixture
def recorder():
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()


def jsonld_docs(url: str, secret: Path) -> dict[str, dict]:
    item = {"@id": "http://example.org/a", "@type": "http://example.org/T"}
    return {
        "import": {"@context": {"@import": f"{url}/import.jsonld"}, **item},
        "property-scoped": {"@context": {"p": {"@id": "http://example.org/p",
                                               "@context": f"{url}/scoped.jsonld"}},
                            **item, "p": {"x": "1"}},
        "type-scoped": {"@context": {"T": {"@id": "http://example.org/T",
                                           "@context": f"{url}/typed.jsonld"}},
                        "@id": "http://example.org/a", "@type": "T", "x": "1"},
        "file": {"@context": [{"@import": secret.as_uri()}], **item},
        "nested": {"@context": {"ex": "http://example.org/"},
                   "@graph": [{"@context": f"{url}/inner.jsonld", **item}]},
    }


@pytest.mark.parametrize("command", [
    ("convert", "{f}", "-o", "{out}.ttl"),
    ("validate", "{f}", "-o", "{out}"),
    ("query", "ASK { ?s ?p ?o }", "--engine", "rdflib", "--data", "{f}"),
    ("query", "ASK { ?s ?p ?o }", "--data", "{f}"),
])
def test_jsonld_contexts_are_never_fetched_or_read(tmp_path, recorder, command):
    """Item 8: only a string @context was caught; @import, property- and type-scoped
    contexts were fetched (a silent server hung the command, file:// was read), and
    `query --engine rdflib --data x.jsonld` had no guard. Each is now one line, exit 2, and
    the server sees no request."""
    url, hits = recorder
    secret = tmp_path / "secret.jsonld"
    secret.write_text(json.dumps({"@context": {"x": "http://example.org/x"}}))
    for name, doc in jsonld_docs(url, secret).items():
        f = tmp_path / f"{name}.jsonld"
        f.write_text(json.dumps(doc))
        args = [a.replace("{f}", str(f)).replace("{out}", str(tmp_path / f"out-{name}"))
                for a in command]
        code, out, err = limited(*args, timeout=120)
        assert code == 2, (name, out, err)
        line = one_line(err)
        assert f.name in line and "fetch" in line, (name, line)
    assert hits == []


# ------------------------------------------------------------------------------------------
# 9. SERVICE off
# ------------------------------------------------------------------------------------------

def test_service_is_off_in_the_embedded_engines(recorder):
    """Item 9: the embedded engines evaluated SERVICE by default (an outbound request for any
    query). Now refused unless --allow-service."""
    url, hits = recorder
    q = f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"
    for engine in ("oxigraph", "rdflib"):
        code, out, err = limited("query", q, "--engine", engine, timeout=60)
        assert code == 2 and "SERVICE" in one_line(err) and "--allow-service" in err
    assert hits == []
    # a variable or prefixed name called "service" is not the keyword
    code, out, err = limited("query", "SELECT ?service WHERE { BIND(1 AS ?service) }",
                             "--format", "csv", timeout=60)
    assert code == 0, err
    # allowed: the request is made (our recorder is no SPARQL endpoint, so the query fails)
    code, out, err = limited("query", q, "--allow-service", timeout=60)
    assert hits and code == 2 and "the query failed" in one_line(err)


# ------------------------------------------------------------------------------------------
# 5. result and reply caps
# ------------------------------------------------------------------------------------------

class _Endless(http.server.BaseHTTPRequestHandler):
    """An endpoint whose answer never ends (chunked, without a final chunk)."""

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        chunk = b'{"head":{"vars":["x"]},"results":{"bindings":[' + b" " * (1 << 20)
        try:
            for _ in range(2000):  # at most 2 GB, at most as long as the client reads
                self.wfile.write(chunk)
        except OSError:
            pass

    def log_message(self, *a):
        pass


def test_query_caps_rows_and_endpoint_replies():
    """Item 5: without --timeout nothing bounded memory: `SELECT *` over a cartesian product
    grew ~50 MB/s, and an endless endpoint reply was read in full."""
    q = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
    code, out, err = limited("query", q, "--max-rows", "1000", timeout=60)
    assert code == 2 and "--max-rows" in one_line(err) and out == ""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        code, out, err = limited("query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url,
                                 "--max-reply-mb", "4", timeout=60)
        assert code == 2 and "--max-reply-mb" in one_line(err)
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------------------------------
# 2, 4, 9, 12. serve: the front
# ------------------------------------------------------------------------------------------

@pytest.fixture
def serve(tmp_path):
    """`educluster serve` with the given options; yields (url, process), stops it at the end."""
    procs = []

    def start(*args):
        env = dict(os.environ, TMPDIR=str(tmp_path))
        proc = subprocess.Popen([educluster_executable(), "serve", "--port", "0", *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=REPO, env=env)
        procs.append(proc)
        url = proc.stdout.readline().strip()
        assert url, proc.communicate(timeout=30)[1]
        return url, proc

    yield start
    for proc in procs:
        proc.terminate()
        proc.communicate(timeout=30)


def request(url: str, query: str | None = None, *, host: str | None = None,
            accept: str = "application/sparql-results+json", method: str = "GET",
            timeout: float = 60):
    """(status, body bytes or the exception that cut the body) of one plain request."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path + ("?" + urllib.parse.urlencode({"query": query}) if query else "")
    headers = {"Accept": accept}
    if host is not None:
        headers["Host"] = host
    try:
        conn.request(method, path, headers=headers)
        resp = conn.getresponse()
        try:
            return resp.status, resp.read()
        except http.client.HTTPException as exc:  # IncompleteRead: the body was cut
            return resp.status, exc
    finally:
        conn.close()


def test_serve_refuses_nesting_service_and_foreign_hosts(serve, recorder):
    """Items 2, 9, 12: one deeply nested query killed `serve` (parser stack overflow); SERVICE
    made the server an open proxy for outbound requests; any Host header was accepted (DNS
    rebinding from a web page). Now HTTP 400/400/403, and the server keeps answering."""
    url, _ = serve()
    ok = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert request(url, ok)[0] == 200
    status, body = request(url, "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }")
    assert status == 400 and b"nests brackets" in body
    server, hits = recorder
    status, body = request(url, f"SELECT * WHERE {{ SERVICE <{server}/sparql> {{ ?s ?p ?o }} }}")
    assert status == 400 and b"SERVICE" in body and hits == []
    for bad in ("evil.example.org", "evil.example.org:80", "127.0.0.1.evil.example.org"):
        assert request(url, ok, host=bad)[0] == 403
    for good in ("localhost", "127.0.0.1", f"localhost:{urllib.parse.urlsplit(url).port}"):
        assert request(url, ok, host=good)[0] == 200
    assert request(url.replace("/query", "/store"))[0] == 404      # read-only, no store route
    assert request(url, ok, method="PUT")[0] == 405
    assert request(url, ok)[0] == 200  # still up


def test_serve_cancelled_query_is_an_error_not_a_truncated_200(serve):
    """Item 4: with --timeout a cancelled query answered HTTP 200 with a body cut off by the
    sentence "The SPARQL operation has been cancelled" (JSON clients failed to parse it, CSV
    clients read the sentence as data). Now: 503 when nothing was sent yet, a body cut without
    its last chunk (the client sees an incomplete answer) when it was streaming; never the
    sentence as data."""
    url, _ = serve("--timeout", "1")
    t = time.monotonic()
    status, body = request(url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert status == 503 and b"stopped after 1 s" in body
    assert time.monotonic() - t < 20
    status, body = request(url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", accept="text/csv")
    assert status == 200 and isinstance(body, Exception)  # incomplete, not a complete 200
    assert b"cancelled" not in getattr(body, "partial", b"")[-200:]
    assert request(url, "ASK { ?s ?p ?o }")[0] == 200


def test_serve_store_process_restarts_after_running_out_of_memory(serve):
    """Item 4: one ORDER BY over a cartesian product grew the server to 23 GB until the kernel
    killed it, and `serve` stayed down. Now the store process has a memory limit; the query
    fails (503) and the process is started again, so the endpoint answers the next query."""
    url, proc = serve("--memory-mb", "600", "--timeout", "60")
    status, body = request(url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } "
                                "ORDER BY ?c ?f ?i", accept="text/csv", timeout=120)
    assert status == 503 or isinstance(body, Exception), (status, body[:200])
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            pytest.fail(proc.communicate()[1])
        status, _ = request(url, "ASK { ?s ?p ?o }")
        if status == 200:
            break
        assert status == 503 and time.monotonic() < deadline
        time.sleep(0.5)
    assert proc.poll() is None
    proc.terminate()
    err = proc.communicate(timeout=30)[1]
    assert "store process stopped" in err and "starting it again" in err, err
