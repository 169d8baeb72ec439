"""``educluster release``: a dated, immutable release a citation can name, with the changelog
against the previous release, and no term or item silently deleted (decision 0017).

A release is the folder ``releases/<YYYY-MM-DD>/`` (``--releases DIR``): the merged ontology and
knowledge base in the four formats, the JSON-LD context and the SKOS export, with the ontology
header's ``owl:versionIRI`` set to ``https://w3id.org/educluster/ontology/<date>``,
``owl:versionInfo`` to the date and ``owl:priorVersion`` to the previous release; its changelog
(``CHANGELOG.md``, and ``changes.json`` for the site). The previous release is the latest dated
folder before the new date. A release that exists is never replaced (exit 2). A term or item of
the previous release that the new one lacks is an error (exit 2): keep it, marked
``owl:deprecated true`` with ``dcterms:isReplacedBy`` its successor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sys
from pathlib import Path

from educluster import paths
from educluster.errors import UserError, display_path
from educluster.i18n import _, ngettext
from educluster.kb import EC, ID, ONTOLOGY_IRI

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OWL = "http://www.w3.org/2002/07/owl#"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
#: What the changelog compares, by name (labels, definitions, quotes).
COMPARED = {
    "label": (RDFS + "label", SKOS + "prefLabel"),
    "definition": (SKOS + "definition",),
    "quote": (EC + "quote",),
}
GRAPH = "educluster.nt"
#: The release's Turtle: the graph where ``educluster.nt`` is not there (:func:`release_graph`).
TURTLE = "educluster.ttl"
#: A release's graph is read whole: a bound on the file (the 2026-12-05 graph is 2.2 MB).
MAX_GRAPH_MB = 512.0


def version_iri(date: str) -> str:
    return f"{ONTOLOGY_IRI}/{date}"


def releases_dir(args: argparse.Namespace | None = None) -> Path:
    given = getattr(args, "releases", None) if args is not None else None
    return Path(given) if given else paths.repo_root() / "releases"


def release_dates(folder: Path) -> list[str]:
    """The dates of the releases in ``folder`` (each a dated folder holding the graph, as
    N-Triples or Turtle), sorted."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if DATE.match(p.name) and p.is_dir()
                  and ((p / GRAPH).is_file() or (p / TURTLE).is_file()))


def release_graph(release: Path) -> tuple[bytes, Path]:
    """The N-Triples of the release folder ``release`` and the file they were read from:
    ``educluster.nt`` as `release` wrote it, or, where that is absent, ``educluster.ttl`` made
    into the same bytes (:func:`educluster.build.ntriples` of the same canonical graph). The
    repository does not commit the N-Triples (decision 0039), so a clone has only the Turtle.
    A file that cannot be read or parsed is a UserError naming it."""
    import pyoxigraph as ox
    import rdflib

    from educluster.build import canonical_graph, ntriples
    from educluster.convert.inputs import read_bytes
    from educluster.kb import _error_line, _error_reason

    path = release / GRAPH
    if not path.is_file():
        path = release / TURTLE
    data = read_bytes(path, MAX_GRAPH_MB)
    try:
        if path.name == GRAPH:
            for _triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                pass
            return data, path
        graph = rdflib.Graph(bind_namespaces="none")
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # noqa: BLE001 - pyoxigraph's SyntaxError, rdflib's many types
        raise UserError(_("the release's graph cannot be read ({reason}); restore the file "
                          "from the repository").format(reason=_error_reason(exc)),
                        file=path, line=_error_line(exc)) from None
    return ntriples(canonical_graph(graph)), path


def stamp(graph, date: str, prior: str | None) -> None:
    """Set the ontology header of ``graph`` (rdflib) to release ``date`` (after ``prior``)."""
    from rdflib import Literal, URIRef

    onto = URIRef(ONTOLOGY_IRI)
    for p in ("versionIRI", "versionInfo", "priorVersion"):
        graph.remove((onto, URIRef(OWL + p), None))
    graph.add((onto, URIRef(OWL + "versionIRI"), URIRef(version_iri(date))))
    graph.add((onto, URIRef(OWL + "versionInfo"), Literal(date)))
    if prior:
        graph.add((onto, URIRef(OWL + "priorVersion"), URIRef(version_iri(prior))))
    title = graph.value(onto, URIRef(DCT + "title"))
    if title is not None:  # the citation names the release
        graph.remove((onto, URIRef(DCT + "bibliographicCitation"), None))
        graph.add((onto, URIRef(DCT + "bibliographicCitation"),
                   Literal(f"{title}, release {date}. {version_iri(date)}", lang="en")))


