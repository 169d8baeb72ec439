"""What the data may name: the ontology's classes and properties and the knowledge base's items.

:class:`Vocabulary` indexes the merged ontology + knowledge base once: labels, the class
hierarchy, the individuals of each class (for codes in CSV/JSON and for the allowed values a
report lists), and every declared term (to warn about IRIs that are not terms of the ontology).
:func:`load_vocabulary` caches it per process.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable  # noqa: F401

from educluster.convert.layout import EC, ID

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ON_AXIS = EC + "onAxis"
#: The day validation treats as today (planned memberships start after it): a triple of the
#: background, ``<id/validation> ec:referenceDate "YYYY-MM-DD"^^xsd:date``.
REFERENCE_DATE = EC + "referenceDate"
VALIDATION = ID + "validation"
#: Environment variable that sets the reference date (tests, re-running an old submission).
TODAY_VARIABLE = "EDUCLUSTER_TODAY"

#: Classes of institutions' data (ontology/institutions.ttl). The knowledge base describes one
#: real cluster in this model (kb/p002-tashkent-cluster.ttl); its individuals are knowledge, not
#: vocabulary, so the vocabulary leaves them out: otherwise every validation would check them as
#: if they were the user's data (from their types alone) and codes in CSV/JSON could resolve to them.
CASE_DATA_ROOTS = ("http://www.w3.org/ns/org#Organization", "http://www.w3.org/ns/org#Membership",
                   EC + "ParticipantCount", EC + "Activity", EC + "CooperationLink")

_CANONICAL_TAG = {"uz": "uz", "uz-cyrl": "uz-Cyrl", "ru": "ru", "en": "en"}

_DECLARATIONS = (OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty",
                 OWL + "AnnotationProperty", "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
                 RDFS + "Class")


def without_case_data(triples: list[tuple]) -> list[tuple]:
    """The triples minus those about knowledge-base individuals typed with a class of
    institutions' data (a subclass of one of :data:`CASE_DATA_ROOTS`)."""
    sub: dict[str, set[str]] = {}
    typed: list[tuple[str, str]] = []
    for s, p, o in triples:
        ps = str(p)
        if ps == RDFS + "subClassOf":
            sub.setdefault(str(o), set()).add(str(s))
        elif ps == RDF_TYPE and str(s).startswith(ID):
            typed.append((str(s), str(o)))
    classes, todo = set(CASE_DATA_ROOTS), list(CASE_DATA_ROOTS)
    while todo:
        for c in sub.get(todo.pop(), ()):
            if c not in classes:
                classes.add(c)
                todo.append(c)
    drop = {s for s, o in typed if o in classes}
    return [t for t in triples if str(t[0]) not in drop] if drop else triples


def slug_of(iri: str) -> str:
    """The last path segment (or fragment) of an IRI."""
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


#: The apostrophes spreadsheets and keyboards put in Uzbek Latin names (oʻ, gʻ, the
#: separation sign): matching treats them as one.
APOSTROPHES = "ʻʼ'`‘’´′"


def name_key(text: str) -> str:
    """A name as matching compares it: Unicode NFC, lower case, every apostrophe variant as
    ``'``, runs of spaces as one (``"Fargʻona  Viloyati"`` == ``"farg'ona viloyati"``)."""
    import unicodedata

    s = unicodedata.normalize("NFC", text).strip().lower()
    for a in APOSTROPHES:
        s = s.replace(a, "'")
    return " ".join(s.split())


def value_slug(text: str) -> str:
    """The last segment of the IRI an unknown code gets: :func:`slugify` for ASCII text, and
    letters of any script kept (``"Самаркандская обл"`` -> ``"самаркандская-обл"``), so that two
    different unknown values never share one IRI."""
    s = re.sub(r"[\W_]+", "-", name_key(text)).strip("-")
    return s or "x"


def slugify(text: str) -> str:
    """``"Vertically oriented"`` -> ``"vertically-oriented"`` (lower-case ASCII, hyphens)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.strip().lower())
    return s.strip("-") or "x"


def reference_date() -> str:
    """The day validation treats as today, YYYY-MM-DD: ``$EDUCLUSTER_TODAY`` if set (so that
    "in the future" is testable and an old submission can be re-checked as of its day), else
    today's date in UTC."""
    import datetime
    import os

    raw = os.environ.get(TODAY_VARIABLE, "").strip()
    if not raw:
        return datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            raise ValueError(raw)
        return datetime.date.fromisoformat(raw).isoformat()
    except ValueError:
        from educluster.errors import UserError

        from educluster.i18n import _

        raise UserError(_("the environment variable {name} must be a date YYYY-MM-DD (got "
                          "'{value}'); unset it to validate as of today").format(
            name=TODAY_VARIABLE, value=raw)) from None


