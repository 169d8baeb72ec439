"""The validation report: for people (text, grouped by the entity at fault and named by its
label) and for machines (JSON, or a SHACL ``sh:ValidationReport`` in Turtle).

Each result says what is wrong (the shape's message, written for the person who fixes the
data), the offending value, and how to fix it: where the entity came from (file and line for
CSV, array and index for JSON), which column or property to change, and -- for values from
the knowledge base -- the allowed values and the closest one ("did you mean ...").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from educluster.convert.layout import EC, EXTERNAL_TERMS, ID, TEMPLATE_BY_NAME
from educluster.convert.vocab import slug_of
from educluster.i18n import _, ngettext
from educluster.kb import PREFIXES
from educluster.site.escape import article
from educluster.termsafe import ECHO_LIMIT, shorten
from educluster.validate.engine import (RDF_TYPE, RDFS_LABEL, SH, UNKNOWN_TERM_COMPONENT,
                                        VIOLATION, WARNING, Result)

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from educluster.convert.inputs import Loaded
    from educluster.convert.vocab import Vocabulary

ORG = "http://www.w3.org/ns/org#"

_ALL_PREFIXES = {**PREFIXES, "sh": SH, "ecsh": "https://w3id.org/educluster/shapes#"}
_MAX_LISTED = 12
_SHEETS = [name.lower() for name in TEMPLATE_BY_NAME]


def curie(iri: str) -> str:
    best = None
    for prefix, ns in _ALL_PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    if best:
        local = iri[len(best[1]):]
        if local and all(c.isalnum() or c in "_-./" for c in local):
            return f"{best[0]}:{local}"
    return f"<{iri}>"


def path_text(graph: "rdflib.Graph | None", node: Any) -> str | None:
    """A SHACL path as SPARQL property-path text with our prefixes (``^org:organization``)."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    if node is None:
        return None
    if isinstance(node, URIRef):
        return curie(str(node))
    if isinstance(node, BNode) and graph is not None:
        def v(p: str):
            return graph.value(node, URIRef(SH + p))
        for key, fmt in (("inversePath", "^{}"), ("zeroOrMorePath", "{}*"),
                         ("oneOrMorePath", "{}+"), ("zeroOrOnePath", "{}?")):
            inner = v(key)
            if inner is not None:
                return fmt.format(path_text(graph, inner))
        alt = v("alternativePath")
        if alt is not None:
            return "(" + "|".join(path_text(graph, x) or "?" for x in Collection(graph, alt)) + ")"
        items = list(Collection(graph, node))
        if items:
            return "/".join(path_text(graph, x) or "?" for x in items)
    return str(node)


def node_text(node: Any) -> str | None:
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return None
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        return "_:" + str(node)
    return str(node)


@dataclass
class Entry:
    result: Result
    path: str | None
    value: str | None
    value_label: str | None
    fix: str
    shape_name: str | None
    where: str | None = None
    #: the location as fields: file, row, column, sheet, cell (those that are known)
    location: dict = field(default_factory=dict)


@dataclass
class Entity:
    node: Any
    label: str
    kind: str | None
    source: str | None
    entries: list[Entry] = field(default_factory=list)
    location: dict = field(default_factory=dict)      # file, row, sheet of the entity's row


#: Constraint components whose results are consequences of other findings (something missing
#: or inconsistent between entities, which a wrong value elsewhere often causes); they are
#: listed after the findings about a value in a cell.
CONSEQUENCE_COMPONENTS = ("MinCountConstraintComponent", "QualifiedMinCountConstraintComponent",
                          "QualifiedMaxCountConstraintComponent", "SPARQLConstraintComponent")


def is_consequence(r: Result) -> bool:
    """True for a result that another finding may cause (see :data:`CONSEQUENCE_COMPONENTS`)."""
    return r.component.rsplit("#", 1)[-1] in CONSEQUENCE_COMPONENTS




