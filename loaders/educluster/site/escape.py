"""Escaping every string that comes from the data, for the two places it lands.

* :func:`md` -- text inside Markdown (paragraphs, list items, table cells, link
  text). Every ASCII character that Markdown, the Markdown extensions we enable or
  HTML could read as syntax becomes a numeric character reference (``*`` -> ``&#42;``,
  ``<`` -> ``&#60;``, ``|`` -> ``&#124;``, ...); characters that only mean something at
  the start of a line (``-``, ``+``, ``1.``) are escaped there. Escaping as little as
  that keeps the Markdown fast to render. Python-Markdown passes character references
  through untouched and the browser shows the character, so a label such as
  ``<script>alert(1)</script>`` or ``[link](x)`` renders as exactly that text.
  Line breaks become spaces (a data string never starts a new Markdown block).
* :func:`html` / :func:`attr` -- text inside raw HTML and SVG blocks (Markdown does
  not process those): the five HTML special characters.
* :func:`cite` -- a bibliographic citation, which the sources keep with Markdown
  emphasis (``*title*``): escaped like :func:`md`, with each ``*...*`` pair turned
  into ``<em>`` around escaped text.
* :func:`fence` -- a fenced code block whose fence is longer than any run of
  backticks in the content (code blocks escape HTML themselves).
"""

from __future__ import annotations

import html as _html
import re

# Characters left as they are: letters, digits, space and punctuation that no
# Markdown construct of the extensions we enable starts with.
_SAFE_PUNCT = set(" .,;:?'\"/()%-+!=~^$@")
_WS = re.compile(r"\s+")


_MD_TABLE = {i: f"&#{i};" for i in range(128)
             if not chr(i).isalnum() and chr(i) not in _SAFE_PUNCT}


_OL = re.compile(r"^(\d+)\.")
_LEAD = re.compile(r"^([-+=~!?])")


def md(value) -> str:
    """``value`` as Markdown text that renders literally (one line)."""
    text = _WS.sub(" ", str(value)).strip().translate(_MD_TABLE)
    # at the start of a line, "1. x", "- x", "+ x" would begin a list, "===" an underline
    text = _OL.sub(r"\1&#46;", text)
    return _LEAD.sub(lambda m: f"&#{ord(m.group(1))};", text)


def html(value) -> str:
    """``value`` as HTML text (the five special characters escaped, one line)."""
    return _html.escape(_WS.sub(" ", str(value)).strip(), quote=True)


def attr(value) -> str:
    """``value`` for an HTML attribute value in double quotes."""
    return _html.escape(_WS.sub(" ", str(value)).strip(), quote=True)


def cite(value) -> str:
    """A citation with ``*emphasis*`` kept as emphasis, everything else escaped (Markdown/HTML)."""
    parts = _WS.sub(" ", str(value)).strip().split("*")
    if len(parts) % 2 == 0:  # unbalanced asterisks: show them all literally
        return md(value)
    out = []
    for i, part in enumerate(parts):
        esc = part.translate(_MD_TABLE)
        out.append(f"<em>{esc}</em>" if i % 2 and part.strip() else esc if not i % 2 else "&#42;&#42;")
    return "".join(out)


def fence(content: str, lang: str = "") -> str:
    """``content`` as a fenced code block (safe whatever backticks it contains)."""
    longest = max((len(m) for m in re.findall(r"`+", content)), default=0)
    bar = "`" * max(3, longest + 1)
    body = content.rstrip("\n")
    return f"{bar}{lang}\n{body}\n{bar}\n"


def article(word: str) -> str:
    """``a`` or ``an`` before ``word`` (by its first letter; good enough for our labels)."""
    return "an" if str(word)[:1].lower() in "aeiou" else "a"
