"""``educluster validate FILE...``: check institutions' cluster data against the shapes.

Inputs: Turtle, N-Triples, RDF/XML, JSON-LD, JSON in our layout, CSV in our templates
(:mod:`educluster.convert.inputs`, :mod:`educluster.validate.store_input`), merged into one
graph. The ontology and knowledge base
are background knowledge (subclasses and knowledge-base items count). Output: a report for
people (``--format text``, grouped by the entity at fault), JSON or a SHACL validation report in
Turtle; ``--output FILE`` writes it atomically. Exit codes: 0 conforms (warnings allowed unless
``--strict``), 1 violations, 2 input that cannot be read (one line on stderr).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from educluster.i18n import _

FORMATS = ("text", "json", "turtle", "csv", "html")


@dataclass
class Outcome:
    results: list
    entities: list
    loaded: Any
    code: int
    files: list[str]
    strict: bool
    #: a run inside a store: the shapes run on a local copy and those not checked there
    #: (``localCopy``, ``notChecked``), added to the endpoint's summary item
    checked: dict | None = None
    #: the fast engine's store of the data, for :func:`leave_to_exit`
    store: Any = field(default=None, repr=False, compare=False)

    def render(self, fmt: str = "text") -> str:
        from educluster.validate import report

        summary = report.file_summary(self.entities, self.loaded)
        if self.checked and summary:
            summary[0].update({k: v for k, v in self.checked.items() if v})
        bases = tuple(sorted(getattr(self.loaded, "bases", ()) or ()))
        if fmt == "json":
            return report.to_json(self.entities, self.results, self.files, self.strict, summary)
        if fmt == "turtle":
            return report.to_turtle(self.entities, self.results, self.strict)
        if fmt in ("csv", "html"):
            from educluster.validate import report_formats

            render = report_formats.to_csv if fmt == "csv" else report_formats.to_html
            return render(self.entities, self.results, self.files, self.strict, summary,
                          bases)
        from educluster.termsafe import visible

        return visible(report.to_text(self.entities, self.results, self.files, self.strict,
                                      bases, summary), keep="\n")


def validate_files(files, *, base: str | None = None, max_mb: float | None = None,
                   strict: bool = False, engine: str = "fast") -> Outcome:
    """Load, validate and report; raises UserError for input that cannot be read.

    The fast engine reads RDF files straight into its store (no rdflib graph of the data, so a
    million triples validate in seconds); ``--engine pyshacl`` reads everything with rdflib.
    """
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate import report
    from educluster.validate.engine import load_shapes

    if engine == "fast":
        from concurrent.futures import ThreadPoolExecutor

        from educluster.validate.engine import validate_store
        from educluster.validate.store_input import load_store, report_graph
        from educluster.validate.unknown_terms import written_iris

        # pyoxigraph reads the data with the GIL released: the ontology, the shapes, the UTF-8
        # check and the unknown-term scan of N-Triples run on a second thread meanwhile
        # (issue 16 §4, decision 0036)
        with ThreadPoolExecutor(1, thread_name_prefix="beside-read") as beside:
            vocab_later = beside.submit(load_vocabulary)
            shapes_later = beside.submit(load_shapes)
            scans: list = []

            def vocab_for_rows():
                shapes_later.exception()    # CSV/JSON rows use rdflib: one thread at a time
                return vocab_later.result()
            try:
                store, collapsed, loaded = load_store(list(files), base=base, max_mb=max_mb,
                                                      vocab=vocab_for_rows, beside=beside,
                                                      iris=scans)
            except BaseException:
                vocab_later.result()    # an ontology that does not load is reported first
                raise
            vocab = vocab_later.result()
            shapes = shapes_later.result()
            iris = written_iris(scans)
        results = validate_store(store, collapsed, vocab, shapes, iris=iris)
        loaded.graph = report_graph(store, results)
    else:
        from educluster.convert.inputs import DEFAULT_MAX_MB, load_inputs
        from educluster.validate.engine import validate_graph

        vocab = load_vocabulary()
        loaded = load_inputs(list(files), base=base, max_mb=max_mb or DEFAULT_MAX_MB,
                             vocab=vocab)
        shapes = load_shapes()
        results = validate_graph(loaded.graph, vocab, shapes, engine=engine)
    builder = report.ReportBuilder(results, loaded.graph, vocab, shapes, loaded)
    entities = builder.entities()
    return Outcome(results, entities, loaded, report.exit_code(results, strict),
                   loaded.files, strict, store=store if engine == "fast" else None)


#: Input of at least this many bytes (about 100,000 N-Triples) leaves its store to the
#: operating system at exit (:func:`leave_to_exit`).
LEAVE_BYTES = 16 << 20


def leave_to_exit(outcome: Outcome, files) -> None:
    """Hand a big store to a thread that waits until the process ends, so that it is never
    freed: the interpreter stops such (daemon) threads at exit without freeing what they hold,
    and the operating system takes the memory back at once, where freeing a million triples'
    store one allocation at a time takes 0.4-0.7 s (issue 16 §4, decision 0036). Only for the
    command, whose process ends next, and only for big input: in a process that goes on (the
    tests, the web service) nothing is held."""
    import os
    import threading

    store, outcome.store = outcome.store, None
    if store is None:
        return
    size = 0
    for f in files:
        try:
            size += os.path.getsize(f)
        except OSError:
            pass
    if size >= LEAVE_BYTES:
        threading.Thread(target=_hold, args=(store, threading.Event()), daemon=True,
                         name="store-left-to-exit").start()


def _hold(store, never) -> None:
    never.wait()        # ``store`` stays referenced from this frame until the process ends


def validate_endpoint(url: str, graphs=None, *, strict: bool = False, timeout=600.0,
                      headers=None, netrc_file=None) -> Outcome:
    """The data at a SPARQL endpoint validated there (:mod:`educluster.validate.in_store`):
    the same report as a local run; notes on stderr name what could not be checked there."""
    from educluster.convert.inputs import Loaded
    from educluster.convert.vocab import load_vocabulary
    from educluster.query.remote import redact
    from educluster.validate import report
    from educluster.validate.engine import load_shapes
    from educluster.validate.in_store import print_notes
    from educluster.validate.in_store import validate_endpoint as run_there
    from educluster.validate.store_input import report_graph

    vocab = load_vocabulary()
    shapes = load_shapes()
    results, _store, data_store, notes, checked = run_there(
        url, graphs or [], vocab, shapes, timeout=timeout, headers=headers,
        netrc_file=netrc_file)
    print_notes(notes)
    loaded = Loaded(graph=report_graph(data_store, results), files=[redact(url)])
    builder = report.ReportBuilder(results, loaded.graph, vocab, shapes, loaded)
    entities = builder.entities()
    return Outcome(results, entities, loaded, report.exit_code(results, strict),
                   loaded.files, strict, checked)


def validate_against(files, *, url: str | None = None, folder: str | None = None,
                     base: str | None = None, max_mb: float | None = None,
                     strict: bool = False, timeout=600.0, headers=None,
                     netrc_file=None) -> Outcome:
    """A submission validated in the context of the stored data at ``url`` (a SPARQL
    endpoint) or in ``folder`` (a pyoxigraph store): :mod:`educluster.validate.against`."""
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate import report
    from educluster.validate.against import LocalStore
    from educluster.validate.against import validate_against as run_against
    from educluster.validate.engine import load_shapes
    from educluster.validate.store_input import report_graph

    vocab = load_vocabulary()
    shapes = load_shapes()
    if url:
        from educluster.fastvalidate.stores import EndpointStore

        remote = EndpointStore(url, timeout=timeout, headers=headers, netrc_file=netrc_file)
        from educluster.query.remote import pushed_graphs

        remote.graphs = pushed_graphs(url, timeout, None, headers, netrc_file)
    else:
        remote = LocalStore(folder)
    results, store, loaded = run_against(files, remote, vocab, shapes, base=base,
                                         max_mb=max_mb)
    loaded.graph = report_graph(store, results)
    builder = report.ReportBuilder(results, loaded.graph, vocab, shapes, loaded)
    entities = builder.entities()
    return Outcome(results, entities, loaded, report.exit_code(results, strict),
                   loaded.files, strict)


def unreadable_json(exc, files) -> str:
    """The JSON report of input that cannot be read: every problem with its location fields."""
    import json

    from educluster.errors import display_path

    problems = getattr(exc, "problems", [exc])
    doc = {"conforms": False, "readable": False, "files": [display_path(f) for f in files],
           "errors": [p.fields() for p in problems]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _emit(args, text: str) -> None:
    """The report to ``--output`` (atomically) or to standard output."""
    from educluster.atomic import write_atomic
    from educluster.errors import UserError

    if not args.output:
        sys.stdout.write(text)
        return
    try:
        write_atomic(args.output, text)
    except OSError as exc:
        raise UserError(_("cannot write the report: {reason}").format(
            reason=exc.strerror or exc), file=args.output) from exc


def run(args) -> int:
    from educluster.convert.inputs import quiet_libraries

    quiet_libraries()
    from educluster.errors import UserError

    endpoint = getattr(args, "endpoint", None)
    try:
        if endpoint:
            from educluster.query.remote import parse_headers

            if args.files:
                raise UserError(_("validate --endpoint checks the data in the store; give no "
                                  "FILE (or use --against to check files against the store)"))
            outcome = validate_endpoint(endpoint, args.graph, strict=args.strict,
                                        timeout=args.timeout,
                                        headers=parse_headers(args.header),
                                        netrc_file=args.netrc)
        elif getattr(args, "against", None) or getattr(args, "against_store", None):
            from educluster.query.remote import parse_headers

            if not args.files:
                raise UserError(_("validate --against: name the submission's files to check"))
            if args.against and args.against_store:
                raise UserError(_("give --against URL or --against-store DIR, not both"))
            outcome = validate_against(args.files, url=args.against, folder=args.against_store,
                                       base=args.base, max_mb=args.max_size,
                                       strict=args.strict, timeout=args.timeout,
                                       headers=parse_headers(args.header),
                                       netrc_file=args.netrc)
        else:
            if not args.files:
                raise UserError(_("no input files given; name the data files to check (or "
                                  "--endpoint URL for data in a store)"))
            if getattr(args, "graph", None):
                raise UserError(_("--graph names graphs of --endpoint; give --endpoint URL "
                                  "too"))
            outcome = validate_files(args.files, base=args.base, max_mb=args.max_size,
                                     strict=args.strict, engine=getattr(args, "engine", "fast"))
    except UserError as exc:
        if args.format == "json":       # machines get a document on exit 2 as well
            _emit(args, unreadable_json(exc, args.files))
        raise
    leave_to_exit(outcome, args.files or ())
    text = outcome.render(args.format)
    if args.output:
        _emit(args, text)
        from educluster.validate.report import count

        from educluster.i18n import ngettext

        v, w = count(outcome.results)
        verdict = _("conforms") if outcome.code == 0 else _("does not conform")
        print(f"{verdict}: " + ngettext("{n} violation", "{n} violations", v).format(n=v) + ", "
              + ngettext("{n} warning", "{n} warnings", w).format(n=w) + "; "
              + _("report written to {file}").format(file=args.output))
    else:
        sys.stdout.write(text)
    return outcome.code
