"""The hand-written pages in four languages (issue 15, decision 0032): the translated copies in
site/docs/ru/ and site/docs/uz/ keep the English page's structure (headings and their anchors,
link targets, code), Uzbek Cyrillic is transliterated from the Latin copy without touching
code, addresses or HTML, a page without a translation is still the English one with a note,
and the built pages of each language carry no English text of their own; Cyrillic headings of
the generated pages get readable anchors instead of ``_1``; the footer and "How to cite" are in
the page's language."""

from __future__ import annotations

import html
import html.parser
import re
from pathlib import Path

import pytest

from test_site import REPO, built_real_site
from test_site_i18n import ROOT, html_lang, page, site_msgids, visible_text

DOCS = REPO / "site" / "docs"
#: the pages the issue names; each must have its translations
PAGES = ["index.md", "about.md", "how-to-read.md", "stores.md"]
OTHER = ["ru", "uz", "uz-Cyrl"]
#: words of English prose that are no word of Russian or Uzbek (Latin) prose
ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|is|are|with|this|that|from|every|page|which)\b", re.I)


class _Structure(html.parser.HTMLParser):
    """Headings (level, id), link targets, code blocks and inline code of rendered Markdown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.links: list[str] = []
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.texts: list[str] = []
        self._pre = 0
        self._code: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append((int(tag[1]), a.get("id") or ""))
            self._heading = []
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "img" and "src" in a:
            self.links.append(a["src"])
        if tag == "pre":
            self._pre += 1
        if tag == "code":
            self._code = []

    def handle_endtag(self, tag):
        if tag == "code" and self._code is not None:
            text = "".join(self._code)
            if self._pre:
                self.blocks.append(text)
            else:
                self.inline.append(" ".join(text.split()))
            self._code = None
        if tag == "pre":
            self._pre -= 1
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.texts.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data):
        if self._code is not None:
            self._code.append(data)
        if self._heading is not None:
            self._heading.append(data)


def structure(md_text: str) -> _Structure:
    """``md_text`` rendered with the site's Markdown extensions (site/mkdocs.yml; the toc's
    default anchors, the English build's), parsed."""
    import markdown
    import yaml

    exts, configs = [], {}
    for ext in yaml.safe_load((REPO / "site" / "mkdocs.yml").read_text("utf-8"))["markdown_extensions"]:
        name = ext if isinstance(ext, str) else next(iter(ext))
        exts.append(name)
        if isinstance(ext, dict):
            configs[name] = ext[name] or {}
    if md_text.startswith("---\n"):  # front matter is mkdocs', not Markdown
        md_text = md_text.split("\n---\n", 1)[1]
    p = _Structure()
    p.feed(markdown.markdown(md_text, extensions=exts, extension_configs=configs))
    return p


def translations():
    from educluster.site import handwritten

    for name in PAGES:
        for lang in OTHER:
            yield name, lang, handwritten.translation(DOCS, name, lang)


@pytest.mark.parametrize("name,lang", [(n, lang) for n in PAGES for lang in OTHER])
def test_translated_page_keeps_the_english_structure(name, lang):
    """A translation that drifts from the English page fails: the same headings (levels and
    anchors: the English anchors, so a link to a section works in every language), the same
    link targets, the same code blocks byte for byte and the same inline code."""
    from educluster.site import handwritten

    found = handwritten.translation(DOCS, name, lang)
    assert found is not None, f"site/docs/{name} has no {lang} translation (site/docs/{lang}/ or uz/)"
    text, origin = found
    en = structure((DOCS / name).read_text("utf-8"))
    tr = structure(text)
    where = f"{origin.relative_to(REPO)} ({lang})"
    assert tr.headings == en.headings, f"{where}: headings (level, anchor) differ from the English"
    assert sorted(tr.links) == sorted(en.links), (
        f"{where}: link targets differ: only here {sorted(set(tr.links) - set(en.links))}, "
        f"only in English {sorted(set(en.links) - set(tr.links))}")
    assert tr.blocks == en.blocks, f"{where}: code blocks differ from the English"
    assert sorted(tr.inline) == sorted(en.inline), (
        f"{where}: inline code differs: only here {sorted(set(tr.inline) - set(en.inline))}, "
        f"only in English {sorted(set(en.inline) - set(tr.inline))}")
    # translated, not copied: every heading's text differs from the English one
    same = [t for t, e in zip(tr.texts, en.texts) if t == e]
    assert not same, f"{where}: headings left in English: {same}"
    assert "This page is in English only" not in text


