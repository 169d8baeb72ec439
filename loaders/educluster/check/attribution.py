"""Attribution rule: an item attributed to a scholar (or a work) shows that scholar in its own paper.

The scholar's printed surname, or the paper's reference number for one of their works ("[n]" or
"[n, pp. ...]"), must stand within WINDOW characters of one of the item's quotes in the item's
paper. The passage that introduces an item (its list's quote, its broader item's quote) counts
as part of the item's passage, since papers name the scholar once before a list. Surnames come
from sources.ttl; reference numbers and other printed spellings from ontology/qc/printed-forms.ttl,
whose every form must occur in its paper. The paper's own words for an attribution that names no
scholar (`ec:printedAttribution`, e.g. "A group of researchers") must stand there too. Attribution to the paper itself or its own authors is the
paper's voice and needs no name nearby; but a DEFINITION in the paper's own voice with another
scholar's surname or a "[n]" within OWN_WINDOW characters of its quote is a finding
(`attribution-own-voice`): that is how a cited definition handed to the author looks."""
from __future__ import annotations

import re
from pathlib import Path

from .findings import Finding, Report
from .papers import Item, Paper, collapse, find_all

WINDOW = 300
OWN_WINDOW = 150
QC = "https://w3id.org/educluster/qc#"
PREFIXES = """
PREFIX ec: <https://w3id.org/educluster/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


def _printed_forms(path: Path, report: Report, papers: dict[str, Paper]):
    """(reference numbers {(paper, work): n}, printed names {(paper, person): {form}}) from the file;
    a form that does not occur in its paper is a `printed-form` finding."""
    from rdflib import Graph, Namespace, URIRef

    references: dict[tuple[str, str], set[int]] = {}
    names: dict[tuple[str, str], set[str]] = {}
    if not path.is_file():
        return references, names
    from ..kb import parse_file
    graph = parse_file(path, Graph(), format="turtle")
    lines = path.read_text(encoding="utf-8").splitlines()
    qc = Namespace(QC)
    for paper, node in graph.subject_objects(qc.reference):
        work, number = graph.value(node, qc.work), graph.value(node, qc.number)
        if work is None or number is None:
            continue
        references.setdefault((str(paper), str(work)), set()).add(int(number))
        text = papers.get(str(paper))
        if text is not None and not re.search(rf"\[{int(number)}[\],]", text.text):
            report.add(Finding("printed-form", str(paper), f"reference [{int(number)}] for <{work}> is not "
                               "printed in this paper's text", str(int(number)), _shown(path),
                               _line_with(lines, f"qc:number {int(number)}", str(work).rsplit("/", 1)[-1])))
    for paper, node in graph.subject_objects(qc.printedName):
        person, form = graph.value(node, qc.person), graph.value(node, URIRef(QC + "as"))
        if person is None or form is None:
            continue
        names.setdefault((str(paper), str(person)), set()).add(str(form).lower())
        text = papers.get(str(paper))
        if text is not None and str(form).lower() not in text.text.lower():
            report.add(Finding("printed-form", str(paper), f"the spelling \"{form}\" of <{person}> is not "
                               "printed in this paper's text", str(form), _shown(path),
                               _line_with(lines, f'"{form}"', "")))
    return references, names


def _shown(path: Path) -> str:
    """The file name as findings print it (relative to the working folder where below it)."""
    from ..errors import display_path
    return display_path(path)


def _line_with(lines: list[str], first: str, second: str) -> int | None:
    """The first line of the file that writes both strings (where a printed form is declared)."""
    for number, text in enumerate(lines, start=1):
        if first in text and second in text:
            return number
    return None


def check_attribution(store, items: dict[str, Item], papers: dict[str, Paper], forms: Path,
                      report: Report) -> int:
    """Add an `attribution` finding per (item, agent) whose name stands nowhere near the item's
    quotes in its own paper; return how many attributions were examined."""
    references, printed = _printed_forms(forms, report, papers)
    surnames: dict[str, set[str]] = {}
    for row in store.query(PREFIXES + "SELECT ?a ?n WHERE { ?a foaf:familyName ?n }"):
        surnames.setdefault(row["a"].value, set()).add(row["n"].value.lower())
    creators: dict[str, set[str]] = {}
    for row in store.query(PREFIXES + "SELECT ?w ?a WHERE { ?w dcterms:creator ?a }"):
        creators.setdefault(row["w"].value, set()).add(row["a"].value)
    titles: dict[str, set[str]] = {}
    for row in store.query(PREFIXES + "SELECT ?w ?t WHERE { ?w dcterms:title ?t }"):
        titles.setdefault(row["w"].value, set()).add(collapse(row["t"].value).lower())
    context: dict[str, set[str]] = {}
    for row in store.query(PREFIXES + "SELECT ?i ?c WHERE { { ?i skos:inScheme ?c } UNION { ?i skos:broader ?c } }"):
        context.setdefault(row["i"].value, set()).add(row["c"].value)

    examined = 0
    own_voice: set[str] = set()
    rows = store.query(PREFIXES + "SELECT DISTINCT ?i ?who WHERE { ?i prov:wasAttributedTo ?who ; ec:quote ?q }")
    for row in rows:
        iri, agent = row["i"].value, row["who"].value
        item = items.get(iri)
        paper_iri = item.paper() if item else None
        paper = papers.get(paper_iri or "")
        if paper is None:
            continue  # no single own paper: the source and quote rules report it
        if agent == paper_iri or agent in creators.get(paper_iri, set()):
            own_voice.add(iri)
            continue  # the paper's own voice
        examined += 1
        words, numbers = _evidence(agent, paper_iri, surnames, creators, titles, references, printed)
        if not words and not numbers:
            report.add(Finding("attribution", iri, f"attributed to <{agent}>, who has no surname "
                               "(foaf:familyName) or title to look for in the paper", agent))
            continue
        if not any(_names(window, words, numbers) for window in _windows(item, paper.text, items, context)):
            shown = ", ".join(sorted(words) + [f"[{n}]" for n in sorted(numbers)])
            report.add(Finding("attribution", iri, f"attributed to <{agent}>, but none of {shown} stands "
                               f"within {WINDOW} characters of its quote in its paper ({paper.file})", agent))
    examined += _check_printed(store, items, papers, context, report)
    examined += _check_own_voice(store, own_voice, items, papers, creators, surnames, printed, report)
    return examined


def _check_printed(store, items, papers, context, report) -> int:
    """Add an `attribution` finding per ec:printedAttribution (the paper's own words for whom it
    reports an item from) that does not stand within WINDOW characters of the item's quote."""
    examined = 0
    query = PREFIXES + "SELECT ?i ?words WHERE { ?i ec:printedAttribution ?words }"
    for row in store.query(query):
        iri, words = row["i"].value, row["words"].value
        item = items.get(iri)
        paper = papers.get((item.paper() if item else None) or "")
        if paper is None:
            continue
        examined += 1
        needle = collapse(words).lower()
        if not any(needle in window for window in _windows(item, paper.text, items, context)):
            report.add(Finding("attribution", iri, f"its printed attribution does not stand within {WINDOW} "
                               f"characters of its quote in its paper ({paper.file})", words))
    return examined


