"""``educluster query Q``: SPARQL over the knowledge base (+ data) or a remote endpoint.

``Q`` is SPARQL text, a ``.rq`` file, a competency-question id (``query --list``), or
``-`` for standard input. Over the ontology and knowledge base plus ``--data`` files,
loaded into an embedded engine (``--engine oxigraph``, the default, or ``rdflib``), or
sent to ``--endpoint URL`` (SPARQL 1.1 Protocol). Read-only: updates are refused.
``--timeout`` runs the query in a child process and stops it when time is up.

This module imports only the standard library at load time; ``--list`` reads the
question headers with plain Python (:mod:`educluster.query.catalogue`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from educluster.errors import UserError
from educluster.i18n import _, ngettext
from educluster.termsafe import visible

FORMATS = ("table", "csv", "tsv", "json")


def run(args) -> int:
    if args.list:
        if args.query is not None:
            raise UserError(_("--list takes no query; run 'educluster query --list' alone"))
        return _list(args)
    if args.query is None:
        raise UserError(_("give a query: SPARQL text, a .rq file or a question id "
                          "('educluster query --list' shows the questions)"))
    if args.endpoint and args.data:
        raise UserError(_("--data cannot be used with --endpoint: the endpoint answers from "
                          "its own store (load files into it with 'educluster push --store "
                          "URL')"))
    if args.default_graph and not args.endpoint:
        raise UserError(_("--default-graph only applies with --endpoint; the embedded engines "
                          "query the merge of all graphs"))
    if args.timeout is not None and args.timeout <= 0:
        raise UserError(_("--timeout must be a positive number of seconds"))
    if getattr(args, "allow_service", False) and args.endpoint:
        raise UserError(_("--allow-service applies to the embedded engines; with --endpoint "
                          "the endpoint decides about SERVICE"))
    if getattr(args, "max_rows", 1) < 0 or not getattr(args, "max_reply_mb", 1) > 0:
        raise UserError(_("--max-rows must be 0 (no cap) or more, --max-reply-mb a positive "
                          "number"))
    text, source, question = resolve(args.query)
    if args.timeout is None:
        out, note = execute(args, text, source, question)
    else:
        out, note = _with_timeout(args, text, source, question)
    sys.stdout.write(out)
    sys.stdout.flush()
    if note:
        print(note, file=sys.stderr)
    return 0


def resolve(q: str) -> tuple[str, Path | None, object]:
    """``(query text, .rq file or None, Question or None)`` for the command's argument."""
    from educluster.query import catalogue

    if q == "-":
        return sys.stdin.read(), None, None
    p = Path(q)
    looks_like_path = q.endswith(".rq") or "/" in q and not re.search(r"\s", q)
    kind = _file_kind(p)
    if kind == "file":
        try:
            return p.read_text(encoding="utf-8"), p, None
        except UnicodeDecodeError as exc:
            raise UserError(_("not UTF-8 text; save the query as UTF-8"), file=p) from exc
        except OSError as exc:
            raise UserError(_("cannot read the file: {reason}").format(
                reason=exc.strerror or exc), file=p) from exc
    if kind == "folder":
        raise UserError(_("is a folder; give a .rq file, a question id or SPARQL text"), file=p)
    question = catalogue.find(q)
    if question is not None:
        return question.text(), question.path, question
    if looks_like_path:
        raise UserError(_("query file not found; check the path"), file=p)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", q):
        raise UserError(_("no competency question '{id}'; 'educluster query --list' shows them "
                          "(or give SPARQL text or a .rq file)").format(id=q))
    return q, None, None


def _file_kind(p: Path) -> str | None:
    """``"file"``, ``"folder"`` or None (nothing there, or no possible file name: SPARQL text
    longer than a file name may be, or holding a NUL byte, is not a file)."""
    import os
    import stat

    try:
        mode = os.stat(p).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else None


