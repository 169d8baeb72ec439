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
import urllib.error
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


# "quadratic blowup": one long entity, referenced many times (no nesting)
BLOWUP = ('<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "' + "x" * 4000 + '">\n]>\n'
          f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:p="http://example.org/p#">\n'
          '<rdf:Description rdf:about="http://example.org/a"><p:x>' + "&a;" * 20_000
          + "</p:x></rdf:Description>\n</rdf:RDF>\n")


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
    for name, text, reason in (("laughs.rdf", LAUGHS, "XML entity"),
                               ("blowup.rdf", BLOWUP, "XML entity references would"),
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


class _LaughingEndpoint(http.server.BaseHTTPRequestHandler):
    """An endpoint that answers every CONSTRUCT with the billion-laughs RDF/XML."""

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = LAUGHS.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rdf+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def test_billion_laughs_from_an_endpoint_is_refused():
    """Item 3: an --endpoint answer in RDF/XML went to the same entity-expanding parser."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LaughingEndpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        code, out, err = limited("query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                 "--endpoint", url, timeout=60)
        assert code == 2 and "XML entity" in one_line(err) and url in err
    finally:
        server.shutdown()
        server.server_close()


def test_rdfxml_entities_as_ontology_editors_write_them_still_load(tmp_path):
    """Item 3, the other side: Protégé writes `<!ENTITY owl "http://...#">` and `&owl;Thing`;
    such files are read (entities without references, bounded expansion), not refused."""
    f = tmp_path / "editor.rdf"
    f.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
                 '<!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n'
                 '<!ENTITY ex "http://example.org/" >\n]>\n'
                 f'<rdf:RDF xmlns:rdf="{RDF}">\n'
                 '<rdf:Description rdf:about="&ex;a"><rdf:type rdf:resource="&owl;Thing"/>'
                 "</rdf:Description>\n</rdf:RDF>\n")
    q = "SELECT ?t WHERE { <http://example.org/a> a ?t }"
    for engine in ("oxigraph", "rdflib"):
        code, out, err = limited("query", q, "--engine", engine, "--data", f, "--format", "csv",
                                 timeout=60)
        assert code == 0 and "http://www.w3.org/2002/07/owl#Thing" in out, err


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
    code, out, err = limited("convert", f, "-o", tmp_path / "out.nt", "--allow-invalid",
                             timeout=120)
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
    docs = jsonld_docs(url, secret)
    if command[0] == "validate" or "rdflib" not in command and command[0] == "query":
        # the same reader as convert (validate) or one that loads no context at all: two suffice
        docs = {k: docs[k] for k in ("import", "type-scoped")}
    for name, doc in docs.items():
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
    # the same refusals for a query sent by POST, as a form or as the body
    import http.client

    port = urllib.parse.urlsplit(url).port
    for ctype, body in (("application/x-www-form-urlencoded",
                         urllib.parse.urlencode({"query": f"ASK {{ SERVICE <{server}/s> {{ }} }}"})),
                        ("application/sparql-query", f"ASK {{ SERVICE <{server}/s> {{ }} }}")):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", "/query", body=body.encode(), headers={"Content-Type": ctype})
        resp = conn.getresponse()
        assert resp.status == 400 and b"SERVICE" in resp.read()
        conn.close()
    assert hits == []
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


# ------------------------------------------------------------------------------------------
# 10. check never follows owl:imports
# ------------------------------------------------------------------------------------------

def test_check_reports_a_remote_import_and_never_fetches_it(tmp_path, recorder):
    """Item 10: `check` followed owl:imports over the network (owlready2 under the reasoner)
    and hung on a silent server. Now a non-local import is a finding and nothing is fetched,
    reasoner included."""
    from test_check import CLEAN, check, write_kb

    url, hits = recorder
    kb = write_kb(tmp_path, CLEAN + f"\n<https://w3id.org/educluster/ontology> owl:imports "
                                    f"<{url}/other.owl> .\n")
    code, report, err = check(kb, "--no-seeds")
    assert code == 1, err
    found = [f for f in report["findings"] if f["rule"] == "owl-imports"]
    assert [f["value"] for f in found] == [f"{url}/other.owl"], report["findings"]
    assert "hermit" in report["checks"] and hits == []


# ------------------------------------------------------------------------------------------
# 16, 21. credentials: never printed; from the environment or a netrc file; Digest; --header
# ------------------------------------------------------------------------------------------

class _Digest(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint and graph store that wants HTTP Digest authentication (RFC 7616, MD5,
    qop=auth) for user "ana", password "s3cr3t", or the header "X-Token: t0k3n"."""

    realm, nonce, user, password = "educluster-test", "5f1c0a", "ana", "s3cr3t"
    seen: list[str] = []

    def _authorised(self) -> bool:
        if self.headers.get("X-Token") == "t0k3n":
            return True
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Digest "):
            return False
        fields = dict(urllib.request.parse_keqv_list(urllib.request.parse_http_list(auth[7:])))
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5(f"{self.command}:{fields.get('uri', '')}")
        want = md5(f"{ha1}:{self.nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        return fields.get("username") == self.user and fields.get("response") == want

    def _answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append(f"{self.command} {self.path}")
        if not self._authorised():
            self.send_response(401)
            self.send_header("WWW-Authenticate", f'Digest realm="{self.realm}", '
                             f'nonce="{self.nonce}", qop="auth", algorithm=MD5')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.command == "PUT":
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        query = urllib.parse.parse_qs(body.decode()).get("query", [""])[0]
        doc = ({"head": {}, "boolean": True} if query.lstrip().upper().startswith("ASK")
               else {"head": {"vars": ["x"]},
                     "results": {"bindings": [{"x": {"type": "literal", "value": "ok"}}]}})
        out = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_POST = do_PUT = _answer  # noqa: N815

    def log_message(self, *a):
        pass


@pytest.fixture
def digest():
    _Digest.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Digest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_endpoint_credentials_digest_netrc_environment_header(tmp_path, digest):
    """Item 21: `query --endpoint` had no way to send credentials, and nothing spoke Digest
    (Virtuoso's authenticated upload needs it). Item 16: a password in the URL was printed."""
    q = "SELECT ?x WHERE { ?x ?p ?o }"
    url = f"{digest}/sparql"
    code, out, err = limited("query", q, "--endpoint", url, "--format", "csv", timeout=60)
    assert code == 2 and "401" in one_line(err) and "EDUCLUSTER_USER" in err
    env = {"EDUCLUSTER_USER": "ana", "EDUCLUSTER_PASSWORD": "s3cr3t"}
    code, out, err = limited("query", q, "--endpoint", url, "--format", "csv", env=env,
                             timeout=60)
    assert code == 0 and out.splitlines() == ["x", "ok"], err
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login ana password s3cr3t\n")
    netrc.chmod(0o600)
    code, out, err = limited("query", q, "--endpoint", url, "--netrc", netrc, "--format", "csv",
                             timeout=60)
    assert code == 0 and out.splitlines() == ["x", "ok"], err
    code, out, err = limited("query", q, "--endpoint", url, "--header", "X-Token: t0k3n",
                             "--format", "csv", timeout=60)
    assert code == 0 and out.splitlines() == ["x", "ok"], err
    # push too, Digest from the URL's user:password
    secret_url = digest.replace("http://", "http://ana:s3cr3t@") + "/store"
    code, out, err = limited("push", "--store", secret_url, timeout=120)
    assert code == 0, err
    assert "s3cr3t" not in out + err and f"{digest}/store" in err
    assert any(s.startswith("PUT /store?graph=") for s in _Digest.seen)
    # a wrong password: one line, and the password is never shown
    wrong = digest.replace("http://", "http://ana:WRONGpass@") + "/sparql"
    code, out, err = limited("query", q, "--endpoint", wrong, timeout=60)
    assert code == 2 and "401" in one_line(err) and "WRONGpass" not in err


def test_credentials_in_an_unreachable_url_are_never_printed():
    """Item 16: `http://user:pass@host/` put the password on stderr, with a misleading name
    lookup error."""
    for args in (("query", "ASK { ?s ?p ?o }", "--endpoint", "http://ana:pa55word@127.0.0.1:9/q"),
                 ("push", "--store", "http://ana:pa55word@127.0.0.1:9/store")):
        code, out, err = limited(*args, timeout=60)
        line = one_line(err)
        assert code == 2 and "pa55word" not in out + err and "ana:" not in err
        assert "cannot reach" in line and "http://127.0.0.1:9/" in line, line


# ------------------------------------------------------------------------------------------
# 11, 20, 22. push into a real, writable Oxigraph store
# ------------------------------------------------------------------------------------------

from test_push import count_graphs, store  # noqa: E402,F401 - the writable oxigraph fixture

KB_GRAPH = "https://w3id.org/educluster/graph/kb"


def test_pushed_store_answers_the_questions_like_the_embedded_engine(store, run_cli):
    """Item 20: after `push` to a standard Oxigraph store every question answered "(0 rows)"
    with exit 0 (the store's default graph is empty). `query --endpoint` now asks with the
    pushed graphs as the default graph (decision 0012), and push says so."""
    code, out, err = run_cli("push", "--store", f"{store}/store", "--data", TASHKENT)
    assert code == 0 and "--endpoint" in err, err
    for qid in ("cluster-members-by-kind", "principles-with-prerequisites",
                "participants-per-education-level"):
        code, remote, err = run_cli("query", qid, "--endpoint", f"{store}/query", "--format", "csv")
        assert code == 0 and "default graph is empty" in err, err
        code, local, err = run_cli("query", qid, "--data", TASHKENT, "--format", "csv")
        assert code == 0, err
        assert remote == local and len(remote.splitlines()) > 1, qid


def test_push_graph_names_keep_institutions_apart_and_trig_stays_in_its_graph(store, run_cli,
                                                                              tmp_path):
    """Items 22 and 11: two institutions pushing `cluster.ttl` overwrote each other's graph; a
    TriG file could write into any named graph, the knowledge base's included; a push with a
    broken file must change nothing."""
    a, b = tmp_path / "a" / "cluster.ttl", tmp_path / "b" / "cluster.ttl"
    for f, n in ((a, 1), (b, 2)):
        f.parent.mkdir()
        f.write_text(f"<http://example.org/{n}> <http://example.org/p> {n} .\n")
    ga, gb = "https://example.org/graph/institution-a", "https://example.org/graph/institution-b"
    assert run_cli("push", "--store", f"{store}/store", "--data", a, "--graph", ga)[0] == 0
    assert run_cli("push", "--store", f"{store}/store", "--data", b, "--graph", gb)[0] == 0
    counts = count_graphs(store)
    assert counts[ga] == 1 and counts[gb] == 1
    kb = counts[KB_GRAPH]
    # a TriG file naming the knowledge base's graph writes only into its own
    trig = tmp_path / "evil.trig"
    trig.write_text(f"<{KB_GRAPH}> {{ <http://example.org/x> <http://example.org/p> 3 . }}\n")
    code, out, err = run_cli("push", "--store", f"{store}/store", "--data", trig, "--graph", ga)
    assert code == 0 and "its 1 named graph goes into" in err, err
    counts = count_graphs(store)
    assert counts[KB_GRAPH] == kb and counts[ga] == 1 and counts[gb] == 1
    # a broken second file: nothing is sent at all
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/x> <http://example.org/p> .\n")
    code, out, err = run_cli("push", "--store", f"{store}/store", "--data", a, bad,
                             "--graph", "https://example.org/graph/new", "--graph", gb)
    assert code == 2 and "bad.ttl" in err
    assert count_graphs(store) == counts
    # --graph may not name the knowledge base's graph
    code, out, err = run_cli("push", "--store", f"{store}/store", "--data", a, "--graph", KB_GRAPH)
    assert code == 2 and "graph of its own" in err


class _FailThirdPut(http.server.BaseHTTPRequestHandler):
    """A proxy to a real store that refuses the third PUT (a store failing midway)."""

    upstream = ""
    puts = 0

    def _relay(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.command == "PUT":
            type(self).puts += 1
            if type(self).puts == 3:
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        req = urllib.request.Request(self.upstream + self.path, data=body, method=self.command,
                                     headers={"Content-Type": self.headers["Content-Type"]})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, out = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, out = exc.code, exc.read()
        self.send_response(status)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_PUT = do_POST = _relay  # noqa: N815

    def log_message(self, *a):
        pass


def test_push_with_update_replaces_all_graphs_or_none(store, run_cli, tmp_path):
    """Item 22: a push failing midway left earlier graphs replaced (and the rest old). With
    --update the graphs go into temporary graphs first and are moved together by one update
    request; a failure midway leaves every graph as it was and no temporary graph behind."""
    old, new = tmp_path / "old" / "cluster.ttl", tmp_path / "new" / "cluster.ttl"
    for f, n in ((old, 1), (new, 2)):
        f.parent.mkdir()
        f.write_text(f"<http://example.org/{n}> <http://example.org/p> {n} .\n")
    code, out, err = run_cli("push", "--store", f"{store}/store", "--update", f"{store}/update",
                             "--data", old)
    assert code == 0 and "replaced together" in out, err
    before = count_graphs(store)
    _FailThirdPut.upstream, _FailThirdPut.puts = store, 0
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FailThirdPut)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        front = f"http://127.0.0.1:{proxy.server_address[1]}"
        code, out, err = run_cli("push", "--store", f"{front}/store", "--update",
                                 f"{front}/update", "--data", new)
        assert code == 2 and "nothing in the store was replaced" in one_line(err)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert count_graphs(store) == before  # same graphs, same sizes, no temporary graph left
    data = "https://w3id.org/educluster/graph/data/cluster.ttl"
    q = f"ASK {{ GRAPH <{data}> {{ <http://example.org/1> ?p ?o }} }}"
    with urllib.request.urlopen(f"{store}/query?" + urllib.parse.urlencode({"query": q}),
                                timeout=30) as resp:
        assert json.loads(resp.read())["boolean"] is True


def test_nesting_cannot_hide_behind_the_less_than_iri_ambiguity():
    """Item 2, the lexical bound itself: a scan that skips `<...>` as IRIs was fooled by
    `1<((1>1&&1<((1>...` ("less than", which Oxigraph parses as nesting), and, after `<#>`,
    by a `\"\"\"` that Oxigraph reads inside a comment; brackets in strings between levels,
    `( ")" + ( ")" + (`, hid the depth from a count that ignores strings. All are refused;
    ordinary queries with brackets in IRIs, strings and comments are not. Linear time."""
    from educluster.guards import sparql_problem

    levels = 1500
    tricks = {
        "less-than": "SELECT * WHERE { FILTER(" + "1<((1>1&&" * levels + "1" + ")" * levels + ") }",
        "strings": "SELECT * WHERE { FILTER(" + '( ")" + ' * levels + "1" + ")" * levels + ") }",
        "comment": ('SELECT * WHERE { ?s ?p ?o FILTER(1 <#> """\n' + '( ")" + ' * levels + "1"
                    + ")" * levels + ') } # """'),
        "service": 'SELECT * WHERE { ?s ?p ?o FILTER(1 <#> """\n2) SERVICE <http://x/> { } } # """',
    }
    for name, q in tricks.items():
        assert sparql_problem(q), name
    fine = ['SELECT ?x WHERE { BIND("' + "(" * 500 + '" AS ?x) } # ' + "{" * 500,
            "SELECT * WHERE { VALUES ?x { " + " ".join(f"<http://example.org/P_({i})>"
                                                      for i in range(300)) + " } }",
            'SELECT ?service WHERE { ?service a "service provider" }',
            "SELECT * WHERE { ?s <http://x#p> ?o FILTER(?o < 3 && ?o > 1) }"]
    for q in fine:
        assert sparql_problem(q) is None, q
    t = time.monotonic()
    for q in ('"\\' * 100_000, "'''\\" * 100_000, "#\n" * 100_000, "<a" * 100_000):
        sparql_problem(q)
    assert time.monotonic() - t < 5  # a regex scanner took minutes on the first one
