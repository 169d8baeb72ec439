"""``educluster convert FILE... -o OUT``: institutions' CSV and JSON (and RDF) to Turtle or JSON-LD.

The output format comes from ``--to`` or from OUT's extension (``.ttl`` Turtle, ``.jsonld`` /
``.json`` JSON-LD, ``.nt`` N-Triples); ``-o -`` writes to standard output (then ``--to`` is
needed). Output is written atomically and only after every input was read. Data with
violations of the shapes is refused (exit 1, nothing written, the first violations on stderr)
unless ``--allow-invalid``: RDF that looks finished but cannot be added up does more harm than
no file; ``educluster validate`` gives the full report.

Modules: :mod:`.layout` (the templates), :mod:`.inputs` (reading every kind of file),
:mod:`.vocab` (the ontology and knowledge-base index).
"""

from __future__ import annotations

import sys
from pathlib import Path

from educluster.i18n import _

TARGETS = {"turtle": "turtle", "ttl": "turtle", "jsonld": "json-ld", "json-ld": "json-ld",
           "nt": "nt", "ntriples": "nt"}
_BY_SUFFIX = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt"}


def output_format(output: str, to: str | None) -> str:
    from educluster.errors import UserError

    if to:
        return TARGETS[to]
    if output == "-":
        raise UserError(_("writing to standard output: say the format with --to turtle or "
                          "--to jsonld"))
    fmt = _BY_SUFFIX.get(Path(output).suffix.lower())
    if fmt is None:
        raise UserError(_("cannot tell the output format from the file name; end it with "
                          ".ttl, .jsonld or .nt, or give --to"), file=output)
    return fmt


def serialise(graph, fmt: str, base: str | None = None, header: str | None = None) -> str:
    """Deterministic Turtle, JSON-LD or N-Triples of ``graph``."""
    from educluster.build import canonical_graph
    from educluster.convert.layout import DEFAULT_BASE
    from educluster.kb import PREFIXES

    g = canonical_graph(graph)
    if fmt == "turtle":
        g.bind("", base or DEFAULT_BASE, override=True, replace=True)
        text = g.serialize(format="turtle")
        return (header + "\n" if header else "") + text
    if fmt == "nt":
        lines = sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())
        return (header + "\n" if header else "") + "\n".join(lines) + "\n"
    ctx = dict(PREFIXES)
    text = g.serialize(format="json-ld", context=ctx, indent=2, sort_keys=True,
                       ensure_ascii=False)
    return text.rstrip("\n") + "\n"


def violations(loaded) -> list[str]:
    """The stderr lines that refuse invalid data (empty when it has no violations): how many,
    that nothing was written, and the first few with their location."""
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate import report
    from educluster.validate.engine import VIOLATION, load_shapes, validate_graph

    vocab = load_vocabulary()
    shapes = load_shapes()
    try:
        results = validate_graph(loaded.graph, vocab, shapes)
    except ValueError as exc:  # the store refuses an IRI that rdflib's parser let through
        from educluster.errors import UserError

        msg = " ".join(str(exc).split())[:160]
        raise UserError(_("the data holds an IRI that is not valid ({reason}); correct it (or "
                          "write the data anyway with --allow-invalid)").format(reason=msg),
                        file=loaded.files[0] if len(loaded.files) == 1 else None) from exc
    bad = [r for r in results if r.severity == VIOLATION]
    if not bad:
        return []
    entities = report.ReportBuilder(bad, loaded.graph, vocab, shapes, loaded).entities()
    from educluster.i18n import ngettext

    n = len(bad)
    lines = ["educluster: " + ngettext(
        "the data has {n} violation; nothing written. See it with '{command}', fix it, or "
        "write the data anyway with --allow-invalid",
        "the data has {n} violations; nothing written. See them all with '{command}', fix "
        "them, or write the data anyway with --allow-invalid", n).format(
            n=n, command="educluster validate " + " ".join(loaded.files))]
    shown = [(e, x) for e in entities for x in e.entries][:5]
    for e, x in shown:
        loc = x.location
        where = loc.get("cell") or (f"{loc['file']}:{loc['row']}" if loc.get("row")
                                    else e.source or e.label)
        col = " " + _("column '{column}'").format(column=loc["column"]) + ":" \
            if loc.get("column") and not loc.get("cell") else ""
        fix = f" ({x.fix})" if x.fix else ""
        lines.append(" ".join(f"educluster: {where}:{col} {x.result.message_in()}{fix}".split()))
    if n > len(shown):
        lines.append("educluster: " + _("... and {n} more").format(n=n - len(shown)))
    return lines


def run(args) -> int:
    from educluster.atomic import write_atomic
    from educluster.convert.inputs import DEFAULT_MAX_MB, load_inputs
    from educluster.errors import UserError, display_path

    from educluster.convert.inputs import quiet_libraries

    quiet_libraries()
    fmt = output_format(args.output, args.to)
    loaded = load_inputs(args.files, base=args.base, max_mb=args.max_size or DEFAULT_MAX_MB)
    if not getattr(args, "allow_invalid", False):
        refused = violations(loaded)
        if refused:
            from educluster.termsafe import visible

            sys.stderr.write("".join(visible(line) + "\n" for line in refused))
            return 1
    header = "# converted by educluster convert from " + ", ".join(loaded.files)
    text = serialise(loaded.graph, fmt, args.base, header)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if out.is_dir():
        raise UserError(_("the output is a folder; give a file name such as data.ttl"),
                        file=out)
    try:
        write_atomic(out, text)
    except OSError as exc:
        raise UserError(_("cannot write the output: {reason}").format(
            reason=exc.strerror or exc), file=out) from exc
    from educluster.i18n import ngettext

    print(ngettext("wrote {triples} triples from {n} file to {out}",
                   "wrote {triples} triples from {n} files to {out}", len(loaded.files))
          .format(triples=len(loaded.graph), n=len(loaded.files), out=display_path(out)))
    return 0
