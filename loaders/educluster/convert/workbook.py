"""Reading workbooks (Excel .xlsx, LibreOffice .ods): one sheet per template, named after it (``participants``),
its first non-empty row the column names -- the same tables as the CSV files, so a workbook
from ``educluster template --xlsx`` and the CSV files give the same graph.

openpyxl reads .xlsx (read-only mode streams the sheets' XML, so memory stays small),
python-calamine reads .ods (a small Rust reader; openpyxl does not read OpenDocument);
dates typed as date cells become ``YYYY-MM-DD``, whole numbers lose Excel's ``.0``. Sheets
named ``help`` and ``lists`` (the template's help and drop-down lists) are skipped; any other
sheet whose name is not a table is refused, because its rows would otherwise be lost silently.
Locations read ``participants!C7``. A workbook that cannot be opened -- corrupt, encrypted with
a password, an old .xls renamed, a zip that expands past the size limit -- is one clear error.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from educluster.convert.inputs import (DEFAULT_MAX_MB, Row, _check_header, _split_cell,
                                       _suggest, read_raw)
from educluster.convert.layout import TEMPLATE_BY_NAME, TEMPLATES
from educluster.errors import UserError
from educluster.i18n import N_, _

#: Sheets of the template that hold no data.
SKIPPED_SHEETS = ("help", "lists")

#: How much larger than --max-size a workbook's unpacked XML may be (filled sheets unpack to
#: about 8 times their size); beyond that it is refused before it is parsed, so a small
#: "zip bomb" cannot exhaust memory.
_MAX_EXPANSION = 40

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # compound file: encrypted .xlsx or .xls
_RESAVE = N_("open it in Excel or LibreOffice Calc and save it again as an Excel workbook (.xlsx), "
           "or save each sheet as CSV UTF-8")


class _Sheets:
    """The sheets of an opened workbook: ``titles`` and ``rows(title)`` (cell values from A1,
    row by row), whichever library reads the file; ``close()`` when done."""

    def __init__(self, titles, rows, close=lambda: None):
        self.titles, self.rows, self.close = list(titles), rows, close


def _open(path: Path, max_mb: float) -> _Sheets:
    """The sheets of the workbook at ``path``: .xlsx/.xlsm by openpyxl (read-only, cached
    values of formulas), .ods by python-calamine; UserError for anything unreadable."""
    data = read_raw(path, max_mb)
    ods = path.suffix.lower() == ".ods"
    if data.startswith(_OLE2) and not ods:
        raise UserError(_("this workbook is encrypted (protected with a password to open), or "
                          "is an old Excel 97-2003 file renamed .xlsx; remove the password "
                          "(Excel: File > Info > Protect Workbook > Encrypt with Password, clear "
                          "the box; LibreOffice: File > Properties > Security) and save it as an "
                          "Excel workbook (.xlsx)"), file=path)
    if not data.startswith(b"PK"):
        kind = _("an OpenDocument spreadsheet (.ods)") if ods else _("an Excel workbook (.xlsx)")
        raise UserError(_("this is not {kind} although its name says so; {how}").format(
            kind=kind, how=_(_RESAVE)), file=path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UserError(_("the workbook is damaged (not a complete .xlsx file); {how}").format(
            how=_(_RESAVE)), file=path) from exc
    if unpacked > max_mb * _MAX_EXPANSION * (1 << 20):
        raise UserError(_("the workbook unpacks to {mb} MB, too large for its size; split the "
                          "data into smaller workbooks").format(mb=f"{unpacked / 1048576:.0f}"),
                        file=path)
    try:
        if ods:
            return _open_ods(path, archive, data)
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        by_title = {ws.title: ws for ws in wb.worksheets}
        return _Sheets(by_title, lambda t: by_title[t].iter_rows(min_row=1, min_col=1,
                                                                 values_only=True), wb.close)
    except UserError:
        raise
    except Exception as exc:  # the libraries raise many types for damaged parts
        msg = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise UserError(_("the workbook cannot be read ({reason}); {how}").format(
            reason=msg, how=_(_RESAVE)), file=path) from exc


def _open_ods(path: Path, archive: zipfile.ZipFile, data: bytes) -> _Sheets:
    """The sheets of an OpenDocument spreadsheet, read by python-calamine."""
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        manifest = b""
    if b"encryption-data" in manifest:
        raise UserError(_("this spreadsheet is protected with a password; remove it "
                          "(LibreOffice: File > Save As, untick 'Save with password') and save "
                          "again"), file=path)
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    # skip_empty_area=False: the first row is row 1 and the first column A, so cells keep
    # their names
    return _Sheets(wb.sheet_names,
                   lambda t: wb.get_sheet_by_name(t).to_python(skip_empty_area=False))


def cell_text(value) -> str:
    """A cell's value as the text a CSV cell would hold: dates as YYYY-MM-DD, whole numbers
    without ``.0``, text stripped."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):      # a duration cell: as a number of days
        return str(value.days) if not value.seconds else str(value.total_seconds() / 86400)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(path: Path, max_mb: float = DEFAULT_MAX_MB,
                  problems: list[UserError] | None = None) -> list[Row]:
    """The rows of every table sheet of the workbook at ``path``. A problem in a sheet's header
    or name stops that sheet; a problem in a row stops that row; both go to ``problems`` (when
    given, else they are raised), so one run reports them all."""
    from openpyxl.utils import get_column_letter

    book = _open(path, max_mb)
    gathered: list[UserError] = [] if problems is None else problems
    rows: list[Row] = []
    tables = 0
    others: list[UserError] = []      # sheets that are not tables
    names = [t.name for t in TEMPLATES]
    try:
        for title in book.titles:
            key = title.strip().lower()
            if key in SKIPPED_SHEETS:
                continue
            template = TEMPLATE_BY_NAME.get(key)
            if template is None:
                others.append(UserError(_(
                    "sheet '{sheet}' is not one of the tables{suggestion}; name each sheet after "
                    "its table ({tables}) or delete it (sheets 'help' and 'lists' are skipped)")
                    .format(sheet=title, suggestion=_suggest(key, names), tables=", ".join(names)),
                    file=path, where={"sheet": title}))
                continue
            tables += 1
            header: list[str] | None = None
            letters: dict[str, str] = {}
            for r, cells in enumerate(book.rows(title), 1):
                texts = [cell_text(v) for v in cells]
                if not any(texts):
                    continue
                if texts[0].startswith("#"):
                    continue  # a comment row, like the template's example
                if header is None:
                    header = list(texts)
                    while header and not header[-1]:
                        header.pop()
                    try:
                        _check_header(path, template, header, None, f"sheet '{title}'")
                    except UserError as exc:
                        exc.message = f"{title}!A{r}: {exc.message}"
                        exc.where = {"sheet": title, "row": r, "cell": f"{title}!A{r}"}
                        gathered.append(exc)
                        break
                    letters = {h: get_column_letter(i) for i, h in enumerate(header, 1)}
                    continue
                stray = next((i for i in range(len(header), len(texts)) if texts[i]), None)
                if stray is not None:
                    cell = f"{title}!{get_column_letter(stray + 1)}{r}"
                    gathered.append(UserError(
                        _("{cell}: this cell has a value but its column has no name in the "
                          "header row; name the column or move the value").format(cell=cell),
                        file=path,
                        where={"sheet": title, "row": r, "cell": cell}))
                    continue
                values = {}
                for name, text in zip(header, texts):
                    vals = _split_cell(template.column(name), text)
                    if vals:
                        values[name] = vals
                rows.append(Row(template, values, path, f"{title}!A{r}", None, sheet=title,
                                row=r, letters=letters))
    finally:
        book.close()
    if not tables:
        found = ", ".join(f"'{t}'" for t in book.titles)
        gathered.append(UserError(_(
            "the workbook has none of the sheets {tables} (its sheets: {found}); name each sheet "
            "after its table (start from 'educluster template --xlsx DIR')").format(
                tables=", ".join(names), found=found), file=path))
    else:
        gathered.extend(others)
    if problems is None and gathered:
        from educluster.errors import gather

        gather(gathered)
    return rows
