"""One safe rewrite of SPARQL constraint queries: ``FILTER NOT EXISTS`` -> ``MINUS``.

Oxigraph evaluates ``FILTER NOT EXISTS { P }`` once per solution (about 0.1 ms each: 10 s
for the 96 thousand (link, participant) pairs of the 1-million-triple set), and ``MINUS
{ P }`` as one anti-join (0.8 s). The two are equivalent when

1. ``P`` is a plain group -- triple patterns (property paths allowed, no ``[ ]``, ``( )``
   collections, nested groups, ``OPTIONAL``, ``BIND``, ``VALUES``, subqueries) and
   ``FILTER``s that use only variables of those triple patterns -- or a ``UNION`` of such
   groups, so evaluating ``P`` on its own and keeping the solutions compatible with the
   outer solution is exactly evaluating ``P`` with the outer solution substituted;
2. the ``FILTER NOT EXISTS`` stands directly in the query's outer group, and at least one
   variable of ``P`` (of each branch of a ``UNION``) is bound by a triple pattern of that
   group (or is ``?this``) -- so every outer solution shares a bound variable with ``P``'s
   solutions, which ``MINUS`` needs to remove anything.

A third condition keeps the rewrite fast, not only right: the triple patterns of a group are
joined through variables, and no variable is the object of two of them. Evaluating ``P`` on its own then follows subjects to objects
(stars and chains: about as many solutions as the data it touches), never joins two
patterns on a shared object, which would be a cross product -- "two participants of the
same kind" (``?a rdf:type ?k . ?b rdf:type ?k``) stays a ``FILTER NOT EXISTS``. Anything the small tokenizer below does not
understand is left as it is.
"""

from __future__ import annotations

import itertools
import re

_TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<str>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
            |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<punct>[{}().;,\[\]])
  | (?P<other>[^\s{}().;,\[\]"'<#]+|<=?|[#'"])
