"""Query results in one engine-neutral form, and their output formats.

A **term** is a plain tuple, so results from pyoxigraph, rdflib and a remote endpoint
compare and print the same way:

* ``("uri", iri)``
* ``("bnode", label)``
* ``("literal", lexical_form, datatype_iri, language_or_None)`` -- a plain literal has
  datatype ``xsd:string``, a language-tagged one ``rdf:langString``;
* ``None`` for an unbound variable.

A :class:`Result` is a SELECT table (``vars`` and ``rows``), an ASK answer
(``boolean``) or a graph (``triples``, from CONSTRUCT or DESCRIBE).

Output: :func:`render` -- ``table`` (aligned, wrapped to the terminal), ``csv`` and
``tsv`` (SPARQL 1.1 Query Results CSV and TSV), ``json`` (SPARQL 1.1 Query Results
JSON); graphs always as Turtle. :func:`canonical_rows` gives the sorted, normalised
form that the tests compare across engines.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Optional

from educluster.errors import UserError
from educluster.i18n import _, ngettext

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
INTEGER_TYPES = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte")}
NUMERIC_TYPES = INTEGER_TYPES | {XSD + "decimal", XSD + "double", XSD + "float"}

Term = Optional[tuple]


def uri(value: str) -> tuple:
    return ("uri", value)


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> tuple:
    if lang:
        return ("literal", value, RDF_LANGSTRING, lang.lower())
    return ("literal", value, datatype or XSD_STRING, None)


@dataclass
class Result:
    """A query's answer: a table (select), a boolean (ask) or triples (construct/describe)."""

    kind: str  # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# from and to the engines
# --------------------------------------------------------------------------------------

def from_ox_term(t: Any) -> Term:
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    if isinstance(t, ox.Literal):
        return literal(t.value, t.datatype.value, t.language)
    return literal(str(t))  # an RDF 1.2 triple term: shown as text


def to_oxigraph(term: tuple):
    import pyoxigraph as ox

    kind = term[0]
    if kind == "uri":
        return ox.NamedNode(term[1])
    if kind == "bnode":
        return ox.BlankNode(term[1])
    if term[3]:
        return ox.Literal(term[1], language=term[3])
    return ox.Literal(term[1], datatype=ox.NamedNode(term[2]))


def capped(items, limit: int | None):
    """``items`` unchanged, but a UserError once more than ``limit`` have come (None: no cap),
    so that an answer too large for memory stops early instead of exhausting it."""
    if limit is None:
        yield from items
        return
    for n, item in enumerate(items, 1):
        if n > limit:
            raise UserError(ngettext("the answer has more than {n} row (--max-rows); narrow the "
                                     "query (a LIMIT, more specific patterns) or raise "
                                     "--max-rows",
                                     "the answer has more than {n} rows (--max-rows); narrow "
                                     "the query (a LIMIT, more specific patterns) or raise "
                                     "--max-rows",
                                     limit).format(n=f"{limit:,}"))
        yield item


def from_oxigraph(res: Any, limit: int | None = None) -> Result:
    import pyoxigraph as ox

    if isinstance(res, ox.QueryBoolean):
        return Result("ask", boolean=bool(res))
    if isinstance(res, ox.QueryTriples):
        return Result("graph", triples=[(from_ox_term(t.subject), from_ox_term(t.predicate),
                                         from_ox_term(t.object)) for t in capped(res, limit)])
    names = [v.value for v in res.variables]
    rows = [tuple(from_ox_term(sol[n]) for n in names) for sol in capped(res, limit)]
    return Result("select", vars=names, rows=rows)


def from_rdflib_term(t: Any) -> Term:
    import rdflib

    if t is None:
        return None
    if isinstance(t, rdflib.URIRef):
        return ("uri", str(t))
    if isinstance(t, rdflib.BNode):
        return ("bnode", str(t))
    if isinstance(t, rdflib.Literal):
        return literal(str(t), str(t.datatype) if t.datatype else None, t.language)
    return literal(str(t))


