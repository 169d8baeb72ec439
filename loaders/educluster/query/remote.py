"""A SPARQL 1.1 Protocol client (standard library only) for ``query --endpoint``.

The query is sent by POST as ``application/x-www-form-urlencoded`` (``query=...``, plus one
``default-graph-uri=...`` per ``--default-graph``), the way every SPARQL 1.1 server
accepts it. SELECT and ASK ask for ``application/sparql-results+json``; CONSTRUCT and
DESCRIBE for N-Triples (Turtle accepted too). Parameters travel as a trailing ``VALUES``
clause of serialised RDF terms (see :mod:`educluster.query.sparql`).

Failures are one line: an unreachable server, or the status and the first line of
what the server answered.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from educluster.errors import UserError
from educluster.query import results as R

GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RESULTS_ACCEPT = "application/sparql-results+json"
USER_AGENT = "educluster-query"


def check_url(url: str, option: str = "--endpoint") -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"{option} {url!r} is not an http(s) URL; give the server's full "
                        "address, e.g. http://127.0.0.1:7878/query")
    return url


def first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    line = text.splitlines()[0].strip() if text else "(empty answer)"
    return line if len(line) <= 200 else line[:197] + "..."


def http(url: str, data: bytes | None, headers: dict[str, str], method: str,
         timeout: float | None, what: str) -> tuple[int, dict, bytes]:
    """One HTTP request; errors become a one-line :class:`UserError`."""
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"User-Agent": USER_AGENT, **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read() if exc.fp is not None else b""
        raise UserError(f"{what} {url} answered {exc.code} {exc.reason}: {first_line(body)}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise UserError(f"{what} {url} did not answer within {timeout:g} s; check that it "
                            "runs, or raise --timeout") from exc
        text = getattr(reason, "strerror", None) or str(reason)
        raise UserError(f"cannot reach {what} {url}: {text}; check the URL and that the "
                        "server is running") from exc
    except (socket.timeout, TimeoutError) as exc:
        raise UserError(f"{what} {url} did not answer within {timeout:g} s; check that it "
                        "runs, or raise --timeout") from exc
    except OSError as exc:
        raise UserError(f"cannot reach {what} {url}: {exc}; check the URL and that the "
                        "server is running") from exc


def run_endpoint(prepared, url: str, default_graphs=(), timeout: float | None = None) -> R.Result:
    """Run a prepared query at a SPARQL 1.1 Protocol endpoint."""
    from educluster.query.sparql import values_clause

    check_url(url)
    text = prepared.text
    if prepared.bindings:
        if prepared.has_values_clause:
            raise UserError("--param with --endpoint: the query already ends with a VALUES "
                            "clause, and the parameters travel as one; put the values in "
                            "that clause instead", file=prepared.source)
        text = text.rstrip() + "\n" + values_clause(prepared.bindings) + "\n"
    form = [("query", text)] + [("default-graph-uri", g) for g in default_graphs]
    accept = GRAPH_ACCEPT if prepared.kind in ("construct", "describe") else RESULTS_ACCEPT
    status, headers, body = http(
        url, urllib.parse.urlencode(form).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept},
        "POST", timeout, "the SPARQL endpoint")
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    ctype = ctype.split(";")[0].strip().lower()
    if prepared.kind in ("construct", "describe"):
        return _graph(body, ctype, url)
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"the SPARQL endpoint {url} did not answer with SPARQL results JSON "
                        f"(it sent {ctype or 'no content type'}: {first_line(body)}); is this "
                        "the query URL of a SPARQL endpoint?") from exc
    if not isinstance(doc, dict) or ("boolean" not in doc and "results" not in doc):
        raise UserError(f"the SPARQL endpoint {url} answered JSON that is not SPARQL results: "
                        f"{first_line(body)}")
    return R.from_json(doc)


def _graph(body: bytes, ctype: str, url: str) -> R.Result:
    import pyoxigraph as ox

    fmt = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
           "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
           "application/rdf+xml": ox.RdfFormat.RDF_XML,
           "application/ld+json": ox.RdfFormat.JSON_LD}.get(ctype)
    if fmt is None:
        raise UserError(f"the SPARQL endpoint {url} answered a graph as '{ctype}', which "
                        "educluster cannot read (N-Triples, Turtle, RDF/XML or JSON-LD)")
    try:
        triples = list(ox.parse(body, format=fmt))
    except SyntaxError as exc:
        raise UserError(f"the SPARQL endpoint {url} sent a graph that does not parse: "
                        f"{' '.join(str(exc).split())}") from exc
    return R.Result("graph", triples=[(R.from_ox_term(t.subject), R.from_ox_term(t.predicate),
                                       R.from_ox_term(t.object)) for t in triples])
