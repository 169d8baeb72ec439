"""The competency questions in four languages (issue 15): a question's ``# question:`` and
``# why:`` texts, written in English in ontology/cq/*.rq, are the msgids of their catalogue
entries; `query --list`, serve's query page and the cookbook pages show them in their language.
Before, readers of every language met them in English (marked "(по-английски)" on the site)."""

from __future__ import annotations

import html
import re

import pytest

from test_serve import _request, start

OTHER = ("ru", "uz", "uz-Cyrl")
#: a question and its checked Russian translation (the catalogue's)
QID = "swot-of-educational-clusters"
RU_QUESTION = ("Каковы сильные и слабые стороны, возможности и угрозы образовательных кластеров "
               "согласно SWOT-анализу в статьях?")
EN_QUESTION = "What are the strengths, weaknesses, opportunities and threats"


def untranslated(questions, lang: str) -> list[str]:
    """``id: text`` of each question, why or parameter description that ``lang``'s catalogue
    lacks (or gives the English text back)."""
    from educluster.i18n import translations

    t = translations(lang)
    return [f"{q.id}: {text}" for q in questions
            for text in (q.question, q.why, *(p.description for p in q.params if p.description))
            if t.gettext(text) == text]


@pytest.mark.parametrize("lang", OTHER)
def test_every_question_why_and_parameter_is_translated(lang):
    """A question file added or its header edited without its catalogue entries fails here:
    add the English texts to educluster.pot and their translations to ru/ and uz/ .po files,
    then run python -m educluster.i18n_catalogues."""
    from educluster.query import catalogue

    qs = catalogue.questions()
    assert len(qs) >= 40
    assert untranslated(qs, lang) == []


def test_a_new_question_without_translations_is_found(tmp_path):
    """The check above can fail: a question file whose texts have no entries is reported."""
    from educluster.query import catalogue

    (tmp_path / "new-question.rq").write_text(
        "# question: Which clusters were founded this year?\n# why: A new question.\n"
        "# papers: 002\n# params: year=2024 -- the year to look at\n"
        "SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    qs = catalogue.questions(tmp_path)
    for lang in OTHER:
        assert untranslated(qs, lang) == ["new-question: Which clusters were founded this year?",
                                          "new-question: A new question.",
                                          "new-question: the year to look at"]


def test_quoted_papers_words_stay_english_in_the_translations():
    """A why that quotes the paper's words ("1 academic lyceum") keeps them verbatim in each
    translation, so the reader can check them against the paper."""
    from educluster.i18n import translations
    from educluster.query import catalogue

    q = catalogue.find("paper-cluster-members-with-quotes")
    assert '"1 academic lyceum"' in q.why
    for lang in OTHER:
        shown = translations(lang).gettext(q.why)
        assert shown != q.why and '"1 academic lyceum"' in shown, lang


def test_query_list_in_russian(run_cli):
    """`query --list --lang ru` prints the questions in Russian; the JSON of --format json is the
    same whatever the language (a script reads it)."""
    code, out, err = run_cli("query", "--list", "--lang", "ru")
    assert code == 0, err
    flat = " ".join(out.split())
    assert RU_QUESTION in flat and EN_QUESTION not in flat
    assert re.search(r"^" + QID + r"\s+Каковы сильные", out, re.M)
    code, ru_json, err = run_cli("query", "--list", "--format", "json", "--lang", "ru")
    assert code == 0, err
    code, en_json, err = run_cli("query", "--list", "--format", "json", "--lang", "en")
    assert code == 0, err
    assert ru_json == en_json and EN_QUESTION in ru_json


def test_query_list_follows_the_locale(run_cli):
    """Without --lang, the locale's language (here Uzbek Cyrillic)."""
    from educluster.i18n import translations
    from educluster.query import catalogue

    code, out, err = run_cli("query", "--list", env={"LC_ALL": "", "LC_MESSAGES": "",
                                                      "LANG": "uz_UZ.UTF-8@cyrillic"})
    assert code == 0, err
    q = catalogue.find(QID)
    cyrillic = translations("uz-Cyrl").gettext(q.question)
    assert cyrillic != q.question and " ".join(cyrillic.split()) in " ".join(out.split())


def test_serve_query_page_lists_the_russian_questions(tmp_path):
    """`educluster serve --lang ru` shows each question and why in Russian at `/`, not marked
    as English; the papers' words a why quotes are English, marked lang="en"."""
    from educluster.i18n import translations
    from educluster.query import catalogue

    proc, url, err = start(tmp_path, "--port", "0", "--lang", "ru")
    assert url, err
    try:
        status, _, body = _request(url[: -len("query")])
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    assert status == 200
    page = body.decode("utf-8")
    assert f'<summary><code>{QID}</code>: {RU_QUESTION}</summary>' in page
    assert EN_QUESTION not in page.split("<textarea")[0]
    t = translations("ru")
    for q in catalogue.questions():
        assert f"<code>{q.id}</code>: {html.escape(t.gettext(q.question))}</summary>" in page
    assert '<span lang="en">&quot;1 academic lyceum&quot;</span>' in page
    # a parameter's description too
    assert "<code>category</code>, например <code>id:swot-category/threats</code>: " \
        "одна категория SWOT (id:swot-category/...)</li>" in page
    assert "(по-английски)" not in page
