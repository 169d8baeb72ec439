#!/usr/bin/env python3
"""Scale and speed of educluster, measured in one run, side by side.

    .venv/bin/python benchmarks/run.py            # 10k, 100k and 1M triples (about half an hour)
    .venv/bin/python benchmarks/run.py --quick    # 10k only, a smoke run (a few minutes)

Measures, each in a fresh subprocess (wall time; peak resident memory from the child's own
``rusage``, read with ``os.wait4``):

* loading N-Triples: rdflib ``Graph.parse`` versus pyoxigraph ``Store.bulk_load``;
* validation with our shapes and background: the fast path (``educluster.fastvalidate``,
  what ``educluster validate`` runs by default) versus pyshacl -- plain, and with the query
  cache ``educluster validate --engine pyshacl`` installs (same results, parses each SPARQL
  text once) -- and whether the results are equal (and equal to the generator's list);
* every competency question (``ontology/cq/*.rq``) on knowledge base + data: median and
  95th percentile, embedded (pyoxigraph) and served over HTTP (``oxigraph serve-read-only``);
* ``educluster site build`` once; ``educluster --help`` and ``educluster query --list``
  start-up (median of 10).

It prints a table of absolute figures and ratios and writes it into ``benchmarks/README.md``
(between the ``results`` markers) with the machine it ran on. Data sets come from
``benchmarks/generate.py`` (seed 1, 32 known defects) and are kept in ``--workdir``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "benchmarks" / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
#: pyshacl at 1M, from ../shared/STACK-NOTES.md (same machine kind, a comparable shapes graph);
#: not re-measured: at our shapes it would take hours.
STACK_NOTES_PYSHACL_1M = "about 618 s (STACK-NOTES, not re-measured)"


# ---------------------------------------------------------------------------------------------
# Measuring a child process
# ---------------------------------------------------------------------------------------------

def measure(cmd: list[str], timeout: float | None = None, env: dict | None = None) -> dict:
    """Run ``cmd``; its wall seconds, peak RSS (MB), exit code, stdout (and the JSON it
    printed last, if any)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                         env=env)
    out: dict[str, bytes] = {}

    def read(name, stream):
        out[name] = stream.read()
    threads = [threading.Thread(target=read, args=(n, s)) for n, s in
               (("stdout", p.stdout), ("stderr", p.stderr))]
    for t in threads:
        t.start()
    killer = None
    if timeout:
        killer = threading.Timer(timeout, p.kill)
        killer.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if killer:
        killer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join()
    stdout = out.get("stdout", b"").decode("utf-8", "replace")
    res = {"wall": wall, "rss_mb": ru.ru_maxrss / 1024, "code": p.returncode, "stdout": stdout,
           "stderr": out.get("stderr", b"").decode("utf-8", "replace")[-2000:],
           "cpu": ru.ru_utime + ru.ru_stime}
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                res["json"] = json.loads(line)
            except json.JSONDecodeError:
                pass
            break
    return res


def worker_cmd(task: str, *args: str) -> list[str]:
    """The command line that runs worker ``task`` in a fresh process; an unknown name stops at
    once (a misspelt one made every floor a 0.1 s traceback, and every ratio to it nonsense)."""
    if task not in WORKERS:
        raise SystemExit(f"unknown benchmark worker {task!r}; one of {', '.join(sorted(WORKERS))}")
    return [sys.executable, str(Path(__file__).resolve()), "--worker", task, *args]


def floor(nt: Path) -> dict:
    """The floor every validation ratio is taken against: pyoxigraph's bulk load of ``nt`` into
    a fresh in-memory store, in a fresh process (wall time and peak memory of that process).
    A worker that failed stops the run: a ratio to a failed load's time means nothing."""
    m = measure(worker_cmd("parse-oxigraph", str(nt)))
    if m["code"] != 0:
        raise SystemExit(f"floor: the bulk load of {nt} failed: {m['stderr'][-300:]}")
    return m


