"""Running the shapes over institutions' data.

The data graph is merged with the part of the ontology and knowledge base validation needs
(types, class hierarchy, axes of relation types: :meth:`Vocabulary.background`), so that
``sh:class`` sees subclasses and knowledge-base items (pyshacl's ``ont_graph`` copies only
axioms, not individuals, hence the merge). Shapes: every ``*.ttl`` directly in ``shapes/``
(``shapes/meta/`` holds the knowledge base's own meta-shapes, which ``check`` runs).

Beyond SHACL, :mod:`educluster.validate.unknown_terms` warns about IRIs in our namespaces
(``ec:``, ``org:``, ``schema:``) that are not terms of the ontology, with the closest term.

Two ways in: :func:`validate_graph` takes an rdflib graph of the data (either engine);
:func:`validate_store` takes a pyoxigraph store already holding the data (the fast engine
on files it loaded itself, see :mod:`educluster.validate.store_input`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from educluster.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from educluster.convert.vocab import Vocabulary

SH = "http://www.w3.org/ns/shacl#"
ECSH = "https://w3id.org/educluster/shapes#"
VIOLATION = SH + "Violation"
WARNING = SH + "Warning"
INFO = SH + "Info"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
UNKNOWN_TERM_SHAPE = ECSH + "UnknownTerm"
UNKNOWN_TERM_COMPONENT = ECSH + "UnknownTermComponent"

@dataclass
class Result:
    """One validation result (from SHACL or from the unknown-term check)."""

    focus: Any                     # rdflib node
    path: Any | None               # rdflib node: an IRI or a blank node of ``path_graph``
    value: Any | None
    component: str
    severity: str
    shape: str | None
    message: str
    path_graph: Any | None = None  # the graph that holds a complex path's blank nodes
    suggestion: str | None = None  # unknown term: the closest declared term
    #: the shape's message in each language it has (``message`` is the English one)
    messages: dict = field(default_factory=dict, compare=False, repr=False)

    def message_in(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language), else in English."""
        from educluster.i18n import current

        return self.messages.get(lang or current()) or self.message


def shapes_files(shapes_dir: str | Path | None = None) -> list[Path]:
    from educluster import paths

    d = Path(shapes_dir) if shapes_dir else paths.shapes_dir()
    return sorted(p for p in d.glob("*.ttl") if p.is_file())


def message_files(shapes_dir: str | Path | None = None) -> list[Path]:
    """``shapes/i18n/*.ttl``: the shapes' messages in Uzbek (Latin, Cyrillic) and Russian."""
    from educluster import paths

    d = (Path(shapes_dir) if shapes_dir else paths.shapes_dir()) / "i18n"
    return sorted(p for p in d.glob("*.ttl") if p.is_file()) if d.is_dir() else []


@lru_cache(maxsize=4)
def load_shapes(shapes_dir: str | None = None) -> "rdflib.Graph":
    from educluster.errors import UserError
    from educluster.kb import new_graph, parse_file

    files = shapes_files(shapes_dir)
    if not files:
        raise UserError(_("no shapes (*.ttl) in the shapes folder"),
                        file=shapes_dir or "shapes/")
    g = new_graph()
    g.bind("sh", SH)
    g.bind("ecsh", ECSH)
    for f in files + message_files(shapes_dir):
        parse_file(f, g)
    return g


_CACHE_INSTALLED = False


def install_query_cache() -> None:
    """Parse each SPARQL text once per process.

    pyshacl hands rdflib the constraint's query *text* for every focus node, and rdflib parses
    it every time (about 0.1-0.3 s per query): on data with hundreds of memberships that
    dominated validation. The translated query is cached by its text, base and prefixes, and
    evaluated exactly as before.
    """
    global _CACHE_INSTALLED
    if _CACHE_INSTALLED:
        return
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.evaluate import evalQuery
    from rdflib.plugins.sparql.parser import parseQuery

    cache: dict[tuple, Any] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            q = cache.get(key)
            if q is None:
                if len(cache) > 512:
                    cache.clear()
                q = cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = q
        return evalQuery(self.graph, strOrQuery, initBindings, base)

    processor.SPARQLProcessor.query = query
    _CACHE_INSTALLED = True


