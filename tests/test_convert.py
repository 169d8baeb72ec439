"""``educluster convert`` and ``template``: the three forms of the example give one graph, the
layout agrees with the ontology and the shapes, the templates can be filled in and validated."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import REPO
from test_validate import TASHKENT_FORMS, assert_one_line_error, cli

EC = "https://w3id.org/educluster/ontology#"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def load(*files):
    from educluster.convert.inputs import load_inputs

    return load_inputs([str(f) for f in files]).graph


def test_three_forms_of_the_example_give_the_same_graph():
    graphs = {form: load(*files) for form, files in TASHKENT_FORMS.items()}
    assert len(graphs["turtle"]) > 80
    assert isomorphic(graphs["turtle"], graphs["json"])
    assert isomorphic(graphs["turtle"], graphs["csv"])


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".nt"])
def test_convert_csv_round_trips(tmp_path, suffix):
    out = tmp_path / f"tashkent{suffix}"
    code, stdout, err = cli("convert", *TASHKENT_FORMS["csv"], "-o", out)
    assert code == 0, err
    assert "wrote" in stdout
    fmt = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}[suffix]
    assert isomorphic(rdflib.Graph().parse(out, format=fmt), load(*TASHKENT_FORMS["turtle"]))
    # and the result validates clean
    code, stdout, err = cli("validate", out)
    assert code == 0 and "0 violations, 0 warnings" in stdout, (stdout, err)


def test_convert_json_to_stdout_is_deterministic():
    a = cli("convert", TASHKENT_FORMS["json"][0], "-o", "-", "--to", "turtle")
    b = cli("convert", TASHKENT_FORMS["json"][0], "-o", "-", "--to", "turtle")
    assert a[0] == 0 and a[1] == b[1] and a[1].startswith("# converted by educluster convert")


def test_convert_base_option(tmp_path):
    code, out, err = cli("convert", TASHKENT_FORMS["json"][0], "-o", "-", "--to", "nt",
                         "--base", "https://cspi.example/cluster/")
    assert code == 0, err
    assert "<https://cspi.example/cluster/tashkent-cluster>" in out
    assert "example.org" not in out


def test_convert_bad_input_keeps_previous_output(tmp_path):
    out = tmp_path / "out.ttl"
    out.write_text("previous")
    bad = tmp_path / "participants.csv"
    bad.write_text("id,type,nmae\nx,School,A\n")
    code, stdout, err = cli("convert", bad, "-o", out)
    assert_one_line_error(code, stdout, err, "unknown column 'nmae'")
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl", "participants.csv"]


def test_convert_needs_a_known_output_format(tmp_path):
    code, out, err = cli("convert", TASHKENT_FORMS["json"][0], "-o", tmp_path / "x.xlsx")
    assert_one_line_error(code, out, err, "output format")
    code, out, err = cli("convert", TASHKENT_FORMS["json"][0], "-o", "-")
    assert_one_line_error(code, out, err, "--to")


def test_codes_by_label_slug_or_iri():
    """A code may be written as its slug, its label (any case) or its IRI."""
    from educluster.convert.inputs import load_inputs

    rows = ("id,cluster,participant,relationType,concentrationLevel\n"
            "l1,c,a|b,Vertically oriented,https://w3id.org/educluster/id/relation-type/interbranch\n"
            "l2,c,a|b,horizontal,within the network\n")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "links.csv"
        p.write_text(rows)
        g = load_inputs([p]).graph
    rt = "https://w3id.org/educluster/id/relation-type/"
    got = sorted((str(o)) for o in g.objects(None, rdflib.URIRef(EC + "relationType")))
    assert got == [rt + "horizontal", rt + "vertical"]
    got = sorted(str(o) for o in g.objects(None, rdflib.URIRef(EC + "concentrationLevel")))
    assert got == [rt + "interbranch", rt + "within-network"]


# -- the layout agrees with the ontology and the shapes -----------------------------------

def test_layout_terms_are_ontology_properties():
    from educluster.convert.inputs import layout_context
    from educluster.convert.layout import TEMPLATES
    from educluster.convert.vocab import load_vocabulary

    vocab = load_vocabulary()
    ctx = layout_context(vocab)
    for t in TEMPLATES:
        assert EC + t.default_type in vocab.declared, t.name
        for c in t.columns:
            if c.kind in ("id", "type"):
                continue
            entry = ctx[c.term]
            iri = entry["@id"] if isinstance(entry, dict) else entry
            assert iri in vocab.declared or iri.startswith(
                "http://www.w3.org/2000/01/rdf-schema#"), (t.name, c.name, iri)
            if c.kind in ("ref", "code", "class"):
                assert entry.get("@type") == "@id", (t.name, c.name)
            if c.kind == "code":
                for item in vocab.instances(EC + c.code_class):
                    if item.startswith("https://w3id.org/educluster/id/"):
                        assert item.startswith(
                            f"https://w3id.org/educluster/id/{c.code_kind}/"), (c.name, item)


def test_required_columns_match_the_shapes():
    """A column is required exactly when a violation shape of its entity needs a value."""
    from educluster.convert.inputs import layout_context
    from educluster.convert.layout import TEMPLATES
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate.engine import load_shapes

    vocab = load_vocabulary()
    shapes = load_shapes()
    ctx = layout_context(vocab)
    for t in TEMPLATES:
        cls = EC + t.default_type
        needed = set()
        for node in shapes.subjects(SH.targetClass, None):
            target = str(shapes.value(node, SH.targetClass))
            if target not in vocab.ancestors(cls) or (node, SH.severity, SH.Warning) in shapes:
                continue
            for ps in shapes.objects(node, SH.property):
                path = shapes.value(ps, SH.path)
                mc = shapes.value(ps, SH.minCount)
                if isinstance(path, rdflib.URIRef) and mc is not None and int(mc) >= 1:
                    needed.add(str(path))
        required = set()
        for c in t.columns:
            if c.required and c.kind not in ("id", "type"):
                entry = ctx[c.term]
                required.add(entry["@id"] if isinstance(entry, dict) else entry)
        assert required == needed, (t.name, required ^ needed)


def test_context_from_the_small_graph_equals_builds():
    from educluster.context import make_context
    from educluster.convert.vocab import load_vocabulary
    from educluster.kb import load_graph

    assert make_context(load_vocabulary().graph) == make_context(load_graph())


# -- templates ----------------------------------------------------------------------------

def test_template_writes_header_and_one_commented_example(tmp_path):
    from educluster.convert.layout import TEMPLATES

    d = tmp_path / "tpl"
    code, out, err = cli("template", d)
    assert code == 0, err
    for t in TEMPLATES:
        rows = list(csv.reader(io.StringIO((d / f"{t.name}.csv").read_text())))
        assert rows[0] == [c.name for c in t.columns]
        assert len(rows) == 2 and rows[1][0].startswith("#")
    readme = (d / "README.md").read_text()
    assert "educluster validate" in readme and "`vertical`" in readme and "`core`" in readme
    json.loads((d / "cluster.json").read_text())
    # blank templates hold no data: a clear error, not an empty report
    code, out, err = cli("validate", *sorted(d.glob("*.csv")))
    assert_one_line_error(code, out, err, "no data")
    # refuses to overwrite without --force
    code, out, err = cli("template", d)
    assert_one_line_error(code, out, err, "--force")
    assert cli("template", d, "--force")[0] == 0


def test_filled_in_template_examples_validate(tmp_path):
    """Uncommenting the example rows (all but the link, whose second school is not in the
    example) gives data that conforms: the templates show a working example."""
    d = tmp_path / "tpl"
    assert cli("template", d)[0] == 0
    (d / "links.csv").unlink()
    for f in d.glob("*.csv"):
        f.write_text(f.read_text().replace("# ", "", 1))
    code, out, err = cli("validate", *sorted(d.glob("*.csv")))
    assert code == 0, out + err


def test_json_skeleton_of_template_is_our_layout(tmp_path):
    d = tmp_path / "tpl"
    assert cli("template", d)[0] == 0
    doc = json.loads((d / "cluster.json").read_text())
    shutil.copy(REPO / "examples" / "tashkent" / "tashkent.json", d / "full.json")
    doc["participants"] = [{"id": "a", "type": "School", "name": "School No. 1"}]
    (d / "cluster.json").write_text(json.dumps(doc))
    code, out, err = cli("validate", d / "cluster.json")
    # a participant alone is not a submission (issue 11): no cluster with its core is a
    # violation, the participant without membership a warning
    assert code == 1 and "1 violation, 1 warning" in out, out + err
    assert "The data describes no cluster with its core" in out


def test_semicolon_csv_from_a_spreadsheet(tmp_path):
    """Spreadsheets in many locales save CSV with semicolons (and a byte-order mark)."""
    src = (TASHKENT_FORMS["csv"][0].parent / "participants.csv").read_text()
    rows = list(csv.reader(io.StringIO(src)))
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(
        r for r in rows if not r[0].startswith("#"))
    (tmp_path / "participants.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode())
    a = load(tmp_path / "participants.csv")
    b = load(TASHKENT_FORMS["csv"][0].parent / "participants.csv")
    assert len(a) > 5 and isomorphic(a, b)
