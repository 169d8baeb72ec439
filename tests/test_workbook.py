"""Excel workbooks: ``template --xlsx`` writes one, filled in (by openpyxl, as LibreOffice or
Excel would save it) it validates and converts to the same graph as the same data in CSV and
JSON, and every way a workbook can be unreadable is one line (or one JSON document), exit 2,
nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
import rdflib
from rdflib.compare import isomorphic

from test_validate import TASHKENT, assert_one_line_error, cli

openpyxl = pytest.importorskip("openpyxl")

START = "2019-09-01"      # a date the example lacks, typed as a date cell in the workbook
CORE = "membership-chirchik-state-pedagogical-institute"


@pytest.fixture(scope="module")
def template_bytes():
    from educluster.template_workbook import workbook_bytes

    return workbook_bytes()


def _csv_rows(path):
    """Header and data rows of an example CSV file (comment rows dropped)."""
    rows = [r for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
            if r and not r[0].startswith("#")]
    return rows[0], rows[1:]


def fill_template(template_bytes, out, edit=None):
    """The template workbook with the Tashkent example's CSV rows typed into its sheets (the
    core membership's start date as a date cell, a count as a number); ``edit(wb)`` may
    change it before it is saved to ``out``."""
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes))
    for f in sorted((TASHKENT / "csv").glob("*.csv")):
        header, rows = _csv_rows(f)
        ws = wb[f.stem]
        columns = [c.value for c in ws[1]]
        for r, row in enumerate(rows, 3):
            for name, value in zip(header, row):
                cell = ws.cell(r, columns.index(name) + 1)
                if f.stem == "memberships" and name == "startDate" and row[0] == CORE:
                    cell.value = dt.date.fromisoformat(START)
                elif f.stem == "counts" and name == "count":
                    cell.value = int(value)
                elif value:
                    cell.value = value
    if edit:
        edit(wb)
    wb.save(out)
    return out


def workbook_tables(book) -> dict[str, list[list]]:
    """The data sheets of a filled-in template workbook as :func:`ods_bytes` takes them (rows
    of cell values, dates as dates): the same workbook saved as OpenDocument."""
    wb = openpyxl.load_workbook(book)
    return {ws.title: [[c.value.date() if isinstance(c.value, dt.datetime) else c.value
                        for c in r] for r in ws.iter_rows()]
            for ws in wb.worksheets if ws.title not in ("help", "lists")}


def ods_bytes(tables: dict[str, list[list]], encrypted: bool = False) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice Calc saves, reduced to the parts a
    reader needs): one table per sheet, strings, numbers and date cells."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    def cell(v) -> str:
        if v is None or v == "":
            return "<table:table-cell/>"
        if isinstance(v, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value='
                    f'"{v.isoformat()}"><text:p>{v.isoformat()}</text:p></table:table-cell>')
        if isinstance(v, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}'
                "</text:p></table:table-cell>")

    body = "".join(f"<table:table table:name={quoteattr(name)}>"
                   + "".join("<table:table-row>" + "".join(cell(v) for v in r)
                             + "</table:table-row>" for r in rows) + "</table:table>"
                   for name, rows in tables.items())
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
               'office:version="1.2"><office:body><office:spreadsheet>' + body
               + "</office:spreadsheet></office:body></office:document-content>")
    enc = ("<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" "
           "manifest:checksum=\"AAAA\"/>") if encrypted else ""
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                f'manifest:full-path="content.xml" manifest:media-type="text/xml">{enc}'
                "</manifest:file-entry></manifest:manifest>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", b"\x8f\x01" * 50 if encrypted else content,
                   zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_ods_gives_the_same_graph_as_the_xlsx_workbook(tmp_path, template_bytes):
    """The same filled-in workbook saved as OpenDocument (LibreOffice's own format) reads to
    the same graph, with its cells named the same way."""
    from educluster.convert.inputs import load_inputs

    pytest.importorskip("python_calamine")     # installed by ./setup.sh (pyproject)
    book = fill_template(template_bytes, tmp_path / "cluster.xlsx")
    tables = workbook_tables(book)
    ods = tmp_path / "cluster.ods"
    ods.write_bytes(ods_bytes(tables))
    g = load_inputs([ods]).graph
    assert START in {str(o) for o in g.objects()}
    assert isomorphic(g, load_inputs([book]).graph)
    tables["participants"][3][0] = "bad id"
    ods.write_bytes(ods_bytes(tables))
    code, out, err = cli("validate", ods)
    assert code == 2 and "participants!A4" in err and "a space" in err, err


def test_template_workbook_has_sheets_help_and_drop_down_lists(tmp_path, template_bytes):
    from educluster.convert.layout import TEMPLATES

    code, out, err = cli("template", tmp_path / "t", "--xlsx")
    assert code == 0, err
    assert "cluster.xlsx" in out
    wb = openpyxl.load_workbook(tmp_path / "t" / "cluster.xlsx")
    assert wb.sheetnames == ["help", "lists"] + [t.name for t in TEMPLATES]
    assert wb["lists"].sheet_state == "hidden"
    ws = wb["memberships"]
    assert [c.value for c in ws[1]] == ["id", "member", "cluster", "role", "startDate",
                                        "agreement"]
    assert "participants.csv" in ws["B1"].comment.text       # the column help
    lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    role = lists["D3:D5000"]
    assert role.type == "list" and role.errorStyle == "stop"
    # the list range holds the roles of the knowledge base
    sheet, rng = role.formula1.lstrip("=").split("!")
    values = [c[0].value for c in wb[sheet.strip("'")][rng.replace("$", "")]]
    assert values == ["core", "partner"]
    assert lists["E3:E5000"].type == "date" and ws["E3"].number_format == "yyyy-mm-dd"
    links = wb["links"]
    kinds = {str(dv.sqref): dv for dv in links.data_validations.dataValidation}
    assert kinds["F3:F5000"].errorStyle == "information"    # several areas joined by |
    help_rows = [[c.value for c in r] for r in wb["help"].iter_rows()]
    assert any(r[:3] == ["participants", "id", "yes"] for r in help_rows)


def test_filled_workbook_gives_the_same_graph_as_csv_and_json(tmp_path, template_bytes):
    from educluster.convert.inputs import load_inputs

    book = fill_template(template_bytes, tmp_path / "cluster.xlsx")
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    for f in (TASHKENT / "csv").glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        if f.stem == "memberships":
            text = text.replace(f"{CORE},chirchik-state-pedagogical-institute,tashkent-cluster,"
                                "core,,", f"{CORE},chirchik-state-pedagogical-institute,"
                                f"tashkent-cluster,core,{START},")
        (csv_dir / f.name).write_text(text, encoding="utf-8")
    doc = json.loads((TASHKENT / "tashkent.json").read_text(encoding="utf-8"))
    next(m for m in doc["memberships"] if m["id"] == CORE)["startDate"] = START
    (tmp_path / "cluster.json").write_text(json.dumps(doc), encoding="utf-8")

    g_book = load_inputs([book]).graph
    g_csv = load_inputs(sorted(csv_dir.glob("*.csv"))).graph
    g_json = load_inputs([tmp_path / "cluster.json"]).graph
    assert START in {str(o) for o in g_book.objects()}
    assert len(g_book) > 80
    assert isomorphic(g_book, g_csv) and isomorphic(g_book, g_json)

    code, out, err = cli("validate", book)
    assert code == 0 and "0 violations" in out, (out, err)
    code, out, err = cli("convert", book, "-o", tmp_path / "out.ttl")
    assert code == 0, err
    assert isomorphic(rdflib.Graph().parse(tmp_path / "out.ttl"), g_csv)


def test_cell_locations_and_a_confusable_character(tmp_path, template_bytes):
    """A Cyrillic "с" in an id looks like the Latin c: the message names the character, its
    position and the cell."""
    def edit(wb):
        wb["participants"]["A3"] = "\u0441spi"
    book = fill_template(template_bytes, tmp_path / "cluster.xlsx", edit)
    code, out, err = cli("validate", book, "--format", "json")
    line = err.splitlines()[0]
    assert code == 2
    assert "participants!A3" in line and "character 1" in line, line
    assert "CYRILLIC SMALL LETTER ES (U+0441)" in line
    doc = json.loads(out)
    assert doc["errors"][0]["sheet"] == "participants"
    assert doc["errors"][0]["cell"] == "participants!A3" and doc["errors"][0]["row"] == 3


def test_every_unreadable_row_and_sheet_in_one_run(tmp_path, template_bytes):
    def edit(wb):
        wb["participants"]["A4"] = "bad id"                      # a space
        wb["participants"]["A5"] = wb["participants"]["A3"].value  # the same id twice
        wb["units"]["B1"] = "title"                               # an unknown column
    book = fill_template(template_bytes, tmp_path / "cluster.xlsx", edit)
    out = tmp_path / "out.ttl"
    code, stdout, err = cli("convert", book, "-o", out)
    lines = err.splitlines()
    assert code == 2 and not out.exists()
    assert len(lines) == 3, err
    assert "participants!A4" in lines[0] and "a space" in lines[0]
    assert "participants!A5" in lines[1] and "used twice" in lines[1]
    assert "units!A1" in lines[2] and "unknown column 'title'" in lines[2]


def _encrypted(template_bytes):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(template_bytes)).encrypt("secret", out)
    return out.getvalue()


@pytest.mark.parametrize("case", ["corrupt", "password", "missing-sheet", "renamed-sheet",
                                  "50MB", "ods-not-zip", "ods-password", "ods-corrupt",
                                  "xls-renamed"])
def test_unreadable_workbook_one_line_exit_2_nothing_written(tmp_path, case, template_bytes):
    book = tmp_path / "cluster.xlsx"
    extra: list[str] = []
    if case == "corrupt":                      # cut off while copying
        book.write_bytes(template_bytes[:len(template_bytes) // 2])
        needles = ["damaged", "save it again"]
    elif case == "password":
        pytest.importorskip("msoffcrypto")
        book.write_bytes(_encrypted(template_bytes))
        needles = ["encrypted", "password"]
    elif case == "missing-sheet":              # a workbook of its own, with none of our sheets
        wb = openpyxl.Workbook()
        wb.active.append(["id", "type", "name"])
        wb.save(book)
        needles = ["none of the sheets", "participants"]
    elif case == "renamed-sheet":
        def edit(wb):
            wb["participants"].title = "Participants 2025"
        fill_template(template_bytes, book, edit)
        needles = ["sheet 'Participants 2025' is not one of the tables", "participants"]
    elif case == "50MB":                       # a sparse file: 50 MB on paper, nothing on disk
        with open(book, "wb") as fh:
            fh.truncate(50 << 20)
        needles = ["50.0 MB", "over the limit", "--max-size"]
    elif case == "ods-not-zip":
        book = tmp_path / "cluster.ods"
        book.write_bytes(b"id,type,name\n")            # a CSV file renamed .ods
        needles = ["not an OpenDocument spreadsheet (.ods)", "save it again"]
    elif case == "ods-password":
        # LibreOffice keeps the zip and the manifest of an encrypted file readable and marks
        # each encrypted part with <manifest:encryption-data>; the parts are unreadable
        book = tmp_path / "cluster.ods"
        book.write_bytes(ods_bytes({"participants": [["id"]]}, encrypted=True))
        needles = ["protected with a password", "Save with password"]
    elif case == "ods-corrupt":
        book = tmp_path / "cluster.ods"
        data = ods_bytes({"participants": [["id", "type", "name"]]})
        book.write_bytes(data[:len(data) // 2])
        needles = ["damaged", "save it again"]
    elif case == "xls-renamed":
        book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
        needles = ["Excel 97-2003", ".xlsx"]
    out = tmp_path / "out.ttl"
    code, stdout, err = cli("convert", book, "-o", out, *extra)
    assert_one_line_error(code, stdout, err, *needles)
    assert not out.exists()
    code, stdout, err = cli("validate", book, "--format", "json", "-o", tmp_path / "r.json")
    assert code == 2 and len(err.splitlines()) == 1
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["readable"] is False and doc["conforms"] is False
    assert doc["errors"][0]["file"].endswith(book.name)


def test_zip_that_unpacks_far_past_the_limit_is_refused(tmp_path):
    """A small zip whose members unpack to hundreds of megabytes is refused before parsing."""
    import zipfile

    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\x20" * (3 << 20))
    code, stdout, err = cli("validate", book, "--max-size", "0.05")
    assert_one_line_error(code, stdout, err, "unpacks to", "bomb.xlsx")


def test_findings_in_a_workbook_name_the_cell(tmp_path, template_bytes):
    """A date typed as text in a date column: the text report says the cell, the JSON report
    has sheet, cell, row and column as fields."""
    def edit(wb):
        wb["memberships"]["E4"] = "01.09.2021"
    book = fill_template(template_bytes, tmp_path / "cluster.xlsx", edit)
    code, out, err = cli("validate", book)
    assert code == 1, err
    assert "where: cell memberships!E4 (column 'startDate' of sheet memberships)" in out
    assert re.search(r"cluster\.xlsx: (\d+) rows read, \1 entities made, 1 finding", out), out
    code, out, err = cli("validate", book, "--format", "json")
    r = json.loads(out)["results"][0]
    assert (r["sheet"], r["cell"], r["row"], r["column"]) == ("memberships", "memberships!E4", 4,
                                                              "startDate")