def _background(vocab: "Vocabulary") -> "rdflib.Graph":
    """The vocabulary's background as of the reference date (cached per date)."""
    from educluster.convert.vocab import reference_date

    return _background_on(vocab, reference_date())


@lru_cache(maxsize=4)
def _background_on(vocab: "Vocabulary", today: str) -> "rdflib.Graph":
    return vocab.background(today)


def run_shacl(data: "rdflib.Graph", vocab: "Vocabulary",
              shapes: "rdflib.Graph") -> list[Result]:
    """pyshacl over data + background; the results of the report (not nested details)."""
    import pyshacl
    from rdflib import RDF, Graph, Namespace, URIRef

    install_query_cache()
    merged = Graph(bind_namespaces="none")
    for t in data:
        merged.add(t)
    for t in _background(vocab):
        merged.add(t)
    _conforms, report, _text = pyshacl.validate(
        merged, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True,
        inplace=True, advanced=False, meta_shacl=False, js=False, debug=False)
    sh = Namespace(SH)
    messages_of = message_table(shapes)
    results = []
    for rep in report.subjects(RDF.type, sh.ValidationReport):
        for r in report.objects(rep, sh.result):
            msgs = sorted(str(m) for m in report.objects(r, sh.resultMessage))
            shape = report.value(r, sh.sourceShape)
            message = _shape_message(shapes, shape) or (msgs[0] if msgs else "")
            results.append(Result(
                focus=report.value(r, sh.focusNode),
                path=report.value(r, sh.resultPath),
                value=report.value(r, sh.value),
                component=str(report.value(r, sh.sourceConstraintComponent)),
                severity=str(report.value(r, sh.resultSeverity)),
                shape=str(shape) if isinstance(shape, URIRef) else None,
                message=message,
                path_graph=report,
                messages=messages_of(shape),
            ))
    return results


def _shape_message(shapes: "rdflib.Graph", shape) -> str | None:
    """The shape's own sh:message (SPARQL constraints: the constraint's), untouched by the
    engine's substitutions."""
    from rdflib import URIRef

    if shape is None:
        return None
    return shape_messages(shapes, shape).get("en")


def message_table(shapes: "rdflib.Graph"):
    """``shape -> {lang: message}`` (:func:`shape_messages`), worked out once per shape."""
    table: dict = {}

    def messages_of(shape) -> dict[str, str]:
        if shape not in table:
            table[shape] = shape_messages(shapes, shape)
        return table[shape]

    return messages_of


def shape_messages(shapes: "rdflib.Graph", shape) -> dict[str, str]:
    """The shape's sh:message (SPARQL constraints: the constraint's) by language, each of
    :data:`educluster.i18n.LANGUAGES` present (English: the untagged or @en one); the same
    whichever order the store returns them in."""
    from rdflib import URIRef

    from educluster.i18n import LANGUAGES, pick

    if shape is None:
        return {}
    sh_message = URIRef(SH + "message")
    msgs = list(shapes.objects(shape, sh_message))
    if not msgs:
        for c in sorted(shapes.objects(shape, URIRef(SH + "sparql")), key=str):
            msgs = list(shapes.objects(c, sh_message))
            if msgs:
                break
    if not msgs:
        return {}
    tags = {(getattr(m, "language", None) or "").lower() for m in msgs}
    out = {lang: pick(msgs, lang) for lang in LANGUAGES if lang.lower() in tags}
    out["en"] = pick(msgs, "en")
    return out