class ReportBuilder:
    def __init__(self, results: list[Result], data: "rdflib.Graph", vocab: "Vocabulary",
                 shapes: "rdflib.Graph", loaded: "Loaded | None" = None):
        self.results = results
        self.data = data
        self.vocab = vocab
        self.shapes = shapes
        self.loaded = loaded
        self._term_iri = self._context_iris()

    # -- naming ---------------------------------------------------------------------------

    def _context_iris(self) -> dict[str, str]:
        """context term -> property IRI, for naming CSV columns in fixes."""
        from educluster.context import make_context

        ctx = dict(make_context(self.vocab.graph)["@context"])
        ctx.update(EXTERNAL_TERMS)
        out = {}
        for term, d in ctx.items():
            iri = d.get("@id") if isinstance(d, dict) else d
            if isinstance(iri, str) and not iri.startswith("@"):
                out[term] = iri
        return out

    def label(self, node: Any) -> str | None:
        from rdflib import Literal, URIRef

        if isinstance(node, Literal):
            return None
        labels = [o for o in self.data.objects(node, URIRef(RDFS_LABEL)) if isinstance(o, Literal)]
        if labels:
            en = [l for l in labels if l.language in (None, "", "en")]
            return str(sorted(en or labels)[0])
        return self.vocab.label(str(node)) if isinstance(node, URIRef) else None

    def kind(self, node: Any) -> tuple[str | None, str | None]:
        """(label, IRI) of the entity's most specific ontology class."""
        from rdflib import URIRef

        types = [str(t) for t in self.data.objects(node, URIRef(RDF_TYPE)) if isinstance(t, URIRef)]
        known = [t for t in types if t in self.vocab.declared]
        best = None
        for t in sorted(known):
            if best is None or best in self.vocab.ancestors(t):
                best = t
        if best is None:
            return None, None
        return self.vocab.label(best) or slug_of(best), best

    def entity_name(self, node: Any) -> str:
        from rdflib import BNode, URIRef

        lab = self.label(node)
        if lab:
            return lab
        _kind_label, kind = self.kind(node)

        def name_of(pred: str) -> str:
            vals = sorted(self.data.objects(node, URIRef(pred)), key=str)
            return " and ".join(self.label(v) or slug_of(str(v)) for v in vals) or "?"

        if kind == EC + "Membership":
            return _("membership of {member} in {cluster}").format(
                member=name_of(ORG + 'member'), cluster=name_of(ORG + 'organization'))
        if kind == EC + "CooperationLink":
            return _("link between {participants}").format(participants=name_of(EC + 'participant'))
        if kind == EC + "ParticipantCount":
            return _("count of {kind} in {cluster}").format(kind=name_of(EC + 'countedKind'),
                                                           cluster=name_of(EC + 'withinCluster'))
        if isinstance(node, URIRef):
            return slug_of(str(node)) or str(node)
        if isinstance(node, BNode):
            return _("(an unnamed node)")
        return str(node)

    # -- fixes ----------------------------------------------------------------------------

    def column_name(self, focus: Any, path: Any) -> str | None:
        """The CSV column / sheet column / JSON key that holds ``path`` of a CSV/JSON/workbook
        entity (a simple path), else None."""
        from rdflib import URIRef

        if self.loaded is None or not isinstance(path, URIRef):
            return None
        tname = self.loaded.templates.get(str(focus))
        if not tname:
            return None
        for c in TEMPLATE_BY_NAME[tname].columns:
            if self._term_iri.get(c.term) == str(path):
                return c.name
        return None

    def column_of(self, focus: Any, path: Any) -> str | None:
        """'column X of T.csv' (or the cell of a workbook, or the JSON key) for a CSV, workbook
        or JSON entity and a simple path, else None."""
        name = self.column_name(focus, path)
        if name is None:
            return None
        tname = self.loaded.templates[str(focus)]
        loc = self.loaded.locations.get(str(focus), {})
        if loc.get("sheet"):
            cell = _cell(loc, name)
            return _("cell {cell} (column '{column}' of sheet {sheet})").format(
                cell=cell, column=name, sheet=loc['sheet'])
        return _("column '{column}' of {file}").format(column=name, file=f"{tname}.csv") \
            if self._from_csv(focus) else \
            _("key '{key}' in '{table}'").format(key=name, table=tname)

    def location(self, focus: Any, path: Any = None) -> dict:
        """Where a result lies, as fields: ``file``, ``row``, ``column``, ``sheet``, ``cell``
        (those known; JSON rows give ``item`` instead of ``row``)."""
        if self.loaded is None:
            return {}
        loc = dict(self.loaded.locations.get(str(focus), {}))
        letters = loc.pop("letters", None)
        name = self.column_name(focus, path) if path is not None else None
        if name:
            loc["column"] = name
        if loc.get("sheet"):
            loc["cell"] = _cell({**loc, "letters": letters or {}}, name or "id")
        return loc

    def _from_csv(self, focus: Any) -> bool:
        loc = self.loaded.locations.get(str(focus), {}) if self.loaded else {}
        return loc.get("line") is not None or ("row" in loc and "sheet" not in loc)

    def _ids_like(self, value: str, cls: str | None) -> str | None:
        """The id of a row in the data closest to ``value`` (a mistyped reference), preferring
        rows whose kind is ``cls``; None when nothing is close."""
        import difflib

        if self.loaded is None or not self.loaded.templates:
            return None
        wanted = {t.name for t in TEMPLATE_BY_NAME.values()
                  if cls and (EC + t.default_type == cls
                              or cls in self.vocab.ancestors(EC + t.default_type))}
        iris = [i for i, t in self.loaded.templates.items() if not wanted or t in wanted]
        by_id = {}
        for iri in iris:
            for b in sorted(self.loaded.bases, key=len, reverse=True):
                if iri.startswith(b):
                    by_id[iri[len(b):]] = iri
                    break
        raw = value
        for b in self.loaded.bases:
            if raw.startswith(b):
                raw = raw[len(b):]
        hits = difflib.get_close_matches(raw, list(by_id), n=1, cutoff=0.6)
        return hits[0] if hits and hits[0] != raw else None

    def _core_rows(self, cluster: Any) -> list[str]:
        """Where the memberships of ``cluster`` in the role core come from ("memberships.csv:3")."""
        from rdflib import URIRef

        core = URIRef(ID + "role/core")
        found = []
        for m in self.data.subjects(URIRef(ORG + "organization"), cluster):
            if (m, URIRef(ORG + "role"), core) in self.data:
                src = self.loaded.sources.get(str(m)) if self.loaded else None
                found.append(src or slug_of(str(m)))
        return sorted(found)

    def where(self, r: Result) -> str | None:
        from rdflib import URIRef

        col = self.column_of(r.focus, r.path)
        if col:
            return col
        if r.path is not None:
            text = path_text(r.path_graph, r.path)
            if text in ("^org:organization", "^org:member") and self.loaded \
                    and str(r.focus) in self.loaded.templates:
                return "memberships.csv" if self._from_csv(r.focus) else "memberships"
            if isinstance(r.path, URIRef):
                return _("property {path}").format(path=text)
            return _("path {path}").format(path=text)
        return None

    def allowed(self, shape: str | None) -> tuple[list[str], str | None]:
        """(allowed IRIs, class IRI) for a shape that restricts values to knowledge-base items
        or participant kinds; ([], None) otherwise."""
        from rdflib import URIRef

        if not shape:
            return [], None
        g = self.shapes
        s = URIRef(shape)
        cls = g.value(s, URIRef(SH + "class"))
        axis = None
        node = g.value(s, URIRef(SH + "node"))
        if node is not None:
            cls = g.value(node, URIRef(SH + "class")) or cls
            for ps in g.objects(node, URIRef(SH + "property")):
                if g.value(ps, URIRef(SH + "path")) == URIRef(EC + "onAxis"):
                    axis = g.value(ps, URIRef(SH + "hasValue"))
            if str(node).endswith("#ParticipantKindClass"):
                return [c for c in sorted(self.vocab.descendants(EC + "Participant"))
                        if c.startswith(EC)], EC + "Participant"
        if cls is None:
            return [], None
        inst = [i for i in self.vocab.instances(str(cls), str(axis) if axis else None)
                if i.startswith(ID)]
        return inst, str(cls)

    def fix_for(self, r: Result) -> str:
        from rdflib import URIRef

        comp = r.component.rsplit("#", 1)[-1]
        parts: list[str] = []
        if r.component == UNKNOWN_TERM_COMPONENT:
            if r.suggestion:
                parts.append(_("did you mean {term}?").format(term=curie(r.suggestion)))
            else:
                parts.append(_("use a term of the ontology (see educluster template's README)"))
            return " ".join(parts)
        allowed, cls = ([], None)
        if comp in ("ClassConstraintComponent", "NodeConstraintComponent"):
            allowed, cls = self.allowed(r.shape)
        if allowed:
            names = [slug_of(a) for a in allowed]
            typed = self.loaded.typed_codes.get(str(r.value)) if self.loaded and \
                r.value is not None else None
            if typed and not typed.isascii() and cls != EC + "Region":  # names in any script
                from educluster.convert.confusables import odd_character

                odd = odd_character(typed)
                if odd:
                    parts.append(_("you typed '{typed}': {problem}").format(typed=typed, problem=odd))
            if r.value is not None:
                hint = self.vocab.suggest_code(str(r.value), allowed, typed)
                if hint:
                    code = slug_of(hint)              # a code such as UZ-SA: say its name too
                    label = self.vocab.label(hint) if code != code.lower() else None
                    named = f" ({label})" if label else ""
                    parts.append(_("did you mean '{code}'{named}?").format(code=slug_of(hint),
                                                                         named=named))
            shown = ", ".join(names[:_MAX_LISTED]) + (" ..." if len(names) > _MAX_LISTED else "")
            parts.append(_("allowed: {codes}").format(codes=shown))
        elif comp == "ClassConstraintComponent" and r.shape:
            c = self.shapes.value(URIRef(r.shape), URIRef(SH + "class"))
            if c is not None:
                what = self.vocab.label(str(c)) or slug_of(str(c))
                hint = self._ids_like(str(r.value), str(c)) if r.value is not None else None
                if hint:
                    parts.append(_("did you mean '{code}'?").format(code=hint))
                parts.append(_("the value must be the id of {a_thing} described in your data")
                             .format(a_thing=f"{article(what)} {what}"))
        elif comp in ("MinCountConstraintComponent", "QualifiedMinCountConstraintComponent") \
                and path_text(r.path_graph, r.path) == "^org:organization":
            parts.append(_("add a membership (a row of memberships.csv) with this cluster's id in "
                           "column 'cluster' and the role core for the university or institute")
                         if comp.startswith("Qualified") else
                         _("add a membership (a row of memberships.csv) with this cluster's id in "
                           "column 'cluster'"))
        elif comp == "MinCountConstraintComponent" and \
                path_text(r.path_graph, r.path) == "^org:member":
            parts.append(_("add a membership (a row of memberships.csv) with this participant's "
                           "id in column 'member'"))
        elif comp == "MinCountConstraintComponent":
            n = _int(self.shapes.value(URIRef(r.shape), URIRef(SH + "minCount"))) if r.shape \
                else None
            if n and n > 1:
                parts.append(ngettext("give {n} different value (the same value written twice "
                                      "counts once)",
                                      "give {n} different values (the same value written twice "
                                      "counts once)",
                                      n).format(n=n))
            else:
                parts.append(_("add the missing value"))
        elif comp == "MaxCountConstraintComponent":
            n = _int(self.shapes.value(URIRef(r.shape), URIRef(SH + "maxCount"))) if r.shape \
                else None
            parts.append(_("keep only one value") if not n or n == 1 else
                         ngettext("keep only {n} value",
                                  "keep only {n} values",
                                  n).format(n=n))
        elif comp == "QualifiedMaxCountConstraintComponent" and \
                path_text(r.path_graph, r.path) == "^org:organization":
            rows = self._core_rows(r.focus)
            if rows:
                parts.append(_("the memberships in the role core are at {rows}; keep the role "
                               "core for one and make the others partner")
                             .format(rows=_(" and ").join(rows)))
        elif comp == "DatatypeConstraintComponent" and r.shape:
            dt = str(self.shapes.value(URIRef(r.shape), URIRef(SH + "datatype")) or "")
            parts.append({
                "http://www.w3.org/2001/XMLSchema#date": _("write the date as YYYY-MM-DD"),
                "http://www.w3.org/2001/XMLSchema#string": _("write plain text (no language tag "
                                                             "or datatype)"),
                "http://www.w3.org/2001/XMLSchema#nonNegativeInteger": _("write a whole number "
                                                                         "such as 21"),
            }.get(dt) or _("use the datatype {datatype}").format(datatype=curie(dt)))
        return "; ".join(parts)

    # -- build ----------------------------------------------------------------------------

    def entities(self) -> list[Entity]:
        from rdflib import URIRef

        by_node: dict[Any, Entity] = {}
        for r in self.results:
            e = by_node.get(r.focus)
            if e is None:
                kind_label, _kind = self.kind(r.focus)
                src = self.loaded.sources.get(str(r.focus)) if self.loaded else None
                e = by_node[r.focus] = Entity(r.focus, shorten(self.entity_name(r.focus)),
                                              kind_label, src)
            shape_name = None
            if r.shape:
                n = self.shapes.value(URIRef(r.shape), URIRef(SH + "name"))
                shape_name = str(n) if n is not None else None
            value_label = self.label(r.value) if r.value is not None else None
            value = node_text(r.value)
            e.entries.append(Entry(r, path_text(r.path_graph, r.path),
                                   None if value is None else shorten(value),
                                   None if value_label is None else shorten(value_label),
                                   self.fix_for(r), shape_name, self.where(r),
                                   self.location(r.focus, r.path)))
            if not e.location:
                e.location = self.location(r.focus)

        def sev_rank(x: Entry) -> int:
            return 0 if x.result.severity == VIOLATION else 1

        files = file_order(self.loaded.files if self.loaded else [])

        def place(e: Entity) -> tuple:
            """Causes (a wrong value in a cell) before consequences; then by file (in the
            order of the tables, then as given), sheet, row; then violations before warnings
            and by name."""
            f = e.location.get("file")
            sheet = e.location.get("sheet") or ""
            return (min(int(is_consequence(x.result)) for x in e.entries),
                    files.index(f) if f in files else len(files),
                    _SHEETS.index(sheet.lower()) if sheet.lower() in _SHEETS else -1,
                    e.location.get("row") or 0,
                    min(sev_rank(x) for x in e.entries), e.label.lower(), str(e.node))

        for e in by_node.values():
            e.entries.sort(key=lambda x: (int(is_consequence(x.result)), sev_rank(x),
                                          x.path or "", x.value or "", x.result.message))
        return sorted(by_node.values(), key=place)


