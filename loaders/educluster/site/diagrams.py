"""Diagrams rendered at build time to inline SVG, with our own small layouts.

No diagram library and no script run in the reader's browser: each function here
returns one ``<div class="ec-diagram">`` block holding an ``<svg>`` whose nodes are
links to their pages. Colours come from CSS classes (``assets/extra.css``), so the
diagrams follow the light and dark schemes. Every label is escaped; a long label is
wrapped and shortened, and its full text is the node's tooltip (``<title>``).

Accessibility: the ``<svg>`` is a named group (not ``role="img"``, whose children are
hidden from screen readers although they are links), and a ``<details>`` list after it
holds the same links as text (every one, also those a crowded diagram leaves out under
"+N more"). Each diagram's arrow marker has its own id (a hash of the diagram), so
several diagrams on one page never repeat an id.

Layouts:

* :func:`neighbourhood` -- what points to a node (left), the node (middle), what it
  points to (right), edges labelled with the property.
* :func:`tree` -- a left-to-right layered tree (x = depth, leaves stacked, a parent
  centred on its children); extra parents of a node are drawn as dashed edges.
* :func:`chain` -- boxes in a row-wrapped sequence joined by arrows.
* :func:`star` -- a centre with the other nodes on a circle around it, edges from
  the centre labelled (roles), and extra edges between the outer nodes.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from educluster.site.escape import attr, html
from educluster.site.lang import _, ngettext

CHAR_W = 7.0      # average width of a 12px sans-serif character (DejaVu Sans is wide)
LINE_H = 15       # line height of node text
PAD_X = 8
PAD_Y = 6
MAX_SIDE = 12     # at most this many nodes per side in a neighbourhood diagram


@dataclass
class Node:
    """A box: label, link (relative URL or None), CSS class, and its layout."""

    label: str
    href: str | None = None
    css: str = "ec-node"
    max_chars: int = 28
    max_lines: int = 2
    x: float = 0.0
    y: float = 0.0
    lines: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.lines = wrap(self.label, self.max_chars, self.max_lines)

    @property
    def w(self) -> float:
        return max(len(line) for line in self.lines) * CHAR_W + 2 * PAD_X

    @property
    def h(self) -> float:
        return len(self.lines) * LINE_H + 2 * PAD_Y


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines of ``width`` characters."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    cur = ""
    for w in words:
        while len(w) > width:  # a very long word: cut it
            if cur:
                lines.append(cur)
                cur = ""
            lines.append(w[:width])
            w = w[width:]
        if not cur:
            cur = w
        elif len(cur) + 1 + len(w) <= width:
            cur += " " + w
        else:
            lines.append(cur)
            cur = w
    if cur or not lines:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
    return lines


def _node_svg(n: Node) -> str:
    x0, y0 = n.x - n.w / 2, n.y - n.h / 2
    text = "".join(
        f'<tspan x="{n.x:.1f}" y="{y0 + PAD_Y + (i + 0.78) * LINE_H:.1f}">{html(line)}</tspan>'
        for i, line in enumerate(n.lines))
    body = (f'<title>{html(n.label)}</title>'
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{n.w:.1f}" height="{n.h:.1f}" rx="4"/>'
            f'<text text-anchor="middle">{text}</text>')
    g = f'<g class="node {attr(n.css)}">{body}</g>'
    if n.href:
        return f'<a href="{attr(n.href)}">{g}</a>'
    return g


ARROW = "url(#ec-arrow)"  # replaced by the diagram's own marker id in _svg


def _edge_svg(x1, y1, x2, y2, label: str = "", css: str = "ec-edge", label_at: float = 0.5) -> str:
    """A line with an arrowhead, and its label (shortened; the full label is its tooltip)."""
    out = f'<line class="{attr(css)}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" marker-end="{ARROW}"/>'
    if label:
        lx = x1 + (x2 - x1) * label_at
        ly = y1 + (y2 - y1) * label_at - 4
        short = label if len(label) <= 30 else label[:29] + "…"
        out += (f'<text class="ec-edge-label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle">'
                f'<title>{html(label)}</title>{html(short)}</text>')
    return out


def _svg(width: float, height: float, body: list[str], title: str, css: str = "",
         links: list[tuple[str, str, str]] | None = None) -> str:
    """The diagram block: the SVG (a named group) and its links as a text list.

    ``links`` are (text before, label, href) rows for the list; None lists the linked
    nodes found in ``body`` in drawing order.
    """
    inner = "".join(body)
    uid = "ec-arrow-" + hashlib.sha1((title + inner).encode()).hexdigest()[:10]
    inner = inner.replace(ARROW, f"url(#{uid})")
    defs = (f'<defs><marker id="{uid}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            'class="ec-arrowhead"/></marker></defs>')
    w, h = math.ceil(width), math.ceil(height)
    listing = _link_list(links, uid.replace("ec-arrow-", "ec-links-"))
    return (f'<div class="ec-diagram {attr(css)}" data-search-exclude>'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
            f'style="max-width:100%;height:auto" role="group" aria-label="{attr(title)}">'
            f'<title>{html(title)}</title>{defs}{inner}</svg>{listing}</div>')


def _lang_of(label) -> str:
    """' lang="en"' for an English label standing in for a missing translation on a page in
    another language (a :class:`~educluster.site.model.Text` knows its language), else ""."""
    from educluster.site import lang as sitelang

    return ' lang="en"' if sitelang.current() != "en" and getattr(label, "lang", None) == "en" else ""


def _link_list(links: list[tuple[str, str, str]] | None, list_id: str) -> str:
    """The diagram's links as a collapsible list (its text equivalent), or "" if it has none."""
    if not links:
        return ""
    items = "".join(f'<li>{html(before)}<a href="{attr(href)}"{_lang_of(label)}>{html(label)}</a></li>'
                    for before, label, href in links)
    n = len(links)
    what = _("The diagram as a list") + " (" + ngettext("{n} link", "{n} links", n).format(n=n) + ")"
    return (f'<details class="ec-diagram-links" id="{list_id}"><summary>{html(what)}</summary>'
            f'<ul>{items}</ul></details>')


