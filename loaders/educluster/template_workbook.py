"""``educluster template DIR --xlsx``: one Excel workbook to fill in, instead of CSV files.

A sheet per table (named like the CSV files, in the same column order), the column help as a
comment on each header cell and on a ``help`` sheet, a drop-down list (data validation) on every
coded column filled from the knowledge base and the ontology (kept on a hidden ``lists``
sheet), date columns formatted and checked as dates. Reading it back
(:mod:`educluster.convert.workbook`) gives the same rows as the CSV templates. Written with
openpyxl, which reads and writes .xlsx with data validation and comments.
"""

from __future__ import annotations

import datetime as dt
import io

#: Rows of a sheet that get the drop-down lists and date checks.
DATA_ROWS = 5000

_HEADER_FONT = {"bold": True}
_EXAMPLE_COLOUR = "808080"


def workbook_bytes() -> bytes:
    """The template workbook as .xlsx bytes (the same for every run: fixed document dates)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    from educluster.convert.codes import allowed_values, is_coded
    from educluster.convert.layout import MULTI_SEPARATOR, TEMPLATES
    from educluster.convert.vocab import load_vocabulary
    from educluster.i18n import _

    vocab = load_vocabulary()
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = "help"
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    list_ranges: dict[tuple, str] = {}

    def list_range(col) -> str:
        """The range on the lists sheet holding ``col``'s allowed values (written once)."""
        key = (col.kind, col.code_class, col.axis)
        if key not in list_ranges:
            values = allowed_values(vocab, col)
            c = len(list_ranges) * 2 + 1
            letter = get_column_letter(c)
            lists.cell(1, c, f"{col.code_class}" + (" ({})".format(_("axis")) if col.axis else ""))
            lists.cell(1, c + 1, _("meaning"))
            for i, (value, meaning) in enumerate(values, 2):
                lists.cell(i, c, value)
                lists.cell(i, c + 1, meaning)
            last = max(2, len(values) + 1)
            list_ranges[key] = f"{quote_sheetname('lists')}!${letter}$2:${letter}${last}"
        return list_ranges[key]

    help_ws.append([_("How to fill in this workbook")])
    help_ws["A1"].font = Font(bold=True, size=14)
    for text in (
        _("One sheet per table; one row per entity; the first row holds the column names "
          "(do not rename them or the sheets)."),
        _("Leave a cell empty when you do not know the value: never guess a date or an "
          "identifier."),
        _("Several values in one cell are separated by {sep} (for example {example}).").format(
            sep=MULTI_SEPARATOR, example=f"cspi{MULTI_SEPARATOR}school-1"),
        _("A row whose first cell starts with # is a comment (the grey example rows)."),
        _("Coded columns have a drop-down list; the lists come from the knowledge base."),
        _("Check the workbook with:  {command}").format(
            command="educluster validate cluster.xlsx"),
        _("Sheets you do not need may stay empty or be deleted."),
    ):
        help_ws.append([text])
    help_ws.append([])
    help_ws.append([_("sheet"), _("column"), _("required"), _("several values"), _("meaning"),
                    _("example")])
    for cell in help_ws[help_ws.max_row]:
        cell.font = Font(**_HEADER_FONT)
    help_ws.column_dimensions["A"].width = 14
    help_ws.column_dimensions["B"].width = 20
    help_ws.column_dimensions["E"].width = 90
    help_ws.column_dimensions["F"].width = 30

    for t in TEMPLATES:
        ws = wb.create_sheet(t.name)
        ws.freeze_panes = "A2"
        for i, col in enumerate(t.columns, 1):
            letter = get_column_letter(i)
            head = ws.cell(1, i, col.name)
            head.font = Font(**_HEADER_FONT)
            note = _(col.help) + (" ({})".format(_("required")) if col.required else "") + \
                ("; " + _("several values separated by {sep}").format(sep=MULTI_SEPARATOR)
                 if col.multi else "")
            if is_coded(col):
                note += "; " + _("pick from the list")
            head.comment = Comment(note, "educluster", width=300, height=120)
            ws.column_dimensions[letter].width = max(12, min(40, len(col.name) + 4,
                                                             len(col.example) + 2))
            example = ("# " if i == 1 else "") + col.example   # row 2: a comment row
            if example:
                ws.cell(2, i, example).font = Font(italic=True, color=_EXAMPLE_COLOUR)
            rng = f"{letter}3:{letter}{DATA_ROWS}"
            if is_coded(col):
                dv = DataValidation(type="list", formula1=f"={list_range(col)}", allow_blank=True,
                                    showDropDown=False)
                dv.promptTitle = col.name
                dv.prompt = _(col.help)[:250]
                dv.showInputMessage = True
                # several values joined by | are not an item of the list: warn, do not block
                dv.errorStyle = "information" if col.multi else "stop"
                dv.errorTitle = _("{column}: not in the list").format(column=col.name)
                dv.error = (_("Pick a value from the list; join several with {sep}").format(
                    sep=MULTI_SEPARATOR) if col.multi else _("Pick a value from the list."))
                dv.showErrorMessage = True
                ws.add_data_validation(dv)
                dv.add(rng)
            elif col.kind == "date":
                dv = DataValidation(type="date", operator="greaterThan",
                                    formula1="DATE(1900,1,1)", allow_blank=True)
                dv.errorTitle = _("{column}: a date").format(column=col.name)
                dv.error = _("Type a date such as {date}.").format(date="2021-09-01")
                dv.showErrorMessage = True
                ws.add_data_validation(dv)
                dv.add(rng)
                for r in range(3, 103):         # date cells in the first rows; more by copying
                    ws.cell(r, i).number_format = "yyyy-mm-dd"
            help_ws.append([t.name, col.name, _("yes") if col.required else "",
                            _("yes") if col.multi else "", _(col.help), col.example])
    wb.properties.creator = "educluster template"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
