"""``educluster web``: the real service started on 127.0.0.1 (a subprocess on a free port) and
driven over HTTP: every input format, the report downloads, bad uploads, zip traversal and
links, the upload-size, queue and timeout limits, two concurrent uploads, no upload kept,
and the same findings as ``educluster validate`` in the four languages."""

from __future__ import annotations

import io
import json
import re
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from conftest import REPO, educluster_executable, free_port, run_educluster

TASHKENT = REPO / "examples" / "tashkent"
CSV = sorted((TASHKENT / "csv").glob("*.csv"))
LANGS = ("en", "uz", "uz-Cyrl", "ru")


class Service:
    """A running ``educluster web`` process and its URL; stopped by :meth:`stop`."""

    def __init__(self, tmp: Path, *args: str):
        self.port = free_port()
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, TMPDIR=str(tmp))
        self.proc = subprocess.Popen([educluster_executable(), "web", "--port", str(self.port),
                                      *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=REPO, env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(self.proc.stderr.read())
            try:
                httpx.get(self.url + "/", timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("the service did not start in 60 s")

    def post(self, files, path="/api/validate", **data) -> httpx.Response:
        return httpx.post(self.url + path, files=files, data=data, timeout=120)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("web"), "--max-upload", "2", "--workers", "2")
    yield s
    s.stop()


def upload(paths) -> list:
    return [("files", (Path(p).name, Path(p).read_bytes())) for p in paths]


def invalid_csv(folder: Path) -> list[Path]:
    """The Tashkent CSV files with the core institute's name blanked and a cluster region
    misspelt: findings with a file, a row and a fix."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for p in CSV:
        text = p.read_text(encoding="utf-8")
        if p.name == "participants.csv":
            text = text.replace(",Chirchik State Pedagogical Institute,", ",,", 1)
        target = folder / p.name
        target.write_text(text, encoding="utf-8")
        out.append(target)
    return out


def findings(report: dict) -> list[tuple]:
    """The findings of a JSON report as comparable tuples (order kept)."""
    return [(r.get("severity"), r.get("file"), r.get("row"), r.get("column"), r.get("message"),
             r.get("fix")) for r in report.get("results", [])]


def command_report(paths: list[Path], lang: str, folder: Path) -> dict:
    """``educluster validate --format json`` run in ``folder`` on copies named like uploads."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in paths:
        shutil.copy(p, folder / p.name)
    langs = ["--lang", lang] if lang_supported() else []
    code, out, err = run_educluster("validate", "--format", "json", *langs,
                                    *[p.name for p in paths], cwd=folder)
    assert code in (0, 1), err
    return json.loads(out)


def lang_supported() -> bool:
    """Whether this tree's ``validate`` has --lang (the i18n work of issue 15 section 1)."""
    code, out, _ = run_educluster("validate", "--help")
    return "--lang" in out


@pytest.mark.parametrize("paths", [CSV, [TASHKENT / "tashkent.ttl"], [TASHKENT / "tashkent.json"]],
                         ids=["csv", "turtle", "json"])
def test_tashkent_conforms_through_the_api(service, paths):
    r = service.post(upload(paths))
    assert r.status_code == 200, r.text
    doc = r.json()
    assert (doc["exit_code"], doc["status"]) == (0, "conforms")
    assert doc["report"]["conforms"] is True
    assert doc["turtle"].startswith("# converted by educluster web")
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_jsonld_and_workbook_are_read(service, tmp_path):
    code, _, err = run_educluster("convert", *CSV, "-o", tmp_path / "t.jsonld")
    assert code == 0, err
    code, _, err = run_educluster("template", "--xlsx", tmp_path / "blank")
    assert code == 0, err
    r = service.post(upload([tmp_path / "t.jsonld"]))
    assert r.status_code == 200 and r.json()["exit_code"] == 0, r.text
    # the template workbook (example rows only) reads, and its verdict is the command's
    book = tmp_path / "blank" / "cluster.xlsx"
    r = service.post(upload([book]))
    want, _, err = run_educluster("validate", book)
    assert r.json()["exit_code"] == want, (r.text, err)


def test_zip_of_the_csv_files(service):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in CSV:
            z.write(p, f"tashkent/csv/{p.name}")
        z.writestr("tashkent/README.txt.md", "not data")
    r = service.post([("files", ("data.zip", buf.getvalue()))])
    assert r.status_code == 200 and r.json()["exit_code"] == 0, r.text
    assert sorted(r.json()["report"]["files"]) == sorted(p.name for p in CSV)


@pytest.mark.parametrize("name,make", [
    ("../../evil.csv", lambda z, i: z.writestr(i, "id\n")),
    ("/etc/evil.csv", lambda z, i: z.writestr(i, "id\n")),
], ids=["dotdot", "absolute"])
def test_zip_with_traversal_is_refused(service, name, make):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        make(z, zipfile.ZipInfo(name))
    r = service.post([("files", ("evil.zip", buf.getvalue()))])
    assert r.status_code == 422
    assert r.json()["exit_code"] == 2 and "outside the archive" in json.dumps(r.json())
    assert not (service.tmp / "evil.csv").exists() and not Path("/etc/evil.csv").exists()


def test_zip_refusal_in_the_chosen_language(service):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../evil.csv", "id\n")
    r = service.post([("files", ("evil.zip", buf.getvalue()))], lang="ru")
    assert r.status_code == 422 and "за пределы архива" in r.json()["report"]["errors"][0]["message"]
    page = service.post([("files", ("evil.zip", buf.getvalue()))], path="/validate", lang="uz")
    assert page.status_code == 422 and "arxivdan tashqariga" in page.text


def test_zip_with_a_symlink_is_refused(service):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("clusters.csv")
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
    r = service.post([("files", ("links.zip", buf.getvalue()))])
    assert r.status_code == 422 and "symbolic link" in r.text


def test_zip_bomb_is_bounded(tmp_path):
    s = Service(tmp_path / "svc", "--max-upload", "2")
    try:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("clusters.csv", b"0" * (120 * 1024 * 1024))  # 120 MB of zeros, ~120 KB
        assert len(buf.getvalue()) < 2 * 1024 * 1024
        r = s.post([("files", ("bomb.zip", buf.getvalue()))])
        assert r.status_code == 422 and "more than 100 MB" in r.text
    finally:
        s.stop()


@pytest.mark.parametrize("files,status,key", [
    ([("files", ("notes.exe", b"MZ"))], 422, "not a kind of file"),
    ([("files", ("clusters.csv", b"\xff\xfe\x00garbage\x00\x00"))], 422, None),
    ([("files", ("data.ttl", b"<a> <b> ."))], 422, None),
    ([("other", ("data.ttl", b""))], 400, "no_files"),
], ids=["exe", "binary-csv", "broken-turtle", "no-files"])
def test_bad_uploads_answer_clearly(service, files, status, key):
    r = service.post(files)
    assert r.status_code == status, r.text
    doc = r.json()
    if status == 422:
        assert doc["exit_code"] == 2 and doc["status"] == "unreadable"
        assert doc["report"]["errors"][0]["message"]
        if key:
            assert key in doc["report"]["errors"][0]["message"]
    else:
        assert doc["error"] == key and doc["message"]


def test_not_multipart_is_refused(service):
    r = httpx.post(service.url + "/api/validate", content=b"{}",
                   headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "bad_form"


def test_too_large_is_refused_early_in_the_language(service):
    r = service.post([("files", ("big.csv", b"x" * (3 * 1024 * 1024)))], lang="ru")
    assert r.status_code == 413
    assert r.json()["error"] == "too_large"
    r = httpx.post(service.url + "/api/validate?lang=ru",
                   files=[("files", ("big.csv", b"x" * (3 * 1024 * 1024)))])
    assert r.status_code == 413 and "МБ" in r.json()["message"]
    page = httpx.post(service.url + "/validate?lang=uz",
                      files=[("files", ("big.csv", b"x" * (3 * 1024 * 1024)))])
    assert page.status_code == 413 and "MB dan katta" in page.text


def test_busy_queue_answers_503_and_timeout_504(tmp_path):
    s = Service(tmp_path / "svc", "--workers", "1", "--queue", "0", "--timeout", "0.01")
    try:
        answers = []

        def one():
            answers.append(s.post(upload([TASHKENT / "tashkent.ttl"])))

        threads = [threading.Thread(target=one) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        codes = sorted(a.status_code for a in answers)
        assert 503 in codes and 504 in codes, codes
        for a in answers:
            assert a.json()["error"] in ("busy", "timeout") and a.json()["message"]
        assert s.proc.poll() is None  # still serving
        assert httpx.get(s.url + "/").status_code == 200
    finally:
        s.stop()


def test_requests_wait_in_the_queue_within_its_bound(tmp_path):
    """One worker, a queue of two: three uploads at once all get their report (in turn)."""
    s = Service(tmp_path / "svc", "--workers", "1", "--queue", "2")
    try:
        answers = []

        def one():
            answers.append(s.post(upload([TASHKENT / "tashkent.ttl"])))

        threads = [threading.Thread(target=one) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert [a.status_code for a in answers] == [200] * 3
        assert all(a.json()["exit_code"] == 0 for a in answers)
    finally:
        s.stop()


def test_memory_bound_answers_413_and_the_service_lives_on(tmp_path):
    """A worker bounded far below what validation needs: a clear refusal, never a crash."""
    s = Service(tmp_path / "svc", "--memory-mb", "60")
    try:
        r = s.post(upload([TASHKENT / "tashkent.ttl"]), lang="ru")
        assert r.status_code == 413 and r.json()["error"] == "memory", r.text
        assert "памяти" in r.json()["message"]
        assert httpx.get(s.url + "/").status_code == 200
    finally:
        s.stop()


def test_a_worker_imports_nothing_new_under_its_memory_bound(tmp_path):
    """Regression: modules a validation imported lazily were first compiled inside the worker,
    under its memory bound, where CPython sometimes failed with "field 'target' is required for
    AnnAssign" instead of MemoryError: about one run in eight of the test above answered 500.
    The forkserver's preload (educluster.web.warm) must import all of them, for an upload of
    every format the service accepts (Turtle and CSV only were tried at first: a workbook then
    imported openpyxl and python-calamine under the bound, N-Triples, JSON, JSON-LD and RDF/XML
    their readers)."""
    import csv

    import rdflib
    from test_workbook import fill_template, ods_bytes, workbook_tables

    from educluster.template_workbook import workbook_bytes
    from educluster.web.uploads import DATA_SUFFIXES

    folders = {}
    for name, files in (("ttl", [TASHKENT / "tashkent.ttl"]), ("csv", CSV),
                        ("json", [TASHKENT / "tashkent.json"])):
        folders[name] = tmp_path / name
        folders[name].mkdir()
        for f in files:
            shutil.copy(f, folders[name])
    graph = rdflib.Graph().parse(TASHKENT / "tashkent.ttl")
    for name, fmt in (("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        folders[name] = tmp_path / name
        folders[name].mkdir()
        graph.serialize(folders[name] / f"tashkent.{name}", format=fmt, encoding="utf-8")
    for name in ("tsv", "xlsx", "ods"):
        folders[name] = tmp_path / name
        folders[name].mkdir()
    for f in CSV:
        rows = csv.reader(io.StringIO(f.read_text(encoding="utf-8")))
        with open(folders["tsv"] / (f.stem + ".tsv"), "w", encoding="utf-8", newline="") as out:
            csv.writer(out, delimiter="\t").writerows(rows)
    book = fill_template(workbook_bytes(), folders["xlsx"] / "cluster.xlsx")
    (folders["ods"] / "cluster.ods").write_bytes(ods_bytes(workbook_tables(book)))
    # every reader once (.txt is read as CSV or TSV, .owl and .xml as RDF/XML)
    tried = {p.suffix for folder in folders.values() for p in folder.iterdir()}
    assert tried == set(DATA_SUFFIXES) - {".txt", ".owl", ".xml"}, tried
    code = (
        "import json, sys\n"
        "import educluster.web.warm\n"
        "from educluster.web import job\n"
        "before = set(sys.modules)\n"
        f"for folder in {[str(p) for p in folders.values()]!r}:\n"
        "    import os\n"
        "    names = sorted(os.listdir(folder))\n"
        "    assert job.validate(folder, names, 'ru', False)['exit_code'] in (0, 1)\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_two_concurrent_uploads_get_their_own_reports(service, tmp_path):
    bad = invalid_csv(tmp_path / "bad")
    answers = {}

    def one(key, paths):
        answers[key] = service.post(upload(paths))

    threads = [threading.Thread(target=one, args=("good", CSV)),
               threading.Thread(target=one, args=("bad", bad))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert answers["good"].json()["exit_code"] == 0
    assert answers["bad"].json()["exit_code"] == 1


def test_nothing_uploaded_is_kept(service):
    service.post(upload(CSV))
    assert not [p for p in service.tmp.iterdir() if p.name.startswith("educluster-web-")]


def test_keep_uploads_keeps_a_copy(tmp_path):
    keep = tmp_path / "kept"
    keep.mkdir()
    s = Service(tmp_path / "svc", "--keep-uploads", str(keep))
    try:
        s.post(upload([TASHKENT / "tashkent.ttl"]))
        kept = list(keep.glob("*/tashkent.ttl"))
        assert len(kept) == 1 and kept[0].read_bytes() == (TASHKENT / "tashkent.ttl").read_bytes()
    finally:
        s.stop()


@pytest.mark.parametrize("lang", LANGS)
def test_same_findings_as_the_command(service, tmp_path, lang):
    bad = invalid_csv(tmp_path / "bad")
    for paths in (CSV, bad):
        want = command_report(paths, lang, tmp_path / f"cmd-{paths[0].parent.name}")
        r = service.post(upload(paths), lang=lang)
        got = r.json()
        assert got["exit_code"] == (0 if want["conforms"] else 1)
        assert findings(got["report"]) == findings(want)
    assert findings(got["report"])  # the invalid set has findings
    if lang in ("ru", "uz-Cyrl"):  # the report really is in the language asked for
        assert any(re.search("[а-яА-Яўқғҳ]", f[4] + (f[5] or "")) for f in findings(got["report"]))


def test_report_page_groups_by_file_and_row_with_downloads(service, tmp_path):
    bad = invalid_csv(tmp_path / "bad")
    r = service.post(upload(bad), path="/validate?lang=en", lang="en")
    assert r.status_code == 200
    html = r.text
    assert "The data does not conform" in html
    assert "File: participants.csv" in html and "<h3>Row " in html
    ru = service.post(upload(bad), path="/validate?lang=ru", lang="ru").text
    assert "<h3>Строка " in ru     # headings begin with a capital (they read "row 2" before)
    for name in ("report.json", "report.csv", "report.html", "data.ttl"):
        assert f'download="{name}"' in html
    assert "<script" not in html


def test_pages_escape_data_strings(service, tmp_path):
    """A name written as markup shows as text in the report page, never as an element."""
    folder = tmp_path / "markup"
    folder.mkdir()
    for p in CSV:
        text = p.read_text(encoding="utf-8")
        if p.name == "participants.csv":
            text = text.replace("Chirchik State Pedagogical Institute,Tashkent region",
                                "<img src=x onerror=alert(1)>,Nowhere region", 1)
        (folder / p.name).write_text(text, encoding="utf-8")
    r = service.post(upload(sorted(folder.iterdir())), path="/validate")
    assert r.status_code == 200 and "The data does not conform" in r.text
    assert "<img src=x" not in r.text and "&lt;img src=x onerror=alert(1)&gt;" in r.text


def test_pages_in_four_languages_and_openapi(service):
    heads = {lang: httpx.get(service.url + f"/?lang={lang}").text for lang in LANGS}
    assert "Check cluster data" in heads["en"]
    assert "Klaster maʼlumotlarini tekshirish" in heads["uz"]
    assert "Клас" in heads["uz-Cyrl"] and "Проверка данных кластера" in heads["ru"]
    assert '<html lang="uz-Cyrl">' in heads["uz-Cyrl"]
    doc = httpx.get(service.url + "/api/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/api/validate" in doc["paths"]
    assert "curl -F files=@" in heads["en"] and "requests.post(" in heads["en"]
    # the file picker offers every kind of file the service reads (it offered no .owl, .xml)
    from educluster.web.uploads import DATA_SUFFIXES

    accept = re.search(r'accept="([^"]*)"', heads["en"]).group(1).split(",")
    assert sorted(accept) == sorted(DATA_SUFFIXES + (".zip",))


@pytest.mark.parametrize("accept, want", [
    ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
    ("uz-Cyrl-UZ", "uz-Cyrl"),
    ("de-DE, fr;q=0.9, uz;q=0.5", "uz"),       # the first of the four the browser accepts
    ("en;q=0.3, ru;q=0.6", "ru"),              # by weight, not by order
    ("ru;q=0, de", "en"),                      # q=0 means "not this one"
    ("*", "en"),
    ("x" * 5000, "en"),                        # a hostile header: read within its bound
])
def test_a_browser_gets_its_own_language_when_the_page_names_none(service, accept, want):
    """A data officer whose browser asks for Russian or Uzbek gets the pages in it without
    looking for the switch; a ?lang= in the link still wins."""
    r = httpx.get(service.url + "/", headers={"Accept-Language": accept})
    assert f'<html lang="{want}">' in r.text
    assert "Accept-Language" in r.headers.get("vary", "")
    chosen = httpx.get(service.url + "/?lang=en", headers={"Accept-Language": accept})
    assert '<html lang="en">' in chosen.text


def test_the_api_answers_in_the_browsers_language_when_the_form_names_none(service):
    r = httpx.post(service.url + "/api/validate", content=b"not a form",
                   headers={"Content-Type": "text/plain", "Accept-Language": "ru"})
    assert r.status_code >= 400 and re.search("[а-яё]", r.json()["message"]), r.text


def test_openapi_in_each_language(service):
    """GET /api/openapi.json?lang=xx: the summaries and descriptions from the catalogues; paths,
    parameters, enums and schemas the same in every language; without ?lang the file as it is
    (plus the service's limits). Regression: the description was English only."""
    from educluster.web.openapi import FILE, texts_of

    english = json.loads(FILE.read_text(encoding="utf-8"))
    plain = httpx.get(service.url + "/api/openapi.json").json()
    assert set(plain["info"].pop("x-limits")) == {"max_upload_mb", "timeout_s"}
    assert plain == english
    def skeleton(doc):
        shape = json.dumps(doc, sort_keys=True)
        for t in sorted(texts_of(doc), key=len, reverse=True):
            shape = shape.replace(json.dumps(t), '""')
        return shape

    for lang in ("ru", "uz", "uz-Cyrl"):
        doc = httpx.get(service.url + f"/api/openapi.json?lang={lang}").json()
        doc["info"].pop("x-limits")
        texts = texts_of(doc)
        assert len(texts) == len(texts_of(english))
        assert not set(texts) & set(texts_of(english)), lang      # every text translated
        assert skeleton(doc) == skeleton(english), lang           # names and codes unchanged
    ru = httpx.get(service.url + "/api/openapi.json?lang=ru").json()
    assert ru["paths"]["/api/validate"]["post"]["summary"] == \
        "Проверить загруженные файлы данных вместе"
    assert ru["components"]["schemas"]["Refusal"]["properties"]["error"]["enum"] == \
        english["components"]["schemas"]["Refusal"]["properties"]["error"]["enum"]


def test_openapi_texts_are_all_in_the_catalogues():
    """Every title, summary and description of openapi.json is a msgid listed in
    educluster.web.openapi.TEXTS (and so in the catalogues): a new English text in the file
    fails here until it is listed and translated."""
    from educluster.web.openapi import FILE, TEXTS, texts_of

    in_file = texts_of(json.loads(FILE.read_text(encoding="utf-8")))
    assert len(in_file) >= 16 and set(in_file) == set(TEXTS)


def test_error_pages_speak_the_language(service):
    """A page that does not exist (404) and the upload address opened as a page (405, e.g. a
    bookmarked report) answer in the page's language; the 405 page said Starlette's English
    'Method Not Allowed' before."""
    page = httpx.get(service.url + "/validate?lang=ru")
    assert page.status_code == 405 and "принимает только файлы, отправленные из формы" in page.text
    assert "Method Not Allowed" not in page.text
    page = httpx.get(service.url + "/nowhere?lang=uz-Cyrl")
    assert page.status_code == 404 and "Бундай саҳифа йўқ." in page.text


def test_page_texts_have_four_languages():
    """The page texts come from the gettext catalogues: each is translated in uz, uz-Cyrl and
    ru (not English left in place), the Cyrillic is the Latin transliterated."""
    from educluster.i18n import to_cyrillic
    from educluster.web.texts import keys, text

    for key in keys():
        forms = {lang: text(key, lang) for lang in LANGS}
        assert all(forms.values()), key
        for lang in ("uz", "uz-Cyrl", "ru"):
            assert forms[lang] != forms["en"], (key, lang, forms)
        assert forms["uz-Cyrl"] == to_cyrillic(forms["uz"]), key


def test_port_in_use_is_one_line():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        code, out, err = run_educluster("web", "--port", str(s.getsockname()[1]))
    assert code == 2 and "--port" in err and len(err.strip().splitlines()) == 1, err


def test_host_beyond_loopback_needs_public():
    code, out, err = run_educluster("web", "--host", "0.0.0.0", "--port", str(free_port()))
    assert code == 2 and "--public" in err and "Traceback" not in err
