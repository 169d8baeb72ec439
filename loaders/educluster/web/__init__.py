"""``educluster web``: the validation web service (upload page, report page, REST API) for
data officers who do not use a terminal; on 127.0.0.1 unless ``--public`` says otherwise.

Modules: :mod:`.app` (Starlette routes and pages), :mod:`.limits` (size, queue, timeout, worker
processes), :mod:`.uploads` (private folder, safe unzip), :mod:`.job` (one validation),
:mod:`.texts` (page texts in four languages). See decision 0023.
"""

from __future__ import annotations

import ipaddress
import sys

from educluster.i18n import _


def _loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    """Refuse (exit 2, one line) a port that is taken or an address this machine lacks."""
    import socket

    from educluster.errors import UserError
    from educluster.termsafe import visible

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(infos[0][4])
    except OSError as exc:
        raise UserError(_("cannot listen on {host} port {port} ({reason}); choose another with "
                          "--port, or stop what uses it").format(
            host=visible(host), port=port, reason=exc.strerror or exc)) from None


def run(args) -> int:
    """Check the options, then serve until interrupted."""
    from educluster.errors import UserError
    from educluster.termsafe import visible

    if not _loopback(args.host):
        if not args.public:
            raise UserError(_("--host {host} listens beyond this machine; add --public to "
                              "confirm (and put a reverse proxy with TLS in front, see the "
                              "README)").format(host=visible(args.host)))
        print("educluster web: " + _("WARNING: listening on {host}, reachable from other "
                                     "machines; anyone who can reach it can upload data").format(
            host=visible(args.host)), file=sys.stderr)
    _check_port(args.host, args.port)
    keep = None
    if args.keep_uploads is not None:
        keep = args.keep_uploads
        if not keep.is_dir() or keep.is_symlink():
            raise UserError(_("--keep-uploads: not an existing folder (links are refused)"),
                            file=keep)
        keep = str(keep)
    import uvicorn

    from educluster.web.app import create_app
    from educluster.web.limits import Limits

    limits = Limits(max_upload_mb=args.max_upload, workers=args.workers, queue=args.queue,
                    timeout_s=args.timeout, memory_mb=args.memory_mb)
    import os

    from educluster.web.limits import run_killable

    run_killable(os.getpid, (), 300)  # the forkserver loads the validator before serving
    print("educluster web: " + _("serving on {url} (Ctrl+C stops)").format(
        url=f"http://{args.host}:{args.port}/"), file=sys.stderr, flush=True)
    uvicorn.run(create_app(limits, keep), host=args.host, port=args.port,
                log_level="warning", server_header=False, proxy_headers=False)
    return 0
