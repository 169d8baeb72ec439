"""`educluster check`: the quality gate of the ontology and knowledge base.

Runs, in order: parse every file; QC queries (ontology/qc); the rules that read the papers (quotes
verbatim in the item's own paper, attribution, list order; skipped only with --no-seeds); numbers in
labels; label words in the quote; reused external terms exist; meta-shapes (shapes/meta); HermiT consistency. Recorded
exceptions (ontology/qc/exceptions.ttl) apply last; every finding names the file and line of its
item. Exit 0 clean, 1 findings, 2 error (one line on stderr)."""
from __future__ import annotations

import sys
from pathlib import Path

from educluster.i18n import N_, _
from educluster.termsafe import visible

from .findings import Finding, Report


def parse_all(files: list[Path], report: Report):
    """Parse each file into one merged rdflib graph; a file that does not parse is a finding
    (with the line, where the parser says it), not an error: check goes on to report it."""
    from ..errors import UserError, display_path
    from ..kb import new_graph, parse_file

    merged = new_graph()
    for file in files:
        try:
            parse_file(file, merged, format="turtle")
        except UserError as error:
            report.add(Finding("parse", str(file), error.message,
                               "" if error.line is None else f"line {error.line}", display_path(file),
                               error.line))
    return merged


def to_store(graph):
    """Load an rdflib graph into an in-memory pyoxigraph store (fast SPARQL)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


PAPER_RULES = {"quote-verbatim", "quote-short", "source-papers", "attribution", "attribution-own-voice",
               "printed-form", "list-order"}


def _seeds_folder(args) -> Path | None:
    """The papers' folder, or None with --no-seeds; no folder and no --no-seeds is an error."""
    from .. import paths
    from ..errors import UserError

    if getattr(args, "no_seeds", False):
        return None
    seeds = Path(args.seeds) if getattr(args, "seeds", None) else paths.seeds_dir()
    if seeds is None:
        raise UserError(_("no folder of the source papers' text found ($EDUCLUSTER_SEEDS, "
                          "../shared/seeds): give --seeds DIR, or --no-seeds to skip quote "
                          "verification"))
    if not seeds.is_dir():
        raise UserError(_("the seeds folder does not exist: give --seeds the folder of the "
                          "papers' text, or --no-seeds to skip quote verification"), seeds)
    return seeds


def _subjects(graph) -> set[str]:
    """Every IRI that is the subject of a statement (exceptions for absent items are not stale)."""
    return {str(s) for s in graph.subjects(unique=True)}


def _releases_folder(args, ontology_dir: Path) -> Path:
    """``--releases DIR`` (which must exist: the user named it), else releases/ next to the
    ontology folder, where `educluster release` writes them."""
    from ..errors import UserError

    given = getattr(args, "releases", None)
    if given is None:
        return ontology_dir.parent / "releases"
    if not Path(given).is_dir():
        raise UserError(_("--releases: folder not found; give the folder of releases (an "
                          "empty folder skips the released-terms rule)"), file=Path(given))
    return Path(given)


def run(args) -> int:
    """Run every check and print the report; return the exit code."""
    from .. import paths
    from ..atomic import write_atomic
    from .metashapes import check_meta_shapes
    from .released import check_released_terms
    from .qc import run_qc, run_skos_qc
    from .quotes import check_quotes
    from .locators import run as check_locators
    from ..locators import FILE_NAME as LOCATORS_FILE
    from .reasoner import check_consistency, require_java
    from .vocabularies import check_external_terms
    from .imports import check_imports
    from ..errors import display_path
    from .attribution import check_attribution
    from .exceptions import load_exceptions
    from .listorder import check_list_order
    from .locations import Locations
    from .numbers import check_numbers
    from .overlap import check_label_overlap
    from .papers import load_papers, quoted_items

    from ..kb import ontology_files, resolve_dirs

    ontology_dir, kb_dir = resolve_dirs(getattr(args, "ontology_dir", None), getattr(args, "kb_dir", None))
    seeds = _seeds_folder(args)
    skip_reasoner = getattr(args, "no_reasoner", False)
    if not skip_reasoner:
        require_java()

    report = Report()
    files = ontology_files(ontology_dir, kb_dir)
    graph = parse_all(files, report)
    report.checks_run.append("parse")
    locations = Locations()
    for file in files:
        if file.name != LOCATORS_FILE:   # generated: a finding points at the item's own file
            locations.add_file(file, display_path(file))
    if not report.findings:
        store = to_store(graph)
        run_qc(store, ontology_dir / "qc", report)
        report.checks_run.append("qc-queries")
        items = quoted_items(store)
        if seeds is None:
            report.notes.append(N_("quote verification skipped (--no-seeds): quotes, attribution "
                                   "and list order were not checked against the papers"))
        else:
            papers = load_papers(store, seeds, locations)
            report.examined["quotes"] = check_quotes(items, papers, report)
            report.examined["attribution"] = check_attribution(
                store, items, papers, ontology_dir / "qc" / "printed-forms.ttl", report)
            report.examined["list-order"] = check_list_order(store, items, papers, report)
            report.checks_run += ["quotes", "attribution", "list-order"]
        report.examined["numbers"] = check_numbers(store, items, report)
        report.checks_run.append("numbers")
        report.examined["label-overlap"] = check_label_overlap(store, items, report)
        report.checks_run.append("label-overlap")
        check_locators(store, seeds, report)
        check_external_terms(store, report)
        report.checks_run.append("external-terms")
        check_imports(graph, report)
        report.checks_run.append("imports")
        check_meta_shapes(graph, paths.shapes_dir() / "meta", report)
        report.checks_run.append("meta-shapes")
        releases = _releases_folder(args, ontology_dir)
        released = check_released_terms(graph, releases, report)
        if released:  # only where a release exists
            report.examined["released-terms"] = released
            report.checks_run.append("released-terms")
        report.examined["skos-concepts"] = run_skos_qc(store, ontology_dir / "qc" / "skos", report)
        report.checks_run.append("skos-qc")
        if skip_reasoner:
            report.notes.append(N_("reasoner skipped (--no-reasoner)"))
        else:
            check_consistency(graph, report)
            report.checks_run.append("hermit")
        exceptions = load_exceptions(ontology_dir / "qc" / "exceptions.ttl", report)
        exceptions.apply(report, present=_subjects(graph), not_run=set() if seeds else PAPER_RULES)
        report.excepted = len(exceptions.waived)
    report.locate(locations)
    text = report.to_json() if getattr(args, "format", "text") == "json" else report.to_text()
    output = getattr(args, "output", None)
    if output:
        write_atomic(output, text)
    else:
        # the text report echoes quotes and labels from the edited files: a control character
        # there must not reach the terminal as a command (JSON escapes them itself)
        sys.stdout.write(text if getattr(args, "format", "text") == "json" else visible(text, keep="\n"))
    return 1 if report.findings else 0
