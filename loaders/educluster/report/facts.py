"""The numbers of the national report, read from the dataset with one query per table.

Members by stated kind (and the counted participants), links by relation type, the network
(members, their kinds, links) of every cluster. Clusters come from the data graphs only, as in
:mod:`educluster.assess.criteria`.
"""

from __future__ import annotations

from ..names import Name, better as _better

CLUSTERS = """  { SELECT DISTINCT ?cluster WHERE {
      GRAPH ?g { ?cluster a ?ct }
      ?ct rdfs:subClassOf* ec:Cluster .
      FILTER (STRSTARTS(STR(?g), "https://w3id.org/educluster/graph/data/"))
  } }"""
PFX = """PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
"""

MEMBERS = PFX + """SELECT ?cluster ?member ?name ?kind WHERE {
""" + CLUSTERS + """
  ?ms org:organization ?cluster ; org:member ?member .
  OPTIONAL { ?member a ?kind . ?kind rdfs:subClassOf* ec:Participant . }
  OPTIONAL { ?member rdfs:label ?name }
}"""

COUNTS = PFX + """SELECT ?cluster ?kind (SUM(?c) AS ?n) WHERE {
""" + CLUSTERS + """
  ?x a ec:ParticipantCount ; ec:withinCluster ?cluster ; ec:countedKind ?kind ; ec:count ?c .
} GROUP BY ?cluster ?kind"""

LINKS = PFX + """SELECT ?cluster ?link ?a ?b ?type WHERE {
""" + CLUSTERS + """
  ?link a ec:CooperationLink ; ec:withinCluster ?cluster ; ec:participant ?a , ?b .
  FILTER (STR(?a) < STR(?b))
  OPTIONAL { ?link ec:relationType ?type }
}"""

LINK_TYPES = PFX + """SELECT ?cluster ?type (COUNT(DISTINCT ?link) AS ?n) WHERE {
""" + CLUSTERS + """
  ?link a ec:CooperationLink ; ec:withinCluster ?cluster .
  { ?link ec:relationType ?type } UNION { ?link ec:concentrationLevel ?type }
} GROUP BY ?cluster ?type"""

KINDS = PFX + """SELECT ?kind ?label ?level WHERE {
  ?kind rdfs:subClassOf* ec:Participant ; rdfs:label ?label .
  OPTIONAL {
    VALUES ?level { ec:Preschool ec:School ec:AcademicLyceum ec:College ec:HigherEducationInstitution }
    ?kind rdfs:subClassOf* ?level .
  }
}"""

SUBCLASSES = PFX + """SELECT ?sub ?sup WHERE {
  ?sup rdfs:subClassOf* ec:Participant . ?sub rdfs:subClassOf+ ?sup . FILTER (?sub != ?sup)
}"""

#: the levels of education (codes; :data:`educluster.assess.language.LEVELS` says them)
LEVEL_NAMES = {"Preschool": "preschool", "School": "general secondary",
               "AcademicLyceum": "secondary specialised", "College": "secondary vocational",
               "HigherEducationInstitution": "higher"}
LEVELS = list(LEVEL_NAMES.values())


def _v(t):
    return None if t is None else t.value


def facts(ds, labels, lang: str = "en") -> dict:
    """Per cluster IRI: members (iri -> (name, kind)), counts by kind, links, link types; and
    the kind labels and levels. Names and labels in ``lang`` where there are
    (:mod:`educluster.names`)."""
    kinds: dict[str, dict] = {}
    for s in ds.query(KINDS):
        k = kinds.setdefault(_v(s["kind"]), {"label": None, "term": None, "level": None})
        if _better(k["term"], s["label"], lang):
            k["term"], k["label"] = s["label"], Name.of(s["label"])
        if s["level"] is not None:
            k["level"] = LEVEL_NAMES[_v(s["level"]).rsplit("#", 1)[-1]]
    for k in kinds.values():
        del k["term"]
    below = {(_v(s["sub"]), _v(s["sup"])) for s in ds.query(SUBCLASSES)}
    per: dict[str, dict] = {}

    def c(iri):
        return per.setdefault(iri, {"members": {}, "counts": {}, "links": [], "link_types": {}})

    names: dict[str, object] = {}  # member -> its best name term (data may name it in 4 languages)
    for s in ds.query(MEMBERS):
        m = c(_v(s["cluster"]))["members"]
        iri, kind = _v(s["member"]), _v(s["kind"])
        if _better(names.get(iri), s["name"], lang):
            names[iri] = s["name"]
        old = m.get(iri)
        if old is None or (kind and (old[1] is None or (kind, old[1]) in below)):
            m[iri] = (None, kind)
    for rec in per.values():
        members = rec["members"]
        for iri, (_, kind) in members.items():
            members[iri] = (Name.of(names.get(iri)) or iri, kind)
    for s in ds.query(COUNTS):
        c(_v(s["cluster"]))["counts"][_v(s["kind"])] = int(s["n"].value)
    for s in ds.query(LINKS):
        c(_v(s["cluster"]))["links"].append((_v(s["a"]), _v(s["b"]), _v(s["type"])))
    for s in ds.query(LINK_TYPES):
        c(_v(s["cluster"]))["link_types"][_v(s["type"])] = int(s["n"].value)
    for rec in per.values():
        rec["links"].sort(key=lambda t: (t[0], t[1], t[2] or ""))
    return {"kinds": kinds, "clusters": per}
