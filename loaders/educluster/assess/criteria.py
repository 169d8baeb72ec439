"""The criteria of ``ontology/assessment/*.rq`` and how their rows become evidence profiles.

A criterion's header is read with the competency questions' parser
(:func:`educluster.query.catalogue.read_header`) plus ``kb:`` (repeatable): an IRI of a
knowledge-base item the criterion reads the data against, and ``title:`` (optional): a short
name for tables. The header's texts are also catalogue entries (the pages' languages,
decision 0034). An item criterion selects
``?cluster ?item ?applicable ?evidence ?evidence_label`` (and ``?evidence_counted``, the number
of a participant count, whose label the pages write in their language: "21 counted" in the JSON,
never read back from a label); per cluster and item the outcome is
"not applicable" unless some row has ``?applicable`` true, "shown" when some row has evidence, else
"not shown in the data". A series criterion (``dynamics-by-year``) selects
``?cluster ?series ?year ?direction ?n`` and is shown when it has a row for the cluster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal

from educluster import paths
from educluster.names import Name, better as _better
from educluster.errors import UserError
from educluster.query.catalogue import KNOWN, REPEATABLE, read_header

SHOWN, NOT_SHOWN, NOT_APPLICABLE = "shown", "not shown in the data", "not applicable"
#: Evidence rows listed per item (the number of all of them is always given).
MAX_EVIDENCE = 50
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
EC = "https://w3id.org/educluster/ontology#"


@dataclass
class Criterion:
    """One criterion: its id (file name without ``.rq``), header and query text."""

    id: str
    path: Path
    question: str
    why: str
    papers: str
    kb: list[str] = field(default_factory=list)
    #: a short name for tables (``# title:``, optional; the id stands in)
    title: str | None = None

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def load(path: Path) -> Criterion:
    """Read one criterion; its header must have question, why, papers and at least one kb."""
    fields = read_header(path, KNOWN + ("kb", "title"), REPEATABLE + ("kb",))
    missing = [k for k in ("question", "why", "papers", "kb") if not fields.get(k)]
    if missing:
        raise UserError("the header lacks " + ", ".join(f"'# {k}:'" for k in missing),
                        file=path, line=1)
    for iri in fields["kb"]:
        if not _IRI.match(iri):
            raise UserError(f"'# kb: {iri}' is not an IRI", file=path)
    return Criterion(path.stem, path, fields["question"][0], fields["why"][0],
                     fields["papers"][0], fields["kb"], (fields.get("title") or [None])[0])


def criteria(folder: Path | None = None) -> list[Criterion]:
    """Every criterion, sorted by id."""
    d = folder if folder is not None else paths.assessment_dir()
    return [load(p) for p in sorted(d.glob("*.rq"))]


def _value(term) -> str | None:
    """A pyoxigraph term's value (IRI or lexical form), or None when unbound."""
    return None if term is None else term.value


def _optional(solution, name: str):
    """The term bound to ``name`` in a solution, or None (unbound, or not selected)."""
    try:
        return solution[name]
    except KeyError:
        return None


@dataclass(frozen=True)
class Counted:
    """The evidence of a participant count (``ec:ParticipantCount``): how many were counted.
    Its English label, "21 counted", is what the JSON keeps; pages say it in their language
    from :attr:`n` (:func:`educluster.assess.render.evidence_label`)."""

    n: int

    def __str__(self) -> str:
        return f"{self.n} counted"


