"""``educluster web`` in Chromium (Playwright, Debian's browser, every outside request
blocked): upload the data, switch the language, read the report grouped by file and row,
download the reports, and axe-core (WCAG 2.1 AA) finds no serious or critical violation on the
upload, report and refusal pages; screenshots in test-artifacts/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_site_browser import ARTIFACTS, CHROMIUM, FLAGS, _need
from test_web import CSV, Service, invalid_csv

AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """The service and one Chromium whose contexts block everything but the service."""
    _need(f"Chromium ({CHROMIUM})", Path(CHROMIUM).is_file())
    _need(f"axe-core ({AXE}: npm ci --prefix tests/browser)", AXE.is_file())
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("python playwright", False)
    service = Service(tmp_path_factory.mktemp("webb"), "--max-upload", "1")
    outside: list[str] = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

            def context(javascript: bool = True):
                # bypass_csp only so the test can inject axe-core; the pages need no script
                ctx = b.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True,
                                    accept_downloads=True, java_script_enabled=javascript)

                def route(r):
                    if r.request.url.startswith((service.url, "data:")):
                        r.continue_()
                    else:
                        outside.append(r.request.url)
                        r.abort()
                ctx.route("**/*", route)
                return ctx

            yield {"context": context, "url": service.url}
            b.close()
    finally:
        service.stop()
    assert outside == [], outside[:5]


def axe(page) -> list[str]:
    """The serious and critical axe-core violations of the page."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""",
        AXE_TAGS)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def test_upload_switch_language_read_and_download(web, tmp_path):
    bad = invalid_csv(tmp_path / "bad")
    ctx = web["context"]()
    page = ctx.new_page()
    page.goto(web["url"] + "/")
    assert page.locator("h1").inner_text() == "Check cluster data"
    assert axe(page) == []
    page.get_by_role("link", name="Русский").click()
    assert page.locator("h1").inner_text() == "Проверка данных кластера"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("#lang").input_value() == "ru"
    assert axe(page) == []
    shot(page, "upload-ru")
    page.set_input_files("#files", [str(p) for p in bad])
    page.get_by_role("button", name="Проверить данные").click()
    assert page.locator("h1").inner_text() == "Данные не соответствуют требованиям"
    section = page.locator("section.file", has_text="participants.csv")
    assert section.locator("h3").first.inner_text().startswith("Строка ")
    assert section.locator("tbody tr").count() >= 1
    assert page.locator("p.counts").inner_text() == "Нарушений: 1, предупреждений: 0"
    assert axe(page) == []
    shot(page, "report-ru")
    with page.expect_download() as dl:
        page.get_by_role("link", name="Отчёт в JSON").click()
    report = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert report["conforms"] is False and report["results"]
    assert any(r["file"] == "participants.csv" for r in report["results"])
    with page.expect_download() as dl:
        page.get_by_role("link", name="Отчёт в CSV (таблица)").click()
    assert Path(dl.value.path()).read_text(encoding="utf-8-sig").startswith("severity,file,")
    with page.expect_download() as dl:
        page.get_by_role("link", name="Данные, преобразованные в Turtle").click()
    assert "@prefix" in Path(dl.value.path()).read_text(encoding="utf-8")
    ctx.close()


@pytest.mark.parametrize("lang", ["uz", "uz-Cyrl", "en"])
def test_report_pages_in_the_other_languages(web, lang):
    ctx = web["context"]()
    page = ctx.new_page()
    page.goto(web["url"] + f"/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    shot(page, f"upload-{lang}")
    page.set_input_files("#files", [str(p) for p in CSV])
    page.locator("button[type=submit]").click()
    heading = page.locator("h1").inner_text()
    assert heading == {"uz": "Maʼlumotlar talablarga mos", "en": "The data conforms",
                       "uz-Cyrl": "Маълумотлар талабларга мос"}[lang]
    assert page.locator("p.counts").inner_text() == {
        "uz": "Buzilishlar: 0, ogohlantirishlar: 0", "en": "Violations: 0, warnings: 0",
        "uz-Cyrl": "Бузилишлар: 0, огоҳлантиришлар: 0"}[lang]
    assert axe(page) == []
    shot(page, f"report-{lang}")
    ctx.close()


def test_form_and_report_without_javascript(web, tmp_path):
    """With JavaScript off the form sends the files and the report page shows the findings
    grouped by file and row, in the language picked in the form (issue 15: usable without
    JavaScript)."""
    bad = invalid_csv(tmp_path / "bad")
    ctx = web["context"](javascript=False)
    page = ctx.new_page()
    page.goto(web["url"] + "/")
    page.set_input_files("#files", [str(p) for p in bad])
    page.select_option("#lang", "uz-Cyrl")
    page.locator("button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "uz-Cyrl"
    assert page.locator("h1").inner_text() == "Маълумотлар талабларга мос эмас"
    section = page.locator("section.file", has_text="participants.csv")
    assert section.locator("tbody tr").count() >= 1
    shot(page, "report-nojs-uz-Cyrl")
    ctx.close()


def test_refusal_page_is_clear_and_accessible(web, tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"id\n" + b"x" * (2 * 1024 * 1024))
    ctx = web["context"]()
    page = ctx.new_page()
    page.goto(web["url"] + "/?lang=uz")
    page.set_input_files("#files", str(big))
    page.locator("button[type=submit]").click()
    assert "MB dan katta" in page.get_by_role("alert").inner_text()
    assert axe(page) == []
    shot(page, "too-large-uz")
    assert page.goto(web["url"] + "/no-such-page?lang=ru").status == 404
    assert page.get_by_role("alert").inner_text() == "Такой страницы нет."
    # regression: the heading said "the check could not be done" for an unknown address
    assert page.locator("h1").inner_text() == "Страница не найдена"
    assert axe(page) == []
    shot(page, "not-found-ru")
    ctx.close()
