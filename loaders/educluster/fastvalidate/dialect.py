"""Compiled queries in a form a store with a weaker SPARQL dialect answers as SPARQL 1.1 does.

Virtuoso 7.2 answers ``*``/``+`` property paths by its query plan, not by the specification
(rows lost inside ``NOT EXISTS`` and ``MINUS``, decision 0024), and matches regular expressions
on UTF-8 bytes (``"é"`` does not match ``^.$``; ``\\u`` escapes are refused). Which store needs
what is decided by probes (:mod:`educluster.validate.in_store`), never by its name. For such a
store (:class:`Plain`):

* every ``S p1/.../pk* O`` or ``S ... pk+ O`` triple pattern (``pk`` an IRI; the steps before
  it IRIs or inverse IRIs) loses its path: the steps before become triple patterns through
  fresh variables, and the closure of ``pk`` is computed here, from the ``pk`` triples the
  store holds (one path-free query per predicate, cached), and sent as a ``VALUES`` table --
  the set of nodes reaching a constant end, or the pairs when both ends are variables (the
  zero-length pairs then cover the nodes of ``pk`` triples and the objects of ``rdf:type``, the
  nodes such a pattern meets in our shapes);
* a pattern the expansion does not recognise, a ``REGEX``/``REPLACE`` whose pattern may
  match differently on bytes, or a closure of more than :data:`MAX_PAIRS` pairs raises
  :class:`NotHere`: the shape is then run on a local copy (:class:`LocalCopy`) or named as not
  checked, never answered differently.
"""

from __future__ import annotations

import re
import threading

from educluster.fastvalidate.rewrite import tokens

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAX_PAIRS = 50000


class NotHere(ValueError):
    """A query this store cannot be trusted to answer as SPARQL 1.1 does."""


_STEP = re.compile(r"\s*(\^?)\s*(<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*|a\b)\s*")


def prefixes(toks) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations of a query: {"p:": iri}."""
    out = {}
    for i, t in enumerate(toks[:-2]):
        if t[0] == "other" and t[1].upper() == "PREFIX" and toks[i + 2][0] == "iri":
            out[toks[i + 1][1]] = toks[i + 2][1][1:-1]
    return out


def _iri(name: str, pref: dict) -> str | None:
    if name == "a":
        return RDF_TYPE
    if name.startswith("<"):
        return name[1:-1]
    p, _, local = name.partition(":")
    base = pref.get(p + ":")
    return None if base is None else base + local


def parse_path(text: str, pref: dict):
    """``(steps, last, mod)`` of a path ``s1/.../sk*`` (``mod`` ``*`` or ``+``), each step
    ``(inverse, iri)``; None if the path has another form (alternatives, groups, ``?``)."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if not text or text[-1] not in "*+":
        return None
    mod, body = text[-1], text[:-1].strip()
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
    steps = []
    for part in re.split(r"/(?![^<>]*>)", body):
        m = _STEP.fullmatch(part)
        if m is None:
            return None
        iri = _iri(m.group(2), pref)
        if iri is None:
            return None
        steps.append((bool(m.group(1)), iri))
    inverse, last = steps.pop()
    if inverse:
        return None
    return steps, last, mod


