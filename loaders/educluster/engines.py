"""The dataset that ``query``, ``serve`` and ``push`` work on, and the two embedded engines.

**Layout.** The ontology, the knowledge base and each ``--data`` file go into named
graphs of their own (:func:`layout`):

* ``https://w3id.org/educluster/graph/ontology`` -- ``ontology/*.ttl`` except
  ``sources.ttl`` (the TBox: classes, properties, external term declarations);
* ``https://w3id.org/educluster/graph/kb`` -- ``ontology/sources.ttl`` and
  ``ontology/kb/*.ttl`` (definitions, principles, ..., their sources and scholars);
* ``https://w3id.org/educluster/graph/data/<file name>`` -- one per data file
  (``-2``, ``-3``, ... appended when two files share a name).

The **default graph is the RDF merge of all of them** (a set: a triple stated in
two graphs counts once). Oxigraph's own "union default graph" (``--union-default-graph``,
``use_default_graph_as_union``) is a multiset -- a triple in two graphs is matched
twice -- while rdflib's union is a set. So that results never depend on the engine,
:func:`oxigraph_store` bulk-loads each file once into its named graph and then asks
whether any triple stands in two graphs (:func:`graphs_overlap`, a lookup per triple of
every graph but the largest): if none does, the union *is* the set merge and the store is
queried with the union default graph (no second copy of the data); otherwise the merge is
materialised into the store's real default graph (``ADD ... TO DEFAULT``). rdflib queries
a ``Dataset`` whose default graph is the union of its graphs. See decision 0008.

**Engines.** :func:`run_oxigraph` (pyoxigraph, the default, 10-75x faster) and
:func:`run_rdflib` take the same prepared query and return the same
:class:`~educluster.query.results.Result`: rows of normalised terms (see
:mod:`educluster.query.results`).

Heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence
from urllib.parse import quote

from educluster.errors import UserError
from educluster.i18n import N_, _

if TYPE_CHECKING:  # pragma: no cover
    from educluster.query.results import Result

GRAPH_BASE = "https://w3id.org/educluster/graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
KB_GRAPH = GRAPH_BASE + "kb"
DATA_GRAPH_BASE = GRAPH_BASE + "data/"

#: Files of ``ontology/`` that belong to the knowledge-base graph, not the ontology graph.
KB_FILES_IN_ONTOLOGY_DIR = ("sources.ttl",)

#: File suffix -> pyoxigraph RdfFormat attribute name.
OX_FORMATS = {
    ".ttl": "TURTLE", ".turtle": "TURTLE", ".nt": "N_TRIPLES", ".n3": "N3",
    ".rdf": "RDF_XML", ".owl": "RDF_XML", ".xml": "RDF_XML",
    ".jsonld": "JSON_LD", ".json-ld": "JSON_LD", ".trig": "TRIG", ".nq": "N_QUADS",
}


@dataclass
class GraphSpec:
    """One named graph: its IRI, a short name for messages, and the files it holds."""

    iri: str
    name: str
    files: list[Path] = field(default_factory=list)


def layout(data: Sequence[str | os.PathLike] = (), ontology_dir: str | os.PathLike | None = None,
           kb_dir: str | os.PathLike | None = None) -> list[GraphSpec]:
    """The named graphs (ontology, knowledge base, one per data file) and their files."""
    from educluster.kb import resolve_dirs

    odir, kdir = resolve_dirs(ontology_dir, kb_dir)
    from educluster.kb import i18n_files

    top = sorted(p for p in odir.glob("*.ttl") if p.is_file())
    ontology = GraphSpec(ONTOLOGY_GRAPH, N_("ontology"),
                         [p for p in top if p.name not in KB_FILES_IN_ONTOLOGY_DIR]
                         + i18n_files(odir))
    kb = GraphSpec(KB_GRAPH, N_("knowledge base"),
                   [p for p in top if p.name in KB_FILES_IN_ONTOLOGY_DIR])
    if kdir.is_dir():
        kb.files += sorted(p for p in kdir.glob("*.ttl") if p.is_file())
    kb.files += i18n_files(odir, kdir)[len(i18n_files(odir)):]
    if not ontology.files:
        raise UserError(_("no *.ttl files in the ontology folder"), file=odir)
    specs = [ontology, kb]
    used: set[str] = set()
    for f in data:
        p = Path(f)
        if p.is_dir():
            raise UserError(_("is a folder; pass the data files themselves"), file=p)
        if not p.is_file():
            raise UserError(_("data file not found; check the path"), file=p)
        if p.suffix.lower() not in OX_FORMATS:
            raise UserError(_("cannot read '{suffix}' files as RDF; use Turtle (.ttl), JSON-LD "
                              "(.jsonld), N-Triples (.nt), RDF/XML (.rdf), TriG or N-Quads "
                              "(convert CSV or plain JSON first with 'educluster "
                              "convert')").format(suffix=p.suffix), file=p)
        name = quote(p.name, safe="-._~")
        iri, n = DATA_GRAPH_BASE + name, 1
        while iri in used:
            n += 1
            iri = f"{DATA_GRAPH_BASE}{name}-{n}"
        used.add(iri)
        specs.append(GraphSpec(iri, p.name, [p]))
    return specs


def _ox_format(path: Path):
    import pyoxigraph as ox

    return getattr(ox.RdfFormat, OX_FORMATS[path.suffix.lower()])


def _guard(path: Path) -> None:
    """Refuse an RDF/XML file with DTD entities or deep nesting before Oxigraph parses it
    (see :mod:`educluster.guards`); other formats need no check (Oxigraph's JSON-LD parser
    loads no remote context)."""
    if OX_FORMATS.get(path.suffix.lower()) == "RDF_XML":
        from educluster.guards import check_rdfxml_file

        check_rdfxml_file(path)


def _syntax_error(path: Path, exc: SyntaxError) -> UserError:
    """Oxigraph's syntax error as a UserError naming the file and line."""
    msg = " ".join(str(exc.msg if getattr(exc, "msg", None) else exc).split())
    if "LoadDocumentCallback" in msg:  # Oxigraph's JSON-LD parser loads no remote context
        return UserError(_("the JSON-LD document names a context (@context, @import or a "
                           "scoped context) that would have to be fetched or read; educluster "
                           "fetches nothing: embed the context in the file"), file=path)
    return UserError(_("RDF syntax error: {reason}; fix the file and run again").format(
        reason=msg), file=path, line=getattr(exc, "lineno", None))