def _check_own_voice(store, own_voice, items, papers, creators, surnames, printed, report) -> int:
    """Add `attribution-own-voice` findings for definitions in the paper's own voice that stand next
    to another scholar's name or a reference number; return how many were examined."""
    definitions = {row["d"].value for row in store.query(
        PREFIXES + "SELECT ?d WHERE { ?d a ec:Definition }")}
    examined = 0
    for iri in sorted(own_voice & definitions):
        item = items[iri]
        paper_iri = item.paper()
        agents = {row["w"].value for row in store.query(
            PREFIXES + f"SELECT ?w WHERE {{ <{iri}> prov:wasAttributedTo ?w }}")}
        if not agents <= {paper_iri} | creators.get(paper_iri, set()):
            continue  # also attributed to someone else: the rule above examined that
        examined += 1
        others: dict[str, str] = {}
        for person, names in surnames.items():
            if person not in creators.get(paper_iri, set()):
                for name in names | printed.get((paper_iri, person), set()):
                    others[name] = person
        text = papers[paper_iri].text
        seen: set[str] = set()
        for quote in item.quotes:
            length = len(collapse(quote))
            for start in find_all(text, quote):
                window = text[max(0, start - OWN_WINDOW): start + length + OWN_WINDOW].lower()
                seen |= {name for name in others if re.search(rf"\b{re.escape(name)}\b", window)}
                seen |= {f"[{n}]" for n in re.findall(r"\[(\d+)[\],]", window)}
        if seen:
            report.add(Finding("attribution-own-voice", iri, "attributed to the paper's own voice, but "
                               f"{', '.join(sorted(seen))} stand(s) within {OWN_WINDOW} characters of its "
                               "quote: attribute it to that scholar, or record why in "
                               "ontology/qc/exceptions.ttl", ", ".join(sorted(seen))))
    return examined


def _evidence(agent, paper, surnames, creators, titles, references, printed) -> tuple[set[str], set[int]]:
    """The words and reference numbers that show `agent` in `paper`."""
    people = {agent} | creators.get(agent, set())
    words: set[str] = set()
    for person in people:
        words |= surnames.get(person, set()) | printed.get((paper, person), set())
    if agent not in surnames and not creators.get(agent):
        words |= titles.get(agent, set())
    numbers: set[int] = set()
    for (p, work), found in references.items():
        if p == paper and (work == agent or agent in creators.get(work, set())):
            numbers |= found
    return words, numbers


def _windows(item: Item, text: str, items: dict[str, Item], context: dict[str, set[str]]):
    """The passages around each occurrence of the item's quotes, reaching back to the nearest
    preceding occurrence of its list's or broader item's quote."""
    anchors = []
    for parent in context.get(item.iri, set()):
        for quote in (items[parent].quotes if parent in items else []):
            length = len(collapse(quote))
            anchors += [(start, start + length) for start in find_all(text, quote)]
    for quote in item.quotes:
        length = len(collapse(quote))
        for start in find_all(text, quote):
            begin, end = start, start + length
            before = [a for a in anchors if a[0] <= start]
            if before:
                nearest = max(before)
                begin, end = nearest[0], max(end, nearest[1])
            yield text[max(0, begin - WINDOW): end + WINDOW].lower()


def _names(window: str, words: set[str], numbers: set[int]) -> bool:
    """Whether the window prints one of the words or bracketed reference numbers."""
    if any(word in window for word in words):
        return True
    return any(re.search(rf"\[{n}[\],]", window) for n in numbers)
