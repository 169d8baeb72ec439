"""The built site in a real browser: Debian's headless Chromium driven by Playwright.

The site (built by tests/test_site.py's session build) is served on 127.0.0.1 by
``educluster.site.serve``; every request for anything outside that server is blocked
and recorded, and the test fails if there is one. Screenshots go to test-artifacts/.

Skipped when Chromium or Playwright is missing, except in CI (``CI=true``), where
that is a failure: .ci/run installs them (apt ``chromium``, pip ``playwright``; never
``playwright install``, which downloads a browser).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

CHROMIUM = os.environ.get("EDUCLUSTER_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"

SAMPLE = ["index.html", "terms/Cluster.html", "lists/principles.html",
          "id/principle/succession.html", "bibliography.html", "example.html", "validate.html",
          "cookbook.html", "downloads.html", "lists/swot.html"]


def _need(what: str, ok: bool) -> None:
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing in CI: .ci/run must install it")
    pytest.skip(f"{what} is missing (install it to run the browser test)")


@pytest.fixture(scope="module")
def browser_site():
    _need(f"Chromium ({CHROMIUM})", Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is not None)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _need("the Python package playwright", False)
    from test_site import built_real_site

    from educluster.site.serve import make_server

    site, _, _ = built_real_site()
    server = make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    yield site, base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(browser_site):
    from playwright.sync_api import sync_playwright

    site, base = browser_site
    outside: list[str] = []
    failed: list[str] = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        ctx = b.new_context(viewport={"width": 1400, "height": 1000})

        def route(r):
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        ctx.on("response", lambda resp: failed.append(f"{resp.status} {resp.url}")
               if resp.status >= 400 else None)
        state = {"ctx": ctx, "base": base, "site": site, "outside": outside, "failed": failed,
                 "dialogs": [], "errors": []}
        yield state
        ctx.close()
        b.close()


def _page(state):
    page = state["ctx"].new_page()
    page.set_default_timeout(60000)  # a busy CI machine can be slow
    page.on("dialog", lambda d: (state["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: state["errors"].append(str(e)))
    return page


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"site-{name}.png"), timeout=90000, animations="disabled")


def test_home_and_search_lands_on_the_principle(browser):
    page = _page(browser)
    page.goto(browser["base"] + "index.html")
    assert "Educational clusters" in page.locator("h1").first.inner_text()
    _shot(page, "home")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("succession")
    hit = page.locator("li.md-search-result__item a[href*='id/principle/succession']").first
    hit.wait_for(timeout=20000)
    _shot(page, "search")
    hit.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith("/id/principle/succession.html")
    assert page.locator("h1").first.inner_text().strip().rstrip("¶").strip() == "succession"
    _shot(page, "principle")
    page.close()


def test_concept_page_shows_two_scholars_definitions_side_by_side(browser):
    page = _page(browser)
    page.goto(browser["base"] + "terms/Cluster.html")
    cards = page.locator("section.ec-def")
    assert cards.count() >= 2
    boxes = []
    for i in range(cards.count()):
        card = cards.nth(i)
        author = card.locator(".ec-def-author").inner_text().strip()
        boxes.append((author, card.bounding_box()))
    side_by_side = [(a, b) for i, (a, ba) in enumerate(boxes) for (b, bb) in boxes[i + 1:]
                    if a != b and abs(ba["y"] - bb["y"]) < 2 and abs(ba["x"] - bb["x"]) > 100]
    assert side_by_side, boxes[:6]
    page.locator("section.ec-def").first.scroll_into_view_if_needed()
    _shot(page, "definitions")
    page.close()


def test_diagrams_render_with_nodes(browser):
    page = _page(browser)
    for path in ("terms/index.html", "id/principle/succession.html", "example.html"):
        page.goto(browser["base"] + path)
        svg = page.locator(".ec-diagram svg").first
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 40, path
        assert svg.locator("g.node").count() >= 2, path
        assert svg.locator("g.node rect").first.bounding_box()["width"] > 10
        _shot(page, "diagram-" + path.replace("/", "-").replace(".html", ""))
    page.close()


def test_cookbook_question_has_sparql_copy_button_and_results(browser):
    page = _page(browser)
    page.goto(browser["base"] + "cookbook.html")
    links = page.locator("a[href^='cookbook/']")
    if links.count() == 0:
        pytest.skip("no competency questions yet")
    links.first.click()
    page.wait_for_load_state()
    # the theme's copy button (material 9.8: nav.md-code__nav > button[data-md-type=copy])
    page.locator(".highlight button[data-md-type=copy], .highlight button.md-clipboard"
                 ).first.wait_for(state="attached")
    assert "SELECT" in page.locator(".highlight code").first.inner_text().upper() or \
        "ASK" in page.locator(".highlight code").first.inner_text().upper()
    assert page.locator(".ec-results table, .ec-ask, .ec-empty").count() >= 1
    _shot(page, "cookbook-question")
    page.close()


def test_dark_scheme_toggles(browser):
    page = _page(browser)
    page.goto(browser["base"] + "terms/Cluster.html")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert before != after and "slate" in (before, after)
    _shot(page, "dark")
    page.close()


def test_internal_links_on_sample_pages_resolve(browser):
    page = _page(browser)
    base = browser["base"]
    urls: set[str] = set()
    for path in SAMPLE:
        resp = page.goto(base + path)
        assert resp.status == 200, path
        # SVG links too (their .href is not a string): resolve the attribute against the page
        hrefs = page.eval_on_selector_all(
            "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)")
        for h in hrefs:
            url, _ = urldefrag(h)
            if url.startswith(base):
                urls.add(url)
    assert len(urls) > 150
    request = browser["ctx"].request
    broken = []
    for url in sorted(urls):
        r = request.get(url)
        if r.status != 200:
            broken.append((r.status, url))
    assert not broken, broken[:10]
    page.close()


def test_no_request_left_the_site_and_nothing_failed(browser):
    # runs last in this module (pytest keeps file order): checks what all the tests above did
    assert browser["outside"] == [], browser["outside"][:10]
    assert browser["failed"] == [], browser["failed"][:10]
    assert browser["dialogs"] == [], browser["dialogs"]
    assert browser["errors"] == [], browser["errors"][:5]