def file_order(files: list[str]) -> list[str]:
    """The files in the order of the tables they hold (clusters, participants, memberships,
    links, ...: what is referred to before what refers to it), other files after, as given."""
    from pathlib import Path

    from educluster.convert.layout import template_for_file

    def key(item: tuple[int, str]) -> tuple[int, int]:
        i, f = item
        t = template_for_file(Path(f).stem)
        return (_SHEETS.index(t.name) if t else len(_SHEETS), i)
    return [f for _i, f in sorted(enumerate(files), key=key)]


def file_summary(entities: list[Entity], loaded: "Loaded | None") -> list[dict]:
    """Per input file: rows read and entities made (tables and JSON), and findings."""
    if loaded is None:
        return []
    findings: dict[str, int] = {}
    for e in entities:
        f = e.location.get("file")
        if f:
            findings[f] = findings.get(f, 0) + len(e.entries)
    out = []
    for f in file_order(list(loaded.files)):
        item: dict = {"file": f}
        stats = loaded.stats.get(f)
        if stats:
            item.update(rows=stats["rows"], entities=stats["entities"])
        item["findings"] = findings.get(f, 0) if stats else None
        out.append(item)
    return out


def _int(node: Any) -> int | None:
    try:
        return int(node) if node is not None else None
    except (TypeError, ValueError):
        return None