def each_size(sizes: str, run_one) -> dict:
    """``run_one(label)`` for each comma-separated size label, in order, printing each result
    as it comes (a long run shows its progress); an unknown label stops before anything runs."""
    labels = [x for x in sizes.split(",") if x]
    unknown = [x for x in labels if x not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size {unknown[0]}; use {', '.join(SIZES)}")
    results = {}
    for label in labels:
        results[label] = run_one(label)
        print(label, json.dumps(results[label]), flush=True)
    return results


# ---------------------------------------------------------------------------------------------
# Workers (run in the child process)
# ---------------------------------------------------------------------------------------------

def _setting():
    sys.path.insert(0, str(REPO / "loaders"))
    import logging

    logging.disable(logging.CRITICAL)
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate.engine import load_shapes

    return load_shapes(), load_vocabulary().background()


def _save_keys(results, path: str) -> None:
    rows = sorted([str(r.focus), r.path_text, str(r.component), str(r.severity)] for r in results)
    Path(path).write_text(json.dumps(rows), encoding="utf-8")


def w_parse_rdflib(nt: str) -> dict:
    import rdflib

    t = time.perf_counter()
    g = rdflib.Graph()
    g.parse(nt, format="nt")
    return {"seconds": time.perf_counter() - t, "triples": len(g)}


def w_parse_oxigraph(nt: str) -> dict:
    import pyoxigraph as ox

    t = time.perf_counter()
    s = ox.Store()
    s.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
    return {"seconds": time.perf_counter() - t, "triples": len(s)}


def w_validate_fast(nt: str, keys_out: str) -> dict:
    t0 = time.perf_counter()
    shapes, background = _setting()
    from educluster.fastvalidate import validate

    t1 = time.perf_counter()
    timings: dict = {}
    res = validate([nt], shapes, background, timings=timings)
    t2 = time.perf_counter()
    _save_keys(res, keys_out)
    sev = [str(r.severity).rsplit("#", 1)[1] for r in res]
    return {"seconds": t2 - t0, "setup": t1 - t0, "load": timings["load"],
            "validate": timings["validate"], "queries": timings["queries"],
            "results": len(res), "violations": sev.count("Violation"), "warnings": sev.count("Warning")}


def w_validate_pyshacl(nt: str, keys_out: str, cache: str) -> dict:
    t0 = time.perf_counter()
    shapes, background = _setting()
    if cache == "cache":
        from educluster.validate.engine import install_query_cache

        install_query_cache()
    from educluster.fastvalidate.reference import merged_graph, pyshacl_validate

    t1 = time.perf_counter()
    import rdflib

    data = rdflib.Graph()
    data.parse(nt, format="nt")
    g = merged_graph(data, background)
    t2 = time.perf_counter()
    res = pyshacl_validate(None, shapes, merged=g)
    t3 = time.perf_counter()
    _save_keys(res, keys_out)
    return {"seconds": t3 - t0, "setup": t1 - t0, "load": t2 - t1, "validate": t3 - t2,
            "results": len(res)}


def largest_cluster(nt: Path) -> str:
    """The IRI of the cluster with the most memberships in a generated N-Triples file: the
    value the benchmark binds to every ``cluster`` parameter (the questions' own examples name
    the Tashkent and fictional clusters, which the synthetic data does not hold, so they would
    measure empty answers)."""
    import collections

    pattern = re.compile(rb"<http://www\.w3\.org/ns/org#organization> <([^>]+)> \.")
    counts = collections.Counter(m.group(1) for m in pattern.finditer(nt.read_bytes()))
    return counts.most_common(1)[0][0].decode()


def _questions(cluster: str | None = None):
    sys.path.insert(0, str(REPO / "loaders"))
    from educluster.query import catalogue
    from educluster.query.sparql import prepare

    out = []
    for q in catalogue.questions():
        params = [f"{p.name}=<{cluster}>" if p.name == "cluster" and cluster
                  else f"{p.name}={p.example}" for p in q.params]
        out.append((q.id, prepare(q.text(), q.path, params)))
    return out


def _timed_runs(fn, repeat: int, cap: float) -> list[float]:
    fn()                                 # warm-up (not counted)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if times[-1] > cap:              # a slow question: a few runs are enough
            break
    return times


def _stats(times: list[float]) -> dict:
    s = sorted(times)
    p95 = s[min(len(s) - 1, max(0, int(round(0.95 * len(s) + 0.5)) - 1))]
    return {"median": statistics.median(s), "p95": p95, "runs": len(s)}


def w_cq_embedded(nt: str, repeat: str, cluster: str = "") -> dict:
    sys.path.insert(0, str(REPO / "loaders"))
    import pyoxigraph as ox

    from educluster import engines
    from educluster.query import results as R

    t = time.perf_counter()
    specs = engines.layout([nt])
    store = engines.oxigraph_store(specs)
    load = time.perf_counter() - t
    out = {}
    for qid, prep in _questions(cluster or None):
        subs = {ox.Variable(n): R.to_oxigraph(term) for n, term in prep.bindings.items()} or None

        def run():
            res = store.query(prep.text, substitutions=subs)
            if isinstance(res, (ox.QuerySolutions, ox.QueryTriples)):
                list(res)
        out[qid] = _stats(_timed_runs(run, int(repeat), 10.0))
    return {"load": load, "questions": out}


def w_cq_http(nt: str, repeat: str, cluster: str = "") -> dict:
    sys.path.insert(0, str(REPO / "loaders"))
    from educluster import engines
    from educluster.query.remote import run_endpoint

    tmp = Path(tempfile.mkdtemp(prefix="educluster-bench-store-"))
    server = None
    try:
        t = time.perf_counter()
        store = engines.oxigraph_store(engines.layout([nt]), path=tmp / "store")
        union = ["--union-default-graph"] if store.union_default else []
        store.flush()
        del store
        load = time.perf_counter() - t
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([engines.oxigraph_binary(), "serve-read-only", "--location",
                                   str(tmp / "store"), "--bind", f"127.0.0.1:{port}", *union],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/query"
        deadline = time.time() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        out = {}
        for qid, prep in _questions(cluster or None):
            out[qid] = _stats(_timed_runs(lambda: run_endpoint(prep, url, timeout=120), int(repeat), 10.0))
        return {"load": load, "questions": out}
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


WORKERS = {"parse-rdflib": w_parse_rdflib, "parse-oxigraph": w_parse_oxigraph,
           "validate-fast": w_validate_fast, "validate-pyshacl": w_validate_pyshacl,
           "cq-embedded": w_cq_embedded, "cq-http": w_cq_http}


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------

def machine() -> dict:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    versions = {}
    for mod in ("rdflib", "pyshacl", "pyoxigraph"):
        try:
            m = __import__(mod)
            versions[mod] = getattr(m, "__version__", "?")
        except ImportError:
            versions[mod] = "missing"
    try:
        from importlib.metadata import version

        versions["oxigraph (server)"] = version("oxigraph")
    except Exception:  # noqa: BLE001
        versions["oxigraph (server)"] = "?"
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem,
            "python": platform.python_version(), "os": platform.platform(),
            "load_before": os.getloadavg()[0], **versions}


def generate(workdir: Path, label: str) -> tuple[Path, dict]:
    out = workdir / f"clusters-{label}.nt"
    side = Path(str(out) + ".defects.json")
    if not (out.exists() and side.exists()):
        r = subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples",
                            str(SIZES[label]), "--seed", "1", "--defects", "32", "-o", str(out)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"run: generate.py failed: {r.stderr}")
    return out, json.loads(side.read_text(encoding="utf-8"))


