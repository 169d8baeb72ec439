"""The dataset ``assess`` and ``report`` read: the ontology, the knowledge base and the data.

RDF files go straight into the embedded pyoxigraph store (:func:`engines.oxigraph_store`),
each in its named graph; CSV, plain JSON and workbooks are read the way ``validate`` and
``convert`` read them (:func:`educluster.convert.inputs.load_inputs`) and loaded as one more
data graph, so every input form gives the same profile.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from educluster.engines import OX_FORMATS
from educluster.i18n import _

#: Cluster data lives in graphs under this IRI (engines.DATA_GRAPH_BASE): the criteria read
#: clusters from there, not the knowledge base's own record of the Tashkent cluster.


@contextlib.contextmanager
def open_dataset(files, *, base: str | None = None, max_mb: float | None = None):
    """A pyoxigraph dataset (engines.OxDataset) with the ontology, the KB and ``files``."""
    from educluster import engines
    from educluster.atomic import scratch_folder
    from educluster.errors import UserError

    files = [Path(f) for f in files]
    if not files:
        raise UserError(_("no data files given; pass the cluster data (RDF, CSV, JSON or "
                          "xlsx)"))
    rdf = [f for f in files if f.suffix.lower() in OX_FORMATS and f.suffix.lower() != ".json"]
    tables = [f for f in files if f not in rdf]
    scratch = None
    try:
        if tables:
            from educluster.convert.inputs import DEFAULT_MAX_MB, load_inputs, quiet_libraries

            quiet_libraries()
            loaded = load_inputs(tables, base=base, max_mb=max_mb or DEFAULT_MAX_MB)
            scratch = scratch_folder("assess")
            nt = scratch / "converted-tables.nt"
            loaded.graph.serialize(destination=str(nt), format="nt", encoding="utf-8")
            rdf.append(nt)
        yield engines.oxigraph_store(engines.layout(rdf))
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
