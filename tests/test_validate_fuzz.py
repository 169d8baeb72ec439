"""Property test: whatever bytes arrive, ``validate`` and ``convert`` answer with a report (exit
0 or 1) or one clear line on stderr (exit 2) -- never a traceback, never an internal error,
never a half-written output file."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_validate import TASHKENT_FORMS, cli

SEEDS = {p.name: p.read_bytes() for form in TASHKENT_FORMS.values() for p in form}
NAMES = sorted(SEEDS) + ["participants.csv", "data.json", "data.ttl", "data.jsonld", "data.nt"]


@st.composite
def mutated(draw):
    """A real input file, mutated: bytes deleted, inserted, replaced or lines duplicated."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "dup-line", "truncate"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "delete":
            del data[i:i + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[i:i] = draw(st.sampled_from([b",", b"|", b'"', b"\n", b"#", b"{", b"}", b"[",
                                              b";", b".", b" ", b"\x00", b"\xff", b"@", b":",
                                              b"<", b">", b"^^", b"\\", b"\t"]))
        elif kind == "replace" and data:
            data[i] = draw(st.integers(0, 255))
        elif kind == "dup-line":
            lines = bytes(data).split(b"\n")
            j = draw(st.integers(0, len(lines) - 1))
            lines.insert(j, lines[j])
            data = bytearray(b"\n".join(lines))
        elif kind == "truncate":
            data = data[:i]
    return name, bytes(data)


@st.composite
def random_file(draw):
    name = draw(st.sampled_from(NAMES))
    data = draw(st.one_of(st.binary(max_size=300),
                          st.text(max_size=300).map(lambda t: t.encode("utf-8"))))
    return name, data


def _check(code: int, out: str, err: str, output: Path, ok_codes: set[int],
           json_on_error: bool = False) -> None:
    """Exit 2: one stderr line per problem that stops a file or row from being read, and no
    output (or, with ``json_on_error``, a complete JSON document saying the input is
    unreadable); no temporary file left. Else: silence on stderr and the output written."""
    assert code in ok_codes | {2}, (code, out, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        lines = err.splitlines()
        assert lines and all(ln.startswith("educluster: ") for ln in lines), err
        assert out == "", out
        if json_on_error:
            doc = json.loads(output.read_text(encoding="utf-8"))
            assert doc["readable"] is False and len(doc["errors"]) == len(lines)
            assert [p.name for p in output.parent.iterdir()] == [output.name]
        else:
            assert not output.exists()
            assert [p.name for p in output.parent.iterdir()] == [], "no temporary files left"
    else:
        assert err == "", err
        assert output.exists()


@contextlib.contextmanager
def _input_and_output(case, output_name: str):
    """The generated input file in its own folder, and an output path in an empty folder (so that
    _check can see no temporary file was left behind)."""
    name, data = case
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in" / name
        src.parent.mkdir()
        src.write_bytes(data)
        out_dir = Path(d) / "out"
        out_dir.mkdir()
        yield src, out_dir / output_name


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=st.one_of(mutated(), random_file()))
def test_validate_never_crashes(case):
    with _input_and_output(case, "report.json") as (src, report):
        code, out, err = cli("validate", src, "--format", "json", "--output", report)
        _check(code, out, err, report, {0, 1}, json_on_error=True)
        if code != 2:
            doc = json.loads(report.read_text())
            assert doc["conforms"] == (code == 0)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=st.one_of(mutated(), random_file()))
def test_convert_never_crashes(case):
    with _input_and_output(case, "data.ttl") as (src, target):
        code, out, err = cli("convert", src, "-o", target)
        if code == 1:   # data with violations: refused, the reasons on stderr, nothing written
            assert err.startswith("educluster: the data has ") and out == "", (out, err)
            assert [p.name for p in target.parent.iterdir()] == []
            return
        _check(code, out, err, target, {0})
        if code == 0:
            assert len(rdflib.Graph().parse(target, format="turtle")) > 0
