"""The rules of issue 11 as a user meets them through ``educluster validate`` on spreadsheets:
rows cut short, files with a header only, a submission without a cluster, a line break in a
name (both engines), and the reference date of "in the future".

The shapes themselves are tested on the fixtures in tests/data/invalid (test_validate.py,
test_fastvalidate.py, the Node engine); these tests cover the paths around them."""

from __future__ import annotations

import shutil

import pytest

from test_validate import TASHKENT_FORMS, assert_one_line_error, cli, result_rows, validate

CSV_DIR = TASHKENT_FORMS["csv"][0].parent


def _csv_copy(tmp_path):
    d = tmp_path / "csv"
    shutil.copytree(CSV_DIR, d)
    return d


def test_short_row_is_an_error_not_padded(tmp_path):
    """Issue 11: a row with 3 of its 7 cells was padded with empty cells and conformed."""
    d = _csv_copy(tmp_path)
    p = d / "participants.csv"
    p.write_text(p.read_text() + "school-9,School,School No. 9\n")
    code, out, err = cli("validate", *sorted(d.glob("*.csv")))
    line = assert_one_line_error(code, out, err, "participants.csv:6", "3 cells",
                                 "7 columns")
    assert "empty cells are fine" in line


def test_file_with_header_only_is_reported_once(tmp_path):
    """Issue 11: participants.csv with its header and no rows gave one result for every
    membership and unit that refers to a participant; now one line says so."""
    d = _csv_copy(tmp_path)
    p = d / "participants.csv"
    p.write_text(p.read_text().splitlines()[0] + "\n")
    code, out, err = cli("validate", *sorted(d.glob("*.csv")))
    assert_one_line_error(code, out, err, "participants.csv has no rows")


def test_participants_alone_do_not_conform(tmp_path):
    """Issue 11: participants.csv alone 'conformed, 0 violations, 12 warnings'."""
    code, out, err = cli("validate", CSV_DIR / "participants.csv")
    assert code == 1, out + err
    assert "does not conform — 1 violation" in out
    assert "The data describes no cluster with its core" in out


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_line_break_in_a_name_is_a_violation_in_both_engines(tmp_path, engine):
    """Issue 11: a name with a line break inside (Alt+Enter in Excel) conformed with the fast
    engine and failed with pyshacl (pyshacl ignores the flag "s" of sh:pattern). Now both
    report the name rule, and nothing else."""
    d = _csv_copy(tmp_path)
    p = d / "participants.csv"
    p.write_text(p.read_text().replace(",Chirchik city department of public education,",
                                       ',"Chirchik city department\nof public education",'))
    outcome = validate(*sorted(d.glob("*.csv")), engine=engine)
    assert outcome.code == 1
    rows = result_rows(outcome)
    assert [(r["shape"], r["component"]) for r in rows] == \
        [("ecsh:NameCharacters-name", "sh:NotConstraintComponent")], rows


def _membership_starting(tmp_path, date: str):
    d = _csv_copy(tmp_path)
    p = d / "memberships.csv"
    p.write_text(p.read_text().replace("chirchik-city-department-of-public-education,"
                                       "tashkent-cluster,partner,,",
                                       "chirchik-city-department-of-public-education,"
                                       f"tashkent-cluster,partner,{date},"))
    return sorted(d.glob("*.csv"))


def test_planned_membership_is_a_warning_as_of_the_reference_date(tmp_path, monkeypatch):
    files = _membership_starting(tmp_path, "2031-09-01")
    monkeypatch.setenv("EDUCLUSTER_TODAY", "2026-12-04")
    code, out, err = cli("validate", *files)
    assert code == 0 and "0 violations, 1 warning" in out, out + err
    assert "The membership starts in the future" in out
    code, out, err = cli("validate", "--strict", *files)
    assert code == 1
    # the same data validated as of a later day: the membership has started
    monkeypatch.setenv("EDUCLUSTER_TODAY", "2031-09-01")
    code, out, err = cli("validate", *files)
    assert code == 0 and "0 violations, 0 warnings" in out, out + err


def test_reference_date_must_be_a_date(tmp_path, monkeypatch):
    monkeypatch.setenv("EDUCLUSTER_TODAY", "04.12.2026")
    code, out, err = cli("validate", *TASHKENT_FORMS["csv"])
    assert_one_line_error(code, out, err, "EDUCLUSTER_TODAY", "YYYY-MM-DD")


