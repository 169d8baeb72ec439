"""The shapes graph, read generically: every shape, its targets, path and constraints.

Nothing here knows our shapes: it reads whatever shapes graph it is given and says
clearly (:class:`Unsupported`) when a shape uses a feature the fast validator does not
implement, so the caller can fall back to pyshacl.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


class Unsupported(Exception):
    """The shapes use a SHACL feature the fast validator does not implement (use pyshacl)."""


def sh(local: str):
    from rdflib import URIRef

    return URIRef(SH + local)


#: Constraint parameters the engine implements (SHACL Core + SHACL-SPARQL constraints).
SUPPORTED = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
    "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "flags", "languageIn",
    "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or",
    "xone", "node", "property", "qualifiedValueShape", "qualifiedMinCount",
    "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "closed", "ignoredProperties",
    "hasValue", "in", "sparql",
}
#: sh: predicates on a shape that are not constraints.
NON_CONSTRAINTS = {
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "path", "severity",
    "message", "deactivated", "name", "description", "order", "group", "defaultValue",
    "declare", "prefixes", "shapesGraph", "entailment", "suggestedShapesGraph",
}
#: Parameters taking one value (several values are not supported).
SINGLE = {"minCount", "maxCount", "minLength", "maxLength", "flags", "uniqueLang", "closed",
          "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
          "qualifiedValueShape", "languageIn", "ignoredProperties", "pattern"}


@dataclass
class Shape:
    node: object                        # rdflib term in the shapes graph
    path: object | None = None          # the sh:path node (None for a node shape)
    path_sparql: str | None = None      # the path as a SPARQL property path
    severity: object = None
    messages: tuple = ()
    deactivated: bool = False
    target_classes: list = field(default_factory=list)
    target_nodes: list = field(default_factory=list)
    target_subjects_of: list = field(default_factory=list)
    target_objects_of: list = field(default_factory=list)
    params: dict = field(default_factory=dict)   # local name -> list of rdflib terms

    @property
    def is_property(self) -> bool:
        return self.path is not None

    @property
    def has_targets(self) -> bool:
        return bool(self.target_classes or self.target_nodes or self.target_subjects_of
                    or self.target_objects_of)

    def one(self, name: str):
        v = self.params.get(name)
        return v[0] if v else None

    def label(self) -> str:
        return self.node.n3() if hasattr(self.node, "n3") else str(self.node)


def rdf_list(g, head) -> list:
    from rdflib import URIRef
    from rdflib.collection import Collection

    if head == URIRef(RDF + "nil"):
        return []
    return list(Collection(g, head))


def path_to_sparql(g, p, where="") -> str:
    """A SHACL property path as a SPARQL property path."""
    from rdflib import BNode, URIRef

    if isinstance(p, URIRef):
        return p.n3()
    if isinstance(p, BNode):
        if (p, URIRef(RDF + "first"), None) in g:
            items = rdf_list(g, p)
            if len(items) < 2:
                raise Unsupported(f"{where}: a sequence path needs at least two members")
            return "(" + "/".join(path_to_sparql(g, i, where) for i in items) + ")"
        for local, fmt in (("inversePath", "^{}"), ("zeroOrMorePath", "{}*"),
                           ("oneOrMorePath", "{}+"), ("zeroOrOnePath", "{}?")):
            inner = g.value(p, sh(local))
            if inner is not None:
                return "(" + fmt.format(path_to_sparql(g, inner, where)) + ")"
        alt = g.value(p, sh("alternativePath"))
        if alt is not None:
            return "(" + "|".join(path_to_sparql(g, i, where) for i in rdf_list(g, alt)) + ")"
    raise Unsupported(f"{where}: unsupported property path {p!r}")


class ShapesGraph:
    """All shapes of an rdflib shapes graph."""

    def __init__(self, g):
        from rdflib import RDF as RDFNS, RDFS as RDFSNS

        self.g = g
        self.shapes: dict = {}
        candidates = set()
        for t in ("NodeShape", "PropertyShape"):
            candidates.update(g.subjects(RDFNS.type, sh(t)))
        for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "path",
                  "property", "sparql"):
            candidates.update(g.subjects(sh(p), None))
        for p in ("node", "property", "qualifiedValueShape", "not"):
            candidates.update(g.objects(None, sh(p)))
        for p in ("and", "or", "xone"):
            for lst in g.objects(None, sh(p)):
                candidates.update(rdf_list(g, lst))
        # implicit class targets: a shape that is also an rdfs:Class (as pyshacl decides it,
        # from the shapes graph)
        class_types = {RDFSNS.Class, *g.subjects(RDFSNS.subClassOf, RDFSNS.Class)}
        for node in candidates:
            self.shapes[node] = self._read(node, class_types)
        # pyshacl's rule: SPARQL-based custom constraint components are not core
        if any(g.subjects(RDFNS.type, sh("ConstraintComponent"))):
            raise Unsupported("the shapes graph defines SPARQL-based constraint components "
                              "(sh:ConstraintComponent)")

    def _read(self, node, class_types) -> Shape:
        from rdflib import RDF as RDFNS, Literal

        g = self.g
        where = node.n3()
        s = Shape(node)
        path = g.value(node, sh("path"))
        if path is not None:
            s.path = path
            s.path_sparql = path_to_sparql(g, path, where)
        s.severity = g.value(node, sh("severity")) or sh("Violation")
        s.messages = tuple(g.objects(node, sh("message")))
        deact = g.value(node, sh("deactivated"))
        s.deactivated = bool(isinstance(deact, Literal) and deact.toPython() is True)
        s.target_classes = list(g.objects(node, sh("targetClass")))
        if any(t in class_types for t in g.objects(node, RDFNS.type)):
            s.target_classes.append(node)
        s.target_nodes = list(g.objects(node, sh("targetNode")))
        s.target_subjects_of = list(g.objects(node, sh("targetSubjectsOf")))
        s.target_objects_of = list(g.objects(node, sh("targetObjectsOf")))
        if (node, sh("target"), None) in g:
            raise Unsupported(f"{where}: SPARQL-based targets (sh:target) are not supported")
        for p, o in g.predicate_objects(node):
            ps = str(p)
            if not ps.startswith(SH):
                continue
            local = ps[len(SH):]
            if local in NON_CONSTRAINTS:
                continue
            if local not in SUPPORTED:
                raise Unsupported(f"{where}: sh:{local} is not supported by the fast validator")
            s.params.setdefault(local, []).append(o)
        for local in SINGLE:
            if len(s.params.get(local, ())) > 1:
                raise Unsupported(f"{where}: several values of sh:{local}")
        if not s.is_property:
            for local in ("minCount", "maxCount", "uniqueLang", "qualifiedValueShape"):
                if local in s.params:
                    raise Unsupported(f"{where}: sh:{local} on a node shape")
        return s

    def top_level(self) -> list[Shape]:
        """Shapes with targets, in a stable order (property shapes after node shapes)."""
        out = [s for s in self.shapes.values() if s.has_targets and not s.deactivated]
        return sorted(out, key=lambda s: (s.is_property, str(s.node)))

    def shape(self, node) -> Shape:
        s = self.shapes.get(node)
        if s is None:
            raise Unsupported(f"{node.n3()} is used as a shape but is not one")
        return s

    def list_param(self, shape: Shape, name: str) -> list:
        head = shape.one(name)
        return [] if head is None else rdf_list(self.g, head)

    def prefixes(self, node) -> str:
        """PREFIX declarations for a SPARQL constraint (its sh:prefixes' sh:declare)."""
        lines = []
        for owner in self.g.objects(node, sh("prefixes")):
            for decl in self.g.objects(owner, sh("declare")):
                pfx = self.g.value(decl, sh("prefix"))
                ns = self.g.value(decl, sh("namespace"))
                if pfx is not None and ns is not None:
                    lines.append(f"PREFIX {pfx}: <{ns}>")
        return "\n".join(dict.fromkeys(lines))
