"""Four languages (issue 15 section 1): every vocabulary term, code and shape message has
``uz``, ``uz-Cyrl``, ``ru`` and ``en``; the Cyrillic is the transliteration of the Latin; the
glossary's forms are the ones the vocabulary uses; the language is picked from ``--lang`` or
the locale; codes may be written as their label in any language."""

from __future__ import annotations

import functools

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conftest import REPO

from educluster import i18n
from educluster.i18n import LANGUAGES, to_cyrillic

EC = "https://w3id.org/educluster/ontology#"
I18N = REPO / "ontology" / "i18n"


@functools.lru_cache(maxsize=1)
def merged() -> rdflib.Graph:
    from educluster.kb import load_graph

    return load_graph()


def languages_of(g: rdflib.Graph, s, p) -> set[str]:
    """The language tags (as written in LANGUAGES) of ``s``'s ``p`` literals."""
    canon = {x.lower(): x for x in LANGUAGES}
    return {canon.get((o.language or "").lower(), o.language or "")
            for o in g.objects(s, p) if isinstance(o, rdflib.Literal)}


def vocabulary_terms() -> set[str]:
    """Every class and property of the TBox files and every code a template column allows."""
    from educluster.convert import layout
    from educluster.convert.codes import is_coded
    from educluster.convert.vocab import load_vocabulary
    from educluster.i18n_files import TBOX_FILES

    tbox = rdflib.Graph()
    for name in TBOX_FILES:
        tbox.parse(REPO / "ontology" / name)
    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                 RDF.Property):
        terms |= {str(s) for s in tbox.subjects(RDF.type, kind) if str(s).startswith(EC)}
    vocab = load_vocabulary()
    for t in layout.TEMPLATES:
        for c in t.columns:
            if not is_coded(c):
                continue
            if c.kind in ("type", "class"):
                terms |= {EC + n for n in vocab.class_names(c.code_class)}
            else:
                terms |= set(vocab.instances(EC + c.code_class, c.axis))
    return terms


def test_every_term_and_code_has_label_and_definition_in_four_languages():
    g = merged()
    terms = vocabulary_terms()
    assert len(terms) > 200          # 106 TBox terms and 116 codes when this was written
    missing = []
    for t in sorted(terms):
        s = rdflib.URIRef(t)
        for p in (RDFS.label, SKOS.definition):
            lacking = set(LANGUAGES) - languages_of(g, s, p)
            if lacking:
                missing.append(f"{t} {p.n3(g.namespace_manager)}: {sorted(lacking)}")
        if languages_of(g, s, SKOS.prefLabel):
            lacking = set(LANGUAGES) - languages_of(g, s, SKOS.prefLabel)
            if lacking:
                missing.append(f"{t} skos:prefLabel: {sorted(lacking)}")
    assert not missing, "translate these in ontology/i18n/*.ttl:\n" + "\n".join(missing)


def test_each_translated_set_records_its_provenance_once():
    for lang, folder in [(x, f) for x in ("uz", "uz-Cyrl", "ru") for f in (I18N, I18N / "kb")]:
        g = rdflib.Graph().parse(folder / f"{lang}.ttl")
        sets = list(g.subjects(RDF.type, rdflib.URIRef("http://www.w3.org/ns/prov#Entity")))
        assert len(sets) == 1, lang
        desc = str(g.value(sets[0], rdflib.URIRef("http://purl.org/dc/terms/description")))
        assert "Working translations by the educluster project" in desc
        assert str(g.value(sets[0], rdflib.URIRef("http://purl.org/dc/terms/language"))) == lang
        # every literal of the file is in its language: nothing English slipped in
        tags = {o.language.lower() for o in g.objects() if isinstance(o, rdflib.Literal)
                and o.language and o.language != "en"}
        assert tags == {lang.lower()}


def test_quotes_are_never_translated():
    """The translation files carry labels and definitions only, never an ec:quote."""
    for f in I18N.glob("**/*.ttl"):
        g = rdflib.Graph().parse(f)
        assert not list(g.triples((None, rdflib.URIRef(EC + "quote"), None))), f.name


