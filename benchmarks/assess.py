#!/usr/bin/env python3
"""What ``educluster assess`` and ``educluster report`` cost on national data (issue 17).

    .venv/bin/python benchmarks/assess.py [--sizes 100k,1M] [--workdir DIR]

For each size, in fresh subprocesses (wall time; peak resident memory from ``rusage``):

* **baseline**: ``educluster query`` of one question over the same data (the load of the
  knowledge base plus the file, and one query) -- what every command that reads the data pays;
* **assess**: ``educluster assess FILE --format json``;
* **report**: ``educluster report FILE --out DIR`` (all pages, a network diagram per cluster of
  at most 400 members).

It prints the table and writes it into ``benchmarks/README.md`` between the ``assess``
markers. Data sets come from ``benchmarks/generate.py`` (seed 1), kept in ``--workdir``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import SIZES, educluster_cmd, generate, machine, measure, write_section  # noqa: E402

START, END = "<!-- assess:start -->", "<!-- assess:end -->"
QUESTION = ("PREFIX org: <http://www.w3.org/ns/org#> "
            "SELECT (COUNT(?m) AS ?n) WHERE { ?m org:organization ?c }")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100k,1M")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "educluster-bench")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for label in args.sizes.split(","):
        nt, _ = generate(args.workdir, label)
        out = Path(tempfile.mkdtemp(prefix="educluster-report-")) / "report"
        try:
            base = measure(educluster_cmd() + ["query", QUESTION, "--data", str(nt), "--format", "json"])
            ass = measure(educluster_cmd() + ["assess", str(nt), "--format", "json", "-o",
                                              str(out.parent / "profile.json")])
            rep = measure(educluster_cmd() + ["report", str(nt), "--out", str(out)])
            pages = len(list(out.rglob("*.html"))) if out.exists() else 0
        finally:
            shutil.rmtree(out.parent, ignore_errors=True)
        for m in (base, ass, rep):
            if m["code"] != 0:
                raise SystemExit(f"assess bench: exit {m['code']}: {m.get('stderr', b'')[:300]!r}")
        rows.append((label, base, ass, rep, pages))
        print(label, base["wall"], ass["wall"], rep["wall"], pages, flush=True)
    info = machine()
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {info.get('nproc', '?')} cores, load average {info['load_before']:.1f}; wall time "
             "and peak resident memory of the whole process, one run each.", "",
             "| size | load + one query (baseline) | `assess --format json` | `report --out` | "
             "ratio report / baseline | pages |", "| --- | --- | --- | --- | --- | --- |"]
    for label, base, ass, rep, pages in rows:
        lines.append(f"| {label} | {base['wall']:.1f} s, {base['rss_mb']:.0f} MB | "
                     f"{ass['wall']:.1f} s, {ass['rss_mb']:.0f} MB | "
                     f"{rep['wall']:.1f} s, {rep['rss_mb']:.0f} MB | "
                     f"{rep['wall'] / base['wall']:.1f}x | {pages} |")
    table = "\n".join(lines)
    print(table)
    write_section(START, END, "Evidence profiles and the national report (issue 17)", table,
                  intro="    .venv/bin/python benchmarks/assess.py --sizes 100k,1M")
    return 0


if __name__ == "__main__":
    sys.exit(main())
