"""The validation report as a spreadsheet (``--format csv``: one row per finding) and as one
self-contained web page (``--format html``: no outside requests, every data string escaped).

Both carry the same fields as the JSON report: severity, the location as fields (file, sheet,
cell, row, column), the entity, the rule, the message, the value and the fix.
"""

from __future__ import annotations

import csv
import html
import io

from educluster.termsafe import spreadsheet_safe

from educluster.validate.report import (LOCATION_FIELDS, Entity, _sev_word, count, exit_code,
                                        shown_value, summary_line)

#: The columns of the CSV report, in order.
CSV_COLUMNS = ("severity", "file", "sheet", "cell", "row", "column", "entity", "entity_kind",
               "rule", "message", "value", "fix", "focus")

def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    return spreadsheet_safe("" if value is None else str(value))


def _rows(entities: list[Entity], bases: tuple[str, ...]):
    """One dict per finding, in the report's order."""
    for e in entities:
        for x in e.entries:
            loc = {k: x.location.get(k) for k in LOCATION_FIELDS}
            yield {"severity": _sev_word(x.result.severity), **loc, "entity": e.label,
                   "entity_kind": e.kind, "rule": x.shape_name or x.path,
                   "message": x.result.message_in(), "value": shown_value(x, bases),
                   "fix": x.fix, "focus": str(e.node), "where": x.where, "source": e.source}


def to_csv(entities: list[Entity], results, files: list[str], strict: bool,
           summary: list[dict] | None = None, bases: tuple[str, ...] = ()) -> str:
    """The findings as CSV (UTF-8 with a BOM, so Excel reads the names right), one per row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for row in _rows(entities, bases):
        w.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    return "\ufeff" + buf.getvalue()


_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;line-height:1.4;color:#111}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}
.violation{color:#8b0000;font-weight:bold}.warning{color:#6b4f00;font-weight:bold}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
code{font-family:ui-monospace,monospace}
"""


def to_html(entities: list[Entity], results, files: list[str], strict: bool,
            summary: list[dict] | None = None, bases: tuple[str, ...] = ()) -> str:
    """One accessible HTML page: the verdict, a summary per file and a table of findings."""
    e = html.escape
    v, w = count(results)
    ok = exit_code(results, strict) == 0
    from educluster.i18n import _, current, ngettext

    verdict = _("conforms") if ok else _("does not conform")
    title = _("Validation report: {verdict}").format(verdict=verdict)
    heading = _("The data {verdict}").format(verdict=verdict)
    out = ["<!DOCTYPE html>", f'<html lang="{e(current())}">', "<head>", '<meta charset="utf-8">',
           # no outside requests: no scripts, images, fonts or styles from elsewhere
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           'style-src \'unsafe-inline\'">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(title)}</title>",
           f"<style>{_STYLE}</style>", "</head>", "<body>", "<main>",
           f"<h1>{e(heading)}</h1>",
           "<p>" + e(ngettext("{n} violation", "{n} violations", v).format(n=v) + ", "
                     + ngettext("{n} warning", "{n} warnings", w).format(n=w)
                     + (" " + _("(--strict: warnings count)") if strict and w else "")) + ".</p>"]
    if summary:
        out.append("<h2>" + e(_("Files")) + "</h2><ul>")
        out += [f"<li>{e(summary_line(item))}</li>" for item in summary]
        out.append("</ul>")
    if entities:
        heads = (_("Severity"), _("Where"), _("Entity"), _("Rule"), _("Message"), _("Value"),
                 _("Fix"))
        out.append("<h2>" + e(_("Findings")) + "</h2>")
        out.append("<table><caption>" + e(_("Findings, causes first, by file and row"))
                   + "</caption>"
                   "<thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in heads)
                   + "</tr></thead><tbody>")
        for row in _rows(entities, bases):
            where = row.get("cell") or (_("{file} row {row}").format(file=row['file'],
                                                                     row=row['row'])
                                        if row.get("row")
                                        else row.get("source") or row.get("file") or "")
            if row.get("column") and not row.get("cell"):
                where += ", " + _("column {column}").format(column=row['column'])
            sev = row["severity"]
            cells = [f'<td class="{e(sev)}">{e(sev)}</td>', f"<td>{e(where)}</td>",
                     f"<th scope=\"row\">{e(row['entity'])}</th>",
                     f"<td>{e(row['rule'] or '')}</td>", f"<td>{e(row['message'])}</td>",
                     f"<td><code>{e(row['value'] or '')}</code></td>",
                     f"<td>{e(row['fix'] or '')}</td>"]
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>" + e(_("No problems found.")) + "</p>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
