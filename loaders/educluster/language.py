"""How a page or message in one of the four languages shows texts: page texts through the
catalogues, numbers as the language writes them, and names and English stand-ins marked with
their language.

Shared by the profile and report pages (:mod:`educluster.assess.language` adds their word
tables) and serve's query page (:mod:`educluster.query_page`). A page is written in the
language of messages (:func:`educluster.i18n.current`, set by ``--lang`` or the locale). An
English text or name standing in for a missing translation is marked ``lang="en"`` and
followed by a visible "(English)"; an untagged name claims no language and is shown as it is.
Quotes of the papers stay verbatim in English, marked.
"""

from __future__ import annotations

import re
from html import escape

from educluster import collation
from educluster.i18n import _, current

#: Babel's locale of each of our languages (numbers: "1 234,5" in Russian and Uzbek)
BABEL = {"en": "en", "uz": "uz", "uz-Cyrl": "uz_Cyrl", "ru": "ru"}


def el(tag: str, text: str, attrs: str = "") -> str:
    """``<tag attrs>text</tag>`` with ``text`` (a page text) escaped."""
    return f"<{tag}{attrs}>{escape(text)}</{tag}>"


def number(n) -> str:
    """``n`` as the page's language writes numbers (grouping, decimal sign); years are not
    numbers here: write them with ``str``."""
    from babel.numbers import format_decimal

    return format_decimal(n, format="#,##0.#", locale=BABEL.get(current(), "en"))


def alphabetical(texts) -> list:
    """``texts`` (names, labels) in the alphabetical order of the page's language
    (:mod:`educluster.collation`: ``ё`` after ``е``, Uzbek letters in their places)."""
    return sorted(texts, key=lambda t: collation.key(str(t), current()) + (str(t),))


def fallback_note() -> str:
    """The visible note after English standing in for a missing translation."""
    return _("(English)")


def translated(text: str) -> tuple[str, bool]:
    """(``text`` through the catalogues, whether it is English standing in for a missing
    translation on a page in another language)."""
    t = _(text)
    return t, current() != "en" and t == text


def is_stand_in(name) -> bool:
    """Whether ``name`` (a :class:`educluster.names.Name`) is English on a page in another
    language."""
    return current() != "en" and getattr(name, "lang", None) == "en"


def lang_attr(name) -> str:
    """`` lang="xx"`` for a name in another language than the page's, else ``""``."""
    lang = getattr(name, "lang", None)
    return f' lang="{escape(lang)}"' if lang and lang != current() else ""


def name_html(name, *, note: bool = True) -> str:
    """A name from the data or the ontology, escaped, marked with its language when that is
    not the page's; an English stand-in is followed by the visible "(English)"."""
    text = escape(str(name))
    attr = lang_attr(name)
    if not attr:
        return text
    out = f"<span{attr}>{text}</span>"
    if note and is_stand_in(name):
        out += f' <span class="fallback">{escape(fallback_note())}</span>'
    return out


def text_html(text: str, *, note: bool = True) -> str:
    """A page text of the catalogues, escaped; English standing in for a missing translation
    is marked and noted like a name."""
    t, stand_in = translated(text)
    if not stand_in:
        return escape(t)
    return (f'<span lang="en">{escape(t)}</span>'
            + (f' <span class="fallback">{escape(fallback_note())}</span>' if note else ""))


def name_plain(name) -> str:
    """A name for the terminal: an English stand-in followed by "(English)"."""
    return f"{name} {fallback_note()}" if is_stand_in(name) else str(name)


def english_html(text: str) -> str:
    """A text kept in English on every page (a citation of a paper), escaped and marked."""
    return escape(text) if current() == "en" else f'<span lang="en">{escape(text)}</span>'


_QUOTED = re.compile(r'"([^"]+)"')


def quoting_html(english: str) -> str:
    """A criterion's text from its file's header (``# why:``) in the page's language, escaped;
    the papers' words it quotes ("...") stay verbatim English, marked ``lang="en"``."""
    shown, stand_in = translated(english)
    if stand_in:
        return text_html(english)
    if current() == "en":
        return escape(shown)
    quotes = set(_QUOTED.findall(english))
    out, last = [], 0
    for m in _QUOTED.finditer(shown):
        out.append(escape(shown[last:m.start()]))
        q = escape(m.group(0))
        out.append(f'<span lang="en">{q}</span>' if m.group(1) in quotes else q)
        last = m.end()
    out.append(escape(shown[last:]))
    return "".join(out)