def _items(ntriples: bytes) -> dict[str, dict[str, set[str]]]:
    """Every term and KB item: predicate IRI -> its objects (N-Triples text), by subject IRI."""
    import pyoxigraph as ox

    items: dict[str, dict[str, set[str]]] = {}
    for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        s = q.subject
        if isinstance(s, ox.NamedNode) and s.value.startswith((EC, ID)):
            items.setdefault(s.value, {}).setdefault(q.predicate.value, set()).add(str(q.object))
    return items


def _deprecated(props: dict[str, set[str]]) -> bool:
    return any(v.startswith('"true"') for v in props.get(OWL + "deprecated", ()))


def _text(nt_term: str) -> str:
    """A literal's text for the changelog (N-Triples unescaped), an IRI as is."""
    import pyoxigraph as ox

    try:
        term = next(iter(ox.parse(f"<urn:s> <urn:p> {nt_term} .", format=ox.RdfFormat.N_TRIPLES))).object
    except (SyntaxError, StopIteration):  # pragma: no cover - our own N-Triples
        return nt_term
    if isinstance(term, ox.Literal):
        return term.value + (f" @{term.language}" if term.language else "")
    return term.value


def diff(old_nt: bytes, new_nt: bytes) -> dict:
    """What changed between two releases' graphs: terms and items added, removed, deprecated,
    and per item the labels, definitions and quotes removed and added, and how many other
    statements changed."""
    old, new = _items(old_nt), _items(new_nt)
    changed = {}
    for iri in sorted(old.keys() & new.keys()):
        a, b = old[iri], new[iri]
        entry: dict = {}
        for name, props in COMPARED.items():
            before = set().union(*(a.get(p, set()) for p in props))
            after = set().union(*(b.get(p, set()) for p in props))
            if before != after:
                entry[name] = {"removed": sorted(_text(x) for x in before - after),
                               "added": sorted(_text(x) for x in after - before)}
        compared = {p for props in COMPARED.values() for p in props}
        others = sum(len(a.get(p, set()) ^ b.get(p, set())) for p in (a.keys() | b.keys()) - compared)
        if others:
            entry["other statements"] = others
        if entry:
            changed[iri] = entry
    return {
        "added": sorted(new.keys() - old.keys()),
        "removed": sorted(old.keys() - new.keys()),
        "deprecated": sorted(i for i in old.keys() & new.keys()
                             if _deprecated(new[i]) and not _deprecated(old[i])),
        "changed": changed,
    }


def missing_without_deprecation(changes: dict) -> list[str]:
    """The terms and items of the previous release that the new one dropped (an error)."""
    return changes["removed"]


