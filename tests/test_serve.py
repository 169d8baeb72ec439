"""`educluster serve`: a real read-only Oxigraph server, plain HTTP, clean stop."""

from __future__ import annotations

import json
import re
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import REPO, educluster_executable

TASHKENT = "examples/tashkent/tashkent.ttl"


#: Runs the command with Ctrl-C's default action, as a terminal starts it. A process started in
#: the background by a shell without job control (``cmd &`` in a script, as a CI runner may
#: start pytest) inherits SIGINT ignored, and so would ``serve`` (Python keeps an ignored
#: SIGINT ignored): the Ctrl-C case then waited 30 s and failed although serve was right.
_AS_FROM_A_TERMINAL = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                       "os.execv(sys.argv[1], sys.argv[1:])")


def start(tmp_path, *args):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", _AS_FROM_A_TERMINAL, educluster_executable(),
                             "serve", *args], stdout=subprocess.PIPE,
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


# -- the query page and --cors (issue 13 section 3) ---------------------------------------------

def _request(url: str, method: str = "GET", headers: dict | None = None):
    """``(status, headers, body)`` of one request, HTTP errors included."""
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


class _Resources(__import__("html.parser").parser.HTMLParser):
    """Every URL a page would load or send to (src, href, action, srcset, data)."""

    def __init__(self):
        super().__init__()
        self.urls, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href", "action", "srcset", "data")]