def test_cyrillic_file_is_the_transliteration_of_the_latin_one():
    from educluster.i18n_files import cyrillic_turtle

    for folder in (I18N, I18N / "kb"):
        expected = cyrillic_turtle((folder / "uz.ttl").read_text(encoding="utf-8"))
        assert (folder / "uz-Cyrl.ttl").read_text(encoding="utf-8") == expected, \
            f"{folder}/uz-Cyrl.ttl is out of step with uz.ttl: run python -m educluster.i18n_files"


@pytest.mark.parametrize("latin, cyrillic", [
    ("taʼlim klasteri", "таълим кластери"),
    ("ta'lim", "таълим"),                       # a typed apostrophe is the tutuq belgisi
    ("oʻqituvchi", "ўқитувчи"),
    ("yoʻnalish", "йўналиш"),                   # y + oʻ, not yo + ʻ
    ("O'zbekiston", "Ўзбекистон"),
    ("gʻoya", "ғоя"),
    ("uzluksiz taʼlim", "узлуксиз таълим"),
    ("malaka oshirish", "малака ошириш"),
    ("shahar choʻqqisi", "шаҳар чўққиси"),
    ("yangi yer", "янги ер"),
    ("ekskursiya", "экскурсия"),                # e at the start of a word
    ("akademik litsey", "академик лицей"),
    ("klaster subyektlari va obyekt", "кластер субъектлари ва объект"),   # ъе in loanwords
    ("qatorning id si", "қаторнинг id си"),                            # the column name kept
    ("ilmiy markaz va sentr", "илмий марказ ва центр"),
    ("SWOT tahlili, ec:School va 'a quote'", "SWOT таҳлили, ec:School ва 'a quote'"),
    ("MAKTAB", "MAKTAB"),                       # an all-capitals word is kept (acronyms)
    # Regression: every Latin "ts" became "ц", so the catalogue's "muvaffaqiyatsiz"
    # (unsuccessful, muvaffaqiyat + -siz) read "муваффақияциз". In Uzbek words "ts" is t + s
    # at a morpheme boundary and stays "тс"; "ц" is a loanword letter only.
    ("muvaffaqiyatsiz", "муваффақиятсиз"),
    ("aytsa ketsin", "айтса кетсин"),
    ("innovatsion integratsiyalash", "инновацион интеграциялаш"),   # the -ция/-цион loans
    ("Litseylar", "Лицейлар"),                  # a listed loanword, capitalised, with a suffix
    ("tsirk", "цирк"),                          # ts at the start of a word is a loan's ц
    # what a user types or reads off a screen stays as written: options and their values,
    # commands, file extensions and folders, menu paths, language codes, format names
    ("--format json bilan yoki validate --against", "--format json билан ёки validate --against"),
    ("Excel da: File > Save As, turi .xlsx", "Excel да: File > Save As, тури .xlsx"),
    (".rq fayl dist/ ga; uz yoki ru", ".rq файл dist/ га; uz ёки ru"),
    ("Turtle yoki zip arxiv", "Turtle ёки zip архив"),
])
def test_transliteration(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


#: Every word with "ts" in the Uzbek Latin texts we ship, and its Cyrillic as reviewed: "ц" in
#: loanwords (-tsiya/-tsion, litsey), "тс" where an Uzbek stem meets a suffix (-siz).
REVIEWED_TS_WORDS = {
    "annotatsiya": "аннотация",
    "attestatsiyadan": "аттестациядан",
    "autentifikatsiyali": "аутентификацияли",
    "autentifikatsiyasiga": "аутентификациясига",
    "autentifikatsiyasini": "аутентификациясини",
    "innovatsion": "инновацион",
    "innovatsiyalar": "инновациялар",
    "innovatsiyalarni": "инновацияларни",
    "integratsiyalash": "интеграциялаш",
    "integratsiyalashgan": "интеграциялашган",
    "integratsiyasi": "интеграцияси",
    "internetsiz": "интернетсиз",                  # internet + -siz: т meets с
    "kommunikatsiya": "коммуникация",
    "kompilyatsiya": "компиляция",
    "litsenziya": "лицензия",
    "litsenziyasi": "лицензияси",
    "litsey": "лицей",
    "litseylar": "лицейлар",
    "matritsa": "матрица",
    "modernizatsiya": "модернизация",
    "muvaffaqiyatsiz": "муваффақиятсиз",
    "muvaffaqiyatsizlik": "муваффақиятсизлик",  # -siz + -lik (the OpenAPI "strict" field)
    "pozitsion": "позицион",
    "spetsifikatsiyadan": "спецификациядан",       # a listed loan: ts before i-f, not -tsiya
    "tabulyatsiya": "табуляция",
    "tabulyatsiyalar": "табуляциялар",
    "universitetsiz": "университетсиз",            # universitet + -siz: т meets с
}


def shipped_uzbek_latin_texts():
    """Every Uzbek Latin text we ship: the catalogue's translations, the Turtle labels,
    definitions and shape messages, and the prose of the hand-written pages."""
    import re

    from educluster.i18n_catalogues import read

    for m in read("uz"):
        if m.id:
            yield from (m.string if isinstance(m.string, (list, tuple)) else [m.string])
    for f in (I18N / "uz.ttl", I18N / "kb" / "uz.ttl", REPO / "shapes" / "i18n" / "uz.ttl"):
        yield from re.findall(r'"((?:[^"\\]|\\.)*)"@uz\b', f.read_text(encoding="utf-8"))
    from educluster.site.handwritten import _INLINE_KEEP, _blocks

    for f in sorted((REPO / "site" / "docs" / "uz").glob("*.md")):  # the hand-written pages' prose
        prose = "".join(part for kept, part in _blocks(f.read_text(encoding="utf-8")) if not kept)
        yield _INLINE_KEEP.sub(" ", prose)


def test_every_ts_word_we_ship_is_reviewed():
    """Latin "ts" is "ц" or "тс" depending on the word (see educluster.i18n._TS_LOANS), so each
    word with "ts" that we ship has its Cyrillic reviewed here: a new one fails until a person
    has checked it (and, for a loanword outside the rule, added it to _TS_LOANS)."""
    import re

    found = {}
    for text in shipped_uzbek_latin_texts():
        for k, part in enumerate(i18n._KEEP.split(i18n.normalise_uz(text))):
            if k % 2:
                continue                                  # codes, quotes, file names: kept
            for w in re.findall(f"[A-Za-z{i18n.OKINA}{i18n.TUTUQ}]+", part):
                low = w.lower()
                if "ts" in low and to_cyrillic(low) != low:
                    found[low] = to_cyrillic(low)
    assert "muvaffaqiyatsiz" in found
    assert found == REVIEWED_TS_WORDS, "review these and update REVIEWED_TS_WORDS: " + repr(
        {w: c for w, c in found.items() if REVIEWED_TS_WORDS.get(w) != c})


def test_normalise_uz_uses_the_official_apostrophes():
    assert i18n.normalise_uz("o'quv g`oya ta’lim") == "o\u02bbquv g\u02bboya ta\u02bclim"
    assert i18n.normalise_uz("'quoted'") == "'quoted'"       # quotation marks stay


def test_glossary_forms_are_the_vocabularys():
    """Where a translated term's English label is a glossary entry, its labels are the
    glossary's forms;
    the glossary's Cyrillic column is the transliteration of its Latin one."""
    from educluster.i18n_files import read_glossary

    rows = read_glossary()
    assert rows and set(rows[0]) == {"en", "uz", "uz-Cyrl", "ru", "note"}
    assert len({r["en"] for r in rows}) == len(rows), "one row per term"
    g = merged()
    by_en: dict[str, list] = {}
    for s, o in g.subject_objects(RDFS.label):
        if isinstance(o, rdflib.Literal) and o.language == "en":
            by_en.setdefault(str(o), []).append(s)
    used = 0
    for r in rows:
        assert r["uz-Cyrl"] == to_cyrillic(r["uz"]), r["en"]
        assert all(r[lang] for lang in LANGUAGES if lang != "en"), r["en"]
        for s in by_en.get(r["en"], ()):
            labels = {lang: {str(o) for o in g.objects(s, RDFS.label)
                             if isinstance(o, rdflib.Literal)
                             and (o.language or "").lower() == lang.lower()}
                      for lang in ("uz", "uz-Cyrl", "ru")}
            if not any(labels.values()):     # a knowledge-base item not translated (yet)
                continue
            for lang, forms in labels.items():
                assert r[lang] in forms, f"{s}: {lang} label {forms} is not the glossary's {r[lang]}"
            used += 1
    assert used >= 20


def test_established_terms_of_the_literature():
    g = merged()
    want = {"EducationalCluster": ("образовательный кластер", "taʼlim klasteri"),
            "ContinuousEducation": ("непрерывное образование", "uzluksiz taʼlim")}
    for name, (ru, uz) in want.items():
        labels = {str(o) for o in g.objects(rdflib.URIRef(EC + name), RDFS.label)}
        assert ru in labels and uz in labels and to_cyrillic(uz) in labels


@pytest.mark.parametrize("env, lang", [
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LC_ALL": "uz_UZ.UTF-8@cyrillic", "LANG": "ru_RU.UTF-8"}, "uz-Cyrl"),
    ({"LC_MESSAGES": "uz_UZ.UTF-8", "LANG": "en_US.UTF-8"}, "uz"),
    ({"LANG": "de_DE.UTF-8"}, "en"),             # not one of ours: English
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
])
def test_language_from_the_locale(env, lang):
    assert i18n.from_environment(env) == lang


def test_pick_prefers_the_language_then_english():
    lits = [rdflib.Literal("ядро", lang="ru"), rdflib.Literal("core", lang="en"),
            rdflib.Literal("yadro", lang="uz"), rdflib.Literal("ядро", lang="uz-cyrl")]
    assert i18n.pick(lits, "ru") == "ядро"
    assert i18n.pick(lits, "uz-Cyrl") == "ядро"
    assert i18n.pick(lits[1:2], "uz") == "core"      # missing: English, visibly
    assert i18n.pick([], "uz") is None


@pytest.mark.parametrize("written", ["ядро", "yadro", "ЯДРО", "core"])
def test_a_code_may_be_written_as_its_label_in_any_language(written):
    from educluster.convert.vocab import load_vocabulary

    vocab = load_vocabulary()
    candidates = vocab.instances(EC + "MembershipRole")
    assert vocab.match_code(written, candidates) == "https://w3id.org/educluster/id/role/core"


def test_a_class_code_may_be_written_as_its_label_in_any_language():
    from educluster.convert.vocab import load_vocabulary

    vocab = load_vocabulary()
    for written in ("общеобразовательная школа", "umumtaʼlim maktabi", "umumta'lim maktabi",
                    "умумтаълим мактаби"):
        assert vocab.match_class(written, "Participant") == EC + "School", written


# -- shape messages ------------------------------------------------------------------------

def test_every_shape_message_is_in_four_languages():
    """A shape with an English sh:message (shapes/*.ttl) has one in each language
    (shapes/i18n/*.ttl), so that no report mixes languages."""
    from educluster.validate.engine import load_shapes, shape_messages

    shapes = load_shapes()
    sh_message = rdflib.URIRef("http://www.w3.org/ns/shacl#message")
    shaped = set(shapes.subjects(sh_message, None))
    assert len(shaped) >= 100
    missing = [f"{s}: {sorted(set(LANGUAGES) - set(shape_messages(shapes, s)))}"
               for s in sorted(shaped) if set(shape_messages(shapes, s)) != set(LANGUAGES)]
    assert not missing, "translate in shapes/i18n/*.ttl:\n" + "\n".join(missing)
    # and nothing translated for a shape that does not exist (a renamed shape)
    english = {s for s, o in shapes.subject_objects(sh_message)
               if not getattr(o, "language", None) or o.language == "en"}
    assert shaped == english


def test_message_placeholders_and_codes_survive_translation():
    """Codes a message tells the user to type (core, UZ-TO, YYYY-MM-DD) are the same in
    every language: translating them would tell the user to type something refused."""
    from educluster.validate.engine import load_shapes, shape_messages

    shapes = load_shapes()
    for code in ("UZ-TO", "YYYY-MM-DD", "within-network", "PedagogicalUniversity", "'core'"):
        for s in set(shapes.subjects(rdflib.URIRef("http://www.w3.org/ns/shacl#message"), None)):
            msgs = shape_messages(shapes, s)
            if code in msgs["en"]:
                for lang, text in msgs.items():
                    assert code in text, (s, lang)


def test_both_engines_give_the_same_message_in_each_language():
    """The fast engine and pyshacl pick the same message whatever order the store returns
    the tagged literals in; the report shows it in the chosen language."""
    from educluster.convert.inputs import load_inputs
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate.engine import load_shapes, validate_graph

    vocab = load_vocabulary()
    shapes = load_shapes()
    data = load_inputs([str(REPO / "tests/data/invalid/cluster-direction-typo.ttl")],
                       vocab=vocab).graph
    fast = validate_graph(data, vocab, shapes, engine="fast")
    ref = validate_graph(data, vocab, shapes, engine="pyshacl")
    assert fast and len(fast) == len(ref)
    key = lambda r: (str(r.focus), str(r.shape))   # noqa: E731
    for a, b in zip(sorted(fast, key=key), sorted(ref, key=key)):
        assert a.message == b.message and a.message.startswith("This is not one of")
        for lang in LANGUAGES:
            assert a.message_in(lang) == b.message_in(lang)
        assert a.message_in("ru").startswith("Это не одно из направлений")
        assert a.message_in("uz-Cyrl") == to_cyrillic(a.message_in("uz"))


# -- gettext catalogues --------------------------------------------------------------------

def test_catalogue_template_lists_every_message_of_the_code():
    """``educluster.pot`` is up to date: every message the code marks (``_``, ``N_``,
    ``ngettext``) anywhere in the package (readers, reports, the command line's help, the web
    pages) is in it, so a new message cannot slip past translation."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    pkg = REPO / "loaders" / "educluster"
    found = set()
    for _f, _l, msg, _c, _x in extract_from_dir(
            pkg, method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
        found.add(msg if isinstance(msg, str) else msg[0])
    with open(pkg / "locale" / "educluster.pot", "rb") as f:
        pot = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert found and found <= pot, "run pybabel extract (see educluster.i18n_catalogues): " \
        + repr(sorted(found - pot))
    from educluster.i18n_catalogues import layout_messages

    missing = set(layout_messages()) - pot      # the templates' table and column help
    assert not missing, "run python -m educluster.i18n_catalogues --add-layout: " \
        + repr(sorted(missing))


#: The modules whose errors a data officer or web user reads: the readers of CSV, workbooks,
#: JSON and RDF, the output writers, and the commands validate, convert, template, assess,
#: report and web. (assess/criteria.py is left out: its errors are about the project's own
#: criteria files, for its developers.)
READER_MODULES = ("convert/*.py", "validate/*.py", "jsonread.py", "guards.py", "atomic.py",
                  "engines.py", "template.py", "template_workbook.py", "assess/__init__.py",
                  "assess/data.py", "report/*.py", "web/*.py")
#: The modules whose errors an operator reads: the commands build, check, query, serve, push,
#: release and site, and what they share (reading RDF files, the repository's folders, the
#: SPARQL protocol client). (locators.py is left out: a developer's tool, run as python -m.)
OPERATOR_MODULES = ("cli.py", "build.py", "check/*.py", "kb.py", "paths.py", "query/*.py",
                    "serve.py", "serve_front.py", "push.py", "release.py", "site/*.py",
                    "redirects.py", "skos_export.py", "termfiles.py", "context.py",
                    "fastvalidate/*.py")


def test_reader_errors_are_translated():
    """Every UserError a reader, data-officer or operator command raises says its message
    through the catalogues (``_``/``ngettext`` around the English text): a bare English literal
    or f-string would reach a Russian or Uzbek user in English. Scans the source.
    Regression: the operator commands' errors (check, query, push, ...) were English only."""
    import ast
    import re

    marks = ("_", "ngettext", "N_")

    def marked(node):
        return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                   and n.func.id in marks for n in ast.walk(node))

    def english(node):
        return any(isinstance(n, ast.Constant) and isinstance(n.value, str)
                   and re.search(r"[A-Za-z]+ [A-Za-z]+", n.value) for n in ast.walk(node))

    pkg = REPO / "loaders" / "educluster"
    files = sorted({f for pattern in READER_MODULES + OPERATOR_MODULES
                    for f in pkg.glob(pattern)})
    assert len(files) > 60
    bare, checked = [], 0
    for f in files:
        src = f.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(src)):
            if not (isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) in ("UserError", "_Refused")
                    and node.args):
                continue
            checked += 1
            if english(node.args[0]) and not marked(node.args[0]):
                bare.append(f"{f.relative_to(pkg)}:{node.lineno}: "
                            f"{ast.get_source_segment(src, node.args[0])[:80]}")
    assert checked > 200            # 226 when the operator modules were added
    assert not bare, "wrap these messages in _() and translate them:\n" + "\n".join(bare)