def execute(args, text: str, source: Path | None, question=None) -> tuple[str, str | None]:
    """Run the query; return ``(output text, note for stderr or None)``."""
    from educluster.query import results, sparql

    engine = args.engine or "oxigraph"
    # SERVICE is the endpoint's business with --endpoint; embedded it needs --allow-service
    allow_service = bool(args.endpoint or getattr(args, "allow_service", False))
    prepared = sparql.prepare(text, source, args.param or [], engine=engine,
                              allow_service=allow_service)
    prepared.max_rows = getattr(args, "max_rows", None) or None
    note = None
    if args.endpoint:
        from educluster.query.remote import parse_headers, run_endpoint

        result = run_endpoint(prepared, args.endpoint, args.default_graph or [],
                              timeout=args.timeout if args.timeout else 300.0,
                              max_bytes=int(getattr(args, "max_reply_mb", 64) * (1 << 20)),
                              extra_headers=parse_headers(getattr(args, "header", None)),
                              netrc_file=getattr(args, "netrc", None))
    else:
        from educluster import engines

        specs = engines.layout(args.data or [], args.ontology_dir, args.kb_dir)
        result = engines.ENGINES[engine](prepared, specs)
        if question is not None and question.data and not args.data and result.kind == "select":
            # the knowledge base holds one cluster (paper 002's, with quotes): an answer without
            # --data is about that cluster alone, and the reader must know it
            found = (_("no rows") if not result.rows
                     else _("only the knowledge base's own cluster data"))
            note = "educluster: " + _(
                "note: question '{id}' is about cluster data and found {found}; add --data FILE "
                "(for example --data {file})").format(id=question.id, found=found,
                                                     file=question.data[0])
    return results.render(result, args.format), note


def _child(conn, args, text, source, question) -> None:  # pragma: no cover - runs in the child
    import os
    import traceback

    try:
        conn.send(("ok", execute(args, text, source, question)))
    except UserError as exc:
        conn.send(("user", (exc.message, None if exc.file is None else str(exc.file),
                            exc.line, exc.exit_code)))
    except BaseException as exc:  # noqa: BLE001 - reported by the parent, in one line
        conn.send(("internal", (type(exc).__name__, str(exc), traceback.format_exc())))
    finally:
        conn.close()
        os._exit(0)


def _with_timeout(args, text, source, question) -> tuple[str, str | None]:
    """Run :func:`execute` in a child process; kill it after ``args.timeout`` seconds."""
    import multiprocessing
    import os

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, args, text, source, question), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(args.timeout):
            proc.kill()
            proc.join()
            raise UserError(_("the query was stopped after {seconds} s (--timeout): it ran too "
                              "long; narrow it (more specific patterns, a LIMIT) or raise "
                              "--timeout").format(seconds=f"{args.timeout:g}"), file=source)
        try:
            status, payload = parent.recv()
        except EOFError:
            proc.join()
            raise UserError(_("the query process ended unexpectedly (exit code {code}); run "
                              "again without --timeout to see why").format(code=proc.exitcode),
                            file=source)
    finally:
        parent.close()
    proc.join()
    if status == "ok":
        return payload
    if status == "user":
        message, file, line, code = payload
        raise UserError(message, file=file, line=line, exit_code=code)
    name, message, tb = payload
    if os.environ.get("EDUCLUSTER_DEBUG", "") not in ("", "0"):
        sys.stderr.write(tb)
    raise RuntimeError(f"{name}: {message}")


def _list(args) -> int:
    """Print the competency questions (id and question), or all their headers as JSON."""
    import json
    import shutil
    import textwrap

    from educluster.query import catalogue

    qs = catalogue.questions()
    if args.format == "json":
        print(json.dumps([q.as_dict() for q in qs], ensure_ascii=False, indent=2))
        return 0
    if args.format in ("csv", "tsv"):
        import csv

        w = csv.writer(sys.stdout, delimiter="," if args.format == "csv" else "\t",
                       lineterminator="\n")
        w.writerow(["id", "question", "papers", "params", "data"])
        for q in qs:
            w.writerow([q.id, q.question, " ".join(q.paper_numbers),
                        " ".join(p.name for p in q.params), " ".join(q.data)])
        return 0
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    idw = max((len(q.id) for q in qs), default=2)
    for q in qs:
        extra = []
        if q.params:
            extra.append(_("params: {params}").format(params=", ".join(
                _("{name} (e.g. {example})").format(name=p.name, example=p.example)
                for p in q.params)))
        if q.data:
            extra.append(_("needs cluster data, e.g. --data {file}").format(file=q.data[0]))
        body = visible(_(q.question) + (" [" + "; ".join(extra) + "]" if extra else ""))
        lines = textwrap.wrap(body, max(30, width - idw - 2)) or [""]
        print(q.id.ljust(idw) + "  " + lines[0])
        for line in lines[1:]:
            print(" " * (idw + 2) + line)
    print(ngettext("({n} question in {folder}; run it with 'educluster query ID', see its "
                   "SPARQL with 'cat' on the file)",
                   "({n} questions in {folder}; run one with 'educluster query ID', see its "
                   "SPARQL with 'cat' on the file)", len(qs)).format(
        n=len(qs), folder=_display(catalogue.paths.cq_dir())))
    return 0


def _display(p: Path) -> str:
    from educluster.errors import display_path

    return display_path(p)