class Plain:
    """Path expansion and regular-expression guard for one store (closures cached)."""

    def __init__(self, fetch_pairs, regex_bytes: bool = True):
        #: ``fetch_pairs(iri) -> [(s, o)]``: the store's triples of one predicate, as SPARQL
        #: term texts, asked without a path
        self.fetch_pairs = fetch_pairs
        self.regex_bytes = regex_bytes
        self._pairs: dict[str, list] = {}
        self._closures: dict = {}
        self._lock = threading.Lock()
        self._fresh = 0

    def pairs(self, iri: str) -> list:
        with self._lock:
            if iri not in self._pairs:
                self._pairs[iri] = self.fetch_pairs(iri)
            return self._pairs[iri]

    def closure(self, iri: str, star: bool) -> set:
        """``{(a, b)}``: ``a iri+ b`` (``a iri* b`` when ``star``); computed once."""
        key = (iri, star)
        if key not in self._closures:
            self._closures[key] = frozenset(self._closure(iri, star))
        return set(self._closures[key])

    def _closure(self, iri: str, star: bool) -> set:
        succ: dict = {}
        for a, b in self.pairs(iri):
            succ.setdefault(a, set()).add(b)
        nodes = set(succ) | {b for bs in succ.values() for b in bs}
        if star and iri == "http://www.w3.org/2000/01/rdf-schema#subClassOf":
            nodes |= {o for _, o in self.pairs(RDF_TYPE)}
        out = set()
        for a in list(succ):
            seen, todo = set(), list(succ[a])
            while todo:
                b = todo.pop()
                if b in seen:
                    continue
                seen.add(b)
                todo.extend(succ.get(b, ()))
            out |= {(a, b) for b in seen}
        if star:
            out |= {(n, n) for n in nodes}
        if len(out) > MAX_PAIRS:
            raise NotHere(f"the closure of <{iri}> has more than {MAX_PAIRS} pairs")
        return out

    def fresh(self) -> str:
        with self._lock:
            self._fresh += 1
            return f"?__pe{self._fresh}"

    def translate(self, text: str) -> str:
        """``text`` without ``*``/``+`` paths; :class:`NotHere` if that cannot be done."""
        toks = tokens(text)
        edits = check_regex(toks) if self.regex_bytes else []
        pref = prefixes(toks)
        i = 0
        while i < len(toks):
            t = toks[i]
            if not _path_like(t) or t[1] in ("*", "+") and (
                    i == 0 or (toks[i - 1][0] != "iri" and toks[i - 1][1] != ")")):
                i += 1          # SELECT *, COUNT(*), ?a + 1: not a path
                continue
            # the statement around the path: S PATH O (.|}) with S at a statement start
            s_i = _path_start(toks, i)
            o_i = None if s_i is None else _object_index(toks, i)
            if s_i is None or o_i is None:
                raise NotHere("a property path with * or + in a form this store's rewrite "
                              "does not handle")
            path_text = text[toks[s_i][2]:toks[o_i][2]]
            parsed = parse_path(path_text, pref)
            end = toks[o_i + 1] if o_i + 1 < len(toks) else None
            if parsed is None or end is None or end[1] not in (".", "}"):
                raise NotHere("a property path with * or + in a form this store's rewrite "
                              "does not handle")
            subj, obj = toks[s_i - 1][1], toks[o_i][1]
            repl = self._expand(subj, parsed, obj, pref, _set_semantics(toks, s_i))
            stop = toks[o_i + 1][3] if end[1] == "." else toks[o_i][3]
            edits.append((toks[s_i - 1][2], stop, repl))
            i = o_i + 1
        for a, b, r in sorted(edits, reverse=True):
            if text[a] == '"' or text[a] == "'":       # a regular expression's literal
                text = text[:a] + r + text[b:]
            else:
                text = text[:a] + r + (" . " if text[b - 1:b] == "." else " ") + text[b:]
        return text

    def _expand(self, subj: str, parsed, obj: str, pref: dict, as_set: bool) -> str:
        steps, last, mod = parsed
        parts = []
        cur = subj
        for inverse, iri in steps:
            nxt = self.fresh()
            parts.append(f"{nxt} <{iri}> {cur} ." if inverse else f"{cur} <{iri}> {nxt} .")
            cur = nxt
        a_var, b_var = cur.startswith(("?", "$")), obj.startswith(("?", "$"))
        a_term = cur if a_var else _term(cur, pref)
        b_term = obj if b_var else _term(obj, pref)
        pairs = self.closure(last, mod == "*")
        if mod == "*" and not a_var and not b_var:
            pairs.add((a_term, a_term))
        if not a_var and not b_var:
            parts.append("" if (a_term, b_term) in pairs or (mod == "*" and a_term == b_term)
                         else "FILTER(false)")
        elif a_var != b_var:
            var, const = (cur, b_term) if a_var else (obj, a_term)
            nodes = {x for x, y in pairs if y == const} if a_var else \
                {y for x, y in pairs if x == const}
            if mod == "*":
                nodes.add(const)
            if not (a_var and steps):
                # not bound by a step: any node of the graph (the zero-length path's domain),
                # repeated once per triple: only where repetitions do not count
                if not as_set:
                    raise NotHere("a * or + path from a variable where repeated rows count")
                p, o, s2, q = self.fresh(), self.fresh(), self.fresh(), self.fresh()
                parts.append(f"{{ {var} {p} {o} }} UNION {{ {s2} {q} {var} }}")
            # Virtuoso refuses VALUES inside NOT EXISTS and MINUS: a FILTER on a bound variable
            parts.append(f"FILTER({var} IN ({', '.join(sorted(nodes))}))" if nodes
                         else "FILTER(false)")
        elif cur == obj:
            nodes = {a for a, b in pairs if a == b}
            parts.append(f"FILTER({cur} IN ({', '.join(sorted(nodes))}))" if nodes
                         else "FILTER(false)")
        else:
            rows = " ".join(f"({a} {b})" for a, b in sorted(pairs))
            parts.append(f"VALUES ({cur} {obj}) {{ {rows} }}")
        return " ".join(p for p in parts if p)


