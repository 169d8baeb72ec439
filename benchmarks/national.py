#!/usr/bin/env python3
"""Issue 16's "Done when" in one run: educluster validate, its peers, validation inside a store,
the incremental check and the 10M row, each beside the bulk-load floor of the same file.

    .venv/bin/python benchmarks/national.py [--workdir DIR] [--runs 20] [--no-write]

One run (about half an hour on an idle 2-core machine), every measurement in a fresh process:

* the floor: pyoxigraph's ``bulk_load`` of the N-Triples file (``scale_curve.py``'s worker),
  at 1M and at 10M;
* ``educluster validate FILE`` (fast engine) at 1M and 10M, its findings against the
  generator's list;
* the peers that are installed, on the same 1M file (shapes + background as the shapes graph,
  data + background as the data graph; one ``sh:message`` per constraint, the English one,
  because Jena refuses more than one): pyrudof (``pip install pyrudof`` into the venv),
  shacl-engine under Node without SHACL-SPARQL (``npm ci --prefix tests/shacl_engine``),
  Apache Jena SHACL from Debian (``apt-get install libapache-jena-java``; Debian's jena-core
  looks for Xerces' message files under a package name they are not stored at, so a copy of
  them is put on the class path). pyshacl is not run: above ten minutes at 1M;
* ``validate --endpoint``: in an Oxigraph server and in Virtuoso 7.2 (``store_validate.py``),
  findings compared with the local run (a store that refuses is named with its reason);
* the incremental check: ``validate SUB.nt --against-store DIR`` and ``--against URL``
  (``oxigraph serve-read-only``), 1,000-triple submissions, p95 (``against.py``), against the
  1M and the 10M set.

Whole-process wall time, CPU time (user + system of the child from ``rusage``) and peak
resident memory; for the store-side runs the client's (the server works elsewhere). The table
goes into ``benchmarks/README.md`` between the ``national`` markers with the date and the
machine's load before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "loaders"))

import against  # noqa: E402
import run  # noqa: E402

START, END = "<!-- national:start -->", "<!-- national:end -->"
SH = "http://www.w3.org/ns/shacl#"
NODE_MODULES = ROOT / "tests" / "shacl_engine" / "node_modules"
PEER_TIMEOUT = 15 * 60


def log(msg: str) -> None:
    print(f"national {time.strftime('%H:%M:%S')}: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Inputs for the peers
# ---------------------------------------------------------------------------------------------

def peer_inputs(nt: Path, work: Path) -> tuple[Path, Path]:
    """``(shapes.nt, data.nt)``: shapes + background (one English ``sh:message`` per subject),
    and the data file followed by the background."""
    import rdflib

    from educluster.convert.vocab import load_vocabulary
    from educluster.validate.engine import load_shapes

    background = load_vocabulary().background()
    g = load_shapes() + background
    msg = rdflib.URIRef(SH + "message")
    for s in set(g.subjects(msg)):
        ms = sorted(g.objects(s, msg),
                    key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
        for m in ms[1:]:
            g.remove((s, msg, m))
    shapes = work / "peer-shapes.nt"
    g.serialize(str(shapes), format="nt", encoding="utf-8")
    bg = work / "peer-background.nt"
    background.serialize(str(bg), format="nt", encoding="utf-8")
    data = work / "peer-data.nt"
    with data.open("wb") as out:
        for f in (nt, bg):
            with f.open("rb") as inp:
                shutil.copyfileobj(inp, out, 1 << 20)
    return shapes, data


def jena_classpath(work: Path) -> str | None:
    """The class path of Debian's Jena and its dependencies, with Xerces' message files copied
    where Debian's jena-core looks for them; ``None`` when Jena is not installed."""
    core = Path("/usr/share/java/jena-core.jar")
    if not core.exists() or shutil.which("java") is None or shutil.which("dpkg") is None:
        return None
    fix = work / "jena-xerces-messages"
    if not fix.exists():
        import zipfile

        with zipfile.ZipFile(core) as z:
            for name in z.namelist():
                pre = "org/apache/jena/ext/xerces/"
                if name.startswith(pre) and name.endswith(".properties"):
                    dest = fix / "xerces" / name[len(pre):]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(z.read(name))
    deps = subprocess.run(["apt-cache", "depends", "--installed", "libapache-jena-java"],
                          capture_output=True, text=True).stdout
    pkgs = ["libapache-jena-java", "libhttpcore-java", "libcommons-logging-java",
            "libjackson2-annotations-java", "libcaffeine-java"]
    pkgs += [line.split(":", 1)[1].strip() for line in deps.splitlines()
             if line.strip().startswith("Depends:")]
    jars = []
    for pkg in pkgs:
        out = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True).stdout
        jars += [x for x in out.splitlines() if x.startswith("/usr/share/java/") and
                 x.endswith(".jar") and "slf4j" not in x]
    jars += ["/usr/share/java/slf4j-api.jar", "/usr/share/java/slf4j-nop.jar"]
    return ":".join(dict.fromkeys(jars)) + ":" + str(fix)


