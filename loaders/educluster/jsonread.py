"""Strict JSON reading for user files: one clear error for syntax errors, duplicate keys and
nesting too deep to read, never a silent loss of data or an internal error.

Python's ``json`` keeps the last of two equal keys, so a file with two ``"participants"``
arrays silently lost the first; and a 100,000-deep array raised ``RecursionError``. Both are
now a :class:`~educluster.errors.UserError` naming the file and line.
"""

from __future__ import annotations

import json
import os
from typing import Any

from educluster.errors import UserError
from educluster.i18n import _


class _Duplicate(Exception):
    """Raised inside the decoder: ``key`` appears twice in one object."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` building the dict, raising :class:`_Duplicate` on a repeated key."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _duplicate_line(text: str, key: str) -> int | None:
    """The line of the second occurrence of ``key`` as a key of one object in ``text``.

    Runs only after a duplicate was found: the pure-Python decoder is slow but knows where each
    object starts, so the keys of the offending object are located at its own nesting level.
    """
    from json import decoder, scanner

    found: list[int] = []
    parse_object = decoder.JSONObject

    def located(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None,
                _w=decoder.WHITESPACE.match, _ws=decoder.WHITESPACE_STR):
        s, start = s_and_end
        pairs, end = parse_object(s_and_end, strict, scan_once, None, lambda p: p, memo, _w, _ws)
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys) and not found:
            found.append(_second_key_offset(s, start, end, key))
        return dict(pairs), end

    dec = json.JSONDecoder()
    dec.parse_object = located
    dec.scan_once = scanner.py_make_scanner(dec)
    try:
        dec.decode(text)
    except (ValueError, RecursionError):
        pass
    if not found or found[0] < 0:
        return None
    return text.count("\n", 0, found[0]) + 1


def _second_key_offset(s: str, start: int, end: int, key: str) -> int:
    """Offset of the second ``"key":`` at depth 0 of the object body ``s[start:end]``, or -1."""
    depth, i, seen = 0, start, 0
    while i < end:
        c = s[i]
        if c == '"':
            j = i + 1
            while s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            if depth == 0:
                k = j + 1
                while s[k] in " \t\r\n":
                    k += 1
                if s[k] == ":" and json.loads(s[i:j + 1]) == key:
                    seen += 1
                    if seen == 2:
                        return i
            i = j + 1
            continue
        if c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
        i += 1
    return -1


def loads(text: str, path: str | os.PathLike) -> Any:
    """The JSON value of ``text`` (the content of ``path``); UserError (file, line) for a syntax
    error, a key given twice in one object, or nesting too deep."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise UserError(_("JSON syntax error: {reason}; fix the file and run again").format(
            reason=exc.msg), file=path, line=exc.lineno) from None
    except _Duplicate as exc:
        shown = exc.key if len(exc.key) <= 60 else exc.key[:60] + "…"
        raise UserError(_("the key {key} appears twice in one object (JSON keeps only the "
                          "last, so data would be lost); merge the two into one").format(
            key=json.dumps(shown, ensure_ascii=False)), file=path,
            line=_duplicate_line(text, exc.key)) from None
    except RecursionError:
        raise UserError(_("the JSON is nested too deeply to read (hundreds of levels of arrays "
                          "or objects); flatten the data"), file=path) from None
