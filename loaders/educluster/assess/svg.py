"""Plain inline SVG bar charts for the profile page and the report (no library, no requests).

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` in the page's
language, and every caller prints the same numbers in a table next to it; every string is
escaped, and a name in another language than the page's is marked with its ``lang``.
"""

from __future__ import annotations

from html import escape

from educluster.assess import language as L
from educluster.language import lang_attr, number
from educluster.i18n import _

#: Colours that keep 3:1 contrast on white and stay apart for common colour blindness
#: (Okabe-Ito palette).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"]


def bars(title: str, categories: list[str], series: dict[str, list[float]],
         width: int = 640, height: int = 240) -> str:
    """A grouped bar chart: one group per category, one bar per series (with a legend)."""
    names = list(series)
    top = max([v for vals in series.values() for v in vals] + [1])
    left, bottom, right, head = 48, 40, 12, 16 + 16 * ((len(names) + 2) // 3)
    plot_w, plot_h = width - left - right, height - bottom - head
    n = max(len(categories), 1)
    group = plot_w / n
    bar = max(group * 0.8 / max(len(names), 1), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" style="max-width:{width}px" font-family="DejaVu Sans, sans-serif" '
             f'font-size="11"><title>{escape(title)}</title>'
             + L.el("desc", _("{title}; the numbers are in the table that follows.").format(
                 title=title))]
    for k, name in enumerate(names):
        x, y = left + (k % 3) * (plot_w / 3), 12 + 16 * (k // 3)
        parts.append(f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" '
                     f'fill="{PALETTE[k % len(PALETTE)]}"/><text x="{x + 14:.1f}" y="{y}"{lang_attr(name)}>'
                     f'{escape(name)}</text>')
    base = head + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#333"/>')
    for frac in (0.5, 1.0):
        y = base - plot_h * frac
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{_num(top * frac)}</text><line x1="{left}" y1="{y:.1f}" '
                     f'x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
    for i, cat in enumerate(categories):
        gx = left + i * group + group * 0.1
        for k, name in enumerate(names):
            v = series[name][i]
            h = plot_h * v / top
            parts.append(f'<rect x="{gx + k * bar:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{PALETTE[k % len(PALETTE)]}"/>')
        if n <= 16 or i % ((n + 15) // 16) == 0:
            parts.append(f'<text x="{left + i * group + group / 2:.1f}" y="{base + 14}" '
                         f'text-anchor="middle"{lang_attr(cat)}>{escape(_fit(str(cat), group))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _fit(label: str, room: float) -> str:
    """``label`` cut to the width of its group (about 6.5 px a character at 11 px)."""
    n = max(int(room / 6.5), 3)
    return label if len(label) <= n else label[:n - 1] + "…"


def _num(v: float) -> str:
    """An axis number as the page's language writes it (one decimal at most)."""
    return number(int(v) if float(v).is_integer() else round(v, 1))