def to_rdflib(term: tuple):
    import rdflib

    kind = term[0]
    if kind == "uri":
        return rdflib.URIRef(term[1])
    if kind == "bnode":
        return rdflib.BNode(term[1])
    if term[3]:
        return rdflib.Literal(term[1], lang=term[3])
    if term[2] == XSD_STRING:
        return rdflib.Literal(term[1], datatype=rdflib.XSD.string)
    return rdflib.Literal(term[1], datatype=rdflib.URIRef(term[2]))


def from_rdflib(res: Any, kind: str, limit: int | None = None) -> Result:
    if res.type == "ASK":
        return Result("ask", boolean=bool(res.askAnswer))
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        return Result("graph", triples=[tuple(from_rdflib_term(x) for x in t)
                                        for t in capped(res.graph, limit)])
    names = [str(v) for v in res.vars]
    rows = [tuple(from_rdflib_term(r[i]) for i in range(len(names))) for r in capped(res, limit)]
    return Result("select", vars=names, rows=rows)


def from_json_term(t: dict | None) -> Term:
    """A term of the SPARQL 1.1 Query Results JSON format."""
    if t is None:
        return None
    kind = t.get("type")
    if kind == "uri":
        return ("uri", t["value"])
    if kind == "bnode":
        return ("bnode", t["value"])
    if kind in ("literal", "typed-literal"):  # typed-literal: the 2008 draft, still sent by some
        return literal(t["value"], t.get("datatype"), t.get("xml:lang"))
    return literal(json.dumps(t))  # a triple term or an unknown type: shown as text


