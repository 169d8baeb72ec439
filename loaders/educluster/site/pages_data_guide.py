"""The spreadsheet part of "Validate your data": one section per table, in the words of the
person who fills it in.

For each template of :mod:`educluster.convert.layout` (the same column definitions the converter
reads): the CSV file and workbook sheet name, and per column its meaning, whether it is
required, whether it takes several values, the allowed codes with their meaning (from
:func:`educluster.convert.codes.allowed_values`, the function the workbook's drop-down lists
use), an example, and -- in the last column, for programmers -- the RDF property it becomes.
Before the tables: how to save CSV UTF-8 from Excel and LibreOffice, and what ``|``, ``#`` and
counts mean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from educluster.site import escape
from educluster.site.lang import N_, _, ngettext
from educluster.site.writer import Page

if TYPE_CHECKING:  # pragma: no cover
    from educluster.convert.layout import Column, Template
    from educluster.convert.vocab import Vocabulary

#: Coded columns with at most this many values list them in the table; longer lists get a
#: table of their own below it.
INLINE_CODES = 6

SAVING = N_("""\
**Saving CSV in UTF-8.** Names in Uzbek or Russian survive only in UTF-8:

- *Excel*: File → Save As → type **CSV UTF-8 (Comma delimited) (\\*.csv)**. Not "CSV (Comma
  delimited)": that one is saved in the Windows code page (Windows-1251 on Russian and Uzbek
  systems), which `educluster validate` refuses by name. Excel's "Unicode Text (\\*.txt)"
  (tab-separated) is read as well.
- *LibreOffice Calc*: File → Save As → type **Text CSV (.csv)**, tick **Edit filter settings**,
  then character set **Unicode (UTF-8)** and field delimiter `,` (a `;` is read too).
- Or keep the workbook: `educluster template --xlsx my-cluster/` writes one Excel workbook with a
  sheet per table and drop-down lists for the coded columns, and `educluster validate
  my-cluster/cluster.xlsx` reads it directly (LibreOffice may keep it as .xlsx or save it as
  .ods; both are read).
""")


def _allowed_values(vocab: "Vocabulary", col: "Column", lang: str) -> list[tuple[str, str]]:
    """The allowed values of ``col`` with their meanings in ``lang`` (the codes' labels; the
    same function as the workbook's drop-down lists, asked in the page's language)."""
    from educluster import i18n
    from educluster.convert.codes import allowed_values

    before = i18n.current()
    i18n.set_language(lang)
    try:
        return allowed_values(vocab, col)
    finally:
        i18n.set_language(before)


def _rdf_name(page: Page, col: "Column") -> str:
    """The RDF property (or role) of a column, as the programmers' column shows it."""
    from educluster.convert.layout import EC, EXTERNAL_TERMS

    if col.kind == "id":
        return _("the row's IRI (base + id)")
    if col.kind == "type":
        return "<code>rdf:type</code>"
    entry = EXTERNAL_TERMS.get(col.term)
    iri = entry.get("@id") if isinstance(entry, dict) else (entry or EC + col.term)
    return f"<code>{escape.md(page.model.curie(page.model.URIRef(iri)))}</code>"


def _code(text: str) -> str:
    """``text`` as inline code (an HTML code element: Markdown's backticks would show the
    character references of :func:`escape.md` literally)."""
    return f"<code>{escape.md(text)}</code>"


def _codes_inline(values: list[tuple[str, str]]) -> str:
    return "<br>".join(_code(v) + (f" — {escape.md(m)}" if m else "") for v, m in values)


def _anchor(t: "Template", col: "Column | None" = None) -> str:
    return f"table-{t.name}" + (f"-{col.name.lower()}" if col else "")


def _meaning(col: "Column") -> str:
    from educluster.convert.layout import MULTI_SEPARATOR

    help_ = _(col.help)
    text = escape.md(help_[:1].upper() + help_[1:])
    if col.multi:
        text += "; " + _("several values separated by {sep}").format(sep=_code(MULTI_SEPARATOR))
    if col.kind == "date":
        text += " " + _("(a date cell in the workbook)")
    return text


def tables(page: Page, vocab: "Vocabulary") -> None:
    """The per-table guide, appended to ``page``."""
    from educluster.convert.layout import MULTI_SEPARATOR, TEMPLATES

    page.h(2, _("Fill in the tables"), "tables")
    page.para(_("One CSV file per table (or one workbook with a sheet per table); the first row "
                "holds the column names below, one row per entity. Tables you do not need may be "
                "left out. Tables:") + " " + ", ".join(
                  page.link_doc(page.doc, _code(t.name), _anchor(t)) for t in TEMPLATES) + ".")
    page.para(_(SAVING))
    counts = next((t for t in TEMPLATES if t.name == "counts"), None)
    page.para(
        _("**What {sep}, {hash} and counts mean.** {sep} separates several values in one cell, in "
          "the columns that take several (for example {example}). A row whose first cell starts "
          "with {hash} is a comment and is skipped (the templates' example rows are comments). "
          "Every row has an {id} of your choice (letters, digits, {chars}), unique in your data; "
          "rows refer to each other by these ids.").format(
            sep=_code(MULTI_SEPARATOR), hash=_code("#"), id=_code("id"), chars=_code("- _ . ~ /"),
            example=_code("cspi" + MULTI_SEPARATOR + "school-1"))
        + (" " + _("**Counts** ({file}):").format(file=_code("counts.csv"))
           + f" {escape.md(_(counts.help))}" if counts else ""))
    for t in TEMPLATES:
        page.h(3, _("{file} — sheet {sheet}: {title}").format(
            file=_code(t.name + ".csv"), sheet=_code(t.name), title=escape.md(_(t.title))),
               _anchor(t))
        page.para(escape.md(_(t.help)))
        rows = []
        long_lists = []
        for col in t.columns:
            values = _allowed_values(vocab, col, page.model.lang)
            if not values:
                allowed = ""
            elif len(values) <= INLINE_CODES:
                allowed = _codes_inline(values)
            else:
                allowed = page.link_doc(page.doc, ngettext("{n} code",
                                                           "{n} codes",
                                                           len(values)).format(n=len(values)),
                                        _anchor(t, col))
                long_lists.append((col, values))
            example = _code(col.example) if col.example else ""
            need = _("**required**") if col.required else _("optional")
            rows.append(f"| {_code(col.name)} | {_meaning(col)} | "
                        f"{need} | {allowed} | "
                        f"{example} | {_rdf_name(page, col)} |")
        page.add("| " + " | ".join((_("column"), _("meaning"), _("required?"), _("allowed values"),
                                    _("example"), _("RDF name (for programmers)"))) + " |\n"
                 "| --- | --- | --- | --- | --- | --- |\n"
                 + "\n".join(rows) + "\n")
        for col, values in long_lists:
            page.h(4, _("Allowed values of {column} in {table}").format(
                column=_code(col.name), table=_code(t.name)), _anchor(t, col))
            page.add("| " + _("code") + " | " + _("meaning") + " |\n| --- | --- |\n" + "\n".join(
                f"| {_code(v)} | {escape.md(m)} |" for v, m in values) + "\n")