def test_a_reader_error_in_each_language(tmp_path):
    """A workbook that is not one (a reader error) is reported in the chosen language, one
    line, exit 2; the English text is the msgid."""
    bad = tmp_path / "participants.xlsx"
    bad.write_text("id,name\n", encoding="utf-8")
    want = {"en": "this is not an Excel workbook (.xlsx) although its name says so",
            "ru": "это не книга Excel (.xlsx), хотя так сказано в имени",
            "uz": "nomi shunday desa ham, bu Excel ish kitobi (.xlsx) emas",
            "uz-Cyrl": "номи шундай деса ҳам, бу Excel иш китоби (.xlsx) эмас"}
    for lang, text in want.items():
        code, out, err = run_cli("validate", bad, "--lang", lang)
        assert code == 2 and len(err.strip().splitlines()) == 1 and text in err, (lang, err)


def test_no_function_imports_the_translator_after_using_it():
    """Regression: ``validate.run`` said ``_("...")`` and later imported ``_`` inside the same
    function, which makes ``_`` local to the whole function, so 'validate --endpoint URL FILE'
    died with UnboundLocalError instead of its one-line error."""
    import ast

    def own(fn):
        stack = list(ast.iter_child_nodes(fn))
        while stack:
            n = stack.pop()
            if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                  ast.ClassDef)):
                yield n
                stack.extend(ast.iter_child_nodes(n))

    bad = []
    for f in sorted((REPO / "loaders" / "educluster").rglob("*.py")):
        for fn in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            nodes = list(own(fn))
            binds = [n.lineno for n in nodes if isinstance(n, (ast.Import, ast.ImportFrom))
                     and any((a.asname or a.name) == "_" for a in n.names)]
            uses = [n.lineno for n in nodes if isinstance(n, ast.Name) and n.id == "_"
                    and isinstance(n.ctx, ast.Load)]
            if binds and uses and min(uses) < min(binds):
                bad.append(f"{f.name}:{fn.name}")
    assert not bad, bad


