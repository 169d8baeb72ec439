"""``educluster report DATA... --out DIR``: static pages for a ministry (issue 17 section 3).

A national page, a page per region and a page per cluster: counts of clusters, members by kind
and level, links by relation type, activities by direction over time, the clusters' evidence
profiles side by side (from :mod:`educluster.assess`) and a network diagram per cluster. The
folder is built beside ``DIR`` and swapped in whole (:func:`educluster.atomic.replace_folder`).
"""

from __future__ import annotations

import sys

from educluster.i18n import _


def build(ds) -> dict[str, str]:
    """File name -> page text of the whole report."""
    from educluster.assess.criteria import Labels, assess
    from educluster.report import pages
    from educluster.report.facts import facts

    prof = assess(ds)
    labels = Labels(ds)
    fx = facts(ds, labels)
    kinds = fx["kinds"]
    type_labels = {}
    for f in fx["clusters"].values():
        for t in list(f["link_types"]) + [t for _, _, t in f["links"] if t]:
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
    regions: dict[str, list] = {}
    for c in clusters:
        regions.setdefault(c["region_label"] or "Region not given", []).append(c)
    reg_list = []
    used = set()
    for label in sorted(regions):
        code = next((c["region"] for c in regions[label] if c["region"]), label)
        name = f"region-{pages.slug(code)}.html"
        while name in used:
            name = name.replace(".html", "-2.html")
        used.add(name)
        reg_list.append((label, name, regions[label]))
        files[name] = pages.summary(
            f"Clusters of {label}", regions[label], nums, link_of,
            f"{len(regions[label])} cluster(s) of {pages.e(label)} in the data.")
    files["index.html"] = pages.summary(
        "Educational clusters: the national picture", clusters, nums, link_of,
        f"{len(clusters)} cluster(s) in {len(reg_list)} region(s) in the data. Regions are read "
        "from each cluster's ec:region (the ISO 3166-2:UZ list of ontology/regions.ttl).",
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
    print(f"report: {len(files)} pages -> {args.out}", file=sys.stderr)
    return 0
