"""The four languages of educluster (``uz``, ``uz-Cyrl``, ``ru``, ``en``): which one to use, the
program's messages through gettext catalogues, a language's literal from a set of tagged
literals, and the Uzbek Latin-to-Cyrillic transliteration that makes ``uz-Cyrl`` from ``uz``.

Standard library only (gettext), so the command line stays fast to start; the catalogues are
compiled with Babel (``educluster i18n compile``, run by ./setup.sh; see decision 0016).
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

#: The languages, as BCP 47 tags, in the order the site and the glossary list them.
LANGUAGES = ("uz", "uz-Cyrl", "ru", "en")
DEFAULT = "en"
#: gettext catalogue folder name of each language (gettext's own locale naming).
CATALOGUE = {"uz": "uz", "uz-Cyrl": "uz_Cyrl", "ru": "ru", "en": "en"}
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "educluster"

_current = DEFAULT


def normalise(tag: str | None) -> str | None:
    """One of :data:`LANGUAGES` for a tag or locale name (``ru_RU.UTF-8`` -> ``ru``,
    ``uz_UZ@cyrillic`` and ``uz-cyrl`` -> ``uz-Cyrl``, ``C`` -> ``None``), else ``None``."""
    if not tag:
        return None
    t = tag.strip().lower()
    modifier = t.split("@", 1)[1] if "@" in t else ""
    t = t.split("@")[0].split(".")[0].replace("_", "-") + ("@" + modifier if modifier else "")
    if t.startswith("uz"):
        return "uz-Cyrl" if ("cyrl" in t or "cyrillic" in t) else "uz"
    base = t.split("@")[0].split("-")[0]
    return base if base in ("ru", "en") else None


def from_environment(env: dict | None = None) -> str:
    """The language of the locale: the first of LC_ALL, LC_MESSAGES, LANG that is set (as
    POSIX orders them), if it is one of ours; else English."""
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return normalise(value) or DEFAULT
    return DEFAULT


def parse_lang(text: str) -> str:
    """argparse type for ``--lang``: one of the four languages (case and ``_`` forgiven)."""
    import argparse

    wanted = {x.lower(): x for x in LANGUAGES}
    lang = wanted.get(text.strip().replace("_", "-").lower())
    if lang is None:
        raise argparse.ArgumentTypeError(_("{value}: give one of {languages}").format(
            value=repr(text), languages=", ".join(LANGUAGES)))
    return lang


def set_language(lang: str | None) -> str:
    """Make ``lang`` (or the locale's language) the language of messages; returns it."""
    global _current
    _current = normalise(lang) or from_environment() if lang else from_environment()
    return _current


def current() -> str:
    """The language messages are written in now."""
    return _current


@lru_cache(maxsize=8)
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English: the messages as written in the code)."""
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[CATALOGUE[lang]],
                                fallback=True)


def _(message: str) -> str:
    """``message`` in the current language (the English text where a catalogue lacks it)."""
    return translations(_current).gettext(message)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogues where it is defined; :func:`_` translates it where
    it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language (Russian has three)."""
    return translations(_current).ngettext(singular, plural, n)


#: argparse's own words that a user of the command line reads (its usage line, section titles,
#: -h and --version help, its errors), marked here so the catalogues carry them; argparse says
#: them through ``gettext``, which :func:`install_argparse` routes to our catalogues.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("options"), N_("positional arguments"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"), N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"), N_("expected at least one argument"),
    N_("expected at most one argument"), N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def install_argparse() -> None:
    """Let argparse's own words (``usage:``, ``options``, its errors) follow the current
    language: argparse looks up its module-level ``_`` and ``ngettext`` (the standard
    library's ``gettext``, which only reads the locale's variables and the global domain) each
    time it speaks, so the command line points them at this module's catalogues. Call it
    before building a parser (section titles are translated when a parser is made)."""
    import argparse

    argparse._ = _
    argparse.ngettext = ngettext