def test_uzbek_cyrillic_pages_are_the_latin_ones_transliterated():
    """uz-Cyrl has no copies of its own: the Latin ones are the one place to edit."""
    from educluster.i18n import to_cyrillic
    from educluster.site import handwritten

    assert not (DOCS / "uz-Cyrl").exists()
    text, origin = handwritten.translation(DOCS, "index.md", "uz-Cyrl")
    assert origin == DOCS / "uz" / "index.md"
    first = (DOCS / "uz" / "index.md").read_text("utf-8").splitlines()[0]
    assert text.splitlines()[0] == to_cyrillic(first.split(" {#")[0]) + " {#" + first.split(" {#")[1]
    assert re.search("[а-яўқғҳ]", text.splitlines()[0])


def test_markdown_transliteration_keeps_code_addresses_html_and_anchors():
    """Each kept piece would be mangled by the transliterator if it were prose (x -> х, c -> с,
    "schema" -> "счема"): the test fails if one is not protected."""
    from educluster.site.handwritten import markdown_to_cyrillic

    md = ("---\ntitle: sahifa\n---\n"
          "# Sarlavha {#where-to-start}\n\n"
          "Matn [misol](example.md#section-x) va <kbd>/</kbd> hamda `educluster site build`,\n"
          "<span lang=\"en\">Example text</span> <!-- izoh -->.\n\n"
          "- Ro'yxat:\n\n"
          "        educluster push --store http://localhost:8890/sparql-graph-crud-auth\n\n"
          "  (yoki `--netrc FILE`) davomi.\n\n"
          "```\nfenced code\n```\n")
    out = markdown_to_cyrillic(md)
    for kept in ("---\ntitle: sahifa\n---\n", "{#where-to-start}", "](example.md#section-x)",
                 "<kbd>/</kbd>", "`educluster site build`", '<span lang="en">Example text</span>',
                 "<!-- izoh -->",
                 "        educluster push --store http://localhost:8890/sparql-graph-crud-auth\n",
                 "`--netrc FILE`", "```\nfenced code\n```\n"):
        assert kept in out, kept
    for prose in ("Сарлавҳа", "Матн [мисол]", "ҳамда", "Рўйхат:", "(ёки", "давоми"):
        assert prose in out, (prose, out)


def test_page_without_translation_is_english_with_the_note(tmp_path):
    """The fallback: a hand-written page nobody translated yet is the English page, marked
    lang="en" (front matter read by site/overrides/main.html) after a note in the language."""
    from educluster.site import handwritten

    src = tmp_path / "docs"
    (src / "uz").mkdir(parents=True)
    (src / "only-english.md").write_text("# Only English\n\nText.\n", encoding="utf-8")
    (src / "both.md").write_text("# Both\n", encoding="utf-8")
    (src / "uz" / "both.md").write_text("# Ikkalasi {#both}\n", encoding="utf-8")
    for lang in ("ru", "uz", "uz-Cyrl"):
        dest = tmp_path / lang
        dest.mkdir()
        written = handwritten.copy(src, dest, lang, note="NOTE <in " + lang + ">")
        assert written == {"only-english.md", "both.md"}
        fallback = (dest / "only-english.md").read_text("utf-8")
        assert fallback.startswith("---\nec_content_lang: en\nec_note: \"NOTE &lt;in " + lang)
        assert fallback.endswith("# Only English\n\nText.\n")
        both = (dest / "both.md").read_text("utf-8")
        if lang == "ru":
            assert "ec_content_lang" in both and both.endswith("# Both\n")
        else:
            assert "ec_content_lang" not in both
            want = "# Ikkalasi {#both}\n"
            assert both.endswith(want if lang == "uz" else handwritten.markdown_to_cyrillic(want))
            assert lang == "uz" or "Иккаласи" in both
    assert not (tmp_path / "ru" / "uz").exists()  # translations are not pages of their own


# -- the built site -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize("name", PAGES)
def test_built_handwritten_page_is_in_its_language(name, lang):
    """The built page says nothing in English of its own: no "English only" note, no text marked
    lang="en" for the page, its <html lang>, no English page text of the site and no English
    prose in what it shows (code, and what is marked lang="en", aside)."""
    path = name[:-3] + ".html"
    text = page(lang, path)
    assert html_lang(text) == lang
    assert "ec-fallback-page" not in text and "English only" not in text
    assert '<div lang="en">' not in text
    assert 'title="Permanent link"' not in text  # the headings' permalinks (the toc's default)
    shown = visible_text(text)
    assert shown and not ENGLISH_WORDS.findall(shown), \
        f"{ROOT[lang]}{path}: English words {ENGLISH_WORDS.findall(shown)[:8]} in {shown[:200]!r}"
    assert not [m for m in site_msgids() if m in shown]
    en_h1 = re.search(r"<h1[^>]*>(.*?)<a", page("en", path), re.S).group(1).strip()
    assert en_h1 not in text
    if lang != "uz":  # Cyrillic headings
        assert re.search(r"<h1[^>]*>[^<]*[а-яёўқғҳ]", text, re.I)


