"""The front of ``educluster serve``: a small HTTP server on 127.0.0.1 between clients and the
Oxigraph server process, and the supervisor that keeps that process running.

Why a front (issue 12): Oxigraph's server answers a query it cancels at ``--timeout-s`` with
HTTP 200 and a body cut off by the sentence "The SPARQL operation has been cancelled"; its
parser overflows its stack on a few thousand nested brackets (the process dies); it evaluates
``SERVICE`` (outbound requests for any client); it accepts any ``Host`` header (DNS
rebinding). The front therefore

* accepts only loopback ``Host`` names (403 otherwise), only ``GET``/``HEAD`` of ``/`` (the
  query page) and ``GET``/``POST`` of ``/query`` (404/405 otherwise): read-only;
* refuses, with HTTP 400 and a one-line reason, a query nested too deeply or calling
  ``SERVICE`` (:func:`educluster.guards.sparql_problem`), and request bodies over 1 MB (413);
* streams the answer: up to :data:`BUFFER` bytes are held back, so that a query cancelled or
  failed by then is answered with HTTP 503 and the reason, never a truncated 200; a longer
  answer is sent in chunks, and if it is cancelled later the connection is closed without the
  final chunk, which every HTTP client reports as an incomplete answer (the cancellation
  sentence is never passed on as data);
* answers 503 while the store process is down;
* serves the query page at ``/`` itself (:mod:`educluster.query_page`: offline, escaped);
* says every reason it answers with in serve's language (``--lang``, else the locale: the query
  page's language; ``Content-Language`` tells it), through the catalogues;
* with ``--cors ORIGIN`` only, adds ``Access-Control-Allow-Origin`` for that one origin and
  answers its preflight ``OPTIONS /query``; other origins and methods are refused as before.

:class:`StoreProcess` starts the Oxigraph server with an address-space limit
(``RLIMIT_AS``), so that a query needing more memory kills only that process, and starts it
again when it dies; only the queries running at that moment fail.
"""

from __future__ import annotations

import http.client
import http.server
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from educluster.errors import UserError
from educluster.i18n import _, current, ngettext
from educluster.termsafe import visible

#: Bytes of an answer held back before the first byte is sent (see the module docstring).
BUFFER = 1 << 20
#: Largest request body accepted.
MAX_BODY = 1 << 20
CANCELLED = b"The SPARQL operation has been cancelled"
_LOOPBACK = re.compile(r"^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$", re.I)


def _stopped(timeout: float) -> str:
    """The answer to a query the store cancelled at the server's ``--timeout``."""
    return _("the query was stopped after {seconds} s (the server's --timeout); narrow the "
             "query (a LIMIT, more specific patterns) and try again").format(
        seconds=f"{timeout:g}")


def loopback_host(host: str | None) -> bool:
    """Whether a ``Host`` header names this machine by a loopback name (or is absent)."""
    return host is None or bool(_LOOPBACK.match(host.strip()))


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: the server just outlives a killed parent
        pass