def log(msg: str) -> None:
    print(f"run: {msg}", file=sys.stderr, flush=True)


def educluster_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "educluster"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "educluster"]


def measure_cli(nt: Path, summary: dict, extra: tuple[str, ...] = ()) -> dict:
    """``educluster validate FILE`` as a user runs it (default engine and size limit unless
    ``extra`` says otherwise, JSON report to a file), and whether its results are the
    generator's."""
    out = Path(tempfile.mkdtemp(prefix="educluster-bench-")) / "report.json"
    m = measure(educluster_cmd() + ["validate", str(nt), "--format", "json", "--output", str(out),
                                    *extra])
    got = None
    if out.exists():
        sh = "http://www.w3.org/ns/shacl#"
        got = sorted((r["focus"], r["component"].replace("sh:", sh), r["severity"].replace("sh:", sh))
                     for r in json.loads(out.read_text(encoding="utf-8"))["results"])
    want = sorted((r["focus"], r["component"], r["severity"]) for r in summary["results"])
    shutil.rmtree(out.parent, ignore_errors=True)
    return {"wall": m["wall"], "rss_mb": m["rss_mb"], "code": m["code"],
            "equals_generator": got == want, "stderr": m["stderr"][-300:] if got is None else ""}


def keys_equal(a: Path, b: Path) -> bool:
    return json.loads(a.read_text()) == json.loads(b.read_text())