def _set_semantics(toks, i) -> bool:
    """Whether repeating the rows of the group holding ``toks[i]`` changes nothing: the
    group is inside ``NOT EXISTS`` or ``MINUS``, or the query is one ``SELECT DISTINCT``
    without aggregates."""
    depth = 0
    for j in range(i - 1, -1, -1):
        t = toks[j]
        if t[1] == "}":
            depth += 1
        elif t[1] == "{":
            if depth:
                depth -= 1
            elif j > 0 and toks[j - 1][0] == "other" and toks[j - 1][1].upper() in ("EXISTS",
                                                                                      "MINUS"):
                return True
    selects = [j for j, t in enumerate(toks) if t[0] == "other" and t[1].upper() == "SELECT"]
    words = {t[1].upper().split("(")[0] for t in toks if t[0] == "other"}
    return (len(selects) == 1 and selects[0] + 1 < len(toks)
            and toks[selects[0] + 1][1].upper() == "DISTINCT"
            and not words & {"GROUP", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE",
                             "GROUP_CONCAT", "HAVING"})


def _term(tok: str, pref: dict) -> str:
    if tok.startswith("<"):
        return tok
    iri = _iri(tok, pref)
    if iri is None:
        raise NotHere(f"cannot read {tok!r} in a path pattern")
    return f"<{iri}>"


def _path_like(t) -> bool:
    """A token ending a ``*``/``+`` path: ``p*``, ``a/b+``, or a lone ``*``/``+``."""
    return t[0] == "other" and (t[1].endswith(("*", "+")) and not t[1].startswith(("?", "$"))
                                and t[1] not in ("*", "+") or t[1] in ("*", "+"))


def _path_start(toks, i):
    """Index of the first token of the path whose last token is ``toks[i]`` (the token before
    it is the subject, which starts a statement), or None."""
    j = i
    while j > 0:
        prev = toks[j - 1]
        if prev[0] == "var" or prev[1] in ("{", ".", "}", ";", ",") or prev[0] == "str" or (
                prev[0] == "other" and prev[1].upper() in ("WHERE", "UNION", "MINUS", "OPTIONAL",
                                                           "EXISTS", "FILTER", "GRAPH")):
            break
        j -= 1
    if j == 0:
        return None
    if toks[j - 1][0] != "var":
        if toks[j - 1][1] not in ("{", ".", "}"):
            return None
        j += 1              # a constant subject: the path starts after it
        if j > i or toks[j - 1][0] not in ("iri", "other"):
            return None
    subj = j - 1
    if subj == 0 or toks[subj - 1][1] not in ("{", ".", "}", ")"):
        return None
    return j


def _object_index(toks, i):
    """Index of the object after the path whose ``*``/``+`` is ``toks[i]`` (after the
    parentheses that close there), or None."""
    j = i + 1
    while j < len(toks) and toks[j][1] == ")":
        j += 1
    if j >= len(toks) or toks[j][0] not in ("var", "iri", "other") or toks[j][1] in ("*", "+"):
        return None
    return j


