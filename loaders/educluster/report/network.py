"""A cluster's network as plain inline SVG: members coloured by kind, links by relation type.

Radial layout, computed here rather than with a graph library: the clusters are hubs (a core
with partners around it), so the core goes in the centre and the other members on a circle,
grouped by kind and sorted by name. Deterministic (no random seed to keep), linear in the
number of members (550 clusters draw in well under a second). With more members than
:data:`MAX_DRAWN` the diagram is left out and the page says so (the tables still list all).
"""

from __future__ import annotations

import math
from html import escape

from educluster import collation
from educluster.language import lang_attr
from educluster.assess.svg import PALETTE
from educluster.i18n import _, current, ngettext

MAX_DRAWN = 400
#: Link colours and dash patterns by relation type (dash: tells them apart without colour).
LINK_STYLE = [("#0072B2", ""), ("#D55E00", "6 3"), ("#009E73", "2 2"), ("#CC79A7", "8 2 2 2")]


def diagram(title: str, members: dict, links: list, kind_labels: dict, type_labels: dict,
            core: set[str]) -> tuple[str, list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(svg, kind legend [(colour, label)], type legend [(colour, dash, label)]); svg is ""
    when the cluster has more than MAX_DRAWN members."""
    kinds = sorted({k for _, k in members.values()},
                   key=lambda k: collation.key(str(kind_labels.get(k, k or "~")), current()))
    kcol = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(kinds)}
    types = sorted({t for _, _, t in links},
                   key=lambda t: collation.key(str(type_labels.get(t, t or "~")), current()))
    tsty = {t: LINK_STYLE[i % len(LINK_STYLE)] for i, t in enumerate(types)}
    klegend = [(kcol[k], kind_labels.get(k, _("kind not given")) if k else _("kind not given"))
               for k in kinds]
    tlegend = [(tsty[t][0], tsty[t][1],
                type_labels.get(t, _("type not given")) if t else _("type not given"))
               for t in types]
    if len(members) > MAX_DRAWN or not members:
        return "", klegend, tlegend
    size, r = 520, 220
    cx = cy = size / 2
    centre = [m for m in sorted(members) if m in core]
    ring = sorted((m for m in members if m not in core),
                  key=lambda m: (kind_labels.get(members[m][1], "~"), members[m][0], m))
    pos = {}
    for i, m in enumerate(centre):
        a = 2 * math.pi * i / max(len(centre), 1)
        pos[m] = (cx + (18 if len(centre) > 1 else 0) * math.cos(a), cy + (18 if len(centre) > 1 else 0) * math.sin(a))
    for i, m in enumerate(ring):
        a = 2 * math.pi * i / max(len(ring), 1) - math.pi / 2
        pos[m] = (cx + r * math.cos(a), cy + r * math.sin(a))
    dot = 7 if len(members) < 60 else 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {size} {size}" '
           f'width="100%" style="max-width:{size}px"><title>{escape(title)}</title>'
           f'<desc>{escape(_desc(len(members), len(links)))}</desc>']
    for a, b, t in links:
        if a in pos and b in pos:
            col, dash = tsty[t]
            (x1, y1), (x2, y2) = pos[a], pos[b]
            out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                       f'stroke="{col}" stroke-width="1"'
                       + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
    for m, (x, y) in pos.items():
        name, kind = members[m]
        rad = dot * 1.8 if m in core else dot
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rad}" fill="{kcol[kind]}" '
                   f'stroke="#fff"{lang_attr(name)}><title>{escape(name)}</title></circle>')
    out.append("</svg>")
    return "".join(out), klegend, tlegend


def _desc(members: int, links: int) -> str:
    """The diagram's description: how many members and links, where their tables are."""
    from educluster.language import number

    return _("{members} and {links}; the members by kind and the links by relation type are in "
             "the tables that follow.").format(
        members=ngettext("{n} member", "{n} members", members).format(n=number(members)),
        links=ngettext("{n} link", "{n} links", links).format(n=number(links)))
