"""``educluster template DIR``: blank templates for institutions' cluster data.

Writes, for each template of :mod:`educluster.convert.layout`, ``DIR/<name>.csv`` with the
header row and one commented example row (a row whose first cell starts with ``#`` is a
comment); ``DIR/cluster.json``, the same layout as JSON with empty arrays; and
``DIR/README.md``, generated from the layout, the shapes and the knowledge base: every column
with its meaning and whether it is required, and every allowed code (slug and label). With
``--xlsx`` it writes one workbook instead, ``DIR/cluster.xlsx``
(:mod:`educluster.template_workbook`). Existing files are kept unless ``--force``. Every file
is written atomically.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from educluster.i18n import N_, _, ngettext

README_INTRO = N_("""\
# Cluster data templates

Fill in one CSV file per kind of entity (UTF-8; commas or semicolons; first row = the column names).
Delete the example rows or leave them: a row whose first cell starts with `#` is a comment.
Leave a cell empty when you do not know the value -- never guess a date or an identifier.
Several values in one cell are separated by `{sep}` (for example `cspi{sep}school-1`).
Files you do not need (for example `links.csv`) may be deleted.

Every row has an `id`: a short name of your choice (letters, digits, `-`, `_`, `.`), unique in
your data. Rows refer to each other by these ids (a membership names its `member` by the id of a
row in `participants.csv`). The ids become IRIs under the base `{base}`; give
`--base https://your.site/cluster/` (or `"base"` in JSON) before you publish.

Check your data (all files together):

    educluster validate {dir}/*.csv

The report names each entity at fault, says what is wrong, shows the value and says how to fix
it (file, line and column). Exit code 0 means the data conforms; warnings are worth a look but
do not fail the check unless you add `--strict`. Turn the data into RDF with

    educluster convert {dir}/*.csv -o cluster.ttl

The same data may be kept as JSON instead (`cluster.json`): one array per template, one object
per row, the column names as keys, several values as an array.
""")


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def template_files(base_dir: str = "DIR") -> dict[str, str]:
    """File name -> content of every template file."""
    from educluster.convert.layout import DEFAULT_BASE, TEMPLATES

    files: dict[str, str] = {}
    for t in TEMPLATES:
        header = [c.name for c in t.columns]
        example = [c.example for c in t.columns]
        example[0] = "# " + example[0] if example[0] else "#"
        files[f"{t.name}.csv"] = _csv_text([header, example])
    skeleton = {"_comment": "educluster cluster data: one array per template, one object per "
                            "row, keys = the CSV column names; see README.md",
                "base": DEFAULT_BASE}
    for t in TEMPLATES:
        skeleton[t.name] = []
    files["cluster.json"] = json.dumps(skeleton, indent=2) + "\n"
    files["README.md"] = readme(base_dir)
    return files


def readme(base_dir: str = "DIR") -> str:
    from educluster.convert.codes import allowed_values
    from educluster.convert.layout import DEFAULT_BASE, MULTI_SEPARATOR, TEMPLATES, Column
    from educluster.convert.vocab import load_vocabulary

    vocab = load_vocabulary()
    out = [_(README_INTRO).format(sep=MULTI_SEPARATOR, base=DEFAULT_BASE, dir=base_dir)]
    codes: dict[tuple, Column] = {}
    for t in TEMPLATES:
        out.append(f"\n## {t.name}.csv — {_(t.title)}\n\n{_(t.help)}\n")
        out.append("| " + " | ".join((_("column"), _("required"), _("meaning")))
                   + " |\n| --- | --- | --- |")
        for c in t.columns:
            req = _("yes") if c.required else ""
            more = " " + _("Several values: separate with `\\|`.") if c.multi else ""
            if c.kind == "code":
                more += " " + _("Values: see *{list}* below.").format(list=c.code_class)
                codes.setdefault((c.code_class, c.axis), c)
            text = _(c.help).replace("|", "\\|")
            out.append(f"| `{c.name}` | {req} | {text}.{more} |")
    out.append("\n## " + _("Allowed values") + "\n\n"
               + _("Write the value in the first column (or the label in any of the four "
                   "languages, in any case). They come from the knowledge base.") + "\n")
    kinds = [("Cluster", _("kinds of cluster (clusters.csv `type`)")),
             ("Participant", _("kinds of participant (participants.csv `type`, counts.csv "
                               "`countedKind`)")),
             ("Activity", _("kinds of activity (activities.csv `type`)"))]
    for root, title in kinds:
        out.append(f"\n### {title}\n\n| " + _("value") + " | " + _("meaning")
                   + " |\n| --- | --- |")
        kind = Column("type", "type", "type", "", code_class=root)
        for value, meaning in allowed_values(vocab, kind):
            out.append(f"| `{value}` | {meaning} |")
    for (cls, axis), col in sorted(codes.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        suffix = " " + _("(axis: {axis})").format(axis=vocab.label(axis)) if axis else ""
        out.append(f"\n### {cls}{suffix}\n\n| " + _("value") + " | " + _("label")
                   + " |\n| --- | --- |")
        for value, meaning in allowed_values(vocab, col):
            out.append(f"| `{value}` | {meaning} |")
    return "\n".join(out) + "\n"


def run(args) -> int:
    from educluster.atomic import write_atomic
    from educluster.errors import UserError, display_path

    d = Path(args.dir)
    if d.exists() and not d.is_dir():
        raise UserError(_("exists and is not a folder; give a folder for the templates"),
                        file=d)
    if getattr(args, "xlsx", False):
        from educluster.template_workbook import workbook_bytes

        files = {"cluster.xlsx": workbook_bytes()}
    else:
        files = template_files(display_path(d))
    if not getattr(args, "force", False):
        existing = [n for n in files if (d / n).exists()]
        if existing:
            raise UserError(_("{name} already exists there; use --force to overwrite the "
                              "templates, or choose an empty folder").format(name=existing[0]),
                            file=d)
    try:
        for name, text in files.items():
            write_atomic(d / name, text)
    except OSError as exc:
        raise UserError(_("cannot write the templates: {reason}").format(
            reason=exc.strerror or exc), file=exc.filename or d) from exc
    print(ngettext("wrote {n} file to {dir}/: {files}", "wrote {n} files to {dir}/: {files}",
                   len(files)).format(n=len(files), dir=display_path(d),
                                      files=", ".join(sorted(files))))
    return 0
