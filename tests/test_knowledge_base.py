"""Facts a reader of the papers relies on finding in the knowledge base (regression guard on the encoding).

Each assertion is a fact printed in a paper: if an edit loses a principle, a task or a relation
type, or mislabels one, these fail. Queries run on the merged ontology and knowledge base."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/educluster/id/"
PREFIXES = """
PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.fixture(scope="module")
def kb() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in sorted((ROOT / "ontology").glob("*.ttl")) + sorted((ROOT / "ontology/kb").glob("*.ttl")):
        g.parse(f)
    return g


def labels(kb, query: str) -> list[str]:
    return sorted(str(row[0]).lower() for row in kb.query(PREFIXES + query))


def test_nine_principles_of_the_pedagogical_education_cluster(kb):
    names = labels(kb, f"""SELECT ?l WHERE {{ ?p skos:inScheme <{ID}scheme/principles-mukhamedov-2020> ;
        a ec:Principle ; rdfs:label ?l }}""")
    assert len(names) == 9
    for expected in ("succession", "inheritance", "routing", "mutual control", "generality of purpose"):
        assert any(expected in n for n in names), (expected, names)


def test_every_003_principle_has_prerequisites(kb):
    rows = list(kb.query(PREFIXES + f"""SELECT ?p (COUNT(?r) AS ?n) WHERE {{
        ?p skos:inScheme <{ID}scheme/principles-mukhamedov-2020> ; a ec:Principle .
        OPTIONAL {{ ?p ec:hasPrerequisite ?r }} }} GROUP BY ?p"""))
    assert len(rows) == 9 and all(int(n) >= 2 for _, n in rows), rows


def test_five_principles_of_creating_training_clusters_in_002(kb):
    names = labels(kb, f"""SELECT ?l WHERE {{ ?p skos:inScheme <{ID}scheme/principles-chirchik> ;
        a ec:Principle ; rdfs:label ?l }}""")
    assert len(names) == 5
    assert any("regionalization" in n for n in names) and any("subordination" in n for n in names)


def test_chuchkalova_mosunova_classification_has_two_axes(kb):
    rows = {(str(t).rsplit("/", 1)[1], str(a).rsplit("/", 1)[1]) for t, a in kb.query(PREFIXES + """
        SELECT ?t ?a WHERE { ?t a ec:RelationType ; ec:onAxis ?a ;
        prov:wasAttributedTo <https://w3id.org/educluster/id/person/chuchkalova> }""")}
    assert rows == {("vertical", "nature-of-relations"), ("horizontal", "nature-of-relations"),
                    ("mixed", "nature-of-relations"), ("within-network", "level-of-concentration"),
                    ("interbranch", "level-of-concentration")}


def test_seven_strategies_are_also_forms(kb):
    rows = list(kb.query(PREFIXES + "SELECT ?s WHERE { ?s a ec:ClusterStrategy , ec:ClusterForm }"))
    assert len(rows) == 7


def test_eight_missions_of_the_educational_cluster_in_004(kb):
    names = labels(kb, f"""SELECT DISTINCT ?l WHERE {{ ?t skos:topConceptOf|skos:inScheme <{ID}scheme/tasks-khimmataliev-2023> ;
        a ec:ClusterTask ; rdfs:label ?l . FILTER NOT EXISTS {{ ?t skos:broader ?b }} }}""")
    assert len(names) == 8, names
    for word in ("coordinating", "synergistic", "prognostic", "leading", "consolidation", "corporate", "information", "reorganization"):
        assert any(word in n for n in names), (word, names)


def test_innovation_chain_in_printed_order(kb):
    rows = list(kb.query(PREFIXES + "SELECT ?l ?pos WHERE { ?c a ec:InnovationChainLink ; ec:chainPosition ?pos ; rdfs:label ?l } ORDER BY ?pos"))
    assert [str(l).lower() for l, _ in rows] == ["education", "science", "educational tools", "technology", "management", "business"]


def test_five_directions_with_their_content(kb):
    rows = list(kb.query(PREFIXES + f"""SELECT ?d (COUNT(?c) AS ?n) WHERE {{
        ?d skos:inScheme <{ID}scheme/directions-mukhamedov-2020> ; a ec:Direction ; ec:hasContentItem ?c }} GROUP BY ?d"""))
    assert sorted(int(n) for _, n in rows) == [3, 4, 4, 4, 5]


def test_porter_is_quoted_in_several_wordings_and_papers(kb):
    rows = list(kb.query(PREFIXES + """SELECT ?d ?paper WHERE { ?d a ec:Definition ;
        prov:wasAttributedTo <https://w3id.org/educluster/id/person/porter> ; dcterms:source ?paper . ?paper ec:seedFile ?f }"""))
    assert len({d for d, _ in rows}) >= 4 and len({p for _, p in rows}) >= 3


def test_definitions_cover_every_defined_concept(kb):
    defined = {str(c).split("#")[1] for (c,) in kb.query(PREFIXES + "SELECT DISTINCT ?c WHERE { ?d a ec:Definition ; ec:defines ?c }")}
    assert {"Cluster", "EducationalCluster", "PedagogicalEducationCluster", "ClusterApproach"} <= defined


def test_swot_table_of_001(kb):
    rows = dict((str(c).rsplit("/", 1)[1], int(n)) for c, n in kb.query(PREFIXES + """
        SELECT ?c (COUNT(?f) AS ?n) WHERE { ?f a ec:SWOTFinding ; ec:swotCategory ?c } GROUP BY ?c"""))
    assert set(rows) == {"strengths", "weaknesses", "opportunities", "threats"}
    assert rows["weaknesses"] == 4 and rows["threats"] == 5


def test_six_differences_between_cluster_and_system(kb):
    rows = list(kb.query(PREFIXES + "SELECT ?d WHERE { ?d a ec:ClusterSystemDifference ; ec:systemSide ?s ; ec:clusterSide ?c }"))
    assert len(rows) == 6


def test_counts_of_the_tashkent_cluster_stay_counts_in_the_knowledge_base(kb):
    """Paper 002's Tashkent cluster is knowledge (kb/p002-tashkent-cluster.ttl, issue 10): the
    schools, preschools and lyceum it only counts are participant counts whose quote prints the
    number, and no school, preschool or lyceum is invented as a member."""
    rows = {(str(r[0]).split("#")[1], int(r[1])): str(r[2]) for r in kb.query(PREFIXES + """
        SELECT ?kind ?n ?quote WHERE { ?c a ec:ParticipantCount ; ec:countedKind ?kind ; ec:count ?n ; ec:quote ?quote }""")}
    assert set(rows) == {("School", 21), ("Preschool", 5), ("AcademicLyceum", 1)}
    for (kind, n), quote in rows.items():
        assert f"{n} " in quote, (kind, quote)
    invented = list(kb.query(PREFIXES + "SELECT ?s WHERE { VALUES ?k { ec:School ec:Preschool ec:AcademicLyceum } ?s a ?k }"))
    assert invented == []
