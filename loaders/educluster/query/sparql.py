"""Reading a query before it runs: parse, classify, refuse updates, bind parameters.

:func:`prepare` parses the text with rdflib's SPARQL 1.1 grammar (a real parse, not a
pattern on the text):

* a query parses: its form (SELECT, ASK, CONSTRUCT, DESCRIBE) decides the output;
* it does not, but parses as an **update** (INSERT, DELETE, LOAD, CLEAR, ...): refused,
  ``query`` is read-only;
* neither: a syntax error, reported at its line and column (Oxigraph's parser gives the
  more precise position, so its message is used where it has one).

The project's prefixes (``ec:``, ``id:``, ``skos:``, ... see ``educluster.kb.PREFIXES``)
and one per kind of knowledge-base item (``person:``, ``principle:``, ... see
:mod:`educluster.query.prefixes`) are declared in front of every query, so ad-hoc text needs no PREFIX lines; a query's
own ``PREFIX`` declarations come later and win.

**Parameters** (``--param name=value``) become RDF terms (:func:`parse_term`) and are
passed to the engine as bindings -- pyoxigraph's ``substitutions``, rdflib's
``initBindings`` -- or, for a remote endpoint, as a trailing ``VALUES`` clause built from
the serialised terms (:func:`values_clause`), the standard way to bind over the SPARQL
protocol. The user's value is never pasted into the query text. For a SELECT query a
parameter must be one of the result variables, so that every way of binding gives the
same answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from educluster.errors import UserError
from educluster.i18n import _
from educluster.query import results as R

KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct",
         "DescribeQuery": "describe"}

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class Prepared:
    """A query ready to run."""

    text: str                      # what the engine runs: project prefixes + the user's text
    user_text: str                 # the query as given
    kind: str                      # select | ask | construct | describe
    bindings: dict[str, tuple] = field(default_factory=dict)  # variable name -> term
    source: Path | None = None     # the .rq file, if the query came from one
    has_values_clause: bool = False
    result_vars: list[str] | None = None  # SELECT: the projected variables (None: unknown)
    max_rows: int | None = None    # refuse answers with more rows/triples than this (None: no cap)


def prologue() -> str:
    """The project's PREFIX declarations, on one line."""
    from educluster.query.prefixes import query_prefixes

    return " ".join(f"PREFIX {p}: <{ns}>" for p, ns in query_prefixes().items())


def _variables(node, out: set[str]) -> None:
    import rdflib

    if isinstance(node, rdflib.Variable):
        out.add(str(node))
        return
    if isinstance(node, (str, bytes)):
        return
    if isinstance(node, dict):
        for v in node.values():
            _variables(v, out)
        return
    try:
        it = iter(node)
    except TypeError:
        return
    for v in it:
        _variables(v, out)


def _oxigraph_check(text: str) -> tuple[str | None, tuple[int | None, int | None, str] | None]:
    """Oxigraph's verdict on ``text``: ``(kind, None)`` if it is a valid query, ``(None,
    (line, column, message))`` if not. The query is parsed and started on an empty store,
    never iterated."""
    import pyoxigraph as ox

    from educluster.query.prefixes import query_prefixes

    try:
        res = ox.Store().query(text, prefixes=query_prefixes())
    except SyntaxError as exc:
        msg = " ".join(str(exc).split())
        m = re.match(r"error at (\d+):(\d+): (.*)", msg)
        if m:
            return None, (int(m.group(1)), int(m.group(2)), m.group(3))
        return None, (None, None, msg)
    except Exception:  # noqa: BLE001 - parsed, but failed when starting: not a syntax error
        return "select", None
    if isinstance(res, ox.QueryBoolean):
        return "ask", None
    if isinstance(res, ox.QueryTriples):
        return "construct", None
    return "select", None


def _clamp(text: str, line: int, col: int, msg: str) -> tuple[int, int, str]:
    """Oxigraph reports the furthest point its parser reached; when that is past the last
    character of the query (an unclosed brace or parenthesis), point at the last character."""
    lines = text.splitlines() or [""]
    last = max((i for i, s in enumerate(lines) if s.strip()), default=0)
    end = (last + 1, len(lines[last].rstrip()))
    if (line, col) > end:
        return end[0], max(1, end[1]), msg
    return line, col, msg


def _short(msg: str, limit: int = 160) -> str:
    return msg if len(msg) <= limit else msg[:limit - 3].rstrip() + "..."