def _cell(loc: dict, column: str) -> str:
    """``participants!C7``: the cell of ``column`` in a workbook row's location."""
    letter = (loc.get("letters") or {}).get(column, "A")
    return f"{loc['sheet']}!{letter}{loc.get('row', '')}"


def count(results: list[Result]) -> tuple[int, int]:
    v = sum(1 for r in results if r.severity == VIOLATION)
    return v, len(results) - v


def exit_code(results: list[Result], strict: bool) -> int:
    v, w = count(results)
    return 1 if v or (strict and w) else 0


def _sev_word(sev: str) -> str:
    return {VIOLATION: "violation", WARNING: "warning"}.get(sev, sev.rsplit("#", 1)[-1].lower())


def _severity_word(sev: str) -> str:
    """VIOLATION, WARNING (the text report's tag for a finding) in the current language."""
    return {VIOLATION: _("VIOLATION"), WARNING: _("WARNING")}.get(
        sev, sev.rsplit("#", 1)[-1].upper())


def verdict_line(where: str, code: int, v: int, w: int, strict: bool) -> str:
    """``FILE: conforms — 0 violations, 2 warnings`` in the current language."""
    verdict = _("conforms") if code == 0 else _("does not conform")
    counts = (ngettext("{n} violation", "{n} violations", v).format(n=v) + ", "
              + ngettext("{n} warning", "{n} warnings", w).format(n=w))
    return (f"{where}: {verdict} — {counts}"
            + (" " + _("(--strict: warnings count)") if strict and w else ""))