def expected_keys(summary: dict) -> list:
    rows = []
    for r in summary["results"]:
        p = r["path"]
        p = f"(^<{p[1:]}>)" if p.startswith("^") else f"<{p}>"
        rows.append([r["focus"], p, r["component"], r["severity"]])
    return sorted(rows)


def run_all(a) -> dict:
    workdir = Path(a.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    labels = ["10k"] if a.quick else ["10k", "100k", "1M"]
    report: dict = {"machine": machine(), "sizes": {}, "started": time.strftime("%Y-%m-%d %H:%M")}
    for label in labels:
        log(f"{label}: generating")
        nt, summary = generate(workdir, label)
        row: dict = {"triples": summary["triples"], "expected": len(summary["results"])}
        report["sizes"][label] = row
        for task in ("parse-rdflib", "parse-oxigraph"):
            if task == "parse-rdflib" and label == "1M" and a.skip_rdflib_1m:
                continue
            log(f"{label}: {task}")
            m = measure(worker_cmd(task, str(nt)))
            row[task] = {"seconds": m["json"]["seconds"], "rss_mb": m["rss_mb"]} if "json" in m else {"error": m["stderr"][-300:]}
        log(f"{label}: validate (fast)")
        fk = workdir / f"keys-fast-{label}.json"
        m = measure(worker_cmd("validate-fast", str(nt), str(fk)))
        if "json" in m:
            row["fast"] = {**m["json"], "wall": m["wall"], "rss_mb": m["rss_mb"], "cpu": m["cpu"]}
            row["fast"]["equals_generator"] = json.loads(fk.read_text()) == expected_keys(summary)
        else:
            row["fast"] = {"error": m["stderr"][-500:]}
        if label in a.cli:
            log(f"{label}: educluster validate (the command, fast engine)")
            row["cli"] = measure_cli(nt, summary)
        variants = []
        if label in a.pyshacl_plain:
            variants.append(("pyshacl", "plain"))
        if label in a.pyshacl:
            variants.append(("pyshacl+cache", "cache"))
        for name, cache in variants:
            log(f"{label}: validate ({name}); this takes minutes")
            pk = workdir / f"keys-{name}-{label}.json"
            m = measure(worker_cmd("validate-pyshacl", str(nt), str(pk), cache))
            if "json" in m:
                row[name] = {**m["json"], "wall": m["wall"], "rss_mb": m["rss_mb"], "cpu": m["cpu"],
                             "equal_to_fast": fk.exists() and keys_equal(fk, pk)}
            else:
                row[name] = {"error": m["stderr"][-500:]}
    cq_label = labels[-1]
    nt, _ = generate(workdir, cq_label)
    cluster = largest_cluster(nt)
    log(f"competency questions on KB + {cq_label} (embedded; cluster = {cluster})")
    m = measure(worker_cmd("cq-embedded", str(nt), str(a.repeat), cluster))
    report["cq"] = {"data": cq_label, "embedded": m.get("json", {"error": m["stderr"][-500:]}),
                    "embedded_rss_mb": m["rss_mb"], "cluster": cluster}
    if not a.no_http:
        log(f"competency questions on KB + {cq_label} (HTTP)")
        m = measure(worker_cmd("cq-http", str(nt), str(a.repeat), cluster))
        report["cq"]["http"] = m.get("json", {"error": m["stderr"][-500:]})
    ec = educluster_cmd()
    if not a.no_site:
        log("educluster site build")
        m = measure(ec + ["site", "build"])
        report["site"] = {"wall": m["wall"], "rss_mb": m["rss_mb"], "code": m["code"]}
    log("start-up")
    report["startup"] = {}
    for name, args in (("educluster --help", ["--help"]), ("educluster query --list", ["query", "--list"])):
        times = [measure(ec + args)["wall"] for _ in range(10)]
        report["startup"][name] = statistics.median(times)
    report["machine"]["load_after"] = os.getloadavg()[0]
    return report


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

def _s(x, digits=1) -> str:
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 10:
        return f"{x:.1f} s"
    return f"{x:.{digits + 1}f} s"


def _mb(x) -> str:
    if x is None:
        return "–"
    return f"{x / 1024:.2f} GB" if x >= 1024 else f"{x:.0f} MB"


def _ratio(a, b) -> str:
    if not a or not b:
        return "–"
    return f"{b / a:.0f}×" if b / a >= 10 else f"{b / a:.1f}×"


def table(report: dict) -> str:
    m = report["machine"]
    lines = [f"Run {report['started']} on {m['nproc']} cores ({m['cpu'] or 'unknown CPU'}), "
             f"{m['memory']} memory, Python {m['python']}, rdflib {m['rdflib']}, pyshacl "
             f"{m['pyshacl']}, pyoxigraph {m['pyoxigraph']}, oxigraph server "
             f"{m['oxigraph (server)']}; {m['os']}. Load average {m['load_before']:.1f} before, "
             f"{m.get('load_after', 0):.1f} after (other work on the machine makes absolute "
             "times noisy; the ratios are what to trust).", ""]
    sizes = report["sizes"]
    labels = list(sizes)
    head = "| | " + " | ".join(f"{lb} ({sizes[lb]['triples']:,} triples)" for lb in labels) + " |"
    lines += [head, "|---" * (len(labels) + 1) + "|"]

    def row(name, fn):
        lines.append(f"| {name} | " + " | ".join(fn(sizes[lb], lb) for lb in labels) + " |")

    def get(d, *ks):
        for k in ks:
            if not isinstance(d, dict) or k not in d:
                return None
            d = d[k]
        return d

    row("parse N-Triples, rdflib", lambda r, lb: f"{_s(get(r, 'parse-rdflib', 'seconds'))}, {_mb(get(r, 'parse-rdflib', 'rss_mb'))}"
        if get(r, "parse-rdflib", "seconds") else "not run")
    row("parse N-Triples, pyoxigraph", lambda r, lb: f"{_s(get(r, 'parse-oxigraph', 'seconds'))}, {_mb(get(r, 'parse-oxigraph', 'rss_mb'))}")
    row("**parse: pyoxigraph faster by**", lambda r, lb: _ratio(get(r, "parse-oxigraph", "seconds"), get(r, "parse-rdflib", "seconds")))
    row("fast engine alone (`fastvalidate.validate`; wall, whole process)", lambda r, lb: f"**{_s(get(r, 'fast', 'wall'))}**, {_mb(get(r, 'fast', 'rss_mb'))}")
    row("… of which loading / validating", lambda r, lb: f"{_s(get(r, 'fast', 'load'))} / {_s(get(r, 'fast', 'validate'))}")
    row("… results (violations + warnings)", lambda r, lb: f"{get(r, 'fast', 'results')} ({get(r, 'fast', 'violations')} + {get(r, 'fast', 'warnings')}); generator expects {r['expected']}: "
        + ("equal" if get(r, "fast", "equals_generator") else "**differ**"))
    row("**`educluster validate FILE`** (the command, default engine; wall, peak memory)",
        lambda r, lb: (f"**{_s(get(r, 'cli', 'wall'))}**, {_mb(get(r, 'cli', 'rss_mb'))}; "
                       + ("results equal the generator's" if get(r, "cli", "equals_generator")
                          else "**results differ**")) if get(r, "cli", "wall") else "not run")
    for name in ("pyshacl", "pyshacl+cache"):
        label = {"pyshacl": "validate, plain pyshacl (wall)",
                 "pyshacl+cache": "validate, pyshacl + query cache (`--engine pyshacl`)"}[name]

        def cell(r, lb, name=name):
            if name not in r:
                if name == "pyshacl" and lb == "1M":
                    return STACK_NOTES_PYSHACL_1M
                return "not run"
            if "error" in r[name]:
                return "failed"
            eq = "same results" if r[name].get("equal_to_fast") else "**results differ**"
            return f"{_s(r[name]['wall'])}, {_mb(r[name]['rss_mb'])}; {eq}"
        row(label, cell)

        def ratio(r, lb, name=name):
            ours = get(r, "cli", "wall") or get(r, "fast", "wall")
            if name in r and "wall" in r[name]:
                return _ratio(ours, r[name]["wall"])
            if name == "pyshacl" and lb == "1M" and ours:
                return f"≈{618 / ours:.0f}× (against STACK-NOTES)"
            return "–"
        row(f"**`educluster validate` faster than {name} by** (the command where measured, "
            "else the engine)", ratio)
    lines.append("")
    for note in report.get("notes", ()):
        lines += [note, ""]
    cq = report.get("cq", {})
    for mode in ("embedded", "http"):
        d = cq.get(mode)
        if not d or "questions" not in d:
            continue
        qs = d["questions"]
        p95s = sorted(((v["p95"], k) for k, v in qs.items()), reverse=True)
        meds = [v["median"] for v in qs.values()]
        lines.append(f"Competency questions ({len(qs)}) on knowledge base + {cq['data']} data, "
                     f"{'embedded pyoxigraph' if mode == 'embedded' else 'over HTTP (oxigraph serve-read-only)'}"
                     f" (store loaded in {_s(d['load'])}; `cluster` parameters bound to the "
                     f"largest synthetic cluster, {'/'.join(cq.get('cluster', '?').rsplit('/', 2)[-2:])}): median of medians {_s(statistics.median(meds), 2)}, "
                     f"slowest 95th percentile **{_s(p95s[0][0], 2)}** ({p95s[0][1]}); "
                     f"{sum(1 for p, _ in p95s if p < 1.0)} of {len(qs)} under 1 s. Slowest five: "
                     + ", ".join(f"{k} {_s(p, 2)}" for p, k in p95s[:5]) + ".")
        lines.append("")
    if "site" in report:
        lines.append(f"`educluster site build`: {_s(report['site']['wall'])}, "
                     f"{_mb(report['site']['rss_mb'])} (exit {report['site']['code']}).")
    for name, sec in report.get("startup", {}).items():
        lines.append(f"`{name}`: {sec:.2f} s (median of 10).")
    return "\n".join(lines) + "\n"


def write_section(start: str, end: str, heading: str, text: str, intro: str = "") -> None:
    """Put ``text`` between the ``start`` and ``end`` markers of benchmarks/README.md (a new
    section under ``heading``, then ``intro``, at the end the first time), atomically; every
    benchmark script writes its table this way."""
    body = README.read_text(encoding="utf-8") if README.exists() else ""
    block = f"{start}\n{text}\n{end}"
    if start in body and end in body:
        a, b = body.index(start), body.index(end) + len(end)
        body = body[:a] + block + body[b:]
    else:
        body = body.rstrip() + f"\n\n## {heading}\n\n" + (intro + "\n\n" if intro else "") \
            + block + "\n"
    tmp = README.with_suffix(".md.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, README)


def write_readme(text: str) -> None:
    write_section(START, END, "Results", text.rstrip("\n"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k triples only (a smoke run)")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "educluster-bench"),
                    help="where the generated data sets are kept")
    ap.add_argument("--pyshacl", default=None,
                    help="sizes for pyshacl with the query cache (default: 10k,100k; quick: 10k)")
    ap.add_argument("--pyshacl-plain", default=None,
                    help="sizes for plain pyshacl (default: 10k; quick: none)")
    ap.add_argument("--cli", default=None,
                    help="sizes for the educluster validate command (default: 10k,100k,1M; quick: 10k)")
    ap.add_argument("--repeat", type=int, default=10, help="runs per competency question")
    ap.add_argument("--from-json", help="only render the table of a saved --json report")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP endpoint")
    ap.add_argument("--no-site", action="store_true", help="skip educluster site build")
    ap.add_argument("--skip-rdflib-1m", action="store_true", help="skip rdflib parsing at 1M")
    ap.add_argument("--no-readme", action="store_true", help="print only; do not write README.md")
    ap.add_argument("--json", help="also write the raw figures to this file")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        res = WORKERS[a.worker[0]](*a.worker[1:])
        print(json.dumps(res))
        return 0
    if a.from_json:
        text = table(json.loads(Path(a.from_json).read_text(encoding="utf-8")))
        print(text)
        if not a.no_readme:
            write_readme(text)
        return 0
    split = lambda s: [x for x in s.split(",") if x] if s is not None else None  # noqa: E731
    a.cli = split(a.cli) if a.cli is not None else (["10k"] if a.quick else ["10k", "100k", "1M"])
    a.pyshacl = split(a.pyshacl) if a.pyshacl is not None else (["10k"] if a.quick else ["10k", "100k"])
    a.pyshacl_plain = split(a.pyshacl_plain) if a.pyshacl_plain is not None else ([] if a.quick else ["10k"])
    report = run_all(a)
    text = table(report)
    print(text)
    if a.json:
        Path(a.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    if not a.no_readme:
        write_readme(text)
        log(f"wrote {README.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
