"""The language of the profile and report pages: their words (outcomes, kinds, levels), numbers
as the language writes them, and names and English stand-ins marked with their language.

The pages are written in the language of messages (:func:`educluster.i18n.current`, set by
``--lang`` or the locale). Names come from the data and the ontology in that language where
they have it (:mod:`educluster.names`); an English name standing in for a missing translation
is marked ``lang="en"`` and followed by a visible "(English)"; an untagged name claims no
language and is shown as it is. Quotes of the papers stay verbatim in English, marked.
"""

from __future__ import annotations

import re
from html import escape

from educluster.i18n import N_, _, current

#: Babel's locale of each of our languages (numbers: "1 234,5" in Russian and Uzbek)
BABEL = {"en": "en", "uz": "uz", "uz-Cyrl": "uz_Cyrl", "ru": "ru"}

#: the outcomes of a criterion (machine codes in JSON) as pages say them
OUTCOMES = {"shown": N_("shown"), "not shown in the data": N_("not shown in the data"),
            "not applicable": N_("not applicable")}
#: the short forms of the side-by-side table
SHORT = {"shown": N_("shown"), "not shown in the data": N_("not shown"),
         "not applicable": N_("n/a")}
#: the kinds of cluster (machine codes in JSON)
KINDS = {"educational cluster": N_("educational cluster"),
         "pedagogical education cluster": N_("pedagogical education cluster")}
#: the series of the dynamics criterion (machine codes in JSON)
SERIES = {"members": N_("members"), "links": N_("links"), "activities": N_("activities")}
#: levels of education (report/facts.py LEVELS)
LEVELS = {"preschool": N_("preschool"), "general secondary": N_("general secondary"),
          "secondary specialised": N_("secondary specialised"),
          "secondary vocational": N_("secondary vocational"), "higher": N_("higher")}
#: the steps between levels that continuity-succession-links names by text
STEPS = (N_("preschool – school"), N_("school – academic lyceum"), N_("school – college"),
         N_("academic lyceum – higher education"), N_("college – higher education"))


def el(tag: str, text: str, attrs: str = "") -> str:
    """``<tag attrs>text</tag>`` with ``text`` (a page text) escaped."""
    return f"<{tag}{attrs}>{escape(text)}</{tag}>"


def word(table: dict, code: str) -> str:
    """The page's word for a machine code of ``table`` (the code itself when unknown)."""
    return _(table[code]) if code in table else code


def number(n) -> str:
    """``n`` as the page's language writes numbers (grouping, decimal sign); years are not
    numbers here: write them with ``str``."""
    from babel.numbers import format_decimal

    return format_decimal(n, format="#,##0.#", locale=BABEL.get(current(), "en"))


def fallback_note() -> str:
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