def test_command_help_in_each_language():
    """The data officer's commands explain themselves in the chosen language (--lang, else the
    locale): their description, options and argparse's own words (usage, section titles)."""
    code, out, err = run_cli("validate", "--help", "--lang", "ru")
    assert code == 0 and out.startswith("использование: educluster validate"), out
    assert "параметры:" in out and "Проверить данные учреждений" in out
    assert "показать эту справку и выйти" in out and "warnings count" not in out
    code, out, err = run_cli("template", "--help", env={"LC_ALL": "", "LANG": "uz_UZ.UTF-8"})
    assert out.startswith("foydalanish: educluster template") and "parametrlar:" in out, out
    code, out, err = run_cli("web", "--help", env={"LC_ALL": "uz_UZ.UTF-8@cyrillic"})
    assert out.startswith("фойдаланиш: educluster web") and "--keep-uploads" in out, out
    code, out, err = run_cli("convert", "--help", env={"LC_ALL": "C.UTF-8"})
    assert out.startswith("usage: educluster convert") and "options:" in out   # English stays


def test_argparse_errors_in_the_language():
    """A missing or wrong argument is one line in the chosen language, exit 2."""
    code, out, err = run_cli("convert", "x.csv", "--lang", "ru")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "требуются следующие аргументы: --output/-o" in err, err
    assert "(см. 'educluster convert --help')" in err
    code, out, err = run_cli("validate", "x.csv", "--format", "xml", "--lang=uz")
    assert code == 2 and "notoʻgʻri tanlov: 'xml'" in err, err
    # an option the command does not have is refused in the language the user asked for
    # (build had no --lang to ask with until the operator commands got one, decision 0033)
    code, out, err = run_cli("build", "--no-such-option", "--lang", "ru",
                             env={"LC_ALL": "C.UTF-8"})
    assert code == 2 and "нераспознанные аргументы: --no-such-option" in err, err


