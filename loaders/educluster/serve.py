"""``educluster serve``: a read-only SPARQL endpoint on 127.0.0.1 over the knowledge base (+ data).

The ontology, the knowledge base and each ``--data`` file are bulk-loaded here, each in its
own named graph, into an on-disk store in a temporary folder by
:func:`educluster.engines.oxigraph_store` (the same path as ``query``: a broken file is
reported by name and line; the default graph is the merge of all graphs, read as the union
when no triple stands in two graphs, else materialised). Then ``oxigraph serve-read-only
--location DIR --bind 127.0.0.1:PORT [--union-default-graph]`` (the ``oxigraph`` program
from PyPI) serves it: SPARQL 1.1 Protocol at ``/query``, a query page at ``/``.

Clients talk to a small front (:mod:`educluster.serve_front`) on 127.0.0.1 that forwards to
the Oxigraph process on another loopback port: loopback ``Host`` names only, no ``SERVICE``,
bounded nesting, a default query timeout (:data:`DEFAULT_TIMEOUT`) with an error status for
a cancelled query, a memory limit on the store process (``--memory-mb``, default half the
machine's memory) and a restart of that process if it dies.

The endpoint URL is the first line on standard output. Ctrl-C or SIGTERM stops the server
and removes the temporary store. The server also stops if this process dies (Linux
parent-death signal).
"""

from __future__ import annotations

import math
import signal
import sys
import time
from pathlib import Path

from educluster.errors import UserError
from educluster.i18n import _, ngettext


#: Seconds after which the server stops a query when --timeout is not given.
DEFAULT_TIMEOUT = 30


class _Stop(Exception):
    """Raised by the SIGTERM handler to leave the wait loop through ``finally``."""


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int, exc: OSError) -> str:
    """The one line that says a port is taken and what to do."""
    return _("port {port} on 127.0.0.1 is in use ({reason}); pass --port with another number, "
             "or --port 0 for any free port").format(port=port, reason=exc.strerror or exc)


def _check_port(port: int) -> None:
    import socket

    if not 1 <= port <= 65535:
        raise UserError(_("--port {port}: use a number from 1 to 65535 (or 0 for any free "
                          "port)").format(port=port))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as the server will: a port in TIME_WAIT is free, one with a listener is not
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            raise UserError(port_in_use(port, exc)) from exc


def graph_sizes(dataset, specs) -> dict[str, int]:
    """The number of triples in each graph of ``specs`` (for the start-up lines)."""
    import pyoxigraph as ox

    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    sizes = {}
    for spec in specs:
        rows = list(dataset.store.query(q, substitutions={ox.Variable("g"): ox.NamedNode(spec.iri)}))
        sizes[spec.iri] = int(rows[0]["n"].value) if rows else 0
    return sizes


def default_memory_mb() -> int:
    """Half the machine's memory, in megabytes (the store process's default limit)."""
    import os

    try:
        return max(512, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2 >> 20)
    except (ValueError, OSError, AttributeError):
        return 4096


def check_origin(origin: str) -> str:
    """``origin`` if it is one web origin (``scheme://host[:port]``, nothing after it); a
    wildcard or a URL with a path is refused (only the given origin may read answers)."""
    import urllib.parse

    parts = urllib.parse.urlsplit(origin)
    try:
        parts.port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or \
            parts.path or parts.query or parts.fragment or "@" in parts.netloc or \
            any(c.isspace() for c in origin):
        raise UserError(_("--cors {value} is not one origin; give it as the browser sends it, "
                          "e.g. http://localhost:8080 (no path, no '*')").format(
            value=repr(origin)))
    return origin


def run(args) -> int:
    import shutil
    import tempfile
    import threading

    from educluster import engines
    from educluster.termsafe import visible
    from educluster.query_page import render as render_page
    from educluster.serve_front import FrontServer, StoreProcess, make_handler

    specs = engines.layout(args.data or [], args.ontology_dir, args.kb_dir)
    binary = engines.oxigraph_binary()
    timeout = DEFAULT_TIMEOUT if args.timeout is None else args.timeout
    if timeout <= 0:
        raise UserError(_("--timeout must be a positive number of seconds"))
    memory_mb = getattr(args, "memory_mb", None) or default_memory_mb()
    if memory_mb < 256:
        raise UserError(_("--memory-mb must be at least 256 (the store process needs that "
                          "much to start)"))
    cors = check_origin(args.cors) if getattr(args, "cors", None) else None
    port = free_port() if args.port == 0 else args.port
    _check_port(port)

    tmp = Path(tempfile.mkdtemp(prefix="educluster-serve-"))
    store_proc = None
    front = None
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise _Stop()

    signal.signal(signal.SIGTERM, on_term)
    failure = None
    try:
        store = tmp / "store"
        dataset = engines.oxigraph_store(specs, path=store)
        counts = graph_sizes(dataset, specs)
        union = dataset.union_default
        dataset.flush()
        del dataset  # release the store's lock before the server opens it
        inner = free_port()
        cmd = [binary, "serve-read-only", "--location", str(store), "--bind",
               f"127.0.0.1:{inner}", "--timeout-s", str(int(math.ceil(timeout)))]
        if union:
            cmd.append("--union-default-graph")
        store_proc = StoreProcess(cmd, inner, tmp / "server.log", memory_mb)
        store_proc.start()
        try:
            front = FrontServer(("127.0.0.1", port),
                                make_handler(inner, timeout, render_page(), cors))
        except OSError as exc:
            raise UserError(port_in_use(port, exc)) from exc
        port = front.server_address[1]
        threading.Thread(target=front.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{port}/query"
        print(url, flush=True)
        for spec in specs:
            n = counts.get(spec.iri, 0)
            print("educluster serve: " + ngettext(
                "graph <{iri}>: {name}, {n} triple", "graph <{iri}>: {name}, {n} triples",
                n).format(iri=spec.iri, name=visible(_(spec.name)), n=n), file=sys.stderr)
        print("educluster serve: " + _(
            "the default graph is the merge of all graphs; query page at {page} ; read-only; "
            "queries stop after {seconds} s (--timeout), the store process may use {mb} MB "
            "(--memory-mb) and is started again if a query exceeds it; SERVICE is off; only "
            "loopback Host names; Ctrl-C stops the server").format(
                page=f"http://127.0.0.1:{port}/", seconds=f"{timeout:g}", mb=memory_mb),
            file=sys.stderr, flush=True)
        while True:
            time.sleep(0.2)
            store_proc.keep_running()
    except (KeyboardInterrupt, _Stop):
        print("educluster serve: " + _("stopped"), file=sys.stderr)
        return 0
    except UserError as exc:
        # raised again after the clean-up, without the frames (and the store they hold open:
        # its files were still being written while the folder was removed)
        exc.__traceback__ = exc.__cause__ = exc.__context__ = None
        failure = exc
    finally:
        signal.signal(signal.SIGTERM, previous)
        if front is not None:
            front.shutdown()
            front.server_close()
        if store_proc is not None:
            store_proc.stop()
        import gc

        gc.collect()
        shutil.rmtree(tmp, ignore_errors=True)
    raise failure