def language_in_argv(argv) -> str | None:
    """The language of ``--lang X`` or ``--lang=X`` in the command-line arguments (``None``
    when absent or not one of ours), so help and argparse's errors can speak it before the
    arguments are parsed."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return normalise(args[i + 1])
        if arg.startswith("--lang="):
            return normalise(arg.split("=", 1)[1])
        if arg == "--":
            break
    return None


def pick(literals, lang: str | None = None) -> str | None:
    """The text of the literal in ``lang`` from rdflib/pyoxigraph literals, falling back to
    English, then to an untagged literal, then to the smallest text (so the choice never
    depends on the order a store returns them)."""
    lang = lang or _current
    by_lang: dict[str, str] = {}
    for lit in literals:
        if lit is None:
            continue
        tag = (getattr(lit, "language", None) or "").lower()
        text = "" + (lit if isinstance(lit, str) else str(lit.value))
        if tag not in by_lang or text < by_lang[tag]:
            by_lang[tag] = text
    for want in (lang.lower(), DEFAULT, ""):
        if want in by_lang:
            return by_lang[want]
    return min(by_lang.values()) if by_lang else None


# -- Uzbek Latin -> Cyrillic ------------------------------------------------------------------

#: oʻ and gʻ are written with U+02BB; the tutuq belgisi (apostrophe) with U+02BC. Other
#: apostrophes people type are read as these.
OKINA, TUTUQ = "\u02bb", "\u02bc"
_TURNED = "'`\u2018\u2019\u02bb\u02bc"

_DIGRAPHS = [("yo" + OKINA, "йў"), ("o" + OKINA, "ў"), ("g" + OKINA, "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"),
             ("yu", "ю"), ("ya", "я"), ("ye", "е")]
_LETTERS = dict(zip("abdefghijklmnopqrstuvxyz", "абдефгҳижклмнопқрстувхйз"))
_LETTERS[TUTUQ] = "ъ"
#: Words whose Cyrillic spelling keeps the Russian form that the Latin one simplifies
#: (Latin ``s`` for Cyrillic ``ц``, ``ye`` for ``ъе``), by Latin stem.
_STEMS = {"obyekt": "объект", "subyekt": "субъект", "sentr": "центр", "kompetens": "компетенц", "konsepsiya": "концепция",
          "konsentrats": "концентрац", "sifrl": "рақамл", "tendensiya": "тенденция",
          "kompyuter": "компьютер", "tranzaks": "транзакц"}


def normalise_uz(text: str) -> str:
    """Uzbek Latin with the official apostrophes inside words: ``o'`` ``g'`` -> ``oʻ`` ``gʻ``
    (U+02BB), any other apostrophe between letters -> ``ʼ`` (U+02BC); quotation marks (an
    apostrophe not between two letters) are left alone."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(f"([oOgG])[{_TURNED}](?=[A-Za-z])", lambda m: m.group(1) + OKINA, text)
    return re.sub(f"(?<=[A-Za-z])(?<![oOgG])[{_TURNED}](?=[A-Za-z])", TUTUQ, text)


#: Where Latin ``ts`` is the Cyrillic ``ц``. The 1995 rules write ``ц`` as ``ts`` after a vowel
#: and as ``s`` elsewhere, and ``ц`` occurs only in loanwords (mostly Russian); in Uzbek words
#: ``ts`` is a ``t`` meeting an ``s`` at a morpheme boundary (muvaffaqiyat+siz, ayt+sa, ket+sin)
#: and stays ``тс``. So ``ts`` is ``ц`` only at the start of a word (tsirk), in the loan suffixes
#: -tsiya/-tsion (-ция/-цион: innovatsion, kommunikatsiya, integratsiyalash) and in the
#: loanwords listed here (the ones our texts use; add one when a text needs it, the test
#: ``test_every_ts_word_we_ship_is_reviewed`` lists them), else ``тс``.
_TS_LOANS = ("litsey", "litsenz", "matrits", "spetsifik")
_TS_AS_TSE = re.compile(r"^ts|ts(?=i(?:ya|on))")


def _ts_positions(low: str) -> set[int]:
    """Indexes in the lower-case word ``low`` where ``ts`` is the loanword letter ``ц``."""
    at = {m.start() for m in _TS_AS_TSE.finditer(low)}
    for loan in _TS_LOANS:
        start = low.find(loan)
        while start >= 0:
            at |= {start + k for k in range(len(loan) - 1) if loan.startswith("ts", k)}
            start = low.find(loan, start + 1)
    return at