def w_pyrudof(shapes: str, data: str) -> None:
    """Child: pyrudof's native SHACL validation of ``data`` against ``shapes``."""
    import pyrudof

    r = pyrudof.Rudof(pyrudof.RudofConfig())
    r.read_data(data, format=pyrudof.RDFFormat.NTriples)
    r.read_shacl(shapes, format=pyrudof.ShaclFormat.NTriples)
    report = r.validate_shacl()
    print(json.dumps({"results": len(report), "conforms": report.conforms}))


# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------

def findings(path: Path) -> list | None:
    if not path.exists():
        return None
    return sorted((r["focus"], r["component"].replace("sh:", SH), r["severity"].replace("sh:", SH))
                  for r in json.loads(path.read_text(encoding="utf-8"))["results"])


def educluster_validate(nt: Path, summary: dict, work: Path) -> dict:
    out = work / f"report-{nt.stem}.json"
    m = run.measure(run.educluster_cmd() + ["validate", str(nt), "--format", "json", "--output",
                                            str(out), "--max-size", "100000"])
    got = findings(out)
    want = sorted((r["focus"], r["component"], r["severity"]) for r in summary["results"])
    m["results"] = len(got) if got is not None else None
    m["note"] = ("findings = the generator's list" if got == want else
                 f"findings differ from the generator's list (exit {m['code']})")
    out.unlink(missing_ok=True)
    return m


def _stopped(m: dict) -> str:
    """Why a peer gave no result: stopped at the time limit, stopped by a signal (by hand), or
    failed with its last line."""
    if m["wall"] >= PEER_TIMEOUT:
        return f"not finished: stopped at the {PEER_TIMEOUT // 60}-minute limit"
    if m["code"] < 0:
        return f"not finished: stopped by hand after {m['wall'] / 60:.0f} min"
    return f"failed (exit {m['code']}): {' '.join(m['stderr'].strip().splitlines()[-1:])}"


def peer(cmd: list[str], env: dict | None = None) -> dict:
    m = run.measure(cmd, timeout=PEER_TIMEOUT, env=env)
    j = m.get("json") or {}
    m["results"] = j.get("results")
    if m["code"] != 0 or "results" not in j:
        m["note"] = _stopped(m)
    return m


def jena(cp: str, shapes: Path, data: Path) -> dict:
    m = run.measure(["java", "-Xmx12g", "-cp", cp, "shacl.shacl", "validate", "--shapes",
                     str(shapes), "--data", str(data)], timeout=PEER_TIMEOUT)
    m["results"] = m["stdout"].count("sh:ValidationResult") if m["code"] == 0 else None
    if m["code"] != 0:
        m["note"] = _stopped(m)
    m["stdout"] = ""
    return m


def store_side(nt: Path, work: Path, local: dict) -> dict:
    """``validate --endpoint`` in Oxigraph and in Virtuoso (``store_validate.py``)."""
    import store_validate

    from educluster import engines

    graph = engines.layout([str(nt)])[-1].iri
    sub = work / "store-side"
    shutil.rmtree(sub, ignore_errors=True)
    sub.mkdir()
    base = store_validate.validate([str(nt)], sub / "local.json")
    out = {}
    for key, fn in (("oxigraph", store_validate.oxigraph_run),
                    ("virtuoso", store_validate.virtuoso_run)):
        log(f"store-side: {key}")
        try:
            m = fn(nt, graph, sub)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 -- a refusal is a row
            out[key] = {"refused": f"{type(exc).__name__}: {str(exc).strip()[-300:]}"}
            log(traceback.format_exc()[-800:])
            continue
        if m["findings"] is None:
            out[key] = {"refused": (m.get("stderr") or "").strip().splitlines()[-1:]}
            continue
        same = m["findings"] == base["findings"]
        copied = sum(1 for line in (m.get("stderr") or "").splitlines()
                     if "checked on a local copy" in line)
        out[key] = {"wall": m["wall"], "load": m["load"], "results": sum(m["findings"].values()),
                    "note": ("findings = the local run's" if same else "findings DIFFER from the "
                             "local run's") + (f"; {copied} shapes on a local copy" if copied
                                               else "")}
    shutil.rmtree(sub, ignore_errors=True)
    return out


