"""Reading SPARQL text token by token, with strings, IRIs and comments skipped whole.

One lexer for the places that must find a variable or a brace in query text without parsing
it: parameters substituted as checked terms (:mod:`educluster.query.substitute`) and the fast
validator's query assembly (:mod:`educluster.fastvalidate.engine`). (The nesting guard in
:mod:`educluster.guards` counts brackets inside ``<...>`` too, on purpose, and keeps its own.)
"""

from __future__ import annotations

import re

_NAME_CHAR = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]")
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WORD = re.compile(r"[A-Za-z]+")


def tokens(text: str):
    """``(start, end, kind)`` of each variable (``var``), keyword-like word (``word``), brace
    (``{``, ``}``) and parenthesis (``(``, ``)``); strings, IRIs and comments are skipped."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if ch in "\"'":
            q3 = ch * 3
            if text.startswith(q3, i):
                j = i + 3
                while j < n and not text.startswith(q3, j):
                    j += 2 if text[j] == "\\" else 1
                i = j + 3
            else:
                j = i + 1
                while j < n and text[j] != ch and text[j] != "\n":
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
            continue
        if ch == "<":
            m = _IRI.match(text, i)
            if m:
                i = m.end()
                continue
        if ch in "?$":
            j = i + 1
            while j < n and _NAME_CHAR.match(text[j]):
                j += 1
            if j > i + 1:
                yield i, j, "var"
                i = j
                continue
        if ch.isalpha():
            m = _WORD.match(text, i)
            j = m.end()
            # a prefixed name (ec:Thing) or a longer name is not a keyword
            if j < n and (text[j] == ":" or _NAME_CHAR.match(text[j])):
                while j < n and (text[j] in ":.-" or _NAME_CHAR.match(text[j])):
                    j += 1
                i = j
                continue
            yield i, j, "word"
            i = j
            continue
        if ch in "{}()":
            yield i, i + 1, ch
        i += 1


def first_brace(text: str) -> int:
    """Index of the first ``{`` outside strings, IRIs and comments, or -1."""
    return next((start for start, _, kind in tokens(text) if kind == "{"), -1)
