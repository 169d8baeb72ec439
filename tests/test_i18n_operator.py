"""The operator commands in four languages (issue 15: every message through the catalogues):
the help of build, check, query, serve, push, release and site, their one-line errors and the
summaries a person reads follow ``--lang`` (after the command or before it) or the locale;
machine-readable output (JSON, CSV) is the same in every language."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO, run_educluster

#: the operator commands whose help a Russian or Uzbek reader gets (argv before --help)
OPERATOR_COMMANDS = [("build",), ("check",), ("query",), ("serve",), ("push",), ("release",),
                     ("site",), ("site", "build"), ("site", "serve")]

ENGLISH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8", "COLUMNS": "100"}
#: prose: two lower-case words in a row (option names, metavars and codes are not)
PROSE = re.compile(r"\b[a-z]{3,} [a-z]{3,}\b")


def cli(*args, env=None):
    return run_educluster(*[str(a) for a in args], env={**ENGLISH, **(env or {})})


def english_prose(lines):
    return [line for line in lines if PROSE.search(line)]


@pytest.mark.parametrize("how", ["locale ru", "--lang uz-Cyrl before", "--lang uz after"])
@pytest.mark.parametrize("command", OPERATOR_COMMANDS, ids=" ".join)
def test_operator_help_has_no_english_left(command, how):
    """Every line of help text differs from the English help: the description, each option's
    help and the epilog are translated; only option names and metavars stay as they are.
    Regression: the operator commands' help was English whatever --lang or the locale said."""
    code, english, err = cli(*command, "--help")
    assert code == 0, err
    if how == "locale ru":
        code, out, err = cli(*command, "--help", env={"LANG": "ru_RU.UTF-8"})
        usage = "использование: "
    elif how.endswith("before"):
        code, out, err = cli("--lang", "uz-Cyrl", *command, "--help")
        usage = "фойдаланиш: "
    else:
        code, out, err = cli(*command, "--help", "--lang", "uz")
        usage = "foydalanish: "
    assert code == 0 and out.startswith(usage + "educluster " + " ".join(command)), out + err
    prose = english_prose(english.splitlines())
    assert len(prose) >= 2, english
    left = [line for line in prose if line in out.splitlines()]
    assert not left, "untranslated help lines:\n" + "\n".join(left)


@pytest.mark.parametrize("args, ru, uz_cyrl", [
    (("check", "--seeds", "/nonexistent-seeds"),
     "--seeds: папка не найдена; укажите папку с текстами исходных статей",
     "--seeds: жилд топилмади; манба мақолалар матни жилдини беринг"),
    (("build", "--ontology-dir", "/nonexistent-ontology", "--out", "{tmp}"),
     "папка онтологии не найдена; укажите существующую папку",
     "онтология жилди топилмади; мавжуд жилдни беринг"),
    (("query", "no-such-question"),
     "нет вопроса компетентности 'no-such-question'",
     "'no-such-question' компетенция саволи йўқ"),
    (("query", "SELECT ?x WHERE { ?x ?p }"),
     "синтаксическая ошибка SPARQL: строка 1, столбец",
     "SPARQL синтаксис хатоси: 1-қатор,"),
    (("push", "--store", "ftp://example.org/store"),
     "--store 'ftp://example.org/store' — не URL http(s); укажите полный адрес сервера",
     "--store 'ftp://example.org/store' http(s) URL эмас; сервернинг тўлиқ манзилини беринг"),
    (("push", "--store", "http://127.0.0.1:9/store", "--data", "{ttl}", "--graph", "a", "--graph", "b"),
     "число --graph (2) не равно числу файлов --data (1)",
     "--graph сони (2) --data файллари сонига (1) тенг эмас"),
    (("release", "--date", "2026-13-01", "--releases", "{tmp}"),
     "--date '2026-13-01' — не дата вида YYYY-MM-DD",
     "--date '2026-13-01' YYYY-MM-DD кўринишидаги сана эмас"),
    (("serve", "--cors", "*"),
     "--cors '*' — не один источник",
     "--cors '*' битта манба эмас"),
    (("push", "--store", "http://127.0.0.1:9/store"),
     "загрузка графа «онтология» <https://w3id.org/educluster/graph/ontology>: нет связи: "
     "хранилище http://127.0.0.1:9/store",
     "«онтология» графини юклаш <https://w3id.org/educluster/graph/ontology>: боғланиб "
     "бўлмади: омбор http://127.0.0.1:9/store"),
    (("query", "ASK {}", "--endpoint", "http://127.0.0.1:9/query"),
     "нет связи: точка доступа SPARQL http://127.0.0.1:9/query",
     "боғланиб бўлмади: SPARQL нуқтаси http://127.0.0.1:9/query"),
], ids=["check-seeds", "build-ontology-dir", "query-id", "query-syntax", "push-store",
        "push-graphs", "release-date", "serve-cors", "push-unreachable", "query-unreachable"])
