"""Loading the ontology and knowledge base.

* :func:`ontology_files` -- every ``*.ttl`` in ``ontology/`` (sorted), then in
  ``ontology/i18n/`` (translations), then in ``ontology/kb/`` (sorted).
* :func:`load_graph` -- all of them merged into one ``rdflib.Graph`` with the
  project's prefixes (:data:`PREFIXES`) bound; prefixes a file declares for itself
  are not carried over, so output is the same whatever the files declare.
* :func:`parse_file` -- one RDF file into a graph; a syntax error becomes a
  :class:`~educluster.errors.UserError` naming the file and, where the parser
  tells it, the line.

rdflib is imported when these functions run, not when this module is imported.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from educluster import paths
from educluster.errors import UserError
from educluster.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

EC = "https://w3id.org/educluster/ontology#"
ONTOLOGY_IRI = "https://w3id.org/educluster/ontology"
ID = "https://w3id.org/educluster/id/"

#: The prefixes bound in every graph educluster loads or writes (and in context.jsonld).
PREFIXES: dict[str, str] = {
    "ec": EC,
    "id": ID,
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "bibo": "http://purl.org/ontology/bibo/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: rdflib parser names by file suffix.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}

FORMAT_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "n3": "N3", "xml": "RDF/XML",
                 "json-ld": "JSON-LD", "trig": "TriG", "nquads": "N-Quads"}


def new_graph() -> "rdflib.Graph":
    """An empty rdflib graph with exactly the project's prefixes bound."""
    import rdflib

    g = rdflib.Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def resolve_dirs(ontology_dir: str | os.PathLike | None = None,
                 kb_dir: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """The ontology and knowledge-base folders to read, checked to exist (UserError if not).

    ``ontology_dir`` defaults to the repository's ``ontology/``; ``kb_dir`` to ``<ontology_dir>/kb``
    (which may be missing: it then contributes no files).
    """
    odir = Path(ontology_dir) if ontology_dir is not None else paths.ontology_dir()
    if not odir.is_dir():
        raise UserError(_("ontology folder not found; pass an existing folder"), file=odir)
    kdir = Path(kb_dir) if kb_dir is not None else odir / "kb"
    if kb_dir is not None and not kdir.is_dir():
        raise UserError(_("knowledge-base folder not found; pass an existing folder"), file=kdir)
    return odir, kdir


def i18n_files(ontology_dir: Path, kb_dir: Path | None = None) -> list[Path]:
    """The vocabulary's labels and definitions in Uzbek (Latin and Cyrillic) and Russian: every
    ``*.ttl`` in ``<ontology_dir>/i18n/`` (the TBox's terms), then, when ``kb_dir`` is the
    ontology's own ``kb/``, in ``i18n/kb/`` (the knowledge-base items used as codes; another
    knowledge base has other items)."""
    d = Path(ontology_dir) / "i18n"
    files = sorted(p for p in d.glob("*.ttl") if p.is_file()) if d.is_dir() else []
    if kb_dir is not None and Path(kb_dir).resolve() == (Path(ontology_dir) / "kb").resolve() \
            and (d / "kb").is_dir():
        files += sorted(p for p in (d / "kb").glob("*.ttl") if p.is_file())
    return files


def ontology_files(ontology_dir: str | os.PathLike | None = None,
                   kb_dir: str | os.PathLike | None = None) -> list[Path]:
    """Every ``*.ttl`` in the ontology folder (sorted), its ``i18n/`` folder, then the KB folder.

    ``ontology_dir`` defaults to the repository's ``ontology/``; ``kb_dir`` to
    ``<ontology_dir>/kb`` (a missing KB folder contributes no files).
    """
    odir, kdir = resolve_dirs(ontology_dir, kb_dir)
    files = sorted(p for p in odir.glob("*.ttl") if p.is_file())
    files += i18n_files(odir, kdir)
    if kdir.is_dir():
        files += sorted(p for p in kdir.glob("*.ttl") if p.is_file())
    return files


def _error_line(exc: BaseException) -> int | None:
    """The 1-based line number an rdflib/json/xml parse error points at, if any."""
    m = re.search(r"\bat line (\d+)", str(exc))
    if m:
        return int(m.group(1))
    lines = getattr(exc, "lines", None)  # rdflib BadSyntax: newlines before the error
    if isinstance(lines, int):
        return lines + 1
    for attr in ("lineno", "line"):  # json.JSONDecodeError, some others
        v = getattr(exc, attr, None)
        if isinstance(v, int):
            return v
    get_line = getattr(exc, "getLineNumber", None)  # xml.sax.SAXParseException
    if callable(get_line):
        try:
            return int(get_line())
        except Exception:
            return None
    m = re.search(r"\bline (\d+)", str(exc))
    return int(m.group(1)) if m else None


def _error_reason(exc: BaseException) -> str:
    why = getattr(exc, "_why", None)  # rdflib BadSyntax keeps the reason apart
    if why:
        return str(why)
    msg = getattr(exc, "msg", None)  # json.JSONDecodeError
    if isinstance(msg, str) and msg:
        return msg
    get_msg = getattr(exc, "getMessage", None)  # xml.sax.SAXParseException
    if callable(get_msg):
        try:
            return str(get_msg())
        except Exception:
            pass
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return first


def parse_file(path: str | os.PathLike, graph: "rdflib.Graph | None" = None,
               format: str | None = None) -> "rdflib.Graph":
    """Parse one RDF file (format from its suffix unless given) into ``graph`` (or a new one).

    The file is parsed into a fresh graph first and added only when it parsed
    completely, so a bad file leaves ``graph`` unchanged. Errors become
    :class:`UserError` with the file and, where known, the line.
    """
    import rdflib

    p = Path(path)
    fmt = format or FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise UserError(_("unknown RDF file type '{suffix}'; use one of {suffixes}").format(
            suffix=p.suffix, suffixes=", ".join(sorted(FORMATS))), file=p)
    if not p.is_file():
        raise UserError(_("file not found; check the name and the folder"), file=p)
    tmp = rdflib.Graph(bind_namespaces="none")
    try:
        if fmt == "xml":
            _parse_rdfxml(p, tmp)
        else:
            if fmt == "json-ld":
                from educluster.guards import jsonld_offline

                jsonld_offline()
            tmp.parse(str(p), format=fmt)
    except UserError as exc:
        raise UserError(exc.message, file=exc.file or p, line=exc.line) from exc
    except UnicodeDecodeError as exc:
        raise UserError(_("not UTF-8 text ({reason}); save the file as UTF-8").format(
            reason=exc.reason), file=p) from exc
    except Exception as exc:  # rdflib raises many types; all are the file's fault here
        name = FORMAT_NAMES.get(fmt, fmt)
        raise UserError(_("{kind} syntax error: {reason}; fix the file and run again").format(
            kind=name, reason=_error_reason(exc)), file=p, line=_error_line(exc)) from exc
    if graph is None:
        graph = new_graph()
    graph += tmp
    return graph


def _parse_rdfxml(p: Path, graph: "rdflib.Graph") -> None:
    """RDF/XML into ``graph``: checked by :func:`educluster.guards.check_rdfxml_file` (no DTD
    entities, bounded depth), then parsed by pyoxigraph, which is linear where rdflib's parser
    is quadratic in the length of a text with many character references (issue 12)."""
    import pyoxigraph as ox

    from educluster.guards import check_rdfxml_file
    from educluster.terms import ox_to_rdflib

    check_rdfxml_file(p)
    try:
        for t in ox.parse(path=str(p), format=ox.RdfFormat.RDF_XML, base_iri=p.resolve().as_uri(),
                          rename_blank_nodes=True):
            graph.add((ox_to_rdflib(t.subject), ox_to_rdflib(t.predicate), ox_to_rdflib(t.object)))
    except SyntaxError as exc:
        msg = str(exc.msg if getattr(exc, "msg", None) else exc)
        raise UserError(_("RDF/XML syntax error: {reason}; fix the file and run again").format(
            reason=" ".join(msg.split())), file=p, line=getattr(exc, "lineno", None)) from exc


def load_graph(ontology_dir: str | os.PathLike | None = None,
               kb_dir: str | os.PathLike | None = None,
               extra: Iterable[str | os.PathLike] = ()) -> "rdflib.Graph":
    """The ontology and knowledge base (plus ``extra`` RDF files) merged into one graph.

    Raises :class:`UserError` if there is nothing to load or a file does not parse.
    """
    files = ontology_files(ontology_dir, kb_dir)
    if not files:
        odir = ontology_dir if ontology_dir is not None else paths.ontology_dir()
        raise UserError(_("no *.ttl files in the ontology folder"), file=odir)
    graph = new_graph()
    for f in [*files, *map(Path, extra)]:
        parse_file(f, graph)
    return graph
