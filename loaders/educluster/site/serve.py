"""``educluster site serve``: serve the built site on 127.0.0.1 (standard library only)."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from educluster import paths
from educluster.errors import UserError, display_path
from educluster.i18n import _


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".ttl": "text/turtle", ".jsonld": "application/ld+json",
                      ".nt": "application/n-triples", ".rdf": "application/rdf+xml",
                      ".js": "text/javascript", ".csv": "text/csv"}

    def log_message(self, format, *args):  # noqa: A002 - http.server API
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(root: Path, port: int = 0, verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A threading HTTP server on 127.0.0.1:``port`` (0 = any free port) serving ``root``."""
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.verbose = verbose
    return server


def serve(args) -> int:
    root = Path(args.dir) if getattr(args, "dir", None) else paths.site_dir() / "build"
    if not (root / "index.html").is_file():
        raise UserError(_("no built site here; run 'educluster site build' first"), file=root)
    try:
        server = make_server(root, args.port, verbose=True)
    except OSError as exc:
        raise UserError(_("cannot listen on 127.0.0.1:{port}: {reason}; choose another "
                          "--port").format(port=args.port, reason=exc.strerror or exc)) from exc
    host, port = server.server_address[:2]
    print(_("serving {folder} at {url} (Ctrl-C stops)").format(
        folder=display_path(root) + "/", url=f"http://{host}:{port}/"), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