_REGEX_CALL = re.compile(r"(?i)(?:^|[^A-Za-z0-9_:])(REGEX|REPLACE)$")   # also "!REGEX"


def check_regex(toks) -> list[tuple[int, int, str]]:
    """Raise :class:`NotHere` for a ``REGEX``/``REPLACE`` whose pattern may match differently
    on UTF-8 bytes than on characters (see :func:`byte_safe`) or has flag ``i``; else the
    edits ``(start, end, literal)`` that write each end-of-text ``$`` as ``\\z`` (PCRE's ``$``
    also matches before a final line break; XPath's does not)."""
    edits = []
    for i, t in enumerate(toks):
        call = _REGEX_CALL.search(t[1]) if t[0] == "other" else None
        if call is None:
            continue
        # the pattern: the first string literal after the first top-level comma
        depth, j, commas = 0, i + 1, 0
        pattern = None
        flags = None
        while j < len(toks):
            u = toks[j]
            if u[1] == "(":
                depth += 1
            elif u[1] == ")":
                depth -= 1
                if depth == 0:
                    break
            elif u[1] == "," and depth == 1:
                commas += 1
            elif u[0] == "str" and depth == 1:
                if commas == 1 and pattern is None:
                    pattern = u
                elif commas >= 2 and flags is None and call.group(1).upper() == "REGEX":
                    flags = u[1]
            j += 1
        if pattern is None or not byte_safe(_unquote(pattern[1])) or (flags and "i" in flags.lower()):
            raise NotHere("a regular expression that may match differently on bytes")
        lit = _dollar_to_z(pattern[1])
        if lit != pattern[1]:
            edits.append((pattern[2], pattern[3], lit))
    return edits


def _dollar_to_z(lit: str) -> str:
    """A SPARQL string literal holding a pattern, with each ``$`` outside a class and not
    escaped written as ``\\z`` (in the literal: ``\\\\z``)."""
    out, i, in_class = [], 0, False
    while i < len(lit):
        c = lit[i]
        if c == "\\":
            out.append(lit[i:i + 2])
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "$" and not in_class:
            out.append("\\\\z")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _unquote(lit: str) -> str:
    q = 3 if lit[:3] in ('"""', "'''") else 1
    return lit[q:-q].replace("\\\\", "\\")


def byte_safe(p: str) -> bool:
    """Whether regular expression ``p`` matches the same on characters and on UTF-8 bytes:
    ASCII only; no class escapes (``\\s``, ``\\d``, ``\\w``, ``\\u`` ... differ); an atom that
    can match a non-ASCII character (``.``, a negated class) only before ``*`` or ``+``, where
    one character or its bytes are matched alike. ASCII literals and positive ASCII classes
    never match a byte of a multi-byte character, so any quantifier may follow them."""
    if not p.isascii():
        return False
    i = 0
    while i < len(p):
        c = p[i]
        wide = False
        if c == "\\":
            if i + 1 >= len(p) or p[i + 1].isalnum():
                return False
            i += 2
        elif c == "[":
            j = i + 1
            wide = j < len(p) and p[j] == "^"
            j += 1 if wide else 0
            if j < len(p) and p[j] == "]":
                j += 1
            while j < len(p) and p[j] != "]":
                if p[j] == "\\":
                    if j + 1 >= len(p) or p[j + 1].isalnum():
                        return False
                    j += 1
                j += 1
            if j >= len(p):
                return False
            i = j + 1
        elif c == "{":
            j = p.find("}", i)
            if j < 0 or not re.fullmatch(r"\d+(,\d*)?", p[i + 1:j]):
                return False
            i = j + 1
        else:
            wide = c == "."
            i += 1
        if wide and (i >= len(p) or p[i] not in "*+"):
            return False
    return True


def reads_any_predicate(toks) -> bool:
    """Whether a triple pattern has a variable predicate (``?s ?p ?o .``)."""
    for i in range(len(toks) - 3):
        a, b, c, d = toks[i:i + 4]
        if a[0] == "var" and b[0] == "var" and c[0] in ("var", "iri", "str", "other") \
                and d[1] in (".", ";", "}") and (i == 0 or toks[i - 1][1] in ("{", ".", "}", ")")):
            return True
    return False
