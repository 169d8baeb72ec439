#!/usr/bin/env python3
"""How `educluster validate` grows from 10 thousand to 10 million triples (issue 16, section 3).

    .venv/bin/python benchmarks/scale_curve.py [--sizes 10k,100k,1M,10M] [--workdir DIR]

For each size, in fresh subprocesses of the same run (wall time; peak resident memory from the
child's ``rusage``): pyoxigraph's bulk load of the N-Triples file (the floor: reading the data
once) and the whole ``educluster validate FILE --format json`` command, with the ratio of the
two and the memory per million triples. The validator's findings are compared with the
generator's list of injected defects. It prints the table and, when every size was measured,
writes it into ``benchmarks/README.md`` between the ``scale-curve`` markers. Run it on an otherwise idle
machine: 10M takes minutes of both cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import SIZES, each_size, floor, generate, machine, measure_cli, write_section  # noqa: E402

START, END = "<!-- scale-curve:start -->", "<!-- scale-curve:end -->"


def run_size(label: str, workdir: Path) -> dict:
    nt, summary = generate(workdir, label)
    load = floor(nt)
    # --max-size: the 10M file is larger than the default limit a user gets
    val = measure_cli(nt, summary, ("--max-size", "100000"))
    if val["code"] not in (0, 1):
        raise SystemExit(f"scale_curve: validate failed at {label}: {val['stderr']}")
    return {"triples": SIZES[label], "load": {"wall": load["wall"], "rss_mb": load["rss_mb"]},
            "validate": {"wall": val["wall"], "rss_mb": val["rss_mb"]},
            "equal_to_generator": val["equals_generator"]}


def table(results: dict) -> str:
    m = machine()
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {m.get('nproc', '?')} cores, load average "
             f"{round(m.get('load_before', 0), 1)} before the run; one run per size, wall time and "
             "peak resident memory of the whole process.", "",
             "| size | bulk load (floor) | `educluster validate` | ratio to the floor | memory per "
             "million triples | findings = generator's list |",
             "| --- | --- | --- | --- | --- | --- |"]
    for label, r in results.items():
        ld, v = r["load"], r["validate"]
        # per million only from 1M on: below, the program's fixed ~60 MB dominates
        per_m = (f"{v['rss_mb'] / (r['triples'] / 1e6) / 1024:.2f} GB"
                 if r["triples"] >= 1_000_000 else "–")
        lines.append(f"| {label} | {ld['wall']:.2f} s, {ld['rss_mb']:.0f} MB | {v['wall']:.2f} s, "
                     f"{v['rss_mb']:.0f} MB | {v['wall'] / ld['wall']:.1f}x | {per_m} | "
                     f"{ {True: 'yes', False: 'NO', None: '?'}[r['equal_to_generator']] } |")
    return "\n".join(lines)


DEFAULT_SIZES = "10k,100k,1M,10M"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/educluster-bench"))
    ap.add_argument("--no-readme", action="store_true", help="print only")
    a = ap.parse_args(argv)
    a.workdir.mkdir(parents=True, exist_ok=True)
    results = each_size(a.sizes, lambda label: run_size(label, a.workdir))
    text = table(results)
    print(text)
    # the README's table is one run's curve: a run of some sizes only would drop the others'
    # rows (or mix two runs' machines and loads in one table), so it is printed, not written
    if set(DEFAULT_SIZES.split(",")) - set(results):
        print("scale_curve: not every size was measured; README.md left as it was",
              file=sys.stderr)
    elif not a.no_readme:
        write_section(START, END, "Validation from 10 thousand to 10 million triples (issue 16)",
                      text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
