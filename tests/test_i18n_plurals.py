"""Messages with a number say it as each language does (issue 15): a message whose count
governs a noun is a plural entry (``ngettext``), with Russian's three forms and a singular
that is singular in English too; no "раз(а)" or "finding(s)" stand-ins. Regression: "--graph
указан 2 раз(а) для 1 файлов --data", "1 finding(s)", "не меньше 2 символов" for 1 or 2.

A message that keeps one form (not a plural entry) must not put its count in front of a word
that would change with it, in English or in Russian ("{n} rows", "{n} строк"); it says the
count as a number beside a noun ("строк: {n}", "({n})"), or the count is a unit's ("{mb} MB",
"{s} s") -- or it is listed in :data:`ONE_FORM` with the reason.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from babel.messages.pofile import read_po

from conftest import REPO

LOCALE = REPO / "loaders" / "educluster" / "locale"
PO = {"ru": LOCALE / "ru" / "LC_MESSAGES" / "educluster.po",
      "uz": LOCALE / "uz" / "LC_MESSAGES" / "educluster.po",
      "uz-Cyrl": LOCALE / "uz_Cyrl" / "LC_MESSAGES" / "educluster.po"}
NPLURALS = {"ru": 3, "uz": 2, "uz-Cyrl": 2}
#: placeholders that hold a count (other placeholders hold names, lists or whole phrases)
COUNTS = {"n", "count", "graphs", "files", "cells", "columns", "statements", "resources",
          "triples", "terms", "items", "kinds", "max", "v", "w", "added", "deprecated",
          "changed", "s", "seconds", "mb", "size", "limit", "times", "depth", "ms", "brackets",
          "papers", "works"}
#: words after a count that do not change with it: units, abbreviations, and words that are no
#: noun of the count ("+{n} more", "{count} of them", "{n} counted", "{n} in the ...")
UNITS = {"MB", "s", "ms", "МБ", "с", "мс", "стр", "ta", "та", "soniya", "soniyadan",
         "more", "of", "in", "counted", "в", "из"}
#: messages of one form whose count stands before a word, and why that is right
ONE_FORM = {
    "The project's tests check `educluster validate` against {n} invalid samples, each with the "
    "results it must give; here they are.":
        "the invalid samples the repository ships (dozens); ru says 'образцах ({n})'",
    "{n} scholars: the authors of the five source papers and everyone they cite or name. Each has "
    "a page with their works, their definitions and the ideas the papers attribute to them.":
        "the knowledge base's scholars (dozens, the five papers' authors among them); ru 'Учёные ({n})'",
    "{items} items of {kinds} kinds, and {terms} terms. Every IRI of the knowledge base has a page "
    "or an anchor on this site: see {how} for the mapping.":
        "the shipped knowledge base's totals (hundreds); ru 'Элементов — {items}'",
    "The ontology and the knowledge base, merged: {triples} triples, {terms} terms and {items} "
    "items. The four files hold exactly the same triples: they are the output of `educluster "
    "build`.": "the shipped knowledge base's totals (thousands); ru 'триплетов — {triples}'",
    "From {file}: {statements} statements about {resources} resources. Check it yourself with "
    "{command}.": "the example's totals (hundreds); ru 'утверждений — {statements}'",
    "The {papers} source papers and the {works} works they cite, as printed. Open an entry for "
    "its BibTeX (with a copy button) and everything the knowledge base takes from it. Each cited "
    "work says which papers **print** a reference to it (in a reference list, or by naming the "
    "work) and for which the editors **inferred** it (the paper names the scholar or prints a "
    "[n] marker with no reference list).":
        "the five source papers and the dozens of works they cite; ru 'Исходные статьи ({papers})'",
    "elements nest more than {depth} deep; flatten the file (rdf:nodeID or rdf:about references "
    "instead of nesting)": "a constant of the program (256)",
    "XML entity references would add more than {times} times the document's size; write the text "
    "out in the file": "a constant of the program (8)",
    "the query nests brackets more than {depth} deep; flatten it (fewer nested parentheses or "
    "braces)": "a constant of the program (128)",
    "the query nests brackets more than {depth} deep or holds more than {brackets} brackets inside "
    "<...> and long strings; flatten or split it": "constants of the program (128, 1000)",
    "since {prior}: {added} added, {deprecated} deprecated, {changed} changed":
        "participles (no noun); ru 'добавлено — {added}'",
    "{added} added, {deprecated} deprecated, {changed} changed.":
        "participles (no noun); ru 'Добавлено: {added}'",
}
HACKS = re.compile(r"\w\((?:s|es|а|и|ы|ов|ей|lar|ta)\)")


@lru_cache(maxsize=None)
def catalogue(lang: str):
    with open(PO[lang], "rb") as f:
        return read_po(f)


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_plural_forms_headers():
    assert catalogue("ru").num_plurals == 3
    assert "n%10==1&&n%100!=11?0" in catalogue("ru").plural_expr.replace(" ", "")
    assert catalogue("uz").num_plurals == catalogue("uz-Cyrl").num_plurals == 2


@pytest.mark.parametrize("lang", list(PO))
def test_every_plural_entry_has_each_form(lang):
    for m in catalogue(lang):
        if not isinstance(m.id, tuple):
            continue
        singular, plural = m.id
        assert singular != plural, f"the English singular reads like the plural: {singular!r}"
        assert len(m.string) == NPLURALS[lang] and all(m.string), (lang, singular)
        for form in m.string:
            assert _placeholders(form) == _placeholders(plural), (lang, singular, form)


@pytest.mark.parametrize("lang", list(PO))
def test_no_stand_ins_for_plural_forms(lang):
    for m in catalogue(lang):
        texts = (*(m.id if isinstance(m.id, tuple) else (m.id,)),
                 *(m.string if isinstance(m.string, tuple) else (m.string,)))
        for t in texts:
            assert not HACKS.search(t.replace("http(s)", "")), (lang, t)


def _governs(text: str, cyrillic: bool) -> list[str]:
    """The counts in ``text`` written straight before a word that would change with them."""
    word = r"[а-яё]+" if cyrillic else r"[a-z]+"
    out = []
    for m in re.finditer(r"\{(\w+)\} (" + word + r")\b", text):
        if m.group(1) in COUNTS and m.group(2) not in UNITS:
            out.append(f"{{{m.group(1)}}} {m.group(2)}")
    return out


def test_messages_of_one_form_do_not_put_a_count_before_a_noun():
    bad = []
    for m in catalogue("ru"):
        if not m.id or isinstance(m.id, tuple) or m.id in ONE_FORM:
            continue
        found = _governs(m.id, cyrillic=False) + _governs(m.string or "", cyrillic=True)
        if found:
            bad.append((m.id, found))
    assert not bad, "make these plural entries (ngettext) or say the count apart:\n" + \
        "\n".join(f"{found}: {msgid!r}" for msgid, found in bad)


def test_the_reasons_still_name_messages():
    ids = {m.id for m in catalogue("ru")}
    assert not [k for k in ONE_FORM if k not in ids]


def test_russian_forms_for_one_two_and_five():
    """What a Russian data officer reads for 1, 3, 5 and 21."""
    from educluster.i18n import translations

    t = translations("ru")
    def say(s, p, n):
        return t.ngettext(s, p, n).format(n=n)
    keep = ("keep only {n} value", "keep only {n} values")
    assert [say(*keep, n) for n in (1, 3, 5, 21)] == [
        "оставьте не более 1 значения", "оставьте не более 3 значений",
        "оставьте не более 5 значений", "оставьте не более 21 значения"]
    chars = ("at least {n} character", "at least {n} characters")
    assert [say(*chars, n) for n in (1, 2, 5)] == [
        "не меньше 1 символа", "не меньше 2 символов", "не меньше 5 символов"]
    rows = ("{n} row", "{n} rows")
    assert [say(*rows, n) for n in (1, 2, 5, 11, 22)] == [
        "1 строка", "2 строки", "5 строк", "11 строк", "22 строки"]
