"""The shared building blocks: UserError, write_atomic, paths, kb loading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from educluster import kb, paths
from educluster.atomic import write_atomic
from educluster.errors import UserError


# -- UserError ----------------------------------------------------------------------------

def test_user_error_parts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert UserError("bad").one_line() == "educluster: bad"
    assert UserError("bad", file=tmp_path / "a.ttl").one_line() == "educluster: a.ttl: bad"
    assert UserError("bad", file="/elsewhere/a.ttl", line=3).one_line() == \
        "educluster: /elsewhere/a.ttl:3: bad"
    assert UserError("two\nlines").one_line() == "educluster: two lines"
    assert UserError("x").exit_code == 2


# -- write_atomic -------------------------------------------------------------------------

@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=4096), st.text(max_size=2048)))
def test_write_atomic_round_trip(tmp_path, data):
    target = tmp_path / "sub" / "out.bin"
    write_atomic(target, data)
    expected = data.encode("utf-8") if isinstance(data, str) else data
    assert target.read_bytes() == expected
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.bin"]


def test_write_atomic_replaces_and_sets_mode(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert (target.stat().st_mode & 0o777) == 0o644


def test_write_atomic_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


# -- paths ----------------------------------------------------------------------------------

def test_repo_root_is_the_clone(repo_root, monkeypatch):
    monkeypatch.delenv("EDUCLUSTER_HOME", raising=False)
    assert paths.repo_root() == repo_root
    assert paths.ontology_dir() == repo_root / "ontology"
    assert paths.shapes_dir() == repo_root / "shapes"
    assert paths.dist_dir() == repo_root / "dist"


def test_educluster_home(tmp_path, monkeypatch):
    (tmp_path / "ontology").mkdir()
    monkeypatch.setenv("EDUCLUSTER_HOME", str(tmp_path))
    assert paths.repo_root() == tmp_path.resolve()
    monkeypatch.setenv("EDUCLUSTER_HOME", str(tmp_path / "nothing"))
    with pytest.raises(UserError, match="EDUCLUSTER_HOME"):
        paths.repo_root()


def test_seeds_dir(tmp_path, monkeypatch):
    (tmp_path / "repo" / "ontology").mkdir(parents=True)
    monkeypatch.setenv("EDUCLUSTER_HOME", str(tmp_path / "repo"))
    monkeypatch.delenv("EDUCLUSTER_SEEDS", raising=False)
    assert paths.seeds_dir() is None
    (tmp_path / "shared" / "seeds").mkdir(parents=True)
    assert paths.seeds_dir() == (tmp_path / "shared" / "seeds").resolve()
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.setenv("EDUCLUSTER_SEEDS", str(other))
    assert paths.seeds_dir() == other.resolve()
    monkeypatch.setenv("EDUCLUSTER_SEEDS", str(tmp_path / "missing"))
    with pytest.raises(UserError):
        paths.seeds_dir()


# -- kb ---------------------------------------------------------------------------------------

def test_ontology_files_order(tmp_path):
    (tmp_path / "kb").mkdir()
    for name in ("b.ttl", "a.ttl", "kb/z.ttl", "kb/c.ttl", "notes.txt", "kb/x.rq"):
        (tmp_path / name).write_text("")
    files = kb.ontology_files(tmp_path)
    assert [str(p.relative_to(tmp_path)) for p in files] == ["a.ttl", "b.ttl", "kb/c.ttl",
                                                               "kb/z.ttl"]


def test_load_graph_binds_project_prefixes(tmp_path):
    (tmp_path / "a.ttl").write_text(
        "@prefix foo: <http://example.org/foo#> .\n"
        "foo:x <https://w3id.org/educluster/ontology#quote> \"q\" .\n", encoding="utf-8")
    g = kb.load_graph(tmp_path)
    assert len(g) == 1
    bound = dict((p, str(n)) for p, n in g.namespaces())
    for prefix, ns in kb.PREFIXES.items():
        assert bound[prefix] == ns
    assert "foo" not in bound  # a file's own prefixes do not leak into output


def test_load_graph_error_has_file_and_line(tmp_path):
    (tmp_path / "a.ttl").write_text("@prefix ec: <https://w3id.org/educluster/ontology#> .\n\n"
                                    "ec:a ec:b nope:c .\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        kb.load_graph(tmp_path)
    assert Path(info.value.file).name == "a.ttl"
    assert info.value.line == 3
    assert "nope" in info.value.message


def test_load_graph_empty_folder(tmp_path):
    with pytest.raises(UserError, match="no \\*.ttl"):
        kb.load_graph(tmp_path)


def test_real_ontology_loads():
    g = kb.load_graph()
    assert len(g) > 0
