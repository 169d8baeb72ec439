"""A SPARQL 1.1 Protocol client (standard library only) for ``query --endpoint``.

The query is sent by POST as ``application/x-www-form-urlencoded`` (``query=...``, plus one
``default-graph-uri=...`` per ``--default-graph``), the way every SPARQL 1.1 server
accepts it. SELECT and ASK ask for ``application/sparql-results+json``; CONSTRUCT and
DESCRIBE for N-Triples (Turtle accepted too). Parameters travel as a trailing ``VALUES``
clause of serialised RDF terms (see :mod:`educluster.query.sparql`) only where they cannot be
substituted into the query as checked terms (:mod:`educluster.query.substitute`).

When no ``--default-graph`` is given and the endpoint's default graph is empty, the
store was most likely filled by ``educluster push``: :func:`pushed_graphs` then names its
graphs as the default graph (decision 0012).

Credentials come from the URL, the environment or a netrc file (:func:`credentials`) and
answer Basic or Digest challenges; no message shows them. An answer is read up to
``--max-reply-mb``.

Failures are one line: an unreachable server, or the status and the first line of
what the server answered.
"""

from __future__ import annotations

import http.client as http_client
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

from educluster.errors import UserError
from educluster.i18n import N_, _, ngettext
from educluster.query import results as R

GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RESULTS_ACCEPT = "application/sparql-results+json"
USER_AGENT = "educluster-query"


#: Environment variables that carry credentials for ``--endpoint``/``--store`` (never a
#: command-line argument, which other users of the machine can read in ``ps``).
USER_VAR, PASSWORD_VAR = "EDUCLUSTER_USER", "EDUCLUSTER_PASSWORD"


class QueryRefused(UserError):
    """The endpoint answered 400: it would not run this query (syntax or dialect)."""