@pytest.mark.parametrize("lang", ["uz", "uz-Cyrl", "ru"])
def test_catalogue_is_complete_and_compiled(lang):
    """Every message of the template has a translation (every plural form), none fuzzy,
    placeholders kept; the committed .mo is the .po compiled."""
    import re

    from babel.messages.pofile import read_po

    from educluster.i18n_catalogues import mo_bytes, po_path, read

    with open(REPO / "loaders/educluster/locale/educluster.pot", "rb") as f:
        pot = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    cat = read(lang)
    have = {}
    for m in cat:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        strings = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
        assert all(strings) and not m.fuzzy, (lang, key)
        assert len(strings) == (cat.num_plurals if not isinstance(m.id, str) else 1), key
        for s in strings:
            assert set(re.findall(r"\{\w+\}", s)) == set(re.findall(r"\{\w+\}", key)), (lang, s)
        have[key] = strings
    assert pot <= set(have), sorted(pot - set(have))
    assert po_path(lang).with_suffix(".mo").read_bytes() == mo_bytes(lang), \
        "run python -m educluster.i18n_catalogues"


def test_cyrillic_catalogue_is_the_transliteration_of_the_latin_one():
    from educluster.i18n_catalogues import cyrillic_po, po_path

    assert po_path("uz-Cyrl").read_bytes() == cyrillic_po()


