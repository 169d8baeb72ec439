#!/usr/bin/env python3
"""Parameters over HTTP: the trailing VALUES clause against the substituted term (issue 16
section 5, decision 0026).

    .venv/bin/python benchmarks/http_params.py --location DIR [--cluster IRI] [--repeat 5]

``DIR`` is an Oxigraph store folder holding the knowledge base and the national data in its
default graph (``oxigraph load``). It is served read-only on 127.0.0.1; every competency
question with a ``cluster`` parameter is asked ``--repeat`` times both ways, through
:func:`educluster.query.remote.run_endpoint` (substituted) and the same prepared query sent with
the trailing ``VALUES`` (as before), and the answers are compared. Prints median and p95.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--location", required=True)
    ap.add_argument("--cluster", default="https://example.org/educluster/synthetic/cluster/116")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default=None, help="comma-separated question ids")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "loaders"))
    from educluster import engines
    from educluster.query import results as R
    from educluster.query.remote import run_endpoint
    from educluster.query.sparql import prepare, values_clause

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([engines.oxigraph_binary(), "serve-read-only", "--location",
                               a.location, "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    rows = []
    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
        only = set(a.only.split(",")) if a.only else None
        for f in sorted((ROOT / "ontology" / "cq").glob("*.rq")):
            text = f.read_text(encoding="utf-8")
            if not re.search(r"^# params: cluster=", text, re.M):
                continue
            if only and f.stem not in only:
                continue
            prep = prepare(text, f, [f"cluster=<{a.cluster}>"])
            before = replace(prep, text=prep.text.rstrip() + "\n" + values_clause(prep.bindings)
                             + "\n", bindings={})
            times = {"values": [], "substituted": []}
            answers = {}
            for _ in range(a.repeat):
                for name, p in (("values", before), ("substituted", prep)):
                    t0 = time.perf_counter()
                    res = run_endpoint(p, url, default_graphs=(), timeout=600)
                    times[name].append(time.perf_counter() - t0)
                    answers[name] = R.canonical_rows(res) if hasattr(R, "canonical_rows") \
                        else sorted(map(str, res.rows))
            same = answers["values"] == answers["substituted"]
            rows.append((f.stem, statistics.median(times["values"]), p95(times["values"]),
                         statistics.median(times["substituted"]), p95(times["substituted"]), same))
            print(rows[-1], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("\n| question | VALUES median s | VALUES p95 s | substituted median s | "
          "substituted p95 s | same answer |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r[0]} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.3f} | {r[4]:.3f} | "
              f"{'yes' if r[5] else 'NO'} |")
    return 0 if all(r[5] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