class Labels:
    """Labels (in ``lang``, else English, else untagged: :mod:`educluster.names`), quotes and
    sources of IRIs, looked up once each (bindings, never text)."""

    Q = """PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?x ?label ?quote ?paper ?title ?position WHERE {
  OPTIONAL { ?x ec:listPosition ?position }
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x ec:quote ?quote }
  OPTIONAL { ?x dcterms:source ?paper . ?paper ec:seedFile ?seed .
             OPTIONAL { ?paper dcterms:title ?title } }
}"""

    def __init__(self, ds, lang: str = "en"):
        self.ds = ds
        self.lang = lang
        self.cache: dict[str, dict] = {}
        #: IRI -> its English label: what lists are sorted by, the same in every language
        self.english: dict[str, str] = {}

    def info(self, iri: str) -> dict:
        """``{"iri", "label", "quotes", "paper", "paper_title"}`` of an IRI."""
        if iri in self.cache:
            return self.cache[iri]
        import pyoxigraph as ox

        label, label_en, quotes, paper, title, position = None, None, [], None, None, None
        for s in self.ds.query(self.Q, substitutions={ox.Variable("x"): ox.NamedNode(iri)}):
            if _better(label, s["label"], self.lang):
                label = s["label"]
            if _better(label_en, s["label"]):
                label_en = s["label"]
            q = _value(s["quote"])
            if q and q not in quotes:
                quotes.append(q)
            paper = paper or _value(s["paper"])
            title = title or _value(s["title"])
            if s["position"] is not None and position is None:
                position = int(float(s["position"].value))
        out = {"iri": iri, "label": Name.of(label) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1],
               "quotes": sorted(quotes), "paper": paper, "paper_title": title,
               "position": position}
        self.cache[iri] = out
        self.english[iri] = _value(label_en) or out["label"]
        return out


def clusters(ds, lang: str = "en") -> list[dict]:
    """The clusters of the data graphs with name, kind and region (label and IRI); names and
    labels in ``lang`` where the data and the ontology have them."""
    q = """PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?cluster ?ct ?name ?region ?region_label WHERE {
  GRAPH ?g { ?cluster a ?ct }
  ?ct rdfs:subClassOf* ec:Cluster .
  FILTER (STRSTARTS(STR(?g), "https://w3id.org/educluster/graph/data/"))
  OPTIONAL { ?cluster rdfs:label ?name }
  OPTIONAL { ?cluster ec:region ?region
             OPTIONAL { ?region rdfs:label ?region_label } }
}"""
    out: dict[str, dict] = {}
    kinds: dict[str, set] = {}
    # the best name and region label in ``lang`` (shown) and in English (the order of the
    # clusters, the same in every language: the report's cluster pages are numbered by it)
    terms: dict[str, dict] = {}
    for s in ds.query(q):
        iri = _value(s["cluster"])
        c = out.setdefault(iri, {"iri": iri, "name": None, "region": None, "region_label": None})
        t = terms.setdefault(iri, {"name": None, "name_en": None, "label": None, "label_en": None})
        if _better(t["name"], s["name"], lang):  # data may name a cluster in several languages
            t["name"] = s["name"]
        if _better(t["name_en"], s["name"]):
            t["name_en"] = s["name"]
        kinds.setdefault(iri, set()).add(_value(s["ct"]))
        region = _value(s["region"])
        if region is not None and (c["region"] is None or region < c["region"]):
            c["region"], t["label"], t["label_en"] = region, None, None
        if region is not None and region == c["region"]:
            if _better(t["label"], s["region_label"], lang):
                t["label"] = s["region_label"]
            if _better(t["label_en"], s["region_label"]):
                t["label_en"] = s["region_label"]
    order = {}
    for iri, c in out.items():
        t = terms[iri]
        c["name"] = Name.of(t["name"]) or iri
        c["pedagogical"] = EC + "PedagogicalEducationCluster" in kinds[iri]
        c["kind"] = "pedagogical education cluster" if c["pedagogical"] else "educational cluster"
        # a region given as text (before regions became a list) is its own label
        c["region_label"] = Name.of(t["label"]) or c["region"]
        order[iri] = (_value(t["label_en"]) or c["region"] or "", _value(t["name_en"]) or iri, iri)
    return sorted(out.values(), key=lambda c: order[c["iri"]])


