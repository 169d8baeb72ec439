"""Input files straight into the fast engine's pyoxigraph store, with no rdflib graph of the data.

Turtle, N-Triples and RDF/XML files are parsed by pyoxigraph (a million triples in about 5 s;
rdflib needs about a minute and twice the memory), after the same checks every input gets
(:func:`educluster.convert.inputs.read_bytes`). CSV, JSON and JSON-LD go through
:func:`educluster.convert.inputs.load_inputs` as before (small files, whose rows keep their
file and line for the report) and are copied in. The report needs only what the results are
about: :func:`report_graph` copies the triples of the focus nodes and values out of the store.
"""

from __future__ import annotations

import codecs
import itertools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from educluster.convert.inputs import RDF_SUFFIXES, Loaded
from educluster.errors import UserError, display_path
from educluster.i18n import _
from educluster.kb import FORMAT_NAMES

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from educluster.convert.vocab import Vocabulary
    from educluster.validate.engine import Result

ORG = "http://www.w3.org/ns/org#"

#: Files the store parses itself, by suffix, with the format's name for messages: the RDF
#: inputs but JSON-LD, which stays with rdflib (our context is swapped in locally).
STORE_SUFFIXES = {suffix: FORMAT_NAMES[fmt] for suffix, fmt in RDF_SUFFIXES.items()
                  if fmt != "json-ld"}

#: Default largest file the store parses, in megabytes: about 3.4 million N-Triples, which
#: validate in under 4 GB (0.8 GB per million measured; the other inputs keep
#: :data:`~educluster.convert.inputs.DEFAULT_MAX_MB`).
DEFAULT_STORE_MAX_MB = 512.0

def _progress_bar(path: Path, size: int):
    """A progress bar for reading a big file on a terminal (in megabytes), or None."""
    if size < 4 << 20 or not sys.stderr.isatty():
        return None
    from educluster.fastvalidate import TerminalProgress

    bar = TerminalProgress(label="reading")
    name = display_path(path)
    return lambda done, total: bar(done >> 20, total >> 20, f"MB of {name}")


