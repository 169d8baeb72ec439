"""The store the fast engine queries: an embedded pyoxigraph ``Store`` or a SPARQL 1.1 endpoint.

The engine, the unknown-term check and the report use two calls of a store: ``query(text)``
(solutions with ``.variables`` and rows indexed by name or position, pyoxigraph terms) and
``quads_for_pattern(s, p, o)``. A pyoxigraph ``Store`` has both; :class:`EndpointStore` gives
them over the SPARQL 1.1 Protocol (with the credentials, caps and timeouts of
:mod:`educluster.query.remote`), so validating inside a server is the same engine, not a
second one (decision 0020).

A query the endpoint refuses or fails on (HTTP 400 or 500: Virtuoso answers 500 for a
regular expression its PCRE cannot compile) raises ``ValueError``, which the engine turns into
``Unsupported`` for that shape; an unreachable server, or an answer the server cut at its row
limit (Virtuoso's ``X-SPARQL-MaxRows``), is a one-line ``UserError``.
"""

from __future__ import annotations

import json
import re
import urllib.parse

from educluster.errors import UserError
from educluster.i18n import N_, _

XSD = "http://www.w3.org/2001/XMLSchema#"


class Row:
    """One solution: ``row["name"]`` or ``row[i]``; an unbound variable is ``None``."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict, values: list):
        self._names = names
        self._values = values

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._values[key]
        i = self._names.get(key)
        return None if i is None else self._values[i]


class Solutions:
    """Solutions of a SELECT: ``.variables`` (pyoxigraph ``Variable``s) and the rows."""

    def __init__(self, names: list[str], rows: list[Row]):
        import pyoxigraph as ox

        self.variables = [ox.Variable(n) for n in names]
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def ox_term(b: dict):
    """A SPARQL JSON results term as a pyoxigraph term."""
    import pyoxigraph as ox

    kind, value = b.get("type"), b.get("value")
    if not isinstance(value, str):
        raise ValueError("a result term without a value")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        try:
            return ox.BlankNode(value)
        except ValueError:      # Virtuoso names them "nodeID://b10001": the same name, spelled
            return ox.BlankNode("x" + value.encode("utf-8").hex())     # as a valid label
    if kind in ("literal", "typed-literal"):
        lang = b.get("xml:lang")
        if lang:
            return ox.Literal(value, language=lang)
        dt = b.get("datatype")
        return ox.Literal(value, datatype=ox.NamedNode(dt)) if dt else ox.Literal(value)
    raise ValueError(f"a result term of unknown type {kind!r}")


class EndpointStore:
    """A SPARQL 1.1 endpoint seen as a read-only store: every query asks the merge of
    ``graphs`` (``default-graph-uri``; none: the endpoint's default graph)."""

    def __init__(self, url: str, graphs=(), *, timeout: float | None = 600.0,
                 max_bytes: int | None = None, headers: dict | None = None,
                 netrc_file: str | None = None):
        from educluster.query.remote import check_url

        self.url = check_url(url)
        self.graphs = list(graphs)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.headers = dict(headers or {})
        self.netrc_file = netrc_file
        self.requests = 0
        #: a :class:`educluster.fastvalidate.dialect.Plain` when probes found that the store
        #: answers paths or regular expressions unlike SPARQL 1.1: queries are translated
        self.plain = None

    def with_graphs(self, graphs) -> "EndpointStore":
        """The same endpoint asked about other graphs."""
        other = EndpointStore(self.url, graphs, timeout=self.timeout, max_bytes=self.max_bytes,
                              headers=self.headers, netrc_file=self.netrc_file)
        other.plain = self.plain
        return other

    def _send(self, text: str, accept: str) -> tuple[dict, bytes]:
        """POST ``text`` (SPARQL 1.1 Protocol): the answer's headers and body; a 400/500 answer
        raises ``ValueError``, an answer the store cut at its row limit a UserError."""
        from educluster.query.remote import QueryRefused, http

        form = [("query", text)] + [("default-graph-uri", g) for g in self.graphs]
        self.requests += 1
        try:
            _, got_headers, body = http(self.url, urllib.parse.urlencode(form).encode("utf-8"),
                              {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                               "Accept": accept, **self.headers},
                              "POST", self.timeout, N_("the SPARQL endpoint"), self.max_bytes,
                              self.netrc_file, refused=QueryRefused)
        except QueryRefused as exc:
            raise ValueError(f"the endpoint refused the query: {exc}") from None
        from educluster.query.remote import refuse_cut_answer

        refuse_cut_answer(got_headers, self.url)   # Virtuoso's ResultSetMaxRows
        return got_headers or {}, body

    def construct(self, text: str) -> list[tuple] | None:
        """The triples of a CONSTRUCT query as ``(s, p, o)`` pyoxigraph terms, read from the
        N-Triples (or Turtle) the store answers -- parsed by pyoxigraph, several times faster
        than SPARQL JSON bindings decoded in Python; ``None`` when the store answers in another
        syntax (the caller then asks with SELECT)."""
        import pyoxigraph as ox

        headers, body = self._send(text, "application/n-triples, text/turtle;q=0.9")
        ctype = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
        fmt = {"application/n-triples": ox.RdfFormat.N_TRIPLES,
               "text/plain": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
               }.get(ctype.split(";", 1)[0].strip().lower())
        if fmt is None:
            return None
        try:
            return [(t.subject, t.predicate, t.object) for t in ox.parse(body, format=fmt)]
        except SyntaxError:
            from educluster.query.remote import redact

            raise UserError(_("the SPARQL endpoint {url} sent a graph that does not "
                              "parse").format(url=redact(self.url))) from None

    def _post(self, text: str) -> dict:
        from educluster.query.remote import RESULTS_ACCEPT

        got_headers, body = self._send(text, RESULTS_ACCEPT)
        try:
            doc = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            from educluster.query.remote import redact

            raise UserError(_("the SPARQL endpoint {url} did not answer with SPARQL results "
                              "JSON; is this the query URL of a SPARQL endpoint?").format(
                url=redact(self.url))) from exc
        if not isinstance(doc, dict):
            raise UserError(_("the SPARQL endpoint answered JSON that is not SPARQL results"))
        return doc

    def query(self, text: str):
        """SELECT: :class:`Solutions`; ASK: a bool. With :attr:`plain`, the query is first
        translated for the store's dialect (``ValueError`` if it cannot be)."""
        if self.plain is not None:
            text = self.plain.translate(text)
        return self.query_as_is(text)

    def query_as_is(self, text: str):
        """The query sent as written."""
        doc = self._post(text)
        if "boolean" in doc:
            return bool(doc["boolean"])
        names = list(doc.get("head", {}).get("vars", []))
        if names == ["__ASK_RETVAL"]:     # Virtuoso answers ASK as a one-column SELECT
            rows = doc.get("results", {}).get("bindings", [])
            return any(b.get("__ASK_RETVAL", {}).get("value") not in ("0", None) for b in rows)
        index = {n: i for i, n in enumerate(names)}
        rows = []
        for b in doc.get("results", {}).get("bindings", []):
            rows.append(Row(index, [ox_term(b[n]) if n in b else None for n in names]))
        return Solutions(names, rows)

    def quads_for_pattern(self, s, p, o, graph=None):
        """The triples matching (s, p, o) (``None``: any), as pyoxigraph quads of the default
        graph. A blank node cannot be named in a query: nothing matches it."""
        import pyoxigraph as ox

        terms = []
        for t, v in ((s, "s"), (p, "p"), (o, "o")):
            if isinstance(t, ox.BlankNode):
                return iter(())
            terms.append(str(t) if t is not None else f"?{v}")
        sols = self.query_as_is(f"SELECT * WHERE {{ {terms[0]} {terms[1]} {terms[2]} }}")
        out = []
        for row in sols:
            got = [row[v] if t is None else t for t, v in ((s, "s"), (p, "p"), (o, "o"))]
            out.append(ox.Quad(got[0], got[1], got[2], ox.DefaultGraph()))
        return iter(out)

    def pairs_of(self, iri: str) -> list[tuple[str, str]]:
        """``(subject, object)`` of every triple with predicate ``iri``, as SPARQL term texts,
        asked without a path; pairs with a blank node are left out (a query cannot name one)."""
        import pyoxigraph as ox

        out = []
        for row in self.query_as_is(f"SELECT ?s ?o WHERE {{ ?s <{iri}> ?o }}"):
            s, o = row["s"], row["o"]
            if not isinstance(s, ox.BlankNode) and not isinstance(o, ox.BlankNode):
                out.append((str(s), str(o)))
        return out

    def collapses_integer_types(self) -> bool:
        """Whether the store keeps a literal of a type derived from xsd:integer as xsd:integer
        (Oxigraph does; see decision 0006)."""
        q = (f'SELECT (DATATYPE(?x) AS ?d) WHERE {{ VALUES ?x {{ "1"^^<{XSD}nonNegativeInteger> }} }}')
        for row in self.query(q):
            d = row["d"]
            return d is not None and d.value == XSD + "integer"
        return False


class LocalCopy:
    """A local pyoxigraph store filled, query by query, with the triples of ``remote`` whose
    predicate is an IRI the query names: a shape that cannot run the same way in the store
    runs here on exactly the triples its queries can read (decision 0027). A query with a
    variable in predicate position could read any triple: ``ValueError``."""

    def __init__(self, remote: EndpointStore):
        import threading

        import pyoxigraph as ox

        self.remote = remote
        self.store = ox.Store()
        self.have: set[str] = set()
        self.copied = 0
        self._lock = threading.Lock()

    def _fill(self, text: str) -> None:
        import pyoxigraph as ox

        from educluster.fastvalidate.dialect import RDF_TYPE, prefixes, reads_any_predicate
        from educluster.fastvalidate.rewrite import tokens

        toks = tokens(text)
        if reads_any_predicate(toks):
            raise ValueError("a query with a variable predicate cannot run on a copy")
        pref = prefixes(toks)
        iris = set()
        for kind, tok, _, _ in toks:
            if kind == "iri":
                iris.add(tok[1:-1])
            elif kind == "other":
                for part in re.split(r"[/|^*+?]", tok):
                    p, colon, local = part.partition(":")
                    if colon and p + ":" in pref:
                        iris.add(pref[p + ":"] + local)
                    elif part == "a":
                        iris.add(RDF_TYPE)
        with self._lock:
            for iri in sorted(iris - self.have):
                sols = self.remote.query_as_is(f"SELECT ?s ?o WHERE {{ ?s <{iri}> ?o }}")
                p = ox.NamedNode(iri)
                quads = [ox.Quad(r["s"], p, r["o"], ox.DefaultGraph()) for r in sols]
                self.store.extend(quads)
                self.copied += len(quads)
                self.have.add(iri)

    def query(self, text: str):
        self._fill(text)
        return self.store.query(text)

    def quads_for_pattern(self, s, p, o, graph=None):
        return self.remote.quads_for_pattern(s, p, o, graph)
