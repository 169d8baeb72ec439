"""Where the repository's folders are at run time.

The supported install is **editable from a clone** (``pip install -e '.[test]'``, as
``./setup.sh`` does). The package then runs from ``<clone>/loaders/educluster/``
and the repository root is two folders up: ``ontology/``, ``shapes/``, ``site/``
are found there. ``EDUCLUSTER_HOME=/path/to/clone`` overrides this (for a
non-editable install, or to run one installed program against another clone).

Nothing here imports an RDF library.
"""

from __future__ import annotations

import os
from pathlib import Path

from educluster.errors import UserError
from educluster.i18n import _

ENV_HOME = "EDUCLUSTER_HOME"
ENV_SEEDS = "EDUCLUSTER_SEEDS"


def _looks_like_repo(path: Path) -> bool:
    return (path / "ontology").is_dir()


def repo_root() -> Path:
    """The repository root: ``$EDUCLUSTER_HOME``, else the clone the package runs from."""
    home = os.environ.get(ENV_HOME)
    if home:
        root = Path(home).expanduser().resolve()
        if not _looks_like_repo(root):
            raise UserError(_("{variable}={value} has no ontology/ folder; point it at a clone "
                              "of the educluster repository").format(variable=ENV_HOME,
                                                                      value=home))
        return root
    root = Path(__file__).resolve().parents[2]
    if _looks_like_repo(root):
        return root
    raise UserError(_("cannot find the educluster repository (its ontology/ and shapes/ "
                      "folders): install editable from a clone (./setup.sh, or pip install -e .) "
                      "or set {variable} to the clone").format(variable=ENV_HOME))


def ontology_dir() -> Path:
    """``ontology/``: the hand-edited Turtle (TBox and knowledge base)."""
    return repo_root() / "ontology"


def kb_dir() -> Path:
    """``ontology/kb/``: the knowledge-base items."""
    return ontology_dir() / "kb"


def cq_dir() -> Path:
    """``ontology/cq/``: competency questions (``*.rq``)."""
    return ontology_dir() / "cq"


def assessment_dir() -> Path:
    """``ontology/assessment/``: the criteria of ``educluster assess`` (``*.rq``)."""
    return ontology_dir() / "assessment"


def qc_dir() -> Path:
    """``ontology/qc/``: QC queries (``*-violation.rq``)."""
    return ontology_dir() / "qc"


def shapes_dir() -> Path:
    """``shapes/``: SHACL shapes and meta-shapes."""
    return repo_root() / "shapes"


def site_dir() -> Path:
    """``site/``: mkdocs.yml and hand-written pages."""
    return repo_root() / "site"


def dist_dir() -> Path:
    """``dist/``: default output folder of ``educluster build`` (git-ignored)."""
    return repo_root() / "dist"


def seeds_dir() -> Path | None:
    """The folder of the source papers' text, for quote verification, or None.

    ``$EDUCLUSTER_SEEDS`` if set (it must exist), else ``../shared/seeds`` next to
    the repository if that exists, else None (quotes cannot be verified).
    """
    env = os.environ.get(ENV_SEEDS)
    if env:
        p = Path(env).expanduser()
        if not p.is_dir():
            raise UserError(_("{variable}={value} is not a folder; point it at the folder of "
                              "the source papers' text or unset it").format(variable=ENV_SEEDS,
                                                                             value=env))
        return p.resolve()
    p = repo_root().parent / "shared" / "seeds"
    return p.resolve() if p.is_dir() else None
