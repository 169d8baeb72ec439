"""The site in four languages (issue 15 section 1, decision 0029): English at the root with the
URLs it always had, the same pages under uz/, uz-Cyrl/ and ru/ with labels and definitions in
that language, a visible English fallback where a translation is missing, quotes in English,
a language menu and hreflang links to the same page, and a search index per language.

The real site is built once (test_site.built_real_site); the browser test drives Debian's
Chromium with axe-core like test_site_a11y and is skipped like it where they are missing."""

from __future__ import annotations

import html
import html.parser
import json
import re
from functools import lru_cache
from urllib.parse import urljoin

import pytest
import rdflib
from rdflib.namespace import RDFS, SKOS

from test_site import built_real_site, parse, run_cli

EC = "https://w3id.org/educluster/ontology#"
ID = "https://w3id.org/educluster/id/"
ROOT = {"en": "", "uz": "uz/", "uz-Cyrl": "uz-Cyrl/", "ru": "ru/"}
#: the note after an English stand-in, as the catalogues translate "(English)"
NOTE = {"uz": "(inglizcha)", "uz-Cyrl": "(инглизча)", "ru": "(по-английски)"}


@lru_cache(maxsize=1)
def kb() -> rdflib.Graph:
    from educluster.kb import load_graph

    return load_graph()


def label(node: str, lang: str) -> str | None:
    for o in kb().objects(rdflib.URIRef(node), RDFS.label):
        if isinstance(o, rdflib.Literal) and (o.language or "") == lang:
            return str(o)
    return None


def page(lang: str, path: str) -> str:
    site, _, _ = built_real_site()
    return (site / ROOT[lang] / path).read_text(encoding="utf-8")


def html_lang(text: str) -> str:
    return re.search(r'<html lang="([^"]+)"', text).group(1)


def h1(text: str) -> str:
    """The inner HTML of the page's H1 (without the permalink)."""
    inner = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    return re.sub(r'<a class="headerlink".*?</a>', "", inner).strip()


@pytest.mark.parametrize("lang", list(ROOT))
def test_cluster_page_in_each_language_has_its_lang_and_translated_label(lang):
    text = page(lang, "terms/Cluster.html")
    assert html_lang(text) == lang
    want = label(EC + "Cluster", lang)
    assert want, f"ec:Cluster has no {lang} label"
    assert html.unescape(h1(text)) == want
    if lang != "en":  # the page texts come from the catalogues, not English
        assert "Place in the hierarchy" not in text and 'id="hierarchy"' in text


def test_english_site_keeps_its_urls():
    """The w3id redirect rules send ontology#Cluster to terms/Cluster.html at the root."""
    site, _, _ = built_real_site()
    for path in ("terms/Cluster.html", "terms/properties.html", "id/principle/succession.html",
                 "lists/principles.html", "validate.html", "index.html"):
        assert html_lang((site / path).read_text(encoding="utf-8")) == "en", path


def untranslated_item(lang: str) -> str:
    """An item with a page of its own, an English label and none in ``lang``."""
    from educluster.site import urls

    for s in sorted(set(kb().subjects(RDFS.label, None)), key=str):
        iri = str(s)
        if not urls.is_kb(iri) or urls.kind_of(iri) in urls.ANCHOR_KINDS:
            continue
        if urls.kind_of(iri) in ("person", "paper", "work", "org", "scheme"):
            continue
        if label(iri, "en") and not label(iri, lang):
            return iri
    pytest.fail(f"every item has a {lang} label: pick another fallback case")


@pytest.mark.parametrize("lang", ["uz", "uz-Cyrl", "ru"])
def test_missing_translation_shows_the_english_label_marked(lang):
    from educluster.site import urls

    iri = untranslated_item(lang)
    text = page(lang, urls.target(iri).url())
    english = label(iri, "en")
    head = h1(text)
    assert head, "empty heading"
    assert head.startswith('<span lang="en">'), head
    assert html.unescape(re.sub(r"<[^>]+>", "", head)) == f"{english} {NOTE[lang]}"
    assert f'<span class="ec-fallback">{NOTE[lang]}</span>' in head


