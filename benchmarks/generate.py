#!/usr/bin/env python3
"""Seeded generator of synthetic national-scale cluster data in educluster's data model.

    python benchmarks/generate.py --triples 1000000 --seed 1 --defects 40 -o /tmp/uz-1m.nt

writes N-Triples (streamed, cluster by cluster: memory stays flat at any size) and, with
``--defects K``, a sidecar ``<out>.defects.json`` that lists every injected defect with the
validation result it must produce (focus node, path, constraint component, severity, shape).

The data follow ``ontology/institutions.ttl`` and ``shapes/cluster-*.ttl``:

* 14 regions (the 12 regions of Uzbekistan, the Republic of Karakalpakstan, Tashkent city),
  one regional department of public education (``ec:StateEducationBody``) per region that is
  a member of every cluster of its region (participants shared between clusters);
* clusters (``ec:EducationalCluster``; about a third ``ec:PedagogicalEducationCluster``),
  each with a name, region, establishment date, goals and knowledge-base objectives,
  directions, principles, interaction models and areas of cooperation;
* per cluster one core higher-education institution (a pedagogical university for
  pedagogical clusters), sometimes a second university, and partners in realistic
  proportions: schools about 55 %, preschools about 28 %, colleges 4 %, academic lyceums
  3 %, enterprises 5 %, research institutes 2 %, public associations 1 %, plus the regional
  department; each with an official identifier, some with a website;
* one membership per (participant, cluster): role core or partner, start date on or after
  the cluster's establishment, agreement;
* cooperation links between members with a nature of relation and a level of concentration
  from the knowledge base's classification (vertical between levels, horizontal within a
  level, mixed with enterprises, research and state bodies; within-network between
  educational institutions, interbranch otherwise), some with areas of cooperation;
* cluster units set up by the core, activities and projects (some part of a larger one),
  events of activities, and participant counts (the total of a kind, listed members included).

Valid output conforms to the violation shapes and raises no warning. Defects are injected
into distinct nodes, each kind designed to produce exactly one validation result, so the
expected report is known in advance (``--defects`` spreads K defects over the kinds in
turn). Sizes: ``--triples`` is a target; generation stops at the first cluster boundary at
or beyond it (a few hundred triples over).

Standard library only; deterministic for a given ``--seed``, ``--triples`` and ``--defects``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

EC = "https://w3id.org/educluster/ontology#"
ID = "https://w3id.org/educluster/id/"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
DEFAULT_BASE = "https://example.org/educluster/synthetic/"


def _i(iri: str) -> str:
    return f"<{iri}>"


def ec(local: str) -> str:
    return f"<{EC}{local}>"


# Predicates, as N-Triples terms
P_REGION, P_GOAL, P_OBJECTIVE = ec("region"), ec("commonGoal"), ec("objective")
P_DIRECTION, P_PRINCIPLE, P_IMODEL = ec("direction"), ec("principle"), ec("interactionModel")
P_AREA, P_WITHIN, P_SETUP = ec("cooperationArea"), ec("withinCluster"), ec("setUpBy")
P_PARTICIPANT, P_RELTYPE, P_CONC = ec("participant"), ec("relationType"), ec("concentrationLevel")
P_PARTOF, P_SUPPORTED, P_ATYPE = ec("partOf"), ec("supportedBy"), ec("activityType")
P_AUDIENCE, P_TOPIC, P_AGREEMENT = ec("audience"), ec("topic"), ec("agreement")
P_KIND, P_COUNT = ec("countedKind"), ec("count")
P_MEMBER, P_ORGANIZATION, P_ROLE = _i(ORG + "member"), _i(ORG + "organization"), _i(ORG + "role")
P_IDENTIFIER = _i(ORG + "identifier")
P_FOUNDED, P_START, P_URL = _i(SCHEMA + "foundingDate"), _i(SCHEMA + "startDate"), _i(SCHEMA + "url")

ROLE_CORE, ROLE_PARTNER = _i(ID + "role/core"), _i(ID + "role/partner")
RT = {k: _i(ID + "relation-type/" + k) for k in
      ("vertical", "horizontal", "mixed", "within-network", "interbranch")}

REGIONS = [
    ("Republic of Karakalpakstan", "Nukus"), ("Andijan region", "Andijan"),
    ("Bukhara region", "Bukhara"), ("Fergana region", "Fergana"), ("Jizzakh region", "Jizzakh"),
    ("Kashkadarya region", "Karshi"), ("Khorezm region", "Urgench"),
    ("Namangan region", "Namangan"), ("Navoi region", "Navoi"),
    ("Samarkand region", "Samarkand"), ("Surkhandarya region", "Termez"),
    ("Syrdarya region", "Gulistan"), ("Tashkent region", "Chirchik"), ("Tashkent city", "Tashkent"),
]
#: ISO 3166-2:UZ codes of REGIONS, in the same order: ec:region takes the region concept
#: (ontology/regions.ttl, id/region/<code>)
REGION_CODES = ["UZ-QR", "UZ-AN", "UZ-BU", "UZ-FA", "UZ-JI", "UZ-QA", "UZ-XO", "UZ-NG", "UZ-NW",
                "UZ-SA", "UZ-SU", "UZ-SI", "UZ-TO", "UZ-TK"]


def region_iri(index: int) -> str:
    return _i(ID + "region/" + REGION_CODES[index])


#: Relative weight of each region (Tashkent city, Samarkand, Fergana are the largest).
REGION_WEIGHTS = [6, 9, 6, 11, 4, 9, 6, 8, 3, 12, 7, 3, 9, 10]

# Controlled values of the knowledge base (ontology/kb/*.ttl)
OBJECTIVES = [ID + "objective/" + s for s in (
    "improving-quality-of-training-and-qualification", "promotion-of-new-ideas-and-technologies",
    "harmonization-of-education-and-labor-markets", "attract-school-teachers-to-research",
    "training-courses-for-regional-teachers", "continuity-of-education-tools-across-stages",
    "use-innovative-pedagogical-technologies", "improve-scientific-and-pedagogical-potential",
    "create-environment-for-innovative-training", "innovative-development",
    "increasing-the-competitiveness-of-each-cluster-member", "applying-innovations-in-practice")]
# the five directions of paper 003; its general and particular areas are not directions (issue 10)
DIRECTIONS = [ID + "direction/" + s for s in (
    "education", "educational-tools", "education-and-science", "education-and-production",
    "education-management")]
PRINCIPLES = [ID + "principle/" + s for s in (
    "succession", "common-goal", "interdependence", "specialization", "regionalization",
    "integration-of-educational-structures", "continuity-of-the-content-of-educational-programs",
    "individualization-of-education", "organizational-flexibility", "mutual-control")]
IMODELS = [ID + "interaction-model/" + s for s in (
    "game-activity", "social-role-activity", "problem-analytical-activity",
    "informational-and-cognitive-social-activity")]
AREAS = [ID + "cooperation-area/" + s for s in (
    "career-guidance", "collaboration-with-staff", "scientific-and-methodological-cooperation",
    "educational-and-methodological-cooperation", "work-with-talented-and-gifted-children",
    "ict-application-in-education", "joint-training-activities",
    "education-in-natural-sciences-and-mathematics")]
ATYPES = [ID + "activity-type/" + s for s in (
    "workshops", "lectures", "consultations", "conferences", "scientific-conferences",
    "problem-solving-seminars", "round-tables-problem-analytical", "excursions",
    "extracurricular-activities", "research-and-project-activities",
    "competitions-informational-cognitive", "project-events")]
GOALS = ["to raise the quality of teacher training", "to bring school practice into the university",
         "to prepare young teachers for rural schools", "to integrate education, science and production",
         "to support gifted children from preschool to university", "to share laboratories and equipment"]
TOPICS = ["inclusive education", "STEM teaching", "digital literacy", "early childhood development",
          "assessment for learning", "project-based learning", "mentoring of young teachers",
          "career guidance", "foreign language teaching", "teaching mathematics"]
AUDIENCES = ["young teachers", "school pupils", "preschool teachers", "students of pedagogy",
             "school principals", "parents", "lyceum students"]

# Kinds of participant: (class local name, weight among partners, name template, identifier prefix,
# share with a website, level used for relation types)
KINDS = {
    "School": (55.0, "School No. {n} of {city}", "SCH", 0.05),
    "Preschool": (28.0, "Preschool No. {n} of {city}", "PRE", 0.02),
    "College": (4.0, "{city} College of {field}", "COL", 0.6),
    "AcademicLyceum": (3.0, "Academic Lyceum No. {n} of {city}", "LYC", 0.5),
    "Enterprise": (5.0, "{company} {suffix}", "ENT", 0.7),
    "ResearchInstitute": (2.0, "Research Institute of {field}, {city}", "RES", 0.8),
    "PublicAssociation": (1.0, "{city} Association of {field} Teachers", "NGO", 0.4),
}
FIELDS = ["Pedagogy", "Mathematics", "Informatics", "Physics", "Chemistry", "Biology",
          "Languages", "Arts", "Economics", "Engineering", "Agriculture", "Medicine"]
COMPANIES = ["Uzbek", "Silk Road", "Turon", "Navoi", "Amu", "Zarafshan", "Chirchik", "Orient",
             "Samarkand", "Asia", "Nur", "Baraka"]
SUFFIXES = ["Textiles LLC", "Electronics JSC", "Agro LLC", "Printing House", "Chemicals JSC",
            "Software LLC", "Construction JSC", "Foods LLC"]
EDUCATIONAL = {"School", "Preschool", "College", "AcademicLyceum", "HigherEducationInstitution",
               "PedagogicalUniversity"}
#: Level of a kind for the warnings about vertical/horizontal links (a pedagogical university
#: is a higher-education institution).
LEVEL = {k: k for k in KINDS} | {"HigherEducationInstitution": "HEI", "PedagogicalUniversity": "HEI",
                                  "StateEducationBody": "StateEducationBody"}


# ---------------------------------------------------------------------------------------------
# N-Triples terms
# ---------------------------------------------------------------------------------------------

def _esc(s: str) -> str:
    return (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))


def lit(s: str, dt: str | None = None, lang: str | None = None) -> str:
    if lang:
        return f'"{_esc(s)}"@{lang}'
    if dt:
        return f'"{_esc(s)}"^^<{XSD}{dt}>'
    return f'"{_esc(s)}"'


def en(s: str) -> str:
    return lit(s, lang="en")


def d(x: date) -> str:
    return lit(x.isoformat(), "date")


# ---------------------------------------------------------------------------------------------
# Model of one cluster before it is written (so defects can be injected)
# ---------------------------------------------------------------------------------------------

@dataclass
class Node:
    iri: str                                # N-Triples term <...>
    kind: str                               # class local name (or a label for non-classes)
    triples: list[list[str]] = field(default_factory=list)   # [p, o] pairs
    extra: dict = field(default_factory=dict)

    def add(self, p: str, o: str) -> None:
        self.triples.append([p, o])

    def drop(self, p: str, o: str | None = None) -> int:
        before = len(self.triples)
        self.triples = [t for t in self.triples if not (t[0] == p and (o is None or t[1] == o))]
        return before - len(self.triples)

    def values(self, p: str) -> list[str]:
        return [o for q, o in self.triples if q == p]

    def replace(self, p: str, o: str) -> None:
        self.drop(p)
        self.add(p, o)


@dataclass
class ClusterModel:
    node: Node
    pedagogical: bool
    founded: date
    region: int
    participants: list[Node] = field(default_factory=list)      # new participants (written here)
    members: list[tuple[Node, str]] = field(default_factory=list)  # (participant, kind) incl. shared
    memberships: list[Node] = field(default_factory=list)
    links: list[Node] = field(default_factory=list)
    units: list[Node] = field(default_factory=list)
    activities: list[Node] = field(default_factory=list)
    events: list[Node] = field(default_factory=list)
    counts: list[Node] = field(default_factory=list)
    touched: set = field(default_factory=set)                   # IRIs already given a defect

    def nodes(self):
        yield self.node
        for group in (self.participants, self.memberships, self.links, self.units,
                      self.activities, self.events, self.counts):
            yield from group


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

class Generator:
    def __init__(self, seed: int = 1, base: str = DEFAULT_BASE):
        self.rng = random.Random(seed)
        self.base = base
        self.counters: dict[str, int] = {}
        self.region_body: dict[int, Node | None] = {}
        self.region_numbers = [0] * len(REGIONS)          # running school numbers per region
        self.stats: dict[str, int] = {}

    def new_iri(self, kind: str) -> str:
        n = self.counters.get(kind, 0) + 1
        self.counters[kind] = n
        return f"<{self.base}{kind}/{n}>"

    def _count(self, what: str, n: int = 1) -> None:
        self.stats[what] = self.stats.get(what, 0) + n

    def _participant(self, cm: ClusterModel, kind: str, *, core=False) -> Node:
        rng = self.rng
        region, city = REGIONS[cm.region]
        p = Node(self.new_iri("org"), kind)
        self.region_numbers[cm.region] += 1
        n = self.region_numbers[cm.region]
        if kind in ("PedagogicalUniversity", "HigherEducationInstitution"):
            name = (f"{city} State Pedagogical Institute" if kind == "PedagogicalUniversity"
                    else f"{city} State University of {rng.choice(FIELDS)}")
            name += f" ({n})"
            prefix, web = "HEI", 1.0
        else:
            _, template, prefix, web = KINDS[kind]
            name = template.format(n=n, city=city, field=rng.choice(FIELDS),
                                   company=rng.choice(COMPANIES), suffix=rng.choice(SUFFIXES))
            if "{n}" not in template:
                name += f" ({n})"
        p.add(RDF_TYPE, ec(kind))
        p.add(RDFS_LABEL, en(name))
        p.add(P_REGION, region_iri(cm.region))
        p.add(P_IDENTIFIER, lit(f"UZ-{prefix}-{cm.region + 1:02d}-{n:06d}"))
        if rng.random() < web:
            p.add(P_URL, lit(f"https://{prefix.lower()}{n}.{city.lower()}.example.uz/"))
        cm.participants.append(p)
        self._count("participant:" + kind)
        return p

    def _region_body(self, cm: ClusterModel) -> Node:
        body = self.region_body.get(cm.region)
        if body is None:
            region, _ = REGIONS[cm.region]
            body = Node(self.new_iri("org"), "StateEducationBody")
            body.add(RDF_TYPE, ec("StateEducationBody"))
            body.add(RDFS_LABEL, en(f"Department of Public Education of {region}"))
            body.add(P_REGION, region_iri(cm.region))
            body.add(P_IDENTIFIER, lit(f"UZ-GOV-{cm.region + 1:02d}"))
            cm.participants.append(body)
            self.region_body[cm.region] = body
            self._count("participant:StateEducationBody")
        return body

    def _membership(self, cm: ClusterModel, p: Node, role: str) -> Node:
        rng = self.rng
        m = Node(self.new_iri("membership"), "Membership", extra={"member": p})
        m.add(RDF_TYPE, ec("Membership"))
        m.add(P_MEMBER, p.iri)
        m.add(P_ORGANIZATION, cm.node.iri)
        m.add(P_ROLE, role)
        if rng.random() < 0.9:
            start = cm.founded + timedelta(days=rng.randrange(0, 3 * 365))
            m.add(P_START, d(start))
            if rng.random() < 0.8:
                m.add(P_AGREEMENT, lit(f"Cooperation agreement No. {rng.randrange(1, 400)} "
                                       f"of {start.strftime('%d.%m.%Y')}"))
        cm.memberships.append(m)
        cm.members.append((p, p.kind))
        return m

    def _link(self, cm: ClusterModel, a: Node, b: Node) -> Node:
        rng = self.rng
        la, lb = LEVEL[a.kind], LEVEL[b.kind]
        if a.kind not in EDUCATIONAL or b.kind not in EDUCATIONAL:
            nature = "mixed" if la != lb else "horizontal"
            conc = "interbranch"
        else:
            nature = "horizontal" if la == lb else "vertical"
            conc = "within-network"
        link = Node(self.new_iri("link"), "CooperationLink", extra={"a": a, "b": b})
        link.add(RDF_TYPE, ec("CooperationLink"))
        link.add(P_WITHIN, cm.node.iri)
        link.add(P_PARTICIPANT, a.iri)
        link.add(P_PARTICIPANT, b.iri)
        link.add(P_RELTYPE, RT[nature])
        if rng.random() < 0.85:
            link.add(P_CONC, RT[conc])
        if rng.random() < 0.5:
            link.add(P_AREA, _i(rng.choice(AREAS)))
        cm.links.append(link)
        return link

    def cluster(self, max_size: int | None = None) -> ClusterModel:
        """One cluster; ``max_size`` caps the number of partners (to land near a target)."""
        rng = self.rng
        region = rng.choices(range(len(REGIONS)), REGION_WEIGHTS)[0]
        region_name, city = REGIONS[region]
        pedagogical = rng.random() < 0.35
        founded = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 7 * 365))
        c = Node(self.new_iri("cluster"), "PedagogicalEducationCluster" if pedagogical
                 else "EducationalCluster")
        cm = ClusterModel(c, pedagogical, founded, region)
        c.add(RDF_TYPE, ec(c.kind))
        k = self.counters["cluster"]
        c.add(RDFS_LABEL, en(f"{'Innovative cluster of teacher education' if pedagogical else 'Educational cluster'}"
                             f" of {city} No. {k}"))
        c.add(P_REGION, region_iri(region))
        if rng.random() < 0.9:
            c.add(P_FOUNDED, d(founded))
        for g in rng.sample(GOALS, rng.randint(1, 2)):
            c.add(P_GOAL, lit(g))
        for pred, pool, lo, hi in ((P_OBJECTIVE, OBJECTIVES, 1, 4), (P_DIRECTION, DIRECTIONS, 1, 3),
                                   (P_PRINCIPLE, PRINCIPLES, 1, 4), (P_IMODEL, IMODELS, 0, 2),
                                   (P_AREA, AREAS, 1, 3)):
            for v in rng.sample(pool, rng.randint(lo, hi)):
                c.add(pred, _i(v))
        self._count("cluster")

        # members: core, maybe a second university, partners, the regional department
        core = self._participant(cm, "PedagogicalUniversity" if pedagogical or rng.random() < 0.3
                                 else "HigherEducationInstitution")
        self._membership(cm, core, ROLE_CORE)
        if rng.random() < 0.15:
            self._membership(cm, self._participant(cm, "HigherEducationInstitution"), ROLE_PARTNER)
        size = max(8, min(600, int(rng.lognormvariate(math.log(90), 0.6))))
        if max_size is not None:
            size = max(8, min(size, max_size))
        kinds, weights = list(KINDS), [v[0] for v in KINDS.values()]
        for kind in rng.choices(kinds, weights, k=size):
            self._membership(cm, self._participant(cm, kind), ROLE_PARTNER)
        self._membership(cm, self._region_body(cm), ROLE_PARTNER)

        # links: to the core for about 60 % of the members; horizontal ones between schools
        # (one link per pair of participants: ecsh:LinkUnique)
        others = [p for p, _ in cm.members[1:]]
        linked: set[frozenset] = set()
        for p in others:
            if rng.random() < 0.6:
                self._link(cm, core, p)
                linked.add(frozenset((core.iri, p.iri)))
        same = {}
        for p in others:
            same.setdefault(LEVEL[p.kind], []).append(p)
        for group in same.values():
            for _ in range(len(group) // 4):
                a, b = rng.sample(group, 2) if len(group) > 1 else (None, None)
                if a is not None and frozenset((a.iri, b.iri)) not in linked:
                    self._link(cm, a, b)
                    linked.add(frozenset((a.iri, b.iri)))

        # units set up by the core
        for j in range(rng.randint(1, 3)):
            u = Node(self.new_iri("unit"), "ClusterUnit")
            u.add(RDF_TYPE, ec("ClusterUnit"))
            u.add(RDFS_LABEL, en(rng.choice(["Regional centre", "Complex of laboratory schools",
                                              "Methodological laboratory", "Innovation centre"])
                                 + f" of cluster {k}-{j + 1}"))
            u.add(P_SETUP, core.iri)
            u.add(P_WITHIN, c.iri)
            cm.units.append(u)

        # activities (projects with sub-activities) and their events
        n_act = max(2, size // 12)
        for j in range(n_act):
            a = Node(self.new_iri("activity"), "Project" if j % 3 == 0 else "Activity")
            a.add(RDF_TYPE, ec(a.kind))
            a.add(RDFS_LABEL, en(f"{rng.choice(['School of Young Teachers', 'Gifted Children', 'Digital School', 'Science Week', 'Mentoring Programme', 'Teacher Exchange'])}"
                                 f" {k}-{j + 1}"))
            a.add(P_WITHIN, c.iri)
            if j % 3 and cm.activities:
                a.add(P_PARTOF, cm.activities[(j // 3) * 3].iri)
            a.add(P_SUPPORTED, core.iri)
            if rng.random() < 0.3:
                a.add(P_SUPPORTED, rng.choice(others).iri)
            a.add(P_DIRECTION, _i(rng.choice(DIRECTIONS)))
            if rng.random() < 0.6:
                a.add(P_IMODEL, _i(rng.choice(IMODELS)))
            if rng.random() < 0.5:
                a.add(P_AREA, _i(rng.choice(AREAS)))
            a.add(P_ATYPE, _i(rng.choice(ATYPES)))
            a.add(P_AUDIENCE, lit(rng.choice(AUDIENCES)))
            for t in rng.sample(TOPICS, rng.randint(1, 2)):
                a.add(P_TOPIC, lit(t))
            cm.activities.append(a)
            for e in range(rng.randint(1, 4)):
                ev = Node(self.new_iri("event"), "ClusterEvent")
                ev.add(RDF_TYPE, ec("ClusterEvent"))
                ev.add(RDFS_LABEL, en(f"{rng.choice(['Master class', 'Seminar', 'Round table', 'Competition', 'Open lesson'])}"
                                      f" {k}-{j + 1}-{e + 1}"))
                ev.add(P_PARTOF, a.iri)
                ev.add(P_START, d(founded + timedelta(days=rng.randrange(30, 4 * 365))))
                ev.add(P_ATYPE, _i(rng.choice(ATYPES)))
                if rng.random() < 0.5:
                    ev.add(P_TOPIC, lit(rng.choice(TOPICS)))
                cm.events.append(ev)

        # participant counts: the total of a kind, the members listed one by one included
        # (ecsh:CountBelowListedWarning), as when a source gives only the number
        for kind in rng.sample(["School", "Preschool", "College", "Enterprise"], rng.randint(1, 2)):
            cnt = Node(self.new_iri("count"), "ParticipantCount")
            cnt.add(RDF_TYPE, ec("ParticipantCount"))
            cnt.add(P_WITHIN, c.iri)
            cnt.add(P_KIND, ec(kind))
            listed = sum(1 for _, k in cm.members if k == kind)
            cnt.add(P_COUNT, lit(str(listed + rng.randint(3, 120)), "nonNegativeInteger"))
            cm.counts.append(cnt)
        return cm


# ---------------------------------------------------------------------------------------------
# Defects: each kind changes one node so that exactly one validation result appears
# ---------------------------------------------------------------------------------------------

def _sh(local: str) -> str:
    return SH + local


def _strip(term: str) -> str:
    return term[1:-1]


def _result(focus: Node | str, path: str | None, component: str, shape: str,
            severity: str = "Violation", value: str | None = None) -> dict:
    return {"focus": _strip(focus.iri if isinstance(focus, Node) else focus),
            "path": None if path is None else (path if path.startswith("^") else _strip(path)),
            "component": _sh(component), "severity": _sh(severity),
            "shape": "https://w3id.org/educluster/shapes#" + shape, "value": value}


def _pick(rng, nodes, cm, cond=lambda n: True):
    cands = [n for n in nodes if n.iri not in cm.touched and cond(n)]
    if not cands:
        return None
    n = rng.choice(cands)
    cm.touched.add(n.iri)
    return n


def d_participant_without_name(rng, cm):
    p = _pick(rng, cm.participants, cm, lambda p: p.kind != "StateEducationBody")
    if p is None:
        return None
    p.drop(RDFS_LABEL)
    return _result(p, RDFS_LABEL, "MinCountConstraintComponent", "Participant-name")


def d_name_with_spaces(rng, cm):
    e = _pick(rng, cm.events, cm)
    if e is None:
        return None
    old = e.values(RDFS_LABEL)[0]
    e.replace(RDFS_LABEL, '" ' + old[1:])
    return _result(e, RDFS_LABEL, "NotConstraintComponent", "ClusterEvent-name")


def d_bad_identifier(rng, cm):
    p = _pick(rng, cm.participants, cm, lambda p: p.kind == "School")
    if p is None:
        return None
    p.replace(P_IDENTIFIER, lit("UZ SCH " + str(rng.randrange(10 ** 5))))
    return _result(p, P_IDENTIFIER, "PatternConstraintComponent", "Participant-identifier")


def d_bad_url(rng, cm):
    p = _pick(rng, cm.participants, cm, lambda p: bool(p.values(P_URL)))
    if p is None:
        return None
    p.replace(P_URL, lit("www." + _strip(p.values(P_URL)[0]).split("//", 1)[1]))
    return _result(p, P_URL, "PatternConstraintComponent", "Participant-url")


def d_member_not_participant(rng, cm):
    """An extra membership whose member is a knowledge-base principle, not a participant."""
    m = Node("<" + cm.node.iri[1:-1].replace("/cluster/", "/membership/x") + ">", "Membership")
    m.add(RDF_TYPE, ec("Membership"))
    m.add(P_MEMBER, _i(rng.choice(PRINCIPLES)))
    m.add(P_ORGANIZATION, cm.node.iri)
    m.add(P_ROLE, ROLE_PARTNER)
    cm.memberships.append(m)
    cm.touched.add(m.iri)
    return _result(m, P_MEMBER, "ClassConstraintComponent", "Membership-member")


def d_missing_role(rng, cm):
    m = _pick(rng, cm.memberships, cm, lambda m: m.values(P_ROLE) == [ROLE_PARTNER])
    if m is None:
        return None
    m.drop(P_ROLE)
    return _result(m, P_ROLE, "MinCountConstraintComponent", "Membership-role")


def d_date_not_a_date(rng, cm):
    m = _pick(rng, cm.memberships, cm, lambda m: bool(m.values(P_START)))
    if m is None:
        return None
    y, mo, dd = m.values(P_START)[0][1:11].split("-")
    m.replace(P_START, lit(f"{dd}.{mo}.{y}"))
    return _result(m, P_START, "DatatypeConstraintComponent", "Membership-startDate")


def d_membership_before_founding(rng, cm):
    if not cm.node.values(P_FOUNDED):
        return None
    m = _pick(rng, cm.memberships, cm, lambda m: bool(m.values(P_START)))
    if m is None:
        return None
    m.replace(P_START, d(cm.founded - timedelta(days=rng.randrange(1, 400))))
    return _result(m, P_START, "SPARQLConstraintComponent", "MembershipStart")


def d_relation_type_wrong_axis(rng, cm):
    link = _pick(rng, cm.links, cm, lambda l: l.values(P_RELTYPE) != [RT["vertical"]])
    if link is None:
        return None
    link.replace(P_RELTYPE, RT["interbranch"])
    return _result(link, P_RELTYPE, "NodeConstraintComponent", "CooperationLink-relationType")


def d_link_outside_cluster(rng, cm):
    """A link whose second participant is not a member of the link's cluster: a new
    participant of the same kind (so the level-based warnings do not change)."""
    link = _pick(rng, cm.links, cm, lambda l: l.extra["b"].kind in KINDS)
    if link is None:
        return None
    b = link.extra["b"]
    stranger = Node("<" + b.iri[1:-1] + "-stranger>", b.kind)
    stranger.triples = [list(t) for t in b.triples]
    stranger.replace(P_IDENTIFIER, lit(_strip(b.values(P_IDENTIFIER)[0]) + "-S"))
    # a name of its own (the same name and kind would also be ecsh:ParticipantDuplicateWarning)
    label = b.values(RDFS_LABEL)[0]
    stranger.replace(RDFS_LABEL, label[:label.rindex('"')] + ' (not a member)' + label[label.rindex('"'):])
    # the stranger is a member of no cluster (its own warning: participant without membership)
    cm.participants.append(stranger)
    cm.touched.add(stranger.iri)
    link.drop(P_PARTICIPANT, b.iri)
    link.add(P_PARTICIPANT, stranger.iri)
    return [_result(link, P_PARTICIPANT, "SPARQLConstraintComponent", "LinkMembers",
                    value=_strip(stranger.iri)),
            _result(stranger, "^" + ORG + "member", "MinCountConstraintComponent",
                    "ParticipantMembershipWarning-membership", severity="Warning")]


def d_link_one_participant(rng, cm):
    link = _pick(rng, cm.links, cm)
    if link is None:
        return None
    link.drop(P_PARTICIPANT, link.extra["b"].iri)
    return _result(link, P_PARTICIPANT, "MinCountConstraintComponent", "CooperationLink-participant")


def d_unknown_direction(rng, cm):
    a = _pick(rng, cm.activities, cm)
    if a is None:
        return None
    a.replace(P_DIRECTION, _i(rng.choice(OBJECTIVES)))
    return _result(a, P_DIRECTION, "ClassConstraintComponent", "Activity-direction")


def d_pedagogical_without_core(rng, cm):
    if not cm.pedagogical or cm.node.iri in cm.touched:
        return None
    core = cm.memberships[0]
    if core.iri in cm.touched:
        return None
    cm.touched.update({cm.node.iri, core.iri})
    core.replace(P_ROLE, ROLE_PARTNER)
    return _result(cm.node, "^" + ORG + "organization", "QualifiedMinCountConstraintComponent",
                   "PedagogicalCluster-core")


def d_two_cores(rng, cm):
    if cm.node.iri in cm.touched:
        return None
    m = _pick(rng, cm.memberships, cm, lambda m: m.values(P_ROLE) == [ROLE_PARTNER])
    if m is None:
        return None
    cm.touched.add(cm.node.iri)
    m.replace(P_ROLE, ROLE_CORE)
    return _result(cm.node, "^" + ORG + "organization", "QualifiedMaxCountConstraintComponent",
                   "ClusterSingleCoreWarning-core", severity="Warning")


def d_count_negative(rng, cm):
    c = _pick(rng, cm.counts, cm)
    if c is None:
        return None
    c.replace(P_COUNT, lit(str(-rng.randint(1, 50)), "nonNegativeInteger"))
    return _result(c, P_COUNT, "DatatypeConstraintComponent", "ParticipantCount-count")


def d_counted_kind_not_participant(rng, cm):
    c = _pick(rng, cm.counts, cm)
    if c is None:
        return None
    c.replace(P_KIND, ec("Direction"))
    return _result(c, P_KIND, "NodeConstraintComponent", "ParticipantCount-countedKind")


DEFECTS = {
    "participant-without-name": d_participant_without_name,
    "name-with-spaces": d_name_with_spaces,
    "bad-identifier": d_bad_identifier,
    "bad-url": d_bad_url,
    "member-not-participant": d_member_not_participant,
    "membership-without-role": d_missing_role,
    "start-date-not-a-date": d_date_not_a_date,
    "membership-before-cluster-established": d_membership_before_founding,
    "relation-type-on-wrong-axis": d_relation_type_wrong_axis,
    "link-participant-outside-cluster": d_link_outside_cluster,
    "link-with-one-participant": d_link_one_participant,
    "unknown-direction": d_unknown_direction,
    "pedagogical-cluster-without-core": d_pedagogical_without_core,
    "cluster-with-two-cores": d_two_cores,
    "negative-count": d_count_negative,
    "counted-kind-not-a-participant-kind": d_counted_kind_not_participant,
}


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def estimate_cluster_triples(seed: int) -> float:
    g = Generator(seed + 7919)
    total = 0
    for _ in range(30):
        total += sum(len(n.triples) for n in g.cluster().nodes())
    return total / 30


def generate(out: Path, triples: int, seed: int = 1, defects: int = 0,
             base: str = DEFAULT_BASE, kinds: list[str] | None = None) -> dict:
    """Write about ``triples`` triples of cluster data to ``out`` (N-Triples); return a summary
    (and write it to ``<out>.defects.json`` when ``defects`` > 0)."""
    kinds = list(kinds or DEFECTS)
    queue = [kinds[i % len(kinds)] for i in range(defects)]
    gen = Generator(seed, base)
    per_cluster = estimate_cluster_triples(seed)
    est_clusters = max(1, round(triples / per_cluster))
    injected: list[dict] = []
    placed: list[str] = []
    written = 0
    clusters = 0
    t0 = time.perf_counter()
    with open(out, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        while written < triples:
            # near the end, a cluster sized to what is left (about 18 triples per partner)
            left = triples - written
            cm = gen.cluster(max_size=int(left / 18) if left < 1.5 * per_cluster else None)
            clusters += 1
            # spread the defects over the first 80 % of the expected clusters; the last
            # cluster takes what is left; a kind that does not apply here waits its turn
            remaining_clusters = max(1, int(est_clusters * 0.8) - clusters + 1)
            quota = math.ceil(len(queue) / remaining_clusters) if queue else 0
            if written + sum(len(n.triples) for n in cm.nodes()) >= triples:
                quota = len(queue)
            i = 0
            while quota > 0 and i < len(queue):
                kind = queue[i]
                res = DEFECTS[kind](gen.rng, cm)
                if res is None:
                    i += 1
                    continue
                queue.pop(i)
                placed.append(kind)
                quota -= 1
                for r in (res if isinstance(res, list) else [res]):
                    r["kind"] = kind
                    injected.append(r)
            buf = []
            for n in cm.nodes():
                s = n.iri
                for p, o in n.triples:
                    buf.append(f"{s} {p} {o} .\n")
            f.write("".join(buf))
            written += len(buf)
    if queue and defects:
        # could not place (data too small): say so, the counts below are what was injected
        print(f"generate: {len(queue)} defect(s) could not be placed: {sorted(set(queue))}",
              file=sys.stderr)
    summary = {
        "file": str(out), "triples": written, "seed": seed, "clusters": clusters,
        "participants": sum(v for k, v in gen.stats.items() if k.startswith("participant:")),
        "participants_by_kind": {k.split(":", 1)[1]: v for k, v in sorted(gen.stats.items())
                                 if k.startswith("participant:")},
        "memberships": gen.counters.get("membership", 0), "links": gen.counters.get("link", 0),
        "activities": gen.counters.get("activity", 0), "events": gen.counters.get("event", 0),
        "defects_requested": defects,
        "defects_injected": len(placed),
        "defects_by_kind": {k: placed.count(k) for k in kinds},
        "expected_results": {
            "violations": sum(1 for r in injected if r["severity"] == _sh("Violation")),
            "warnings": sum(1 for r in injected if r["severity"] == _sh("Warning")),
        },
        "results": injected,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    if defects:
        sidecar = Path(str(out) + ".defects.json")
        sidecar.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", type=Path, required=True, help="output N-Triples file")
    ap.add_argument("--triples", type=int, default=10_000, help="target size (default 10000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--defects", type=int, default=0,
                    help="inject K known defects (kinds in turn); writes OUT.defects.json")
    ap.add_argument("--kinds", help="comma-separated defect kinds to use (default: all): "
                    + ", ".join(DEFECTS))
    ap.add_argument("--base", default=DEFAULT_BASE, help="IRI base of the generated nodes")
    a = ap.parse_args(argv)
    kinds = a.kinds.split(",") if a.kinds else None
    if kinds:
        bad = [k for k in kinds if k not in DEFECTS]
        if bad:
            ap.error(f"unknown defect kind(s): {', '.join(bad)}")
    s = generate(a.out, a.triples, a.seed, a.defects, a.base, kinds)
    print(f"generate: {s['triples']} triples, {s['clusters']} clusters, {s['participants']} "
          f"participants, {s['memberships']} memberships, {s['links']} links -> {a.out} "
          f"({s['seconds']} s)")
    if a.defects:
        print(f"generate: {len(s['results'])} expected results "
              f"({s['expected_results']['violations']} violations, "
              f"{s['expected_results']['warnings']} warnings) -> {a.out}.defects.json")
        for k, v in s["defects_by_kind"].items():
            print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