def test_russian_plurals():
    from educluster import i18n as m

    old = m.current()
    try:
        m.set_language("ru")
        assert [m.ngettext("{n} violation", "{n} violations", n).format(n=n)
                for n in (1, 3, 5, 21)] == ["1 нарушение", "3 нарушения", "5 нарушений",
                                            "21 нарушение"]
    finally:
        m.set_language(old)


# -- the command line ----------------------------------------------------------------------

def run_cli(*args, env=None):
    from conftest import run_educluster

    return run_educluster(*[str(a) for a in args], env=env)


def test_validate_reports_in_each_language_with_the_same_machine_fields():
    bad = REPO / "tests/data/invalid/cluster-direction-typo.ttl"
    reports = {}
    for lang in LANGUAGES:
        code, out, err = run_cli("validate", bad, "--lang", lang, "--format", "json")
        assert code == 1, err
        reports[lang] = __import__("json").loads(out)
    keys = {lang: [sorted(r) for r in doc["results"]] for lang, doc in reports.items()}
    assert all(k == keys["en"] for k in keys.values())          # same fields, same order
    codes = {lang: [(r["component"], r["shape"], r["value"]) for r in doc["results"]]
             for lang, doc in reports.items()}
    assert all(c == codes["en"] for c in codes.values())        # codes never translated
    assert reports["ru"]["results"][0]["message"].startswith("Это не одно из направлений")
    assert reports["en"]["results"][0]["message"].startswith("This is not one of")


