"""The concept site: escaping, the IRI -> page mapping, the strict build, serving.

Two sites are built once per session (and reused by tests/test_site_browser.py):
the real one from the repository's ontology, knowledge base, shapes, questions and
example, and a fixture one (tests/data/site) whose strings hold HTML, Markdown and
special characters that must all render as text.
"""

from __future__ import annotations

import atexit
import functools
import html
import html.parser
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "data" / "site"
HOSTILE = ["<script>alert(1)</script>", "*markdown*", "[link](x)", "&amp;", "|"]


def _tmpdir(prefix: str) -> Path:
    d = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, d, True)
    return d


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "educluster", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


@functools.lru_cache(maxsize=None)
def built_real_site() -> tuple[Path, Path, str]:
    """(built site, work folder with the generated docs, the command's output)."""
    tmp = _tmpdir("educluster-site-")
    proc = run_cli("site", "build", "--work", str(tmp / "work"), "--out", str(tmp / "site"))
    assert proc.returncode == 0, proc.stderr
    return tmp / "site", tmp / "work", proc.stdout


@functools.lru_cache(maxsize=None)
def built_fixture_site() -> tuple[Path, Path, str]:
    """The site of the hostile fixture KB (the TBox of ontology/, tests/data/site/kb as KB)."""
    tmp = _tmpdir("educluster-site-fixture-")
    onto = tmp / "ontology"
    onto.mkdir()
    for f in (REPO / "ontology").glob("*.ttl"):
        if f.name != "sources.ttl":  # the fixture brings its own (hostile) records
            shutil.copy(f, onto / f.name)
    proc = run_cli("site", "build", "--ontology-dir", str(onto), "--kb-dir", str(FIXTURE / "kb"),
                   "--cq-dir", str(FIXTURE / "cq"), "--shapes-dir", str(tmp / "none"),
                   "--examples-dir", str(tmp / "none"), "--work", str(tmp / "work"),
                   "--out", str(tmp / "site"))
    assert proc.returncode == 0, proc.stderr
    return tmp / "site", tmp / "work", proc.stdout


class _Doc(html.parser.HTMLParser):
    """Tags (with attributes), the text of <title> and <h1>, all visible text of <article>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.h1 = ""
        self.title = ""
        self.scripts: list[str] = []
        self.jsonld: list[str] = []  # the data of <script type="application/ld+json">
        self._script_type = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._script_type = a.get("type") or ""
        if "id" in a:
            self.ids.add(a["id"])
        if tag not in ("br", "img", "input", "meta", "link", "hr", "path", "rect", "line"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if "script" in self.stack:
            if self._script_type == "application/ld+json":
                self.jsonld.append(data)
            else:
                self.scripts.append(data)
            return
        if "h1" in self.stack:
            self.h1 += data
        if self.stack and self.stack[-1] == "title" and "svg" not in self.stack:
            self.title += data
        if "article" in self.stack:
            self.text.append(data)


def parse(path: Path) -> _Doc:
    d = _Doc()
    d.feed(path.read_text(encoding="utf-8"))
    return d


def squash(text: str) -> str:
    return " ".join(text.split())


# -- escaping -----------------------------------------------------------------------------------

def _render_md(text: str) -> str:
    import markdown

    return markdown.markdown(text, extensions=["tables", "attr_list", "admonition", "toc",
                                               "pymdownx.superfences", "pymdownx.details"])


def _visible(html_text: str) -> str:
    d = _Doc()
    d.feed(f"<article>{html_text}</article>")
    return squash("".join(d.text))


@pytest.mark.parametrize("value", HOSTILE + [
    "`code` {#id} ~~strike~~ ==mark== :smile: $x$ \\ backslash", "# heading", "- item", "1. one",
    "> quote", "<!-- comment -->", "a_b_c __d__", "&#60; &lt;", "line\nbreak", "---",
    "[x]: http://example.org", "<https://example.org>", "!!! note", "??? note", "| a | b |",
    "+ plus", "=== underline", "a -- b --- c", "x!&#91;y"])
def test_md_escape_renders_literally(value):
    from educluster.site import escape

    out = _render_md(escape.md(value))
    assert _visible(out) == squash(value)
    assert "<script" not in out and "<a " not in out and "<em>" not in out and "<code>" not in out


def test_md_escape_literal_in_table_cell_keeps_one_cell():
    from educluster.site import escape

    out = _render_md(f"| a | b |\n| --- | --- |\n| {escape.md('x | y')} | z |\n")
    assert out.count("<td>") == 2 and "x | y" in html.unescape(out)


def test_md_escape_any_text(tmp_path):
    """Property: whatever the text, the rendered Markdown shows exactly it."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    from educluster.site import escape

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF,
                                                      blacklist_categories=("Cs", "Cc")),
                              max_size=40))
    def check(value):
        assert _visible(_render_md("x " + escape.md(value))) == squash("x " + value)

    check()