@pytest.mark.parametrize("lang", ["uz", "uz-Cyrl", "ru"])
def test_quotes_stay_english_with_lang_en(lang):
    """Every definition card on the Cluster page quotes the paper in English, marked lang=en,
    the same text as on the English page."""
    def quotes(text):
        return re.findall(r'<blockquote class="ec-quote" lang="([^"]*)">(.*?)</blockquote>',
                          text, re.S)

    en = quotes(page("en", "terms/Cluster.html"))
    other = quotes(page(lang, "terms/Cluster.html"))
    assert len(other) == len(en) >= 10
    assert all(q_lang == "en" for q_lang, _ in other)
    assert sorted(q for _, q in other) == sorted(q for _, q in en)
    kb_quotes = {str(o) for o in kb().objects(None, rdflib.URIRef(EC + "quote"))}
    assert all(html.unescape(q) in kb_quotes for _, q in other)


@pytest.mark.parametrize("lang", list(ROOT))
def test_language_menu_links_the_same_page_and_hreflang_alternates(lang):
    """The language menu of a page links that page in every language (without JavaScript);
    the head's hreflang links name each language's folder, whose sitemap.xml (the theme's
    script reads it) gives every page's own hreflang alternates."""
    import xml.etree.ElementTree as ET

    site, _, _ = built_real_site()
    path = "id/principle/succession.html"
    here = site / ROOT[lang] / path
    d = parse(here)
    menu = {a["hreflang"]: a["href"] for t, a in d.tags
            if t == "a" and "md-select__link" in a.get("class", "")}
    head = {a["hreflang"]: a["href"] for t, a in d.tags
            if t == "link" and a.get("rel") == "alternate" and "hreflang" in a}
    assert set(menu) == set(head) == set(ROOT)
    for other, href in menu.items():
        target = (here.parent / href).resolve()
        assert target == (site / ROOT[other] / path).resolve(), (other, href)
        assert target.is_file()
        assert ((here.parent / head[other]).resolve() / "sitemap.xml").is_file(), head[other]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site / ROOT[lang] / "sitemap.xml").getroot()
    url = next(u for u in root.findall("s:url", ns)
               if u.find("s:loc", ns).text.endswith("/" + ROOT[lang] + path))
    alts = {x.get("hreflang"): x.get("href") for x in url.findall("x:link", ns)}
    assert set(alts) == set(ROOT)
    for other, href in alts.items():
        assert href.endswith("/" + ROOT[other] + path), (other, href)


@pytest.mark.parametrize("lang", list(ROOT))
def test_each_language_has_its_own_search_index_with_its_labels(lang):
    site, _, _ = built_real_site()
    index = json.loads((site / ROOT[lang] / "search" / "search_index.json").read_text("utf-8"))
    locs = {d["location"] for d in index["docs"]}
    assert "terms/Cluster.html" in locs
    text = json.dumps(index, ensure_ascii=False)
    want = label(EC + "EducationalCluster", lang)
    assert want and want in text
    if lang != "en":
        assert label(EC + "EducationalCluster", "en") not in [
            d["title"] for d in index["docs"] if d["location"] == "terms/EducationalCluster.html"]


def test_list_page_translated_with_fallback_items():
    """The principles list in Russian: its title from the catalogue, items labelled in Russian
    where the KB translates them, the others in English marked lang=en."""
    text = page("ru", "lists/principles.html")
    assert html.unescape(h1(text)) == "Принципы и их предпосылки"
    ru = label(ID + "principle/succession", "ru")
    assert ru and ru in html.unescape(text)


