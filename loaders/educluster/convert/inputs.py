"""Reading institutions' data files into one RDF graph, with clear errors.

:func:`load_inputs` accepts Turtle (``.ttl``), N-Triples (``.nt``), RDF/XML (``.rdf``,
``.owl``, ``.xml``), JSON-LD (``.jsonld``, or ``.json`` with an ``@context``), JSON in our
layout (``.json``) and CSV in our templates (``.csv``, the template chosen by the file name).
Every problem that stops a file from being read -- missing, a folder, empty, binary, not UTF-8,
too large, a syntax error, JSON that is not our layout, a CSV with a missing or unknown column,
an unknown kind, a duplicate id -- raises :class:`~educluster.errors.UserError` (one line, exit
code 2) naming the file and, where there is one, the line. Problems with the *content* (a
missing name, a code that is not in the knowledge base, a wrong date) are left to validation.

Values of CSV and JSON rows are normalised (ids and references to IRIs under the base, codes to
knowledge-base IRIs, kinds to ontology classes); the rows then become a JSON-LD document whose
context is the one generated from the ontology (:func:`educluster.context.make_context`) plus
the layout's aliases for reused external properties, and a JSON-LD processor makes the RDF.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from educluster.i18n import N_, _, ngettext
from educluster.convert.layout import (DEFAULT_BASE, EC, EXTERNAL_TERMS, ID, MULTI_SEPARATOR,
                                       language_value,
                                       TEMPLATES, Column, Template, template_for_file)
from educluster.errors import UserError, display_path, gather

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from educluster.convert.vocab import Vocabulary

#: Default largest input file, in megabytes (``--max-size``).
DEFAULT_MAX_MB = 10.0

RDF_SUFFIXES = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".rdf": "xml",
                ".owl": "xml", ".xml": "xml", ".jsonld": "json-ld", ".json-ld": "json-ld"}
#: Tables saved by a spreadsheet: CSV, tab-separated text, Excel's "Unicode text" (UTF-16).
TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
#: Workbooks: Excel and OpenDocument (:mod:`educluster.convert.workbook`).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
SUFFIXES = sorted([*RDF_SUFFIXES, ".json", *TABLE_SUFFIXES, *WORKBOOK_SUFFIXES])

_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~/-]*$")


@dataclass
class Loaded:
    """The data of all input files merged, and where each CSV/JSON row came from."""

    graph: "rdflib.Graph"
    sources: dict[str, str] = field(default_factory=dict)        # entity IRI -> "file:line"
    templates: dict[str, str] = field(default_factory=dict)      # entity IRI -> template name
    files: list[str] = field(default_factory=list)
    bases: set[str] = field(default_factory=set)                 # bases of CSV/JSON ids
    #: entity IRI -> its location as fields: file, row, sheet, and the letters of the
    #: sheet's columns ({"name": "C"}) for workbook rows
    locations: dict[str, dict] = field(default_factory=dict)
    #: file -> {"rows": rows read, "entities": entities made} for CSV/JSON/workbook files
    stats: dict[str, dict] = field(default_factory=dict)
    #: IRI made up for a code that is not in the knowledge base -> the text as typed (the
    #: report names a look-alike character in it)
    typed_codes: dict[str, str] = field(default_factory=dict)


def quiet_libraries() -> None:
    """rdflib logs a traceback (at WARNING) for every ill-typed literal, such as a date written
    01.09.2019; pyshacl logs too. Our own messages say what is wrong, in one line or in the
    report, so the libraries' logging is switched off for the commands that read user data."""
    import logging

    for name in ("rdflib", "pyshacl"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


# ---------------------------------------------------------------------------------------------
# reading bytes
# ---------------------------------------------------------------------------------------------

def check_path(path: Path) -> None:
    """A missing file, a folder or a special file: one clear error."""
    if not path.exists():
        raise UserError(_("file not found; check the name and the folder"), file=path)
    if path.is_dir():
        raise UserError(_("this is a folder, not a file; give the files themselves "
                          "(for CSV: the folder/*.csv)"), file=path)
    if not path.is_file():
        raise UserError(_("not a regular file"), file=path)


def read_raw(path: Path, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    """The file's bytes, after the checks every input gets: it exists, is a regular file, is
    not over ``max_mb`` megabytes and can be read."""
    check_path(path)
    try:
        size = path.stat().st_size
        limit = int(max_mb * 1024 * 1024)
        if size > limit:
            raise UserError(_("file is {size} MB, over the limit of {limit} MB; split the data "
                              "into smaller files or raise --max-size").format(
                size=f"{size / 1048576:.1f}", limit=f"{max_mb:g}"), file=path)
        data = path.read_bytes()
    except PermissionError as exc:
        raise UserError(_("cannot read the file (permission denied)"), file=path) from exc
    except OSError as exc:
        raise UserError(_("cannot read the file: {reason}").format(reason=exc.strerror or exc),
                        file=path) from exc
    return data


def read_bytes(path: Path, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    """The file's bytes, after the checks every input gets (:func:`read_raw`) and those of a
    text file: it is not empty and is not binary."""
    data = read_raw(path, max_mb)
    if not data or data.isspace():
        raise UserError(_("the file is empty; fill in the data (educluster template DIR writes "
                          "blank templates)"), file=path)
    if data.find(b"\x00") != -1:  # the whole file (a scan in place, no copy)
        raise UserError(_("this is a binary file, not text; save the data as CSV (UTF-8), JSON "
                          "or Turtle"), file=path)
    return data


#: Bytes :func:`check_utf8` decodes at a time (about a millisecond with the GIL held).
UTF8_SLICE = 1 << 20


def _not_utf8(path: Path, data: bytes, exc: UnicodeDecodeError, offset: int = 0) -> UserError:
    line = data[:offset + exc.start].count(b"\n") + 1
    return UserError(_("not UTF-8 text; save the file with the UTF-8 encoding"), file=path,
                     line=line)


def check_utf8(path: Path, data: bytes) -> None:
    """UserError (with the line) unless ``data`` is UTF-8; decodes in chunks, so a large file
    is never held twice, and a megabyte at a time, so that a bulk load running beside it
    (which takes the GIL now and then) never waits long for the GIL."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = UTF8_SLICE
    for start in range(0, len(data), chunk):
        carried = len(decoder.getstate()[0])   # bytes of a character split by the last chunk
        try:
            decoder.decode(data[start:start + chunk], final=start + chunk >= len(data))
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, data, exc, start - carried) from exc


def read_text(path: Path, max_mb: float = DEFAULT_MAX_MB) -> str:
    """The file's text (UTF-8, a BOM is dropped), after the checks every input gets."""
    data = read_bytes(path, max_mb)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, data, exc) from exc


def check_input_path(p: Path) -> str:
    """The lower-cased suffix of an input file, after checking it exists and is a known type."""
    check_path(p)
    suffix = p.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise UserError(_(REFUSED_SUFFIXES[suffix]), file=p)
    if suffix not in SUFFIXES:
        raise UserError(_("unknown file type '{suffix}'; use .csv, .xlsx, .ods, .json, .jsonld, "
                          ".ttl, .nt or .rdf").format(suffix=p.suffix or _("(none)")), file=p)
    return suffix


#: Spreadsheet files we do not read, with what to do instead (translated where raised).
REFUSED_SUFFIXES = {
    ".xls": N_("old Excel 97-2003 workbooks (.xls) are not read; in Excel: File > Save As, type "
               "'Excel Workbook (*.xlsx)' or 'CSV UTF-8 (Comma delimited) (*.csv)'"),
    ".xlsb": N_("binary Excel workbooks (.xlsb) are not read; save it as an Excel workbook "
                "(.xlsx) or as CSV UTF-8"),
    ".numbers": N_("Numbers files are not read; File > Export To > Excel or CSV (UTF-8)"),
}


def check_base(base: str | None) -> None:
    if base is not None and not _ABSOLUTE.match(base):
        raise UserError(_("--base must be an absolute IRI such as "
                          "https://example.org/my-cluster/ (got '{base}')").format(base=base))


# ---------------------------------------------------------------------------------------------
# CSV and JSON rows
# ---------------------------------------------------------------------------------------------

@dataclass
class Row:
    """One row of a table: CSV (``line`` = ``row`` = the spreadsheet row, which is the line in
    a text editor unless a cell above holds line breaks), a workbook sheet (``sheet``, ``row``
    and the letters of the sheet's columns) or an object of the JSON layout (``where``)."""

    template: Template
    values: dict[str, list[str]]        # column name -> raw values (stripped, non-empty)
    file: Path
    where: str                           # "line 4", "participants!A4" or "participants[2]"
    line: int | None = None
    sheet: str | None = None
    row: int | None = None
    letters: dict[str, str] | None = None    # workbook: column name -> column letter

    def cell(self, column: str | None) -> str | None:
        """``participants!C7`` for a workbook row's column, else None."""
        if self.sheet is None or self.row is None:
            return None
        letter = (self.letters or {}).get(column or "id", "A")
        return f"{self.sheet}!{letter}{self.row}"

    def fields(self, column: str | None = None) -> dict:
        """The location as fields for reports: row, column, sheet, cell."""
        out: dict = {}
        if self.row is not None:
            out["row"] = self.row
        elif self.line is None:
            out["item"] = self.where          # JSON: "participants[2]"
        if column:
            out["column"] = column
        if self.sheet is not None:
            out["sheet"] = self.sheet
            out["cell"] = self.cell(column)
        return out


def _split_cell(column: Column, cell: str) -> list[str]:
    cell = cell.strip()
    if not cell:
        return []
    if column.multi:
        return [v.strip() for v in cell.split(MULTI_SEPARATOR) if v.strip()]
    return [cell]


class NoRows(UserError):
    """A table with a header and no rows (reported once, instead of a result for everything
    that refers to its rows; when no file has rows, one line says the input holds no data)."""


def read_csv(path: Path, text: str, max_mb: float = DEFAULT_MAX_MB,
             problems: list[UserError] | None = None) -> list[Row]:
    """The rows of a CSV or tab-separated file of one template (chosen by the file name).

    A problem in the header stops the file (UserError); a problem in one row is added to
    ``problems`` (when given) and the other rows are still read, so one run reports them all."""
    from educluster.convert.encodings import delimiter_of

    template = template_for_file(path.stem)
    if template is None:
        names = ", ".join(t.name + ".csv" for t in TEMPLATES)
        raise UserError(_("cannot tell which template this CSV file follows from its name; "
                          "name it after one of: {names}").format(names=names), file=path)
    rows: list[Row] = []
    header: list[str] | None = None
    # a line starting with # is a comment: blank it (keeping the line numbers) before parsing
    lines = text.splitlines(keepends=True)
    text = "".join("\n" if ln.lstrip().startswith("#") else ln for ln in lines)
    # spreadsheets in many locales save "CSV" with semicolons: take the header's separator
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = delimiter_of(first)
    # a valid cell may be large (a long description): allowed up to the file size limit
    csv.field_size_limit(max(131072, int(max_mb * 1024 * 1024)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0       # the spreadsheet row: one per record, also when a cell holds line breaks
    try:
        for cells in reader:
            line += 1
            if not cells or all(not c.strip() for c in cells):
                continue
            if cells[0].lstrip().startswith("#"):
                continue  # a comment row (the templates' example row is one)
            if header is None:
                header = [c.strip() for c in cells]
                while header and not header[-1]:
                    header.pop()
                _check_header(path, template, header, line)
                continue
            extra = cells[len(header):]
            if any(c.strip() for c in extra):
                sep = {"\t": "tabs", ";": "semicolons"}.get(delimiter, "commas")
                sep = {"tabs": _("tabs"), "semicolons": _("semicolons")}.get(sep, _("commas"))
                err = UserError(ngettext("this row has {cells} cells but the header has "
                                         "{columns} column; quote cells that contain {sep}",
                                         "this row has {cells} cells but the header has "
                                         "{columns} columns; quote cells that contain {sep}",
                                         len(header)).format(
                                    cells=len(cells), columns=len(header), sep=sep),
                                file=path, line=line, where={"row": line})
                if problems is None:
                    raise err
                problems.append(err)
                continue
            if len(cells) < len(header):
                # not padded: a short row is a cut line or a lost separator, and padding would
                # silently hide it (issue 11)
                sep = "tab" if delimiter == "\t" else delimiter
                err = UserError(ngettext(
                    "this row has {cells} cell but the header has {columns} columns; give every "
                    "row all the columns (empty cells are fine: two {sep}s in a row)",
                    "this row has {cells} cells but the header has {columns} columns; give every "
                    "row all the columns (empty cells are fine: two {sep}s in a row)",
                    len(cells)).format(cells=len(cells), columns=len(header), sep=sep),
                                file=path, line=line, where={"row": line})
                if problems is None:
                    raise err
                problems.append(err)
                continue
            values = {}
            for name, cell in zip(header, cells):
                col = template.column(name)
                vals = _split_cell(col, cell)
                if vals:
                    values[name] = vals
            rows.append(Row(template, values, path, f"line {line}", line, row=line))
    except csv.Error as exc:
        raise UserError(_("CSV syntax error: {reason}; fix the file and run again").format(
            reason=exc), file=path, line=reader.line_num) from exc
    if header is None:
        raise UserError(_("no header row; the first row must be the column names of "
                          "{file}: {columns}").format(
                            file=f"{template.name}.csv",
                            columns=", ".join(c.name for c in template.columns)), file=path)
    if not rows and not (problems and any(x.file == path for x in problems)):
        # one clear line instead of a result for everything that refers to the missing rows
        raise NoRows(_("{file} has no rows (only the header); fill in at least one row, or "
                       "leave the file out").format(file=path.name), file=path)
    return rows


def _check_header(path: Path, template: Template, header: list[str], line: int | None,
                  table: str | None = None) -> None:
    """UserError for a header cell that is empty, repeated or unknown, or a missing required
    column; ``table`` names the table in messages (default ``<template>.csv``)."""
    table = table or f"{template.name}.csv"
    known = [c.name for c in template.columns]
    seen: set[str] = set()
    for h in header:
        if not h:
            raise UserError(_("a column has no name in the header row; name it or delete it"),
                            file=path, line=line)
        if h in seen:
            raise UserError(_("column '{column}' appears twice in the header row").format(
                column=h), file=path, line=line)
        seen.add(h)
        if h not in known:
            raise UserError(_("unknown column '{column}' in {table}{suggestion}; the columns "
                              "are: {columns}").format(column=h, table=table,
                                                       suggestion=_suggest(h, known),
                                                       columns=", ".join(known)),
                            file=path, line=line)
    missing = [c for c in template.required if c not in seen]
    if missing:
        raise UserError(ngettext(
            "missing column {columns} in the header row of {table}; add it (copy the header "
            "from 'educluster template')",
            "missing columns {columns} in the header row of {table}; add them (copy the header "
            "from 'educluster template')", len(missing)).format(
                columns=", ".join(repr(m) for m in missing), table=table), file=path, line=line)


def read_layout_json(path: Path, doc: Any) -> tuple[list[Row], str | None]:
    """Rows of a JSON file in our layout, and its ``base`` (or None)."""
    names = [t.name for t in TEMPLATES]
    if not isinstance(doc, dict):
        raise UserError(_("JSON is not in the educluster layout: the top level must be an "
                          "object with the arrays {names} (see 'educluster template')").format(
            names=", ".join(names)), file=path)
    base = doc.get("base")
    if base is not None and (not isinstance(base, str) or not _ABSOLUTE.match(base)):
        raise UserError(_("JSON 'base' must be an absolute IRI such as "
                          "https://example.org/my-cluster/"), file=path)
    rows: list[Row] = []
    known_top = set(names) | {"base"}
    unknown = [k for k in doc if k not in known_top and not k.startswith("_")]
    if unknown:
        hint = _suggest(unknown[0], names)
        raise UserError(_("JSON is not in the educluster layout: unknown key '{key}'{hint}; the "
                          "top-level keys are base, {names} (keys starting with _ are "
                          "comments)").format(key=unknown[0], hint=hint, names=", ".join(names)),
                        file=path)
    if not any(k in doc for k in names):
        raise UserError(_("JSON is not in the educluster layout: none of the arrays {names} is "
                          "present").format(names=", ".join(names)), file=path)
    for t in TEMPLATES:
        items = doc.get(t.name)
        if items is None:
            continue
        if not isinstance(items, list):
            raise UserError(_("JSON '{table}' must be an array of objects").format(table=t.name),
                            file=path)
        known = [c.name for c in t.columns]
        for i, item in enumerate(items):
            where = f"{t.name}[{i}]"
            if not isinstance(item, dict):
                raise UserError(_("JSON {where} must be an object with keys such as "
                                  "{keys}").format(where=where, keys=", ".join(known[:4])),
                                file=path)
            values: dict[str, list[str]] = {}
            for key, value in item.items():
                if key.startswith("_"):
                    continue
                col = t.column(key)
                if col is None:
                    raise UserError(_("JSON {where}: unknown key '{key}'{hint}; the keys of "
                                      "{table} are: {keys}").format(
                        where=where, key=key, hint=_suggest(key, known), table=t.name,
                        keys=", ".join(known)), file=path)
                values_list = _json_values(path, where, col, value)
                if values_list:
                    values[key] = values_list
            for req in ("id",) + (("type",) if t.column("type") and t.column("type").required
                                  else ()):
                if req not in values:
                    raise UserError(_("JSON {where} has no '{key}'; every item needs "
                                      "one").format(where=where, key=req), file=path)
            rows.append(Row(t, values, path, where))
    return rows, base


def _json_values(path: Path, where: str, col: Column, value: Any) -> list[str]:
    def scalar(v: Any) -> str | None:
        if v is None:
            return None
        if isinstance(v, bool):
            raise UserError(_("JSON {where}.{column}: true/false is not a valid value; write "
                              "text").format(where=where, column=col.name), file=path)
        if isinstance(v, (int, float)):
            return str(v)
        if isinstance(v, str):
            return v.strip() or None
        expected = (_("JSON {where}.{column}: expected text or an array of texts, found {kind}")
                    if col.multi else _("JSON {where}.{column}: expected text, found {kind}"))
        raise UserError(expected.format(where=where, column=col.name, kind=type(v).__name__),
                        file=path)

    if isinstance(value, list):
        if not col.multi:
            raise UserError(_("JSON {where}.{column} takes one value, not an array").format(
                where=where, column=col.name), file=path)
        out = [scalar(v) for v in value]
        return [v for v in out if v is not None]
    v = scalar(value)
    if v is None:
        return []
    if col.multi and isinstance(value, str) and MULTI_SEPARATOR in v:
        return [x.strip() for x in v.split(MULTI_SEPARATOR) if x.strip()]
    return [v]


def _suggest(raw: str, names: list[str]) -> str:
    import difflib

    hits = difflib.get_close_matches(raw.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
    if not hits:
        return ""
    for n in names:
        if n.lower() == hits[0]:
            return " (" + _("did you mean '{code}'?").format(code=n) + ")"
    return ""


# ---------------------------------------------------------------------------------------------
# rows -> JSON-LD -> RDF
# ---------------------------------------------------------------------------------------------

def layout_context(vocab: "Vocabulary") -> dict[str, Any]:
    """The JSON-LD context of the layout: the one generated from the ontology, the aliases of
    :data:`EXTERNAL_TERMS`, and ``"@type": "@id"`` for every column that holds an IRI."""
    from educluster.context import make_context

    ctx: dict[str, Any] = dict(make_context(vocab.graph)["@context"])
    ctx.update(EXTERNAL_TERMS)
    for t in TEMPLATES:
        for c in t.columns:
            if c.kind in ("ref", "code", "class"):
                entry = ctx.get(c.term)
                iri = entry["@id"] if isinstance(entry, dict) else entry
                if iri is None:  # pragma: no cover - checked by the layout test
                    raise RuntimeError(f"column {t.name}.{c.name}: no context term {c.term}")
                ctx[c.term] = {"@id": iri, "@type": "@id"}
    return ctx


class _Resolver:
    def __init__(self, vocab: "Vocabulary", base: str, typed_codes: dict | None = None):
        self.vocab = vocab
        self.base = base
        self.typed_codes = {} if typed_codes is None else typed_codes

    def node_id(self, row: Row, raw: str, column: str) -> str:
        if _LOCAL_ID.match(raw):
            return self.base + raw
        if _ABSOLUTE.match(raw):
            return raw
        from educluster.convert.confusables import odd_character

        odd = odd_character(raw)
        why = f": {odd}" if odd else ""
        raise UserError(_where(row, column) + _(
            "'{value}' in column '{column}' is not a valid id{why}; use letters, digits and "
            "- _ . ~ / (no spaces), or a full IRI").format(value=raw, column=column, why=why),
                        file=row.file, line=row.line, where=row.fields(column))

    def code(self, row: Row, col: Column, raw: str) -> str:
        if _ABSOLUTE.match(raw) and ("://" in raw or raw.startswith("urn:")):
            return raw
        candidates = self.vocab.instances(EC + col.code_class, col.axis)
        hit = self.vocab.match_code(raw, candidates)
        if hit:
            return hit
        # also the right kind of item on another axis (then validation says which axis)
        if col.axis:
            hit = self.vocab.match_code(raw, self.vocab.instances(EC + col.code_class))
            if hit:
                return hit
        from educluster.convert.vocab import value_slug

        iri = ID + col.code_kind + "/" + value_slug(raw)
        self.typed_codes.setdefault(iri, raw)
        return iri

    def type_class(self, row: Row, col: Column, raw: str) -> str:
        hit = self.vocab.match_class(raw, col.code_class)
        if hit:
            return hit
        names = self.vocab.class_names(col.code_class)
        hint = self.vocab.suggest(raw, names)
        did = _("did you mean '{code}'?").format(code=hint[0]) + " " if hint else ""
        raise UserError(_where(row, col.name) + _(
            "unknown {column} '{value}' in {table}; {did}use one of: {codes}").format(
                column=col.name, value=raw, table=row.template.name, did=did,
                codes=", ".join(names)),
                        file=row.file, line=row.line, where=row.fields(col.name))

    def kind_class(self, row: Row, col: Column, raw: str) -> str:
        hit = self.vocab.match_class(raw, col.code_class)
        if hit:
            return hit
        return EC + re.sub(r"[^A-Za-z0-9_-]+", "", raw.title().replace(" ", "")) or EC + "x"


def _where(row: Row, column: str | None = None) -> str:
    """The prefix that says where a JSON row or workbook cell is ("participants[2]: ",
    "participants!C7: "); CSV errors carry the file and line already."""
    if row.sheet is not None:
        return f"{row.cell(column)}: "
    return f"JSON {row.where}: " if row.line is None else ""


def _here(row: Row) -> str:
    """Where a row came from, for the report: ``file:line``, ``file: participants!A7`` or
    ``file: participants[2]``."""
    if row.line is not None:
        return f"{display_path(row.file)}:{row.line}"
    return f"{display_path(row.file)}: {row.cell('id') or row.where}"


def rows_to_items(rows: list[Row], vocab: "Vocabulary", base: str,
                  loaded: Loaded, problems: list[UserError] | None = None
                  ) -> list[dict[str, Any]]:
    """The JSON-LD items of the rows; a row that cannot become one (an empty, invalid or
    repeated id, an unknown kind) is added to ``problems`` (when given, else raised) and the
    other rows go on, so one run reports every such row."""
    items: list[dict[str, Any]] = []
    first_seen: dict[str, str] = {}
    r = _Resolver(vocab, base, loaded.typed_codes)
    for row in rows:
        try:
            item = _row_item(row, r, first_seen, loaded)
        except UserError as exc:
            if problems is None:
                raise
            problems.append(exc)
            continue
        items.append(item)
        stats = loaded.stats.setdefault(display_path(row.file), {"rows": 0, "entities": 0})
        stats["entities"] += 1
    return items


def _row_item(row: Row, r: _Resolver, first_seen: dict[str, str],
              loaded: Loaded) -> dict[str, Any]:
    """One row as a JSON-LD item (ids, codes and kinds resolved); UserError if it cannot be."""
    t = row.template
    raw_id = row.values.get("id", [""])[0]
    if not raw_id:
        raise UserError(_where(row, "id") + _("the id is empty; every row needs an id"),
                        file=row.file, line=row.line, where=row.fields("id"))
    iri = r.node_id(row, raw_id, "id")
    here = _here(row)
    if iri in first_seen:
        raise UserError(_where(row, "id") + _(
            "id '{id}' is used twice (first at {first}); give every row its own id").format(
                id=raw_id, first=first_seen[iri]),
                        file=row.file, line=row.line, where=row.fields("id"))
    first_seen[iri] = here
    item: dict[str, Any] = {"id": iri}
    types = [EC + t.default_type]
    for col in t.columns:
        vals = row.values.get(col.name)
        if col.kind == "id" or not vals:
            continue
        if col.kind == "type":
            types = [r.type_class(row, col, v) for v in vals]
            continue
        if col.kind == "ref":
            out = [r.node_id(row, v, col.name) for v in vals]
        elif col.kind == "code":
            out = [r.code(row, col, v) for v in vals]
        elif col.kind == "class":
            out = [r.kind_class(row, col, v) for v in vals]
        elif col.languages:
            out = [language_value(v) for v in vals]
        else:
            out = list(vals)
        item[col.term] = out if (col.multi or len(out) > 1) else out[0]
    item["type"] = types
    loaded.sources[iri] = here
    loaded.templates[iri] = t.name
    loc = {"file": display_path(row.file), **row.fields()}
    if row.letters:
        loc["letters"] = row.letters
    loaded.locations[iri] = loc
    return item


def items_to_graph(items: list[dict[str, Any]], vocab: "Vocabulary") -> "rdflib.Graph":
    from educluster.kb import new_graph

    doc = {"@context": layout_context(vocab), "@graph": items}
    g = new_graph()
    g.parse(data=json.dumps(doc), format="json-ld")
    return normalise(g)


def normalise(graph: "rdflib.Graph") -> "rdflib.Graph":
    """Plain literals for ``xsd:string`` ones (the same in RDF 1.1; rdflib keeps them apart)."""
    from rdflib import Literal
    from rdflib.namespace import XSD as X

    fix = [(s, p, o) for s, p, o in graph if isinstance(o, Literal) and o.datatype == X.string]
    for s, p, o in fix:
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o))))
    return graph


# ---------------------------------------------------------------------------------------------
# RDF files
# ---------------------------------------------------------------------------------------------

def read_rdf(path: Path, text: str, fmt: str) -> "rdflib.Graph":
    from educluster.kb import parse_file

    if fmt == "json-ld":
        g = _read_jsonld(path, text)
    else:
        g = parse_file(path, format=fmt)
    if len(g) == 0:
        raise UserError(_("the file holds no data (no triples); fill it in"), file=path)
    return normalise(g)


def _read_jsonld(path: Path, text: str) -> "rdflib.Graph":
    from educluster.kb import new_graph

    from educluster import jsonread

    doc = _local_contexts(path, jsonread.loads(text, path))
    g = new_graph()
    from educluster.guards import jsonld_offline

    jsonld_offline()  # scoped contexts and @import go through the loader too: nothing fetched
    try:
        g.parse(data=json.dumps(doc), format="json-ld")
    except UserError as exc:
        raise UserError(exc.message, file=exc.file or path, line=exc.line) from exc
    except Exception as exc:  # the JSON-LD processor raises many types
        msg = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise UserError(_("JSON-LD error: {reason}; fix the file and run again").format(
            reason=msg), file=path) from exc
    return g


def _local_contexts(path: Path, doc: Any) -> Any:
    """Replace references to our context by the generated context; refuse other remote ones
    (nothing is fetched from the network)."""
    def fix(ctx: Any) -> Any:
        if isinstance(ctx, list):
            return [fix(c) for c in ctx]
        if isinstance(ctx, str):
            from educluster.guards import is_our_context

            if is_our_context(ctx):
                from educluster.context import make_context
                from educluster.convert.vocab import load_vocabulary

                return make_context(load_vocabulary().graph)["@context"]
            raise UserError(_("the JSON-LD context '{context}' would have to be fetched; embed "
                              "the context in the file or use \"context.jsonld\" (ours)").format(
                context=ctx), file=path)
        return ctx

    if isinstance(doc, dict):
        return {k: (fix(v) if k == "@context" else _local_contexts(path, v)) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_local_contexts(path, v) for v in doc]
    return doc


# ---------------------------------------------------------------------------------------------
# everything
# ---------------------------------------------------------------------------------------------

def in_order(problems: list[UserError], paths) -> list[UserError]:
    """``problems`` ordered by file (as given on the command line), sheet (in the order of the
    tables) and row."""
    order = {display_path(p): i for i, p in enumerate(paths)}
    sheets = [t.name for t in TEMPLATES]

    def key(e: UserError):
        f = display_path(e.file) if e.file is not None else None
        sheet = str(e.where.get("sheet", "")).strip().lower()
        return (order.get(f, len(order)), sheets.index(sheet) if sheet in sheets else -1,
                e.where.get("row") or e.line or 0)
    return sorted(problems, key=key)


def _read_file(p: Path, max_mb: float, loaded: Loaded, problems: list[UserError]
               ) -> tuple[list[Row] | None, str | None]:
    """Read one input file: its rows and JSON base for tables (CSV, workbook, JSON layout),
    or (None, None) after adding an RDF file's triples to ``loaded.graph``. A problem that
    stops the whole file is raised; problems of single rows are added to ``problems``."""
    from educluster.convert.encodings import decode_table

    suffix = check_input_path(p)
    if suffix in WORKBOOK_SUFFIXES:
        from educluster.convert.workbook import read_workbook

        loaded.files.append(display_path(p))
        return read_workbook(p, max_mb, problems), None
    if suffix in TABLE_SUFFIXES:
        data = read_raw(p, max_mb)
        text = decode_table(p, data)
        if not text.strip():
            raise UserError(_("the file is empty; fill in the data (educluster template DIR "
                              "writes blank templates)"), file=p)
        loaded.files.append(display_path(p))
        return read_csv(p, text, max_mb, problems), None
    text = read_text(p, max_mb)
    loaded.files.append(display_path(p))
    if suffix == ".json":
        from educluster import jsonread

        doc = jsonread.loads(text, p)
        if not (isinstance(doc, dict) and ("@context" in doc or "@graph" in doc or "@id" in doc)):
            return read_layout_json(p, doc)
        loaded.graph += read_rdf(p, text, "json-ld")
    else:
        loaded.graph += read_rdf(p, text, RDF_SUFFIXES[suffix])
    return None, None


def load_inputs(paths: list[str | os.PathLike], *, base: str | None = None,
                max_mb: float = DEFAULT_MAX_MB, vocab: "Vocabulary | None" = None,
                require_data: bool = True) -> Loaded:
    """All input files merged into one graph. Every problem that stops a file or a row from
    being read is gathered, and all are raised together at the end (:func:`gather`:
    :class:`UserErrors` for several); with ``require_data``, also when the files hold no data."""
    from educluster.convert.vocab import load_vocabulary
    from educluster.kb import new_graph

    check_base(base)
    if not paths:
        raise UserError(_("no input files given"))
    vocab = vocab or load_vocabulary()
    loaded = Loaded(new_graph())
    rows_by_base: dict[str, list[Row]] = {}
    problems: list[UserError] = []
    for p in map(Path, paths):
        try:
            rows, json_base = _read_file(p, max_mb, loaded, problems)
        except UserError as exc:
            problems.append(exc)
            continue
        if rows is not None:
            loaded.stats[display_path(p)] = {"rows": len(rows), "entities": 0}
            rows_by_base.setdefault(base or json_base or DEFAULT_BASE, []).extend(rows)
    all_items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for b, rows in rows_by_base.items():
        loaded.bases.add(b)
        items = rows_to_items(rows, vocab, b, loaded, problems)
        for it in items:
            if it["id"] in seen:  # the same id in two files with different bases cannot clash
                problems.append(UserError(_("id {id} is used twice").format(id=it["id"]),
                                          file=None))
            seen.add(it["id"])
        all_items.extend(items)
    if problems and len(problems) == len(paths) and all(isinstance(x, NoRows) for x in problems):
        problems = [UserError(_("the input holds no data: every file has only a header or "
                                "comments"))]
    gather(in_order(problems, paths))
    if all_items:
        loaded.graph += items_to_graph(all_items, vocab)
    if require_data and len(loaded.graph) == 0:
        raise UserError(_("the input holds no data: every file has only a header or comments"))
    return loaded