def test_text_report_language_from_the_locale_and_from_lang():
    bad = REPO / "tests/data/invalid/cluster-direction-typo.ttl"
    code, out, err = run_cli("validate", bad, env={"LANG": "ru_RU.UTF-8", "LC_ALL": ""})
    assert code == 1 and "не соответствует" in out and "НАРУШЕНИЕ" in out, out + err
    code, out, err = run_cli("validate", bad, "--lang", "uz-Cyrl",
                             env={"LANG": "ru_RU.UTF-8", "LC_ALL": ""})
    assert "талабларга мос эмас" in out and "ХАТО" in out and "не соответствует" not in out
    code, out, err = run_cli("validate", bad, "--lang", "en", env={"LANG": "uz_UZ.UTF-8"})
    assert "does not conform" in out and "VIOLATION" in out


def test_an_unknown_language_is_one_line_and_exit_2():
    code, out, err = run_cli("validate", REPO / "examples/tashkent/tashkent.ttl", "--lang", "de")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "uz, uz-Cyrl, ru, en" in err


def test_no_problems_found_in_each_language():
    good = REPO / "examples/tashkent/tashkent.ttl"
    want = {"en": "No problems found.", "ru": "Проблем не найдено.", "uz": "Muammo topilmadi.",
            "uz-Cyrl": "Муаммо топилмади."}
    for lang, text in want.items():
        code, out, err = run_cli("validate", good, "--lang", lang)
        assert code == 0 and out.rstrip().endswith(text), (lang, out, err)


