"""Validate time of a workbook next to the same data as CSV files (issue 11).

Writes one synthetic cluster -- a pedagogical university as its core and N-1 schools, each
with its membership (role, start date), every tenth school linked to the core -- as CSV files
(``participants.csv``, ``memberships.csv``, ...) and as one workbook with the same tables as
sheets (dates as date cells), then runs ``educluster validate`` on each in a fresh process,
``--repeat`` times, and prints the median wall-clock seconds and the peak resident memory
(the child's ``rusage``), with the workbook's ratio to the CSV run. Both must report the same
verdict. Usage::

    .venv/bin/python benchmarks/workbook.py --participants 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EDUCLUSTER = Path(sys.executable).parent / "educluster"


def tables(n: int) -> dict[str, list[list]]:
    """The rows (header first) of each table for a cluster of ``n`` participants."""
    start = dt.date(2021, 9, 1)
    parts = [["id", "type", "name", "region"],
             ["uni", "PedagogicalUniversity", "Regional Pedagogical Institute", "Samarkand region"]]
    mems = [["id", "member", "cluster", "role", "startDate"],
            ["m-uni", "uni", "c1", "core", start]]
    links = [["id", "cluster", "participant", "relationType"]]
    for i in range(1, n):
        parts.append([f"school-{i}", "School", f"School No. {i}", "Samarkand region"])
        mems.append([f"m-school-{i}", f"school-{i}", "c1", "partner",
                     start + dt.timedelta(days=i % 365)])
        if i % 10 == 0:
            links.append([f"l-{i}", "c1", f"uni|school-{i}", "vertical"])
    clusters = [["id", "type", "name", "region", "foundingDate"],
                ["c1", "PedagogicalEducationCluster", "Samarkand cluster of teacher education",
                 "Samarkand region", dt.date(2020, 1, 15)]]
    return {"clusters": clusters, "participants": parts, "memberships": mems, "links": links}


def write_csv(d: Path, data: dict) -> list[Path]:
    out = []
    for name, rows in data.items():
        p = d / f"{name}.csv"
        with open(p, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            for r in rows:
                w.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in r])
        out.append(p)
    return out


def write_xlsx(path: Path, data: dict) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in data.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def measure(args: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of one ``educluster`` run in a fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(EDUCLUSTER), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"educluster {' '.join(args)} failed: {err.strip()}")
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    data = tables(a.participants)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "csv").mkdir()
        csv_files = write_csv(d / "csv", data)
        book = write_xlsx(d / "cluster.xlsx", data)
        size_csv = sum(p.stat().st_size for p in csv_files) / 1048576
        size_xlsx = book.stat().st_size / 1048576
        runs: dict[str, list] = {"csv": [], "xlsx": []}
        for _ in range(a.repeat):
            runs["csv"].append(measure(["validate", *map(str, csv_files), "--max-size", "100"]))
            runs["xlsx"].append(measure(["validate", str(book), "--max-size", "100"]))
    codes = {k: {r[2] for r in v} for k, v in runs.items()}
    if codes["csv"] != codes["xlsx"]:
        raise SystemExit(f"the verdicts differ: {codes}")
    med = {k: (statistics.median(r[0] for r in v), max(r[1] for r in v))
           for k, v in runs.items()}
    rows = sum(len(r) - 1 for r in data.values())
    print(f"{a.participants:,} participants, {rows:,} rows in {len(data)} tables; "
          f"median of {a.repeat} runs, exit code {codes['csv'].pop()}")
    print("| input | size | validate | peak memory |")
    print("| --- | --- | --- | --- |")
    print(f"| CSV files | {size_csv:.1f} MB | {med['csv'][0]:.1f} s | {med['csv'][1]:.0f} MB |")
    print(f"| workbook (.xlsx) | {size_xlsx:.1f} MB | {med['xlsx'][0]:.1f} s "
          f"({med['xlsx'][0] / med['csv'][0]:.2f}x) | {med['xlsx'][1]:.0f} MB "
          f"({med['xlsx'][1] / med['csv'][1]:.2f}x) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
