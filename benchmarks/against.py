#!/usr/bin/env python3
"""What `validate NEW_FILES --against` costs: a 1,000-triple submission checked against the
national set already stored (issue 16 section 2).

    .venv/bin/python benchmarks/against.py --data /tmp/uz-1m.nt [--runs 20] [--workdir DIR]

The data (``benchmarks/generate.py``) is split by subject: ``--runs`` submissions of about
1,000 triples each (whole subjects picked at random, seed 1: scattered, so each touches many
stored entities -- a pessimistic neighbourhood) and the rest, bulk-loaded once into an Oxigraph
store folder (``oxigraph load``). Each submission is then checked, each in a fresh process
(the whole command as a user runs it, wall time):

* **alone**: ``educluster validate SUB.nt`` -- the baseline of the same run (start-up, the
  vocabulary, the shapes, the submission);
* **--against-store DIR**: against the store folder, opened read-only;
* **--against URL**: against ``oxigraph serve-read-only`` on the same folder.

It prints median and p95 of each and their ratio to the baseline, and writes the table into
``benchmarks/README.md`` between the ``against`` markers.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDUCLUSTER = [sys.executable, "-m", "educluster"]


def split(data: Path, workdir: Path, runs: int, size: int = 1000, seed: int = 1,
          mode: str = "block"):
    """``runs`` submission files of about ``size`` triples (whole subjects) and the rest:
    ``block``, consecutive subjects of the file from a random place (the generator writes a
    cluster's records together: one or two clusters' records, as a region submits them);
    ``scattered``, subjects at random (each touches many clusters: a pessimistic case)."""
    by_subject: dict[str, list[str]] = {}
    with data.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                by_subject.setdefault(line.split(" ", 1)[0], []).append(line)
    subjects = list(by_subject)          # file order
    rng = random.Random(seed)
    if mode == "scattered":
        rng.shuffle(subjects)
        starts = [0] * runs
    else:
        step = len(subjects) // runs
        starts = [k * step + rng.randrange(step // 2) for k in range(runs)]
    subs, taken, i = [], set(), 0
    for k in range(runs):
        lines: list[str] = []
        i = max(i, starts[k])
        while len(lines) < size:
            s = subjects[i]
            i += 1
            taken.add(s)
            lines += by_subject[s]
        p = workdir / f"submission-{k:02d}.nt"
        p.write_text("".join(lines), encoding="utf-8")
        subs.append((p, len(lines)))
    rest = workdir / "stored.nt"
    with rest.open("w", encoding="utf-8") as out:
        for s, lines in by_subject.items():
            if s not in taken:
                out.writelines(lines)
    return subs, rest


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
    return dt


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(data: Path, work: Path, runs: int, mode: str = "block",
            keep_store: bool = True) -> dict:
    """Split ``data``, load the rest into a store folder, and time ``runs`` submissions alone,
    ``--against-store`` and ``--against`` (oxigraph serve-read-only): the times of each, the
    submissions' sizes, the stored triples and the load time."""
    sys.path.insert(0, str(ROOT / "loaders"))
    import shutil

    from educluster import engines

    work.mkdir(parents=True, exist_ok=True)
    subs, rest = split(data, work, runs, mode=mode)
    folder = work / f"store-{mode}"
    t0 = time.perf_counter()
    if not folder.exists():
        subprocess.run([engines.oxigraph_binary(), "load", "--location", str(folder), "--file",
                        str(rest)], check=True, capture_output=True)
    load = time.perf_counter() - t0
    with rest.open(encoding="utf-8") as f:
        stored = sum(1 for _ in f)
    rest.unlink()                 # the store folder holds it now (the 10M file is 1.5 GB)
    port = free_port()
    server = subprocess.Popen([engines.oxigraph_binary(), "serve-read-only", "--location",
                               str(folder), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("oxigraph serve-read-only did not start")
            time.sleep(0.1)
        times: dict[str, list[float]] = {"alone": [], "store": [], "endpoint": []}
        for p, _n in subs:
            times["alone"].append(timed(EDUCLUSTER + ["validate", str(p)]))
            times["store"].append(timed(EDUCLUSTER + ["validate", str(p), "--against-store",
                                                      str(folder)]))
            times["endpoint"].append(timed(EDUCLUSTER + ["validate", str(p), "--against",
                                                         f"http://127.0.0.1:{port}/query"]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not keep_store:
        shutil.rmtree(folder, ignore_errors=True)
    return {"times": times, "sizes": [n for _, n in subs], "stored": stored, "load": load}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="the national N-Triples file (generate.py)")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--mode", choices=("block", "scattered"), default="block",
                    help="how submissions are drawn (see split)")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "educluster-against"))
    ap.add_argument("--no-readme", action="store_true")
    a = ap.parse_args(argv)
    m = measure(Path(a.data), Path(a.workdir), a.runs, a.mode)
    data, times, stored, load = Path(a.data), m["times"], m["stored"], m["load"]
    sizes = m["sizes"]
    try:
        load_avg = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load_avg = "?"
    base = p95(times["alone"])
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, load average "
        f"{load_avg} at the end (other work on the machine: absolute times are noisy).",
        f"{len(sizes)} submissions of {min(sizes)}–{max(sizes)} triples ({a.mode}: "
        f"{'whole subjects at random' if a.mode == 'scattered' else 'consecutive subjects'} "
        f"from `{data.name}`) against the other {stored:,} triples, bulk-loaded into "
        f"an Oxigraph store folder in {load:.1f} s. Whole command, wall time, fresh process.",
        "",
        "| check | median s | p95 s | p95 / alone |",
        "| --- | --- | --- | --- |",
    ]
    names = {"alone": "`validate SUB.nt` alone (baseline)",
             "store": "`validate SUB.nt --against-store DIR`",
             "endpoint": "`validate SUB.nt --against URL` (oxigraph serve-read-only)"}
    for k, label in names.items():
        lines.append(f"| {label} | {statistics.median(times[k]):.2f} | {p95(times[k]):.2f} | "
                     f"{p95(times[k]) / base:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not a.no_readme:
        readme = ROOT / "benchmarks" / "README.md"
        doc = readme.read_text(encoding="utf-8")
        start, end = "<!-- against:start -->", "<!-- against:end -->"
        if start in doc:
            head, _, tail = doc.partition(start)
            doc = head + start + "\n" + text + tail.partition(end)[1] + tail.partition(end)[2]
        readme.write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
