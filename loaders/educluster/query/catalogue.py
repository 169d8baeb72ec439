"""The competency questions in ``ontology/cq/*.rq`` and their header comments.

Plain Python, no RDF library: ``educluster query --list`` must start fast. The header is
the block of ``#`` comment lines at the top of the file::

    # question: Which definitions name a given characteristic?
    # why: To see which scholars stress, say, territorial concentration and which do not.
    # papers: 000 Mirzayev, 001 Umirjonova, 002 Chirchik, 003 Mukhamedov et al. 2020
    # params: characteristic=id:characteristic/common-goal -- the characteristic to look for
    # data: examples/tashkent/tashkent.ttl

A line that starts with ``#`` and two or more spaces continues the field above it; a bare
``#`` line ends the header (free comments may follow it).
``question``, ``why`` and ``papers`` are required; ``params`` (one per line:
``name=example -- what it is``) and ``data`` (example data the checked answer was
computed over, relative to the repository) may repeat. See ``ontology/cq/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from educluster import paths
from educluster.errors import UserError
from educluster.i18n import _

REQUIRED = ("question", "why", "papers")
REPEATABLE = ("params", "data")
KNOWN = REQUIRED + REPEATABLE

_FIELD = re.compile(r"^#\s?([a-z]+):\s*(.*)$")
_CONT = re.compile(r"^#\s{2,}(\S.*)$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PARAM = re.compile(r"^\??([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)(?:\s+--\s+(.*))?$")
_PAPER = re.compile(r"\b(00[0-4])\b")


@dataclass
class Param:
    name: str
    example: str
    description: str = ""


@dataclass
class Question:
    """One competency question: its id (the file name without ``.rq``) and header."""

    id: str
    path: Path
    question: str
    why: str
    papers: str
    params: list[Param] = field(default_factory=list)
    data: list[str] = field(default_factory=list)

    @property
    def paper_numbers(self) -> list[str]:
        """The source papers named in ``papers`` (``"000"`` ... ``"004"``)."""
        return sorted(set(_PAPER.findall(self.papers)))

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def as_dict(self) -> dict:
        return {"id": self.id, "question": self.question, "why": self.why,
                "papers": self.papers, "paper_numbers": self.paper_numbers,
                "params": [{"name": p.name, "example": p.example, "description": p.description}
                           for p in self.params],
                "data": self.data, "file": str(self.path)}


def read_header(path: Path, known: tuple[str, ...] = KNOWN,
                repeatable: tuple[str, ...] = REPEATABLE) -> dict[str, list[str]]:
    """The header fields of a ``.rq`` file (each a list: fields may repeat); ``known`` and
    ``repeatable`` let other query folders (``ontology/assessment/``) add fields of their own."""
    fields: dict[str, list[str]] = {}
    last: str | None = None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(_("not UTF-8 text; save the question as UTF-8"), file=path) from exc
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.rstrip()
        if not s.startswith("#"):
            if s.strip() == "" and last is None:
                continue
            break
        if s == "#":  # a bare "#" ends the header; free comments may follow
            break
        m = _CONT.match(s)
        if m and last is not None:
            fields[last][-1] += " " + m.group(1).strip()
            continue
        m = _FIELD.match(s)
        if m:
            key = m.group(1)
            if key not in known:
                raise UserError(_("unknown header field '{field}:'; use {fields}").format(
                    field=key, fields=", ".join(known)), file=path, line=lineno)
            if key in fields and key not in repeatable:
                raise UserError(_("header field '{field}:' given twice").format(field=key),
                                file=path, line=lineno)
            fields.setdefault(key, []).append(m.group(2).strip())
            last = key
        else:
            last = None  # a free comment line ends the field above it
    return fields


def load(path: Path) -> Question:
    """Read one question file; a header that lacks a required field is an error."""
    fields = read_header(path)
    missing = [k for k in REQUIRED if not fields.get(k) or not fields[k][0]]
    if missing:
        raise UserError(_("the header lacks {fields}; see ontology/cq/README.md").format(
            fields=", ".join(f"'# {k}:'" for k in missing)), file=path, line=1)
    params = []
    for raw in fields.get("params", []):
        m = _PARAM.match(raw)
        if not m:
            raise UserError(_("'# params: {value}': write name=example -- description").format(
                value=raw), file=path)
        params.append(Param(m.group(1), m.group(2).strip(), (m.group(3) or "").strip()))
    return Question(path.stem, path, fields["question"][0], fields["why"][0],
                    fields["papers"][0], params, fields.get("data", []))


def questions(cq_dir: Path | None = None) -> list[Question]:
    """Every competency question, sorted by id."""
    d = cq_dir if cq_dir is not None else paths.cq_dir()
    return [load(p) for p in sorted(d.glob("*.rq"))]


def find(qid: str, cq_dir: Path | None = None) -> Question | None:
    """The question with this id, or None."""
    if not _ID.match(qid):
        return None
    d = cq_dir if cq_dir is not None else paths.cq_dir()
    p = d / f"{qid}.rq"
    return load(p) if p.is_file() else None
