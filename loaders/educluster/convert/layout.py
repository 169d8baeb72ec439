"""The documented layout of institutions' CSV and JSON data: one template per kind of entity.

Each :class:`Template` is one CSV file (``<name>.csv``) and one array of the JSON layout
(``{"<name>": [...]}``); its :class:`Column` s are the CSV header cells and the JSON keys.
A column names a *term* of the JSON-LD context: the ontology's own properties by their local
name (the context :func:`educluster.context.make_context` generates from the ontology gives
their IRI and datatype), and the few reused external properties by the aliases in
:data:`EXTERNAL_TERMS`. Values are normalised first (:mod:`educluster.convert.tabular`): a
reference to another row becomes an IRI under the base, a code becomes the IRI of a
knowledge-base item, a kind becomes an ontology class. The JSON-LD processor then turns the
rows into RDF, so CSV, JSON and Turtle give the same graph.

Nothing here imports an RDF library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EC = "https://w3id.org/educluster/ontology#"
ID = "https://w3id.org/educluster/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: IRIs of rows whose id is not a full IRI are this base + the id (``--base`` overrides it;
#: a JSON file may set ``"base"``). Choose your own namespace before you publish data.
DEFAULT_BASE = "https://example.org/educluster/"

#: Separator of several values in one CSV cell.
MULTI_SEPARATOR = "|"

#: Language tags a name may end with (``Chirchiq davlat pedagogika instituti@uz``), in any
#: case; the value is the tag written into the data. ``uz`` is Uzbek in Latin script.
NAME_LANGUAGES = {"en": "en", "uz": "uz", "uz-latn": "uz", "uz-cyrl": "uz-Cyrl", "ru": "ru"}


def language_value(value: str) -> "str | dict[str, str]":
    """A name cell's value as JSON-LD: ``"Name@uz"`` -> ``{"@value": "Name", "@language":
    "uz"}``; a value without one of :data:`NAME_LANGUAGES` after its last ``@`` stays text
    (an ``@`` inside a name is kept)."""
    head, sep, tag = value.rpartition("@")
    lang = NAME_LANGUAGES.get(tag.strip().lower()) if sep else None
    if lang and head.strip():
        return {"@value": head.rstrip(), "@language": lang}
    return value


#: Context terms for the reused external properties (the ontology's own properties come
#: from the generated context, named by their local name).
EXTERNAL_TERMS: dict[str, object] = {
    "id": "@id",
    "type": "@type",
    "name": {"@id": "http://www.w3.org/2000/01/rdf-schema#label"},
    "description": {"@id": "http://purl.org/dc/terms/description"},
    "member": {"@id": "http://www.w3.org/ns/org#member", "@type": "@id"},
    "organization": {"@id": "http://www.w3.org/ns/org#organization", "@type": "@id"},
    "role": {"@id": "http://www.w3.org/ns/org#role", "@type": "@id"},
    "identifier": {"@id": "http://www.w3.org/ns/org#identifier"},
    "url": {"@id": "https://schema.org/url", "@type": XSD + "anyURI"},
    "foundingDate": {"@id": "https://schema.org/foundingDate", "@type": XSD + "date"},
    "startDate": {"@id": "https://schema.org/startDate", "@type": XSD + "date"},
}


@dataclass(frozen=True)
class Column:
    """One CSV column / JSON key of a template.

    kind: ``id`` (the row's own identifier), ``type`` (a class of the ontology, by local
    name), ``text`` / ``date`` / ``integer`` / ``url`` (a literal), ``ref`` (the id of another
    row), ``code`` (an item of the knowledge base: its slug, its label or its IRI), ``class``
    (a participant kind, by the class's local name or label).
    """

    name: str
    term: str
    kind: str
    help: str
    required: bool = False
    multi: bool = False
    code_class: str | None = None   # ec: local name of the class of the allowed codes / types
    code_kind: str | None = None    # the id/<kind>/ folder of the codes
    axis: str | None = None         # relation types: the axis they must lie on
    example: str = ""
    languages: bool = False         # text values may end with @uz, @uz-Cyrl, @ru, @en


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    help: str
    default_type: str                       # ec: local name; the type of every row
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _id(example: str, what: str) -> Column:
    return Column("id", "id", "id", f"a short identifier of the {what}, unique in your data "
                  "(letters, digits, - _ . ~ /), or a full IRI", required=True, example=example)


def _name(example: str, what: str) -> Column:
    return Column("name", "name", "text", f"the {what}'s official name first; more names (a "
                  "short name, the name in other languages) after it, separated by |; a name "
                  "may end with its language: @uz (Uzbek, Latin script), @uz-Cyrl (Uzbek, "
                  "Cyrillic), @ru or @en, for example 'Chirchik State Pedagogical "
                  "Institute|Chirchiq davlat pedagogika instituti@uz'", required=True,
                  multi=True, languages=True, example=example)


_DESCRIPTION = Column("description", "description", "text", "a free-text description")

TEMPLATES: tuple[Template, ...] = (
    Template(
        "clusters", "Clusters",
        "One row per cluster: its kind, name, region, date established, common goals, and the "
        "knowledge-base items it pursues, adopts and uses.",
        "Cluster",
        (
            _id("tashkent-cluster", "cluster"),
            Column("type", "type", "type", "the kind of cluster: Cluster, EducationalCluster or "
                   "PedagogicalEducationCluster (a cluster of teacher education)", required=True,
                   code_class="Cluster", example="PedagogicalEducationCluster"),
            _name("Innovative cluster of teacher education in the Tashkent region", "cluster"),
            Column("region", "region", "code", "the region where the cluster works: its "
                   "ISO 3166-2 code (UZ-TO) or its name in English, Uzbek (Latin or Cyrillic) "
                   "or Russian; any apostrophe (ʻ ʼ ' `) will do", code_class="Region",
                   code_kind="region", example="Tashkent region"),
            Column("foundingDate", "foundingDate", "date",
                   "the date the cluster was established, YYYY-MM-DD (leave empty if unknown)",
                   example=""),
            Column("commonGoal", "commonGoal", "text", "the goals the participants pursue "
                   "together, in your words", multi=True,
                   example="improving the quality of teacher training"),
            Column("objective", "objective", "code", "objectives from the knowledge base",
                   multi=True, code_class="Objective", code_kind="objective"),
            Column("direction", "direction", "code", "directions from the knowledge base",
                   multi=True, code_class="Direction", code_kind="direction"),
            Column("principle", "principle", "code", "principles from the knowledge base",
                   multi=True, code_class="Principle", code_kind="principle"),
            Column("interactionModel", "interactionModel", "code",
                   "interaction models from the knowledge base", multi=True,
                   code_class="InteractionModel", code_kind="interaction-model",
                   example="informational-and-cognitive-social-activity|game-activity"),
            Column("cooperationArea", "cooperationArea", "code",
                   "areas of cooperation from the knowledge base", multi=True,
                   code_class="CooperationArea", code_kind="cooperation-area",
                   example="career-guidance"),
            _DESCRIPTION,
        ),
    ),
    Template(
        "participants", "Participants",
        "One row per participating organisation: its kind, name, region and identifier.",
        "Participant",
        (
            _id("cspi", "participant"),
            Column("type", "type", "type", "the kind of participant: PedagogicalUniversity, "
                   "HigherEducationInstitution, School, Preschool, AcademicLyceum, College, "
                   "ProfessionalDevelopmentInstitution (an in-service teacher training or "
                   "retraining centre), ResearchInstitute, Enterprise, StateEducationBody, "
                   "PublicAssociation; OtherParticipant if none fits, then say what it is in "
                   "'description'",
                   required=True, code_class="Participant", example="PedagogicalUniversity"),
            _name("Chirchik State Pedagogical Institute", "participant"),
            Column("region", "region", "code", "the region where the participant is "
                   "located: its code (UZ-TO) or its name, as for clusters", code_class="Region",
                   code_kind="region", example="Tashkent region"),
            Column("identifier", "identifier", "text", "an official identifier (for example "
                   "the taxpayer number); letters, digits and . / : _ - only", multi=True),
            Column("url", "url", "url", "the website, starting with https://"),
            _DESCRIPTION,
        ),
    ),
    Template(
        "memberships", "Memberships",
        "One row per participant and cluster it belongs to: its role, start date and agreement.",
        "Membership",
        (
            _id("membership-cspi", "membership"),
            Column("member", "member", "ref", "the id of the participant (participants.csv)",
                   required=True, example="cspi"),
            Column("cluster", "organization", "ref", "the id of the cluster (clusters.csv)",
                   required=True, example="tashkent-cluster"),
            Column("role", "role", "code", "core (the institution the cluster is organised "
                   "around) or partner (any other member)", required=True,
                   code_class="MembershipRole", code_kind="role", example="core"),
            Column("startDate", "startDate", "date", "the date the membership started, "
                   "YYYY-MM-DD (leave empty if unknown)"),
            Column("agreement", "agreement", "text", "the agreement it rests on: title, number, "
                   "date"),
        ),
    ),
    Template(
        "links", "Cooperation links",
        "One row per cooperation link between two participants of a cluster, classified by "
        "the nature of the relation and the level of concentration.",
        "CooperationLink",
        (
            _id("link-cspi-school-1", "link"),
            Column("cluster", "withinCluster", "ref", "the id of the cluster (clusters.csv)",
                   required=True, example="tashkent-cluster"),
            Column("participant", "participant", "ref", "the ids of the two participants, "
                   "separated by |", required=True, multi=True, example="cspi|school-1"),
            Column("relationType", "relationType", "code", "the nature of the relation: "
                   "vertical, horizontal or mixed", required=True, code_class="RelationType",
                   code_kind="relation-type", axis=ID + "axis/nature-of-relations",
                   example="vertical"),
            Column("concentrationLevel", "concentrationLevel", "code", "the level of "
                   "concentration: within-network or interbranch", code_class="RelationType",
                   code_kind="relation-type", axis=ID + "axis/level-of-concentration",
                   example="within-network"),
            Column("cooperationArea", "cooperationArea", "code",
                   "areas of cooperation from the knowledge base", multi=True,
                   code_class="CooperationArea", code_kind="cooperation-area",
                   example="educational-and-methodological-cooperation"),
            _DESCRIPTION,
        ),
    ),
    Template(
        "units", "Cluster units",
        "One row per centre, complex or laboratory a participant set up for the cluster.",
        "ClusterUnit",
        (
            _id("laboratory-schools", "unit"),
            _name("Laboratory Schools", "unit"),
            Column("setUpBy", "setUpBy", "ref", "the id of the participant that set it up "
                   "(participants.csv)", required=True, example="cspi"),
            Column("cluster", "withinCluster", "ref", "the id of the cluster (clusters.csv)",
                   required=True, example="tashkent-cluster"),
            _DESCRIPTION,
        ),
    ),
    Template(
        "activities", "Activities and projects",
        "One row per activity, project or area of a project the cluster carries out.",
        "Activity",
        (
            _id("school-of-young-teachers", "activity"),
            Column("type", "type", "type", "Activity, or Project for a named project (leave "
                   "empty for Activity)", code_class="Activity", example="Project"),
            _name("School of Young Teachers", "activity"),
            Column("cluster", "withinCluster", "ref", "the id of the cluster (clusters.csv)",
                   required=True, example="tashkent-cluster"),
            Column("partOf", "partOf", "ref", "the id of the larger activity this one is part "
                   "of"),
            Column("supportedBy", "supportedBy", "ref", "the ids of participants or clusters "
                   "that support it", multi=True,
                   example="tashkent-cluster"),
            Column("direction", "direction", "code", "directions from the knowledge base",
                   multi=True, code_class="Direction", code_kind="direction"),
            Column("interactionModel", "interactionModel", "code",
                   "interaction models from the knowledge base", multi=True,
                   code_class="InteractionModel", code_kind="interaction-model"),
            Column("cooperationArea", "cooperationArea", "code",
                   "areas of cooperation from the knowledge base", multi=True,
                   code_class="CooperationArea", code_kind="cooperation-area"),
            Column("activityType", "activityType", "code", "activity types from the knowledge "
                   "base", multi=True, code_class="ActivityType", code_kind="activity-type"),
            Column("audience", "audience", "text", "who it is for", multi=True,
                   example="young teachers"),
            Column("topic", "topic", "text", "topics it addresses", multi=True),
            _DESCRIPTION,
        ),
    ),
    Template(
        "events", "Events",
        "One row per event (master class, seminar, round table, ...) held within an activity.",
        "ClusterEvent",
        (
            _id("master-class-stress", "event"),
            _name("Master class: How to cope with stress?", "event"),
            Column("partOf", "partOf", "ref", "the id of the activity (activities.csv)",
                   required=True, example="school-of-young-teachers"),
            Column("startDate", "startDate", "date", "the date, YYYY-MM-DD"),
            Column("activityType", "activityType", "code", "activity types from the knowledge "
                   "base", multi=True, code_class="ActivityType", code_kind="activity-type"),
            Column("topic", "topic", "text", "topics", multi=True,
                   example="How to cope with stress?"),
            _DESCRIPTION,
        ),
    ),
    Template(
        "counts", "Participant counts",
        "One row per kind of participant whose number you know: the total number of "
        "participants of that kind in the cluster, those you list one by one (in "
        "participants.csv with a membership) included. Use it when you do not list them all: "
        "'21 schools' with 2 of them listed is a count of 21, not 19 (counts stay counts). A "
        "count below the number of listed members of that kind is a warning.",
        "ParticipantCount",
        (
            _id("count-schools", "count"),
            Column("cluster", "withinCluster", "ref", "the id of the cluster (clusters.csv)",
                   required=True, example="tashkent-cluster"),
            Column("countedKind", "countedKind", "class", "the kind counted: School, Preschool, "
                   "AcademicLyceum, College, ... (as in participants.csv)", required=True,
                   code_class="Participant", example="School"),
            Column("count", "count", "integer", "how many in total, listed members "
                   "included; a whole number", required=True, example="21"),
            _DESCRIPTION,
        ),
    ),
)

TEMPLATE_BY_NAME: dict[str, Template] = {t.name: t for t in TEMPLATES}


def template_for_file(stem: str) -> Template | None:
    """The template a CSV file belongs to, by its name: ``participants.csv``,
    ``tashkent-participants.csv`` and ``tashkent_participants.csv`` all are participants."""
    s = stem.lower()
    for t in TEMPLATES:
        if s == t.name or s.endswith("-" + t.name) or s.endswith("_" + t.name):
            return t
    return None
