"""The site's languages (decision 0029): where each language's pages live, its names, and the
page texts of the generators in the language being generated, from the gettext catalogues.

English is the site's root (``terms/Cluster.html``: the w3id redirect rules point there); the
other languages are the same pages under ``uz/``, ``uz-Cyrl/`` and ``ru/``. The generators write
their headings and notes with :func:`_` (extracted into ``locale/educluster.pot`` like the
program's messages); :func:`use` chooses the language while one language's pages are generated.
"""

from __future__ import annotations

from educluster import i18n

#: the site's languages, English (the root) first, then in the order of :data:`i18n.LANGUAGES`
LANGUAGES = ("en", "uz", "uz-Cyrl", "ru")
#: each language's folder in the built site ("" = the root)
ROOT = {"en": "", "uz": "uz/", "uz-Cyrl": "uz-Cyrl/", "ru": "ru/"}
#: each language's name in that language (the language switch)
NAME = {"en": "English", "uz": "Oʻzbekcha", "uz-Cyrl": "Ўзбекча", "ru": "Русский"}
#: the theme's language (mkdocs-material's ``theme.language``; uz-Cyrl is our own partial)
THEME = {"en": "en", "uz": "uz", "uz-Cyrl": "uz-Cyrl", "ru": "ru"}
#: lunr languages of each language's search index (mkdocs search plugin ``lang``): Russian
#: stemming for Russian; the Cyrillic of Uzbek is searched with the Russian tokenizer (the
#: English one drops Cyrillic letters), the Latin with the theme's choice for Uzbek
SEARCH = {"en": ["en"], "uz": ["tr", "en"], "uz-Cyrl": ["ru", "en"], "ru": ["ru", "en"]}

_current = "en"


def use(lang: str) -> None:
    """Generate the following pages' texts in ``lang``."""
    global _current
    if lang not in ROOT:
        raise ValueError(f"not a site language: {lang}")
    _current = lang


def current() -> str:
    return _current


def _(message: str) -> str:
    """``message`` (a page text of a generator) in the language being generated."""
    return i18n.translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a page text for the count ``n`` in the language being generated (Russian has
    three)."""
    return i18n.translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogues where it is defined; :func:`_` translates it where
    it is shown."""
    return message


def fallback_note(lang: str) -> str:
    """The visible mark after an English text standing in for a missing translation, in
    ``lang`` (pages are rendered after their language's generation ended)."""
    return i18n.translations(lang).gettext(N_("(English)"))


def parse_languages(text: str) -> tuple:
    """argparse type of ``site build --languages en,ru``: English first (the site's root; the
    w3id rules point there), each language once."""
    langs = [i18n.parse_lang(x) for x in text.split(",") if x.strip()]
    return ("en", *dict.fromkeys(x for x in langs if x != "en"))
