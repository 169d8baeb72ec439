"""How long `educluster site build` takes, and how that grows with the knowledge base.

    .venv/bin/python benchmarks/site_build.py                 # the real KB, scales 1 and 2
    .venv/bin/python benchmarks/site_build.py --scale 1 2 4 --repeat 2

Scale k builds the site from the repository's ontology plus k copies of the knowledge
base (ontology/kb/*.ttl): copy i renames every KB item ``id/<kind>/<slug>`` to
``id/<kind>/<slug>-c<i>`` (papers, works and scholars are shared, as in a larger
literature review that cites the same sources). It prints, per scale, the triples,
the generated pages, and the wall-clock and CPU seconds of the whole command
(generation and the mkdocs build; the command itself reports the split). Not a test:
absolute times depend on the machine and its load; compare scales with each other.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/educluster/id/"
SHARED = ("paper/", "work/", "person/", "org/", "role/")


def scaled_kb(k: int, dest: Path) -> int:
    """Write k renamed copies of the KB to ``dest`` as N-Triples (valid Turtle); return triples."""
    sys.path.insert(0, str(REPO / "loaders"))
    import rdflib

    from educluster.kb import parse_file

    base = rdflib.Graph()
    for f in sorted((REPO / "ontology" / "kb").glob("*.ttl")):
        parse_file(f, base)
    total = 0
    for i in range(k):
        def ren(t):
            if isinstance(t, rdflib.URIRef) and str(t).startswith(ID) and i > 0 \
                    and not str(t)[len(ID):].startswith(SHARED):
                return rdflib.URIRef(f"{t}-c{i}")
            return t
        g = rdflib.Graph()
        for s, p, o in base:
            g.add((ren(s), p, ren(o)))
        (dest / f"copy{i}.ttl").write_text(g.serialize(format="nt"), encoding="utf-8")
        total += len(g)
    return total


def run(k: int, repeat: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"site-bench-{k}-"))
    try:
        kb = tmp / "kb"
        kb.mkdir()
        triples = scaled_kb(k, kb)
        for r in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "educluster", "site", "build",
                                   "--kb-dir", str(kb), "--work", str(tmp / "work"),
                                   "--out", str(tmp / "site")],
                                  cwd=REPO, capture_output=True, text=True,
                                  env=dict(os.environ, PYTHONPATH=str(REPO / "loaders")))
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if proc.returncode != 0:
                print(f"scale {k}: build failed: {proc.stderr.strip()}")
                return
            m = re.search(r"built (\d+) pages \((\d+) generated\).*?\(generate ([\d.]+) s, mkdocs ([\d.]+) s\)",
                          proc.stdout)
            pages, gen, t_gen, t_mk = m.groups() if m else ("?", "?", "?", "?")
            print(f"scale {k}: {triples:>6} KB triples, {pages:>5} pages: {wall:6.1f} s wall, "
                  f"{cpu:6.1f} s CPU (generate {t_gen} s, mkdocs {t_mk} s) [run {r + 1}]",
                  flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 2],
                    help="copies of the knowledge base to build from (default: 1 2)")
    ap.add_argument("--repeat", type=int, default=1, help="builds per scale (default: 1)")
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for k in args.scale:
        run(k, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