def run_items(ds, crit: Criterion, labels: Labels) -> dict[str, list[dict]]:
    """Cluster IRI -> items of an item criterion, each with outcome and evidence."""
    per: dict[tuple[str, str], dict] = {}
    sort_label: dict[str, str] = {}  # item -> its English label (the order in every language)
    english: dict[str, object] = {}  # evidence -> its English name (the order of the evidence)
    for s in ds.query(crit.text()):
        cluster, item = _value(s["cluster"]), s["item"]
        key_item = item.value
        rec = per.get((cluster, key_item))
        if rec is None:
            info = labels.info(key_item) if type(item).__name__ == "NamedNode" else {
                "iri": None, "label": re.sub(r"^\d+\s+", "", key_item), "quotes": [],
                "position": int(key_item.split()[0]) if key_item.split()[0].isdigit() else None}
            rec = per[(cluster, key_item)] = {"key": key_item, "item": info["iri"],
                                              "label": info["label"], "quotes": info["quotes"],
                                              "position": info["position"],
                                              "applicable": False, "evidence": {}}
            sort_label[key_item] = (labels.english.get(info["iri"], info["label"])
                                    if info["iri"] else info["label"])
        if s["applicable"] is not None and s["applicable"].value in ("true", "1"):
            rec["applicable"] = True
        ev = _value(s["evidence"])
        counted = _optional(s, "evidence_counted")
        if ev is not None and counted is not None:  # a participant count: the number is the data
            rec["evidence"][ev] = (None, Counted(int(counted.value)))
            english[ev] = Literal(str(rec["evidence"][ev][1]))  # its place in the order
        elif ev is not None:  # one name per evidence, whatever languages the data names it in
            current = rec["evidence"].get(ev)
            if current is None or _better(current[0], s["evidence_label"], labels.lang):
                rec["evidence"][ev] = (s["evidence_label"], Name.of(s["evidence_label"]) or ev)
            if _better(english.get(ev), s["evidence_label"]):
                english[ev] = s["evidence_label"]
    out: dict[str, list[dict]] = {}
    order = lambda kv: (kv[0][0], kv[1]["position"] is None, kv[1]["position"] or 0,
                        sort_label[kv[0][1]], kv[0][1])  # noqa: E731 - the papers' list order first
    for (cluster, _), rec in sorted(per.items(), key=order):
        evidence = sorted(((i, lab) for i, (_, lab) in rec.pop("evidence").items()),
                          key=lambda kv: (_value(english.get(kv[0])) or kv[0], kv[0]))
        rec["outcome"] = (NOT_APPLICABLE if not rec.pop("applicable")
                          else SHOWN if evidence else NOT_SHOWN)
        rec["evidence_count"] = len(evidence)
        rec["evidence"] = [{"iri": i, "label": str(lab), "counted": lab.n} if isinstance(lab, Counted)
                           else {"iri": i, "label": lab} for i, lab in evidence[:MAX_EVIDENCE]]
        out.setdefault(cluster, []).append(rec)
    return out


def run_series(ds, crit: Criterion) -> dict[str, list[dict]]:
    """Cluster IRI -> rows of a series criterion (series, year, direction, n)."""
    out: dict[str, list[dict]] = {}
    for s in ds.query(crit.text()):
        out.setdefault(_value(s["cluster"]), []).append(
            {"series": _value(s["series"]), "year": int(s["year"].value),
             "direction": _value(s["direction"]), "n": int(s["n"].value)})
    return out


def assess(ds, folder: Path | None = None, lang: str = "en") -> dict:
    """The evidence profiles of every cluster in ``ds`` (a JSON-ready dict), names and labels in
    ``lang`` where there are (the JSON is always written with English ones)."""
    crits = criteria(folder)
    labels = Labels(ds, lang)
    cl = clusters(ds, lang)
    results = []
    for crit in crits:
        kb = [labels.info(i) for i in crit.kb]
        head = {"id": crit.id, "title": crit.title, "question": crit.question, "why": crit.why,
                "papers": crit.papers, "kb": kb}
        if crit.id.startswith("dynamics"):
            results.append((head, "series", run_series(ds, crit)))
        else:
            results.append((head, "items", run_items(ds, crit, labels)))
    directions = {}
    profiles = []
    for c in cl:
        crit_out = []
        for head, kind, rows in results:
            entry = dict(head)
            if kind == "series":
                series = rows.get(c["iri"], [])
                for r in series:
                    if r["direction"] and r["direction"] not in directions:
                        directions[r["direction"]] = labels.info(r["direction"])["label"]
                    r["direction_label"] = directions.get(r["direction"]) if r["direction"] else None
                entry["series"] = series
                entry["outcome"] = SHOWN if series else NOT_SHOWN
            else:
                entry["items"] = rows.get(c["iri"], [])
            crit_out.append(entry)
        profiles.append(dict(c, criteria=crit_out))
    return {"outcomes": [SHOWN, NOT_SHOWN, NOT_APPLICABLE],
            "criteria": [h for h, _, _ in results], "clusters": profiles}
