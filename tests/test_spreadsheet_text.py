"""Tables as spreadsheets save them as text: tab-separated, Excel's "Unicode text" (UTF-16),
Windows-1251 (refused by name, with the steps to save as UTF-8), cells over 128 KB, line breaks
inside cells, and ids with a confusable character."""

from __future__ import annotations

import codecs
import shutil

import pytest
from rdflib.compare import isomorphic

from test_validate import TASHKENT, assert_one_line_error, cli


def load(files):
    from educluster.convert.inputs import load_inputs

    return load_inputs([str(f) for f in files]).graph


@pytest.fixture()
def csv_dir(tmp_path):
    d = tmp_path / "csv"
    shutil.copytree(TASHKENT / "csv", d)
    return d


def _as_tabs(text: str) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


@pytest.mark.parametrize("form", ["tsv", "unicode-text"])
def test_tab_separated_and_excel_unicode_text_read_like_csv(csv_dir, form):
    expected = load(sorted(csv_dir.glob("*.csv")))
    src = csv_dir / "participants.csv"
    text = _as_tabs(src.read_text(encoding="utf-8"))
    src.unlink()
    if form == "tsv":
        (csv_dir / "participants.tsv").write_text(text, encoding="utf-8")
    else:  # Excel: Save As > Unicode Text (*.txt): UTF-16 little-endian with a BOM, tabs
        (csv_dir / "participants.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    got = load(sorted(p for p in csv_dir.iterdir()))
    assert isomorphic(got, expected)


def test_windows_1251_is_named_with_the_steps_to_save_as_utf8(tmp_path):
    f = tmp_path / "participants.csv"
    f.write_bytes("id,type,name\nschool-1,School,Школа № 1 города Чирчик\n".encode("cp1251"))
    code, out, err = cli("validate", f)
    assert_one_line_error(code, out, err, "participants.csv:2", "Windows-1251",
                          "CSV UTF-8 (Comma delimited)", "Unicode (UTF-8)")


def test_latin1_bytes_are_not_called_windows_1251(tmp_path):
    f = tmp_path / "participants.csv"
    f.write_bytes("id,type,name\nschool-1,School,École Sainte-Thérèse\n".encode("latin-1"))
    code, out, err = cli("validate", f)
    line = assert_one_line_error(code, out, err, "not UTF-8")
    assert "1251" not in line


def test_a_cell_over_128_kb_is_accepted_up_to_max_size(csv_dir, tmp_path):
    """Regression: a valid 200 KB description was refused as 'field larger than field limit
    (131072)'."""
    big = "x" * 200_000
    src = csv_dir / "participants.csv"
    src.write_text(src.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0] + "\n"
                   + f"big-school,School,A school,Tashkent region,,,{big}\n", encoding="utf-8")
    g = load([src])
    assert any(len(str(o)) == 200_000 for o in g.objects())
    code, out, err = cli("convert", src, "-o", tmp_path / "o.ttl", "--max-size", "0.1")
    assert_one_line_error(code, out, err, "over the limit", "--max-size")


def test_rows_after_a_cell_with_line_breaks_keep_their_spreadsheet_row(tmp_path):
    """A name typed with Alt+Enter spans two text lines but is one spreadsheet row: the bad
    id below it is reported at row 3 (line 4 of the text)."""
    f = tmp_path / "participants.csv"
    f.write_text('id,type,name\nschool-1,School,"School\nNo. 1"\nbad id,School,B\n',
                 encoding="utf-8")
    code, out, err = cli("validate", f, "--format", "json")
    assert code == 2 and "participants.csv:3:" in err, err
    import json

    assert json.loads(out)["errors"][0]["row"] == 3


def test_an_id_with_a_cyrillic_letter_names_it_and_its_position(tmp_path):
    f = tmp_path / "participants.csv"
    f.write_text("id,type,name\nkspi,School,A\nk\u0441pi,School,B\n", encoding="utf-8")
    code, out, err = cli("validate", f)
    assert_one_line_error(code, out, err, "participants.csv:3:", "character 2",
                          "CYRILLIC SMALL LETTER ES (U+0441)", "looks like a Latin letter")


def test_a_code_with_a_cyrillic_letter_names_it_in_the_fix(csv_dir):
    """"vеrtical" with a Cyrillic е looks like a valid relation type: the fix names it."""
    (csv_dir / "links.csv").write_text(
        "id,cluster,participant,relationType\n"
        "l1,tashkent-cluster,chirchik-state-pedagogical-institute|"
        "tashkent-regional-department-of-public-education,v\u0435rtical\n", encoding="utf-8")
    code, out, err = cli("validate", *sorted(csv_dir.glob("*.csv")))
    assert code == 1, err
    fix = next(ln for ln in out.splitlines() if "fix:" in ln and "v\u0435rtical" in ln)
    assert "character 2 is CYRILLIC SMALL LETTER IE (U+0435)" in fix
    assert "did you mean 'vertical'?" in fix