def _links_of(nodes: list[Node]) -> list[tuple[str, str, str]]:
    """(\"\", label, href) for every node with a link, each once, in the given order."""
    seen, out = set(), []
    for n in nodes:
        if n.href and (n.label, n.href) not in seen:
            seen.add((n.label, n.href))
            out.append(("", n.label, n.href))
    return out


def _edge_end(a: Node, b: Node) -> tuple[float, float, float, float]:
    """A line from the border of box ``a`` to the border of box ``b`` (centre to centre, clipped)."""
    def clip(n: Node, tx: float, ty: float):
        dx, dy = tx - n.x, ty - n.y
        if dx == 0 and dy == 0:
            return n.x, n.y
        sx = (n.w / 2) / abs(dx) if dx else math.inf
        sy = (n.h / 2) / abs(dy) if dy else math.inf
        s = min(sx, sy)
        return n.x + dx * s, n.y + dy * s
    x1, y1 = clip(a, b.x, b.y)
    x2, y2 = clip(b, a.x, a.y)
    return x1, y1, x2, y2


def neighbourhood(center: Node, left: list[tuple[str, Node]], right: list[tuple[str, Node]],
                  title: str) -> str:
    """``left`` nodes point to ``center``; ``center`` points to ``right`` nodes (edge labels)."""
    links = [(_("{relation} from:").format(relation=label) + " " if label else "", n.label, n.href)
             for label, n in left if n.href]
    links += [(f"{label}: " if label else "", n.label, n.href) for label, n in right if n.href]
    more_href = "#MORE"  # the list's id is known once the diagram is drawn

    def cap(items):
        if len(items) <= MAX_SIDE:
            return items
        more = len(items) - (MAX_SIDE - 1)
        return items[: MAX_SIDE - 1] + [("", Node(_("+{n} more (in the list below)").format(n=more), more_href,
                                                  "ec-more"))]
    left, right = cap(left), cap(right)
    center.css += " ec-center"
    gap_y = 10
    col_w = 220
    gap_x = 170
    def stack_h(items):
        return sum(n.h for _, n in items) + gap_y * max(0, len(items) - 1)
    height = max(stack_h(left), stack_h(right), center.h) + 30
    xl = 10 + col_w / 2
    xc = xl + col_w / 2 + gap_x + col_w / 2 if left else 10 + col_w / 2
    xr = xc + col_w / 2 + gap_x + col_w / 2
    width = (xr + col_w / 2 + 10) if right else (xc + col_w / 2 + 10)
    center.x, center.y = xc, height / 2
    body: list[str] = []
    for items, x, incoming in ((left, xl, True), (right, xr, False)):
        y = (height - stack_h(items)) / 2
        for label, n in items:
            n.x, n.y = x, y + n.h / 2
            y += n.h + gap_y
            if incoming:
                body.append(_edge_svg(*_edge_end(n, center), label, label_at=0.45))
            else:
                body.append(_edge_svg(*_edge_end(center, n), label, label_at=0.55))
    nodes = [center] + [n for _, n in left] + [n for _, n in right]
    body += [_node_svg(n) for n in nodes]
    out = _svg(width, height, body, title, "ec-neighbourhood", links)
    if more_href in out:
        list_id = out.split('class="ec-diagram-links" id="', 1)[1].split('"', 1)[0]
        out = out.replace(f'href="{more_href}"', f'href="#{list_id}"')
    return out


