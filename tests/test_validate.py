"""``educluster validate``: fixtures (pyshacl and an independent engine), the example cluster in
three forms, reports, exit codes, and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib

from conftest import REPO, in_ci, run_educluster

DATA = REPO / "tests" / "data"
INVALID = sorted((DATA / "invalid").glob("*.ttl"))
VALID = sorted((DATA / "valid").glob("*.ttl"))
TASHKENT = REPO / "examples" / "tashkent"
TASHKENT_FORMS = {
    "turtle": [TASHKENT / "tashkent.ttl"],
    "json": [TASHKENT / "tashkent.json"],
    "csv": sorted((TASHKENT / "csv").glob("*.csv")),
}
NODE_DIR = REPO / "tests" / "shacl_engine"
NODE_INSTALL = "npm ci --prefix tests/shacl_engine --no-audit --no-fund"


def cli(*args) -> tuple[int, str, str]:
    """Run ``educluster ARGS`` in this process (the shapes and ontology stay loaded)."""
    import contextlib
    import io

    from educluster.cli import main

    import logging

    out, err = io.StringIO(), io.StringIO()
    # what a library logs reaches the terminal in the real program (logging's last-resort
    # handler); under pytest the log capture would hide it, so collect it with stderr
    handler = logging.StreamHandler(err)
    handler.setLevel(logging.WARNING)
    logging.getLogger().addHandler(handler)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        logging.getLogger().removeHandler(handler)
    return code, out.getvalue(), err.getvalue()


def validate(*files, **kw):
    from educluster.validate import validate_files

    return validate_files([str(f) for f in files], **kw)


def result_rows(outcome) -> list[dict]:
    from educluster.validate.report import curie

    rows = []
    for e in outcome.entities:
        for x in e.entries:
            r = x.result
            rows.append({"focus": str(r.focus), "path": x.path, "component": curie(r.component),
                         "severity": curie(r.severity), "shape": curie(r.shape)})
    return sorted(rows, key=lambda d: json.dumps(d, sort_keys=True))


def assert_one_line_error(code, stdout, stderr, *needles):
    assert code == 2, (code, stdout, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("educluster: ") and "Traceback" not in stderr, stderr
    assert "internal error" not in stderr, stderr
    assert stdout == "", stdout
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


# -- fixtures -----------------------------------------------------------------------------

def test_fixtures_exist():
    assert len(INVALID) > 0 and len(VALID) > 0
    for f in INVALID:
        assert f.with_name(f.stem + ".expected.json").exists(), f


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_fails_exactly_as_expected(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    outcome = validate(path)
    assert result_rows(outcome) == sorted(expected, key=lambda d: json.dumps(d, sort_keys=True))
    severities = {r["severity"] for r in expected}
    assert outcome.code == (1 if "sh:Violation" in severities else 0)


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_has_no_results(path):
    outcome = validate(path)
    assert outcome.results == [], outcome.render("text")
    assert outcome.code == 0


# -- the example cluster ------------------------------------------------------------------

@pytest.mark.parametrize("form", sorted(TASHKENT_FORMS))
def test_tashkent_example_validates_clean(form):
    outcome = validate(*TASHKENT_FORMS[form])
    assert outcome.results == [], outcome.render("text")


def test_tashkent_counts_stay_counts():
    from educluster.convert.inputs import load_inputs

    g = load_inputs([str(f) for f in TASHKENT_FORMS["turtle"]]).graph
    ec = rdflib.Namespace("https://w3id.org/educluster/ontology#")
    counts = {str(g.value(c, ec.countedKind)).split("#")[1]: int(g.value(c, ec["count"]))
              for c in g.subjects(rdflib.RDF.type, ec.ParticipantCount)}
    assert counts == {"School": 21, "Preschool": 5, "AcademicLyceum": 1}
    schools = [s for s in g.subjects(rdflib.RDF.type, ec.School)]
    assert schools == [], "no invented schools"
    assert not list(g.triples((None, rdflib.URIRef("https://schema.org/foundingDate"), None)))
    assert not list(g.triples((None, rdflib.URIRef("https://schema.org/startDate"), None)))


def test_cli_main_command_of_the_readme():
    code, out, err = run_educluster("validate", "examples/tashkent/tashkent.ttl")
    assert code == 0, (out, err)
    assert "conforms — 0 violations, 0 warnings" in out


# -- reports and exit codes ---------------------------------------------------------------

def test_text_report_names_entity_value_and_fix():
    text = validate(DATA / "invalid" / "link-relation-type-typo.ttl").render("text")
    assert "link between Test Pedagogical Institute and School No. 1" in text
    assert "value: verticle" in text
    assert "did you mean 'vertical'?" in text
    assert "allowed: horizontal, mixed, vertical" in text


def test_csv_report_points_at_file_line_and_column(tmp_path):
    for f in TASHKENT_FORMS["csv"]:
        shutil.copy(f, tmp_path / f.name)
    p = tmp_path / "memberships.csv"
    p.write_text(p.read_text().replace(",core,", ",coer,"))
    outcome = validate(*sorted(tmp_path.glob("*.csv")))
    text = outcome.render("text")
    assert outcome.code == 1
    assert "memberships.csv:3" in text
    assert "column 'role' of memberships.csv" in text
    assert "did you mean 'core'?" in text
    # the core is gone, so the pedagogical cluster's core rule fails too
    assert "needs a higher-education institution as its core" in text


def test_json_and_turtle_reports(tmp_path):
    path = DATA / "invalid" / "membership-starts-before-cluster.ttl"
    code, out, err = cli("validate", path, "--format", "json")
    assert code == 1, err
    doc = json.loads(out)
    assert doc["conforms"] is False and doc["violations"] == 1 and doc["warnings"] == 0
    r = doc["results"][0]
    assert r["component"] == "sh:SPARQLConstraintComponent" and r["path"] == "schema:startDate"
    assert r["value"] == "2018-01-15" and r["message"] and r["focusLabel"]
    report = tmp_path / "report.ttl"
    code, out, err = cli("validate", path, "--format", "turtle", "--output", report)
    assert code == 1, err
    assert "report written to" in out
    g = rdflib.Graph().parse(report)
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    reports = list(g.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert len(reports) == 1 and g.value(reports[0], SH.conforms).toPython() is False
    assert len(list(g.objects(reports[0], SH.result))) == 1


def test_warnings_do_not_fail_unless_strict():
    path = DATA / "invalid" / "warning-vertical-between-schools.ttl"
    assert validate(path).code == 0
    assert validate(path, strict=True).code == 1
    code, out, _ = cli("validate", "--strict", path)
    assert code == 1 and "WARNING" in out


def test_unknown_term_warns_did_you_mean():
    text = validate(DATA / "invalid" / "warning-unknown-term.ttl").render("text")
    assert "not a term of the educluster ontology" in text and "did you mean ec:region?" in text


def test_validate_help_explains_the_workflow():
    code, out, _ = run_educluster("validate", "--help")
    assert code == 0
    for needle in ("educluster template", "participants.csv", "--strict", "Exit codes",
                   "--format", "--output"):
        assert needle in out, needle


# -- bad input ----------------------------------------------------------------------------

def _csv_dir(tmp_path: Path) -> Path:
    for f in TASHKENT_FORMS["csv"]:
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "not-utf8",
                                  "turtle-syntax", "json-syntax", "json-not-layout",
                                  "json-unknown-key", "csv-missing-column",
                                  "csv-misspelled-column", "csv-unknown-template",
                                  "csv-unknown-type", "csv-bad-id", "csv-duplicate-id",
                                  "csv-extra-cells", "oversize", "unknown-suffix",
                                  "jsonld-remote-context"])
def test_bad_input_one_line_exit_2_no_output(tmp_path, case):
    report = tmp_path / "out" / "report.txt"
    extra: list[str] = []
    needles: list[str] = []
    if case == "missing":
        target = tmp_path / "nothere.ttl"
        needles = ["nothere.ttl", "not found"]
    elif case == "directory":
        (tmp_path / "d").mkdir()
        target = _csv_dir(tmp_path / "d")
        needles = ["folder"]
    elif case == "empty":
        target = tmp_path / "empty.ttl"
        target.write_text("")
        needles = ["empty"]
    elif case == "binary":
        target = tmp_path / "data.csv"
        target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
        needles = ["binary"]
    elif case == "not-utf8":
        target = tmp_path / "participants.csv"
        target.write_bytes("id,type,name\nx,School,Škola\n".encode("cp1250"))
        needles = ["UTF-8", ":2:"]
    elif case == "turtle-syntax":
        target = tmp_path / "bad.ttl"
        target.write_text("@prefix ec: <https://w3id.org/educluster/ontology#> .\n\n"
                          "<a> a ec:School ;\n    ec:region \"x\" \n<b> a ec:School .\n")
        needles = ["bad.ttl:", "Turtle syntax error"]
    elif case == "json-syntax":
        target = tmp_path / "bad.json"
        target.write_text('{\n  "participants": [\n    {"id": "a",}\n  ]\n}\n')
        needles = ["bad.json:3:", "JSON syntax error"]
    elif case == "json-not-layout":
        target = tmp_path / "other.json"
        target.write_text('[{"name": "something else"}]')
        needles = ["not in the educluster layout"]
    elif case == "json-unknown-key":
        target = tmp_path / "c.json"
        target.write_text('{"participants": [{"id": "a", "type": "School", "nmae": "A"}]}')
        needles = ["unknown key 'nmae'", "did you mean 'name'"]
    elif case == "csv-missing-column":
        d = _csv_dir(tmp_path)
        p = d / "memberships.csv"
        lines = p.read_text().splitlines()
        p.write_text("\n".join(",".join(c for c in line.split(",")[:3]) for line in lines) + "\n")
        target = p
        needles = ["memberships.csv:1:", "missing column 'role'"]
    elif case == "csv-misspelled-column":
        d = _csv_dir(tmp_path)
        p = d / "participants.csv"
        p.write_text(p.read_text().replace("id,type,name,", "id,type,nmae,", 1))
        target = p
        needles = ["participants.csv:1:", "unknown column 'nmae'", "did you mean 'name'"]
    elif case == "csv-unknown-template":
        target = tmp_path / "members.csv"
        target.write_text("id,member\nm,a\n")
        needles = ["members.csv", "participants.csv"]
    elif case == "csv-unknown-type":
        target = tmp_path / "participants.csv"
        target.write_text("id,type,name\nx,Scool,School No. 5\n")
        needles = ["participants.csv:2:", "unknown type 'Scool'", "did you mean 'School'"]
    elif case == "csv-bad-id":
        target = tmp_path / "participants.csv"
        target.write_text("id,type,name\nSchool No 5,School,School No. 5\n")
        needles = ["participants.csv:2:", "not a valid id"]
    elif case == "csv-duplicate-id":
        target = tmp_path / "participants.csv"
        target.write_text("id,type,name\nx,School,A\nx,School,B\n")
        needles = ["participants.csv:3:", "used twice"]
    elif case == "csv-extra-cells":
        target = tmp_path / "participants.csv"
        target.write_text("id,type,name\nx,School,A,Tashkent, region\n")
        needles = ["participants.csv:2:", "cells"]
    elif case == "oversize":
        target = TASHKENT_FORMS["turtle"][0]
        extra = ["--max-size", "0.001"]
        needles = ["over the limit", "--max-size"]
    elif case == "unknown-suffix":
        target = tmp_path / "data.docx"
        target.write_bytes(b"PK\x03\x04")
        needles = ["unknown file type", ".xlsx"]
    elif case == "jsonld-remote-context":
        target = tmp_path / "data.jsonld"
        target.write_text('{"@context": "https://schema.org/", "@id": "x", "name": "y"}')
        needles = ["would have to be fetched"]
    code, out, err = cli("validate", target, "--output", report, *extra)
    assert_one_line_error(code, out, err, *needles)
    assert not report.exists() and not report.parent.exists()


def test_unknown_code_is_a_validation_result_with_suggestion(tmp_path):
    d = _csv_dir(tmp_path)
    p = d / "clusters.csv"
    p.write_text(p.read_text().replace("|game-activity,", "|game-activty,"))
    code, out, err = cli("validate", *sorted(d.glob("*.csv")))
    assert code == 1, err
    assert "did you mean 'game-activity'?" in out and "column 'interactionModel'" in out


def test_failed_validation_leaves_existing_report_untouched(tmp_path):
    report = tmp_path / "report.json"
    report.write_text("previous")
    code, out, err = cli("validate", tmp_path / "missing.ttl", "--output", report)
    assert code == 2 and report.read_text() == "previous"


# -- the independent engine ---------------------------------------------------------------

def _node_ready() -> bool:
    return shutil.which("node") is not None and (NODE_DIR / "node_modules" / "shacl-engine").is_dir()


def test_independent_engine_agrees_on_every_fixture():
    """shacl-engine (under Node, SHACL-SPARQL included) gives every invalid fixture the same
    verdict and the same number of results as pyshacl, and the valid data none."""
    if not _node_ready():
        if in_ci():
            pytest.fail(f"shacl-engine is not installed; CI must run: {NODE_INSTALL}")
        pytest.skip(f"shacl-engine not installed (run: {NODE_INSTALL})")
    from educluster.convert.inputs import load_inputs
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate.engine import UNKNOWN_TERM_SHAPE, load_shapes
    from educluster.validate.report import curie

    vocab = load_vocabulary()
    shapes = load_shapes()
    cases, expected = [], {}
    for f in INVALID:
        rows = json.loads(f.with_name(f.stem + ".expected.json").read_text())
        expected[str(f)] = [r for r in rows if r["shape"] != curie(UNKNOWN_TERM_SHAPE)]
        cases.append({"name": str(f), "data": load_inputs([f]).graph.serialize(format="nt")})
    for f in [*VALID, *TASHKENT_FORMS["turtle"]]:
        expected[str(f)] = []
        cases.append({"name": str(f), "data": load_inputs([f]).graph.serialize(format="nt")})
    payload = {"shapes": shapes.serialize(format="nt"),
               "background": vocab.background().serialize(format="nt"), "cases": cases}
    proc = subprocess.run(["node", str(NODE_DIR / "run.mjs")], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert len(out) == len(cases) > len(INVALID) > 0
    sh = "http://www.w3.org/ns/shacl#"
    for case in out:
        exp = expected[case["name"]]
        got = case["results"]
        exp_violation = any(r["severity"] == "sh:Violation" for r in exp)
        got_violation = any(r["severity"] == sh + "Violation" for r in got)
        assert got_violation == exp_violation, (case["name"], got)
        assert len(got) == len(exp), (case["name"], exp, got)
        assert sorted((r["focus"], r["component"].replace(sh, "sh:"),
                       r["severity"].replace(sh, "sh:")) for r in got) == \
            sorted((r["focus"], r["component"], r["severity"]) for r in exp), case["name"]


def test_ill_typed_values_are_results_not_log_noise(tmp_path):
    (tmp_path / "clusters.csv").write_text("id,type,name,region,foundingDate\n"
                                           "c,EducationalCluster,C,R,01.09.2019\n")
    (tmp_path / "counts.csv").write_text("id,cluster,countedKind,count\nk,c,school,twenty\n")
    code, out, err = cli("validate", tmp_path / "clusters.csv", tmp_path / "counts.csv")
    assert code == 1 and err == "", err
    assert "value: 01.09.2019" in out and "value: twenty" in out
    assert "write the date as YYYY-MM-DD" in out
