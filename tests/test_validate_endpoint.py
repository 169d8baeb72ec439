"""`educluster validate --endpoint URL`: the fast engine's compiled queries run inside a real
Oxigraph server (started and stopped here, filled with `educluster push`), with the same report
as a local run of the same files; what cannot run the same way there is said, never dropped."""

from __future__ import annotations

import json

import pytest

from conftest import free_port
from educluster import engines

from test_fastvalidate import _generated


@pytest.fixture
def server(writable_oxigraph):
    """A writable Oxigraph server (conftest.writable_oxigraph): its base URL."""
    return writable_oxigraph


def _report(run_cli, *args) -> tuple[dict, str]:
    code, out, err = run_cli("validate", *args, "--format", "json")
    assert code in (0, 1), err
    doc = json.loads(out)
    doc.pop("files")
    doc.pop("summary")      # names the file or the endpoint, nothing else
    return doc, err


def test_endpoint_report_equals_local_on_generated_defects(server, tmp_path, run_cli):
    data, summary = _generated(tmp_path, 10000, 40)
    code, _, err = run_cli("push", "--store", f"{server}/store", "--data", str(data))
    assert code == 0, err
    local, _ = _report(run_cli, str(data))
    there, err = _report(run_cli, "--endpoint", f"{server}/query")
    assert local["violations"] >= 30            # the injected defects are found ...
    assert there == local                        # ... and the same report comes from the store
    # the participant counts are xsd:nonNegativeInteger, which Oxigraph keeps as xsd:integer:
    # judged by value there, and said so
    assert "judged such literals by their value" in err
    # a named data graph selects the same data
    graph = engines.layout([str(data)])[-1].iri
    there, _ = _report(run_cli, "--endpoint", f"{server}/query", "--graph", graph)
    assert there == local


def test_endpoint_says_what_it_could_not_check(server, run_cli):
    """The planned-membership warning compares with the day of validation, which a local run
    adds to the background and a read-only store cannot be sent: it is named as not checked
    on stderr rather than silently reporting nothing."""
    data = "tests/data/invalid/warning-membership-planned.ttl"
    code, _, err = run_cli("push", "--store", f"{server}/store", "--data", data)
    assert code == 0, err
    local, _ = _report(run_cli, data)
    there, err = _report(run_cli, "--endpoint", f"{server}/query")
    planned = "ecsh:PlannedMembershipWarning"
    assert any(r.get("shape") == planned for r in local["results"]), local["results"]
    assert "NOT CHECKED" in err and "PlannedMembershipWarning" in err
    assert [r for r in local["results"] if r.get("shape") != planned] == there["results"]


def test_endpoint_without_background_refuses(server, tmp_path, run_cli):
    """A store holding data but not the ontology and knowledge base cannot give the local
    results (sh:class would fail everywhere): one line saying to push, exit 2."""
    ttl = tmp_path / "d.ttl"
    ttl.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    import urllib.request

    # the data alone, through the Graph Store Protocol (push always sends the knowledge base)
    req = urllib.request.Request(f"{server}/store?default", data=ttl.read_bytes(), method="PUT",
                                 headers={"Content-Type": "text/turtle"})
    urllib.request.urlopen(req, timeout=30).close()
    code, out, err = run_cli("validate", "--endpoint", f"{server}/query")
    assert code == 2
    assert "push" in err and "lacks" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_endpoint_refuses_files_and_unreachable(run_cli):
    code, _, err = run_cli("validate", "x.ttl", "--endpoint", "http://127.0.0.1:9/query")
    assert code == 2 and "give no FILE" in err
    code, _, err = run_cli("validate", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert code == 2 and "cannot reach" in err and "Traceback" not in err


def test_endpoint_answering_a_probe_differently_is_refused(server, run_cli):
    """The dialect probes compare the store's answers over the knowledge base's classes with
    those of the knowledge base alone; a store that still answers one differently once queries
    are sent in the plain form (no property paths) is refused in one line, naming the probe.
    Here a real Oxigraph server holds one subclass axiom more than the knowledge base (a class
    moved under the most used superclass), so the '*' path probe differs in either form: the
    refusal path of decision 0027 with a real server, not a mock."""
    import urllib.request
    from collections import Counter

    from rdflib import RDFS, URIRef

    from educluster.convert.vocab import load_vocabulary
    from educluster.validate.engine import _background

    code, _, err = run_cli("push", "--store", f"{server}/store")
    assert code == 0, err
    bg = _background(load_vocabulary())
    supers = Counter(o for _, o in bg.subject_objects(RDFS.subClassOf) if isinstance(o, URIRef))
    top = sorted(supers, key=lambda c: (-supers[c], str(c)))[0]
    under = set(bg.transitive_subjects(RDFS.subClassOf, top))
    subs = sorted({s for s in bg.subjects(RDFS.subClassOf, None) if isinstance(s, URIRef)})[:200]
    moved = next(c for c in subs if c not in under)
    body = f"{moved.n3()} {RDFS.subClassOf.n3()} {top.n3()} .\n".encode()
    req = urllib.request.Request(f"{server}/store?graph=urn:x:extra", data=body, method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=30).close()
    code, out, err = run_cli("validate", "--endpoint", f"{server}/query")
    assert code == 2, err
    lines = err.strip().splitlines()
    assert "answers SPARQL 1.1 differently" in lines[-1] and "path *" in lines[-1]
    assert "also without property paths" in lines[-1] and "Traceback" not in err and out == ""