def shown_value(x: Entry, bases: tuple[str, ...] = ()) -> str | None:
    """The value as the user wrote it: a knowledge-base item by its slug, an id without the
    base; other values as they are."""
    if x.value is None:
        return None
    shown = x.value
    if x.result.value is not None and str(x.result.value).startswith(ID):
        shown = slug_of(x.value)
    for b in bases:
        if shown.startswith(b) and len(shown) > len(b):
            shown = shown[len(b):]
    return shown


def summary_line(item: dict) -> str:
    """``participants.csv: 11 rows read, 11 entities, 2 findings`` (what is known of a file)."""
    bits = []
    if "rows" in item:
        n = item["entities"]
        bits += [ngettext("{n} row read", "{n} rows read", item["rows"]).format(n=item["rows"]),
                 ngettext("{n} entity made", "{n} entities made", n).format(n=n)]
    if item.get("findings") is not None:
        bits.append(ngettext("{n} finding", "{n} findings", item["findings"])
                    .format(n=item["findings"]))
    return f"{item['file']}: {', '.join(bits)}" if bits else item["file"]


def to_text(entities: list[Entity], results: list[Result], files: list[str], strict: bool,
            bases: tuple[str, ...] = (), summary: list[dict] | None = None) -> str:
    v, w = count(results)
    code = exit_code(results, strict)
    where = files[0] if len(files) == 1 else \
        ngettext("{n} file", "{n} files", len(files)).format(n=len(files))
    lines = [verdict_line(where, code, v, w, strict)]
    for item in summary or ():
        if "rows" in item:
            lines.append("  " + summary_line(item))
    for e in entities:
        head = e.label
        bits = [b for b in (e.kind, e.source) if b]
        if bits:
            head += f" ({'; '.join(bits)})"
        lines.append("")
        lines.append(head)
        for x in e.entries:
            word = _severity_word(x.result.severity)
            name = x.shape_name or (x.path or "")
            message = x.result.message_in()
            lines.append(f"  {word}: {name}: {message}" if name else f"  {word}: {message}")
            if x.value is not None:
                shown = shown_value(x, bases)
                if x.value_label and x.value_label != shown:
                    shown = f"{shown} ({x.value_label})"
                lines.append("      " + _("value: {value}").format(value=shown))
            if x.fix:
                lines.append("      " + _("fix: {fix}").format(fix=x.fix))
            if x.where:
                lines.append("      " + _("where: {where}").format(where=x.where))
    if not entities:
        lines.append(_("No problems found."))
    return "\n".join(lines) + "\n"