def test_template_writes_readme_and_help_in_the_language_with_the_same_headers(tmp_path):
    headers = {}
    for lang in ("en", "ru", "uz-Cyrl"):
        d = tmp_path / lang
        code, out, err = run_cli("template", d, "--lang", lang)
        assert code == 0, err
        headers[lang] = {f.name: f.read_text(encoding="utf-8").splitlines()[0]
                         for f in sorted(d.glob("*.csv"))}
        readme = (d / "README.md").read_text(encoding="utf-8")
        if lang == "ru":
            assert readme.startswith("# Шаблоны данных кластера")
            assert "## participants.csv — Участники" in readme
            assert "| `core` | ядро |" in readme            # a code's label in Russian
            assert "записано 10 файлов" in out
        if lang == "uz-Cyrl":
            assert readme.startswith("# Кластер маълумотлари шаблонлари")
            assert "| `core` | ядро |" in readme
    assert len(headers["en"]) == 8
    assert headers["ru"] == headers["en"] == headers["uz-Cyrl"]   # CSV headers: ASCII codes


def test_template_workbook_speaks_the_language(tmp_path):
    """template --xlsx --lang ru: the help sheet, the column notes and the drop-down lists'
    messages are Russian (they were English whatever --lang said); sheet names and headers stay
    the codes."""
    from openpyxl import load_workbook

    code, out, err = run_cli("template", tmp_path, "--xlsx", "--lang", "ru")
    assert code == 0, err
    wb = load_workbook(tmp_path / "cluster.xlsx")
    assert wb["help"]["A1"].value == "Как заполнить эту книгу"
    heads = [c.value for c in wb["help"][10]]
    assert heads[:4] == ["лист", "столбец", "обязательный", "несколько значений"], heads
    ws = wb["memberships"]
    assert [c.value for c in ws[1]][:2] == ["id", "member"]             # codes, not translated
    notes = [c.comment.text for c in ws[1] if c.comment]
    assert any("выберите из списка" in n for n in notes), notes
    errors = [dv.error for dv in ws.data_validations.dataValidation]
    assert errors and all(e.startswith("Выберите значение из списка") or e.startswith("Введите")
                          for e in errors), errors


def test_data_written_with_labels_in_any_language_converts_to_the_same_codes(tmp_path):
    """A participants.csv and memberships.csv whose kinds and roles are written as Russian and
    Uzbek Cyrillic labels convert to the same graph as the codes."""
    import shutil

    src = REPO / "examples/tashkent/csv"
    for f in src.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    m = tmp_path / "memberships.csv"
    text = m.read_text(encoding="utf-8")
    assert ",core," in text and ",partner," in text
    m.write_text(text.replace(",core,", ",ядро,").replace(",partner,", ",ҳамкор,"),
                 encoding="utf-8")
    out_codes, out_labels = tmp_path / "codes.ttl", tmp_path / "labels.ttl"
    assert run_cli("convert", *sorted(src.glob("*.csv")), "-o", out_codes)[0] == 0
    code, _o, err = run_cli("convert", *sorted(tmp_path.glob("*.csv")), "-o", out_labels)
    assert code == 0, err
    from rdflib.compare import isomorphic

    assert isomorphic(rdflib.Graph().parse(out_codes), rdflib.Graph().parse(out_labels))
