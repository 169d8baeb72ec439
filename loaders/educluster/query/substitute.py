"""Parameters bound into a query sent to an endpoint as checked RDF terms (decision 0026).

Over HTTP a parameter used to travel as a trailing ``VALUES`` clause. Oxigraph joins that
clause after evaluating the whole pattern, so it is not pushed into ``MINUS`` or subqueries:
a question about one cluster computed the answer for every cluster first; Virtuoso 7.2
ignores the clause altogether. :func:`substitute` instead replaces the variable itself by the
term -- the substitution of SEP-0007 that pyoxigraph's embedded ``substitutions`` implement,
so both engines bind alike:

* the query is read token by token (strings, IRIs and comments are skipped whole), and only
  *variable tokens* ``?name``/``$name`` are replaced; the replacement is the term serialised
  by :func:`educluster.query.results.nt` from the term :func:`~educluster.query.sparql.parse_term`
  checked (an IRI without forbidden characters, an escaped literal) -- never the user's text;
* in the query's own ``SELECT`` projection the variable becomes ``(TERM AS ?name)``, so the
  answer keeps its column; in ``GROUP BY`` and ``ORDER BY`` it becomes ``(TERM)``; elsewhere
  ``TERM``;
* a nested ``SELECT`` has its own variables (decision 0026, scoping): inside a subquery that
  does not project ``?name``, ``?name`` is another variable and is left alone; inside one that
  projects it, it is the same variable and is replaced, and the subquery no longer projects it
  (the outer query has the term in its place); a projection left empty by that projects a
  constant under a fresh name instead, which keeps the subquery's number of rows;
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
    toks = list(tokens(text))
    out, last = [], 0
    depth = parens = 0          # brace depth; parenthesis depth inside a projection
    scopes = [(-1, set(terms))]  # (depth of the subquery's brace, names that are the outer ones)
    region = "body"             # body | projection | group
    top = False                 # the projection being read is the query's own
    pending = None              # "GROUP"/"ORDER" waiting for BY
    kept = 0                    # variables left in the projection being read
    dropped = False             # a projected variable was dropped from it
    for i, (start, end, kind) in enumerate(toks):
        if kind == "word":
            w = text[start:end].upper()
            if w == "SELECT":
                top, parens, kept, dropped = depth == 0, 0, 0, False
                if not top:
                    proj = _projected(text, toks, i)
                    names = scopes[-1][1]
                    scopes.append((depth, names if proj is None else names & proj))
                region = "projection"
            elif region == "projection" and w in _STOP:
                last = _close(out, text, last, start, top, kept, dropped)
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
        if kind in "()":
            if region == "projection" and parens == 0:
                kept += 1       # an (expression AS ?alias)
            parens += 1 if kind == "(" else -1
            continue
        if kind in "{}":
            if region == "projection":
                last = _close(out, text, last, start, top, kept, dropped)
            region = "body"
            if kind == "{":
                depth += 1
            else:
                depth -= 1
                while len(scopes) > 1 and depth < scopes[-1][0]:
                    scopes.pop()
            continue
        name = text[start + 1:end]
        if region == "projection" and parens == 0:
            kept += 1
        if name not in terms or name not in scopes[-1][1]:
            continue
        t = terms[name]
        if region == "projection" and parens == 0:
            kept -= 1
            if top:
                rep = f"({t} AS ?{name})"
                kept += 1
            else:
                rep, dropped = "", True
        elif region == "group" and parens == 0:
            rep = f"({t})"
        else:
            rep = t
        out.append(text[last:start])
        out.append(rep)
        last = end
    out.append(text[last:])
    result = "".join(out)
    from educluster.query.sparql import _oxigraph_check

    kind, _error = _oxigraph_check(result)
    return result if kind is not None else None


def _projected(text: str, toks: list, i: int) -> set[str] | None:
    """The variables the ``SELECT`` at token ``i`` projects (bare variables and ``AS``
    aliases, up to its ``WHERE`` or ``{``), or ``None`` for ``SELECT *`` (all in scope)."""
    names, parens, stop = set(), 0, len(text)
    for start, end, kind in toks[i + 1:]:
        if kind in "{}" or (kind == "word" and text[start:end].upper() in _STOP):
            stop = start
            break
        if kind in "()":
            parens += 1 if kind == "(" else -1
        elif kind == "var" and (parens == 0 or
                                text[max(0, start - 8):start].rstrip().upper().endswith("AS")):
            names.add(text[start + 1:end])
    if re.fullmatch(r"\s*(?:DISTINCT|REDUCED)?\s*\*\s*", text[toks[i][1]:stop], re.I):
        return None
    return names


def _fresh(text: str) -> str:
    """A variable name that ``text`` does not use."""
    n = 0
    while f"?_bound{n}" in text or f"$_bound{n}" in text:
        n += 1
    return f"?_bound{n}"


def _close(out: list, text: str, last: int, at: int, top: bool, kept: int, dropped: bool) -> int:
    """End of a projection at ``at``: a subquery's projection whose every variable was
    substituted projects ``(1 AS ?_boundN)`` instead (``SELECT DISTINCT WHERE`` does not
    parse); that keeps its number of rows and brings no variable of the query into scope.
    Returns the new end of the copied text."""
    if top or kept or not dropped:
        return last
    out.append(text[last:at])
    out.append(f"(1 AS {_fresh(text)}) ")
    return at
