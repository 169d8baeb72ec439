"""Throughput of ``educluster web`` for the Tashkent data with concurrent clients, beside the
command's own time (issue 15 section 2).

Starts the real service on 127.0.0.1 (a free port, ``--workers`` worker processes), then
``--clients`` threads each POST the Tashkent CSV files to ``/api/validate`` ``--requests``
times; prints requests per second, median and p95 latency, and the median wall-clock time of
``educluster validate`` on the same files in a fresh process (``--repeat`` runs). Every answer
must be exit_code 0, as the command's. Usage::

    .venv/bin/python benchmarks/web.py --clients 4 --requests 10 --workers 2
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
EDUCLUSTER = Path(sys.executable).parent / "educluster"
CSV = sorted((REPO / "examples" / "tashkent" / "csv").glob("*.csv"))


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command_seconds(repeat: int) -> float:
    """Median seconds of ``educluster validate`` on the Tashkent CSV files, fresh process."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        code = subprocess.run([str(EDUCLUSTER), "validate", *map(str, CSV)],
                              stdout=subprocess.DEVNULL, cwd=REPO).returncode
        times.append(time.perf_counter() - t)
        assert code == 0, code
    return statistics.median(times)


def service_figures(clients: int, requests: int, workers: int) -> dict:
    """Requests per second and latencies of the service under ``clients`` parallel clients."""
    port = free_port()
    proc = subprocess.Popen([str(EDUCLUSTER), "web", "--port", str(port), "--workers",
                             str(workers), "--queue", str(clients * 2)], cwd=REPO,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        files = [("files", (p.name, p.read_bytes())) for p in CSV]
        httpx.post(url + "/api/validate", files=files, timeout=120)  # warm-up
        latencies: list[float] = []
        bad: list[int] = []

        def client():
            with httpx.Client(timeout=300) as c:
                for _ in range(requests):
                    t = time.perf_counter()
                    r = c.post(url + "/api/validate", files=files)
                    latencies.append(time.perf_counter() - t)
                    if r.status_code != 200 or r.json()["exit_code"] != 0:
                        bad.append(r.status_code)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(10)
    assert not bad, bad
    latencies.sort()
    return {"rps": len(latencies) / wall, "median": statistics.median(latencies),
            "p95": latencies[max(0, int(round(0.95 * len(latencies))) - 1)],
            "n": len(latencies), "wall": wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--requests", type=int, default=10, help="requests per client")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the command")
    a = ap.parse_args()
    cmd = command_seconds(a.repeat)
    s = service_figures(a.clients, a.requests, a.workers)
    print(f"| educluster validate (fresh process, median of {a.repeat}) | {cmd:.2f} s | |")
    print(f"| web, {a.clients} clients, {a.workers} workers, {s['n']} requests | "
          f"{s['rps']:.2f} requests/s | median {s['median']:.2f} s, p95 {s['p95']:.2f} s |")
    print(f"service p95 / command: {s['p95'] / cmd:.2f}x; "
          f"time per request at throughput / command: {1 / s['rps'] / cmd:.2f}x")


if __name__ == "__main__":
    main()
