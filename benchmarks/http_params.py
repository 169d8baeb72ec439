#!/usr/bin/env python3
"""Parameters over HTTP at a million triples: embedded, the trailing VALUES clause, and the
substituted term (issue 16 section 5, decisions 0026 and 0028).

    .venv/bin/python benchmarks/http_params.py --workdir DIR [--repeat 5] [--only ID,...]
    .venv/bin/python benchmarks/http_params.py --location STORE [...]

With ``--workdir`` the 1M set is generated there (``run.generate``, seed 1) and bulk-loaded with
the ontology and the knowledge base into ``DIR/store-1M`` (once); ``--location`` names such a
store folder instead. Every competency question with a ``cluster`` parameter (bound to the
largest synthetic cluster) is asked ``--repeat`` times: embedded (pyoxigraph on the store
folder, the parameter as a substitution), then over ``oxigraph serve-read-only`` on 127.0.0.1
through :func:`educluster.query.remote.run_endpoint` (substituted), and the same prepared query
with the trailing ``VALUES`` sent before decision 0026. The three answers are compared. The goal:
p95 over HTTP within 2x the embedded p95 plus 50 ms. ``--write`` puts the table into
benchmarks/README.md (``run.write_section``).
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "loaders"))

START, END = "<!-- http-params:start -->", "<!-- http-params:end -->"


def p95(xs):
    """The 95th percentile of ``xs`` (nearest rank)."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def store_folder(workdir: Path) -> Path:
    """``workdir/store-1M``: the knowledge base and the generated 1M set in the default graph,
    bulk-loaded once by ``oxigraph load``."""
    from run import generate

    from educluster import engines

    store = workdir / "store-1M"
    if (store / "CURRENT").exists():
        return store
    data, _defects = generate(workdir, "1M")
    files = [str(f) for spec in engines.layout([]) for f in spec.files] + [str(data)]
    subprocess.run([engines.oxigraph_binary(), "load", "--location", str(store), "--file", *files],
                   check=True, stdout=subprocess.DEVNULL)
    return store


def questions(only: set[str] | None) -> list[Path]:
    """The competency questions with a ``cluster`` parameter."""
    out = []
    for f in sorted((ROOT / "ontology" / "cq").glob("*.rq")):
        if re.search(r"^# params: cluster=", f.read_text(encoding="utf-8"), re.M) and (
                not only or f.stem in only):
            out.append(f)
    return out


def embedded(location: Path, preps: dict, repeat: int) -> dict:
    """Per question: (times, canonical answer) on pyoxigraph reading the store folder."""
    import pyoxigraph as ox

    from educluster.query import results as R

    store = ox.Store.read_only(str(location))
    out = {}
    for qid, prep in preps.items():
        subs = {ox.Variable(n): R.to_oxigraph(t) for n, t in prep.bindings.items()}
        times, answer = [], None
        for _ in range(repeat):
            t0 = time.perf_counter()
            answer = R.from_oxigraph(store.query(prep.text, substitutions=subs))
            times.append(time.perf_counter() - t0)
        out[qid] = (times, R.canonical_rows(answer))
    del store
    return out


def over_http(location: Path, preps: dict, repeat: int, values: bool) -> dict:
    """Per question: {way: (times, canonical answer)} over ``oxigraph serve-read-only``."""
    from educluster import engines
    from educluster.query import results as R
    from educluster.query.remote import run_endpoint
    from educluster.query.sparql import values_clause

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([engines.oxigraph_binary(), "serve-read-only", "--location",
                               str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    out = {}
    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if time.monotonic() > deadline:
                raise SystemExit("http_params: the server did not start")
            time.sleep(0.1)
        for qid, prep in preps.items():
            ways = {"substituted": prep}
            if values:
                ways["values"] = replace(prep, text=prep.text.rstrip() + "\n"
                                         + values_clause(prep.bindings) + "\n", bindings={})
            res = {}
            for name, p in ways.items():
                times, answer = [], None
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    answer = run_endpoint(p, url, default_graphs=(), timeout=600)
                    times.append(time.perf_counter() - t0)
                res[name] = (times, R.canonical_rows(answer))
            out[qid] = res
            print(qid, {k: round(p95(v[0]), 3) for k, v in res.items()}, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def main(argv=None) -> int:
    """Measure, print the table, and with ``--write`` put it into benchmarks/README.md."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--location", type=Path, help="an Oxigraph store folder (KB + 1M set)")
    where.add_argument("--workdir", type=Path, help="generate and load the 1M set here")
    ap.add_argument("--cluster", default="https://example.org/educluster/synthetic/cluster/116")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default=None, help="comma-separated question ids")
    ap.add_argument("--no-values", action="store_true", help="skip the trailing-VALUES way")
    ap.add_argument("--write", action="store_true", help="write the table into the README")
    a = ap.parse_args(argv)
    from educluster.query.sparql import prepare

    location = a.location or store_folder(a.workdir)
    only = set(a.only.split(",")) if a.only else None
    preps = {f.stem: prepare(f.read_text(encoding="utf-8"), f, [f"cluster=<{a.cluster}>"])
             for f in questions(only)}
    emb = embedded(location, preps, a.repeat)
    http = over_http(location, preps, a.repeat, not a.no_values)
    with open("/proc/loadavg", encoding="ascii") as fh:
        load = fh.read().split()[0]
    lines = ["| question | embedded p95 s | VALUES p95 s | substituted median s | "
             "substituted p95 s | goal s | met | same answer |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    ok = True
    for qid in preps:
        e_times, e_answer = emb[qid]
        s_times, s_answer = http[qid]["substituted"]
        v = http[qid].get("values")
        goal = 2 * p95(e_times) + 0.05
        same = s_answer == e_answer and (v is None or v[1] == e_answer)
        met = p95(s_times) <= goal
        ok = ok and same
        lines.append(f"| {qid} | {p95(e_times):.3f} | {f'{p95(v[0]):.3f}' if v else '-'} | "
                     f"{statistics.median(s_times):.3f} | {p95(s_times):.3f} | {goal:.3f} | "
                     f"{'yes' if met else 'NO'} | {'yes' if same else 'NO'} |")
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = (f"Run {when}, {a.repeat} times each, load average {load} at the end on the 2 shared "
            "cores; goal = 2 x embedded p95 + 0.05 s.\n\n" + "\n".join(lines))
    print(text)
    if a.write:
        from run import write_section

        write_section(START, END, "Parameters over HTTP (issue 16 section 5)", text)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