def parse_file_ox(path: Path) -> list:
    """The triples/quads of one RDF file, parsed by pyoxigraph; syntax errors name file and line."""
    import pyoxigraph as ox

    with _reading(path):
        with open(path, "rb") as fh:
            return list(ox.parse(fh, format=_ox_format(path), base_iri=path.resolve().as_uri(),
                                 rename_blank_nodes=True))


@contextlib.contextmanager
def _reading(path: Path):
    """Guard ``path`` (entity bombs, deep nesting) before it is read, and turn what reading it
    raises into one-line errors naming the file (and line, for syntax errors)."""
    _guard(path)
    try:
        yield
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from exc
    except UnicodeDecodeError as exc:
        raise UserError(_("not UTF-8 text ({reason}); save the file as UTF-8").format(
            reason=exc.reason), file=path) from exc
    except OSError as exc:
        raise UserError(_("cannot read the file: {reason}").format(reason=exc.strerror or exc),
                        file=path) from exc


def graph_quads(spec: GraphSpec) -> list:
    """The quads of one named graph (pyoxigraph terms); a quad a dataset file puts into its
    own named graph keeps it, everything else goes into ``spec.iri``."""
    import pyoxigraph as ox

    g = ox.NamedNode(spec.iri)
    out = []
    for f in spec.files:
        for t in parse_file_ox(f):
            graph = getattr(t, "graph_name", None)
            if graph is None or isinstance(graph, ox.DefaultGraph):
                out.append(ox.Quad(t.subject, t.predicate, t.object, g))
            else:
                out.append(t)
    return out


class OxDataset:
    """A pyoxigraph store laid out by :func:`layout`, and how its default graph is read.

    ``union_default`` is true when the default graph is left empty and read as the union of
    the named graphs (safe only when no triple stands in two graphs); every query must go
    through :meth:`query` so that the choice is applied."""

    def __init__(self, store, union_default: bool):
        self.store = store
        self.union_default = union_default

    def query(self, text: str, **kwargs):
        """``Store.query`` with the default graph this dataset needs."""
        if self.union_default:
            kwargs.setdefault("use_default_graph_as_union", True)
        return self.store.query(text, **kwargs)

    def flush(self) -> None:
        """Write an on-disk store's buffers (a no-op in memory)."""
        self.store.flush()

    def __len__(self) -> int:
        return len(self.store)


def load_file_ox(store, path: Path, graph) -> None:
    """Bulk-load one RDF file into ``graph`` of ``store`` (a dataset file's own named graphs
    keep their names); syntax errors name the file and line, as :func:`parse_file_ox` does."""
    with _reading(path):
        store.bulk_load(path=str(path), format=_ox_format(path), base_iri=path.resolve().as_uri(),
                        to_graph=graph)


def graphs_overlap(store, largest: str | None = None) -> bool:
    """Whether some triple stands in two named graphs of ``store``.

    Each graph but ``largest`` is looked up triple by triple in the others (an index
    lookup each: milliseconds for the knowledge base next to a million-triple data graph);
    every pair of graphs is still covered, since a pair with ``largest`` is checked from
    its other side."""
    import pyoxigraph as ox

    ask = "ASK { GRAPH ?this { ?s ?p ?o } GRAPH ?other { ?s ?p ?o } FILTER(?other != ?this) }"
    for graph in list(store.named_graphs()):
        if not isinstance(graph, ox.NamedNode):
            return True  # a blank-node graph name (from a TriG file): take the safe way
        if graph.value != largest and bool(store.query(ask, substitutions={ox.Variable("this"): graph})):
            return True
    return False