def run_fast(data, vocab: "Vocabulary", shapes: "rdflib.Graph", collapsed=None,
             elsewhere: dict | None = None) -> list[Result]:
    """The same results as :func:`run_shacl`, from :mod:`educluster.fastvalidate` (the shapes
    compiled to SPARQL on pyoxigraph); a progress bar on a terminal. ``data``: an rdflib graph,
    or a pyoxigraph store holding the data (the background is added to it), or a store elsewhere
    that holds the background already (``elsewhere``: see :func:`educluster.fastvalidate.validate`)."""
    from rdflib import URIRef

    from educluster.fastvalidate import TerminalProgress, validate

    out = []
    messages_of = message_table(shapes)
    background = None if elsewhere is not None else _background(vocab)
    for r in validate(data, shapes, background, progress=TerminalProgress(),
                      collapsed=collapsed, elsewhere=elsewhere):
        shape = r.source_shape
        component = str(r.component)
        message = (_shape_message(shapes, shape) or r.message
                   or f"Does not satisfy {component.rsplit('#', 1)[-1]}.")
        out.append(Result(focus=r.focus, path=r.path, value=r.value, component=component,
                          severity=str(r.severity),
                          shape=str(shape) if isinstance(shape, URIRef) else None,
                          message=message, path_graph=shapes,
                          messages=messages_of(shape)))
    return out


def _fallback_note(exc: Exception) -> None:
    import sys

    print("educluster: validate: " + _("the fast engine does not support these shapes "
                                       "({reason}); using pyshacl").format(reason=exc),
          file=sys.stderr)


def validate_graph(data: "rdflib.Graph", vocab: "Vocabulary",
                   shapes: "rdflib.Graph | None" = None, engine: str = "fast") -> list[Result]:
    """Every result for ``data``: SHACL results, then unknown-term warnings. ``engine``:
    ``fast`` (default) or ``pyshacl``; shapes the fast engine does not support fall back to
    pyshacl, with one line on stderr."""
    from educluster.validate import unknown_terms

    shapes = shapes if shapes is not None else load_shapes()
    if engine == "fast":
        from educluster.fastvalidate import Unsupported

        try:
            return run_fast(data, vocab, shapes) + unknown_terms.in_graph(data, vocab)
        except Unsupported as exc:
            _fallback_note(exc)
    return run_shacl(data, vocab, shapes) + unknown_terms.in_graph(data, vocab)


def validate_store(store, collapsed, vocab: "Vocabulary",
                   shapes: "rdflib.Graph | None" = None, iris=None) -> list[Result]:
    """:func:`validate_graph` with the fast engine for data already in a pyoxigraph store
    (``collapsed``: the table of literals the store does not keep as written, from loading).
    The unknown-term check sees the data alone (its scans start before the background is
    added) and runs on a thread beside the shapes. Shapes the fast engine does not support
    fall back to pyshacl on an rdflib copy of the store (the background it may hold by then is
    merged in by pyshacl's run anyway). ``iris``: the namespace IRIs written in the data
    (:func:`.unknown_terms.iris_in_ntriples`), found while the data was read: then only the
    triples of the undeclared ones are looked up, here, before the background is added."""
    from concurrent.futures import Future, ThreadPoolExecutor

    from educluster.fastvalidate import Unsupported
    from educluster.validate import unknown_terms

    shapes = shapes if shapes is not None else load_shapes()
    # the unknown-term scans see the data alone and run beside the shapes (issue 16 §4)
    with ThreadPoolExecutor(1) as pool:
        if iris is not None:
            later: Future = Future()
            later.set_result(unknown_terms.from_iris(store, vocab, iris))
        else:
            later = unknown_terms.in_store_beside(store, vocab, _background(vocab), pool)
        try:
            return run_fast(store, vocab, shapes, collapsed) + later.result()
        except Unsupported as exc:
            _fallback_note(exc)
        return run_shacl(store_to_graph(store, collapsed), vocab, shapes) + later.result()


def store_to_graph(store, collapsed=None) -> "rdflib.Graph":
    """An rdflib copy of a pyoxigraph store's triples, literals as written (``collapsed``: the
    loading's table of literals the store keeps with another datatype)."""
    from educluster.kb import new_graph
    from educluster.terms import ox_to_rdflib

    g = new_graph()
    for q in store:
        s, p, o = q.subject, q.predicate, q.object
        written = collapsed.originals(s, p, o) if collapsed is not None else None
        for obj in written or [o]:
            g.add((ox_to_rdflib(s), ox_to_rdflib(p), ox_to_rdflib(obj)))
    return g
