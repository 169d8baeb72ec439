"""Evaluation: each constraint of each shape becomes a SPARQL SELECT on the store.

A set of focus nodes is a SPARQL pattern that binds one variable (:class:`Focus`): for a
shape with targets, the union of its targets (class targets through the subclass closure
of the class, read from the store: what pyshacl does with ``rdf:type/rdfs:subClassOf*``);
for a shape reached through ``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` or
``sh:qualifiedValueShape``, the value nodes of the shape that refers to it. A constraint
query joins the focus pattern with the shape's path and selects the (focus, value) pairs
that violate it -- with ``MINUS`` rather than ``FILTER NOT EXISTS`` where a whole set is
excluded (the latter is pathological at scale in both engines). Conformance of value nodes
to a referenced shape is decided by evaluating that shape on exactly those value nodes, in
one pass, never node by node.

``sh:sparql`` constraints run once for all focus nodes: the focus pattern is joined at the
start of the query's outer group, which is what pre-binding ``$this`` means for the queries
SHACL allows (SHACL 1.0, appendix on pre-binding); rows are then grouped and de-duplicated
per focus node the way pyshacl does it.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from educluster.fastvalidate.loading import (COLLAPSED, RDF_LANGSTRING, XSD, XSD_STRING,
                                             Collapsed)
from educluster.fastvalidate.rewrite import (not_exists_to_minus, self_join_stars,
                                             subclass_closures, uncorrelated_not_exists)
from educluster.sparqltext import first_brace
from educluster.fastvalidate.shapes import SH, Shape, ShapesGraph, Unsupported, sh

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_SUBCLASSOF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
RDFS_DATATYPE = "http://www.w3.org/2000/01/rdf-schema#Datatype"
MAX_DEPTH = 15
VALUES_LIMIT = 2000

NODE_KINDS = {
    "IRI": "isIRI(?{v})", "BlankNode": "isBlank(?{v})", "Literal": "isLiteral(?{v})",
    "BlankNodeOrIRI": "!isLiteral(?{v})", "BlankNodeOrLiteral": "!isIRI(?{v})",
    "IRIOrLiteral": "!isBlank(?{v})",
}
_COLLAPSED_NAMES = re.compile(r"[#:](?:integer|dateTime|" + "|".join(
    k[len(XSD):] for k in COLLAPSED) + r")\b")


@dataclass(frozen=True)
class Raw:
    """A result before its terms are turned into rdflib terms."""

    shape: Shape
    component: str            # local name, e.g. "ClassConstraintComponent"
    focus: object             # pyoxigraph term
    value: object = None      # pyoxigraph term (or rdflib term for a collapsed literal)
    path: object = "shape"    # "shape": the shape's sh:path; else a pyoxigraph term or None
    messages: tuple | None = None
    source_constraint: object = None


class Focus:
    """A set of focus nodes: ``pattern(var)`` is a SPARQL group that binds ``?var`` to each
    focus node exactly once."""

    def __init__(self, make: Callable[[str], str], label: str):
        self.make = make
        self.label = label

    def pattern(self, var: str) -> str:
        return self.make(var)


def sparql_string(s: str) -> str:
    return '"' + (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r")) + '"'


def term_sparql(t, where: str) -> str:
    """An rdflib term in SPARQL syntax (blank nodes cannot be written)."""
    from rdflib import BNode, Literal

    if isinstance(t, BNode):
        raise Unsupported(f"{where}: a blank node as a constraint value cannot be compiled")
    if isinstance(t, Literal) and t.datatype is not None and str(t.datatype) in COLLAPSED:
        raise Unsupported(f"{where}: a {t.datatype} literal as a constraint value (the store "
                          "keeps this datatype as its base type)")
    return t.n3()


def _ox_sparql(t) -> str:
    """A pyoxigraph term in SPARQL syntax (IRIs and literals)."""
    return str(t)


class Engine:
    def __init__(self, store, shapes: ShapesGraph, collapsed: Collapsed | None,
                 progress: Callable[[int, int, str], None] | None = None, rewrite: bool = True,
                 batching: bool = True):
        self.store = store
        self.sg = shapes
        self.collapsed = collapsed
        self.progress = progress or (lambda done, total, label: None)
        self._counter = itertools.count(1)
        self._query_counter = itertools.count(1)
        self._closures: dict = {}
        self._closure_pairs: dict = {}
        self._single: dict = {}
        self.single_typed = rewrite
        self.queries = 0
        self.workers = 1
        self._lock = threading.Lock()
        self.rewrite = rewrite
        self.batching = batching
        self.trace: list | None = None     # [(seconds, where, query)] when a list
        #: per-shape refusal (a store elsewhere): a shape that cannot run the same way there is
        #: listed in ``skipped`` (label, reason) instead of stopping the whole run
        self.per_shape = False
        self.skipped: list[tuple[str, str]] = []
        #: IRIs of background triples the store does not hold (a store elsewhere)
        self.absent: set[str] = set()
        #: a store elsewhere whose answer to a shape's query cannot be trusted: that shape is
        #: run again by an engine over this store (a :class:`.stores.LocalCopy`) and listed in
        #: ``copied`` (label, reason); None: the shape is skipped
        self.fallback_store = None
        self.copied: list[tuple[str, str]] = []
        self._fallback_engine = None

    # -- helpers ---------------------------------------------------------------------------

    def fresh(self, base: str = "v") -> str:
        return f"__{base}{next(self._counter)}"

    def query(self, text: str, where: str = ""):
        self.queries = next(self._query_counter)
        try:
            return self.store.query(text)
        except SyntaxError as e:
            exc = Unsupported(f"{where}: the compiled query is not accepted by {self._name()} ({e})")
            exc.by_store = True
            raise exc from e
        except (ValueError, OSError) as e:
            exc = Unsupported(f"{where}: {self._name()} could not evaluate the compiled query ({e})")
            exc.by_store = True
            raise exc from e

    def _name(self) -> str:
        """What runs the queries, for messages: Oxigraph here, or a store elsewhere."""
        return "the store" if hasattr(self.store, "query_as_is") else "Oxigraph"

    def rows(self, text: str, names: tuple, where: str = "") -> list[tuple]:
        t0 = time.process_time()
        sols = self.query(text, where)
        out = [tuple(s[n] for n in names) for s in sols]
        if self.trace is not None:
            self.trace.append((time.process_time() - t0, where, text))
        return out

    def closure(self, cls) -> str:
        """VALUES body: the class and its subclasses in the data graph."""
        from rdflib import URIRef

        if not isinstance(cls, URIRef):
            raise Unsupported(f"class {cls!r} is not an IRI")
        if cls not in self._closures:
            q = f"SELECT DISTINCT ?c WHERE {{ ?c {RDFS_SUBCLASSOF}* {cls.n3()} }}"
            found = {str(r[0]) for r in self.rows(q, ("c",), cls.n3())} | {str(cls.n3())}
            self._closures[cls] = " ".join(sorted(found))
        return self._closures[cls]

    def _type_pairs(self) -> str | None:
        """VALUES rows ``(type class)``: each object of ``rdf:type`` in the store with each
        class it reaches by ``rdfs:subClassOf*`` (itself included), once; None if one of them
        is a blank node, which a query cannot name (for :func:`.rewrite.subclass_closures`)."""
        import pyoxigraph as ox

        if "pairs" not in self._closure_pairs:
            rows = self.rows(f"SELECT DISTINCT ?t ?c WHERE {{ {{ SELECT DISTINCT ?t WHERE {{ "
                             f"?x {RDF_TYPE} ?t }} }} ?t {RDFS_SUBCLASSOF}* ?c }}", ("t", "c"),
                             "rdf:type pairs")
            self._closure_pairs["pairs"] = None if any(
                isinstance(x, ox.BlankNode) for r in rows for x in r) else " ".join(
                f"({_ox_sparql(t)} {_ox_sparql(c)})" for t, c in sorted(rows, key=str))
        return self._closure_pairs["pairs"]

    def _closure_list(self, iri: str) -> list[str]:
        """The class ``iri`` and its subclasses, as SPARQL IRIs (for the query rewrites)."""
        from rdflib import URIRef

        return self.closure(URIRef(iri)).split()

    # -- focus sets ------------------------------------------------------------------------

    def target_focus(self, s: Shape) -> Focus:
        from rdflib import BNode

        parts: list[Callable[[str], str]] = []
        for c in s.target_classes:
            def part(v, c=c):
                t = self.fresh("c")
                return f"{{ VALUES ?{t} {{ {self.closure(c)} }} ?{v} {RDF_TYPE} ?{t} . }}"
            parts.append(part)
        nodes = []
        for n in s.target_nodes:
            if isinstance(n, BNode):
                raise Unsupported(f"{s.label()}: a blank node as sh:targetNode")
            nodes.append(n.n3())
        if nodes:
            parts.append(lambda v, nodes=nodes: f"{{ VALUES ?{v} {{ {' '.join(nodes)} }} }}")
        for p in s.target_subjects_of:
            parts.append(lambda v, p=p: f"{{ ?{v} {p.n3()} ?{self.fresh('o')} . }}")
        for p in s.target_objects_of:
            parts.append(lambda v, p=p: f"{{ ?{self.fresh('s')} {p.n3()} ?{v} . }}")

        if len(parts) == 1 and len(s.target_classes) == 1 and len(self.closure(s.target_classes[0]).split()) == 1:
            # one class without subclasses: each instance has one such rdf:type triple
            only = self.closure(s.target_classes[0])
            return Focus(lambda v: f"?{v} {RDF_TYPE} {only} .", s.label())
        if self.single_typed and parts and len(parts) == len(s.target_classes):
            classes = sorted({c for k in s.target_classes for c in self.closure(k).split()})
            if self._one_type_each(classes):
                listed = " ".join(classes)

                def plain(v):
                    t = self.fresh("c")
                    return f"{{ VALUES ?{t} {{ {listed} }} ?{v} {RDF_TYPE} ?{t} . }}"
                return Focus(plain, s.label())

        def make(v):
            body = " UNION ".join(part(v) for part in parts)
            return f"{{ SELECT DISTINCT ?{v} WHERE {{ {body} }} }}"
        return Focus(make, s.label())

    def _one_type_each(self, classes: list[str]) -> bool:
        """Whether no node of a local store has two rdf:type triples among ``classes``."""
        import pyoxigraph as ox

        if not isinstance(self.store, ox.Store):
            return False
        key = tuple(classes)
        if key not in self._single:
            listed = " ".join(classes)
            self._single[key] = not self.query(
                f"ASK {{ VALUES ?a {{ {listed} }} VALUES ?b {{ {listed} }} "
                f"?x {RDF_TYPE} ?a . ?x {RDF_TYPE} ?b . FILTER(?a != ?b) }}", "focus")
        return self._single[key]

    def value_focus(self, s: Shape, f: Focus) -> Focus:
        """The value nodes of ``s`` on ``f``, as a focus set for a referenced shape."""
        if not s.is_property:
            return f

        def make(v):
            t = self.fresh("f")
            return (f"{{ SELECT DISTINCT ?{v} WHERE {{ {f.pattern(t)} "
                    f"?{t} {s.path_sparql} ?{v} . }} }}")
        return Focus(make, f"values of {s.label()}")

    def fv(self, s: Shape, f: Focus, this: str = "this", value: str = "value") -> str:
        """Pattern binding ?this (focus) and ?value (each value node)."""
        if s.is_property:
            return f"{f.pattern(this)} ?{this} {s.path_sparql} ?{value} ."
        return f"{f.pattern(this)} BIND(?{this} AS ?{value})"

    def pairs(self, s: Shape, f: Focus, filt: str = "", extra: str = "") -> list[tuple]:
        q = f"SELECT DISTINCT ?this ?value WHERE {{ {self.fv(s, f)} {extra} {filt} }}"
        return self.rows(q, ("this", "value"), s.label())

    def focus_nodes(self, f: Focus) -> list:
        return [r[0] for r in self.rows(f"SELECT ?this WHERE {{ {f.pattern('this')} }}",
                                        ("this",), f.label)]

    def pairs_with_value_in(self, s: Shape, f: Focus, nodes: set) -> list[tuple]:
        import pyoxigraph as ox

        if not nodes:
            return []
        if len(nodes) <= VALUES_LIMIT and not any(isinstance(n, ox.BlankNode) for n in nodes):
            values = " ".join(sorted(_ox_sparql(n) for n in nodes))
            return self.pairs(s, f, extra=f"VALUES ?value {{ {values} }}")
        return [(a, b) for a, b in self.pairs(s, f) if b in nodes]

    # -- shapes ----------------------------------------------------------------------------

    def validate(self) -> list[Raw]:
        shapes = self.sg.top_level()
        total = len(shapes)
        done = [0]

        def one(s):
            try:
                res = self.eval(s, self.target_focus(s), 0)
            except Unsupported as exc:
                if not self.per_shape:
                    raise
                res = None
                if self.fallback_store is not None and getattr(exc, "by_store", False):
                    try:
                        res = self.fallback().eval(s, self.fallback().target_focus(s), 0)
                        with self._lock:
                            self.copied.append((s.label(), str(exc)))
                    except Unsupported as again:
                        exc = again
                if res is None:
                    res = []
                    with self._lock:
                        self.skipped.append((s.label(), str(exc)))
            with self._lock:
                done[0] += 1
                self.progress(done[0], total, s.label())
            return res

        self.progress(0, total, "")
        if self.workers > 1 and total > 1:
            with ThreadPoolExecutor(self.workers) as pool:
                parts = list(pool.map(one, shapes))
        else:
            parts = [one(s) for s in shapes]
        return [r for part in parts for r in part]

    def fallback(self) -> "Engine":
        """The engine over :attr:`fallback_store` (made once): the same shapes, Oxigraph's
        evaluation, literals judged as a store that collapses integer types (pyoxigraph)."""
        with self._lock:
            if self._fallback_engine is None:
                collapsed = Collapsed()
                collapsed.by_value = True
                other = Engine(self.fallback_store, self.sg, collapsed, rewrite=self.rewrite,
                               batching=False)
                other.absent = self.absent
                self._fallback_engine = other
            return self._fallback_engine

    def failing(self, shape_node, f: Focus, depth: int) -> set:
        s = self.sg.shape(shape_node)
        if s.deactivated:
            return set()
        return {r.focus for r in self.eval(s, f, depth + 1)}

    def eval(self, s: Shape, f: Focus, depth: int, skip: frozenset = frozenset()) -> list[Raw]:
        if depth > MAX_DEPTH:
            raise Unsupported(f"{s.label()}: shapes nested deeper than {MAX_DEPTH} (recursive?)")
        if s.deactivated:
            return []
        out: list[Raw] = []
        p = {k: v for k, v in s.params.items() if k not in skip}
        handled: dict = {}
        if not s.is_property and self.batching and "property" in p:
            res, handled = self.batch(s, f)
            out += res
        for c in p.get("class", ()):
            out += self.c_class(s, f, c)
        for d in p.get("datatype", ()):
            out += self.c_datatype(s, f, d)
        if self.collapsed is not None and self.collapsed.ill_typed and "datatype" in s.params:
            out += self.ill_typed_extra(s, f, out)
        for k in p.get("nodeKind", ()):
            out += self.c_nodekind(s, f, k)
        if "pattern" in p:
            out += self.c_pattern(s, f)
        if "minCount" in p or "maxCount" in p:
            out += self.c_count(s, f, p.get("minCount", [None])[0], p.get("maxCount", [None])[0])
        for name in ("minLength", "maxLength"):
            if name in p:
                out += self.c_length(s, f, name)
        for name in ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive"):
            for v in p.get(name, ()):
                out += self.c_range(s, f, name, v)
        if "languageIn" in p:
            out += self.c_language_in(s, f)
        if "uniqueLang" in p and p["uniqueLang"][0].toPython() is True:
            out += self.c_unique_lang(s, f)
        for v in p.get("hasValue", ()):
            out += self.c_has_value(s, f, v)
        for lst in p.get("in", ()):
            out += self.c_in(s, f, lst)
        for name in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            for v in p.get(name, ()):
                out += self.c_pair(s, f, name, v)
        if "closed" in p and p["closed"][0].toPython() is True:
            out += self.c_closed(s, f)
        for n in p.get("node", ()):
            out += self.c_node(s, f, n, depth)
        for n in p.get("not", ()):
            out += self.c_not(s, f, n, depth)
        for name in ("and", "or", "xone"):
            for lst in p.get(name, ()):
                out += self.c_logical(s, f, name, lst, depth)
        if "qualifiedValueShape" in p:
            out += self.c_qualified(s, f, depth)
        for prop in p.get("property", ()):
            ps = self.sg.shape(prop)
            if not ps.is_property:
                raise Unsupported(f"{s.label()}: sh:property {prop.n3()} has no sh:path")
            out += self.eval(ps, self.value_focus(s, f), depth + 1,
                             frozenset(handled.get(prop, ())))
        for c in p.get("sparql", ()):
            out += self.c_sparql(s, f, c)
        return out

    def _raw(self, s, comp, rows, value=True, **kw) -> list[Raw]:
        return [Raw(s, comp, r[0], r[1] if value else None, **kw) for r in rows]

    def ill_typed_extra(self, s, f, found):
        """Literals rdflib marked ill-typed though their (normalised) lexical form is valid:
        a datatype violation for pyshacl, whatever the store says."""
        if not (s.is_property and s.path_sparql.startswith("<")):
            return []
        out = []
        reported = {(r.focus, r.value) for r in found
                    if r.shape is s and r.component == "DatatypeConstraintComponent"}
        for d in s.params.get("datatype", ()):
            cands = self.collapsed.ill_typed_for(s.path_sparql[1:-1], str(d))
            if not cands:
                continue
            focus = set(self.focus_nodes(f))
            for this, value in cands:
                if not _lexical_ok(value.value, str(d)):
                    continue          # ill-formed as stored: the datatype check saw it
                if this in focus and (this, value) not in reported:
                    out.append(Raw(s, "DatatypeConstraintComponent", this, value))
        return out

    # -- batching: the simple properties of a node shape in three queries ------------------

    ROW_PARAMS = ("nodeKind", "pattern", "minLength", "maxLength", "minExclusive",
                  "minInclusive", "maxExclusive", "maxInclusive", "languageIn", "in", "datatype")

    def batch(self, s: Shape, f: Focus):
        """Evaluate the row-level, class and count constraints of the node shape's property
        shapes whose path is one IRI, three queries in all (each scans the focus nodes and
        their values once, instead of once per constraint). Returns the results and, per
        property shape, the parameters handled here."""
        from rdflib import URIRef

        props = []
        for prop in s.params.get("property", ()):
            ps = self.sg.shapes.get(prop)
            if ps is None or not ps.is_property or ps.deactivated or not ps.path_sparql.startswith("<"):
                continue
            props.append(ps)
        handled: dict = {}
        rows_spec = []      # (shape index, component, condition, kind, datatype)
        class_spec = []     # (shape index, class)
        count_spec = []     # (shape index, lo, hi)
        for i, ps in enumerate(props):
            h = set()
            for name in self.ROW_PARAMS:
                vals = ps.params.get(name, ())
                conds = [self._row_condition(ps, name, v) for v in vals]
                if not vals or any(c is None for c in conds):
                    continue            # not batched: eval() checks it on its own
                comp = name[0].upper() + name[1:] + "ConstraintComponent"
                for v, cond in zip(vals, conds):
                    if name == "datatype":
                        wrong, suspect = cond
                        rows_spec.append((i, comp, wrong, "wrong", None))
                        if suspect:
                            rows_spec.append((i, comp, suspect, "suspect", str(v)))
                    else:
                        rows_spec.append((i, comp, cond, "wrong", None))
                h.add(name)
                if name == "pattern":
                    h.add("flags")
            classes = ps.params.get("class", ())
            if classes and all(isinstance(c, URIRef) for c in classes):
                for c in classes:
                    class_spec.append((i, c))
                h.add("class")
            lo, hi = ps.one("minCount"), ps.one("maxCount")
            lo = int(lo) if lo is not None and int(lo) > 0 else None
            hi = int(hi) if hi is not None else None
            if lo is not None or hi is not None:
                count_spec.append((i, lo, hi))
            h.update(k for k in ("minCount", "maxCount") if k in ps.params)
            if h:
                handled[ps.node] = h
        out: list[Raw] = []
        if rows_spec:
            out += self._batch_rows(props, f, rows_spec)
        if class_spec:
            out += self._batch_classes(props, f, class_spec)
        if count_spec:
            out += self._batch_counts(props, f, count_spec)
        return out, handled

    def _values_sp(self, props, idx) -> str:
        return " ".join(f"({i} {props[i].path_sparql})" for i in sorted(set(idx)))

    def _batch_rows(self, props, f, spec):
        """One query for the row-level constraints: a ``UNION`` branch per constraint, each
        reading its property's triples and keeping the values that break it. Oxigraph reads
        a property's triples from its index faster than it evaluates an expression per row,
        so reading a property once per constraint beats one read with every constraint's
        flag on every row (0.60 s against 0.33 s for Participant at 1M, measured in one process)."""
        branches = " UNION ".join(
            f"{{ ?this {props[i].path_sparql} ?value . FILTER({cond}) BIND({j} AS ?__j) }}"
            for j, (i, _, cond, _, _) in enumerate(spec))
        q = f"SELECT DISTINCT ?this ?__j ?value WHERE {{ {f.pattern('this')} {branches} }}"
        out = []
        seen = set()
        for this, j, value in self.rows(q, ("this", "__j", "value"), f.label):
            i, comp, _, kind, dt = spec[int(j.value)]
            if kind == "suspect" and _lexical_ok(value.value, dt):
                continue
            key = (i, comp, this, value)
            if key in seen:             # a datatype flagged both wrong and suspect
                continue
            seen.add(key)
            out.append(Raw(props[i], comp, this, value))
        return out

    def _batch_classes(self, props, f, spec):
        """One query for the ``sh:class`` constraints: a ``UNION`` branch per (property,
        class) whose values are not of the class or a subclass (``MINUS`` of the closure),
        which Oxigraph evaluates faster than one ``MINUS`` over a table of (type, class)
        pairs joined to every value (1.0-1.1 s against 0.7-0.8 s at 1M)."""
        branches = " UNION ".join(
            f"{{ ?this {props[i].path_sparql} ?value . "
            f"MINUS {{ VALUES ?__t {{ {self.closure(c)} }} ?value {RDF_TYPE} ?__t . }} "
            f"BIND({i} AS ?__s) }}" for i, c in spec)
        q = f"SELECT DISTINCT ?this ?__s ?value WHERE {{ {f.pattern('this')} {branches} }}"
        return [Raw(props[int(si.value)], "ClassConstraintComponent", this, value)
                for this, si, value in self.rows(q, ("this", "__s", "value"), f.label)]

    def _batch_counts(self, props, f, spec):
        count = "COUNT(?value)" if self._counts_without_distinct() else "COUNT(DISTINCT ?value)"
        conds = []
        for i, lo, hi in spec:
            c = []
            if lo is not None:
                c.append(f"{count} < {lo}")
            if hi is not None:
                c.append(f"{count} > {hi}")
            conds.append(f"(?__s = {i} && ({' || '.join(c)}))")
        q = (f"SELECT ?this ?__s ({count} AS ?n) WHERE {{ {f.pattern('this')} "
             f"VALUES (?__s ?__p) {{ {self._values_sp(props, [r[0] for r in spec])} }} "
             f"OPTIONAL {{ ?this ?__p ?value . }} }} GROUP BY ?this ?__s "
             f"HAVING({' || '.join(conds)})")
        bounds = {i: (lo, hi) for i, lo, hi in spec}
        out = []
        for this, si, n in self.rows(q, ("this", "__s", "n"), f.label):
            i = int(si.value)
            lo, hi = bounds[i]
            n = int(n.value)
            if lo is not None and n < lo:
                out.append(Raw(props[i], "MinCountConstraintComponent", this))
            if hi is not None and n > hi:
                out.append(Raw(props[i], "MaxCountConstraintComponent", this))
        return out

    def _counts_without_distinct(self) -> bool:
        """Whether the batched count query may count its rows instead of distinct values,
        which saves Oxigraph a set of values per (focus, property) group (about 15% of these
        queries' CPU at 1M, decision 0031): true on a local pyoxigraph store, where the
        default graph is a set of triples, the focus pattern binds each node once and the
        path is one IRI, so each (focus, property, value) is one row. Not on a store
        elsewhere, whose default graph may merge named graphs holding the same triple."""
        import pyoxigraph as ox

        return self.rewrite and isinstance(self.store, ox.Store)

    def _row_condition(self, s: Shape, name: str, v):
        """The SPARQL condition (true: a violation) of one row-level constraint on ?value,
        or None if this constraint is not batched. For sh:datatype a pair: (wrong datatype,
        lexical form to check in Python)."""
        from rdflib import BNode, Literal

        if name == "nodeKind":
            local = str(v)[len(SH):] if str(v).startswith(SH) else None
            return f"!({NODE_KINDS[local].format(v='value')})" if local in NODE_KINDS else None
        if name == "pattern":
            flags = s.one("flags")
            args = sparql_string(str(v)) + (", " + sparql_string(str(flags)) if flags is not None else "")
            self._check_regex(args, s)
            return f"(isBlank(?value) || !REGEX(STR(?value), {args}))"
        if name in ("minLength", "maxLength"):
            op = ">=" if name == "minLength" else "<="
            return f"(isBlank(?value) || !(STRLEN(STR(?value)) {op} {int(v)}))"
        if name in ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive"):
            if not isinstance(v, Literal) or (v.datatype is not None and str(v.datatype) in COLLAPSED):
                return None
            op = {"minExclusive": ">", "minInclusive": ">=", "maxExclusive": "<",
                  "maxInclusive": "<="}[name]
            return f"!COALESCE(?value {op} {v.n3()}, false)"
        if name == "languageIn":
            tags = self.sg.list_param(s, "languageIn")
            cond = " || ".join(f"langMatches(LANG(?value), {sparql_string(str(t))})" for t in tags)
            return f"(!isLiteral(?value) || !({cond or 'false'}))"
        if name == "in":
            members = _list(self.sg, v)
            if any(isinstance(m, BNode) or (isinstance(m, Literal) and m.datatype is not None
                                            and str(m.datatype) in COLLAPSED) for m in members):
                return None
            if not members:
                return "true"
            return "!(" + " || ".join(f"sameTerm(?value, {m.n3()})" for m in members) + ")"
        if name == "datatype":
            ds = str(v)
            self._note_by_value(s, ds)
            if ds in (RDFS_LITERAL, RDFS_DATATYPE, RDF_LANGSTRING) or ds in COLLAPSED:
                return None
            if self.collapsed is None and ds in COLLAPSED.values():
                return None
            if self.collapsed and any(COLLAPSED[k] == ds for k in self.collapsed.datatypes()):
                return None
            wrong = f"(!isLiteral(?value) || DATATYPE(?value) != <{ds}>)"
            suspect = None
            if ds in _CHECKED:
                same = f"isLiteral(?value) && DATATYPE(?value) = <{ds}>"
                safe = _SAFE.get(ds)
                if safe is None:
                    suspect = f"({same})"
                else:
                    regex, cast = safe
                    ok = f"REGEX(STR(?value), {sparql_string(regex)})"
                    if cast:
                        ok += f" && COALESCE(STRLEN(STR(<{ds}>(STR(?value)))) > 0, false)"
                    suspect = f"({same} && !({ok}))"
            return wrong, suspect
        return None

    def _note_by_value(self, s: Shape, ds: str) -> None:
        """Remember a datatype constraint the collapsing store elsewhere can only judge by
        value (its written datatype is lost there)."""
        coll = self.collapsed
        if coll is not None and coll.by_value and (ds in COLLAPSED or ds in COLLAPSED.values()):
            with self._lock:
                coll.noted.add(s.label())

    def _check_regex(self, args: str, s: Shape) -> None:
        try:
            list(self.store.query(f'SELECT ?x WHERE {{ BIND(REGEX("", {args}) AS ?x) }}'))
        except (SyntaxError, ValueError, OSError) as e:
            raise Unsupported(f"{s.label()}: sh:pattern not accepted by Oxigraph ({e})") from e

    # -- value type ------------------------------------------------------------------------

    def c_class(self, s, f, c):
        closure = self.closure(c)
        t = self.fresh("c")
        rows = self.pairs(s, f, extra=f"MINUS {{ VALUES ?{t} {{ {closure} }} ?value {RDF_TYPE} ?{t} . }}")
        return self._raw(s, "ClassConstraintComponent", rows)

    def c_nodekind(self, s, f, k):
        name = str(k)[len(SH):] if str(k).startswith(SH) else None
        if name not in NODE_KINDS:
            raise Unsupported(f"{s.label()}: unknown sh:nodeKind {k!r}")
        rows = self.pairs(s, f, f"FILTER(!({NODE_KINDS[name].format(v='value')}))")
        return self._raw(s, "NodeKindConstraintComponent", rows)

    def c_datatype(self, s, f, d):
        from rdflib import Literal, URIRef

        comp = "DatatypeConstraintComponent"
        ds = str(d)
        if ds == RDFS_LITERAL:
            return self._raw(s, comp, self.pairs(s, f, "FILTER(!isLiteral(?value))"))
        if ds == RDFS_DATATYPE:
            return self._raw(s, comp, self.pairs(
                s, f, f"FILTER(!isLiteral(?value) || LANG(?value) != \"\" "
                      f"|| DATATYPE(?value) = <{XSD_STRING}>)"))
        if ds == RDF_LANGSTRING:
            return self._raw(s, comp, self.pairs(
                s, f, "FILTER(!isLiteral(?value) || LANG(?value) = \"\")"))
        base = COLLAPSED.get(ds, ds)     # the datatype the store gives valid such literals
        coll = self.collapsed
        self._note_by_value(s, ds)
        derived = ds in COLLAPSED
        # data that had derived types stored under this base type (case B below)
        lookup = derived or (bool(coll) and any(COLLAPSED[k] == ds for k in coll.datatypes()))
        if lookup and coll is None:
            raise Unsupported(f"{s.label()}: sh:datatype {d.n3()} on a store loaded elsewhere "
                              "(the datatypes derived from xsd:integer/xsd:dateTime are unknown)")
        out: list[Raw] = []
        # 1. not a literal, or a datatype that cannot be right whatever was written
        ok_types = f"DATATYPE(?value) != <{ds}>" + (f" && DATATYPE(?value) != <{base}>" if derived else "")
        out += self._raw(s, comp, self.pairs(s, f, f"FILTER(!isLiteral(?value) || ({ok_types}))"))
        # 2. literals stored as the base type: what was written decides (A: ds is derived, the
        #    written type must be ds; B: ds is the base, the written type must not be derived)
        if lookup:
            import pyoxigraph as ox

            simple = s.is_property and s.path_sparql.startswith("<")
            pred = ox.NamedNode(s.path_sparql[1:-1]) if simple else None
            for this, value in self.pairs(s, f, f"FILTER(isLiteral(?value) && "
                                                 f"DATATYPE(?value) = <{base}>)"):
                if pred is not None:
                    originals = coll.originals(this, pred, value)
                elif coll is not None and coll.is_stored(value):
                    raise Unsupported(f"{s.label()}: sh:datatype on a value reached by a complex "
                                      f"path or as a focus node, {value}, that the store holds for "
                                      "literals written with several datatypes")
                else:
                    originals = None
                if not originals and coll is not None and coll.by_value and derived:
                    # a store elsewhere that collapses: judged by the value (noted)
                    if not _lexical_ok(value.value, ds):
                        out.append(Raw(s, comp, this, value))
                    continue
                if not originals:
                    if derived or not _lexical_ok(value.value, ds):
                        out.append(Raw(s, comp, this, value))
                    continue
                for o in originals:
                    if o.datatype.value != ds or not _lexical_ok(o.value, ds):
                        out.append(Raw(s, comp, this,
                                       Literal(o.value, datatype=URIRef(o.datatype.value))))
        # 3. literals stored with the datatype itself: ill-formed ones, by rdflib's verdict as
        #    pyshacl takes it (in case B, those were handled in 2)
        if (ds in _CHECKED or derived) and not (lookup and not derived):
            q = (f"SELECT DISTINCT ?lex WHERE {{ {self.fv(s, f)} FILTER(isLiteral(?value) && "
                 f"DATATYPE(?value) = <{ds}>) BIND(STR(?value) AS ?lex) }}")
            bad = [lex.value for (lex,) in self.rows(q, ("lex",), s.label())
                   if not _lexical_ok(lex.value, ds)]
            for i in range(0, len(bad), 500):
                chunk = ", ".join(sparql_string(b) for b in bad[i:i + 500])
                out += self._raw(s, comp, self.pairs(
                    s, f, f"FILTER(isLiteral(?value) && DATATYPE(?value) = <{ds}> "
                          f"&& STR(?value) IN ({chunk}))"))
        return out

    # -- cardinality -----------------------------------------------------------------------

    def c_count(self, s, f, lo, hi):
        lo = int(lo) if lo is not None and int(lo) > 0 else None
        hi = int(hi) if hi is not None else None
        simple = s.path_sparql.startswith("<") or re.fullmatch(r"\(\^<[^>]*>\)", s.path_sparql)
        if lo == 1 and hi is None and simple:
            # one anti-join: the fastest form for the commonest case
            q = (f"SELECT ?this WHERE {{ {f.pattern('this')} "
                 f"MINUS {{ ?this {s.path_sparql} ?value }} }}")
            return [Raw(s, "MinCountConstraintComponent", r[0])
                    for r in self.rows(q, ("this",), s.label())]
        if lo is None and hi is None:
            return []
        conds = ([f"?n < {lo}"] if lo is not None else []) + ([f"?n > {hi}"] if hi is not None else [])
        if lo is not None:
            body = f"{f.pattern('this')} OPTIONAL {{ ?this {s.path_sparql} ?value . }}"
        else:
            body = self.fv(s, f)
        q = (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {body} }} GROUP BY ?this "
             f"HAVING({' || '.join(conds).replace('?n', 'COUNT(DISTINCT ?value)')})")
        out = []
        for this, n in self.rows(q, ("this", "n"), s.label()):
            n = int(n.value)
            if lo is not None and n < lo:
                out.append(Raw(s, "MinCountConstraintComponent", this))
            if hi is not None and n > hi:
                out.append(Raw(s, "MaxCountConstraintComponent", this))
        return out

    # -- strings ---------------------------------------------------------------------------

    def c_pattern(self, s, f):
        pat = str(s.one("pattern"))
        flags = s.one("flags")
        args = sparql_string(pat) + (", " + sparql_string(str(flags)) if flags is not None else "")
        if getattr(getattr(self.store, "plain", None), "regex_bytes", False):
            # a store that matches on bytes: its values, matched here by Oxigraph
            return self._raw(s, "PatternConstraintComponent",
                             _not_matching(self.pairs(s, f), args))
        rows = self.pairs(s, f, f"FILTER(isBlank(?value) || !REGEX(STR(?value), {args}))")
        return self._raw(s, "PatternConstraintComponent", rows)

    def c_length(self, s, f, name):
        n = int(s.one(name))
        op = ">=" if name == "minLength" else "<="
        rows = self.pairs(s, f, f"FILTER(isBlank(?value) || !(STRLEN(STR(?value)) {op} {n}))")
        return self._raw(s, name[0].upper() + name[1:] + "ConstraintComponent", rows)

    def c_language_in(self, s, f):
        tags = self.sg.list_param(s, "languageIn")
        cond = " || ".join(f"langMatches(LANG(?value), {sparql_string(str(t))})" for t in tags)
        rows = self.pairs(s, f, f"FILTER(!isLiteral(?value) || !({cond or 'false'}))")
        return self._raw(s, "LanguageInConstraintComponent", rows)

    def c_unique_lang(self, s, f):
        q = (f"SELECT ?this ?lang WHERE {{ {self.fv(s, f)} FILTER(isLiteral(?value) && "
             f"LANG(?value) != \"\") BIND(LCASE(LANG(?value)) AS ?lang) }} "
             f"GROUP BY ?this ?lang HAVING(COUNT(DISTINCT ?value) > 1)")
        return [Raw(s, "UniqueLangConstraintComponent", r[0])
                for r in self.rows(q, ("this", "lang"), s.label())]

    # -- ranges and pairs (SPARQL semantics: an error is a violation) ------------------------

    def c_range(self, s, f, name, v):
        op = {"minExclusive": ">", "minInclusive": ">=", "maxExclusive": "<",
              "maxInclusive": "<="}[name]
        lit = term_sparql(v, s.label())
        rows = self.pairs(s, f, f"FILTER(!COALESCE(?value {op} {lit}, false))")
        return self._raw(s, name[0].upper() + name[1:] + "ConstraintComponent", rows)

    def c_pair(self, s, f, name, other):
        o = term_sparql(other, s.label())
        comp = name[0].upper() + name[1:] + "ConstraintComponent"
        if name == "equals":
            if s.is_property:
                q1 = f"SELECT DISTINCT ?this ?value WHERE {{ {self.fv(s, f)} MINUS {{ ?this {o} ?value }} }}"
                q2 = (f"SELECT DISTINCT ?this ?value WHERE {{ {f.pattern('this')} ?this {o} ?value . "
                      f"MINUS {{ ?this {s.path_sparql} ?value }} }}")
            else:
                q1 = (f"SELECT DISTINCT ?this ?value WHERE {{ {f.pattern('this')} BIND(?this AS ?value) "
                      f"MINUS {{ ?this {o} ?this }} }}")
                q2 = (f"SELECT DISTINCT ?this ?value WHERE {{ {f.pattern('this')} ?this {o} ?value "
                      f"FILTER(!sameTerm(?this, ?value)) }}")
            rows = self.rows(q1, ("this", "value"), s.label()) + self.rows(q2, ("this", "value"), s.label())
            return self._raw(s, comp, rows)
        if name == "disjoint":
            return self._raw(s, comp, self.pairs(s, f, extra=f"?this {o} ?value ."))
        op = "<" if name == "lessThan" else "<="
        t = self.fresh("o")
        # one result per (value, other value) pair, as the spec and pyshacl count them
        q = (f"SELECT DISTINCT ?this ?value ?{t} WHERE {{ {self.fv(s, f)} ?this {o} ?{t} . "
             f"FILTER(!COALESCE(?value {op} ?{t}, false)) }}")
        return [Raw(s, comp, r[0], r[1]) for r in self.rows(q, ("this", "value", t), s.label())]

    # -- other -----------------------------------------------------------------------------

    def c_has_value(self, s, f, v):
        val = term_sparql(v, s.label())
        if not s.is_property:
            rows = self.rows(f"SELECT ?this WHERE {{ {f.pattern('this')} "
                             f"FILTER(!sameTerm(?this, {val})) }}", ("this",), s.label())
        elif s.path_sparql.startswith("<") or s.path_sparql.startswith("(^<"):
            rows = self.rows(f"SELECT ?this WHERE {{ {f.pattern('this')} "
                             f"MINUS {{ ?this {s.path_sparql} {val} }} }}", ("this",), s.label())
        else:
            rows = self.rows(f"SELECT ?this WHERE {{ {f.pattern('this')} "
                             f"FILTER NOT EXISTS {{ ?this {s.path_sparql} {val} }} }}",
                             ("this",), s.label())
        return [Raw(s, "HasValueConstraintComponent", r[0], None if s.is_property else r[0])
                for r in rows]

    def c_in(self, s, f, lst):
        from rdflib.collection import Collection

        members = [term_sparql(m, s.label()) for m in Collection(self.sg.g, lst)]
        extra = f"MINUS {{ VALUES ?value {{ {' '.join(members)} }} }}" if members else ""
        return self._raw(s, "InConstraintComponent", self.pairs(s, f, extra=extra))

    def c_closed(self, s, f):
        from rdflib import URIRef

        allowed = set()
        for prop in s.params.get("property", ()):
            path = self.sg.g.value(prop, sh("path"))
            if isinstance(path, URIRef):
                allowed.add(path.n3())
        for ig in self.sg.list_param(s, "ignoredProperties"):
            allowed.add(term_sparql(ig, s.label()))
        t, o = self.fresh("p"), self.fresh("o")
        filt = f"FILTER(?{t} NOT IN ({', '.join(sorted(allowed))}))" if allowed else ""
        q = (f"SELECT DISTINCT ?this ?{t} ?{o} WHERE {{ {self.fv(s, f)} ?value ?{t} ?{o} . {filt} }}")
        return [Raw(s, "ClosedConstraintComponent", r[0], r[2], path=r[1])
                for r in self.rows(q, ("this", t, o), s.label())]

    # -- shape-based -----------------------------------------------------------------------

    #: parameters of a referenced node shape that :meth:`failure_condition` compiles
    CONDITION_PARAMS = frozenset(ROW_PARAMS) - {"datatype"} | {"flags"}

    def failure_condition(self, node) -> str | None:
        """A SPARQL condition on ``?value``, true when the value node does not conform to the
        shape ``node`` -- for a node shape whose constraints are all row-level (pattern,
        length, node kind, range, language, list of values) -- or None.

        ``sh:not``, ``sh:node``, ``sh:and``, ``sh:or`` and ``sh:xone`` otherwise evaluate the
        referenced shape on all value nodes and fetch every (focus, value) pair into Python
        to compare: at a million triples the name shapes' ``sh:not`` fetched 75 thousand
        names twice (about 0.5 s each); as a filter, the query returns only the violations.
        The conditions never raise a SPARQL error, so their negation is exact."""
        if not self.rewrite:
            return None
        n = self.sg.shape(node)
        if n.deactivated:
            return "false"           # a deactivated shape: every value conforms
        if n.is_property or not set(n.params) <= self.CONDITION_PARAMS:
            return None
        conds = []
        for name in self.ROW_PARAMS:
            for v in n.params.get(name, ()):
                c = self._row_condition(n, name, v)
                if c is None or not isinstance(c, str):
                    return None
                conds.append(f"({c})")
        return " || ".join(conds) or "false"

    def c_node(self, s, f, n, depth):
        cond = self.failure_condition(n)
        if cond is not None:
            return self._raw(s, "NodeConstraintComponent", self.pairs(s, f, f"FILTER({cond})"))
        bad = self.failing(n, self.value_focus(s, f), depth)
        return self._raw(s, "NodeConstraintComponent", self.pairs_with_value_in(s, f, bad))

    def c_not(self, s, f, n, depth):
        cond = self.failure_condition(n)
        if cond is not None:
            return self._raw(s, "NotConstraintComponent",
                             self.pairs(s, f, f"FILTER(!({cond}))"))
        bad = self.failing(n, self.value_focus(s, f), depth)
        return self._raw(s, "NotConstraintComponent",
                         [(a, b) for a, b in self.pairs(s, f) if b not in bad])

    def c_logical(self, s, f, name, lst, depth):
        members = _list(self.sg, lst)
        conds = [self.failure_condition(m) for m in members]
        if members and all(c is not None for c in conds):
            if name == "and":
                violated = " || ".join(f"({c})" for c in conds)
            elif name == "or":
                violated = " && ".join(f"({c})" for c in conds)
            else:
                violated = "(" + " + ".join(f"IF({c}, 0, 1)" for c in conds) + ") != 1"
            return self._raw(s, name[0].upper() + name[1:] + "ConstraintComponent",
                             self.pairs(s, f, f"FILTER({violated})"))
        vf = self.value_focus(s, f)
        fails = [self.failing(m, vf, depth) for m in members]
        out = []
        for a, b in self.pairs(s, f):
            ok = [b not in bad for bad in fails]
            if name == "and":
                violated = not all(ok)
            elif name == "or":
                violated = not any(ok)
            else:
                violated = sum(ok) != 1
            if violated:
                out.append((a, b))
        return self._raw(s, name[0].upper() + name[1:] + "ConstraintComponent", out)

    def conform_pattern(self, node) -> str | None:
        """A SPARQL group body that keeps a ``?value`` exactly when it conforms to the shape
        ``node``, or None: the negated :meth:`failure_condition` of a row-level node shape, or
        for a node shape whose property shapes each have a one-IRI path and only
        ``sh:hasValue``, ``sh:minCount`` 1 and ``sh:class``: one triple pattern per required
        value (a triple is there once), an ``EXISTS`` for a required value and a ``NOT EXISTS``
        of a value outside the class's closure (read from the store, as :meth:`c_class` does).
        Without the last two the pedagogical cluster's core check fetched every membership of
        those clusters into Python, three times (issue 16 §4, decision 0035)."""
        from rdflib import URIRef

        if not self.rewrite:
            return None
        cond = self.failure_condition(node)
        if cond is not None:
            return f"FILTER(!({cond}))"
        n = self.sg.shape(node)
        if n.is_property or set(n.params) != {"property"}:
            return None
        parts, filters = [], []
        for prop in n.params["property"]:
            ps = self.sg.shapes.get(prop)
            if ps is None or not ps.is_property or not ps.path_sparql.startswith("<"):
                return None
            if ps.deactivated:
                continue
            if not set(ps.params) <= {"hasValue", "minCount", "class"}:
                return None
            p = ps.path_sparql
            for v in ps.params.get("hasValue", ()):
                parts.append(f"?value {p} {term_sparql(v, ps.label())} .")
            lo = ps.one("minCount")
            if lo is not None and int(lo) > 1:
                return None
            if lo is not None and int(lo) == 1:
                filters.append(f"FILTER EXISTS {{ ?value {p} ?{self.fresh('m')} }}")
            for c in ps.params.get("class", ()):
                if not isinstance(c, URIRef):
                    return None
                x, t = self.fresh("x"), self.fresh("t")
                filters.append(f"FILTER NOT EXISTS {{ ?value {p} ?{x} . FILTER NOT EXISTS {{ "
                               f"VALUES ?{t} {{ {self.closure(c)} }} ?{x} {RDF_TYPE} ?{t} . }} }}")
        return " ".join(parts + filters)

    def c_qualified(self, s, f, depth):
        q = s.one("qualifiedValueShape")
        lo, hi = s.one("qualifiedMinCount"), s.one("qualifiedMaxCount")
        disjoint = s.one("qualifiedValueShapesDisjoint")
        pattern = None if disjoint is not None and disjoint.toPython() is True \
            else self.conform_pattern(q)
        if pattern is not None:
            # one grouped query over the conforming values instead of every (focus, value)
            # pair in Python (the one-core warning fetched 58 thousand memberships at 1M)
            lo = int(lo) if lo is not None else None
            hi = int(hi) if hi is not None else None
            conds = ([f"COUNT(DISTINCT ?value) < {lo}"] if lo is not None else []) + \
                    ([f"COUNT(DISTINCT ?value) > {hi}"] if hi is not None else [])
            if not conds:
                return []
            body = (f"OPTIONAL {{ ?this {s.path_sparql} ?value . {pattern} }}" if lo is not None
                    else f"?this {s.path_sparql} ?value . {pattern}")
            query = (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {f.pattern('this')} "
                     f"{body} }} GROUP BY ?this HAVING({' || '.join(conds)})")
            out = []
            for this, n in self.rows(query, ("this", "n"), s.label()):
                n = int(n.value)
                if lo is not None and n < lo:
                    out.append(Raw(s, "QualifiedMinCountConstraintComponent", this))
                if hi is not None and n > hi:
                    out.append(Raw(s, "QualifiedMaxCountConstraintComponent", this))
            return out
        vf = self.value_focus(s, f)
        bad = self.failing(q, vf, depth)
        sibling_bads = []
        if disjoint is not None and disjoint.toPython() is True:
            for sib in self._siblings(s):
                sibling_bads.append(self.failing(sib, vf, depth))
        counts: dict = {n: 0 for n in self.focus_nodes(f)}
        for a, b in self.pairs(s, f):
            if b not in bad and all(b in sb for sb in sibling_bads):
                counts[a] = counts.get(a, 0) + 1
        out = []
        for node, n in counts.items():
            if lo is not None and n < int(lo):
                out.append(Raw(s, "QualifiedMinCountConstraintComponent", node))
            if hi is not None and n > int(hi):
                out.append(Raw(s, "QualifiedMaxCountConstraintComponent", node))
        return out

    def _siblings(self, s):
        """Qualified value shapes of the other property shapes of s's parent shapes."""
        g = self.sg.g
        mine = s.one("qualifiedValueShape")
        out = []
        for parent in g.subjects(sh("property"), s.node):
            for sib in g.objects(parent, sh("property")):
                for q in g.objects(sib, sh("qualifiedValueShape")):
                    if q != mine and q not in out:
                        out.append(q)
        return out

    # -- SHACL-SPARQL ----------------------------------------------------------------------

    def c_sparql(self, s, f, c):
        from rdflib import Literal, URIRef

        g = self.sg.g
        deact = g.value(c, sh("deactivated"))
        if isinstance(deact, Literal) and deact.toPython() is True:
            return []
        select = g.value(c, sh("select"))
        if select is None:
            raise Unsupported(f"{s.label()}: a SPARQL constraint without sh:select")
        where = f"{s.label()} sh:sparql {c.n3()}"
        text = str(select)
        if re.search(r"[$?]shapesGraph\b", text):
            raise Unsupported(f"{where}: $shapesGraph is not supported")
        if re.search(r"[$?]currentShape\b", text):
            if not isinstance(s.node, URIRef):
                raise Unsupported(f"{where}: $currentShape on a blank-node shape")
            text = re.sub(r"[$?]currentShape\b", s.node.n3(), text)
        if re.search(r"\$PATH\b", text):
            if not s.is_property:
                raise Unsupported(f"{where}: $PATH in a node shape")
            text = re.sub(r"\$PATH\b", lambda m: s.path_sparql, text)
        for iri in sorted(self.absent):
            local = re.split(r"[#/]", iri)[-1]
            if f"<{iri}>" in text or re.search(r":" + re.escape(local) + r"\b", text):
                raise Unsupported(f"{where}: the store holds no <{iri}> triple, which a local "
                                  "run adds to the background")
        if self.collapsed and _COLLAPSED_NAMES.search(text):
            raise Unsupported(f"{where}: the query names xsd:integer/xsd:dateTime or a type "
                              "derived from them, which the store does not keep apart")
        prefixes = self.sg.prefixes(c)
        full = prefixes + "\n" + text
        brace = first_brace(full)
        if brace < 0:
            raise Unsupported(f"{where}: cannot find the query's WHERE clause")
        head = full[:brace]
        m = None
        for m in re.finditer(r"(?i)\bSELECT\b(\s+(?:DISTINCT|REDUCED)\b)?", head):
            pass
        if m is None:
            raise Unsupported(f"{where}: not a SELECT query")
        projection = head[m.end():]
        star = projection.strip().startswith("*")
        this_projected = star or re.search(r"[$?]this\b", projection) is not None
        if not this_projected:
            head = head[:m.end()] + " ?this" + head[m.end():]
        query = head + "{ " + f.pattern("this") + " " + full[brace + 1:]
        if self.rewrite:
            # a FILTER NOT EXISTS that shares no variable with the query is a constant: one ASK
            prologue = head[:m.start()]
            for start, end, block in reversed(uncorrelated_not_exists(query)):
                if self.query(prologue + " ASK { " + block + " }", where):
                    return []        # no row passes the filter
                query = query[:start] + query[end:]
            query = not_exists_to_minus(query)
            query = subclass_closures(query, self._closure_list, self._type_pairs)
            query = self_join_stars(query)
        t0 = time.process_time()
        sols = self.query(query, where)
        names = [v.value for v in sols.variables]
        sols = list(sols)
        if self.trace is not None:
            self.trace.append((time.process_time() - t0, where, query))
        messages = tuple(g.objects(c, sh("message"))) or None
        seen = set()
        out = []
        for sol in sols:
            d = {n: sol[n] for n in names if sol[n] is not None}
            this = d.pop("this", None)
            if not this_projected:
                t_reported = None
            else:
                t_reported = this
            failure = d.pop("failure", None)
            path = d.pop("path", None)
            value = d.pop("value", None)
            if failure is not None:
                key = (this, "failure")
                if key in seen:
                    continue
                seen.add(key)
                out.append(Raw(s, "SPARQLConstraintComponent", this,
                               None if s.is_property else this, messages=messages,
                               source_constraint=c))
                continue
            if t_reported is None and path is None and value is None:
                continue
            key = (this, t_reported, path, value, tuple(sorted((k, str(v)) for k, v in d.items())))
            if key in seen:
                continue
            seen.add(key)
            if value is None and not s.is_property:
                value = this
            out.append(Raw(s, "SPARQLConstraintComponent", this, value,
                           path=path if path is not None else "shape", messages=messages,
                           source_constraint=c))
        return out


def _not_matching(rows: list[tuple], args: str, chunk: int = 5000) -> list[tuple]:
    """The ``(focus, value)`` rows whose value is a blank node or does not match ``REGEX(STR(
    value), args)``, decided by pyoxigraph (the local engine's regular expressions) over the
    values sent as a ``VALUES`` table: for a store that would match them on bytes."""
    import pyoxigraph as ox

    local = ox.Store()
    out = [r for r in rows if isinstance(r[1], ox.BlankNode)]
    rest = [r for r in rows if not isinstance(r[1], ox.BlankNode)]
    for i in range(0, len(rest), chunk):
        part = rest[i:i + chunk]
        table = " ".join(f"({k} {_ox_sparql(r[1])})" for k, r in enumerate(part))
        q = (f"SELECT ?k WHERE {{ VALUES (?k ?value) {{ {table} }} "
             f"FILTER(!REGEX(STR(?value), {args})) }}")
        out += [part[int(row[0].value)] for row in local.query(q)]
    return out


def _list(sg: ShapesGraph, head) -> list:
    from educluster.fastvalidate.shapes import rdf_list

    return rdf_list(sg.g, head)


_CHECKED = {XSD + n for n in (
    "integer", "decimal", "float", "double", "boolean", "date", "dateTime", "time", "gYear",
    "gYearMonth", "gMonth", "gMonthDay", "gDay", "duration", "dayTimeDuration",
    "yearMonthDuration", "hexBinary", "base64Binary", "anyURI", "dateTimeStamp")}
_lex_cache: dict = {}

#: Lexical forms that rdflib and Oxigraph both take as valid for sure (a regex, and whether
#: Oxigraph's cast must also accept the form: day-of-month). Other forms are checked with
#: rdflib, as pyshacl does.
_SAFE = {
    XSD + "date": (r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", True),
    XSD + "dateTime": (r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T"
                       r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][01][0-9]:[0-5][0-9])?$", True),
    XSD + "gYear": (r"^[1-9][0-9]{3}$", False),
    XSD + "integer": (r"^[+-]?[0-9]+$", False),
    XSD + "decimal": (r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$", False),
    XSD + "boolean": (r"^(true|false|1|0)$", False),
}


def _lexical_ok(lex: str, datatype: str) -> bool:
    """Whether pyshacl accepts ``lex`` as a literal of ``datatype``: rdflib's ill-typed flag
    and pyshacl's check of the Python value for the types it knows."""
    key = (lex, datatype)
    ok = _lex_cache.get(key)
    if ok is None:
        import datetime
        import decimal
        import logging

        from rdflib import Literal, URIRef

        log = logging.getLogger("rdflib.term")
        level = log.level
        log.setLevel(logging.CRITICAL)   # rdflib logs every failed conversion
        try:
            lit = Literal(lex, datatype=URIRef(datatype))
        finally:
            log.setLevel(level)
        ok = getattr(lit, "ill_typed", None) is not True
        if ok:
            v = lit.value
            local = datatype[len(XSD):] if datatype.startswith(XSD) else None
            expect = {"integer": int, "float": float, "decimal": decimal.Decimal,
                      "boolean": bool, "date": datetime.date, "time": datetime.time,
                      "dateTime": datetime.datetime}.get(local)
            if expect is not None:
                ok = isinstance(v, expect)
        _lex_cache[key] = ok
    return ok
