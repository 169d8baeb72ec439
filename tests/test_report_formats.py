"""Reports that lead to the cause: locations as fields, causes before consequences, fix texts
that fit the rule, a summary per file, CSV and HTML reports, and ``convert`` refusing invalid
data. Each test starts from the Tashkent example's CSV files with one realistic mistake."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
import rdflib

from test_validate import TASHKENT, cli

CSPI = "chirchik-state-pedagogical-institute"
DEPT = "tashkent-regional-department-of-public-education"


@pytest.fixture()
def data(tmp_path):
    d = tmp_path / "csv"
    shutil.copytree(TASHKENT / "csv", d)
    return d


def set_cell(path, row_id, column, value):
    """Set one cell of a CSV file (the row whose id is ``row_id``), keeping the other rows
    (comment rows are shortened to ``#``, so every row keeps its number)."""
    text = "".join("#\n" if ln.startswith("#") else ln
                   for ln in path.read_text(encoding="utf-8").splitlines(keepends=True))
    rows = list(csv.reader(io.StringIO(text)))
    col = rows[0].index(column)
    for r in rows:
        if r and r[0] == row_id:
            r[col] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def links(d, *rows):
    (d / "links.csv").write_text("id,cluster,participant,relationType\n"
                                 + "".join(r + "\n" for r in rows), encoding="utf-8")


def report(d, fmt="json", *extra):
    code, out, err = cli("validate", *sorted(d.glob("*.csv")), "--format", fmt, *extra)
    assert code in (0, 1), err
    return json.loads(out) if fmt == "json" else out


def test_mistyped_member_comes_first_with_did_you_mean_then_its_consequences(data):
    set_cell(data / "memberships.csv", f"membership-{CSPI}", "member",
             "chirchik-state-pedagogical-instiute")
    links(data, f"l1,tashkent-cluster,{CSPI}|{DEPT},vertical")
    doc = report(data)
    first = doc["results"][0]
    assert first["file"].endswith("memberships.csv") and first["row"] == 3
    assert first["column"] == "member"
    assert f"did you mean '{CSPI}'?" in first["fix"]
    # the consequences (the core missing, a linked participant in no membership) come after
    later = [r["component"] for r in doc["results"][1:]]
    assert "sh:SPARQLConstraintComponent" in later or "sh:QualifiedMinCountConstraintComponent" in later
    assert all(r["component"] in ("sh:SPARQLConstraintComponent", "sh:MinCountConstraintComponent",
                                  "sh:QualifiedMinCountConstraintComponent",
                                  "sh:QualifiedMaxCountConstraintComponent")
               for r in doc["results"][1:]), doc["results"]


def test_fix_texts_fit_the_rule(data):
    """Regression: a link with three participants said "keep only one value", kspi|kspi said
    "add the missing value", a supporter said "the id of a Organization"."""
    links(data, f"l1,tashkent-cluster,{CSPI}|{DEPT}|laboratory-schools,vertical",
          f"l2,tashkent-cluster,{CSPI}|{CSPI},vertical")
    set_cell(data / "activities.csv", "school-of-young-teachers", "supportedBy",
             "tashkent-cluster|nowhere")
    doc = report(data)
    fixes = {(r["row"], r["file"].rsplit("/", 1)[-1], r["component"]): r["fix"]
             for r in doc["results"]}
    assert fixes[(2, "links.csv", "sh:MaxCountConstraintComponent")] == "keep only 2 values"
    assert fixes[(3, "links.csv", "sh:MinCountConstraintComponent")].startswith(
        "give 2 different values")
    supporter = [f for (row, f_, c), f in fixes.items() if f_ == "activities.csv"]
    assert any("the id of an organization" in f.lower() for f in supporter), supporter


def test_two_cores_warning_names_both_rows(data):
    set_cell(data / "memberships.csv", f"membership-{DEPT}", "role", "core")
    doc = report(data)
    w = [r for r in doc["results"] if r["component"] == "sh:QualifiedMaxCountConstraintComponent"]
    assert len(w) == 1
    assert re.search(r"memberships\.csv:3 and .*memberships\.csv:4", w[0]["fix"]), w[0]["fix"]


def test_locations_are_fields_in_json_and_turtle_and_rows_survive_line_breaks(data):
    """A description with a line break above the bad row: the row is the spreadsheet row."""
    set_cell(data / "participants.csv", CSPI, "description", "Line one\nLine two")
    text = (data / "participants.csv").read_text(encoding="utf-8")
    assert text.splitlines()[4].startswith(DEPT)       # line 5 of the text, row 4 of the sheet
    row = 4
    set_cell(data / "participants.csv", DEPT, "identifier", "12 34")   # a space inside
    doc = report(data)
    hit = [r for r in doc["results"] if r["focus"].endswith("/" + DEPT)]
    assert hit, doc["results"]
    assert hit[0]["row"] == row and hit[0]["column"] == "identifier", hit[0]
    ttl = report(data, "turtle")
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    ecr = rdflib.Namespace("https://w3id.org/educluster/report#")
    assert (None, ecr.row, rdflib.Literal(row)) in g
    assert (None, ecr.column, rdflib.Literal("identifier")) in g


def test_summary_per_file(data):
    links(data, f"l1,tashkent-cluster,{CSPI}|{CSPI},vertical")
    out = report(data, "text")
    assert re.search(r"links\.csv: 1 row read, 1 entity made, \d+ findings?", out), out
    assert re.search(r"participants\.csv: \d+ rows read, \d+ entities made, 0 findings", out)
    doc = report(data)
    summary = {s["file"].rsplit("/", 1)[-1]: s for s in doc["summary"]}
    assert summary["links.csv"]["rows"] == 1 and summary["links.csv"]["findings"] >= 1


def test_csv_report_one_row_per_finding_never_a_formula(data):
    set_cell(data / "memberships.csv", f"membership-{CSPI}", "startDate", "=1+1")
    out = report(data, "csv")
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    doc = report(data)
    assert len(rows) == len(doc["results"])
    date = next(r for r in rows if r["column"] == "startDate")
    assert date["value"] == "'=1+1" and date["severity"] == "violation"
    assert date["file"].endswith("memberships.csv") and date["row"] == "3"


def test_html_report_is_self_contained_and_escaped(data):
    set_cell(data / "memberships.csv", f"membership-{CSPI}", "startDate",
             "<script>alert(1)</script>")
    out = report(data, "html")
    assert out.startswith("<!DOCTYPE html>") and '<html lang="en">' in out
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", out)
    assert '<th scope="col">Fix</th>' in out and "default-src 'none'" in out


def test_convert_refuses_invalid_data_unless_allowed(data, tmp_path):
    """Regression: convert wrote "01.09.2021"^^xsd:date with exit 0."""
    set_cell(data / "memberships.csv", f"membership-{CSPI}", "startDate", "01.09.2021")
    out = tmp_path / "out.ttl"
    code, stdout, err = cli("convert", *sorted(data.glob("*.csv")), "-o", out)
    assert code == 1 and not out.exists() and stdout == ""
    lines = err.splitlines()
    assert "1 violation; nothing written" in lines[0] and "--allow-invalid" in lines[0]
    assert "memberships.csv:3" in lines[1] and "'startDate'" in lines[1]
    code, stdout, err = cli("convert", *sorted(data.glob("*.csv")), "-o", out, "--allow-invalid")
    assert code == 0 and out.exists()


def test_convert_of_an_iri_the_store_refuses_is_one_line(tmp_path):
    """Regression (found by the fuzz test): a prefix IRI that rdflib resolves but the fast
    validator's store refuses made convert's new validation an internal error."""
    from test_validate import assert_one_line_error

    src = tmp_path / "data.ttl"
    src.write_text("@prefix org: <,http://www.w3.org/ns/org#> .\n"
                   "<https://example.org/m> org:member <https://example.org/p> .\n",
                   encoding="utf-8")
    out = tmp_path / "out.ttl"
    code, stdout, err = cli("convert", src, "-o", out)
    assert_one_line_error(code, stdout, err, "data.ttl", "not valid")
    assert not out.exists()
