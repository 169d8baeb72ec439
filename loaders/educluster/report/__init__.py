"""``educluster report DATA... --out DIR``: static pages for a ministry (issue 17 section 3).

A national page, a page per region and a page per cluster: counts of clusters, members by kind
and level, links by relation type, activities by direction over time, the clusters' evidence
profiles side by side (from :mod:`educluster.assess`) and a network diagram per cluster. The
folder is built beside ``DIR`` and swapped in whole (:func:`educluster.atomic.replace_folder`).
"""

from __future__ import annotations

import sys

from educluster.i18n import _, ngettext


def build(ds, lang: str | None = None) -> dict[str, str]:
    """File name -> page text of the whole report, in the language of messages (``lang``
    chooses the names; it is that language unless a caller says otherwise)."""
    from educluster.assess import language as L
    from educluster import collation
    from educluster.i18n import current
    from educluster.assess.criteria import Labels, assess
    from educluster.report import pages
    from educluster.report.facts import facts

    lang = lang or current()
    prof = assess(ds, lang=lang)
    labels = Labels(ds, lang)
    fx = facts(ds, labels, lang)
    kinds = fx["kinds"]
    type_labels = {}
    for f in fx["clusters"].values():
        for t in list(f["link_types"]) + [t for _l, _r, t in f["links"] if t]:
            if t not in type_labels:
                type_labels[t] = labels.info(t)["label"]
    cores = core_members(ds)
    clusters = prof["clusters"]
    files: dict[str, str] = {}
    nums, link_of = {}, {}
    for i, c in enumerate(clusters, 1):
        f = fx["clusters"].get(c["iri"], {})
        f["core"] = cores.get(c["iri"], set())
        nums[c["iri"]] = pages.cluster_numbers(c, f, kinds, type_labels)
        link_of[c["iri"]] = f"clusters/{i}.html"
        files[f"clusters/{i}.html"] = pages.cluster_page(c, f, nums[c["iri"]], kinds, type_labels)
    # regions by their code (the file names are the same in every language), shown by label
    regions: dict[str, list] = {}
    shown: dict[str, object] = {}
    for c in clusters:
        code = c["region"] or "Region not given"
        regions.setdefault(code, []).append(c)
        shown.setdefault(code, c["region_label"] or _("Region not given"))
    reg_list = []
    used = set()
    for code in sorted(regions, key=lambda k: (collation.key(str(shown[k]), current()), k)):
        label = shown[code]
        name = f"region-{pages.slug(code)}.html"
        while name in used:
            name = name.replace(".html", "-2.html")
        used.add(name)
        reg_list.append((label, name, regions[code]))
        n = len(regions[code])
        files[name] = pages.summary(
            _("Clusters of {region}").format(region=label), regions[code], nums, link_of,
            pages.e(_("{region}: {clusters} in the data.")).format(
                region=L.name_html(label),
                clusters=pages.e(ngettext("{n} cluster", "{n} clusters", n).format(
                    n=L.number(n)))),
            heading=pages.e(_("Clusters of {region}")).format(region=L.name_html(label)))
    n, r = len(clusters), len(reg_list)
    files["index.html"] = pages.summary(
        _("Educational clusters: the national picture"), clusters, nums, link_of,
        pages.e(_("{clusters} {in_regions} in the data. Regions are read from each cluster's "
                  "{property} (the ISO 3166-2:UZ list of {file}).")).format(
            clusters=pages.e(ngettext("{n} cluster", "{n} clusters", n).format(n=L.number(n))),
            in_regions=pages.e(ngettext("in {n} region", "in {n} regions", r).format(
                n=L.number(r))),
            property="<code>ec:region</code>", file="<code>ontology/regions.ttl</code>"),
        regions=reg_list)
    return files


def core_members(ds) -> dict[str, set]:
    """Cluster IRI -> its members with the role core (drawn in the centre of the diagram)."""
    q = """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?cluster ?member WHERE {
  ?m org:role <https://w3id.org/educluster/id/role/core> ; org:organization ?cluster ; org:member ?member .
}"""
    out: dict[str, set] = {}
    for s in ds.query(q):
        out.setdefault(s["cluster"].value, set()).add(s["member"].value)
    return out


def run(args) -> int:
    """The CLI command: load the data, build every page, swap the folder in."""
    from educluster.assess.data import open_dataset
    from educluster.atomic import check_output_folder, replace_folder
    from educluster.errors import UserError

    check_output_folder(args.out)
    with open_dataset(args.data, base=args.base, max_mb=args.max_size) as ds:
        files = build(ds)
    try:
        replace_folder(args.out, files)
    except OSError as exc:
        raise UserError(_("cannot write the report: {reason}").format(
            reason=exc.strerror or exc), file=args.out) from exc
    print(ngettext("report: {n} page -> {folder}",
                   "report: {n} pages -> {folder}",
                   len(files)).format(n=len(files), folder=args.out),
          file=sys.stderr)
    return 0