def prepare(text: str, source: Path | None = None, params: Iterable[str] = (),
            engine: str = "oxigraph", allow_service: bool = False) -> Prepared:
    """Parse and classify ``text``, refuse updates, turn ``params`` ("name=value") into bindings.

    First :func:`educluster.guards.check_sparql` refuses text nested too deeply for the
    parsers' stacks and, unless ``allow_service``, ``SERVICE`` calls (outbound requests).
    Oxigraph's parser runs first (it is fast and loads no other library); rdflib's grammar
    is consulted when Oxigraph rejects the text (is it an update?), when there are
    parameters (which variables does the query have?) and when rdflib will run it.
    """
    from educluster.guards import check_sparql

    check_sparql(text, allow_service, source)
    params = list(params)
    ox_kind, ox_error = _oxigraph_check(text)
    if ox_kind is not None and not params and engine != "rdflib":
        return Prepared(prologue() + "\n" + text, text, ox_kind, source=source)

    from rdflib.plugins.sparql import parser

    parsed = None
    rdflib_error: Exception | None = None
    try:
        parsed = parser.parseQuery(text)
    except Exception as exc:  # noqa: BLE001 - pyparsing's ParseException and a few others
        rdflib_error = exc
    if parsed is None:
        try:
            parser.parseUpdate(text)
        except Exception:  # noqa: BLE001
            pass
        else:
            raise UserError(_("this is a SPARQL update (INSERT, DELETE, LOAD, CLEAR, ...); "
                              "'educluster query' is read-only: use SELECT, ASK, CONSTRUCT or "
                              "DESCRIBE"), file=source)
        if ox_error is not None or engine == "rdflib":
            if ox_error is not None and ox_error[0] is not None:
                line, col, msg = _clamp(text, *ox_error)
            else:
                line = getattr(rdflib_error, "lineno", None)
                col = getattr(rdflib_error, "col", None)
                msg = getattr(rdflib_error, "msg", None) or str(rdflib_error)
            if line is None:
                where = ""
            elif source is not None:
                where = _("column {column}: ").format(column=col)  # the line: file:line prefix
            else:
                where = _("line {line}, column {column}: ").format(line=line, column=col)
            raise UserError(_("SPARQL syntax error at {where}{reason}; fix the query and run "
                              "again").format(where=where, reason=_short(msg)),
                            file=source, line=line)
        # valid for Oxigraph but beyond rdflib's grammar: run it without the checks that
        # need rdflib's parse tree
        prep = Prepared(prologue() + "\n" + text, text, ox_kind or "select", source=source)
        prep.bindings = _bindings(params, None, prep)
        return prep

    prologue_decls, body = parsed[0], parsed[1]
    kind = KINDS.get(body.name, "select")
    declared = {}
    for decl in prologue_decls:
        if getattr(decl, "name", "") == "PrefixDecl":
            prefix = decl["prefix"] if "prefix" in decl else ""
            declared[str(prefix or "")] = str(decl["iri"])
    prep = Prepared(prologue() + "\n" + text, text, kind, source=source,
                    has_values_clause="valuesClause" in body and body["valuesClause"] is not None)
    if kind == "select":
        prep.result_vars = _projection(body)
    variables: set[str] = set()
    _variables(body, variables)
    prep.bindings = _bindings(params, (variables, declared), prep)
    return prep


def _projection(body) -> list[str] | None:
    """The SELECT's result variables (None for ``SELECT *``: every in-scope variable)."""
    import rdflib

    # rdflib's CompValue.get(key) returns the key itself when it is absent: use "in"
    if "projection" not in body or not body["projection"]:
        return None
    names = []
    for p in body["projection"]:
        for key in ("var", "evar"):
            if key in p and isinstance(p[key], rdflib.Variable):
                names.append(str(p[key]))
    return names