def tree(roots: list, children, make_node, title: str, extra_parents=None) -> str:
    """A layered left-to-right tree.

    ``children(x)`` lists the children of ``x``; ``make_node(x)`` gives its :class:`Node`;
    ``extra_parents(x)`` (optional) lists further parents drawn as dashed edges.
    Each item is placed once (the first time it is reached).
    """
    placed: dict = {}
    order: list = []
    depth: dict = {}
    kids: dict = {}

    def visit(x, d):
        placed[x] = make_node(x)
        depth[x] = d
        order.append(x)
        kids[x] = []
        for c in children(x):
            if c not in placed:
                kids[x].append(c)
                visit(c, d + 1)

    for r in roots:
        if r not in placed:
            visit(r, 0)
    if not placed:
        return ""
    col_w = max(n.w for n in placed.values()) + 60
    gap_y = 8
    y_cursor = [10.0]

    def layout(x):
        n = placed[x]
        n.x = 10 + depth[x] * col_w + n.w / 2
        if not kids[x]:
            n.y = y_cursor[0] + n.h / 2
            y_cursor[0] += n.h + gap_y
        else:
            for c in kids[x]:
                layout(c)
            ys = [placed[c].y for c in kids[x]]
            n.y = (min(ys) + max(ys)) / 2

    for r in roots:
        if r in placed and depth[r] == 0 and r in kids:
            layout(r)
    body: list[str] = []
    for x in order:
        for c in kids[x]:
            a, b = placed[x], placed[c]
            body.append(_elbow(a, b, "ec-edge"))
        if extra_parents:
            for p in extra_parents(x):
                if p in placed and x not in kids.get(p, []):
                    body.append(_elbow(placed[p], placed[x], "ec-edge ec-extra"))
    body += [_node_svg(placed[x]) for x in order]
    width = max(n.x + n.w / 2 for n in placed.values()) + 10
    height = y_cursor[0] + 2
    return _svg(width, height, body, title, "ec-tree", _links_of([placed[x] for x in order]))


def _elbow(a: Node, b: Node, css: str) -> str:
    x1, y1 = a.x + a.w / 2, a.y
    x2, y2 = b.x - b.w / 2, b.y
    mx = x1 + 20 if x2 > x1 + 20 else (x1 + x2) / 2
    return (f'<path class="{attr(css)}" d="M{x1:.1f},{y1:.1f} H{mx:.1f} V{y2:.1f} H{x2:.1f}" '
            f'fill="none" marker-end="{ARROW}"/>')


def chain(nodes: list[Node], title: str, per_row: int = 3) -> str:
    """Boxes in reading order, ``per_row`` to a row, each joined to the next by an arrow."""
    if not nodes:
        return ""
    for n in nodes:
        n.max_chars, n.max_lines = 26, 3
        n.lines = wrap(n.label, 26, 3)
    cell_w = max(n.w for n in nodes) + 60
    row_h = max(n.h for n in nodes) + 40
    body: list[str] = []
    for i, n in enumerate(nodes):
        row, col = divmod(i, per_row)
        n.x = 10 + col * cell_w + cell_w / 2 - 30
        n.y = 10 + row * row_h + row_h / 2 - 20
    for a, b in zip(nodes, nodes[1:]):
        body.append(_edge_svg(*_edge_end(a, b)))
    body += [_node_svg(n) for n in nodes]
    cols = min(per_row, len(nodes))
    rows = (len(nodes) + per_row - 1) // per_row
    return _svg(cols * cell_w - 40, rows * row_h - 20, body, title, "ec-chain", _links_of(nodes))


def star(center: Node, spokes: list[tuple[str, Node]], links: list[tuple[int, int, str]],
         title: str) -> str:
    """``center`` with ``spokes`` (edge label, node) on a circle; ``links`` join spokes i, j."""
    center.css += " ec-center"
    n = len(spokes)
    widest = max([s.w for _, s in spokes] + [center.w])
    tallest = max([s.h for _, s in spokes] + [center.h])
    radius = max(160.0, (n * (tallest + 24)) / (2 * math.pi) * 1.6, widest * 0.9 if n > 2 else 0)
    rx, ry = radius + widest * 0.35, radius
    cx, cy = 10 + rx + widest / 2, 10 + ry + tallest / 2
    center.x, center.y = cx, cy
    body: list[str] = []
    for i, (_, s) in enumerate(spokes):
        ang = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        s.x, s.y = cx + rx * math.cos(ang), cy + ry * math.sin(ang)
    for i, j, label in links:
        if 0 <= i < n and 0 <= j < n:
            body.append(_edge_svg(*_edge_end(spokes[i][1], spokes[j][1]), label, "ec-edge ec-link"))
    for label, s in spokes:
        body.append(_edge_svg(*_edge_end(center, s), label, label_at=0.6))
    body += [_node_svg(center)] + [_node_svg(s) for _, s in spokes]
    links = _links_of([center]) + [(f"{label}: " if label else "", s.label, s.href)
                                   for label, s in spokes if s.href]
    return _svg(2 * cx, 2 * cy, body, title, "ec-star", links)