def test_operator_error_in_the_language(tmp_path, args, ru, uz_cyrl):
    """A bad input of an operator command is one line in Russian or Uzbek Cyrillic (exit 2):
    the same error that English users get, through the catalogues; options and values stay
    as typed."""
    ttl = REPO / "examples" / "tashkent" / "tashkent.ttl"
    argv = [str(tmp_path / "out") if a == "{tmp}" else str(ttl) if a == "{ttl}" else a
            for a in args]
    for lang, want in (("ru", ru), ("uz-Cyrl", uz_cyrl)):
        code, out, err = cli(*argv, "--lang", lang)
        assert code == 2 and len(err.strip().splitlines()) == 1, (lang, err)
        assert err.startswith("educluster: ") and want in err, (lang, err)
        assert "Traceback" not in err
    code, out, err = cli(*argv)
    assert code == 2 and want not in err              # English without --lang and locale


def test_lang_before_the_command_reaches_a_data_officer_command():
    """``educluster --lang ru validate FILE``: the program's --lang is the command's language
    (the command's own --lang, absent, must not reset it to the locale's)."""
    good = REPO / "examples" / "tashkent" / "tashkent.ttl"
    code, out, err = cli("--lang", "ru", "validate", good)
    assert code == 0 and out.rstrip().endswith("Проблем не найдено."), out + err
    code, out, err = cli("--lang", "ru", "validate", good, "--lang", "en")   # the nearer wins
    assert code == 0 and out.rstrip().endswith("No problems found."), out + err


def test_check_report_in_the_language_and_json_unchanged():
    """The text report's frame (notes, counts, status) is Russian; the JSON report is the same
    document whatever the language (rule ids, counts and check names are codes)."""
    base = ("check", "--no-seeds", "--no-reasoner")
    code, out, err = cli(*base, env={"LANG": "ru_RU.UTF-8"})
    assert code in (0, 1), err
    last = out.rstrip().splitlines()[-1]
    assert last.startswith("check: выполнено ") and "(parse, qc-queries" in last, out
    assert "примечание: ризонер пропущен (--no-reasoner)" in out
    assert "checks run" not in out and "note:" not in out
    docs = {}
    for lang in ("en", "ru", "uz-Cyrl"):
        code, out, err = cli(*base, "--format", "json", "--lang", lang)
        docs[lang] = json.loads(out)
    assert docs["ru"] == docs["en"] == docs["uz-Cyrl"]


def test_build_summary_in_the_language(tmp_path):
    code, out, err = cli("build", "--out", tmp_path / "dist", env={"LANG": "ru_RU.UTF-8"})
    assert code == 0, err
    # the plural form follows the number: записан 1 триплет, записано 3 триплета, 5 триплетов
    assert re.fullmatch(r"записано? \d+ триплет(?:а|ов)? в .*dist/ \(4 формата \+ контекст\)\n",
                        out), out
    code, out, err = cli("build", "--out", tmp_path / "dist2", "--lang", "uz-Cyrl")
    assert code == 0 and "та триплет ёзилди (4 формат + контекст)" in out, out


def test_query_table_in_the_language_csv_unchanged():
    """The table for people counts its rows in the language; CSV is the same bytes."""
    q = "SELECT ?s WHERE { ?s a owl:Ontology }"
    code, out, err = cli("query", q, "--lang", "ru")
    assert code == 0 and out.rstrip().endswith("(1 строка)"), out + err
    code, out, err = cli("query", q, "--lang", "uz")
    assert code == 0 and out.rstrip().endswith("(1 ta qator)"), out + err
    csv = {lang: cli("query", q, "--format", "csv", "--lang", lang)[1] for lang in ("en", "ru")}
    assert csv["en"] == csv["ru"] and csv["en"].startswith("s\n")


