"""The knowledge base as the page generators read it: indexed once, in memory.

:class:`Model` wraps the merged rdflib graph with dictionaries (outgoing and
incoming triples per node, the classes, properties and KB individuals, labels) so
that generating hundreds of pages costs a few dictionary look-ups per page rather
than a query each.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from educluster import collation
from educluster.kb import EC, ID, ONTOLOGY_IRI
from educluster.site import urls

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
BIBO = "http://purl.org/ontology/bibo/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"

TYPE = RDF + "type"
LABEL = RDFS + "label"
PREF = SKOS + "prefLabel"
DEFINITION = SKOS + "definition"
QUOTE = EC + "quote"
LOCATOR = EC + "locator"
SOURCE = DCT + "source"
ATTRIBUTED = PROV + "wasAttributedTo"
IN_SCHEME = SKOS + "inScheme"
POSITION = EC + "listPosition"
SUBCLASS = RDFS + "subClassOf"
CITES = BIBO + "cites"                              # a printed citation
INFERRED_CITATION = EC + "inferredCitation"         # a citation the editors inferred
INFERRED_SOURCE = EC + "inferredSource"
INFERENCE_REASON = EC + "inferenceReason"
PRINTED_ATTRIBUTION = EC + "printedAttribution"     # the paper's words where it names nobody

CLASS_TYPES = (OWL + "Class", RDFS + "Class")
PROPERTY_TYPES = (OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
                  RDF + "Property")


def _lang_rank(lit, want: str = "en") -> int:
    """The preference of a literal for a page in ``want``: that language, then English, then
    untagged, then any other (so a missing translation falls back to the English text)."""
    lang = getattr(lit, "language", None)
    if lang and lang.lower() == want.lower():
        return 0
    return 1 if lang == "en" else 2 if not lang else 3


class Text(str):
    """A text from the data with the language tag of its literal (``None`` for an untagged one),
    so a page can mark an English fallback on a page in another language (``lang="en"``)."""

    lang: str | None = None

    @classmethod
    def of(cls, lit) -> "Text":
        t = cls(str(lit))
        t.lang = getattr(lit, "language", None)
        return t

    @classmethod
    def of_text(cls, text: str, like) -> "Text":
        """``text`` (made from ``like``, e.g. capitalised) in ``like``'s language."""
        t = cls(text)
        t.lang = getattr(like, "lang", None)
        return t