def test_absurd_year_is_a_violation(tmp_path):
    files = _membership_starting(tmp_path, "2202-09-01")
    code, out, err = cli("validate", *files)
    assert code == 1 and "year is not plausible" in out, out + err


def test_count_equal_to_listed_members_is_fine(tmp_path):
    """counts.csv means the total, listed members included: a count of 1 state education body
    with 2 listed is a warning, 2 is fine."""
    d = _csv_copy(tmp_path)
    p = d / "counts.csv"
    p.write_text(p.read_text() + "count-bodies,tashkent-cluster,StateEducationBody,1,\n")
    code, out, err = cli("validate", *sorted(d.glob("*.csv")))
    assert code == 0 and "1 warning" in out and "count below the participants listed" in out
    p.write_text(p.read_text().replace("StateEducationBody,1,", "StateEducationBody,2,"))
    code, out, err = cli("validate", *sorted(d.glob("*.csv")))
    assert code == 0 and "0 warnings" in out, out + err


# -- kinds and names (issue 11 section 4) --------------------------------------------------

def test_professional_development_institution_and_other_kind_are_not_warnings(tmp_path):
    """A regional teacher-retraining centre had no kind: correct data always carried a warning
    and failed --strict."""
    d = _csv_copy(tmp_path)
    p = d / "participants.csv"
    p.write_text(p.read_text()
                 + "retraining-centre,ProfessionalDevelopmentInstitution,Regional centre for "
                   "retraining of teachers,Tashkent region,,,\n"
                 + "museum,OtherParticipant,Regional museum,Tashkent region,,,A museum of local "
                   "history\n")
    m = d / "memberships.csv"
    m.write_text(m.read_text()
                 + "membership-centre,retraining-centre,tashkent-cluster,partner,,\n"
                 + "membership-museum,museum,tashkent-cluster,partner,,\n")
    code, out, err = cli("validate", "--strict", *sorted(d.glob("*.csv")))
    assert code == 0 and "0 violations, 0 warnings" in out, out + err
    # the label works as a kind too
    p.write_text(p.read_text().replace(",ProfessionalDevelopmentInstitution,",
                                       ",in-service teacher training centre,"))
    assert cli("validate", "--strict", *sorted(d.glob("*.csv")))[0] == 0
    # another kind without saying what it is: a violation naming the column
    p.write_text(p.read_text().replace(",A museum of local history\n", ",\n"))
    code, out, err = cli("validate", *sorted(d.glob("*.csv")))
    assert code == 1 and "Say in the column 'description' what kind of organisation" in out


def _labels(files):
    import rdflib

    from educluster.convert.inputs import load_inputs

    g = load_inputs([str(f) for f in files]).graph
    node = rdflib.URIRef("https://example.org/educluster/cspi")
    return g, sorted((str(o), o.language) for o in g.objects(node, rdflib.RDFS.label))


def test_several_names_with_languages_in_csv_and_json(tmp_path):
    """A participant may have several names with language tags: CSV 'A|B@uz' became one name
    containing '|', and JSON with two names was refused."""
    import json

    from rdflib.compare import isomorphic

    names = ("Chirchik State Pedagogical Institute|Chirchiq davlat pedagogika instituti@uz|"
             "Чирчиқ давлат педагогика институти@UZ-CYRL|Чирчикский государственный "
             "педагогический институт@ru|IT Park @ Chirchik")
    (tmp_path / "participants.csv").write_text(
        f"id,type,name\ncspi,PedagogicalUniversity,{names}\n", encoding="utf-8")
    g_csv, labels = _labels([tmp_path / "participants.csv"])
    assert labels == [
        ("Chirchik State Pedagogical Institute", None),
        ("Chirchiq davlat pedagogika instituti", "uz"),
        ("IT Park @ Chirchik", None),
        ("Чирчикский государственный педагогический институт", "ru"),
        ("Чирчиқ давлат педагогика институти", "uz-Cyrl"),
    ]
    doc = {"participants": [{"id": "cspi", "type": "PedagogicalUniversity",
                             "name": names.split("|")}]}
    (tmp_path / "cluster.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    g_json, _ = _labels([tmp_path / "cluster.json"])
    assert isomorphic(g_csv, g_json)