@pytest.mark.parametrize("lang", ["uz", "uz-Cyrl", "ru"])
def test_data_guide_in_each_language(lang):
    """The data guide: its headings and column help from the catalogues (the same help the
    templates of `template --lang` carry), the codes' meanings in the language, the column
    names (ASCII codes) unchanged."""
    from educluster import i18n
    from educluster.convert.layout import TEMPLATES

    text = html.unescape(page(lang, "validate.html"))
    tr = i18n.translations(lang).gettext
    assert tr("Fill in the tables") != "Fill in the tables"
    assert tr("Fill in the tables") in text and "Fill in the tables" not in text
    members = next(t for t in TEMPLATES if t.name == "memberships")
    for col in members.columns:
        assert f"<code>{col.name}</code>" in text
        assert tr(col.help)[1:] in text, col.name
    from educluster.convert.vocab import Vocabulary
    from educluster.site.pages_data_guide import _allowed_values

    vocab = Vocabulary(kb())
    meanings = [(m, en) for col in members.columns
                for (_, m), (_, en) in zip(_allowed_values(vocab, col, lang),
                                           _allowed_values(vocab, col, "en"))]
    assert meanings and all(m in text for m, _ in meanings)
    assert sum(m != en for m, en in meanings) >= len(meanings) // 2  # translated, not English


def test_unknown_language_is_one_line_and_exit_2():
    proc = run_cli("site", "build", "--languages", "xx", "--pages-only")
    assert proc.returncode == 2
    assert "xx" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 2  # argparse's usage line, then the error


# -- in a browser ----------------------------------------------------------------------------

#: one page per language, of the kinds the brief names (concept, list, data guide)
A11Y_PAGES = ["terms/Cluster.html", "ru/terms/Cluster.html", "uz/lists/principles.html",
              "uz-Cyrl/validate.html", "ru/id/principle/succession.html",
              # the hand-written pages' translations (a table, code, the keyboard key)
              "ru/how-to-read.html", "uz/index.html", "uz-Cyrl/stores.html"]


