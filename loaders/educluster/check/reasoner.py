"""Consistency of the merged ontology and knowledge base under HermiT (through owlready2).

owlready2 reads RDF/XML, not Turtle, so the merged graph is serialised to a temporary file first;
HermiT needs Java, whose absence is a user error with the install command, not a finding."""
from __future__ import annotations

import contextlib
import io
import os
import shutil

from ..errors import UserError
from ..i18n import _
from .findings import Finding, Report


def require_java() -> None:
    """Raise a UserError that says how to install Java when no `java` is on the PATH."""
    if shutil.which("java") is None:
        raise UserError(_(
            "the reasoner needs Java and no `java` is on the PATH: install it "
            "(Debian/Ubuntu: apt-get install -y default-jre-headless) and run check again"
        ))


def check_consistency(graph, report: Report) -> None:
    """Add `consistency` and `unsatisfiable-class` findings from one HermiT run."""
    require_java()
    from ..atomic import scratch_folder

    tmp = scratch_folder("hermit")  # a kill -9 leaves it; the next check removes it
    try:
        _run_hermit(graph, report, os.path.join(tmp, "merged.owl"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run_hermit(graph, report: Report, path: str) -> None:
    """Serialise ``graph`` to ``path`` (RDF/XML), run HermiT on it, add its findings."""
    import owlready2

    from .imports import without_imports

    graph = without_imports(graph)  # owlready2 would fetch every import (issue 12)
    graph.serialize(destination=path, format="xml")
    world = owlready2.World()
    world.get_ontology("file://" + path).load()
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
    except owlready2.OwlReadyInconsistentOntologyError:
        report.add(Finding("consistency", "https://w3id.org/educluster/ontology",
                           "the merged ontology and knowledge base are inconsistent under HermiT"))
        return
    except owlready2.base.OwlReadyJavaError as error:
        last = str(error).strip().splitlines()[-1:] or ["(no output)"]
        raise UserError(_("HermiT failed to run: {reason}").format(reason=last[0])) from error
    for cls in world.inconsistent_classes():
        if cls is owlready2.Nothing:
            continue
        report.add(Finding("unsatisfiable-class", cls.iri, "class is unsatisfiable (can have no members)"))