def _ready(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class StoreProcess:
    """The Oxigraph server process: started with a memory limit, started again if it dies."""

    def __init__(self, cmd: list[str], port: int, log: Path, memory_mb: int):
        self.cmd, self.port, self.log, self.memory_mb = cmd, port, log, memory_mb
        self.proc: subprocess.Popen | None = None
        self.restarts = 0

    def _limits(self) -> None:  # pragma: no cover - runs in the child before exec
        limit = self.memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        _die_with_parent()

    def last_log_line(self) -> str:
        text = self.log.read_text("utf-8", "replace").strip() if self.log.exists() else ""
        lines = [x for x in text.splitlines() if x.strip() and not x.startswith(" ")]
        memory = [x for x in lines if "memory allocation" in x]
        return (memory or lines or ["(no message)"])[-1]

    def start(self) -> None:
        """Start the process and wait until it accepts connections (UserError if it cannot)."""
        # glibc reserves 64 MB of address space per malloc arena (up to 8 per core): under
        # RLIMIT_AS that reservation, not real use, made the server abort at start-up
        # (std::system_error) on a busy machine; two arenas keep the limit about real memory
        env = dict(os.environ, MALLOC_ARENA_MAX="2")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True,
                                         preexec_fn=self._limits, env=env)
        deadline = time.monotonic() + 30
        while not _ready(self.port):
            if self.proc.poll() is not None:
                raise UserError(_("the oxigraph server did not start (exit code {code}): "
                                  "{reason}").format(code=self.proc.returncode,
                                                     reason=self.last_log_line()))
            if time.monotonic() > deadline:
                raise UserError(_("the oxigraph server did not start within 30 s; try again"))
            time.sleep(0.05)

    def keep_running(self) -> None:
        """Start the process again if it died (a message on stderr); UserError after five
        deaths within a minute (something other than a query is wrong)."""
        if self.proc is None or self.proc.poll() is None:
            return
        code = self.proc.returncode
        self.restarts += 1
        print("educluster serve: " + _("the store process stopped (exit code {code}: "
                                       "{reason}); starting it again").format(
            code=code, reason=visible(self.last_log_line())), file=sys.stderr, flush=True)
        now = time.monotonic()
        self._deaths = [t for t in getattr(self, "_deaths", []) if now - t < 60] + [now]
        if len(self._deaths) >= 5:
            raise UserError(_("the oxigraph server stopped five times within a minute; last: "
                              "{reason}").format(reason=self.last_log_line()))
        try:
            self.start()
        except UserError as exc:  # counted as one more death at the next call
            print("educluster serve: " + _("{reason}; trying again").format(
                reason=visible(exc.message)), file=sys.stderr, flush=True)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def make_handler(upstream_port: int, timeout: float, page: bytes | None = None,
                 cors: str | None = None):
    """The request handler class of the front, forwarding to ``127.0.0.1:upstream_port``;
    ``page`` is the query page served at ``/``, ``cors`` the one origin allowed to read
    answers from a browser (None: no CORS headers at all)."""
    from educluster.query_page import CSP
    from educluster.guards import sparql_problem

    class Front(http.server.BaseHTTPRequestHandler):
        """One client request: checked, forwarded, answered (see the module docstring)."""

        protocol_version = "HTTP/1.1"
        server_version = "educluster-serve"

        def log_message(self, *args):  # quiet: the terminal shows only start-up lines
            pass

        def _cors_allowed(self) -> bool:
            return cors is not None and self.headers.get("Origin") == cors

        def end_headers(self):
            """Every answer to the allowed origin carries the CORS headers (none without
            ``--cors``)."""
            if cors is not None:
                self.send_header("Vary", "Origin")
                if self._cors_allowed():
                    self.send_header("Access-Control-Allow-Origin", cors)
            super().end_headers()

        def _page(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("Content-Language", current())
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(page)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(page)
            self.close_connection = True

        def _plain(self, status: int, text: str) -> None:
            body = (text + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Language", current())
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.close_connection = True

        def _checked(self) -> tuple[str, bytes | None] | None:
            """``(path with query string, body)`` to forward, or None when answered here."""
            if not loopback_host(self.headers.get("Host")):
                self._plain(403, _("this endpoint answers only requests for 127.0.0.1 or "
                                   "localhost (Host header refused)"))
                return None
            parts = urllib.parse.urlsplit(self.path)
            if parts.path not in ("/", "/query"):
                self._plain(404, _("not found: the endpoint is /query (read-only)"))
                return None
            if self.command == "POST" and parts.path != "/query" or \
                    self.command not in ("GET", "HEAD", "POST"):
                self._plain(405, _("method not allowed: GET or POST /query (read-only)"))
                return None
            body = None
            texts = urllib.parse.parse_qs(parts.query).get("query", [])
            if self.command == "POST":
                try:
                    length = int(self.headers.get("Content-Length", "0"))
                except ValueError:
                    length = -1
                if not 0 <= length <= MAX_BODY:
                    self._plain(413, ngettext(
                        "the request body must have a Content-Length of at most {n} byte",
                        "the request body must have a Content-Length of at most {n} bytes",
                        MAX_BODY).format(n=MAX_BODY))
                    return None
                body = self.rfile.read(length)
                ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                if ctype == "application/sparql-query":
                    texts.append(body.decode("utf-8", "replace"))
                else:
                    texts += urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("query", [])
            for text in texts:
                problem = sparql_problem(text)
                if problem:
                    self._plain(400, problem)
                    return None
            return self.path, body

        def do_GET(self):  # noqa: N802 - http.server's name
            checked = self._checked()
            if checked is None:
                return
            if page is not None and self.command in ("GET", "HEAD") and \
                    urllib.parse.urlsplit(self.path).path == "/":
                self._page()
                return
            self._forward(*checked)

        do_HEAD = do_GET  # noqa: N815
        do_POST = do_GET  # noqa: N815

        def do_PUT(self):  # noqa: N802
            self._plain(405, _("method not allowed: GET or POST /query (read-only)"))

        do_DELETE = do_PATCH = do_PUT  # noqa: N815

        def do_OPTIONS(self):  # noqa: N802
            """The CORS preflight of the allowed origin for ``/query``; 405 otherwise."""
            method = (self.headers.get("Access-Control-Request-Method") or "").upper()
            if not (self._cors_allowed() and loopback_host(self.headers.get("Host"))
                    and urllib.parse.urlsplit(self.path).path == "/query"
                    and method in ("GET", "POST")):
                self.do_PUT()
                return
            self.send_response(204)
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True

        def _forward(self, path: str, body: bytes | None) -> None:
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("accept", "content-type", "accept-language")}
            began = time.monotonic()
            deadline = began + timeout + 5
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=timeout + 5)
            try:
                conn.request(self.command, path, body=body, headers=headers)
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException):
                conn.close()
                if time.monotonic() - began >= timeout - 0.1:  # the store gave up on it
                    self._plain(503, _stopped(timeout))
                else:
                    self._plain(503, _("the store is not answering (it may have stopped on a "
                                       "query that needed too much memory and is starting "
                                       "again); try again in a moment"))
                return
            try:
                self._relay(resp, deadline)
            finally:
                conn.close()

        def _relay(self, resp, deadline: float) -> None:
            held = b""
            failed = None
            done = False
            while len(held) <= BUFFER:
                try:
                    piece = resp.read1(65536) if self.command != "HEAD" else b""
                except (OSError, http.client.HTTPException) as exc:
                    failed = _("the store stopped while answering ({error}); try again, or "
                               "narrow the query (a LIMIT, more specific patterns)").format(
                        error=exc.__class__.__name__)
                    break
                if not piece:
                    done = True
                    break
                held += piece
                if time.monotonic() > deadline:
                    failed = _("the query ran too long; narrow it (a LIMIT, more specific "
                               "patterns) and try again")
                    break
            if done and held.endswith(CANCELLED):
                failed = _stopped(timeout)
            if failed:
                self._plain(503, failed)
                return
            self.send_response(resp.status)
            for name in ("Content-Type", "Content-Disposition", "Vary"):
                if resp.getheader(name):
                    self.send_header(name, resp.getheader(name))
            self.send_header("Connection", "close")
            self.close_connection = True
            if done:
                self.send_header("Content-Length", str(len(held)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(held)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._stream(resp, held, deadline)

        def _stream(self, resp, held: bytes, deadline: float) -> None:
            """Send ``held`` and the rest in chunks, keeping back as many bytes as the
            cancellation sentence; on cancellation or failure stop without the last chunk."""
            keep = len(CANCELLED)
            try:
                while True:
                    if len(held) > keep:
                        out, held = held[:-keep], held[-keep:]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(out), out))
                    if time.monotonic() > deadline:
                        return
                    try:
                        piece = resp.read1(65536)
                    except (OSError, http.client.HTTPException):
                        return
                    if not piece:
                        break
                    held += piece
                if held.endswith(CANCELLED):
                    return
                if held:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(held), held))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:  # the client went away
                return

    return Front


class FrontServer(http.server.ThreadingHTTPServer):
    """The front's listening socket on 127.0.0.1 (threads end with the process)."""

    daemon_threads = True
    allow_reuse_address = True