@pytest.mark.parametrize("path", A11Y_PAGES)
def test_axe_finds_no_serious_violation_in_each_language(path, request):
    """axe-core (WCAG 2.1 A/AA) on a page of each language: no serious or critical violation
    (the fallback spans, the language menu and the English hand-written pages included)."""
    from test_site_a11y import ARTIFACTS, AXE, AXE_TAGS

    chromium = request.getfixturevalue("chromium")
    ctx = chromium["context"]()
    pg = ctx.new_page()
    pg.goto(chromium["base"] + path)
    pg.add_script_tag(path=str(AXE))
    found = pg.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 3)
                  .map(n => n.target.join(' ')).join(' | '))""", AXE_TAGS)
    lang = pg.evaluate("document.documentElement.lang")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"i18n-{path.replace('/', '-')[:-5]}.png"),
                  animations="disabled")
    ctx.close()
    assert found == [], found
    first = path.split("/")[0]
    assert lang == (first if first in ("uz", "uz-Cyrl", "ru") else "en")


@pytest.mark.parametrize("lang", ["uz", "uz-Cyrl", "ru"])
def test_search_finds_the_label_in_that_languages_site(lang, request):
    """Typing a concept's label into a language's search box lists the concept's page of that
    language (the index and its tokenizer are that language's: the English tokenizer dropped
    Cyrillic letters)."""
    chromium = request.getfixturevalue("chromium")
    ctx = chromium["context"]()
    pg = ctx.new_page()
    home = chromium["base"] + ROOT[lang] + "index.html"
    pg.goto(home)
    pg.locator("input.md-search__input").click()
    pg.locator("input.md-search__input").fill(label(EC + "EducationalCluster", lang))
    hit = pg.locator("li.md-search-result__item a[href*='terms/EducationalCluster']").first
    hit.wait_for(timeout=20000)
    href = hit.get_attribute("href")
    ctx.close()
    assert urljoin(home, href).split("#")[0].split("?")[0] == \
        chromium["base"] + ROOT[lang] + "terms/EducationalCluster.html", href


from test_site_a11y import chromium  # noqa: E402,F401 (the module's Chromium fixture)
from test_site_browser import browser_site  # noqa: E402,F401 (its server fixture)


# --- the generated pages' own texts (issue 15, the rest of the site) ---------------------------

#: one page of each generated kind whose fixed texts come from the catalogues, and a sample of
#: its English texts that must not be left on the Russian page (each can fail: it was English
#: before its generator marked it)
RU_SAMPLES = {
    "id/person/index.html": ("other ideas attributed", "Each has a page with their works"),
    "id/paper/khimmataliev-2023.html": ("One of the five", "Items taken from this paper"),
    "id/work/bartosh-2016.html": ("A <strong>work cited</strong>", "What it is cited for"),
    "bibliography.html": ("Source papers", "Open an entry for its BibTeX"),
    "downloads.html": ("media type", "One file per term and per item", "The four files hold"),
    "cookbook.html": ("Fast forms", "Labels in four languages", "answer as of this build"),
    "cookbook/swot-of-educational-clusters.html": ("Answer as of this build", "all questions"),
    "example.html": ("The example's files", "A real cluster described as institutions"),
    "changelog.html": ("Each release is dated and never changes", "its version IRI"),
    "id/a-z.html": ("A–Z index of every term and item", "terms and items, by label"),
    "id/index.html": ("Everything in the knowledge base", "an anchor each on the list"),
    "validate.html": ("a whole number, 0 or more", "If not, validate says", ">required, "),
    "terms/EducationalCluster.html": ("Characteristics named by each definition", "The diagram as a list"),
}

#: a question's own texts (its file's # question and # why, written in English) are translated
#: through the catalogues: on the other languages' pages they are no longer English stand-ins
#: (regression: they were, marked lang="en" and noted "(по-английски)")
RU_SWOT = ("Каковы сильные и слабые стороны, возможности и угрозы образовательных кластеров "
           "согласно SWOT-анализу в статьях?")


def test_cookbook_question_in_russian():
    """The Russian page of a question has the Russian question as its title and no English
    stand-in note; the cookbook's index links it by its Russian question."""
    text = page("ru", "cookbook/swot-of-educational-clusters.html")
    assert h1(text) == RU_SWOT
    assert f"<title>{RU_SWOT} - " in text
    assert NOTE["ru"] not in text
    assert "What are the strengths" not in visible_text(text)
    assert "одна категория SWOT (id:swot-category/...)" in visible_text(text)  # its parameter
    # the SPARQL block, code, keeps its English header as it is
    assert "# question: What are the strengths, weaknesses" in html.unescape(text)
    index = page("ru", "cookbook.html")
    assert f'<a href="cookbook/swot-of-educational-clusters.html">{RU_SWOT}</a>' in index


@pytest.mark.parametrize("lang", ["uz", "uz-Cyrl", "ru"])
def test_no_english_question_on_the_cookbook_pages(lang):
    """No question's or why's English text is visible on the cookbook's pages in ``lang``
    (outside the SPARQL code), and no English stand-in note: every one is translated."""
    from educluster.query import catalogue

    site, _, _ = built_real_site()
    files = [site / ROOT[lang] / "cookbook.html",
             *sorted((site / ROOT[lang] / "cookbook").glob("*.html"))]
    qs = catalogue.questions()
    assert len(files) == len(qs) + 1
    english = [t[:40] for q in qs for t in (q.question, q.why)]
    english += [p.description for q in qs for p in q.params if len(p.description) > 20]
    for f in files:
        text = f.read_text(encoding="utf-8")
        shown = visible_text(text)
        left = [e for e in english if e in shown]
        assert not left, f"{f.name}: {left[:3]}"
        assert f'<span class="ec-fallback">{NOTE[lang]}</span>' not in h1(text), f.name
    assert NOTE[lang] not in (site / ROOT[lang] / "cookbook.html").read_text(encoding="utf-8")


#: page texts of the site whose translation is the same text on purpose, per language
SAME_ON_PURPOSE = {"ru": set(), "uz": {"format"}, "uz-Cyrl": set()}