def test_html_escape_and_cite():
    from educluster.site import escape

    assert escape.html('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    cited = escape.cite("Porter, M. (2004). *On <b>competition</b>.* Press | x")
    out = _render_md(cited)
    assert "<em>On &lt;b&gt;competition&lt;/b&gt;.</em>" in out.replace("&#60;", "&lt;").replace("&#62;", "&gt;") \
        or "<em>On &lt;b&gt;competition&lt;/b&gt;.</em>" in out
    assert _visible(out) == "Porter, M. (2004). On <b>competition</b>. Press | x"
    assert "*" in _visible(_render_md(escape.cite("odd * star")))


def test_fence_survives_backticks():
    from educluster.site import escape

    body = "```\n<script>\n````"
    out = _render_md(escape.fence(body, "text"))
    assert "&lt;script&gt;" in out and "````" in html.unescape(out)


# -- the IRI -> page mapping --------------------------------------------------------------------

def test_url_rules():
    from educluster.site import urls

    ec = "https://w3id.org/educluster/ontology#"
    idp = "https://w3id.org/educluster/id/"
    assert urls.target(ec + "Cluster", is_class=True) == urls.Target("terms/Cluster.md")
    assert urls.target(ec + "hasPrerequisite", is_class=False) == \
        urls.Target("terms/properties.md", "hasPrerequisite")
    assert urls.target(idp + "principle/succession") == urls.Target("id/principle/succession.md")
    assert urls.target(idp + "claim/x-y") == urls.Target("id/claim/index.md", "x-y")
    assert urls.target("http://example.org/x") is None
    odd = urls.target(idp + "principle/../../etc")
    assert odd.doc.startswith("id/principle/x-") and ".." not in odd.doc
    assert urls.rel("id/principle/a.md", urls.Target("terms/Cluster.md"), markdown=False) == \
        "../../terms/Cluster.html"
    assert urls.rel("id/claim/index.md", urls.Target("id/claim/index.md", "z"), markdown=True) == \
        "index.md#z"


def _anchors_in_markdown(text: str) -> set[str]:
    return set(re.findall(r"\{ #([^ }]+) \}", text)) | set(re.findall(r'\sid="([^"]+)"', text))


@functools.lru_cache(maxsize=None)
def _real_pages():
    from educluster import paths
    from educluster.site import generate

    opts = generate.Options(site=paths.site_dir(), work=Path("unused"), repo=REPO)
    return generate.build_pages(opts)


def test_every_kb_individual_and_term_has_a_page_or_anchor():
    pages = _real_pages()
    m = pages.model
    assert len(m.individuals) > 300 and len(m.classes) > 20 and len(m.properties) > 10
    missing = []
    rendered: dict[str, set] = {}
    for x in [*m.individuals, *m.terms]:
        t = m.target(x)
        if t is None or t.doc not in pages.pages:
            missing.append((str(x), t))
            continue
        if t.anchor:
            if t.doc not in rendered:
                rendered[t.doc] = _anchors_in_markdown(pages.pages[t.doc].render())
            if t.anchor not in rendered[t.doc]:
                missing.append((str(x), t))
    assert not missing, missing[:10]


def test_every_kb_individual_and_term_has_a_page_or_anchor_in_the_built_site():
    site, _, _ = built_real_site()
    pages = _real_pages()
    m = pages.model
    ids: dict[str, set] = {}
    missing = []
    for x in [*m.individuals, *m.terms]:
        t = m.target(x)
        f = site / t.url()
        if not f.is_file():
            missing.append((str(x), t.url()))
            continue
        if t.anchor:
            if f not in ids:
                ids[f] = parse(f).ids
            if t.anchor not in ids[f]:
                missing.append((str(x), t.url() + "#" + t.anchor))
    assert not missing, missing[:10]


# -- the real site ----------------------------------------------------------------------------------

def test_real_site_builds_strict_clean_with_every_section():
    site, work, out = built_real_site()
    assert "none broken, no outside resources" in out
    for page in ("index.html", "how-to-read.html", "terms/index.html", "terms/Cluster.html",
                 "lists/principles.html", "lists/swot.html", "lists/innovation-chain.html",
                 "bibliography.html", "id/person/index.html", "example.html", "validate.html",
                 "cookbook.html", "downloads.html", "id/index.html", "search/search_index.json",
                 "downloads/educluster.ttl", "downloads/educluster.jsonld",
                 "downloads/educluster.rdf", "downloads/educluster.nt", "downloads/context.jsonld",
                 "downloads/ontology/Cluster.ttl", "assets/extra.css"):
        assert (site / page).is_file(), page
    generated = list((work / "docs").rglob("*.md"))
    hand = {p.name for p in (REPO / "site" / "docs").glob("*.md")}  # copied as written
    assert {"index.md", "how-to-read.md", "about.md", "stores.md"} <= hand
    for f in generated:
        if f.relative_to(work / "docs").as_posix() in hand:
            continue
        lines = f.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "---" and lines[1].startswith("# generated from ") \
            and lines[1].endswith("by educluster site build — do not edit"), f


def test_real_site_definitions_side_by_side_and_matrix():
    site, _, _ = built_real_site()
    d = parse(site / "terms" / "Cluster.html")
    cards = [a for t, a in d.tags if t == "section" and "ec-def" in a.get("class", "")]
    assert len(cards) >= 5
    assert any(t == "div" and a.get("class") == "ec-matrix" for t, a in d.tags)
    assert any(t == "svg" for t, _ in d.tags)
    text = squash("".join(d.text))
    assert "Porter" in text and "Every definition side by side" in text


def test_real_site_new_concepts_citations_and_untitled_paper():
    """Issue 10: each concept the papers define has its page with its definitions side by side
    (an unnamed attribution shown as printed); Porter 2004's page says which papers print it and
    for which the editors infer it; untitled paper 002 is never shown with a title of ours."""
    site, _, _ = built_real_site()
    for concept, expected in (("ContinuousEducation", 3), ("SynergisticEffect", 1)):
        d = parse(site / "terms" / f"{concept}.html")
        cards = [a for t, a in d.tags if t == "section" and "ec-def" in a.get("class", "")]
        assert len(cards) == expected, concept
    text = squash("".join(parse(site / "terms" / "ContinuousEducation.html").text))
    assert "“A group of researchers” (unnamed, as printed)" in text
    porter = squash("".join(parse(site / "id" / "work" / "porter-2004.html").text))
    assert "Cited by (printed reference)" in porter
    assert "Cited by (inferred by the editors, no printed reference)" in porter
    printed = porter.split("Cited by (printed reference)", 1)[1].split("Cited by (inferred", 1)[0]
    assert "Umirjonova" in printed and "Mirzayev" not in printed
    paper = squash("".join(parse(site / "id" / "paper" / "chirchik-cluster-cooperation.html").text))
    assert "title = {[Untitled article; descriptive name by the editors: Chirchik cluster cooperation]}" in paper
    assert "Untitled paper on" not in paper and "Chirchik cluster cooperation n.d." not in paper


def test_real_site_lists_and_cookbook():
    site, _, _ = built_real_site()
    text = squash("".join(parse(site / "lists" / "principles.html").text))
    assert "succession" in text
    cook = (site / "cookbook.html").read_text(encoding="utf-8")
    assert "MINUS" in cook and "FILTER NOT EXISTS" in cook
    questions = sorted((REPO / "ontology" / "cq").glob("*.rq"))
    if not questions:
        assert "None yet" in cook
    for q in questions:
        page = site / "cookbook" / f"{q.stem}.html"
        assert f'href="cookbook/{q.stem}.html"' in cook, q.stem
        text = page.read_text(encoding="utf-8")
        assert "as of this build" in text, q.stem
        assert ("ec-results" in text or "No rows" in text or "ec-ask" in text), q.stem


def test_downloads_hold_the_same_triples_as_build(tmp_path):
    site, _, _ = built_real_site()
    proc = run_cli("build", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    for name in ("educluster.ttl", "educluster.nt", "context.jsonld", "educluster-skos.ttl"):
        assert (site / "downloads" / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_per_term_turtle_parses():
    import rdflib

    site, _, _ = built_real_site()
    files = sorted((site / "downloads" / "ontology").glob("*.ttl"))[:5] + \
        sorted((site / "downloads" / "id" / "principle").glob("*.ttl"))[:5]
    assert files
    for f in files:
        g = rdflib.Graph().parse(f, format="turtle")
        assert len(g) > 2, f


@pytest.mark.parametrize("doc,iri", [
    ("terms/Cluster.html", "https://w3id.org/educluster/ontology#Cluster"),
    ("terms/index.html", "https://w3id.org/educluster/ontology"),
    ("id/principle/succession.html", "https://w3id.org/educluster/id/principle/succession"),
    ("id/person/porter.html", "https://w3id.org/educluster/id/person/porter"),
])
def test_pages_link_their_rdf_and_embed_json_ld(doc, iri):
    """<link rel="alternate"> per format to a file that parses and describes the page's IRI;
    the embedded JSON-LD describes it too (Linked Data clients and crawlers read both)."""
    import rdflib

    site, _, _ = built_real_site()
    d = parse(site / doc)
    alternates = {a["type"]: a["href"] for t, a in d.tags  # (hreflang ones: the languages)
                  if t == "link" and "alternate" in a.get("rel", "").split() and "hreflang" not in a}
    # not rel="alternate" alone: Material's script would fetch a sitemap.xml next to each file;
    # the language versions' links (hreflang) name each language's folder, which has one
    alone = [a for t, a in d.tags if t == "link" and a.get("rel") == "alternate"]
    assert all(a.get("hreflang") and ((site / doc).parent / a["href"] / "sitemap.xml").is_file()
               for a in alone), alone
    formats = {"text/turtle": "turtle", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml", "application/n-triples": "nt"}
    assert set(alternates) == set(formats)
    for media_type, href in alternates.items():
        f = (site / doc).parent / href
        g = rdflib.Graph().parse(f, format=formats[media_type])
        assert (rdflib.URIRef(iri), None, None) in g, (doc, href)
    assert len(d.jsonld) == 1
    g = rdflib.Graph().parse(data=d.jsonld[0], format="json-ld")
    assert (rdflib.URIRef(iri), rdflib.RDFS.label, None) in g


def test_term_iris_land_on_an_anchor_of_the_terms_page():
    """ontology#Name reaches the server as ontology (decision 0015), so the browser lands on
    terms/index.html#Name: every class and property needs that anchor there."""
    site, _, _ = built_real_site()
    ids = parse(site / "terms" / "index.html").ids
    for name in ("Cluster", "Principle", "quote", "hasPrerequisite", "defines"):
        assert name in ids, name


# -- the hostile fixture -------------------------------------------------------------------------

def _all_html(site: Path):
    return [f for f in site.rglob("*.html")]


def test_fixture_strings_render_as_text():
    site, _, _ = built_fixture_site()
    bad = []
    for f in _all_html(site):
        d = parse(f)
        for tag, a in d.tags:
            if tag in ("b", "u", "i") or (tag == "img" and "onerror" in a):
                bad.append((f.name, tag, a))
            if tag == "a" and (a.get("href") == "x" or a.get("href", "").startswith("javascript")):
                bad.append((f.name, tag, a))
        if any("alert(" in s for s in d.scripts):
            bad.append((f.name, "script", "alert"))
    assert not bad, bad[:5]


def test_fixture_json_ld_cannot_be_broken_out_of():
    """A label holding </script> stays inside the embedded JSON-LD (escaped as \\u003c...)."""
    site, _, _ = built_fixture_site()
    raw = (site / "id" / "principle" / "script-principle.html").read_text(encoding="utf-8")
    d = parse(site / "id" / "principle" / "script-principle.html")
    assert len(d.jsonld) == 1
    data = json.loads(d.jsonld[0])
    labels = [v["@value"] for node in data
              for v in node.get("http://www.w3.org/2000/01/rdf-schema#label", [])]
    assert any(label.startswith("<script>alert(1)</script>") for label in labels), labels
    assert raw.count("</script>") == raw.count("<script")  # nothing opened or closed by data


def test_fixture_page_shows_each_hostile_string_literally():
    site, _, _ = built_fixture_site()
    d = parse(site / "id" / "principle" / "script-principle.html")
    assert squash(d.h1).startswith("<script>alert(1)</script>")
    assert d.title.startswith("<script>alert(1)</script>")
    text = squash("".join(d.text))
    for s in HOSTILE:
        assert s in text, s
    page = (site / "id" / "principle" / "script-principle.html").read_text(encoding="utf-8")
    assert "<em>markdown</em>" not in page
    cls = parse(site / "terms" / "HostileThing.html")
    text = squash("".join(cls.text))
    assert "[term](javascript:alert(3))" in text and "Dr. <script>alert(1)</script> | Pipe" in text
    assert "<em>emphasised</em> characteristic" in text  # a label, shown as text


def test_fixture_nav_and_search_index_escaped():
    site, _, _ = built_fixture_site()
    page = (site / "terms" / "HostileThing.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            assert "<script>" not in doc.get(field, ""), doc["location"]


def test_fixture_cookbook_and_missing_sections():
    site, _, _ = built_fixture_site()
    index = squash("".join(parse(site / "cookbook.html").text))
    question = "Which principles have labels with <script>alert(1)</script> or *markdown* in them?"
    assert question in index and "1 row" in index
    page = parse(site / "cookbook" / "hostile-labels.html")
    assert squash(page.h1).startswith(question)
    text = squash("".join(page.text))
    assert "1 row as of this build" in text and "<script>alert(1)</script>" in text
    for name in ("example.html", "validate.html"):
        assert "None yet" in squash("".join(parse(site / name).text)), name



def test_fixture_cookbook_binds_the_example_parameter_as_query_does():
    """The cookbook page runs a question with its example parameters as the command it prints
    (`educluster query QID --param ...`) does. Regression: the page had its own reader, which
    dropped a value it could not read (here a literal with \\u escapes) and showed every
    principle while saying "with ?label = ..."."""
    site, _, _ = built_fixture_site()
    page = parse(site / "cookbook" / "principle-by-label.html")
    text = squash("".join(page.text))
    assert "1 row as of this build" in text, text
    assert "<script>alert(1)</script>" in text and "[link](x) principle" not in text
    assert "--param label=" in text

def test_fixture_odd_iri_gets_a_hashed_anchor():
    from educluster.site import urls

    site, _, _ = built_fixture_site()
    t = urls.target("https://w3id.org/educluster/id/weird-kind/Odd%20Slug!")
    assert t.doc == "id/weird-kind/x-" + t.doc.split("x-")[1]
    assert (site / t.url()).is_file()


# -- commands, serving, link check, diagrams -----------------------------------------------------

def test_cli_errors_are_one_line_exit_2(tmp_path):
    proc = run_cli("site", "serve", "--dir", str(tmp_path / "nothing"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "site build" in proc.stderr
    proc = run_cli("site", "build", "--kb-dir", str(tmp_path / "missing"), "--pages-only",
                   "--work", str(tmp_path / "w"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_serve_serves_the_built_site():
    from educluster.site.serve import make_server

    site, _, _ = built_fixture_site()
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as r:
            assert r.status == 200 and b"educluster" in r.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/downloads/educluster.ttl", timeout=10) as r:
            assert r.headers["Content-Type"].startswith("text/turtle")
    finally:
        server.shutdown()
        server.server_close()


def test_linkcheck_finds_broken_links_and_outside_resources(tmp_path):
    from educluster.site import linkcheck

    (tmp_path / "a.html").write_text('<a href="b.html#x">b</a><a href="missing.html">m</a>'
                                     '<a href="https://example.org/">fine</a>'
                                     '<script src="https://cdn.example/x.js"></script>')
    (tmp_path / "b.html").write_text('<p id="y">no x here</p>')
    rep = linkcheck.check(tmp_path)
    assert sorted(link for _, link in rep.broken) == ["b.html#x", "missing.html"]
    assert rep.outside == [("a.html", "https://cdn.example/x.js")]


def test_diagrams_escape_and_cap():
    from educluster.site import diagrams

    center = diagrams.Node("<b>centre</b>", None)
    left = [("p", diagrams.Node(f"n{i} & <i>", f"x{i}.html")) for i in range(30)]
    svg = diagrams.neighbourhood(center, left, [], "t")
    assert svg.count('class="node') == diagrams.MAX_SIDE + 1
    assert "<b>" not in svg and "&lt;b&gt;centre&lt;/b&gt;" in svg and "+19 more" in svg
    assert diagrams.wrap("a" * 70, 28, 2) == ["a" * 28, "a" * 27 + "…"]
    tree = diagrams.tree(["r"], lambda x: {"r": ["a", "b"], "a": ["c"]}.get(x, []),
                         lambda x: diagrams.Node(x, None), "t")
    assert tree.count('class="node') == 4 and tree.count("<path") == 4  # 3 edges + arrowhead


def test_real_site_ids_unique_and_diagrams_have_their_links_as_text():
    """Issue 14: every diagram repeated id="ec-arrow" (8 pages had two); a diagram was role=img
    with links inside (unreachable by screen readers) and had no text equivalent; its "+N more
    (see below)" pointed to nothing."""
    from collections import Counter

    site, _, _ = built_real_site()
    for f in sorted(site.rglob("*.html")):
        text = f.read_text(encoding="utf-8")
        dup = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', text)).items() if n > 1]
        assert dup == [], (f.relative_to(site).as_posix(), dup[:5])
        assert not re.search(r'class="ec-diagram[^"]*"[^>]*><svg[^>]*role="img"', text), f
    page = (site / "terms" / "Cluster.html").read_text(encoding="utf-8")
    more = re.findall(r'<a href="(#ec-links-[0-9a-f]+)"><g class="node ec-more', page)
    assert more, "the Cluster page's neighbourhood is crowded: it should have a +N more node"
    assert f'<details class="ec-diagram-links" id="{more[0][1:]}">' in page
    d = parse(site / "terms" / "Cluster.html")
    assert sum(1 for t, a in d.tags if t == "details" and "ec-diagram-links" in a.get("class", "")) \
        == sum(1 for t, a in d.tags if t == "div" and "ec-diagram" in a.get("class", "").split())


def test_real_site_definitions_page_shows_each_definition_once():
    """Issue 14: the definitions list showed every quote twice (the card and the item's body)."""
    site, _, _ = built_real_site()
    page = (site / "id" / "definition" / "index.html").read_text(encoding="utf-8")
    quotes = re.findall(r'<blockquote class="ec-quote" lang="en">', page)  # quotes stay English
    cards = re.findall(r'<section class="ec-def" id="[^"]+"><h(\d) class="ec-def-head">', page)
    assert len(cards) > 20
    assert len(quotes) == len(cards)  # one quote per card, none repeated in the body below it
    assert set(cards) <= {"3", "4"}  # a card's heading is one below its item's heading


def test_concept_alt_labels_and_comments_prefer_english():
    """Issue 15: with Uzbek and Russian translations loaded, a term's "Also called" list and its
    comments took every language's value (skos:altLabel and rdfs:comment were read whole); the
    site shows the English ones, else the untagged ones, else what there is."""
    import rdflib

    from educluster.site.model import Model, RDFS, SKOS

    ec = rdflib.Namespace("https://w3id.org/educluster/ontology#")
    g = rdflib.Graph()
    alt = rdflib.URIRef(SKOS + "altLabel")
    for text, lang in [("cluster form", "en"), ("forma klastera", "uz"),
                       ("кластер шакли", "uz-Cyrl"), ("форма кластера", "ru")]:
        g.add((ec.Form, alt, rdflib.Literal(text, lang=lang)))
    g.add((ec.Form, rdflib.URIRef(RDFS + "comment"), rdflib.Literal("plain note")))
    g.add((ec.Form, rdflib.URIRef(RDFS + "comment"), rdflib.Literal("заметка", lang="ru")))
    g.add((ec.Other, alt, rdflib.Literal("boshqa", lang="uz")))
    g.add((ec.Other, alt, rdflib.Literal("другой", lang="ru")))
    m = Model(g)
    assert [str(o) for o in m.texts(ec.Form, SKOS + "altLabel")] == ["cluster form"]
    assert [str(o) for o in m.texts(ec.Form, RDFS + "comment")] == ["plain note"]
    assert sorted(str(o) for o in m.texts(ec.Other, SKOS + "altLabel")) == ["boshqa", "другой"]
    assert m.texts(ec.Nothing, SKOS + "altLabel") == []


def test_real_site_bibliography_plurals_and_bibtex_out_of_search():
    """Issue 14: "(1 items cite it)" 15 times; the BibTeX blocks filled every search's snippets;
    class pages are boosted in the search index so a concept's label finds its page first."""
    site, _, _ = built_real_site()
    text = squash("".join(parse(site / "bibliography.html").text))
    assert not re.search(r"\b1 items cite it", text) and not re.search(r"\(1 items", text)
    assert re.search(r"\(1 item cites it", text)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if "@article{" in d["text"] or "@book{" in d["text"]]
    boosts = {d["location"]: d.get("boost") for d in index["docs"]}
    assert boosts["terms/Cluster.html"] > boosts["terms/ClusterUnit.html"] > 1
    assert boosts.get("bibliography.html") in (None, 1)


def test_real_site_footer_links_descriptions_and_no_paper_numbers():
    """Issue 14: the licence and How to read were linked from no page; all pages shared one meta
    description; scholar pages said "Named in 000/001" (internal paper numbers)."""
    site, _, _ = built_real_site()
    descriptions = set()
    for rel in ("terms/Cluster.html", "id/person/yalov.html", "id/principle/succession.html",
                "bibliography.html"):
        page = (site / rel).read_text(encoding="utf-8")
        footer = page.split('class="md-copyright', 1)[1]
        for target in ("about.html", "how-to-read.html", "how-to-cite.html", "changelog.html"):
            assert re.search(r'<a href="(\.\./)*' + re.escape(target) + '"', footer), (rel, target)
        descriptions.add(re.search(r'<meta name="description" content="([^"]*)"', page).group(1))
        visible = squash("".join(parse(site / rel).text))
        assert not re.search(r"\b(?:Named in|Source paper|paper) 00\d\b", visible), rel
    assert len(descriptions) == 4
    yalov = (site / "id" / "person" / "yalov.html").read_text(encoding="utf-8")
    assert 'Named in <a href="../paper/' in yalov


def test_real_site_reused_terms_by_their_spec_labels_and_namespace_table():
    """Issue 14: raw names (skos:scopeNote, rdf:type, dcterms:description) were row labels;
    no namespace table; reused terms were not linked to their specifications."""
    site, _, _ = built_real_site()
    for f in sorted(site.rglob("*.html")):
        page = f.read_text(encoding="utf-8")
        assert not re.search(r"<tr>\s*<td><code>(skos:scopeNote|rdf:type|dcterms:description)</code>",
                             page), f
    principles = (site / "lists" / "principles.html").read_text(encoding="utf-8")
    index = (site / "terms" / "index.html").read_text(encoding="utf-8")
    assert 'id="namespaces"' in index
    for prefix, spec in (("org", "https://www.w3.org/TR/vocab-org/"),
                         ("skos", "https://www.w3.org/TR/skos-reference/"),
                         ("prov", "https://www.w3.org/TR/prov-o/")):
        assert f"<code>{prefix}:</code>" in index and f'href="{spec}"' in index
    assert any('title="skos:scopeNote">scope note</a>' in f.read_text(encoding="utf-8")
               for f in (site / "id").rglob("*.html")) or "scope note" in principles


def test_real_site_class_page_ancestors_inherited_properties_and_full_used_by():
    """Issue 14: a class page showed only its parent, no inherited properties, and "Used by"
    stopped at 40 of 138 items with "…"."""
    site, _, _ = built_real_site()
    text = squash("".join(parse(site / "terms" / "PedagogicalEducationCluster.html").text))
    assert "All ancestors: educational cluster, cluster" in text
    assert "Inherited properties" in text
    page = (site / "terms" / "Cluster.html").read_text(encoding="utf-8")
    m = re.search(r'<details class="ec-used-by"><summary>(\d+) list items and claims concern it, '
                  r"by kind</summary>(.*?)</details>", page, re.S)
    assert m, "the Cluster page lists what concerns it in a <details>"
    assert m.group(2).count("<a href=") == int(m.group(1)) and "…" not in m.group(2)


def test_real_site_a_to_z_index_lists_every_term_and_item():
    """Issue 14: an A–Z index of every term and item, linked from the navigation."""
    site, _, _ = built_real_site()
    page = (site / "id" / "a-z.html").read_text(encoding="utf-8")
    text = squash("".join(parse(site / "id" / "a-z.html").text))
    assert re.search(r"\b\d{3,} terms and items, by label", text)
    for label, href in (("cluster", "../terms/Cluster.html"), ("succession", "principle/succession.html")):
        assert f'<a href="{href}">{label}</a>' in page, label
    assert 'href="id/a-z.html"' in (site / "index.html").read_text(encoding="utf-8")


def test_real_site_damaged_quote_marked_on_its_card():
    """Issue 14: OCR-damaged quotes ("connected by horizontal and subjects, ...") carried no
    sign on the card; the editors' comment saying so is now shown under the quote."""
    site, _, _ = built_real_site()
    for f in (site / "terms").glob("*.html"):
        page = f.read_text(encoding="utf-8")
        if "connected by horizontal and subjects" in page:
            card = page.split("connected by horizontal and subjects", 1)[1].split("</section>", 1)[0]
            assert '<p class="ec-def-damage"><strong>Damaged in print:</strong>' in card
            assert "horizontal and vertical ties" in card
            return
    raise AssertionError("no card quotes the damaged passage")


def test_real_site_data_guide_names_no_repository_path():
    """Issue 14: the data guide showed repository test paths (tests/data/invalid/...)."""
    site, _, _ = built_real_site()
    assert "tests/data" not in (site / "validate.html").read_text(encoding="utf-8")


def test_sitemap_titles_and_no_repository_paths_for_readers():
    """Issue 14: sitemap.xml was empty (no site_url), five page titles were shared (an item and a
    list, a characteristic and a principle both "common goal"), and the example page showed the
    seed file path. The sitemap lists every page under the published address; each content
    page's <title> is its own; no page a reader meets names shared/seeds."""
    site, _, _ = built_real_site()
    languages = ["uz", "uz-Cyrl", "ru"]  # each language's folder has its own sitemap (decision 0029)
    for root in [site] + [site / lang for lang in languages]:
        sitemap = (root / "sitemap.xml").read_text(encoding="utf-8")
        locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        pages = [p for p in root.rglob("*.html") if p.name != "404.html"
                 and (root != site or p.relative_to(site).parts[0] not in languages)]
        assert len(locs) >= len(pages) - 1 and all(u.startswith("https://") for u in locs)
        titles: dict[str, list[str]] = {}
        for p in pages:
            m = re.search(r"<title>([^<]*)</title>", p.read_text(encoding="utf-8"))
            titles.setdefault(m.group(1), []).append(str(p.relative_to(site)))
        assert {t: ps for t, ps in titles.items() if len(ps) > 1} == {}
    assert "shared/seeds" not in (site / "example.html").read_text(encoding="utf-8")
