"""The fast validator gives pyshacl's results on our shapes.

Equality is on the multiset of (focus node, result path, constraint component, severity):
every fixture of tests/data/invalid and tests/data/valid, and a generated cluster data set
with every kind of known defect (also checked against the generator's list of expected
results), and the 10-thousand-triple set of the benchmark (under a minute of pyshacl on a quiet machine;
``EDUCLUSTER_SKIP_SLOW=1`` skips it while iterating).

Where pyshacl contradicts the SHACL or SPARQL specification the two differ on purpose; each
case is pinned in tests/test_fastvalidate_components.py and listed in
site/docs/decisions/0006-fast-validation.md. Our shapes avoid all of them, so here the
results must be equal.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INVALID = sorted((ROOT / "tests" / "data" / "invalid").glob("*.ttl"))
VALID = sorted((ROOT / "tests" / "data" / "valid").glob("*.ttl"))

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def setting():
    """The shapes and background `educluster validate` uses, and pyshacl with its query
    cache (it only avoids re-parsing the same query text; results are pyshacl's)."""
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate.engine import install_query_cache, load_shapes

    install_query_cache()
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    return load_shapes(), load_vocabulary().background()


def _graph(path: Path):
    import rdflib

    g = rdflib.Graph()
    g.parse(str(path))
    return g


def _compare(data, setting):
    from educluster.fastvalidate import validate
    from educluster.fastvalidate.reference import keys, pyshacl_validate

    shapes, background = setting
    fast = validate(data, shapes, background)
    ref = pyshacl_validate(data, shapes, background)
    return keys(fast), keys(ref), fast


def _show(c: Counter) -> str:
    return "\n".join(f"  {n} x {k}" for k, n in sorted(c.items(), key=str))


@pytest.mark.parametrize("path", INVALID + VALID, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_equals_pyshacl(path, setting):
    fast, ref, _ = _compare(_graph(path), setting)
    assert fast == ref, (f"fast only:\n{_show(fast - ref)}\npyshacl only:\n{_show(ref - fast)}")


def test_there_are_fixtures():
    assert len(INVALID) >= 20 and VALID


def test_invalid_fixtures_match_expected_files(setting):
    """The fast path also reproduces each fixture's expected results (focus, path, component,
    severity, shape)."""
    from educluster.fastvalidate import validate

    shapes, background = setting
    prefixes = {"ec:": "https://w3id.org/educluster/ontology#", "sh:": "http://www.w3.org/ns/shacl#",
                "ecsh:": "https://w3id.org/educluster/shapes#", "org:": "http://www.w3.org/ns/org#",
                "schema:": "https://schema.org/", "rdfs:": "http://www.w3.org/2000/01/rdf-schema#",
                "dcterms:": "http://purl.org/dc/terms/",
                "rdf:": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}

    def expand(x):
        if x is None:
            return None
        inverse = x.startswith("^")
        x = x[1:] if inverse else x
        for p, ns in prefixes.items():
            if x.startswith(p):
                x = ns + x[len(p):]
                break
        return ("^" if inverse else "") + x

    checked = 0
    for path in INVALID:
        exp_file = path.with_suffix(".expected.json")
        if not exp_file.exists():
            continue
        expected = json.loads(exp_file.read_text(encoding="utf-8"))
        got = validate(_graph(path), shapes, background)
        want = Counter((e["focus"], expand(e.get("path")), expand(e["component"]),
                        expand(e["severity"]), expand(e.get("shape"))) for e in expected
                       if e["component"].startswith("sh:"))   # not the unknown-term check

        def path_of(r):
            t = r.path_text
            if t is None:
                return None
            if t.startswith("(^<"):
                return "^" + t[3:-2]
            return t[1:-1] if t.startswith("<") else t

        have = Counter((str(r.focus), path_of(r), str(r.component), str(r.severity),
                        str(r.source_shape)) for r in got)
        assert have == want, f"{path.name}:\n got {sorted(have)}\n want {sorted(want)}"
        checked += 1
    assert checked >= 20


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = mod
    spec.loader.exec_module(mod)
    return mod


def _generated(tmp_path, triples: int, defects: int):
    gen = _generator()
    out = tmp_path / f"gen-{triples}.nt"
    summary = gen.generate(out, triples, seed=7, defects=defects)
    return out, summary


def _expected_from_summary(summary) -> Counter:
    c = Counter()
    for r in summary["results"]:
        path = r["path"]
        path = f"(^<{path[1:]}>)" if path.startswith("^") else f"<{path}>"
        c[(r["focus"], path, r["component"], r["severity"])] += 1
    return c


def test_generated_set_with_every_defect_equals_pyshacl(tmp_path, setting):
    out, summary = _generated(tmp_path, 700, defects=16)
    assert summary["defects_injected"] >= 14
    fast, ref, results = _compare(_graph(out), setting)
    assert fast == ref, f"fast only:\n{_show(fast - ref)}\npyshacl only:\n{_show(ref - fast)}"
    have = Counter((str(k[0]), k[1], str(k[2]), str(k[3])) for k in fast.elements())
    assert have == _expected_from_summary(summary)


def test_generated_file_loads_directly(tmp_path, setting):
    """Files go straight into the store (the fast path at scale): same results as the rdflib
    graph of the same file."""
    from educluster.fastvalidate import validate
    from educluster.fastvalidate.reference import keys

    shapes, background = setting
    out, summary = _generated(tmp_path, 3000, defects=16)
    from_file = keys(validate([out], shapes, background))
    from_graph = keys(validate(_graph(out), shapes, background))
    assert from_file == from_graph
    have = Counter((str(k[0]), k[1], str(k[2]), str(k[3])) for k in from_file.elements())
    assert have == _expected_from_summary(summary)


def test_optimisations_do_not_change_results(tmp_path, setting):
    from educluster.fastvalidate import validate
    from educluster.fastvalidate.reference import keys

    shapes, background = setting
    out, _ = _generated(tmp_path, 3000, defects=16)
    plain = keys(validate([out], shapes, background, rewrite=False, batching=False, workers=1))
    fast = keys(validate([out], shapes, background))
    assert plain == fast


@pytest.mark.skipif(os.environ.get("EDUCLUSTER_SKIP_SLOW") == "1",
                    reason="EDUCLUSTER_SKIP_SLOW=1: the 10k set takes pyshacl up to a minute")
def test_generated_10k_equals_pyshacl(tmp_path, setting):
    out, summary = _generated(tmp_path, 10_000, defects=32)
    fast, ref, _ = _compare(_graph(out), setting)
    assert fast == ref, f"fast only:\n{_show(fast - ref)}\npyshacl only:\n{_show(ref - fast)}"
