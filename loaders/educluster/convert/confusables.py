"""Naming the character that makes an id invalid, so a value that looks identical to a valid id
(a Cyrillic "с" typed among Latin letters, a no-break space) can be found and retyped."""

from __future__ import annotations

import unicodedata


def describe(ch: str) -> str:
    """``CYRILLIC SMALL LETTER ES (U+0441)``, or the code point alone for unnamed ones."""
    name = unicodedata.name(ch, "")
    return f"{name} (U+{ord(ch):04X})" if name else f"U+{ord(ch):04X}"


def odd_character(value: str) -> str | None:
    """What makes ``value`` an invalid local id, in words: the first character that is not an
    ASCII letter, digit or one of ``- _ . ~ /``, by Unicode name and 1-based position, and
    whether it looks like a Latin letter; None when every character is allowed."""
    for i, ch in enumerate(value, 1):
        if ch.isascii() and (ch.isalnum() or ch in "-_.~/"):
            continue
        what = describe(ch)
        if ch.isspace():
            return f"character {i} is a space ({what})"
        if ch.isalpha() and any(c.isascii() and c.isalpha() for c in value):
            return (f"character {i} is {what}, which looks like a Latin letter; retype it on "
                    "a Latin keyboard")
        return f"character {i} is {what}"
    return None