def to_json(entities: list[Entity], results: list[Result], files: list[str], strict: bool,
            summary: list[dict] | None = None) -> str:
    v, w = count(results)
    out_results = []
    for e in entities:
        for x in e.entries:
            r = x.result
            out_results.append({
                "focus": shorten(node_text(r.focus)),
                "focusLabel": e.label,
                "entityKind": e.kind,
                "source": e.source,
                "path": x.path,
                "value": x.value,
                "valueLabel": x.value_label,
                "component": curie(r.component),
                "severity": curie(r.severity),
                "shape": curie(r.shape) if r.shape else None,
                "shapeName": x.shape_name,
                "message": r.message_in(),
                "fix": x.fix,
                "where": x.where,
                **{k: x.location.get(k) for k in LOCATION_FIELDS},
            })
    doc = {"conforms": exit_code(results, strict) == 0, "readable": True, "strict": strict,
           "files": files, "summary": summary or [], "violations": v, "warnings": w,
           "results": out_results}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


#: The location fields of a result, in JSON, CSV and Turtle reports.
LOCATION_FIELDS = ("file", "sheet", "cell", "row", "column", "item")
#: Namespace of the report's location properties in Turtle (``ecr:file`` ...).
REPORT_NS = "https://w3id.org/educluster/report#"


