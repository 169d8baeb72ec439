"""Regions as data (issue 17 section 2): the controlled list of Uzbekistan's regions keyed by
ISO 3166-2:UZ codes, names in four languages, and templates that accept the code or any name,
with "did you mean" for a close one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from conftest import REPO
from test_validate import cli

SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
EC = rdflib.Namespace("https://w3id.org/educluster/ontology#")
REGION = "https://w3id.org/educluster/id/region/"
#: ISO 3166-2:UZ: 12 regions, the Republic of Karakalpakstan (QR), Tashkent city (TK)
CODES = ["UZ-AN", "UZ-BU", "UZ-FA", "UZ-JI", "UZ-NG", "UZ-NW", "UZ-QA", "UZ-QR", "UZ-SA",
         "UZ-SI", "UZ-SU", "UZ-TK", "UZ-TO", "UZ-XO"]
ISO_CODES_JSON = Path("/usr/share/iso-codes/json/iso_3166-2.json")


@pytest.fixture(scope="module")
def regions() -> rdflib.Graph:
    return rdflib.Graph().parse(REPO / "ontology" / "regions.ttl")


def test_fourteen_regions_keyed_by_iso_code_with_four_names(regions):
    found = sorted(str(s)[len(REGION):] for s in regions.subjects(rdflib.RDF.type, EC.Region))
    assert found == CODES
    for code in CODES:
        s = rdflib.URIRef(REGION + code)
        assert str(regions.value(s, SKOS.notation)) == code
        langs = sorted(o.language for o in regions.objects(s, SKOS.prefLabel))
        assert langs == ["en", "ru", "uz", "uz-Cyrl"], (code, langs)
        assert (s, SKOS.inScheme, None) in regions


@pytest.mark.skipif(not ISO_CODES_JSON.exists(), reason="Debian iso-codes not installed")
def test_codes_and_types_agree_with_iso_codes(regions):
    """The list's source: ISO 3166-2 as Debian's iso-codes ships it (pycountry's data)."""
    iso = [e for e in json.loads(ISO_CODES_JSON.read_text())["3166-2"]
           if e["code"].startswith("UZ-")]
    assert sorted(e["code"] for e in iso) == CODES
    kinds = {e["code"]: e["type"] for e in iso}
    assert kinds["UZ-TK"] == "City" and kinds["UZ-QR"] == "Republic"
    assert sum(1 for k in kinds.values() if k == "Region") == 12


def _cluster_csv(tmp_path, region: str) -> list[Path]:
    (tmp_path / "clusters.csv").write_text(
        "id,type,name,region\n"
        f'c,EducationalCluster,Test cluster,"{region}"\n', encoding="utf-8")
    (tmp_path / "participants.csv").write_text(
        "id,type,name\nu,HigherEducationInstitution,Test University\n", encoding="utf-8")
    (tmp_path / "memberships.csv").write_text("id,member,cluster,role\nm,u,c,core\n")
    return sorted(tmp_path.glob("*.csv"))


def _region_of(files) -> str:
    from educluster.convert.inputs import load_inputs

    g = load_inputs([str(f) for f in files]).graph
    return str(g.value(rdflib.URIRef("https://example.org/educluster/c"), EC.region))


@pytest.mark.parametrize("written,code", [
    ("UZ-TO", "UZ-TO"), ("uz-to", "UZ-TO"), ("Tashkent region", "UZ-TO"),
    ("Toshkent viloyati", "UZ-TO"), ("Тошкент вилояти", "UZ-TO"), ("Ташкентская область", "UZ-TO"),
    ("Tashkent city", "UZ-TK"), ("Toshkent shahri", "UZ-TK"),
    ("Fargʻona viloyati", "UZ-FA"), ("Farg'ona viloyati", "UZ-FA"), ("Farg`ona  Viloyati", "UZ-FA"),
    ("Fargʼona viloyati", "UZ-FA"), ("Farg‘ona viloyati", "UZ-FA"), ("Ferghana", "UZ-FA"),
    ("Qoraqalpog'iston Respublikasi", "UZ-QR"), ("Republic of Karakalpakstan", "UZ-QR"),
    ("Navoi region", "UZ-NW"), ("Xorazm viloyati", "UZ-XO"),
])
def test_region_by_code_or_any_name(tmp_path, written, code):
    assert _region_of(_cluster_csv(tmp_path, written)) == REGION + code


def test_close_name_says_which_region_was_meant(tmp_path):
    code, out, err = cli("validate", *_cluster_csv(tmp_path, "Samarkand regoin"))
    assert code == 1, out + err
    assert "did you mean 'UZ-SA' (Samarkand Region)?" in out, out


def test_tashkent_alone_is_not_guessed(tmp_path):
    """'Tashkent' is both the city (UZ-TK) and the region around it (UZ-TO): no guess."""
    code, out, err = cli("validate", *_cluster_csv(tmp_path, "Tashkent"))
    assert code == 1 and "one of the regions of Uzbekistan" in out, out + err


def test_json_takes_the_region_name_too(tmp_path):
    doc = {"clusters": [{"id": "c", "type": "EducationalCluster", "name": "Test cluster",
                         "region": "Самаркандская область"}]}
    (tmp_path / "cluster.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert _region_of([tmp_path / "cluster.json"]) == REGION + "UZ-SA"


def test_close_name_in_cyrillic_says_which_region_was_meant(tmp_path):
    """Regression: an unknown Cyrillic name became the IRI id/region/x (every such name the
    same one), shown as 'value: x', and was reported as a Cyrillic letter among Latin ones."""
    code, out, err = cli("validate", *_cluster_csv(tmp_path, "Самаркандская обл"))
    assert code == 1, out + err
    assert "value: самаркандская-обл" in out and "did you mean 'UZ-SA' (Samarkand Region)?" in out
    assert "CYRILLIC" not in out