def check_url(url: str, option: str = "--endpoint") -> str:
    """``url`` if it is an absolute http(s) URL (the message never shows a password in it)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(_("{option} {url} is not an http(s) URL; give the server's full "
                          "address, e.g. http://127.0.0.1:7878/query").format(
            option=option, url=repr(redact(url))))
    return url


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``(url without user:password@, user, password)``; user and password percent-decoded."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    clean = urllib.parse.urlunsplit(parts._replace(netloc=host))
    return clean, urllib.parse.unquote(user), urllib.parse.unquote(password)


def redact(url: str) -> str:
    """``url`` as it may be printed: without the credentials it may carry."""
    try:
        return split_credentials(url)[0]
    except ValueError:  # an unparsable netloc: show nothing of it
        return _("(the URL given)")


def credentials(url: str, netrc_file: str | None = None) -> tuple[str, str | None, str | None]:
    """``(clean url, user, password)``: from the URL, else ``$EDUCLUSTER_USER`` and
    ``$EDUCLUSTER_PASSWORD``, else the host's entry in ``netrc_file`` (a netrc file given
    with ``--netrc``)."""
    import os

    clean, user, password = split_credentials(url)
    if user is None and os.environ.get(USER_VAR):
        user, password = os.environ[USER_VAR], os.environ.get(PASSWORD_VAR, "")
    if user is None and netrc_file:
        import netrc

        try:
            host = urllib.parse.urlsplit(clean).hostname or ""
            entry = netrc.netrc(netrc_file).authenticators(host)
        except FileNotFoundError as exc:
            raise UserError(_("netrc file not found; check the path"), file=netrc_file) from exc
        except (netrc.NetrcParseError, OSError) as exc:
            raise UserError(_("cannot read the netrc file: {reason}").format(
                reason=getattr(exc, "msg", None) or exc),
                file=netrc_file, line=getattr(exc, "lineno", None)) from exc
        if entry:
            user, password = entry[0], entry[2] or ""
    return clean, user, password


def parse_headers(raw: list[str] | None) -> dict[str, str]:
    """``--header NAME:VALUE`` options as a dict (one line per malformed one)."""
    out = {}
    for h in raw or []:
        name, sep, value = h.partition(":")
        if not sep or not name.strip() or any(c in name for c in " \t\r\n") \
                or any(c in value for c in "\r\n"):
            raise UserError(_("--header {header}: write it as NAME:VALUE, for example "
                              "'Authorization: Bearer TOKEN'").format(header=repr(h)))
        out[name.strip()] = value.strip()
    return out


def first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    line = text.splitlines()[0].strip() if text else "(empty answer)"
    return line if len(line) <= 200 else line[:197] + "..."


def _opener(url: str, user: str | None, password: str | None):
    """An opener that answers Basic and Digest challenges with the credentials, if any."""
    if user is None:
        return urllib.request.build_opener()
    mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    mgr.add_password(None, url, user, password or "")
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(mgr),
                                       urllib.request.HTTPDigestAuthHandler(mgr))


def _answer_challenge(req, user: str, password: str | None, timeout) -> None:
    """Add the ``Authorization`` header to ``req`` before its body is sent: a body-less GET
    of the same URL fetches the server's challenge (Basic or Digest), which is answered for
    ``req``'s method and URL. Without it the body goes out once unauthenticated, and a server
    that answers 401 and closes before reading it (Virtuoso's ``/sparql-graph-crud-auth``
    does, for a graph of some 100 KB) breaks the pipe before the challenge can be answered."""
    import base64

    probe = urllib.request.Request(req.full_url, method="GET",
                                   headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.build_opener().open(probe, timeout=timeout) as resp:
            resp.read(0)
        return  # no challenge: the server will say if it wants credentials after all
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        exc.close()
    except (OSError, ValueError, http_client.HTTPException):
        return  # the real request reports an unreachable server in its own words
    scheme, _, rest = challenge.strip().partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{user}:{password or ''}".encode("utf-8")).decode("ascii")
        req.add_unredirected_header("Authorization", f"Basic {token}")
    elif scheme.lower() == "digest":
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, req.full_url, user, password or "")
        chal = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(rest)))
        value = urllib.request.HTTPDigestAuthHandler(mgr).get_authorization(req, chal)
        if value:
            req.add_unredirected_header("Authorization", f"Digest {value}")


def _read(resp, limit: int | None, what: str, shown: str) -> bytes:
    if limit is None:
        return resp.read()
    body = resp.read(limit + 1)
    if len(body) > limit:
        raise UserError(_("{what} {url} answered more than {mb} MB (--max-reply-mb); narrow "
                          "the query (a LIMIT) or raise --max-reply-mb").format(
            what=_(what), url=shown, mb=f"{limit / (1 << 20):g}"))
    return body


def http(url: str, data: bytes | None, headers: dict[str, str], method: str,
         timeout: float | None, what: str, max_bytes: int | None = None,
         netrc_file: str | None = None, refused: type | None = None) -> tuple[int, dict, bytes]:
    """One HTTP request, with credentials from :func:`credentials` for Basic or Digest
    challenges; at most ``max_bytes`` of answer are read; errors become a one-line
    :class:`UserError` that never shows the credentials (a 400 or 500 answer raises
    ``refused`` instead when given: the server would not or could not run this query)."""
    try:
        clean, user, password = credentials(url, netrc_file)
    except ValueError as exc:
        raise UserError(_("{what}: the URL given is not valid ({reason})").format(
            what=_(what), reason=exc)) from exc
    shown = clean
    req = urllib.request.Request(clean, data=data, method=method,
                                 headers={"User-Agent": USER_AGENT, **headers})
    if user is not None and data is not None and not any(
            k.lower() == "authorization" for k in headers):
        _answer_challenge(req, user, password, timeout)
    try:
        with _opener(clean, user, password).open(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers.items()), _read(resp, max_bytes, what, shown)
    except urllib.error.HTTPError as exc:
        body = exc.read(4096) if exc.fp is not None else b""
        if refused is not None and exc.code in (400, 500):
            raise refused(first_line(body)) from None
        hint = ""
        if exc.code == 401:
            hint = _(" (give credentials with ${user} and ${password}, --netrc FILE, or "
                     "--header 'Authorization: ...')").format(user=USER_VAR,
                                                               password=PASSWORD_VAR)
        raise UserError(_("{what} {url} answered {status}{hint}: {answer}").format(
            what=_(what), url=shown, status=f"{exc.code} {exc.reason}", hint=hint,
            answer=first_line(body))) from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise UserError(_no_answer(what, shown, timeout)) from exc
        text = getattr(reason, "strerror", None) or str(reason)
        raise UserError(_unreachable(what, shown, text)) from exc
    except (socket.timeout, TimeoutError) as exc:
        raise UserError(_no_answer(what, shown, timeout)) from exc
    except (OSError, ValueError, http_client.HTTPException) as exc:
        raise UserError(_unreachable(what, shown, exc)) from exc


def _no_answer(what: str, shown: str, timeout) -> str:
    return _("{what} {url} did not answer within {seconds} s; check that it runs, or raise "
             "--timeout").format(what=_(what), url=shown, seconds=f"{timeout:g}")


def _unreachable(what: str, shown: str, reason) -> str:
    return _("cannot reach {what} {url}: {reason}; check the URL and that the server is "
             "running").format(what=_(what), url=shown, reason=reason)


def run_endpoint(prepared, url: str, default_graphs=(), timeout: float | None = None,
                 max_bytes: int | None = None, extra_headers: dict[str, str] | None = None,
                 netrc_file: str | None = None) -> R.Result:
    """Run a prepared query at a SPARQL 1.1 Protocol endpoint."""
    from educluster.query.sparql import values_clause

    check_url(url)
    shown = redact(url)
    text = prepared.text
    bound = None
    if prepared.bindings and not (prepared.kind == "select" and prepared.result_vars is None):
        from educluster.query.substitute import substitute

        bound = substitute(text, prepared.bindings)     # checked terms, decision 0026
    if bound is not None:
        text = bound
    elif prepared.bindings:
        if prepared.has_values_clause:
            raise UserError(_("--param with --endpoint: the query already ends with a VALUES "
                              "clause, and the parameters travel as one; put the values in "
                              "that clause instead"), file=prepared.source)
        text = text.rstrip() + "\n" + values_clause(prepared.bindings) + "\n"
    common = (timeout, max_bytes, extra_headers, netrc_file)
    if not default_graphs:
        default_graphs = pushed_graphs(url, *common)
    form = [("query", text)] + [("default-graph-uri", g) for g in default_graphs]
    accept = GRAPH_ACCEPT if prepared.kind in ("construct", "describe") else RESULTS_ACCEPT
    status, headers, body = http(
        url, urllib.parse.urlencode(form).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept,
         **(extra_headers or {})},
        "POST", timeout, N_("the SPARQL endpoint"), max_bytes, netrc_file)
    url = shown
    refuse_cut_answer(headers, url)
    dialect_warning(headers, text, bool(prepared.bindings) and bound is None,
                    prepared.user_text)
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    ctype = ctype.split(";")[0].strip().lower()
    if prepared.kind in ("construct", "describe"):
        return _graph(body, ctype, url, prepared.max_rows)
    try:
        doc = json.loads(body.decode("utf-8"))
    except RecursionError:
        raise UserError(_("the SPARQL endpoint {url} answered JSON nested too deeply to read; "
                          "is this the query URL of a SPARQL endpoint?").format(url=url)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(_("the SPARQL endpoint {url} did not answer with SPARQL results JSON "
                          "(it sent {type}: {answer}); is this the query URL of a SPARQL "
                          "endpoint?").format(url=url, type=ctype or _("no content type"),
                                              answer=first_line(body))) from exc
    if not isinstance(doc, dict) or ("boolean" not in doc and "results" not in doc):
        raise UserError(_("the SPARQL endpoint {url} answered JSON that is not SPARQL results: "
                          "{answer}").format(url=url, answer=first_line(body)))
    return R.from_json(doc, prepared.max_rows)


#: A ``*`` or ``+`` property-path operator after an IRI, a prefixed name or a group
#: (``rdfs:subClassOf*``, ``ec:partOf+``, ``(a|b)*``); not ``SELECT *`` or ``COUNT(*)``.
PATH_OPERATOR = re.compile(r"(?:<[^<>\s]*>|[A-Za-z_][\w.-]*:[\w.-]*|\))[*+]")


def refuse_cut_answer(headers: dict, url: str) -> None:
    """Stop (one line, exit 2) when the store says it cut the answer at its largest result:
    Virtuoso's ``ResultSetMaxRows`` (10,000 in Debian's virtuoso.ini) is told only in an
    ``X-SPARQL-MaxRows`` header, and the rows it sends look like a whole answer."""
    cut = {k.lower(): v for k, v in (headers or {}).items()}.get("x-sparql-maxrows")
    if cut is not None:
        raise UserError(ngettext("the SPARQL endpoint {url} cut an answer at {n} row (its "
                                 "largest result), so the results would be incomplete; raise "
                                 "the limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section "
                                 "of virtuoso.ini) and ask again",
                                 "the SPARQL endpoint {url} cut an answer at {n} rows (its "
                                 "largest result), so the results would be incomplete; raise "
                                 "the limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section "
                                 "of virtuoso.ini) and ask again",
                                 int(cut) if str(cut).strip().isdigit() else 0).format(
            url=redact(url), n=cut))


def dialect_warning(headers: dict, text: str, has_values: bool, user_text: str = "") -> None:
    """Say on stderr when the endpoint is a Virtuoso and the query uses what Virtuoso 7 is
    known to answer differently from SPARQL 1.1 (rows lost or gained: ``*``/``+`` property
    paths, a trailing ``VALUES`` clause, which carries ``--param``), so that fewer rows are
    never returned silently (issue 13). The shipped competency questions are written in forms
    Virtuoso answers as SPARQL 1.1 does (decision 0028, checked by tests/test_virtuoso.py):
    their paths draw no warning."""
    import sys

    from educluster.termsafe import visible

    server = next((v for k, v in headers.items() if k.lower() == "server"), "")
    if not server.lower().startswith("virtuoso"):
        return
    body = "\n".join(line.split("#", 1)[0] if "<" not in line else line
                     for line in text.splitlines())
    found = []
    if PATH_OPERATOR.search(body) and not is_shipped_question(user_text):
        found.append(_("'*' or '+' property paths"))
    if has_values:
        found.append(_("a trailing VALUES clause (--param)"))
    if found:
        print("educluster: " + _("warning: the endpoint is {server}, which is known to answer "
                                 "queries with {what} differently from SPARQL 1.1 (rows lost or "
                                 "repeated); check the answer with the embedded engine (the same "
                                 "query without --endpoint)").format(
            server=visible(server.split()[0]), what=_(" and ").join(found)), file=sys.stderr)


def is_shipped_question(user_text: str) -> bool:
    """Whether ``user_text`` is, unchanged, one of the competency questions in
    ``ontology/cq/`` (their answers on Virtuoso are checked by tests/test_virtuoso.py)."""
    from educluster import paths

    if not user_text:
        return False
    try:
        return any(p.read_text(encoding="utf-8") == user_text
                   for p in sorted(paths.cq_dir().glob("*.rq")))
    except OSError:
        return False


def _ask_json(url: str, query: str, timeout, max_bytes, extra_headers, netrc_file) -> dict:
    """A query sent as is (no --param, no guard: the text is ours); its JSON answer."""
    form = urllib.parse.urlencode([("query", query)]).encode("utf-8")
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
               "Accept": RESULTS_ACCEPT, **(extra_headers or {})}
    _status, got, body = http(url, form, headers,
                              "POST", timeout, N_("the SPARQL endpoint"), max_bytes, netrc_file)
    refuse_cut_answer(got, url)   # a cut list of graphs would leave graphs out silently
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}
    return doc if isinstance(doc, dict) else {}


def pushed_graphs(url: str, timeout=None, max_bytes=None, extra_headers=None,
                  netrc_file=None) -> list[str]:
    """The named graphs to read as the default graph of a store ``educluster push`` filled:
    all of its named graphs when its default graph is empty and one of them is the project's
    ontology graph; else ``[]`` (the endpoint's own default graph is used). A note on stderr
    says so. Two small requests (decision 0012)."""
    import sys

    from educluster.engines import ONTOLOGY_GRAPH

    if _ask_json(url, "ASK { ?s ?p ?o }", timeout, max_bytes, extra_headers,
                 netrc_file).get("boolean", True):
        return []
    doc = _ask_json(url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", timeout, max_bytes,
                    extra_headers, netrc_file)
    graphs = sorted({b["g"]["value"] for b in doc.get("results", {}).get("bindings", [])
                     if isinstance(b, dict) and b.get("g", {}).get("type") == "uri"})
    if ONTOLOGY_GRAPH not in graphs:
        return []
    print("educluster: " + ngettext(
        "note: the endpoint's default graph is empty; asking its {n} named graph instead (as "
        "'educluster push' left it; --default-graph chooses)",
        "note: the endpoint's default graph is empty; asking the merge of its {n} named graphs "
        "(as 'educluster push' left them; --default-graph chooses)", len(graphs)).format(
            n=len(graphs)), file=sys.stderr)
    return graphs


def _graph(body: bytes, ctype: str, url: str, limit: int | None = None) -> R.Result:
    import pyoxigraph as ox

    fmt = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
           "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
           "application/rdf+xml": ox.RdfFormat.RDF_XML,
           "application/ld+json": ox.RdfFormat.JSON_LD}.get(ctype)
    if fmt is None:
        raise UserError(_("the SPARQL endpoint {url} answered a graph as '{type}', which "
                          "educluster cannot read (N-Triples, Turtle, RDF/XML or JSON-LD)").format(
            url=url, type=ctype))
    if fmt == ox.RdfFormat.RDF_XML:  # no DTD entities, bounded depth (issue 12)
        from educluster.guards import check_rdfxml_bytes

        check_rdfxml_bytes(body, _("the graph the SPARQL endpoint {url} sent").format(url=url))
    try:
        triples = list(R.capped(ox.parse(body, format=fmt), limit))
    except SyntaxError as exc:
        raise UserError(_("the SPARQL endpoint {url} sent a graph that does not parse: "
                          "{reason}").format(url=url, reason=" ".join(str(exc).split()))) from exc
    return R.Result("graph", triples=[(R.from_ox_term(t.subject), R.from_ox_term(t.predicate),
                                       R.from_ox_term(t.object)) for t in triples])
