"""``educluster serve``: a read-only SPARQL endpoint on 127.0.0.1 over the knowledge base (+ data).

The ontology, the knowledge base and each ``--data`` file are bulk-loaded here, each in its
own named graph, into an on-disk store in a temporary folder by
:func:`educluster.engines.oxigraph_store` (the same path as ``query``: a broken file is
reported by name and line; the default graph is the merge of all graphs, read as the union
when no triple stands in two graphs, else materialised). Then ``oxigraph serve-read-only
--location DIR --bind 127.0.0.1:PORT [--union-default-graph]`` (the ``oxigraph`` program
from PyPI) serves it: SPARQL 1.1 Protocol at ``/query``, a query page at ``/``.

The endpoint URL is the first line on standard output. Ctrl-C or SIGTERM stops the server
and removes the temporary store. The server also stops if this process dies (Linux
parent-death signal).
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from educluster.errors import UserError


class _Stop(Exception):
    """Raised by the SIGTERM handler to leave the wait loop through ``finally``."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: the server just outlives a killed parent
        pass


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _check_port(port: int) -> None:
    import socket

    if not 1 <= port <= 65535:
        raise UserError(f"--port {port}: use a number from 1 to 65535 (or 0 for any free port)")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as the server will: a port in TIME_WAIT is free, one with a listener is not
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            raise UserError(f"port {port} on 127.0.0.1 is in use ({exc.strerror or exc}); pass "
                            "--port with another number, or --port 0 for any free port") from exc


def _ready(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def graph_sizes(dataset, specs) -> dict[str, int]:
    """The number of triples in each graph of ``specs`` (for the start-up lines)."""
    import pyoxigraph as ox

    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    sizes = {}
    for spec in specs:
        rows = list(dataset.store.query(q, substitutions={ox.Variable("g"): ox.NamedNode(spec.iri)}))
        sizes[spec.iri] = int(rows[0]["n"].value) if rows else 0
    return sizes


def run(args) -> int:
    import shutil
    import subprocess
    import tempfile

    from educluster import engines

    specs = engines.layout(args.data or [], args.ontology_dir, args.kb_dir)
    binary = engines.oxigraph_binary()
    if args.timeout is not None and args.timeout <= 0:
        raise UserError("--timeout must be a positive number of seconds")
    port = free_port() if args.port == 0 else args.port
    _check_port(port)

    tmp = Path(tempfile.mkdtemp(prefix="educluster-serve-"))
    proc = None
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise _Stop()

    signal.signal(signal.SIGTERM, on_term)
    try:
        store = tmp / "store"
        dataset = engines.oxigraph_store(specs, path=store)
        counts = graph_sizes(dataset, specs)
        union = dataset.union_default
        dataset.flush()
        del dataset  # release the store's lock before the server opens it
        cmd = [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"]
        if union:
            cmd.append("--union-default-graph")
        if args.timeout is not None:
            cmd += ["--timeout-s", str(args.timeout)]
        log = open(tmp / "server.log", "wb")
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 30
        while not _ready(port):
            if proc.poll() is not None:
                text = (tmp / "server.log").read_text("utf-8", "replace").strip()
                first = (text.splitlines() or ["(no message)"])[-1]
                raise UserError(f"the oxigraph server did not start (exit code {proc.returncode}): "
                                f"{first}")
            if time.monotonic() > deadline:
                raise UserError("the oxigraph server did not start within 30 s; try again or "
                                "pass another --port")
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/query"
        print(url, flush=True)
        for spec in specs:
            print(f"educluster serve: graph <{spec.iri}>: {spec.name}, "
                  f"{counts.get(spec.iri, 0)} triples", file=sys.stderr)
        print(f"educluster serve: the default graph is the merge of all graphs; query page at "
              f"http://127.0.0.1:{port}/ ; read-only; Ctrl-C stops the server", file=sys.stderr,
              flush=True)
        code = proc.wait()
        text = (tmp / "server.log").read_text("utf-8", "replace").strip()
        first = (text.splitlines() or ["(no message)"])[-1]
        raise UserError(f"the oxigraph server stopped by itself (exit code {code}): {first}")
    except (KeyboardInterrupt, _Stop):
        print("educluster serve: stopped", file=sys.stderr)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
