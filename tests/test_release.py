"""`educluster release`: dated, immutable release folders with owl:versionIRI, the changelog of
two real builds (the second of a copy with deliberate edits), and deprecation instead of
deletion."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import rdflib

from conftest import REPO, run_educluster

ONTO = "https://w3id.org/educluster/ontology"
OWL = rdflib.OWL
NEW = "https://w3id.org/educluster/id/principle/release-test-principle"
NEW_TTL = f"""@prefix ec: <https://w3id.org/educluster/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{NEW}> a ec:Principle ; rdfs:label "release test principle"@en .
"""
DEPRECATED_TTL = f"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{NEW}> owl:deprecated true ;
    dcterms:isReplacedBy <https://w3id.org/educluster/id/principle/succession> .
"""


def release(onto, rel, date):
    return run_educluster("release", "--date", date, "--releases", rel, "--ontology-dir", onto)


def check(onto) -> list:
    """The findings of `educluster check` on ``onto`` (releases/ next to it), as dicts."""
    code, out, err = run_educluster("check", "--ontology-dir", onto, "--no-seeds",
                                    "--no-reasoner", "--format", "json")
    assert code in (0, 1), err
    return json.loads(out)["findings"]


def header(folder) -> dict:
    g = rdflib.Graph().parse(folder / "educluster.ttl", format="turtle")
    onto = rdflib.URIRef(ONTO)
    return {p: sorted(str(o) for o in g.objects(onto, OWL[p]))
            for p in ("versionIRI", "versionInfo", "priorVersion")}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Three releases of a copy of the real ontology: as is; with a label and a definition edited
    and a principle added; with that principle deleted (refused), then kept as deprecated."""
    tmp = tmp_path_factory.mktemp("release")
    onto, rel = tmp / "ontology", tmp / "releases"
    shutil.copytree(REPO / "ontology", onto)
    steps = {"first": release(onto, rel, "2026-01-01")}
    kb = onto / "kb" / "p003-mukhamedov-2020-a.ttl"
    text = kb.read_text(encoding="utf-8")
    label = re.search(r'rdfs:label "([^"]+)"@en', text)
    definition = re.search(r'skos:definition "([^"]+)"@en', text)
    text = text.replace(label.group(0), f'rdfs:label "{label.group(1)} (edited)"@en', 1)
    text = text.replace(definition.group(0), f'skos:definition "Edited. {definition.group(1)}"@en', 1)
    kb.write_text(text, encoding="utf-8")
    (onto / "kb" / "zz-release-test.ttl").write_text(NEW_TTL, encoding="utf-8")
    steps["edited"] = release(onto, rel, "2026-01-02")
    (onto / "kb" / "zz-release-test.ttl").unlink()
    steps["deleted"] = release(onto, rel, "2026-01-03")
    steps["check-deleted"] = check(onto)
    (onto / "kb" / "zz-release-test.ttl").write_text(DEPRECATED_TTL, encoding="utf-8")
    steps["check-deprecated"] = check(onto)
    steps["deprecated"] = release(onto, rel, "2026-01-04")
    return onto, rel, steps, label.group(1), definition.group(1)


def test_first_release_is_dated_and_versioned(history):
    _, rel, steps, _, _ = history
    code, out, err = steps["first"]
    assert code == 0, err
    folder = rel / "2026-01-01"
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        "educluster.ttl", "educluster.nt", "educluster.rdf", "educluster.jsonld", "context.jsonld",
        "educluster-skos.ttl", "CHANGELOG.md", "changes.json"])
    assert header(folder) == {"versionIRI": [f"{ONTO}/2026-01-01"], "versionInfo": ["2026-01-01"],
                              "priorVersion": []}
    assert "first release" in (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    g = rdflib.Graph().parse(folder / "educluster.jsonld", format="json-ld")
    assert (rdflib.URIRef(ONTO), OWL.versionIRI, rdflib.URIRef(f"{ONTO}/2026-01-01")) in g


def test_changelog_of_two_real_builds_names_each_edit(history):
    _, rel, steps, label, definition = history
    code, out, err = steps["edited"]
    assert code == 0, err
    assert "since 2026-01-01: 1 added" in out
    folder = rel / "2026-01-02"
    assert header(folder)["priorVersion"] == [f"{ONTO}/2026-01-01"]
    changes = json.loads((folder / "changes.json").read_text(encoding="utf-8"))
    assert changes["added"] == [NEW]
    assert changes["removed"] == [] and changes["deprecated"] == []
    labels = [e["label"] for e in changes["changed"].values() if "label" in e]
    assert {"removed": [f"{label} @en"], "added": [f"{label} (edited) @en"]} in labels
    definitions = [e["definition"] for e in changes["changed"].values() if "definition" in e]
    assert {"removed": [f"{definition} @en"], "added": [f"Edited. {definition} @en"]} in definitions
    # only the ontology header (its version) and the two edited items changed
    assert len(changes["changed"]) <= 3, list(changes["changed"])
    md = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"`{NEW}`" in md and "label added: " + json.dumps(f"{label} (edited) @en") in md


def test_deleting_a_released_item_is_refused(history):
    _, rel, steps, _, _ = history
    code, out, err = steps["deleted"]
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert NEW in err and "owl:deprecated" in err and "dcterms:isReplacedBy" in err
    assert not (rel / "2026-01-03").exists()  # nothing half-written
    assert not [p for p in rel.iterdir() if p.name.startswith(".")]


def test_check_reports_a_released_item_that_is_gone(history):
    """check says it before release does: deletion of a released item is a finding, naming the
    release; kept as deprecated with a replacement, the finding is gone."""
    _, _, steps, _, _ = history
    missing = [f for f in steps["check-deleted"] if f["rule"] == "released-term-missing"]
    assert [f["focus"] for f in missing] == [NEW]
    assert "2026-01-02" in missing[0]["message"] and "owl:deprecated" in missing[0]["message"]
    assert missing[0]["file"].endswith("2026-01-02/educluster.nt")
    assert not [f for f in steps["check-deprecated"] if f["rule"] == "released-term-missing"]


def test_check_releases_option_names_the_folder_of_releases(history, tmp_path):
    """--releases DIR compares with the latest release in DIR instead of releases/ next to the
    ontology: an empty folder has nothing released (no finding), the history's folder has the
    deleted item; a folder that does not exist is one line, exit 2."""
    onto, rel, _, _, _ = history
    gone = tmp_path / "kb-without-new"
    shutil.copytree(onto / "kb", gone)
    (gone / "zz-release-test.ttl").unlink(missing_ok=True)
    args = ("check", "--ontology-dir", onto, "--kb-dir", gone, "--no-seeds", "--no-reasoner",
            "--format", "json")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run_educluster(*args, "--releases", empty)
    assert code in (0, 1), err
    assert not [f for f in json.loads(out)["findings"] if f["rule"] == "released-term-missing"]
    assert "released-terms" not in json.loads(out)["checks"]
    code, out, err = run_educluster(*args, "--releases", rel)
    assert code == 1, err
    assert [f["focus"] for f in json.loads(out)["findings"]
            if f["rule"] == "released-term-missing"] == [NEW]
    code, out, err = run_educluster(*args, "--releases", tmp_path / "missing")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "--releases" in err and "missing" in err and "Traceback" not in err


def test_deprecated_item_releases_and_is_listed(history):
    _, rel, steps, _, _ = history
    code, _, err = steps["deprecated"]
    assert code == 0, err
    changes = json.loads((rel / "2026-01-04" / "changes.json").read_text(encoding="utf-8"))
    assert changes["prior"] == "2026-01-02"  # the refused 2026-01-03 left no trace
    assert changes["deprecated"] == [NEW] and changes["removed"] == []


def test_a_release_is_never_replaced_nor_back_dated(history):
    onto, rel, _, _, _ = history
    before = {p.name: p.read_bytes() for p in (rel / "2026-01-01").iterdir()}
    code, out, err = release(onto, rel, "2026-01-01")
    assert code == 2 and "never replaced" in err and len(err.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in (rel / "2026-01-01").iterdir()} == before
    code, _, err = release(onto, rel, "2025-12-31")
    assert code == 2 and "latest" in err
    code, _, err = release(onto, rel, "2026-02-30")
    assert code == 2 and "YYYY-MM-DD" in err


def test_release_folder_that_is_a_file_or_link_is_refused(tmp_path):
    """A file where the release folder would go: one line, exit 2 (never replaced)."""
    rel = tmp_path / "releases"
    rel.mkdir()
    (rel / "2026-01-01").write_text("not a release")
    code, _, err = release(REPO / "ontology", rel, "2026-01-01")
    assert code == 2 and "never replaced" in err
    assert (rel / "2026-01-01").read_text() == "not a release"


def _as_committed(rel, tmp_path):
    """A copy of the history's releases as the repository keeps them: without the N-Triples
    (decision 0039: git ignores releases/*/educluster.nt), as a fresh clone has them."""
    clone = tmp_path / "releases"
    shutil.copytree(rel, clone)
    for nt in clone.glob("*/educluster.nt"):
        nt.unlink()
    return clone


def test_a_release_without_its_ntriples_is_read_from_its_turtle(history, tmp_path):
    """In a clone the release folders hold no educluster.nt: the release is still found, its
    N-Triples are made from its Turtle byte for byte as `release` wrote them, `check` names
    the deleted item against it, and the next release's changelog is the one made with the
    N-Triples."""
    from educluster.release import release_dates, release_graph

    onto, rel, _, _, _ = history
    clone = _as_committed(rel, tmp_path)
    assert release_dates(clone) == release_dates(rel) == ["2026-01-01", "2026-01-02", "2026-01-04"]
    for date in release_dates(rel):
        made, source = release_graph(clone / date)
        assert source.name == "educluster.ttl"
        assert made == (rel / date / "educluster.nt").read_bytes(), date
    gone = tmp_path / "kb-without-new"
    shutil.copytree(onto / "kb", gone)
    (gone / "zz-release-test.ttl").unlink(missing_ok=True)
    code, out, err = run_educluster("check", "--ontology-dir", onto, "--kb-dir", gone,
                                    "--no-seeds", "--no-reasoner", "--format", "json",
                                    "--releases", clone)
    assert code == 1, err
    missing = [f for f in json.loads(out)["findings"] if f["rule"] == "released-term-missing"]
    assert [f["focus"] for f in missing] == [NEW]
    assert missing[0]["file"].endswith("2026-01-04/educluster.ttl")
    code, _, err = release(onto, clone, "2026-01-05")
    assert code == 0, err
    code, _, err = release(onto, rel, "2026-01-05")
    assert code == 0, err
    assert (json.loads((clone / "2026-01-05" / "changes.json").read_text(encoding="utf-8"))
            == json.loads((rel / "2026-01-05" / "changes.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("name, text", [
    ("educluster.nt", "<a> <b> oops\n"),
    ("educluster.ttl", "@prefix x: <oops\n"),
])
def test_a_release_graph_that_cannot_be_read_is_one_line(tmp_path, name, text):
    """A damaged release graph (N-Triples, or the Turtle where there is none) stops `check` and
    `release` with one line naming the file and its line, exit 2 (it was an internal error)."""
    rel = tmp_path / "releases"
    (rel / "2026-01-01").mkdir(parents=True)
    (rel / "2026-01-01" / name).write_text(text, encoding="utf-8")
    for args in (("check", "--no-seeds", "--no-reasoner", "--releases", rel),
                 ("release", "--date", "2026-01-02", "--releases", rel)):
        code, out, err = run_educluster(*args)
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert f"2026-01-01/{name}:1:" in err and "cannot be read" in err
        assert "Traceback" not in err and "internal error" not in err
    assert sorted(p.name for p in rel.iterdir()) == ["2026-01-01"]     # nothing half-written


def test_the_repository_commits_no_release_ntriples():
    """The N-Triples of a release (2.2 MB at the first one, growing with the knowledge base) is
    derived from its Turtle where it is needed, and never committed (decision 0039)."""
    import subprocess

    listed = subprocess.run(["git", "ls-files", "releases"], cwd=REPO, capture_output=True,
                            text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    files = listed.stdout.split()
    assert any(f.endswith("/educluster.ttl") for f in files), files
    assert not [f for f in files if f.endswith(".nt")], files
    ignored = subprocess.run(["git", "check-ignore", "-q", "releases/2099-01-01/educluster.nt"],
                             cwd=REPO)
    assert ignored.returncode == 0