def _word_to_cyrillic(word: str) -> str:
    """One word (letters and apostrophes) in Cyrillic, keeping its capitalisation."""
    low = word.lower()
    if re.search("w|c(?!h)|oo", low):  # not an Uzbek word (SWOT, School): kept
        return word
    out: list[str] = []
    i = 0
    for stem, cyr in _STEMS.items():
        if low.startswith(stem):
            out.append(cyr)
            i = len(stem)
            break
    tse = _ts_positions(low)
    while i < len(low):
        if i in tse:
            out.append("ц")
            i += 2
            continue
        if i == 0 and low[0] == "e":
            out.append("э")
            i += 1
            continue
        for lat, cyr in _DIGRAPHS:
            if low.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            ch = low[i]
            if ch == OKINA:     # a lone ʻ not after o/g: read as the tutuq
                ch = TUTUQ
            out.append(_LETTERS.get(ch, ch))
            i += 1
    cyr = "".join(out)
    if word.isupper() and len(word) > 1:
        return cyr.upper()
    if word[:1].isupper():
        return cyr[:1].upper() + cyr[1:]
    return cyr


#: What stays as written in Cyrillic text: `code`, the column name id, CamelCase codes (PedagogicalUniversity), file
#: names, 'an English quotation', "one too", IRIs, prefixed names and file paths (anything with
#: : / _), acronyms (SKOS, UTC), the names of file formats (Turtle, zip, .xlsx), command-line
#: options and their values (--lang, -o, json), commands (educluster validate), language codes
#: (uz, ru, en), menu paths (File > Save As) and a few program and class names (Numbers,
#: Enterprise, Java, Oxigraph, Virtuoso, Fuseki, mkdocs, w3id, QLever, Debian, schema.org, PROV-O, ...)
#: that have no Uzbek form, n.d. (no date), the literals true and false, and what is written in
#: angle brackets (<iri>, <ontology-dir>/kb).
_KEEP = re.compile(r"""(`[^`]*`|<[\w{}:/.#-]+>[\w/.-]*|\bw3id\b|\bPROV-O\b|\bn\.d\.|\b(?:Java|Oxigraph|Virtuoso|Apache Jena Fuseki|Fuseki|QLever|Qleverfile|Debian|schema\.org|RDF4J|mkdocs-material|mkdocs|true|false)\b|\bhttp\(s\)|\bid\b|\{[^{}]*\}|%\([a-z_]+\)[sdr]|%[sdr]\b|@\w+|\b[A-Za-z]+[a-z][A-Z]\w*|[\w-]+\.(?:csv|ttl|json|jsonld|xlsx|ods|uz|xml|ini|rq|md)\b|\[[a-z]\]|'[^']*'|"[^"]*"|[\w.]+[:/_][\w\[/.][^\s,;)]*|\b(?:ec|id|skos|dcterms|prov|bibo|foaf|org|schema|rdf|rdfs|owl|xsd|sh|person|principle|definition):(?!\w)|\b[A-Z]{2,}\b|\b(?:Turtle|N-Triples|N-Quads|[Zz]ip|multipart|xlsx|ods|tsv|oxigraph(?: load)?|pyoxigraph|uz|ru|en|Numbers|Authorization|Digest|stderr|Enterprise|text|json|html|turtle|csv|fast|base|jsonld)\b|\b[A-Z]\w*(?: > [A-Z]\w*(?: (?:[A-Z]\w*|To|As|with))*)+|\b(?:validate|convert|template|assess|report|push|query|serve|check|build|release|web|site)\b|(?<![^\s(\[])--?[A-Za-z][\w-]*(?: (?:turtle|jsonld)\b)?|\b(?:educluster )?(?:validate|convert|template|web|assess|report|push|query|serve|check|build|release|site)(?= --|\))|(?<!\w)\.[a-z]{2,6}\b|\b[\w.-]+/(?=[\s),;*]|$)|Graph Store Protocol|SPARQL Update|\beducluster (?:validate|convert|template|web|assess|report|push|query|serve|check|build|release|site)\b)""")


def to_cyrillic(text: str) -> str:
    """Uzbek Latin text in Uzbek Cyrillic (the 1995 alphabet's correspondence: sh -> ш, ch -> ч,
    oʻ -> ў, gʻ -> ғ, yo/yu/ya/ye -> ё/ю/я/е, ʼ -> ъ, e -> э at the start of a word; ts -> ц
    in loanwords only, see :data:`_TS_LOANS`, else тс).
    What :data:`_KEEP` matches (English quotations, codes, IRIs, acronyms) is kept as it is."""
    parts = _KEEP.split(normalise_uz(text))
    out = []
    for k, part in enumerate(parts):
        if k % 2:
            out.append(part)
            continue
        out.append(re.sub(f"[A-Za-z{OKINA}{TUTUQ}]+", lambda m: _word_to_cyrillic(m.group(0)),
                          part))
    return "".join(out)