def test_built_english_hand_page_unchanged_and_links_resolve():
    site, _, out = built_real_site()
    assert "none broken, no outside resources" in out
    text = page("en", "how-to-read.html")
    assert html_lang(text) == "en" and "ec-fallback-page" not in text
    assert 'id="where-every-item-lives"' in text
    ru = page("ru", "how-to-read.html")
    assert 'id="where-every-item-lives"' in ru  # the same anchor in every language


def _footer(text: str) -> str:
    return text.split('class="md-copyright', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("lang", OTHER)
def test_footer_and_how_to_cite_in_the_pages_language(lang):
    """Both were English on every language's pages."""
    from educluster.i18n import translations

    t = translations(lang).gettext
    for path in ("index.html", "terms/Cluster.html", "how-to-cite.html"):
        footer = html.unescape(_footer(page(lang, path)))
        for english in ("How to read this site", "How to cite", "Releases and changelog",
                        "Ontology and knowledge base under {licence}", "About this site"):
            assert english.split(" {")[0] not in footer, (lang, path, english)
            assert t(english) != english
        assert t("How to cite") in footer and t("About this site") in footer
    cite = page(lang, "how-to-cite.html")
    shown = visible_text(cite)
    assert t("How to cite") in html.unescape(cite.split("<h1", 1)[1].split("</h1>")[0])
    for english in ("The knowledge base", "Cite a term by its IRI", "Every IRI resolves",
                    "An item records what a paper says", "holds the same in the Citation"):
        assert english not in shown, (lang, english)
    assert not ENGLISH_WORDS.findall(shown), ENGLISH_WORDS.findall(shown)[:8]
    assert "https://w3id.org/educluster/ontology#Cluster" in html.unescape(cite)  # IRIs as they are


# -- anchors ---------------------------------------------------------------------------------------

_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"')


@pytest.mark.parametrize("lang", ["ru", "uz-Cyrl"])
def test_cyrillic_headings_get_readable_unique_anchors(lang):
    """The toc's default slugify kept ASCII only: every Cyrillic heading without an id of its
    own was "_1", "_2". Now no heading of the language's pages has such an id, the details
    heading of an item page has a Cyrillic one, and ids are unique on each page."""
    from educluster.i18n import translations

    site, _, _ = built_real_site()
    pages = sorted((site / ROOT[lang]).rglob("*.html"))
    assert len(pages) > 300
    numbered, dupes = [], []
    for f in pages:
        text = f.read_text(encoding="utf-8")
        heads = _HEADING.findall(text)
        numbered += [(f.name, i) for _, i in heads if re.fullmatch(r"_\d+", i)]
        ids = re.findall(r'\sid="([^"]*)"', text)
        if len(ids) != len(set(ids)):
            dupes.append((f.relative_to(site).as_posix(), sorted({i for i in ids if ids.count(i) > 1})))
    assert not numbered, numbered[:5]
    assert not dupes, dupes[:5]
    details = translations(lang).gettext("Details")
    text = page(lang, "id/principle/succession.html")
    want = html.escape(details.lower().replace(" ", "-"))
    assert re.search(r'<h2 id="' + re.escape(want) + r'(_\d+)?">' + re.escape(details), text), want
    assert re.search("[а-яё]", want)


def test_english_anchors_unchanged():
    """English keeps the toc's default anchors (links from outside point at them)."""
    text = page("en", "id/principle/succession.html")
    ids = [i for _, i in _HEADING.findall(text)]
    assert ids and all(re.fullmatch(r"[a-z0-9_-]+", i) for i in ids), ids


def _menu_links(text: str) -> set[str]:
    """The pages the site's main menu (the primary navigation) links to."""
    menu = text.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>\n</div>", 1)[0]
    return set(re.findall(r'<a href="([^"#]+)"[^>]*class="md-nav__link', menu)) | \
        set(re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"#]+)"', menu))


@pytest.mark.parametrize("lang", list(ROOT))
def test_every_handwritten_page_is_in_the_menu(lang):
    """Each hand-written page is in the main menu of every language's build, titled in that
    language. Regression: how-to-read, stores and about were left out of the menu in all four
    languages (the menu took only generated pages), reachable only from links in the text."""
    built = page(lang, "bibliography.html")
    links = _menu_links(built)
    for name in PAGES:
        assert name.replace(".md", ".html") in links, (lang, name)
    if lang != "en":
        menu = built.split('<nav class="md-nav md-nav--primary"', 1)[1]
        for english in ("How to read this site", "Triple stores", ">About<"):
            assert english not in menu, (lang, english)
