#!/usr/bin/env python3
"""Where `educluster validate FILE` spends its time: phases and each compiled query (issue 16 §4).

    .venv/bin/python benchmarks/profile_validate.py FILE.nt [--top 15] [--threads 1]

In one process: pyoxigraph's bulk load of FILE (the floor), then the command's phases as
``validate_files`` runs them (reading into the store, unknown-term scans, shapes, the compiled
queries, the report graph and entities), each with its wall and CPU time and their ratios to
the floor's. With ``--threads 1`` (the default) the queries run one at a time and each one's
CPU time is listed (heaviest first), labelled by its shape; with 2 they run as the command
runs them and the per-query times overlap. The figures are for comparing rewrites within one
run on this shared machine; ``scale_curve.py`` measures the whole command. The read's CPU
includes the work done beside it on the second core (the command's wall time does not).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
import time
from pathlib import Path


def floor(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of pyoxigraph's bulk load of the N-Triples file into a fresh store."""
    import pyoxigraph as ox

    w, c = time.perf_counter(), time.process_time()
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    took = (time.perf_counter() - w, time.process_time() - c)
    del store
    gc.collect()
    return took


def phases(path: Path, threads: int) -> tuple[dict, list]:
    """The command's phases (seconds) and the trace of queries [(cpu s, where, text)]."""
    from concurrent.futures import ThreadPoolExecutor

    from educluster.convert.vocab import load_vocabulary
    from educluster.fastvalidate import engine as fe
    from educluster.validate import report, unknown_terms
    from educluster.validate.engine import load_shapes, run_fast
    from educluster.validate.store_input import load_store, report_graph

    trace: list = []
    orig_init = fe.Engine.__init__

    def init(self, *a, **kw):
        orig_init(self, *a, **kw)
        self.trace = trace
    fe.Engine.__init__ = init
    if threads == 1:
        import educluster.fastvalidate as fv
        orig_validate = fv.validate
        fv.validate = lambda *a, **kw: orig_validate(*a, **{**kw, "workers": 1})
    t = {}
    clock = Clock(t)
    # as validate_files: the ontology, the shapes, the UTF-8 check and (N-Triples) the scan of
    # the text for namespace IRIs on a second thread while the store reads (decision 0036)
    with clock("read (+ vocabulary, shapes, scan beside)"):
        with ThreadPoolExecutor(1) as beside:
            vocab_later, shapes_later = beside.submit(load_vocabulary), beside.submit(load_shapes)
            scans: list = []
            store, collapsed, loaded = load_store([str(path)], max_mb=100000,
                                                  vocab=vocab_later.result, beside=beside,
                                                  iris=scans)
            vocab, shapes = vocab_later.result(), shapes_later.result()
            iris = unknown_terms.written_iris(scans)
    with clock("unknown terms (lookups, or store scans)"):
        unknown = (unknown_terms.from_iris(store, vocab, iris) if iris is not None
                   else unknown_terms.in_store(store, vocab))
    with clock("validate (queries + background)"):
        results = run_fast(store, vocab, shapes, collapsed) + unknown
    with clock("report"):
        loaded.graph = report_graph(store, results)
        builder = report.ReportBuilder(results, loaded.graph, vocab, shapes, loaded)
        builder.entities()
    return t, trace, len(results)


class Clock:
    """``with clock(name):`` records (wall, CPU) seconds of the block in ``t[name]``."""

    def __init__(self, t: dict):
        self.t = t

    @contextlib.contextmanager
    def __call__(self, name: str):
        w, c = time.perf_counter(), time.process_time()
        yield
        self.t[name] = (time.perf_counter() - w, time.process_time() - c)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    fl = floor(a.file)
    t, trace, n = phases(a.file, a.threads)
    wall, cpu = sum(v[0] for v in t.values()), sum(v[1] for v in t.values())
    print(f"floor (bulk load) {fl[0]:.2f} s wall, {fl[1]:.2f} s CPU; command phases {wall:.2f} s "
          f"wall = {wall / fl[0]:.2f}x, {cpu:.2f} s CPU = {cpu / fl[1]:.2f}x ({n} results)")
    for k, (w, c) in t.items():
        print(f"  {k:34s} {w:6.2f} s wall {w / fl[0]:5.2f}x   {c:6.2f} s CPU {c / fl[1]:5.2f}x")
    print(f"{len(trace)} traced queries, CPU sum {sum(x[0] for x in trace):.2f} s; heaviest:")
    for secs, where, text in sorted(trace, key=lambda x: -x[0])[:a.top]:
        print(f"  {secs:6.2f} s  {where[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
