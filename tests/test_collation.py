"""Alphabetical order in the four languages (issue 15): ``ё`` after ``е`` in Russian and
Uzbek Cyrillic, ``ў қ ғ ҳ`` after ``я`` in the Uzbek Cyrillic alphabet's order, Uzbek Latin
``oʻ gʻ sh ch`` after ``z``; the site's A–Z index and lists and the report's tables follow it.
Regression: labels were sorted by code point, which put every ``ё`` word after ``я``."""

from __future__ import annotations

import html
import re

import pytest

from educluster.collation import initial, key


def ordered(words, lang):
    return sorted(words, key=lambda w: key(w, lang))


def test_russian_yo_right_after_ye():
    words = ["яблоко", "ёлка", "жук", "ель", "Ёж", "еда", "дом"]
    assert ordered(words, "ru") == ["дом", "еда", "ель", "Ёж", "ёлка", "жук", "яблоко"]
    # what Python's own order did: ё after я
    assert sorted(words, key=str.casefold)[-2:] == ["Ёж", "ёлка"]


def test_uzbek_cyrillic_alphabet_order():
    words = ["ҳаёт", "ғоя", "қиш", "ўқув", "яна", "ёш", "шаҳар", "ель", "аъло"]
    assert ordered(words, "uz-Cyrl") == ["аъло", "ель", "ёш", "шаҳар", "яна", "ўқув", "қиш",
                                         "ғоя", "ҳаёт"]


def test_uzbek_latin_letters_of_two_characters_after_z():
    words = ["shahar", "oʻquv", "zamon", "ona", "gʻoya", "guruh", "choy", "sinf", "o'qish"]
    assert ordered(words, "uz") == ["guruh", "ona", "sinf", "zamon", "o'qish", "oʻquv", "gʻoya",
                                    "shahar", "choy"]
    # only in Uzbek: English keeps s-h and c-h as letters of their own
    assert ordered(["shop", "sip", "chip", "cup"], "en") == ["chip", "cup", "shop", "sip"]


def test_case_and_accents_only_break_ties():
    assert ordered(["école", "Zebra", "ecology", "alpha", "Alpha"], "en") == \
        ["Alpha", "alpha", "école", "ecology", "Zebra"]
    assert ordered(["Ёлка", "ель", "Ель"], "ru") == ["Ель", "ель", "Ёлка"]


@pytest.mark.parametrize("text, lang, letter", [
    ("ёлка", "ru", "Е"), ("ўқув", "uz-Cyrl", "Ў"), ("Oʻquv", "uz", "Oʻ"), ("o'qish", "uz", "Oʻ"),
    ("shahar", "uz", "Sh"), ("shop", "en", "S"), ("École", "en", "E"), ("", "en", "")])
def test_index_letter(text, lang, letter):
    assert initial(text, lang) == letter


@pytest.mark.parametrize("lang", ["ru", "uz-Cyrl", "uz"])
def test_site_a_to_z_follows_the_alphabet(lang):
    """The A–Z page of the built site lists its labels in the language's order, each letter
    once (no ``Ё`` heading after ``Я``)."""
    from test_site_i18n import page

    text = page(lang, "id/a-z.html")
    body = text.split('id="letter-', 1)[1]
    labels = [html.unescape(re.sub(r"<[^>]+>", "", x)).lstrip("[“\"'(«")
              for x in re.findall(r'<li><a href="[^"]*">(.*?)</a> <small>', body)]
    assert len(labels) > 100
    keys = [key(x, lang) for x in labels]
    assert keys == sorted(keys)
    headings = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
                for h in re.findall(r'<h2 id="letter-[^"]*">(.*?)</h2>', text)]
    assert "Ё" not in headings and len(headings) == len(set(headings)) > 10


def test_report_tables_in_the_alphabet_of_the_page():
    """The report's tables of kinds list the kinds' names in the page's alphabet."""
    from educluster import i18n
    from educluster.language import alphabetical

    try:
        i18n.set_language("ru")
        assert alphabetical(["ясли", "ёлочка", "ель"]) == ["ель", "ёлочка", "ясли"]
        i18n.set_language("uz-Cyrl")
        assert alphabetical(["ҳамкор", "ўқитувчи", "яна", "қишлоқ"]) == \
            ["яна", "ўқитувчи", "қишлоқ", "ҳамкор"]
    finally:
        i18n.set_language("en")