def from_json(doc: dict, limit: int | None = None) -> Result:
    if "boolean" in doc:
        return Result("ask", boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    rows = [tuple(from_json_term(b.get(n)) for n in names)
            for b in capped(doc.get("results", {}).get("bindings", []), limit)]
    return Result("select", vars=names, rows=rows)


# --------------------------------------------------------------------------------------
# writing terms
# --------------------------------------------------------------------------------------

def _escape(s: str) -> str:
    return (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def nt(term: Term) -> str:
    """The term in N-Triples syntax (``""`` for unbound)."""
    if term is None:
        return ""
    if term[0] == "uri":
        return f"<{term[1]}>"
    if term[0] == "bnode":
        return f"_:{term[1]}"
    out = f'"{_escape(term[1])}"'
    if term[3]:
        return f"{out}@{term[3]}"
    if term[2] != XSD_STRING:
        return f"{out}^^<{term[2]}>"
    return out


def json_term(term: tuple) -> dict:
    if term[0] == "uri":
        return {"type": "uri", "value": term[1]}
    if term[0] == "bnode":
        return {"type": "bnode", "value": term[1]}
    out = {"type": "literal", "value": term[1]}
    if term[3]:
        out["xml:lang"] = term[3]
    elif term[2] != XSD_STRING:
        out["datatype"] = term[2]
    return out


def _prefixes() -> list[tuple[str, str]]:
    """The query prefixes, longest namespace first (``person:`` before ``id:``)."""
    from educluster.query.prefixes import query_prefixes

    return sorted(query_prefixes().items(), key=lambda kv: -len(kv[1]))


def short(term: Term, prefixes: list[tuple[str, str]] | None = None) -> str:
    """A readable form for the table that pastes back into a query: ``prefix:local`` where a
    query prefix fits and the local name needs no escaping (``person:porter``), else
    ``<iri>``; the literal's text without quotes."""
    from educluster.query.prefixes import CLEAN_LOCAL

    if term is None:
        return ""
    if term[0] == "uri":
        for p, ns in prefixes if prefixes is not None else _prefixes():
            if term[1].startswith(ns) and CLEAN_LOCAL.match(term[1][len(ns):]):
                return f"{p}:{term[1][len(ns):]}"
        return f"<{term[1]}>"
    if term[0] == "bnode":
        return f"_:{term[1]}"
    return term[1]


# --------------------------------------------------------------------------------------
# output formats
# --------------------------------------------------------------------------------------

def render(result: Result, fmt: str = "table", width: int | None = None) -> str:
    """The result as text in ``fmt`` (graphs are always Turtle)."""
    if result.kind == "graph":
        return to_turtle(result.triples)
    if fmt == "json":
        return to_json(result)
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_tsv(result)
    return to_table(result, width)


def to_json(result: Result) -> str:
    if result.kind == "ask":
        doc: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        doc = {"head": {"vars": list(result.vars)},
               "results": {"bindings": [
                   {v: json_term(t) for v, t in zip(result.vars, row) if t is not None}
                   for row in result.rows]}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_NUMBER = __import__("re").compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _neutral(text: str, term: Term = None) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would take it for a formula; numbers
    (a numeric literal written as one, e.g. -5) stay as they are."""
    from educluster.termsafe import spreadsheet_safe

    if term is not None and term[0] == "literal" and term[2] in NUMERIC_TYPES \
            and _NUMBER.match(text):
        return text
    return spreadsheet_safe(text)


def to_csv(result: Result) -> str:
    """SPARQL 1.1 CSV; cells a spreadsheet would run as formulas get a leading ``'``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([_neutral(v) for v in result.vars])
    for row in result.rows:
        w.writerow(["" if t is None else _neutral(f"_:{t[1]}" if t[0] == "bnode" else t[1], t)
                    for t in row])
    return buf.getvalue()


def _tsv_term(term: Term) -> str:
    """A TSV cell: the term in N-Triples syntax, a literal that a spreadsheet would take for a
    formula (it drops the quotes) with a ``'`` inside its quotes."""
    if term is not None and term[0] == "literal":
        safe = _neutral(term[1], term)
        if safe != term[1]:
            term = (term[0], safe) + tuple(term[2:])
    return nt(term)


def to_tsv(result: Result) -> str:
    lines = ["\t".join("?" + v for v in result.vars)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _terminal_width() -> int:
    env = os.environ.get("COLUMNS")
    if env and env.isdigit():
        return max(40, int(env))
    return max(40, shutil.get_terminal_size((120, 24)).columns)


def to_table(result: Result, width: int | None = None) -> str:
    """Aligned columns; cells too wide for the terminal wrap inside their column. When even
    that cannot fit (many wide columns, a narrow terminal), each row is printed as a block of
    ``name  value`` lines instead (like psql's expanded mode)."""
    from educluster.termsafe import visible

    prefixes = _prefixes()
    header = list(result.vars)
    cells = [[visible(short(t, prefixes), keep="\n") for t in row] for row in result.rows]
    n = len(header)
    count = ngettext("({n} row)", "({n} rows)", len(cells)).format(n=len(cells))
    if n == 0:
        return ngettext("({n} row, no variables)", "({n} rows, no variables)",
                        len(cells)).format(n=len(cells)) + "\n"
    total = width or _terminal_width()
    natural = [max([len(header[i])] + [max((len(x) for x in c[i].split("\n")), default=0)
                                       for c in cells]) for i in range(n)]
    # the longest unbreakable word (an IRI, a prefixed name) of each column, up to 48 wide:
    # such columns keep that width if they can, and text columns wrap at spaces instead,
    # but no narrower than 20
    words = [min(48, max([len(header[i])] + [len(w) for c in cells for w in c[i].split()]))
             for i in range(n)]
    texty = [any(" " in c[i] for c in cells) for i in range(n)]
    floor = [min(natural[i], max(words[i], 20 if texty[i] else 0)) for i in range(n)]
    avail = total - 2 * (n - 1)
    if sum(floor) > avail:
        return _expanded(header, cells, total) + count + "\n"
    widths = _fit(natural, floor, avail)
    out = []

    def emit(values: list[str]) -> None:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths)]
        for k in range(max(len(x) for x in wrapped)):
            parts = [(x[k] if k < len(x) else "").ljust(w) for x, w in zip(wrapped, widths)]
            out.append("  ".join(parts).rstrip())

    emit(header)
    out.append("  ".join("-" * w for w in widths))
    for c in cells:
        emit(c)
    out.append(count)
    return "\n".join(out) + "\n"


def _expanded(header: list[str], cells: list[list[str]], total: int) -> str:
    namew = max(len(h) for h in header)
    valw = max(20, total - namew - 2)
    out = []
    for k, c in enumerate(cells, 1):
        title = f"-[ row {k} ]"
        out.append(title + "-" * max(0, min(total, namew + 2 + valw) - len(title)))
        for h, v in zip(header, c):
            lines = _wrap(v, valw)
            out.append(f"{h.ljust(namew)}  {lines[0]}".rstrip())
            out += [" " * (namew + 2) + x for x in lines[1:]]
    return "\n".join(out) + "\n"


def _fit(natural: list[int], floor: list[int], avail: int) -> list[int]:
    """Column widths that fit ``avail`` (``sum(floor) <= avail``): every column gets its
    floor; the room left goes to the columns that still need more, the narrowest need first."""
    if sum(natural) <= avail:
        return list(natural)
    widths = list(floor)
    left = avail - sum(widths)
    todo = sorted((i for i in range(len(natural)) if natural[i] > widths[i]),
                  key=lambda i: natural[i] - widths[i])
    while todo and left > 0:
        share = left // len(todo)
        i = todo[0]
        need = natural[i] - widths[i]
        if need <= share:
            widths[i] += need
            left -= need
            todo.pop(0)
        else:
            for i in todo:
                widths[i] += share
            left -= share * len(todo)
            break
    return widths


def _wrap(text: str, width: int) -> list[str]:
    if not text:
        return [""]
    lines: list[str] = []
    for para in text.split("\n"):
        lines += textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=False) or [""]
    return lines


def to_turtle(triples: Iterable[tuple]) -> str:
    """Triples as Turtle with the project's prefixes, sorted (deterministic output)."""
    import pyoxigraph as ox

    from educluster.query.prefixes import query_prefixes

    PREFIXES = query_prefixes()
    ts = sorted({tuple(nt(x) for x in t): t for t in triples}.items())
    iris = {x[1] for _, t in ts for x in t if x is not None and x[0] == "uri"}
    iris |= {x[2] for _, t in ts for x in t if x is not None and x[0] == "literal"}
    # only the prefixes in use, and only where the local names need no escaping
    # (id: would print id:definition\/..., so knowledge-base IRIs stay whole)
    used = {p: ns for p, ns in PREFIXES.items()
            if any(i.startswith(ns) for i in iris)
            and all(_CLEAN_LOCAL.match(i[len(ns):]) for i in iris if i.startswith(ns))}
    data = ox.serialize([ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
                         for _, (s, p, o) in ts], format=ox.RdfFormat.TURTLE, prefixes=used)
    return data.decode("utf-8")


_CLEAN_LOCAL = __import__("re").compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


# --------------------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------------------

def canonical_term(term: Term) -> str:
    """A normal form for comparing results across engines: blank nodes become ``_:b``
    (their labels are arbitrary); numbers compare by value."""
    if term is None:
        return ""
    if term[0] == "bnode":
        return "_:b"
    if term[0] == "literal" and term[2] in NUMERIC_TYPES and not term[3]:
        try:
            v = Decimal(term[1].strip())
            kind = "integer" if term[2] in INTEGER_TYPES else term[2].rsplit("#", 1)[1]
            if kind == "float":
                kind = "double"
            return f"{kind}:{v.normalize() if v else Decimal(0)}"
        except InvalidOperation:
            pass
    return nt(term)


def canonical_rows(result: Result) -> list:
    """The result as a sorted multiset of normalised rows (columns in sorted variable order)."""
    if result.kind == "ask":
        return [str(bool(result.boolean)).lower()]
    if result.kind == "graph":
        return sorted("\t".join(canonical_term(x) for x in t) for t in result.triples)
    order = sorted(range(len(result.vars)), key=lambda i: result.vars[i])
    return sorted("\t".join(canonical_term(row[i]) for i in order) for row in result.rows)