def to_turtle(entities: list[Entity], results: list[Result], strict: bool) -> str:
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    from educluster.kb import new_graph

    g = new_graph()
    g.bind("sh", SH)
    g.bind("ecsh", "https://w3id.org/educluster/shapes#")
    g.bind("ecr", REPORT_NS)
    sh = lambda n: URIRef(SH + n)  # noqa: E731
    rep = BNode("report")
    g.add((rep, RDF.type, sh("ValidationReport")))
    g.add((rep, sh("conforms"), Literal(exit_code(results, strict) == 0)))
    for i, e in enumerate(entities):
        for j, x in enumerate(e.entries):
            r = x.result
            node = BNode(f"r{i}_{j}")
            g.add((rep, sh("result"), node))
            g.add((node, RDF.type, sh("ValidationResult")))
            g.add((node, sh("focusNode"), r.focus))
            if r.path is not None:
                g.add((node, sh("resultPath"), _copy(r.path_graph, r.path, g)))
            if r.value is not None:
                g.add((node, sh("value"), _capped(r.value)))
            g.add((node, sh("resultSeverity"), URIRef(r.severity)))
            g.add((node, sh("sourceConstraintComponent"), URIRef(r.component)))
            if r.shape:
                g.add((node, sh("sourceShape"), URIRef(r.shape)))
            g.add((node, sh("resultMessage"), Literal(r.message, lang="en")))
            if r.message_in() != r.message:      # --lang: the message in that language too
                from educluster.i18n import current

                g.add((node, sh("resultMessage"), Literal(r.message_in(), lang=current())))
            if x.fix:
                g.add((node, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
                       Literal("fix: " + x.fix, lang="en")))
            for k in LOCATION_FIELDS:
                if x.location.get(k) is not None:
                    g.add((node, URIRef(REPORT_NS + k), Literal(x.location[k])))
    return g.serialize(format="turtle")


def _capped(term: Any) -> Any:
    """``term``, or for a literal longer than the echo limit a plain literal of its first
    characters with the full length (the report never copies a huge value whole)."""
    from rdflib import Literal

    if isinstance(term, Literal) and len(str(term)) > ECHO_LIMIT:
        return Literal(shorten(str(term)))
    return term


def _copy(src: "rdflib.Graph | None", node: Any, dst: "rdflib.Graph") -> Any:
    """Copy a path node (an IRI, or a blank-node structure of ``src``) into ``dst``."""
    from rdflib import BNode

    if not isinstance(node, BNode) or src is None:
        return node
    new = BNode()
    for p, o in src.predicate_objects(node):
        dst.add((new, p, _copy(src, o, dst)))
    return new
