"""How a researcher cites educluster: CITATION.cff (valid CFF 1.2, checked with cffconvert, and
agreeing with the ontology header), and the site's "How to cite" and changelog pages generated
from the releases."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from conftest import REPO, run_educluster

ONTO = rdflib.URIRef("https://w3id.org/educluster/ontology")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
CFFCONVERT = Path(sys.executable).parent / "cffconvert"


def cffconvert_validate(path: Path) -> subprocess.CompletedProcess:
    if not CFFCONVERT.exists():
        pytest.fail("cffconvert is a test dependency (pyproject.toml): run ./setup.sh")
    return subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_citation_cff_is_valid_cff_1_2():
    proc = cffconvert_validate(REPO / "CITATION.cff")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "valid" in proc.stdout


def test_an_invalid_citation_cff_is_caught(tmp_path):
    """The validation can fail: a CFF without authors is not CFF 1.2."""
    text = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    bad = tmp_path / "CITATION.cff"
    bad.write_text(text.replace("authors:\n  - name: \"The educluster engineers\"\n", ""),
                   encoding="utf-8")
    assert bad.read_text(encoding="utf-8") != text
    assert cffconvert_validate(bad).returncode != 0


def test_citation_cff_agrees_with_the_ontology_header():
    import yaml

    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    g = rdflib.Graph().parse(REPO / "ontology" / "educluster.ttl", format="turtle")
    assert cff["title"] == str(g.value(ONTO, DCT.title))
    assert [a["name"] for a in cff["authors"]] == [str(g.value(ONTO, DCT.creator))]
    assert str(g.value(ONTO, DCT.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert cff["license"] == "CC-BY-4.0"
    assert cff["url"] == str(ONTO)


def test_citation_names_the_latest_release():
    """CITATION.cff's version, date and version IRI are those of the newest folder in releases/
    (a citation tool copies them: a stale one would cite a release that is not the latest)."""
    import yaml

    from educluster.release import release_dates

    latest = release_dates(REPO / "releases")[-1]
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == latest and str(cff["date-released"]) == latest
    assert f"{ONTO}/{latest}" in [i["value"] for i in cff["identifiers"]]


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    """Two releases of a copy of the real ontology, the second with one label edited."""
    tmp = tmp_path_factory.mktemp("cite")
    onto, rel = tmp / "ontology", tmp / "releases"
    shutil.copytree(REPO / "ontology", onto)
    code, _, err = run_educluster("release", "--date", "2026-01-01", "--releases", rel,
                                  "--ontology-dir", onto)
    assert code == 0, err
    kb = next(f for f in onto.glob("kb/*.ttl")
              if 'rdfs:label "succession"@en' in f.read_text(encoding="utf-8"))
    kb.write_text(kb.read_text(encoding="utf-8").replace(
        'rdfs:label "succession"@en', 'rdfs:label "succession <b>edited</b>"@en', 1), encoding="utf-8")
    code, _, err = run_educluster("release", "--date", "2026-01-02", "--releases", rel,
                                  "--ontology-dir", onto)
    assert code == 0, err
    return rel


def test_changelog_and_how_to_cite_pages_show_the_releases(tmp_path, two_releases):
    from educluster.site.generate import Options, build_pages

    pages = build_pages(Options(site=REPO / "site", work=tmp_path, repo=REPO,
                                releases_dir=two_releases))
    changelog = pages.pages["changelog.md"].render()
    assert changelog.index("{ #release-2026-01-02 }") < changelog.index("{ #release-2026-01-01 }")
    assert "https://w3id.org/educluster/ontology/2026-01-02" in changelog
    # a release's CHANGELOG.md is a download written as is, not a page: as a page, mkdocs gave
    # it a language menu linking to uz/, uz-Cyrl/ and ru/ copies that do not exist, and the
    # site build failed on 6 broken links once a real release was cut
    assert "downloads/releases/2026-01-02/CHANGELOG.md" not in pages.pages
    assert "downloads/releases/2026-01-02/CHANGELOG.md" not in pages.files
    late = {}
    for produce in pages.late:
        late.update(produce())
    assert late["downloads/releases/2026-01-02/CHANGELOG.md"].startswith(b"# educluster 2026-01-02")
    assert 'href="downloads/releases/2026-01-02/CHANGELOG.md"' in changelog
    assert "label added: succession &#60;b&#62;edited&#60;/b&#62; @en" in changelog  # escaped
    assert "<b>" not in changelog
    assert "downloads/releases/2026-01-02/educluster.ttl" in pages.files
    g = rdflib.Graph().parse(data=pages.files["downloads/releases/2026-01-02/educluster.ttl"],
                             format="turtle")
    assert (ONTO, rdflib.OWL.versionIRI, rdflib.URIRef(f"{ONTO}/2026-01-02")) in g
    cite = html.unescape(pages.pages["how-to-cite.md"].render())
    assert "release 2026-01-02" in cite and f"{ONTO}/2026-01-02" in cite
    assert "https://w3id.org/educluster/ontology#Cluster" in cite


def test_a_release_without_its_ntriples_still_publishes_them(tmp_path, two_releases):
    """The repository commits no release N-Triples (decision 0039): the site makes each
    release's downloads/releases/DATE/educluster.nt from its Turtle (where the versioned IRI's
    N-Triples redirect points), byte for byte the file `release` wrote."""
    from educluster.site.generate import Options, build_pages

    clone = tmp_path / "releases"
    shutil.copytree(two_releases, clone)
    for nt in clone.glob("*/educluster.nt"):
        nt.unlink()
    pages = build_pages(Options(site=REPO / "site", work=tmp_path / "work", repo=REPO,
                                releases_dir=clone))
    for date in ("2026-01-01", "2026-01-02"):
        made = pages.files[f"downloads/releases/{date}/educluster.nt"]
        assert made == (two_releases / date / "educluster.nt").read_bytes(), date
    assert 'downloads/releases/2026-01-02/educluster.nt' in pages.pages["changelog.md"].render()


def test_without_releases_the_pages_say_so(tmp_path):
    from educluster.site.generate import Options, build_pages

    pages = build_pages(Options(site=REPO / "site", work=tmp_path, repo=REPO,
                                releases_dir=tmp_path / "none"))
    assert "No release yet" in pages.pages["changelog.md"].render()
    assert "no release yet" in pages.pages["how-to-cite.md"].render()