def changelog_md(changes: dict, date: str, prior: str | None) -> str:
    """The changelog of release ``date`` as Markdown (plain text, IRIs in code spans)."""
    lines = [f"# educluster {date}", "",
             f"Version IRI: `{version_iri(date)}`" + (f"; previous release: `{version_iri(prior)}`"
                                                      if prior else "; the first release"), ""]
    if prior is None:
        return "\n".join(lines + ["The first release: no changelog.", ""])
    c = changes
    lines.append(f"{len(c['added'])} added, {len(c['deprecated'])} deprecated, "
                 f"{len(c['changed'])} changed.")
    for title, key in (("Added", "added"), ("Deprecated", "deprecated"), ("Removed", "removed")):
        if c[key]:
            lines += ["", f"## {title}", ""] + [f"- `{iri}`" for iri in c[key]]
    if c["changed"]:
        lines += ["", "## Changed", ""]
        for iri, entry in c["changed"].items():
            lines.append(f"- `{iri}`")
            for name, what in entry.items():
                if name == "other statements":
                    lines.append(f"    - {what} other statement(s) added or removed")
                    continue
                for old in what["removed"]:
                    lines.append(f"    - {name} removed: {json.dumps(old, ensure_ascii=False)}")
                for new in what["added"]:
                    lines.append(f"    - {name} added: {json.dumps(new, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def release_files(graph, date: str, prior: str | None, prior_nt: bytes | None) -> dict[str, bytes]:
    """Every file of the release folder, by name (nothing written)."""
    from educluster.build import serialise
    from educluster.skos_export import FILE, export_turtle

    stamp(graph, date, prior)
    files = serialise(graph)
    files[FILE] = export_turtle(files[GRAPH])
    changes = diff(prior_nt, files[GRAPH]) if prior_nt is not None else \
        {"added": [], "removed": [], "deprecated": [], "changed": {}}
    files["changes.json"] = (json.dumps({"release": date, "versionIRI": version_iri(date),
                                         "prior": prior, **changes}, indent=1, ensure_ascii=False)
                             + "\n").encode("utf-8")
    files["CHANGELOG.md"] = changelog_md(changes, date, prior).encode("utf-8")
    return files


def _exists(date: str) -> str:
    return _("release {date} exists and releases are never replaced; give another "
             "--date").format(date=date)


def write_release(folder: Path, date: str, files: dict[str, bytes]) -> Path:
    """Write a new release folder as a whole; never replace one (UserError if it exists)."""
    target = folder / date
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.mkdir(target)  # claims the name: fails if the release exists
    except FileExistsError:
        raise UserError(_exists(date), file=target) from None
    tmp = folder / f".{date}.{os.getpid()}.educluster-new"
    try:
        tmp.mkdir()
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        os.rename(tmp, target)  # onto the empty claimed folder
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            os.rmdir(target)
        except OSError:
            pass
        raise
    return target


def run(args: argparse.Namespace) -> int:
    from educluster.kb import load_graph

    date = args.date or dt.datetime.now(dt.timezone.utc).date().isoformat()
    try:
        if not DATE.match(date):
            raise ValueError
        dt.date.fromisoformat(date)
    except ValueError:
        raise UserError(_("--date {value} is not a date YYYY-MM-DD; give one such as "
                          "2026-12-04").format(value=repr(date))) from None
    folder = releases_dir(args)
    if (folder / date).exists():
        raise UserError(_exists(date), file=folder / date)
    earlier = [d for d in release_dates(folder) if d < date]
    later = [d for d in release_dates(folder) if d > date]
    if later:
        raise UserError(_("release {later} is later than {date}; a new release must be the "
                          "latest").format(later=later[-1], date=date), file=folder / later[-1])
    prior = earlier[-1] if earlier else None
    prior_nt, prior_file = release_graph(folder / prior) if prior else (None, None)
    graph = load_graph(getattr(args, "ontology_dir", None), getattr(args, "kb_dir", None))
    files = release_files(graph, date, prior, prior_nt)
    changes = json.loads(files["changes.json"])
    missing = missing_without_deprecation(changes)
    if missing:
        raise UserError(ngettext(
            "{n} term or item of release {prior} is gone: {first}; keep it, marked "
            "owl:deprecated true with dcterms:isReplacedBy its successor",
            "{n} terms or items of release {prior} are gone, first {first}; keep each, marked "
            "owl:deprecated true with dcterms:isReplacedBy its successor",
            len(missing)).format(n=len(missing), prior=prior, first=missing[0]),
            file=prior_file)
    try:
        target = write_release(folder, date, files)
    except OSError as exc:
        raise UserError(_("cannot write the release: {reason}").format(
            reason=exc.strerror or exc), file=exc.filename or folder) from exc
    since = (_("since {prior}: {added} added, {deprecated} deprecated, {changed} "
               "changed").format(prior=prior, added=len(changes["added"]),
                                 deprecated=len(changes["deprecated"]),
                                 changed=len(changes["changed"]))
             if prior else _("the first release"))
    print(_("wrote release {date} to {folder} ({iri}; {since})").format(
        date=date, folder=display_path(target) + "/", iri=version_iri(date), since=since),
        file=sys.stdout)
    return 0