class Vocabulary:
    """Built from (subject, predicate, object) triples of the merged ontology + knowledge base.

    ``graph`` is a small rdflib graph: the ontology's own terms (every triple about an ``ec:``
    IRI), every type, the class and property hierarchies, the axes of relation types and the
    values of the ontology's annotation properties. It is what the JSON-LD context generator
    (:func:`educluster.context.make_context`) and validation (:meth:`background`) need.
    """

    def __init__(self, graph: "rdflib.Graph | list[tuple]"):
        from rdflib import Literal, URIRef

        if not isinstance(graph, list):
            graph = list(graph)
        graph = without_case_data(graph)
        self.labels: dict[str, str] = {}
        #: iri -> {language tag as in educluster.i18n.LANGUAGES: label}, for --lang
        self.labels_by_lang: dict[str, dict[str, str]] = {}
        self.alt_labels: dict[str, set[str]] = {}
        self.types: dict[str, set[str]] = {}
        self.superclasses: dict[str, set[str]] = {}
        self.declared: set[str] = set()
        annotation = {str(s) for s, p, o in graph
                      if str(p) == RDF_TYPE and str(o) == OWL + "AnnotationProperty"}
        keep_p = {RDF_TYPE, RDFS + "subClassOf", RDFS + "subPropertyOf", ON_AXIS}
        from educluster.kb import new_graph

        small = new_graph()
        for s, p, o in graph:
            if not isinstance(s, URIRef):
                continue
            ss, ps = str(s), str(p)
            if ss.startswith(EC) or ps in keep_p or (ps.startswith(EC) and ps in annotation):
                small.add((s, p, o))
            if ps == RDFS + "label" and isinstance(o, Literal):
                if o.language == "en" or ss not in self.labels:
                    self.labels[ss] = str(o)
                if o.language:
                    tag = _CANONICAL_TAG.get(o.language.lower(), o.language)
                    by = self.labels_by_lang.setdefault(ss, {})
                    if tag not in by or str(o) < by[tag]:   # the same whatever the order
                        by[tag] = str(o)
                self.alt_labels.setdefault(ss, set()).add(name_key(str(o)))
            elif ps in (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "notation") \
                    and isinstance(o, Literal):
                self.alt_labels.setdefault(ss, set()).add(name_key(str(o)))
            elif ps == RDF_TYPE and isinstance(o, URIRef):
                self.types.setdefault(ss, set()).add(str(o))
                if str(o) in _DECLARATIONS:
                    self.declared.add(ss)
            elif ps == RDFS + "subClassOf" and isinstance(o, URIRef):
                self.superclasses.setdefault(ss, set()).add(str(o))
        self.graph = small
        self._down: dict[str, set[str]] = {}
        self._axis: dict[str, set[str]] = {}
        for s, o in small.subject_objects(URIRef(ON_AXIS)):
            self._axis.setdefault(str(o), set()).add(str(s))

    # -- classes --------------------------------------------------------------------------

    def ancestors(self, cls: str) -> set[str]:
        """``cls`` and all its superclasses."""
        seen, todo = {cls}, [cls]
        while todo:
            for sup in self.superclasses.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    def descendants(self, cls: str) -> set[str]:
        """``cls`` and all its subclasses."""
        if cls not in self._down:
            self._down[cls] = {c for c in set(self.superclasses) | {cls}
                               if cls in self.ancestors(c)}
        return self._down[cls]

    def is_instance(self, node: str, cls: str) -> bool:
        return any(cls in self.ancestors(t) for t in self.types.get(node, ()))

    def instances(self, cls: str, axis: str | None = None) -> list[str]:
        """IRIs whose type is ``cls`` or a subclass (optionally only those on ``axis``), sorted.

        Memoised: the converter asks once per coded cell, and a scan of every typed IRI per
        cell made a 10,000-row table spend seconds here."""
        key = (cls, axis)
        cache = self.__dict__.setdefault("_instances", {})
        if key not in cache:
            classes = self.descendants(cls)
            out = [n for n, ts in self.types.items() if ts & classes]
            if axis:
                on_axis = self._axis.get(axis, set())
                out = [n for n in out if n in on_axis]
            cache[key] = tuple(sorted(out))
        return list(cache[key])

    # -- lookups ----------------------------------------------------------------------------

    def label(self, iri: str, lang: str | None = None) -> str | None:
        """The label of ``iri`` in ``lang`` (default: the language of messages, see
        :mod:`educluster.i18n`), else the English one."""
        from educluster.i18n import current

        lang = lang or current()
        if lang != "en":
            hit = self.labels_by_lang.get(iri, {}).get(lang)
            if hit:
                return hit
        return self.labels.get(iri)

    def match_code(self, raw: str, candidates: list[str]) -> str | None:
        """The candidate IRI that ``raw`` names: its slug (exactly, then ignoring case and
        spaces), its IRI, or one of its labels (ignoring case)."""
        if raw in candidates:
            return raw
        by_slug = {slug_of(c): c for c in candidates}
        if raw in by_slug:
            return by_slug[raw]
        if slugify(raw) in by_slug:
            return by_slug[slugify(raw)]
        by_lower = {slug_of(c).lower(): c for c in candidates}   # codes such as UZ-TO
        if raw.strip().lower() in by_lower:
            return by_lower[raw.strip().lower()]
        key = name_key(raw)
        for c in candidates:
            if key in self.alt_labels.get(c, ()):
                return c
        return None

    def match_class(self, raw: str, root: str) -> str | None:
        """The class at or below ``root`` named by ``raw``: local name (any case) or label."""
        classes = sorted(self.descendants(EC + root))
        low = raw.strip().lower()
        key = name_key(raw)
        for c in classes:
            if c.startswith(EC) and c[len(EC):] == raw.strip():
                return c
        for c in classes:
            if c.startswith(EC) and c[len(EC):].lower() == low.replace(" ", ""):
                return c
        for c in classes:
            if key in self.alt_labels.get(c, ()):
                return c
        return None

    def class_names(self, root: str) -> list[str]:
        return sorted(c[len(EC):] for c in self.descendants(EC + root) if c.startswith(EC))

    def suggest(self, raw: str, names: Iterable[str], n: int = 1) -> list[str]:
        """Close matches of ``raw`` among ``names`` (case-insensitive)."""
        names = list(names)
        # names equal but for case (ec:region, ec:Region): the one cased like ``raw`` wins
        lower_first = raw[:1].islower()
        lowered = {x.lower(): x for x in sorted(names, key=lambda x: x[:1].islower() == lower_first)}
        hits = difflib.get_close_matches(raw.lower(), list(lowered), n=n, cutoff=0.6)
        return [lowered[h] for h in hits]

    def suggest_term(self, iri: str) -> str | None:
        """A declared term close to the undeclared ``iri`` (same namespace), or None."""
        ns, local = _split(iri)
        names = [t[len(ns):] for t in self.declared if t.startswith(ns) and "/" not in t[len(ns):]]
        hits = self.suggest(local, names)
        return ns + hits[0] if hits else None

    def suggest_code(self, iri: str, candidates: list[str], typed: str | None = None) -> str | None:
        """The candidate closest to the unknown code ``iri`` (its last segment is the value as
        written, slugified; ``typed``: the value as written, where known): by code, else by
        any label in any language (a region written 'Samarkand reg.' is UZ-SA, 'Самаркандская
        обл.' too)."""
        hits = self.suggest(slug_of(iri), [slug_of(c) for c in candidates])
        if hits:
            for c in candidates:
                if slug_of(c) == hits[0]:
                    return c
        labels = {lab: c for c in candidates for lab in self.alt_labels.get(c, ())}
        if typed:
            hits = self.suggest(name_key(typed), list(labels))
            if hits:
                return labels[hits[0]]
        by_slug = {slugify(lab): c for lab, c in labels.items()}
        by_slug.pop("x", None)
        hits = self.suggest(slug_of(iri), list(by_slug))
        return by_slug[hits[0]] if hits else None

    def background(self, today: str | None = None) -> "rdflib.Graph":
        """The part of the ontology and knowledge base validation needs: types, the class
        hierarchy and the axes of relation types; and the reference date (``today``, by
        default :func:`reference_date`) that the planned-membership warning compares with."""
        from rdflib import RDF, RDFS as R, XSD, Graph, Literal, URIRef

        keep = {RDF.type, R.subClassOf, R.subPropertyOf, URIRef(ON_AXIS)}
        g = Graph(bind_namespaces="none")  # what validation needs of the small graph
        for t in self.graph:
            if t[1] in keep:
                g.add(t)
        g.add((URIRef(VALIDATION), URIRef(REFERENCE_DATE),
               Literal(today or reference_date(), datatype=XSD.date)))
        return g


def _split(iri: str) -> tuple[str, str]:
    for sep in ("#", "/"):
        if sep in iri:
            i = iri.rindex(sep) + 1
            return iri[:i], iri[i:]
    return "", iri


@lru_cache(maxsize=4)
def load_vocabulary(ontology_dir: str | None = None) -> Vocabulary:
    """The vocabulary of the repository's ontology + knowledge base (cached per process).

    The Turtle is parsed with pyoxigraph (about 20 times faster than rdflib's parser); if a
    file does not parse, rdflib parses everything again to report the error with its line.
    """
    import pyoxigraph

    from educluster.kb import load_graph, ontology_files
    from educluster.terms import ox_to_rdflib as term

    files = ontology_files(ontology_dir)

    triples: list[tuple] = []
    try:
        for f in files:
            for q in pyoxigraph.parse(path=str(f), format=pyoxigraph.RdfFormat.TURTLE):
                triples.append((term(q.subject), term(q.predicate), term(q.object)))
    except (SyntaxError, ValueError, OSError):
        return Vocabulary(load_graph(ontology_dir))  # raises a UserError naming file and line
    return Vocabulary(triples)


def is_kb_iri(iri: str) -> bool:
    return iri.startswith(ID)
