"""Check a built site: every internal link and resource resolves, nothing loads from outside.

Runs after ``mkdocs build``: mkdocs validates the Markdown links, this also covers the
links in raw HTML and SVG (definition cards, diagrams, result tables) and the theme's
own resources. A link with a fragment must land on an element with that ``id``.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

_ATTR = re.compile(r"""<(a|link|script|img|source|iframe|use|image)\b[^>]*?\s(href|src|xlink:href)\s*=\s*("([^"]*)"|'([^']*)')""",
                   re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"""\sid\s*=\s*("([^"]*)"|'([^']*)')""")
_CSS_URL = re.compile(r"""url\(\s*['"]?(https?:)?//""")


@dataclass
class Report:
    pages: int = 0
    links: int = 0
    broken: list[tuple[str, str]] = field(default_factory=list)    # (page, link)
    outside: list[tuple[str, str]] = field(default_factory=list)   # (page, resource URL)


_NAMING_REL = re.compile(r"""\srel\s*=\s*["']?canonical\b""", re.IGNORECASE)


def _names_only(text: str, start: int) -> bool:
    """Whether the tag at ``start`` only names an address (``<link rel="canonical">``, which the
    sitemap's site_url brings) rather than loading it: a browser never requests it."""
    end = text.find(">", start)
    return bool(_NAMING_REL.search(text[start:end if end != -1 else len(text)]))


def _ids(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        text = path.read_text(encoding="utf-8", errors="replace")
        cache[path] = {html.unescape(m.group(2) or m.group(3) or "") for m in _ID.finditer(text)}
    return cache[path]


def check(site: Path) -> Report:
    rep = Report()
    ids: dict = {}
    for f in sorted(site.rglob("*.html")):
        rep.pages += 1
        rel_page = f.relative_to(site).as_posix()
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in _ATTR.finditer(text):
            tag = m.group(1).lower()
            raw = html.unescape(m.group(4) if m.group(4) is not None else m.group(5) or "")
            parts = urlsplit(raw)
            if parts.scheme or raw.startswith("//"):
                if tag != "a" and parts.scheme in ("http", "https", "") \
                        and not _names_only(text, m.start()):
                    rep.outside.append((rel_page, raw))
                continue
            rep.links += 1
            if not parts.path:
                target = f
            else:
                path = unquote(parts.path)
                base = "" if path.startswith("/") else posixpath.dirname(rel_page)
                joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
                if joined.startswith(".."):
                    rep.broken.append((rel_page, raw))
                    continue
                target = site / joined
                if target.is_dir():
                    target = target / "index.html"
            if not target.is_file():
                rep.broken.append((rel_page, raw))
                continue
            frag = unquote(parts.fragment)
            if frag and target.suffix == ".html" and frag not in _ids(target, ids):
                rep.broken.append((rel_page, raw))
    for f in sorted(site.rglob("*.css")):
        if _CSS_URL.search(f.read_text(encoding="utf-8", errors="replace")):
            rep.outside.append((f.relative_to(site).as_posix(), "url(//...) in CSS"))
    return rep