def oxigraph_store(specs: Iterable[GraphSpec], path: str | os.PathLike | None = None,
                   union_default: bool | None = None) -> OxDataset:
    """A pyoxigraph store (in memory, or on disk at ``path``) with every graph bulk-loaded
    once, its default graph the merge of all of them (read as the union when no triple
    stands in two graphs, else materialised). ``union_default=False`` forces the
    materialised merge (for a server that cannot be told to read the union)."""
    import pyoxigraph as ox

    specs = list(specs)
    store = ox.Store(str(path)) if path is not None else ox.Store()
    sizes: dict[str, int] = {}
    for spec in specs:
        for f in spec.files:
            load_file_ox(store, f, ox.NamedNode(spec.iri))
            sizes[spec.iri] = sizes.get(spec.iri, 0) + f.stat().st_size
    largest = max(sizes, key=sizes.get) if sizes else None
    union = union_default if union_default is not None else True
    if union and graphs_overlap(store, largest):
        union = False
    if not union:
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return OxDataset(store, union)


def rdflib_dataset(specs: Iterable[GraphSpec]):
    """An rdflib Dataset with every graph loaded, whose default graph is their union."""
    import warnings

    import rdflib

    from educluster import kb

    ds = rdflib.Dataset(default_union=True)
    for prefix, ns in kb.PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    with warnings.catch_warnings():
        # rdflib 7 warns once per triple added to a Dataset graph (Dataset.default_context)
        warnings.simplefilter("ignore", DeprecationWarning)
        _fill_dataset(ds, specs)
    return ds


def _fill_dataset(ds, specs) -> None:
    import rdflib

    from educluster import kb

    for spec in specs:
        for f in spec.files:
            fmt = kb.FORMATS.get(f.suffix.lower())
            if fmt in ("trig", "nquads"):
                tmp = rdflib.Dataset()
                try:
                    tmp.parse(str(f), format=fmt)
                except Exception as exc:  # noqa: BLE001 - the file's fault
                    raise UserError(_("RDF syntax error: {reason}").format(
                        reason=kb._error_reason(exc)), file=f, line=kb._error_line(exc)) from exc
                for s, p, o, c in tmp.quads((None, None, None, None)):
                    cid = getattr(c, "identifier", c)
                    target = spec.iri if cid is None or str(cid) == str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID) else cid
                    ds.graph(rdflib.URIRef(str(target))).add((s, p, o))
            else:
                kb.parse_file(f, ds.graph(rdflib.URIRef(spec.iri)))


def run_oxigraph(prepared, specs: Sequence[GraphSpec]) -> "Result":
    """Run a prepared query (see :mod:`educluster.query.sparql`) with pyoxigraph."""
    import pyoxigraph as ox

    from educluster.query import results as R

    dataset = oxigraph_store(specs)
    subs = {ox.Variable(name): R.to_oxigraph(term) for name, term in prepared.bindings.items()}
    try:
        res = dataset.query(prepared.text, substitutions=subs or None)
        return R.from_oxigraph(res, prepared.max_rows)
    except SyntaxError as exc:  # should have been caught by prepare(); be safe
        raise UserError(_("SPARQL syntax error: {reason}").format(reason=exc)) from exc
    except (OSError, RuntimeError) as exc:  # e.g. a SERVICE call (--allow-service) that failed
        msg = " ".join(str(exc).split())
        raise UserError(_("the query failed: {reason}").format(reason=msg[:300])) from exc


def run_rdflib(prepared, specs: Sequence[GraphSpec]) -> "Result":
    """Run a prepared query with rdflib."""
    return query_rdflib(rdflib_dataset(specs), prepared)


def query_rdflib(ds, prepared) -> "Result":
    """Run a prepared query on a dataset from :func:`rdflib_dataset`."""
    import warnings

    from educluster.query import results as R

    init = {name: R.to_rdflib(term) for name, term in prepared.bindings.items()}
    with warnings.catch_warnings():  # see rdflib_dataset; rdflib evaluates lazily, so
        warnings.simplefilter("ignore", DeprecationWarning)  # convert inside the block
        return R.from_rdflib(ds.query(prepared.text, initBindings=init or None), prepared.kind,
                             prepared.max_rows)


ENGINES = {"oxigraph": run_oxigraph, "rdflib": run_rdflib}


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server binary (PyPI package ``oxigraph``): next to the running
    Python first (the virtual environment), then on PATH."""
    import shutil
    import sys

    here = Path(sys.executable).parent
    found = shutil.which("oxigraph", path=os.pathsep.join([str(here), os.environ.get("PATH", "")]))
    if not found:
        raise UserError(_("the 'oxigraph' server program is not installed; run "
                          "'pip install oxigraph' (./setup.sh does) and try again"))
    return found