''', re.X)

_FORBIDDEN_IN_BLOCK = {"OPTIONAL", "UNION", "MINUS", "BIND", "VALUES", "SELECT", "GRAPH",
                       "SERVICE", "EXISTS", "NOT"}


def tokens(text: str) -> list[tuple[str, str, int, int]]:
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the "other" class matches any leftover char
            raise ValueError(f"cannot tokenize at {pos}")
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append((kind, m.group(), m.start(), m.end()))
        pos = m.end()
    return out


def _is(tok, word: str) -> bool:
    return tok[0] == "other" and tok[1].upper() == word


def _closing(toks: list, i: int, opening: str, closing: str) -> int | None:
    """Index of the token that closes the bracket at ``toks[i]``, or None if it is unclosed."""
    depth = 0
    for k in range(i, len(toks)):
        if toks[k][1] == opening:
            depth += 1
        elif toks[k][1] == closing:
            depth -= 1
            if depth == 0:
                return k
    return None


def _block_vars(block: list) -> set[str] | None:
    """Variables of the triple patterns of a NOT EXISTS block, or None if the block is not
    a plain star of triple patterns with FILTERs over those variables."""
    triples: list = []
    filters: list[list] = []
    i = 0
    while i < len(block):
        t = block[i]
        if _is(t, "FILTER"):
            j = i + 1
            if j < len(block) and block[j][0] == "other" and not block[j][1].startswith(("?", "$")):
                j += 1                      # FILTER regex(...) / FILTER isIRI(...)
            if j >= len(block) or block[j][1] != "(":
                return None
            k = _closing(block, j, "(", ")")
            if k is None:
                return None
            filters.append(block[i:k + 1])
            i = k + 1
            continue
        if t[0] == "other" and t[1].upper() in _FORBIDDEN_IN_BLOCK:
            return None
        if t[1] in "()[]{}":
            return None
        triples.append(t)
        i += 1
    # statements separated by '.': a subject, then predicate-object lists split by ';',
    # objects split by ','; a variable in object position of two patterns is a join hub
    objects: list[str] = []
    patterns: list[set[str]] = []      # the variables of each statement
    stmt: list = []
    for t in triples + [("punct", ".", 0, 0)]:
        if t[1] != ".":
            stmt.append(t)
            continue
        if not stmt:
            continue
        patterns.append({x[1][1:] for x in stmt if x[0] == "var"})
        for seg in _split(stmt[1:], ";"):
            for j, part in enumerate(_split(seg, ",")):
                part = [x for x in part if not x[1].startswith(("@", "^^"))]
                if not part or (j == 0 and len(part) < 2):
                    return None
                objects.append(part[-1][1])
        stmt = []
    ovars = [o for o in objects if o.startswith(("?", "$"))]
    if len(ovars) != len(set(o[1:] for o in ovars)):
        return None
    # statements joined through variables, never a cross product of unrelated patterns
    if patterns:
        reached, todo = set(), [0]
        while todo:
            i = todo.pop()
            if i in reached:
                continue
            reached.add(i)
            todo += [j for j in range(len(patterns)) if j not in reached and patterns[i] & patterns[j]]
        if len(reached) != len(patterns):
            return None
    tvars = {t[1][1:] for t in triples if t[0] == "var"}
    for f in filters:
        if {t[1][1:] for t in f if t[0] == "var"} - tvars:
            return None
    return tvars


def not_exists_to_minus(text: str, always_bound: set[str] = frozenset({"this"})) -> str:
    """``text`` with each safe outer-group ``FILTER NOT EXISTS`` turned into ``MINUS``."""
    try:
        toks = tokens(text)
    except ValueError:  # pragma: no cover
        return text
    # the outer group: from the first '{'
    start = next((i for i, t in enumerate(toks) if t[1] == "{"), None)
    if start is None:
        return text
    depth = 0
    paren = 0
    mandatory = set(always_bound)
    candidates = []           # (index of FILTER, index of '{', index of matching '}')
    i = start
    in_values = False
    while i < len(toks):
        t = toks[i]
        if t[1] == "{":
            if depth == 1 and paren == 0 and i >= 3 and _is(toks[i - 3], "FILTER") \
                    and _is(toks[i - 2], "NOT") and _is(toks[i - 1], "EXISTS"):
                # find the matching brace
                d, k = 0, i
                while k < len(toks):
                    if toks[k][1] == "{":
                        d += 1
                    elif toks[k][1] == "}":
                        d -= 1
                        if d == 0:
                            break
                    k += 1
                candidates.append((i - 3, i, k))
                i = k + 1
                continue
            depth += 1
            in_values = False
        elif t[1] == "}":
            depth -= 1
            if depth == 0:
                break
        elif t[1] == "(":
            paren += 1
        elif t[1] == ")":
            paren -= 1
        elif depth == 1 and paren == 0:
            if _is(t, "VALUES"):
                in_values = True
            elif t[0] == "var" and not in_values:
                mandatory.add(t[1][1:])
            elif t[0] == "other" and t[1].upper() in ("OPTIONAL", "MINUS", "UNION", "GRAPH",
                                                      "SERVICE", "FILTER", "BIND"):
                in_values = False
        i += 1
    out = text
    for f_idx, open_idx, close_idx in reversed(candidates):
        block = toks[open_idx + 1:close_idx]
        branches = _union_branches(block)
        if branches is None:
            continue
        ok = True
        for br in branches:
            bvars = _block_vars(br)
            if not bvars or not (bvars & mandatory):
                ok = False
                break
        if not ok:
            continue
        a, b = toks[f_idx][2], toks[open_idx][2]
        out = out[:a] + "MINUS " + out[b:]
    return out


def _split(toks: list, sep: str) -> list[list]:
    out: list[list] = [[]]
    for t in toks:
        if t[1] == sep:
            out.append([])
        else:
            out[-1].append(t)
    return [p for p in out if p]


def _union_branches(block: list) -> list[list] | None:
    """The branches of ``{ A } UNION { B } ...`` (each without nested groups), the block
    itself if it has no group, or None."""
    if not block or block[0][1] != "{":
        return [block]
    out = []
    i = 0
    while i < len(block):
        if block[i][1] != "{":
            return None
        j = i + 1
        while j < len(block) and block[j][1] not in "{}":
            j += 1
        if j >= len(block) or block[j][1] != "}":
            return None
        out.append(block[i + 1:j])
        i = j + 1
        if i < len(block):
            if not _is(block[i], "UNION"):
                return None
            i += 1
            if i >= len(block):
                return None
    return out


def uncorrelated_not_exists(text: str) -> list[tuple[int, int, str]]:
    """Outer-group ``FILTER NOT EXISTS { P }`` whose ``P`` shares no variable with the rest of
    the query: ``(start, end, P)`` with the character span of the whole filter. Such a filter
    is a constant -- false for every row if ``P`` has a solution, true otherwise -- which one
    ``ASK { P }`` decides; Oxigraph instead evaluated it in full for the row (4 s at a million
    triples for "the data describes a cluster with its core", against 1 ms for the ASK)."""
    try:
        toks = tokens(text)
    except ValueError:  # pragma: no cover
        return []
    start = next((i for i, t in enumerate(toks) if t[1] == "{"), None)
    if start is None:
        return []
    found = []
    depth, i = 0, start
    while i < len(toks):
        t = toks[i]
        if t[1] == "{":
            if depth == 1 and i >= 3 and _is(toks[i - 3], "FILTER") and _is(toks[i - 2], "NOT") \
                    and _is(toks[i - 1], "EXISTS"):
                k = _closing(toks, i, "{", "}")
                if k is None:
                    return []
                found.append((i - 3, i, k))
                i = k + 1
                continue
            depth += 1
        elif t[1] == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    out = []
    for f_idx, open_idx, close_idx in found:
        inside = {t[1][1:] for t in toks[open_idx:close_idx] if t[0] == "var"}
        outside = {t[1][1:] for j, t in enumerate(toks)
                   if t[0] == "var" and not f_idx <= j <= close_idx}
        if inside and not (inside & outside):
            out.append((toks[f_idx][2], toks[close_idx][3],
                        text[toks[open_idx][3]:toks[close_idx][2]]))
    return out


RDF_TYPE_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS_IRI = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_TYPE_SUB = f"<{RDF_TYPE_IRI}>/<{SUBCLASS_IRI}>*"
_SUB = f"<{SUBCLASS_IRI}>*"
_PNAME = re.compile(r"([A-Za-z][\w.-]*)?:([\w-]*(?:\.[\w-]+)*)")


def _prefix_map(toks: list) -> dict[str, str]:
    """``PREFIX p: <ns>`` declarations of the prologue."""
    out = {}
    for i in range(len(toks) - 2):
        if _is(toks[i], "PREFIX") and toks[i + 1][0] == "other" and toks[i + 2][0] == "iri":
            out[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
    return out


def _expand(text: str, prefixes: dict[str, str]) -> str | None:
    """A path or term written with prefixed names (and ``a``) in full-IRI form, or None if a
    prefix is unknown."""
    if text == "a":
        return f"<{RDF_TYPE_IRI}>"
    if text.startswith("a/"):
        text = f"<{RDF_TYPE_IRI}>" + text[1:]
    out, pos = [], 0
    for m in re.finditer(r"<[^>]*>|" + _PNAME.pattern, text):
        out.append(text[pos:m.start()])
        if m.group().startswith("<"):
            out.append(m.group())
        else:
            ns = prefixes.get(m.group(1) or "")
            if ns is None:
                return None
            out.append(f"<{ns}{m.group(2)}>")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def subclass_closures(text: str, closure, type_pairs=None) -> str:
    """``text`` with subclass paths to a fixed class replaced by that class's closure, which
    the engine knows before the query runs (``closure(iri)``: the IRIs of the class and its
    subclasses in the data graph). Oxigraph evaluates ``rdf:type/rdfs:subClassOf*`` by walking
    the class hierarchy for every row (the horizontal-link warning spent most of its second on
    it); a list of classes is an index lookup. Two statement forms, standing alone (no ``;`` or
    ``,`` lists):

    - ``?v rdfs:subClassOf* C`` becomes ``VALUES ?v { closure }``: the path yields each
      subclass once, as the list does;
    - ``S rdf:type/rdfs:subClassOf* C`` becomes ``S rdf:type C`` when C has no subclass (one
      row either way); with subclasses, ``S rdf:type ?t . VALUES ?t { closure }`` only inside
      ``EXISTS``/``NOT EXISTS``/``MINUS`` groups, where how many rows match and the extra
      variable do not matter (elsewhere a node with two such types would give two rows).
    - ``S rdf:type/rdfs:subClassOf* ?k`` (a variable class) becomes ``S rdf:type ?t . VALUES
      (?t ?k) { pairs }`` when ``type_pairs()`` gives the pairs: every (type, class) of the
      data graph with the class reached from an object of ``rdf:type`` by ``rdfs:subClassOf*``,
      each once (SPARQL's sequence path is the join of its steps and ``*`` gives each class
      once, so the rows are the same, as many; Oxigraph and rdflib agree). The count-below-
      listed warning's members by kind took half the time (decision 0035).
    """
    try:
        toks = tokens(text)
    except ValueError:  # pragma: no cover
        return text
    prefixes = _prefix_map(toks)
    start = next((i for i, t in enumerate(toks) if t[1] == "{"), None)
    if start is None:
        return text
    edits = []                      # (start char, end char, replacement)
    stack: list[bool] = []          # per open brace: inside a set-only (EXISTS/MINUS) group
    fresh = itertools.count(1)
    for i in range(start, len(toks)):
        t = toks[i]
        if t[1] == "{":
            stack.append(bool(stack and stack[-1]) or _is(toks[i - 1], "EXISTS")
                         or _is(toks[i - 1], "MINUS"))
            continue
        if t[1] == "}":
            if stack:
                stack.pop()
            continue
        if toks[i - 1][1] not in ("{", "}", "."):
            continue
        # a statement starts here: it ends at '.', '{' or '}'
        j = i
        while j < len(toks) and toks[j][1] not in (".", "{", "}", ";", ",", "(", ")", "[", "]") \
                and not (toks[j][0] == "other" and toks[j][1].upper() in _KEYWORDS):
            j += 1
        if j >= len(toks) or toks[j][1] not in (".", "}") or j - i < 3:
            continue
        subj, obj = toks[i], toks[j - 1]
        pred = _expand("".join(x[1] for x in toks[i + 1:j - 1]), prefixes)
        if pred == _TYPE_SUB and obj[0] == "var" and subj[0] in ("var", "iri", "other") \
                and type_pairs is not None:
            pairs = type_pairs()
            if pairs is not None:
                v = f"?__sup{next(fresh)}"
                edits.append((subj[2], obj[3], f"{subj[1]} <{RDF_TYPE_IRI}> {v} . "
                                               f"VALUES ({v} {obj[1]}) {{ {pairs} }}"))
            continue
        o = _expand(obj[1], prefixes) if obj[0] in ("iri", "other") else None
        if pred is None or o is None or not (o.startswith("<") and o.endswith(">")) \
                or o.count("<") != 1:
            continue
        if pred == _SUB and subj[0] == "var":
            members = closure(o[1:-1])
            edits.append((subj[2], obj[3], f"VALUES {subj[1]} {{ {' '.join(members)} }}"))
        elif pred == _TYPE_SUB and subj[0] in ("var", "iri", "other"):
            members = closure(o[1:-1])
            if len(members) == 1:
                edits.append((subj[2], obj[3], f"{subj[1]} <{RDF_TYPE_IRI}> {members[0]}"))
            elif stack and stack[-1]:
                v = f"?__sub{next(fresh)}"
                edits.append((subj[2], obj[3], f"{subj[1]} <{RDF_TYPE_IRI}> {v} . "
                                               f"VALUES {v} {{ {' '.join(members)} }}"))
    for a, b, new in reversed(edits):
        text = text[:a] + new + text[b:]
    return text


_KEYWORDS = {"FILTER", "OPTIONAL", "UNION", "MINUS", "BIND", "VALUES", "SELECT", "GRAPH",
             "SERVICE", "EXISTS", "NOT", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET"}


_ELEMENT_KEYWORDS = {"FILTER", "BIND", "OPTIONAL", "MINUS", "VALUES", "GRAPH", "SERVICE", "UNION"}
_PATH_CHARS = set("/|^*+?!()")


def _match(toks: list, i: int, open_: str, close: str) -> int:
    """Index of the token closing the bracket opened at ``i``, or -1."""
    depth = 0
    for k in range(i, len(toks)):
        if toks[k][1] == open_:
            depth += 1
        elif toks[k][1] == close:
            depth -= 1
            if depth == 0:
                return k
    return -1


def _outer_elements(toks: list, start: int) -> list[tuple[str, int, int]] | None:
    """The elements of the group opened at ``start``: ``(kind, first, last)`` token indices,
    kind one of ``triples``, ``filter``, ``bind`` or ``other`` (a group, OPTIONAL, MINUS,
    VALUES, ...); None if the text is not understood."""
    end = _match(toks, start, "{", "}")
    if end < 0:
        return None
    out = []
    i = start + 1
    while i < end:
        t = toks[i]
        word = t[1].upper() if t[0] == "other" else None
        if t[1] == ".":
            i += 1
        elif t[1] == "{":
            k = _match(toks, i, "{", "}")
            if k < 0:
                return None
            out.append(("other", i, k))
            i = k + 1
        elif word in ("FILTER", "BIND"):
            j = i + 1
            while j < end and toks[j][1] != "(" and toks[j][1] != "{":
                j += 1          # FILTER NOT EXISTS { }, FILTER regex(...)
            k = _match(toks, j, toks[j][1], ")" if toks[j][1] == "(" else "}") if j < end else -1
            if k < 0:
                return None
            out.append((word.lower(), i, k))
            i = k + 1
        elif word in _ELEMENT_KEYWORDS:
            j = i + 1
            while j < end and toks[j][1] != "{":
                j += 1
            k = _match(toks, j, "{", "}") if j < end else -1
            if k < 0:
                return None
            out.append(("other", i, k))
            i = k + 1
        else:
            j = i
            depth = 0
            while j < end:
                x = toks[j]
                if x[1] in "([":
                    depth += 1
                elif x[1] in ")]":
                    depth -= 1
                elif depth == 0 and (x[1] in (".", "{", "}") or (
                        x[0] == "other" and x[1].upper() in _ELEMENT_KEYWORDS)):
                    break
                j += 1
            out.append(("triples", i, j - 1))
            i = j
    return out


def _pairs(toks: list, first: int, last: int) -> tuple[str, list[tuple[str, str]]] | None:
    """(subject, [(predicate, object)]) of a plain statement: IRIs or prefixed names as
    predicates (no paths), no blank nodes or collections; None otherwise."""
    stmt = toks[first:last + 1]
    if len(stmt) < 3 or any(x[1] in "()[]" or x[1].startswith("_:") for x in stmt):
        return None
    subject = stmt[0][1]
    out = []
    for seg in _split(stmt[1:], ";"):
        if len(seg) < 2 or seg[0][0] not in ("iri", "other") or (
                seg[0][0] == "other" and (seg[0][1] == "a" or _PATH_CHARS & set(seg[0][1]))):
            return None
        for obj in _split(seg[1:], ","):
            if len(obj) != 1:
                return None
            out.append((seg[0][1], obj[0][1]))
    return subject, out


def self_join_stars(text: str) -> str:
    """``text`` with each self-join star of the outer group evaluated as a subquery.

    A self-join star is the set of triple statements about one variable ``?v`` (not ``$this``)
    whose every (predicate, object) is a (predicate, variable) that ``$this`` also has in the
    same group, at least two of them: "another node with the same participants and cluster".
    Oxigraph joins it row by row: for each focus node, every node sharing its first value
    (3 million rows for the duplicate-link rule at a million triples, where a participant is
    in 65 links on average), then checks the rest. As ``{ SELECT * WHERE { star } }`` it is
    evaluated once and joined by hashing (2.2 s -> 0.7 s). Equivalent: a group is the join of
    its elements, and the subquery projects every variable of the star. Applied only when the
    star's statements are not separated by an element whose place matters (OPTIONAL, MINUS,
    BIND, VALUES, a subgroup); the star moves to where its first statement stood.
    """
    try:
        toks = tokens(text)
    except ValueError:  # pragma: no cover
        return text
    start = next((i for i, t in enumerate(toks) if t[1] == "{"), None)
    if start is None:
        return text
    elements = _outer_elements(toks, start)
    if elements is None:
        return text
    stmts = []          # (element index, subject, pairs)
    for n, (kind, a, b) in enumerate(elements):
        if kind == "triples":
            parsed = _pairs(toks, a, b)
            if parsed is not None:
                stmts.append((n, parsed[0], parsed[1]))
    this_pairs = {(p, o) for _, s, pairs in stmts if s in ("?this", "$this") for p, o in pairs
                  if o.startswith(("?", "$"))}
    subjects = dict.fromkeys(s for _, s, _ in stmts
                             if s.startswith(("?", "$")) and s[1:] != "this")
    edits = []
    for v in subjects:
        mine = [(n, pairs) for n, s, pairs in stmts if s == v]
        pairs = [p for _, ps in mine for p in ps]
        if len(pairs) < 2 or not all(p in this_pairs for p in pairs):
            continue
        # every statement about ?v must be plain (parsed), and nothing order-sensitive between
        about_v = [n for n, (kind, a, b) in enumerate(elements)
                   if kind == "triples" and toks[a][1] == v]
        if about_v != [n for n, _ in mine]:
            continue
        lo, hi = about_v[0], about_v[-1]
        if any(elements[n][0] in ("bind", "other") for n in range(lo, hi + 1)):
            continue
        body = " ".join(text[toks[elements[n][1]][2]:toks[elements[n][2]][3]] + " ."
                        for n in about_v)
        for k, n in enumerate(about_v):
            last = elements[n][2]
            if last + 1 < len(toks) and toks[last + 1][1] == ".":
                last += 1           # the statement's own '.'
            a, b = toks[elements[n][1]][2], toks[last][3]
            edits.append((a, b, f"{{ SELECT * WHERE {{ {body} }} }}" if k == 0 else ""))
    for a, b, new in sorted(edits, reverse=True):
        text = text[:a] + new + text[b:]
    return text