class Model:
    """The merged graph of ontology + knowledge base, indexed for page generation."""

    def __init__(self, graph, sources: dict | None = None, lang: str = "en"):
        from rdflib import BNode, Literal, URIRef

        self.graph = graph
        #: the language the pages are generated in (labels and definitions in it where they
        #: exist, else in English, marked by :meth:`is_fallback`)
        self.lang = lang
        self.URIRef, self.BNode, self.Literal = URIRef, BNode, Literal
        self.out: dict = defaultdict(lambda: defaultdict(list))
        self.inc: dict = defaultdict(lambda: defaultdict(list))
        for s, p, o in graph:
            self.out[s][str(p)].append(o)
            if not isinstance(o, Literal):
                self.inc[o][str(p)].append(s)
        # which file each subject was stated in (for the "generated from" comments)
        self.sources = sources or {}

    #: what a copy in another language shares (the index of the graph; not the sorted lists)
    _SHARED = ("graph", "URIRef", "BNode", "Literal", "out", "inc", "sources")

    def in_language(self, lang: str) -> "Model":
        """The same model reading labels and definitions in ``lang`` (the graph indexed once)."""
        other = object.__new__(Model)
        other.__dict__.update({k: self.__dict__[k] for k in self._SHARED})
        other.lang = lang
        return other

    @cached_property
    def predicate_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for po in self.out.values():
            for p, objs in po.items():
                counts[p] += len(objs)
        return counts

    # -- basic access -----------------------------------------------------------------------

    def objects(self, s, p: str) -> list:
        return list(self.out.get(s, {}).get(p, ()))

    def subjects(self, p: str, o) -> list:
        return list(self.inc.get(o, {}).get(p, ()))

    def value(self, s, p: str):
        """One object of ``s p``: an English (else untagged, else any) literal first."""
        objs = self.out.get(s, {}).get(p)
        if not objs:
            return None
        return sorted(objs, key=lambda o: (_lang_rank(o, self.lang), str(o)))[0]

    def texts(self, s, p: str) -> list:
        """Every object of ``s p`` in the best language there is (the page's, else English, else
        untagged, else all), so a translated altLabel or comment does not show next to the
        English one."""
        objs = self.out.get(s, {}).get(p, ())
        best = min((_lang_rank(o, self.lang) for o in objs), default=0)
        return [o for o in objs if _lang_rank(o, self.lang) == best]

    def text(self, s, p: str) -> str | None:
        """The text of :meth:`value` as a :class:`Text` (its language known), or None."""
        v = self.value(s, p)
        return None if v is None else Text.of(v)

    def is_fallback(self, text) -> bool:
        """Whether ``text`` is English standing in for a missing translation on a page in
        another language (an untagged text -- a name, a title -- is no language's)."""
        lang = getattr(text, "lang", None)
        return self.lang != "en" and lang == "en"

    def types(self, s) -> list[str]:
        return sorted(str(t) for t in self.objects(s, TYPE))

    def iri(self, s) -> str:
        return str(s)

    def node(self, iri: str):
        return self.URIRef(iri)

    def is_iri(self, s) -> bool:
        return isinstance(s, self.URIRef)

    # -- what there is ------------------------------------------------------------------------

    @cached_property
    def classes(self) -> list:
        """The ontology's own classes (``ec:``), sorted by label."""
        found = {s for t in CLASS_TYPES for s in self.subjects(TYPE, self.URIRef(t))
                 if urls.is_term(str(s))}
        return sorted(found, key=self.sort_key)

    @cached_property
    def properties(self) -> list:
        found = {s for t in PROPERTY_TYPES for s in self.subjects(TYPE, self.URIRef(t))
                 if urls.is_term(str(s))}
        found -= set(self.classes)
        return sorted(found, key=self.sort_key)

    @cached_property
    def property_set(self) -> frozenset:
        return frozenset(self.properties)

    @cached_property
    def terms(self) -> list:
        return [*self.classes, *self.properties]

    @cached_property
    def class_set(self) -> frozenset:
        return frozenset(self.classes)

    @cached_property
    def individuals(self) -> list:
        """Every typed knowledge-base individual (``id/<kind>/<slug>``)."""
        found = {s for s in self.out if isinstance(s, self.URIRef) and urls.is_kb(str(s))
                 and self.out[s].get(TYPE)}
        return sorted(found, key=str)

    @cached_property
    def individual_set(self) -> frozenset:
        return frozenset(self.individuals)

    @cached_property
    def by_kind(self) -> dict[str, list]:
        kinds: dict[str, list] = defaultdict(list)
        for s in self.individuals:
            kinds[urls.kind_of(str(s))].append(s)
        return {k: sorted(v, key=self.sort_key) for k, v in sorted(kinds.items())}

    @cached_property
    def papers_by_number(self) -> dict:
        """The five papers by their seed files' numbers ("000" ... "004"): editors' comments
        name papers by these numbers, readers see the papers' citations instead."""
        out = {}
        for paper in self.by_kind.get("paper", []):
            seed = self.text(paper, EC + "seedFile")
            if seed:
                out[str(seed)[:3]] = paper
        return out

    def target(self, s) -> urls.Target | None:
        """Where ``s`` lives on the site, or None if it has no page or anchor."""
        if s in self.class_set:
            return urls.target(str(s), is_class=True)
        if s in self.individual_set or (isinstance(s, self.URIRef) and str(s) == ONTOLOGY_IRI):
            return urls.target(str(s))
        if s in self.property_set:
            return urls.target(str(s), is_class=False)
        return None

    # -- labels and ordering --------------------------------------------------------------------

    def label(self, s) -> str:
        """The label of ``s`` in the page's language, else English, else its CURIE (a
        :class:`Text`)."""
        if isinstance(s, self.Literal):
            return Text.of(s)
        for p in (LABEL, PREF, FOAF + "name", DCT + "title"):
            v = self.text(s, p)
            if v:
                return v
        return self.curie(s)

    def curie(self, s) -> str:
        iri = str(s)
        if isinstance(s, self.BNode):
            return "(blank node)"
        if iri.startswith(EC):
            return "ec:" + iri[len(EC):]
        if iri.startswith(ID):
            return "id:" + iri[len(ID):]
        from educluster.kb import PREFIXES

        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def position(self, s) -> int:
        v = self.value(s, POSITION) or self.value(s, EC + "chainPosition")
        try:
            return int(v)
        except (TypeError, ValueError):
            return 10**6

    def sort_key(self, s):
        """By label, in the alphabetical order of the pages' language."""
        return (collation.key(self.label(s), self.lang), str(s))

    def list_key(self, s):
        """By position in a paper's list, then by label (alphabetical, the pages' language)."""
        return (self.position(s), collation.key(self.label(s), self.lang), str(s))

    # -- classes ------------------------------------------------------------------------------

    def superclasses(self, c) -> list:
        return sorted((o for o in self.objects(c, SUBCLASS) if isinstance(o, self.URIRef)),
                      key=str)

    def subclasses(self, c) -> list:
        return sorted(self.subjects(SUBCLASS, c), key=self.sort_key)

    def descendants(self, c) -> set:
        seen, todo = {c}, [c]
        while todo:
            for sub in self.subjects(SUBCLASS, todo.pop()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return seen

    def instances(self, c, direct: bool = False) -> list:
        classes = {c} if direct else self.descendants(c)
        found = {s for k in classes for s in self.subjects(TYPE, k)}
        return sorted(found, key=self.sort_key)

    def is_a(self, s, c) -> bool:
        return any(t in self.descendants(c) for t in self.objects(s, TYPE))

    # -- sources --------------------------------------------------------------------------------

    def papers_of(self, s) -> list:
        """The source papers (``id/paper/...``) an item cites."""
        return sorted((o for o in self.objects(s, SOURCE) if str(o).startswith(ID + "paper/")),
                      key=str)

    def works_of(self, s) -> list:
        return sorted((o for o in self.objects(s, SOURCE) if not str(o).startswith(ID + "paper/")
                       and isinstance(o, self.URIRef)), key=str)

    def inferred_works_of(self, s) -> list:
        """The works the editors identified for an item without a printed reference (ec:inferredSource)."""
        return sorted((o for o in self.objects(s, INFERRED_SOURCE) if isinstance(o, self.URIRef)),
                      key=str)

    def untitled_name(self, work) -> str | None:
        """The editors' descriptive name of a paper that prints no title, or None (it has a title)."""
        if self.text(work, DCT + "title"):
            return None
        return self.text(work, EC + "descriptiveName")

    def display_title(self, work) -> str:
        """The printed title; for an untitled paper, a bracketed note that it is untitled, with
        the editors' descriptive name marked as theirs (never shown as if it were a title)."""
        title = self.text(work, DCT + "title")
        if title:
            return title
        name = self.untitled_name(work)
        if name:
            return f"[Untitled article; descriptive name by the editors: {name}]"
        return self.label(work)

    def year(self, work) -> str | None:
        v = self.text(work, DCT + "issued") or self.text(work, DCT + "date")
        return v[:4] if v else None

    def authors(self, work) -> list:
        lst = self.value(work, BIBO + "authorList")
        if lst is not None:
            items = []
            node = lst
            while node is not None and str(node) != RDF + "nil" and len(items) < 100:
                first = self.value(node, RDF + "first")
                if first is not None:
                    items.append(first)
                node = self.value(node, RDF + "rest")
            if items:
                return items
        return sorted(self.objects(work, DCT + "creator"), key=str)

    def family_name(self, person) -> str:
        return (self.text(person, FOAF + "familyName") or self.text(person, FOAF + "name")
                or self.label(person))

    def short_cite(self, work) -> str:
        """``Mukhamedov et al. 2020``, ``Porter 2004``, ``Tereshina & Volodina n.d.``."""
        names = [self.family_name(a) for a in self.authors(work)]
        year = self.year(work) or "n.d."
        untitled = self.untitled_name(work)
        if not names and untitled:  # no title, no author printed: say so, mark the name as ours
            return f"[Untitled; editors' name: {untitled}] {year}"
        if not names:  # no authors printed: the IRI's slug names it (``chirchik-cluster-cooperation``)
            iri = str(work)
            slug = iri.rstrip("/").rsplit("/", 1)[-1] if iri.startswith(ID) else ""
            if slug and len(slug) <= 40:
                words = slug.replace("-", " ").split()
                if words and words[-1] != year:
                    return " ".join([words[0].capitalize(), *words[1:]]) + f" {year}"
                return " ".join([words[0].capitalize(), *words[1:]])
            return self.label(work)
        if len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} & {names[1]}"
        else:
            who = f"{names[0]} et al."
        return f"{who} {year}"

    def schemes_of(self, s) -> list:
        return sorted(self.objects(s, IN_SCHEME), key=str)

    def scheme_members(self, scheme) -> list:
        return sorted(self.subjects(IN_SCHEME, scheme), key=self.list_key)