def _xml_error_line(data: bytes) -> int | None:
    """The line of the first XML well-formedness error (pyoxigraph's RDF/XML errors carry
    none), or None when the XML is well formed."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return exc.lineno
    return None


def _syntax_error(path: Path, kind: str, exc: SyntaxError, data: bytes) -> UserError:
    msg = str(exc.msg if isinstance(exc.msg, str) else exc)
    # "Parser error at line 3 between columns 11 and 18: The prefix xsd: has not been declared"
    reason = msg.split(": ", 1)[1] if msg.startswith("Parser error") and ": " in msg else msg
    line = exc.lineno if isinstance(exc.lineno, int) else None
    if line is None and kind == "RDF/XML":
        line = _xml_error_line(data)
    return UserError(_("{kind} syntax error: {reason}; fix the file and run again").format(
        kind=kind, reason=reason), file=path, line=line)


def load_rdf_file(store, path: Path, max_mb: float, collapsed, beside=None,
                  iris: list | None = None) -> None:
    """Check one Turtle, N-Triples or RDF/XML file and load it into ``store``'s default graph;
    UserError (file, line) for anything that stops it from being read.

    ``beside``: an executor whose thread checks the UTF-8 while pyoxigraph reads the file
    (its bulk load releases the GIL, so the check costs no time on two cores; an error is
    still the UTF-8 one first, as when checked before). ``iris``: a list that gets, for this
    file, a future of the namespace IRIs written in it
    (:func:`educluster.validate.unknown_terms.iris_in_ntriples`, computed on that thread too), or
    None when it is not N-Triples."""
    import pyoxigraph as ox

    from educluster.convert.inputs import check_utf8, read_bytes
    from educluster.fastvalidate.loading import ox_format

    kind = STORE_SUFFIXES[path.suffix.lower()]
    data = read_bytes(path, max_mb)
    fmt = ox_format(path)
    if beside is None:
        check_utf8(path, data)
        utf8 = None
    else:
        utf8 = beside.submit(check_utf8, path, data)
    if iris is not None:
        if fmt == ox.RdfFormat.N_TRIPLES and beside is not None:
            from educluster.validate.unknown_terms import iris_in_ntriples

            iris.append(beside.submit(iris_in_ntriples, data))
        else:
            iris.append(None)
    try:
        _load_checked(store, path, kind, fmt, data, collapsed)
    except BaseException:
        if utf8 is not None:
            utf8.result()       # not UTF-8: that is the error to report, as before
        raise
    if utf8 is not None:
        utf8.result()


def _load_checked(store, path: Path, kind: str, fmt, data: bytes, collapsed) -> None:
    import pyoxigraph as ox

    from educluster.fastvalidate.loading import load_bytes

    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if kind == "RDF/XML":  # no DTD entities, bounded depth (issue 12)
        from educluster.guards import check_rdfxml_bytes

        check_rdfxml_bytes(data, path)
    base = path.resolve().as_uri()
    try:
        if next(iter(ox.parse(data, format=fmt, base_iri=base)), None) is None:
            raise UserError(_("the file holds no data (no triples); fill it in"), file=path)
        progress = _progress_bar(path, len(data))
        if progress:
            progress(0, len(data))      # shown at once: only N-Triples report while they load
        load_bytes(store, data, fmt, base, collapsed, progress=progress)
        if progress:
            progress(len(data), len(data))  # full, then cleared
    except SyntaxError as exc:
        raise _syntax_error(path, kind, exc, data) from exc


def load_store(paths, *, base: str | None = None, max_mb: float | None = None,
               vocab: "Vocabulary | Callable[[], Vocabulary] | None" = None, beside=None,
               iris: list | None = None):
    """All input files in one new pyoxigraph store: ``(store, collapsed, loaded)``.

    ``collapsed`` is the table of literals the store does not keep as written
    (:class:`educluster.fastvalidate.loading.Collapsed`); ``loaded`` has the files and, for
    CSV/JSON rows, where each entity came from (its ``graph`` is filled by
    :func:`report_graph`). ``max_mb`` applies to every file when given; by default RDF files the
    store parses may be :data:`DEFAULT_STORE_MAX_MB`, the others the converter's default.
    ``vocab`` may be a function that returns it (called only for CSV/JSON input); ``beside``
    and ``iris``: see :func:`load_rdf_file` (``iris`` gets None for a CSV/JSON file).
    """
    import pyoxigraph as ox

    from educluster.convert.inputs import (DEFAULT_MAX_MB, check_base, check_input_path,
                                           in_order, load_inputs)
    from educluster.errors import gather
    from educluster.fastvalidate.loading import Collapsed, load_graph

    check_base(base)
    if not paths:
        raise UserError(_("no input files given"))
    store = ox.Store()
    collapsed = Collapsed()
    others: list[Path] = []
    files: list[str] = []
    problems: list[UserError] = []      # every unreadable file, reported together
    for p in map(Path, paths):
        files.append(display_path(p))
        try:
            suffix = check_input_path(p)
            if suffix in STORE_SUFFIXES:
                load_rdf_file(store, p, max_mb or DEFAULT_STORE_MAX_MB, collapsed, beside, iris)
            else:
                others.append(p)
                if iris is not None:
                    iris.append(None)
        except UserError as exc:
            problems.append(exc)
    loaded = Loaded(graph=None)
    if others:
        try:
            loaded = load_inputs(others, base=base, max_mb=max_mb or DEFAULT_MAX_MB,
                                 vocab=vocab() if callable(vocab) else vocab, require_data=len(others) == len(files))
        except UserError as exc:
            problems.extend(getattr(exc, "problems", [exc]))
        else:
            load_graph(store, loaded.graph, collapsed)
    gather(in_order(problems, paths))
    loaded.files = files
    return store, collapsed, loaded


def report_graph(store, results: "list[Result]") -> "rdflib.Graph":
    """What the report says about the results' entities, copied out of the store: every triple
    of each focus node and IRI or blank-node value, and the labels and types of what those
    triples point at (members, clusters, kinds)."""
    import pyoxigraph as ox

    from educluster.kb import new_graph
    from educluster.terms import ox_to_rdflib, rdflib_to_ox
    from educluster.validate.engine import RDF_TYPE, RDFS_LABEL

    g = new_graph()
    label, rdf_type = ox.NamedNode(RDFS_LABEL), ox.NamedNode(RDF_TYPE)
    nodes = {r.focus for r in results}
    nodes |= {r.value for r in results if r.value is not None}
    done: set = set()
    for node in nodes:
        n = rdflib_to_ox(node)
        if not isinstance(n, (ox.NamedNode, ox.BlankNode)) or n in done:
            continue
        done.add(n)
        for q in store.quads_for_pattern(n, None, None):
            g.add((node, ox_to_rdflib(q.predicate), ox_to_rdflib(q.object)))
            o = q.object
            if isinstance(o, (ox.NamedNode, ox.BlankNode)) and o not in done:
                for pred in (label, rdf_type):
                    for q2 in store.quads_for_pattern(o, pred, None):
                        g.add((ox_to_rdflib(o), ox_to_rdflib(pred), ox_to_rdflib(q2.object)))
    # a count of a cluster's memberships (one core): the memberships and their roles, so the
    # report can name their rows
    org, role = ox.NamedNode(ORG + "organization"), ox.NamedNode(ORG + "role")
    for r in results:
        if not r.component.endswith("#QualifiedMaxCountConstraintComponent"):
            continue
        focus = rdflib_to_ox(r.focus)
        for q in itertools.islice(store.quads_for_pattern(None, org, focus), 1000):
            g.add((ox_to_rdflib(q.subject), ox_to_rdflib(org), r.focus))
            for q2 in store.quads_for_pattern(q.subject, role, None):
                g.add((ox_to_rdflib(q.subject), ox_to_rdflib(role), ox_to_rdflib(q2.object)))
    return g
