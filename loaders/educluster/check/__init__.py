"""`educluster check`: the quality gate of the ontology and knowledge base.

Runs, in order: parse every file; QC queries (ontology/qc); quotes verbatim in their papers;
reused external terms exist; meta-shapes (shapes/meta); HermiT consistency. Exit 0 clean,
1 findings, 2 error (one line on stderr)."""
from __future__ import annotations

import sys
from pathlib import Path

from .findings import Finding, Report


def parse_all(files: list[Path], report: Report):
    """Parse each file into one merged rdflib graph; a file that does not parse is a finding
    (with the line, where the parser says it), not an error: check goes on to report it."""
    from ..errors import UserError
    from ..kb import new_graph, parse_file

    merged = new_graph()
    for file in files:
        try:
            parse_file(file, merged, format="turtle")
        except UserError as error:
            report.add(Finding("parse", str(file), error.message,
                               "" if error.line is None else f"line {error.line}", str(file)))
    return merged


def to_store(graph):
    """Load an rdflib graph into an in-memory pyoxigraph store (fast SPARQL)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def run(args) -> int:
    """Run every check and print the report; return the exit code."""
    from .. import paths
    from ..atomic import write_atomic
    from .metashapes import check_meta_shapes
    from .qc import run_qc
    from .quotes import check_quotes
    from .reasoner import check_consistency, require_java
    from .vocabularies import check_external_terms

    from ..kb import ontology_files, resolve_dirs

    ontology_dir, kb_dir = resolve_dirs(getattr(args, "ontology_dir", None), getattr(args, "kb_dir", None))
    seeds = Path(args.seeds) if getattr(args, "seeds", None) else paths.seeds_dir()
    if seeds is not None and not seeds.is_dir():
        from ..errors import UserError
        raise UserError("the seeds folder does not exist: give --seeds the folder of the papers' text", seeds)
    skip_reasoner = getattr(args, "no_reasoner", False)
    if not skip_reasoner:
        require_java()

    report = Report()
    graph = parse_all(ontology_files(ontology_dir, kb_dir), report)
    report.checks_run.append("parse")
    if not report.findings:
        store = to_store(graph)
        run_qc(store, ontology_dir / "qc", report)
        report.checks_run.append("qc-queries")
        if seeds is None:
            report.notes.append("no seeds folder (--seeds, $EDUCLUSTER_SEEDS or ../shared/seeds): quotes not verified")
        else:
            check_quotes(store, seeds, report)
            report.checks_run.append("quotes")
        check_external_terms(store, report)
        report.checks_run.append("external-terms")
        check_meta_shapes(graph, paths.shapes_dir() / "meta", report)
        report.checks_run.append("meta-shapes")
        if skip_reasoner:
            report.notes.append("reasoner skipped (--no-reasoner)")
        else:
            check_consistency(graph, report)
            report.checks_run.append("hermit")
    text = report.to_json() if getattr(args, "format", "text") == "json" else report.to_text()
    output = getattr(args, "output", None)
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
    return 1 if report.findings else 0