def incremental(nt: Path, work: Path, runs: int) -> dict:
    sub = work / f"against-{nt.stem}"
    shutil.rmtree(sub, ignore_errors=True)
    try:
        m = against.measure(nt, sub, runs, "block", keep_store=False)
    finally:
        shutil.rmtree(sub, ignore_errors=True)
    t = m["times"]
    return {k: {"median": sorted(v)[len(v) // 2], "p95": against.p95(v)} for k, v in t.items()} | {
        "sizes": m["sizes"], "stored": m["stored"], "load": m["load"]}


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

def _gb(mb) -> str:
    return f"{mb / 1024:.2f} GB" if isinstance(mb, (int, float)) else "–"


def _s(x) -> str:
    return f"{x:.1f}" if isinstance(x, (int, float)) else "–"


def table(r: dict) -> str:
    m = r["machine"]
    f1, f10 = r.get("floor_1M", {}), r.get("floor_10M", {})
    L1, L10 = r.get("labels", ("1M", "10M"))
    lines = [
        f"Run {r['started']} UTC on {m.get('nproc', '?')} cores ({m.get('cpu', '')}), "
        f"{m.get('memory', '')}; load average {r['load_before']:.1f} before, "
        f"{r['load_after']:.1f} after (other work shares the machine: absolute times are "
        f"noisy, compare within the run). Data: `generate.py` seed 1, 32 defects; {L1} = "
        f"{r.get('triples_1M', 0):,} triples, {L10} = {r.get('triples_10M', 0):,}. Whole command "
        "in a fresh process; wall and CPU seconds, peak resident memory.", "",
        "| what | data | wall s | CPU s | peak memory | results | wall / load floor | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |"]

    def row(name, data, x, fl, note=""):
        if not x:
            return
        if "refused" in x:
            lines.append(f"| {name} | {data} | – | – | – | – | – | refused: "
                         f"{str(x['refused']).replace('|', '/')} |")
            return
        ratio = (f"{x['wall'] / fl['wall']:.1f}x" if fl.get("wall") and
                 isinstance(x.get("wall"), (int, float)) else "–")
        res = x.get("results")
        lines.append(f"| {name} | {data} | {_s(x.get('wall'))} | {_s(x.get('cpu'))} | "
                     f"{_gb(x.get('rss_mb'))} | {res if res is not None else '–'} | {ratio} | "
                     f"{(x.get('note') or note).replace('|', '/')} |")

    row("pyoxigraph `bulk_load` (the floor)", L1, f1, f1, "reading the data once")
    row("**educluster validate** (fast)", L1, r.get("validate_1M"), f1)
    for key, name in (("pyrudof", "pyrudof (Rust)"),
                      ("shacl_engine", "shacl-engine (Node, without SHACL-SPARQL)"),
                      ("jena", "Apache Jena SHACL 4.5 (Debian)")):
        x = r["peers"].get(key)
        if isinstance(x, str):
            lines.append(f"| {name} | {L1} | – | – | – | – | – | {x} |")
        else:
            row(name, L1, x, f1)
    lines.append(f"| pyshacl | {L1} | – | – | – | – | – | not run: above 10 min at 1M (about 618 s "
                 "in STACK-NOTES; 376 s at 100k with the query cache, `run.py`) |")
    ss = r.get("store_side", {})
    for key, name in (("oxigraph", "`validate --endpoint`, Oxigraph server"),
                      ("virtuoso", "`validate --endpoint`, Virtuoso 7.2")):
        x = ss.get(key)
        if x is not None and "refused" not in x:
            x = dict(x, note=f"{x['note']}; store loaded in {x['load']:.0f} s (not counted); "
                     "client process only")
        row(name, L1, x, f1)
    for key_, label, fl in (("1M", L1, f1), ("10M", L10, f10)):
        inc = r.get(f"against_{key_}")
        if not inc:
            continue
        n = len(inc["sizes"])
        for key, name in (("alone", "submission alone (`validate SUB.nt`)"),
                          ("store", "incremental `--against-store DIR`"),
                          ("endpoint", "incremental `--against URL` (serve-read-only)")):
            x = inc[key]
            ratio = f"{x['p95'] / fl['wall']:.2f}x" if fl.get("wall") else "–"
            lines.append(f"| {name} | 1,000 triples vs {label} | p95 {x['p95']:.2f} "
                         f"(median {x['median']:.2f}) | – | – | – | {ratio} | {n} submissions of "
                         f"{min(inc['sizes'])}–{max(inc['sizes'])} triples; store folder loaded "
                         f"in {inc['load']:.0f} s |")
    row("pyoxigraph `bulk_load` (the floor)", L10, f10, f10, "reading the data once")
    row("**educluster validate** (fast)", L10, r.get("validate_10M"), f10)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------

def floor_and_validate(r: dict, key: str, label: str, work: Path) -> Path:
    """Generate the ``label`` set, then measure the floor and the whole validate command on it,
    one after the other in this run, into ``r`` under ``floor_KEY`` / ``validate_KEY``."""
    nt, summary = run.generate(work, label)
    r[f"triples_{key}"] = summary.get("triples") or sum(1 for _ in nt.open("rb"))
    log(f"{key} floor and validate")
    r[f"floor_{key}"] = run.floor(nt)
    r[f"validate_{key}"] = educluster_validate(nt, summary, work)
    return nt


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/educluster-national"))
    ap.add_argument("--runs", type=int, default=20, help="submissions per incremental check")
    ap.add_argument("--sizes", default="1M,10M",
                    help="the two set sizes (a smoke run: 10k,100k); the table says 1M and 10M")
    ap.add_argument("--skip", default="", help="comma-separated: peers,store,against,10M")
    ap.add_argument("--no-write", action="store_true", help="print, do not edit the README")
    ap.add_argument("--render", metavar="JSON",
                    help="write the table again from a run's national.json (no measuring)")
    ap.add_argument("--worker", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        w_pyrudof(*a.worker)
        return 0
    if a.render:
        r = json.loads(Path(a.render).read_text(encoding="utf-8"))
        for x in r["peers"].values():
            if isinstance(x, dict) and x.get("code"):
                x["note"] = _stopped(x)
        write(r, a.no_write)
        return 0
    skip = set(filter(None, a.skip.split(",")))
    work = a.workdir
    work.mkdir(parents=True, exist_ok=True)
    r = {"machine": run.machine(), "started": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
         "load_before": os.getloadavg()[0], "peers": {}}
    small, big = a.sizes.split(",")
    r["labels"] = (small, big)
    nt1 = floor_and_validate(r, "1M", small, work)
    if "peers" not in skip:
        shapes, data = peer_inputs(nt1, work)
        log("pyrudof")
        try:
            import pyrudof  # noqa: F401
            r["peers"]["pyrudof"] = peer([sys.executable, str(Path(__file__).resolve()),
                                          "--worker", str(shapes), str(data)])
        except ImportError:
            r["peers"]["pyrudof"] = "not installed (pip install pyrudof)"
        log("shacl-engine")
        if shutil.which("node") and (NODE_MODULES / "shacl-engine").is_dir():
            r["peers"]["shacl_engine"] = peer(["node", "--max-old-space-size=16000",
                                               str(HERE / "peer_shacl_engine.mjs"),
                                               str(NODE_MODULES), str(shapes), str(data)])
        else:
            r["peers"]["shacl_engine"] = ("not installed (npm ci --prefix tests/shacl_engine)")
        log("jena")
        cp = jena_classpath(work)
        r["peers"]["jena"] = (jena(cp, shapes, data) if cp else
                              "not installed (apt-get install libapache-jena-java)")
        data.unlink(missing_ok=True)
        log(json.dumps({k: (v if isinstance(v, str) else {x: v.get(x) for x in
                                                            ("wall", "cpu", "rss_mb", "results",
                                                             "note")})
                        for k, v in r["peers"].items()}))
    if "store" not in skip:
        r["store_side"] = store_side(nt1, work, r["validate_1M"])
        log(json.dumps(r["store_side"]))
    if "against" not in skip:
        log("incremental at 1M")
        r["against_1M"] = incremental(nt1, work, a.runs)
        log(json.dumps(r["against_1M"]))
    if "10M" not in skip:
        nt10 = floor_and_validate(r, "10M", big, work)
        if "against" not in skip:
            log("incremental at 10M")
            r["against_10M"] = incremental(nt10, work, a.runs)
            log(json.dumps(r["against_10M"]))
    r["load_after"] = os.getloadavg()[0]
    for k in list(r):
        if isinstance(r[k], dict):
            for x in [r[k]] + [v for v in r[k].values() if isinstance(v, dict)]:
                x.pop("stdout", None)
                x.pop("json", None)
    (work / "national.json").write_text(json.dumps(r, indent=1, default=str), encoding="utf-8")
    write(r, a.no_write)
    return 0


def write(r: dict, no_write: bool) -> None:
    """Print the table and put it into benchmarks/README.md (atomically)."""
    text = table(r)
    print(text)
    if not no_write:
        run.write_section(START, END, "Issue 16 in one run: peers, inside a store, incremental, "
                          "10M", text, intro="    .venv/bin/python benchmarks/national.py")


if __name__ == "__main__":
    raise SystemExit(main())