def test_query_page_lists_the_questions_and_loads_nothing(tmp_path):
    """`/` is the front's own page (Oxigraph's loaded its editor from a CDN): the project's
    prefixes, every competency question, forms to /query only, nothing fetched; and without
    --cors no answer carries a CORS header and a preflight is refused."""
    from educluster.query import catalogue
    from educluster.query.prefixes import query_prefixes

    proc, url, err = start(tmp_path, "--port", "0")
    assert url, err
    try:
        base = url[: -len("query")]
        status, headers, body = _request(base)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        page = body.decode("utf-8")
        for q in catalogue.questions():
            assert f'id="{q.id}"' in page, q.id
        for prefix, ns in query_prefixes().items():
            assert f"PREFIX {prefix}: &lt;{ns}&gt;" in page, prefix
        parser = _Resources()
        parser.feed(page)
        assert "script" not in parser.tags and "link" not in parser.tags
        assert set(parser.urls) == {"query"}
        # a question's form, sent as the browser sends it, is answered
        q = catalogue.questions()[0]
        status, _, answer = _request(url + "?" + urllib.parse.urlencode({"query": q.text()}),
                                     headers={"Accept": "application/sparql-results+json"})
        assert status == 200 and json.loads(answer)["results"]["bindings"]
        # no --cors: no CORS header, preflight refused
        status, headers, _ = _request(url + "?query=ASK%7B%7D",
                                      headers={"Origin": "http://localhost:8080"})
        assert status == 200 and "Access-Control-Allow-Origin" not in headers
        status, headers, _ = _request(url, "OPTIONS", {"Origin": "http://localhost:8080",
                                                       "Access-Control-Request-Method": "POST"})
        assert status == 405 and "Access-Control-Allow-Origin" not in headers
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_query_page_escapes_what_it_shows():
    from educluster.query import catalogue
    from educluster.query_page import render

    q = catalogue.questions()[0]
    evil = catalogue.Question(id="x", path=q.path, question='<img src=x onerror=alert(1)>?',
                              why="</textarea><script>alert(1)</script>", papers="000")
    page = render([evil]).decode("utf-8")
    assert "<img" not in page and "<script>" not in page and "</textarea><script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_cors_only_for_the_given_origin(tmp_path):
    """--cors ORIGIN: that origin (only) gets Access-Control-Allow-Origin and its preflight
    answered; the endpoint stays read-only."""
    origin = "http://localhost:8080"
    proc, url, err = start(tmp_path, "--port", "0", "--cors", origin)
    assert url, err
    try:
        ask = url + "?query=ASK%7B%7D"
        status, headers, _ = _request(ask, headers={"Origin": origin,
                                                    "Accept": "application/sparql-results+json"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == origin
        assert "Origin" in headers.get_all("Vary")
        status, headers, _ = _request(ask, headers={"Origin": "http://evil.example"})
        assert status == 200 and "Access-Control-Allow-Origin" not in headers
        status, headers, _ = _request(url, "OPTIONS", {"Origin": origin,
                                                       "Access-Control-Request-Method": "POST"})
        assert status == 204 and headers["Access-Control-Allow-Origin"] == origin
        assert set(headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == \
            {"GET", "POST"}
        status, _, _ = _request(url, "OPTIONS", {"Origin": "http://evil.example",
                                                 "Access-Control-Request-Method": "POST"})
        assert status == 405
        status, _, _ = _request(url, "OPTIONS", {"Origin": origin,
                                                 "Access-Control-Request-Method": "PUT"})
        assert status == 405
        status, _, _ = _request(url, "PUT", {"Origin": origin})
        assert status == 405
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@pytest.mark.parametrize("origin", ["*", "http://localhost:8080/app", "localhost:8080", "null"])
def test_cors_needs_one_origin(tmp_path, origin):
    proc, url, err = start(tmp_path, "--port", "0", "--cors", origin)
    assert url is None and proc.returncode == 2
    assert err.count("\n") == 1 and "--cors" in err and "Traceback" not in err


# -- the endpoint's error answers in serve's language (issue 15) --------------------------------

SERVE_ERRORS = {
    # (method, path, Host header, query) -> (status, a word of the Russian answer)
    ("GET", "/nowhere", None, None): (404, "не найдено: точка доступа — /query"),
    ("PUT", "/query", None, None): (405, "метод не разрешён: GET или POST /query"),
    ("GET", "/query", "evil.example.org", "ASK {}"): (403, "отвечает только на запросы к 127.0.0.1"),
    ("GET", "/query", None, "SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }"):
        (400, "в запросе скобки вложены глубже 128 уровней"),
    ("GET", "/query", None, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"):
        (400, "запрос обращается к другой точке доступа через SERVICE"),
}


def test_serve_error_answers_speak_serves_language(tmp_path):
    """`serve --lang ru`: a reader of the (Russian) query page who sends a query it refuses, or
    a request it does not serve, reads the reason in Russian (Content-Language: ru), as the
    web service does. Regression: the answers of the front (403/404/405/400) were English
    only whatever the page's language."""
    proc, url, err = start(tmp_path, "--port", "0", "--lang", "ru")
    assert url, err
    base = url[: -len("/query")]
    try:
        for (method, path, host, query), (status, words) in SERVE_ERRORS.items():
            target = base + path + ("?" + urllib.parse.urlencode({"query": query}) if query else "")
            got, headers, body = _request(target, method, {"Host": host} if host else None)
            text = body.decode("utf-8")
            assert got == status and words in text, (method, path, got, text)
            assert headers["Content-Language"] == "ru" and text.count("\n") == 1, text
            assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text), text
        status, headers, _ = _request(base + "/")
        assert status == 200 and headers["Content-Language"] == "ru"
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_serve_error_answers_exist_in_every_language():
    """Each answer the front and the SPARQL guard give has its translation in ru, uz and
    uz-Cyrl (an English text standing in would be a missed catalogue entry)."""
    from educluster import guards, i18n, serve_front

    texts = {}
    for lang in ("en", "ru", "uz", "uz-Cyrl"):
        i18n.set_language(lang)
        try:
            texts[lang] = [serve_front._stopped(30),
                           guards.sparql_problem("SELECT * { SERVICE <x:y> { ?s ?p ?o } }"),
                           guards.sparql_problem("ASK {" + "(" * 200 + ")" * 200 + "}"),
                           i18n._("not found: the endpoint is /query (read-only)")]
        finally:
            i18n.set_language("en")
    for lang in ("ru", "uz", "uz-Cyrl"):
        for english, other in zip(texts["en"], texts[lang]):
            assert other != english, (lang, english)
    assert "128" in texts["uz-Cyrl"][2] and "SERVICE" in texts["uz-Cyrl"][1]
