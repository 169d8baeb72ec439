"""``educluster assess``: evidence profiles of clusters read against the papers (issue 17).

Each criterion is a SPARQL query in ``ontology/assessment/*.rq`` whose header names the
knowledge-base items it reads the data against; per cluster and item the profile says "shown",
"not shown in the data" or "not applicable", with the rows that are the evidence and the
papers' words (the items' ``ec:quote``). Rules, not scores: see decision 0017.
"""

from __future__ import annotations

import sys

from educluster.i18n import _


def run(args) -> int:
    """The CLI command: load the data, run the criteria, write the profile."""
    from educluster.assess.criteria import assess
    from educluster.assess.data import open_dataset
    from educluster.assess.render import render
    from educluster.atomic import write_atomic
    from educluster.errors import UserError

    from educluster.i18n import current

    # the JSON is the same in every language (English names); text and HTML speak --lang
    lang = "en" if args.format == "json" else current()
    with open_dataset(args.data, base=args.base, max_mb=args.max_size) as ds:
        profiles = assess(ds, lang=lang)
    text = render(profiles, args.format)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        write_atomic(args.output, text)
    except OSError as exc:
        raise UserError(_("cannot write the profile: {reason}").format(
            reason=exc.strerror or exc), file=args.output) from exc
    return 0
