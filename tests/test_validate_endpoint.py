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
