"""Fast SHACL validation: the shapes compiled to SPARQL and run on pyoxigraph.

    from educluster.fastvalidate import validate
    results = validate(["data.nt"], shapes_graph, background_graph)

gives the results pyshacl gives for the same data graph (the RDF merge of the data and the
background) and shapes -- the same focus nodes, paths, constraint components, severities and
number of results -- except where pyshacl contradicts the SHACL or SPARQL specification (see
``site/docs/decisions/0006-fast-validation.md`` and ``tests/test_fastvalidate*.py``). It reads
any shapes graph; a shape that uses a feature it does not implement raises
:class:`Unsupported` before anything is reported, so the caller can fall back to pyshacl.

Heavy libraries (rdflib, pyoxigraph) are imported inside functions: importing this package
costs nothing at start-up.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from educluster.fastvalidate.shapes import Unsupported

__all__ = ["Result", "Unsupported", "validate", "build_store", "TerminalProgress"]


@dataclass(frozen=True)
class Result:
    """One validation result, with rdflib terms (as in pyshacl's report graph)."""

    focus: object                      # sh:focusNode
    path: object | None                # sh:resultPath: the shape's sh:path node, or ?path
    component: object                  # sh:sourceConstraintComponent (URIRef)
    severity: object                   # sh:resultSeverity (URIRef)
    message: str | None                # the first sh:message of the shape or SPARQL constraint
    value: object | None               # sh:value
    source_shape: object               # sh:sourceShape
    source_constraint: object | None = None   # sh:sourceConstraint (SPARQL constraints)
    path_text: str | None = None       # the path as SPARQL property-path text
    messages: tuple = field(default=(), compare=False)

    def key(self) -> tuple:
        """What two engines must agree on: (focus, path, component, severity); the path as
        SPARQL text, so that a complex path compares equal across graphs."""
        return (self.focus, self.path_text, self.component, self.severity)


def build_store(data, background=None):
    """A pyoxigraph store holding ``data`` and ``background`` (file paths or rdflib graphs),
    and its table of literals whose datatype the store collapses (see :mod:`.loading`)."""
    from educluster.fastvalidate.loading import build_store as _build

    return _build(data, background)


def _shapes_graph(shapes):
    from rdflib import Graph

    if isinstance(shapes, Graph):
        return shapes
    g = Graph()
    for p in ([shapes] if isinstance(shapes, (str, Path)) else shapes):
        g.parse(str(p))
    return g


def validate(data, shapes_graph, background_graph=None, *,
             progress: Callable[[int, int, str], None] | None = None,
             collapsed=None, timings: dict | None = None, workers: int | None = None,
             rewrite: bool = True, batching: bool = True,
             elsewhere: dict | None = None) -> list[Result]:
    """Validate ``data`` merged with ``background_graph`` against ``shapes_graph``.

    ``data``: a file path, an rdflib graph, a list of those, or a pyoxigraph ``Store``
    (used as it is; ``background_graph`` is then added to it, and ``collapsed`` may pass the
    table :func:`build_store` returned). ``shapes_graph``: an rdflib graph or file paths.
    ``progress(done, total, label)`` is called as the shapes with targets are done.
    ``workers``: threads running queries (default: 2, or 1 on a one-core machine).
    ``rewrite``/``batching``: the two optimisations (off only to test them).
    ``data`` may also be a store elsewhere (:class:`.stores.EndpointStore`), which must hold the
    background already; ``elsewhere`` then passes ``absent`` (IRIs of background triples it
    lacks) and ``copy`` (a :class:`.stores.LocalCopy`, or none), and receives ``copied``: the
    shapes whose queries the store could not answer the same way, run on that copy instead,
    and ``skipped``: those that could not run either way, each with its reason (they report
    nothing; the caller says so).
    Raises :class:`Unsupported` if the shapes use a feature this engine does not implement.
    """
    import pyoxigraph as ox
    from rdflib import URIRef

    from educluster.fastvalidate.engine import Engine
    from educluster.fastvalidate.loading import Collapsed, load_into
    from educluster.terms import ox_to_rdflib
    from educluster.fastvalidate.shapes import SH, ShapesGraph

    t0 = time.perf_counter()
    sg = ShapesGraph(_shapes_graph(shapes_graph))      # Unsupported before any loading
    remote = hasattr(data, "quads_for_pattern") and not isinstance(data, ox.Store)
    if remote:
        store = data
    elif isinstance(data, ox.Store):
        store = data
        if background_graph is not None:
            collapsed = collapsed if collapsed is not None else Collapsed()
            load_into(store, background_graph, collapsed)
    else:
        store, collapsed = build_store(data, background_graph)
    t1 = time.perf_counter()
    if remote and getattr(store, "plain", None) is not None:
        # a store that answers paths and MINUS unlike SPARQL 1.1: the plainest forms
        rewrite = batching = False
    engine = Engine(store, sg, collapsed, progress, rewrite=rewrite, batching=batching)
    engine.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if remote:
        engine.per_shape = True
        engine.absent = set((elsewhere or {}).get("absent", ()))
        engine.fallback_store = (elsewhere or {}).get("copy")
    raws = engine.validate()
    if elsewhere is not None:
        elsewhere["skipped"] = sorted(engine.skipped)
        elsewhere["copied"] = sorted(engine.copied)
    t2 = time.perf_counter()
    out = []
    for r in raws:
        s = r.shape
        if r.path == "shape":
            path, text = s.path, s.path_sparql
        elif isinstance(r.path, (ox.NamedNode, ox.BlankNode, ox.Literal)):
            path = ox_to_rdflib(r.path)
            text = path.n3()
        else:
            path, text = r.path, None
        value = r.value
        if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
            value = ox_to_rdflib(value)
        msgs = r.messages if r.messages is not None else s.messages
        out.append(Result(
            focus=ox_to_rdflib(r.focus), path=path, component=URIRef(SH + r.component),
            severity=s.severity, message=str(msgs[0]) if msgs else None, value=value,
            source_shape=s.node, source_constraint=r.source_constraint, path_text=text,
            messages=tuple(msgs)))
    out.sort(key=lambda r: (str(r.focus), str(r.path), str(r.component), str(r.source_shape),
                            str(r.value)))
    if timings is not None:
        timings.update(load=t1 - t0, validate=t2 - t1, queries=engine.queries)
    return out


class TerminalProgress:
    """A one-line progress bar on standard error, drawn only on a terminal."""

    def __init__(self, stream=None, width: int = 30, label: str = "validating"):
        self.stream = stream or sys.stderr
        self.width = width
        self.label = label
        self.active = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()

    def __call__(self, done: int, total: int, what: str) -> None:
        if not self.active or total <= 0:
            return
        filled = int(self.width * done / total)
        bar = "#" * filled + "." * (self.width - filled)
        secs = time.perf_counter() - self.start
        line = f"\r{self.label} [{bar}] {done}/{total} {secs:5.1f}s {what[-40:]:<40}"
        self.stream.write(line)
        if done >= total:
            self.stream.write("\r" + " " * len(line) + "\r")
        self.stream.flush()
