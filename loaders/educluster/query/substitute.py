"""Parameters bound into a query sent to an endpoint as checked RDF terms (decision 0026).

Over HTTP a parameter used to travel as a trailing ``VALUES`` clause. Oxigraph joins that
clause after evaluating the whole pattern, so it is not pushed into ``MINUS`` or subqueries:
a question about one cluster computed the answer for every cluster first. :func:`substitute`
instead replaces the variable itself by the term -- the substitution of SEP-0007 that
pyoxigraph's embedded ``substitutions`` implement, so both engines bind alike:

* the query is read token by token (strings, IRIs and comments are skipped whole), and only
  *variable tokens* ``?name``/``$name`` are replaced; the replacement is the term serialised
  by :func:`educluster.query.results.nt` from the term :func:`~educluster.query.sparql.parse_term`
  checked (an IRI without forbidden characters, an escaped literal) -- never the user's text;
* in a ``SELECT`` projection the variable becomes ``(TERM AS ?name)``, so the answer keeps
  its column; in ``GROUP BY`` and ``ORDER BY`` it becomes ``(TERM)``; elsewhere ``TERM``;
* a nested ``SELECT`` has its own variables: unless each subquery projects the variable (or
  ``*``), the inner one may be another variable of the same name, and ``None`` is returned;
* the result must parse (Oxigraph's parser); if it does not (the variable is assigned by
  ``BIND ... AS`` or a projection alias, or the query is ``SELECT *``), ``None`` is returned
  and the caller falls back to the ``VALUES`` clause.
"""

from __future__ import annotations

import re

from educluster.sparqltext import tokens

_STOP = {"WHERE", "FROM"}
_CLAUSE_END = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP"}


def substitute(text: str, bindings: dict[str, tuple]) -> str | None:
    """``text`` with each bound variable replaced by its term (see the module), or ``None``
    when the result would not be the same query (it does not parse)."""
    from educluster.query import results as R

    if not bindings:
        return text
    terms = {name: R.nt(term) for name, term in bindings.items()}
    if not _subqueries_project(text, terms):
        return None
    out, last = [], 0
    region = "body"             # body | projection | group
    pending = None              # "GROUP"/"ORDER" waiting for BY
    for start, end, kind in tokens(text):
        if kind == "word":
            w = text[start:end].upper()
            if w == "SELECT":
                region = "projection"
            elif region == "projection" and w in _STOP:
                region = "body"
            elif w in ("GROUP", "ORDER"):
                pending = w
                continue
            elif w == "BY" and pending:
                region = "group"
            elif region == "group" and w in _CLAUSE_END:
                region = "body"
            pending = None
            continue
        pending = None
        if kind in "{}":
            region = "body"
            continue
        name = text[start + 1:end]
        if name not in terms:
            continue
        t = terms[name]
        rep = f"({t} AS ?{name})" if region == "projection" else (
            f"({t})" if region == "group" else t)
        out.append(text[last:start])
        out.append(rep)
        last = end
    out.append(text[last:])
    result = "".join(out)
    from educluster.query.sparql import _oxigraph_check

    kind, _error = _oxigraph_check(result)
    return result if kind is not None else None


def _subqueries_project(text: str, names) -> bool:
    """Whether every SELECT after the first projects each of ``names`` (or ``*``)."""
    selects = []
    start = None
    for s, e, kind in tokens(text):
        if kind == "word" and text[s:e].upper() == "SELECT":
            start = e
        elif start is not None and (kind == "{" or (kind == "word"
                                                    and text[s:e].upper() in _STOP)):
            selects.append(text[start:s])
            start = None
    for proj in selects[1:]:
        if "*" in proj:
            continue
        if any(not re.search(r"[?$]" + re.escape(n) + r"(?![A-Za-z0-9_])", proj) for n in names):
            return False
    return True