@pytest.mark.parametrize("latin, cyrillic", [
    ("Java kerak emas", "Java керак эмас"),
    ("Oxigraph, Virtuoso (virtuoso.ini) yoki Fuseki", "Oxigraph, Virtuoso (virtuoso.ini) ёки Fuseki"),
    ("mkdocs-material bilan, sitemap.xml uchun", "mkdocs-material билан, sitemap.xml учун"),
    ("owl:deprecated true bilan; true yoki false", "owl:deprecated true билан; true ёки false"),
    ("http(s) URL emas; w3id qoidalari", "http(s) URL эмас; w3id қоидалари"),
    ("<ontology-dir>/kb oʻrniga; <iri>", "<ontology-dir>/kb ўрнига; <iri>"),
    ("skos:, dcterms:, xsd: va (person:, principle: ...)", "skos:, dcterms:, xsd: ва (person:, principle: ...)"),
    ("dist/.htaccess dagi qoidalar; standart: 5", "dist/.htaccess даги қоидалар; стандарт: 5"),
])
def test_operator_words_stay_latin_in_cyrillic(latin, cyrillic):
    """Program names, literals, placeholders in angle brackets and RDF prefixes that the
    operator commands' help names are typed as written: the Cyrillic keeps them Latin (an
    Uzbek word before a colon is still transliterated)."""
    from educluster.i18n import to_cyrillic

    assert to_cyrillic(latin) == cyrillic


def test_serve_query_page_in_the_language():
    """The page `educluster serve` shows at / speaks serve's language (--lang, else the
    locale): its own words translated, html lang set, the questions and whys in Russian too (no
    longer English marked lang="en"); the forms, ids and prefixes are the same. Regression: it
    was English only."""
    from educluster import i18n
    from educluster.query_page import render

    old = i18n.current()
    try:
        i18n.set_language("en")
        english = render().decode("utf-8")
        i18n.set_language("ru")
        russian = render().decode("utf-8")
    finally:
        i18n.set_language(old)
    assert '<html lang="en">' in english and ' lang="en">' not in english.split("<html", 1)[1][20:]
    assert '<html lang="ru">' in russian and "<h1>Запрос SPARQL</h1>" in russian
    assert "Точка доступа только для чтения: <code>/query</code>" in russian
    assert "Read-only endpoint" not in russian and ">Run<" not in russian
    assert russian.count('<button type="submit">Выполнить</button>') == \
        english.count('<button type="submit">Run</button>') > 10
    questions = english.count("<details ")
    assert len(re.findall(r'<summary><code>[^<]*</code>: [А-ЯЁ][^<]*</summary>', russian)) \
        == questions
    assert len(re.findall(r'</summary><p class="why">[А-ЯЁ]', russian)) == questions
    assert re.findall(r'id="[^"]+"', russian) == re.findall(r'id="[^"]+"', english)
    assert re.findall(r"<textarea.*?</textarea>", russian, re.S) == \
        re.findall(r"<textarea.*?</textarea>", english, re.S)


def test_push_reports_in_the_language(writable_oxigraph):
    """push's progress lines and summary are Russian with --lang ru; the graph IRIs and counts
    are the English run's (a script may read them)."""
    store = f"{writable_oxigraph}/store"
    code, out_en, err_en = cli("push", "--store", store)
    assert code == 0, err_en
    code, out, err = cli("push", "--store", store, "--lang", "ru")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("онтология: ") and " триплет" in lines[0], out
    assert lines[1].startswith("база знаний: "), out
    counts = [re.search(r": (\d+) .* -> (<[^>]+>)", line).groups() for line in lines]
    assert counts == [re.search(r": (\d+) .* -> (<[^>]+>)", line).groups()
                      for line in out_en.splitlines()]
    assert err.startswith("загружен") and "'educluster query --endpoint QUERY-URL'" in err
    assert "pushed" not in err and "triples" not in out


def test_web_public_warning_in_the_language():
    """`web --host 0.0.0.0 --public` warns on stderr that other machines can reach it, in the
    locale's language; here the port is taken, so it stops right after, with its one-line
    error in the same language (exit 2)."""
    import socket

    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = cli("web", "--host", "0.0.0.0", "--public", "--port", port,
                             env={"LANG": "ru_RU.UTF-8"})
        code_uz, _out, err_uz = cli("web", "--host", "0.0.0.0", "--public", "--port", port,
                                    "--lang", "uz")
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 2, err
    assert lines[0] == ("educluster web: ПРЕДУПРЕЖДЕНИЕ: прослушивается 0.0.0.0, доступный с "
                        "других машин; любой, кто до него доберётся, может загружать данные")
    assert lines[1].startswith(f"educluster: не удаётся слушать 0.0.0.0, порт {port}")
    assert code_uz == 2 and err_uz.startswith("educluster web: ogohlantirish: 0.0.0.0 "
                                              "tinglanmoqda"), err_uz
