#!/usr/bin/env python3
"""Validation inside a store: `educluster validate --endpoint` against an Oxigraph server and
a Virtuoso server beside the local run of the same file (issue 16 section 1).

    .venv/bin/python benchmarks/store_validate.py [--sizes 100k,1M] [--workdir DIR]

For each size the generated set with known defects (``run.generate``: seed 1, 32 defects) is

* validated locally: ``educluster validate FILE`` -- the baseline of the same run;
* loaded into ``oxigraph serve`` (``educluster push``) and validated there;
* loaded into a fresh Virtuoso (``virtuoso-opensource``; the ontology and knowledge base with
  ``educluster push``, the data with Virtuoso's bulk loader ``ld_dir``/``rdf_loader_run``
  through ``isql-vt``) and validated there.

Each validation is the whole command in a fresh process (wall time); the loading is not
timed into it. Each report's findings (focus, path, component, shape, value, severity, as a
multiset) are compared with the local ones, and the shapes Virtuoso's run checked on a local
copy (named on stderr) are counted. The table goes into ``benchmarks/README.md`` between the
``store-validate`` markers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

import run  # noqa: E402
import virtuoso_server  # noqa: E402

START, END = "<!-- store-validate:start -->", "<!-- store-validate:end -->"


def findings(path: Path) -> Counter | None:
    """The findings of a JSON report, as a multiset."""
    if not path.exists():
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    return Counter((r["focus"], r["path"], r["component"], r["shape"], str(r["value"]),
                    r["severity"]) for r in doc["results"])


def validate(args: list[str], out: Path) -> dict:
    """``educluster validate ARGS --format json --output OUT``: time, exit, stderr, findings."""
    t0 = time.perf_counter()
    p = subprocess.run(run.educluster_cmd() + ["validate", *args, "--format", "json",
                                               "--output", str(out)],
                       capture_output=True, text=True, timeout=3600, cwd=ROOT)
    out.with_suffix(".stderr.txt").write_text(p.stderr, encoding="utf-8")   # what ran where
    return {"wall": time.perf_counter() - t0, "code": p.returncode, "stderr": p.stderr,
            "findings": findings(out)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_run(nt: Path, graph: str, work: Path) -> dict:
    """Push into a fresh ``oxigraph serve`` and validate there."""
    from educluster import engines

    port = _free_port()
    server = subprocess.Popen([engines.oxigraph_binary(), "serve", "--location",
                               str(work / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("store_validate: oxigraph serve did not start")
            time.sleep(0.1)
        t0 = time.perf_counter()
        p = subprocess.run(run.educluster_cmd() + ["push", "--store", f"{base}/store", "--data",
                                                   str(nt)], capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"store_validate: push to oxigraph failed: {p.stderr}")
        load = time.perf_counter() - t0
        m = validate(["--endpoint", f"{base}/query", "--graph", graph], work / "oxigraph.json")
        m["load"] = load
        return m
    finally:
        server.terminate()
        server.wait(30)


def virtuoso_run(nt: Path, graph: str, work: Path) -> dict:
    """A fresh Virtuoso: the background pushed, the data bulk-loaded; validate there."""
    folder = work / "virtuoso"
    if folder.exists():
        shutil.rmtree(folder)
    srv = virtuoso_server.start(folder, buffers=100000, max_rows=1_000_000, max_seconds=3600)
    try:
        t0 = time.perf_counter()
        p = virtuoso_server.push(srv.base, virtuoso_server.PASSWORD,
                                 educluster=str(Path(sys.executable).parent / "educluster"))
        if p.returncode != 0:
            raise SystemExit(f"store_validate: push to Virtuoso failed: {p.stderr}")
        shutil.copy(nt, folder / nt.name)
        srv.isql_run(f"ld_dir('{folder}', '{nt.name}', '{graph}'); rdf_loader_run(); "
                     "checkpoint;", timeout=3600)
        load = time.perf_counter() - t0
        m = validate(["--endpoint", f"{srv.base}/sparql", "--graph", graph],
                     work / "virtuoso.json")
        m["load"] = load
        return m
    finally:
        srv.stop()


def _s(x) -> str:
    return f"{x:.1f}" if isinstance(x, (int, float)) else "–"


def table(rows: list[dict]) -> str:
    m = run.machine()
    lines = [f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on {m.get('nproc', '?')} "
             f"cores, load average {m.get('load_before', 0):.1f} before (other work on the "
             "machine: absolute times are noisy). Whole command, wall time, fresh process; "
             "loading the store not included.", "",
             "| set | where | validate s | / local | findings | same as local | "
             "shapes on a local copy | load s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        base = r["local"]["wall"]
        for name, key in (("local file (baseline)", "local"),
                          ("Oxigraph server (`oxigraph serve`)", "oxigraph"),
                          ("Virtuoso 7.2 (`virtuoso-opensource`)", "virtuoso")):
            x = r.get(key)
            if x is None:
                continue
            f = x.get("findings")
            same = "—" if key == "local" else ("yes" if f == r["local"]["findings"] else "NO")
            copied = sum(1 for line in (x.get("stderr") or "").splitlines()
                         if "checked on a local copy" in line)
            lines.append(f"| {r['label']} | {name} | {_s(x['wall'])} | "
                         f"{x['wall'] / base:.2f} | {sum(f.values()) if f else '–'} | {same} | "
                         f"{copied if key == 'virtuoso' else '—'} | {_s(x.get('load'))} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100k,1M")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--no-write", action="store_true", help="print, do not edit the README")
    a = ap.parse_args(argv)
    from educluster import engines

    work = Path(a.workdir or tempfile.mkdtemp(prefix="educluster-store-validate-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for label in a.sizes.split(","):
        nt, _summary = run.generate(work, label)
        graph = engines.layout([str(nt)])[-1].iri
        sub = work / label
        if sub.exists():
            shutil.rmtree(sub)
        sub.mkdir()
        run.log(f"{label}: local")
        r = {"label": label, "local": validate([str(nt)], sub / "local.json")}
        run.log(f"{label}: oxigraph server")
        r["oxigraph"] = oxigraph_run(nt, graph, sub)
        run.log(f"{label}: virtuoso")
        r["virtuoso"] = virtuoso_run(nt, graph, sub)
        for k in ("local", "oxigraph", "virtuoso"):
            x = r[k]
            run.log(f"  {k}: {x['wall']:.1f} s, exit {x.get('code')}, "
                    f"{sum(x['findings'].values()) if x['findings'] else '-'} findings, "
                    f"same {x['findings'] == r['local']['findings']}")
            if x["findings"] is None:
                run.log(f"  {k} stderr: {(x.get('stderr') or '')[-600:]}")
        rows.append(r)
    text = table(rows)
    print(text)
    if not a.no_write:
        run.write_section(START, END, "Validation inside a store: Oxigraph server and Virtuoso "
                          "(issue 16 section 1)", text,
                          intro="    .venv/bin/python benchmarks/store_validate.py --sizes 100k,1M\n\n"
                          "`validate --endpoint` runs the compiled shapes where the data is "
                          "(decisions 0020, 0027). Baseline of the same run: the local "
                          "`validate FILE`. Virtuoso 7.2 fails the dialect probes (paths, "
                          "regular expressions on bytes): its queries go without `*`/`+` paths "
                          "and the shapes it cannot answer the same way run on a local copy of "
                          "the triples they read.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