def _bindings(params: Iterable[str], scope, prep: Prepared) -> dict[str, tuple]:
    from educluster.query.prefixes import query_prefixes

    out: dict[str, tuple] = {}
    for raw in params:
        name, sep, value = raw.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _NAME.match(name):
            raise UserError(_("--param {value}: write it as NAME=VALUE, for example "
                              "--param concept=ec:EducationalCluster").format(value=repr(raw)),
                            file=prep.source)
        prefixes = query_prefixes()
        if scope is not None:
            variables, declared = scope
            if name not in variables:
                known = ", ".join("?" + v for v in sorted(variables)) or _("none")
                raise UserError(_("--param {name}: the query has no variable ?{name} (its "
                                  "variables: {known})").format(name=name, known=known),
                                file=prep.source)
            prefixes.update(declared)
            if prep.kind == "select" and prep.result_vars is not None \
                    and name not in prep.result_vars:
                raise UserError(_("--param {name}: ?{name} is not one of the query's result "
                                  "variables; a parameter must be selected so that it binds the "
                                  "same way on every engine and endpoint").format(name=name),
                                file=prep.source)
        if name in out:
            raise UserError(_("--param {name} is given twice").format(name=name),
                            file=prep.source)
        out[name] = parse_term(value, prefixes, name)
    return out


_LANG = re.compile(r"^@([A-Za-z]+(?:-[A-Za-z0-9]+)*)$")
_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?\d*\.\d+$")
_DBL = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
_PNAME = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*)?:(\S*)$")
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESC = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def parse_term(value: str, prefixes: dict[str, str], name: str = "param") -> tuple:
    """An RDF term from its written form on the command line.

    ``<iri>``; ``prefix:local`` with a known prefix; ``"text"``, ``"text"@lang``,
    ``"text"^^datatype``; ``42``, ``4.2``, ``4.2e1``, ``true``, ``false``; anything else is a
    plain string (so ``--param label=cluster`` means the string "cluster").
    """
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        iri = v[1:-1]
        if not iri or _BAD_IRI.search(iri) or ":" not in iri:
            raise UserError(_("--param {name}: {value} is not an absolute IRI").format(
                name=name, value=repr(value)))
        return R.uri(iri)
    if v.startswith('"') or v.startswith("'"):
        return _parse_literal(v, prefixes, name, value)
    if v in ("true", "false"):
        return R.literal(v, R.XSD + "boolean")
    if _INT.match(v):
        return R.literal(v, R.XSD + "integer")
    if _DEC.match(v):
        return R.literal(v, R.XSD + "decimal")
    if _DBL.match(v):
        return R.literal(v, R.XSD + "double")
    m = _PNAME.match(v)
    if m and (m.group(1) or "") in prefixes:
        iri = prefixes[m.group(1) or ""] + m.group(2)
        if _BAD_IRI.search(iri):
            raise UserError(_("--param {name}: {value} does not make a valid IRI").format(
                name=name, value=repr(value)))
        return R.uri(iri)
    return R.literal(value)


def _parse_literal(v: str, prefixes: dict[str, str], name: str, raw: str) -> tuple:
    q = v[0]
    i, chars = 1, []
    while i < len(v):
        c = v[i]
        if c == "\\" and i + 1 < len(v):
            nxt = v[i + 1]
            if nxt in _ESC:
                chars.append(_ESC[nxt])
                i += 2
                continue
            if nxt in "uU":
                n = 4 if nxt == "u" else 8
                hexa = v[i + 2:i + 2 + n]
                if len(hexa) == n and all(h in "0123456789abcdefABCDEF" for h in hexa):
                    chars.append(chr(int(hexa, 16)))
                    i += 2 + n
                    continue
            raise UserError(_("--param {name}: bad escape in {value}").format(
                name=name, value=repr(raw)))
        if c == q:
            break
        chars.append(c)
        i += 1
    else:
        raise UserError(_("--param {name}: the literal {value} has no closing {quote}").format(
            name=name, value=repr(raw), quote=q))
    text, rest = "".join(chars), v[i + 1:]
    if not rest:
        return R.literal(text)
    m = _LANG.match(rest)
    if m:
        return R.literal(text, lang=m.group(1))
    if rest.startswith("^^"):
        dt = parse_term(rest[2:], prefixes, name)
        if dt[0] != "uri":
            raise UserError(_("--param {name}: the datatype in {value} must be an IRI or "
                              "prefix:name").format(name=name, value=repr(raw)))
        return R.literal(text, dt[1])
    raise UserError(_("--param {name}: cannot read {value}; write \"text\", \"text\"@en or "
                      "\"text\"^^xsd:type").format(name=name, value=repr(raw)))


def values_clause(bindings: dict[str, tuple]) -> str:
    """A trailing ``VALUES`` clause binding each variable to its (serialised) term."""
    names = sorted(bindings)
    return ("VALUES (" + " ".join("?" + n for n in names) + ") { ("
            + " ".join(R.nt(bindings[n]) for n in names) + ") }")