class _Visible(html.parser.HTMLParser):
    """The visible text of a page's content, without what is marked lang="en" (names, quotes,
    English stand-ins), code, scripts and the navigation (labels of pages of other kinds)."""

    SKIP = {"script", "style", "code", "pre", "nav", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []
        self.in_main = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source"):
            return
        skip = (tag in self.SKIP or a.get("lang") == "en"
                or (self.stack and self.stack[-1]))
        self.stack.append(bool(skip))
        if tag == "article":
            self.in_main += 1

    def handle_endtag(self, tag):
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source"):
            return
        if self.stack:
            self.stack.pop()
        if tag == "article":
            self.in_main -= 1

    def handle_data(self, data):
        if self.in_main and not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(text: str) -> str:
    p = _Visible()
    p.feed(text)
    return " ".join(" ".join(p.parts).split())


@lru_cache(maxsize=1)
def site_msgids() -> list[str]:
    """The English page texts of the site's generators (but those translated alike on purpose):
    the msgids of locale/educluster.pot marked as page texts of the site, cut at their first
    placeholder or markup, and long enough (two words, 12 characters) not to be a word of the data."""
    from babel.messages.pofile import read_po

    from educluster.i18n import LOCALE_DIR

    with open(LOCALE_DIR / "educluster.pot", "rb") as f:
        pot = read_po(f)
    out = []
    for msg in pot:
        if not msg.id or not isinstance(msg.id, str):
            continue
        if not any("page text of the site" in c for c in msg.auto_comments):
            continue
        if msg.id in SAME_ON_PURPOSE["ru"]:
            continue
        head = re.split(r"[{*`<\[(]", msg.id)[0].strip(" :;,.")
        if len(head.split()) >= 2 and len(head) >= 12:
            out.append(head)
    return out


@pytest.mark.parametrize("path", sorted(RU_SAMPLES))
def test_generated_page_kinds_in_russian_have_their_texts_translated(path):
    """A sample of each page kind's fixed English texts is gone from its Russian page, which
    has Cyrillic headings of its own."""
    text = page("ru", path)
    for english in RU_SAMPLES[path]:
        assert english not in text, f"ru/{path} still says {english!r}"
    heads = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", text, re.S)
    assert any(re.search("[а-яё]", h, re.I) for h in heads), f"ru/{path}: no Russian heading"
    assert page("en", path).count(RU_SAMPLES[path][0]) >= 1  # the sample is English's own text


def site_messages() -> list[str]:
    from babel.messages.pofile import read_po

    from educluster.i18n import LOCALE_DIR

    with open(LOCALE_DIR / "educluster.pot", "rb") as f:
        return [m.id for m in read_po(f) if m.id and isinstance(m.id, str)
                and any("page text of the site" in c for c in m.auto_comments)]


@pytest.mark.parametrize("lang", ["ru", "uz", "uz-Cyrl"])
def test_every_page_text_of_the_site_is_translated(lang):
    """Each page text the site's code marks has a translation that differs from the English,
    except the ones listed as the same on purpose (and those are still the same)."""
    from educluster.i18n import translations

    t = translations(lang)
    same = {m for m in site_messages() if t.gettext(m) == m}
    assert same == SAME_ON_PURPOSE[lang]


def test_no_english_page_text_of_the_site_on_any_russian_page():
    """No page text the site's code marks for the catalogues appears untranslated in the
    visible text of any generated Russian page (outside what is marked lang="en": names,
    quotes, editors' comments, shapes' texts and English stand-ins for missing labels)."""
    site, _, _ = built_real_site()
    pages = sorted((site / "ru").rglob("*.html"))
    assert len(pages) > 300
    found = {}
    for f in pages:
        shown = visible_text(f.read_text(encoding="utf-8"))
        for m in site_msgids():
            if m in shown:
                found.setdefault(m, str(f.relative_to(site)))
    assert not found, f"English page texts on Russian pages: {dict(list(found.items())[:5])}"
