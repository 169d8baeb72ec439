"""The hand-written pages (``site/docs/*.md``) in each language of the site (decision 0032).

A translator keeps a translated copy of a page under ``site/docs/<lang>/`` (``ru/``, ``uz/``),
with the same headings (their anchors the English ones, ``{#where-to-start}``), links and code
as the English page (``tests/test_site_handwritten.py`` holds them to it). Uzbek Cyrillic is the
Uzbek Latin copy transliterated (one place per fact), its code, link addresses, HTML and
attribute lists untouched; a copy in ``site/docs/uz-Cyrl/`` would take precedence. A page
without a translation is the English one, with a note in the page's language that it is in
English only and its text marked ``lang="en"`` (``site/overrides/main.html``).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from educluster import i18n
from educluster.site import escape

#: the language whose copy a language's page is transliterated from, where it has none itself
TRANSLITERATED_FROM = {"uz-Cyrl": "uz"}


def pages(src: Path) -> list[Path]:
    """The English hand-written pages (the translations' folders are not pages of their own)."""
    return sorted(src.glob("*.md"))


def translation(src: Path, name: str, lang: str) -> tuple[str, Path] | None:
    """(Markdown, file it comes from) of the hand-written page ``name`` in ``lang``: its own
    copy, else the transliteration of the copy it is written from; None without either."""
    own = src / lang / name
    if own.is_file():
        return own.read_text(encoding="utf-8"), own
    base = TRANSLITERATED_FROM.get(lang)
    if base and (src / base / name).is_file():
        latin = src / base / name
        return markdown_to_cyrillic(latin.read_text(encoding="utf-8")), latin
    return None


# -- Markdown in Uzbek Cyrillic --------------------------------------------------------------

#: inline Markdown kept as written: code spans, an element marked lang="en" with its text,
#: HTML tags and comments, link addresses ``](...)``, attribute lists ``{#id}``, entities
_INLINE_KEEP = re.compile(r"""(`+)[\s\S]*?[^`]\1(?!`)|`+[^`]`+
    |<(?P<el>[A-Za-z][\w-]*)\b[^>]*\blang=["']en["'][^>]*>[\s\S]*?</(?P=el)>
    |<!--[\s\S]*?-->|</?[A-Za-z][^>]*>
    |\]\([^)\s]*(?:\s+"[^"]*")?\)
    |\{[:#.][^}]*\}
    |&(?:\#\d+|\#x[0-9a-fA-F]+|\w+);""", re.VERBOSE)
_FENCE = re.compile(r"\s*(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"(\s*)(?:[-*+]|\d+[.)])(\s+)")


def _blocks(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into (kept, part): front matter, fenced and indented code blocks kept (an
    indented block is one after a blank line, four columns deeper than the list item it is in)."""
    lines = text.splitlines(keepends=True)
    out: list[tuple[bool, str]] = []
    i = 0
    if lines and lines[0].strip() == "---":
        end = next((k for k in range(1, len(lines)) if lines[k].strip() in ("---", "...")), None)
        if end is not None:
            out.append((True, "".join(lines[:end + 1])))
            i = end + 1
    fence = None
    base = 0          # the content column of the list item the text is in (0: none)
    blank = True      # the previous line was blank
    code = False
    for line in lines[i:]:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if fence:
            out.append((True, line))
            if stripped.startswith(fence):
                fence = None
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
            out.append((True, line))
            continue
        if not stripped:
            out.append((code, line))
            blank = True
            continue
        if (code or blank) and indent >= base + 4:
            code = True
            out.append((True, line))
            blank = False
            continue
        code = False
        item = _LIST_ITEM.match(line)
        if item:
            base = len(item.group(0))
        elif blank and indent < base:
            base = 0
        out.append((False, line))
        blank = False
    return out


def markdown_to_cyrillic(text: str) -> str:
    """Uzbek Latin Markdown in Cyrillic (:func:`educluster.i18n.to_cyrillic` on its prose):
    front matter, code blocks and spans, HTML, link addresses, attribute lists and what is
    marked ``lang="en"`` stay as written."""
    out: list[str] = []
    run: list[str] = []

    def prose():
        chunk = "".join(run)
        run.clear()
        pos = 0
        for m in _INLINE_KEEP.finditer(chunk):
            out.append(i18n.to_cyrillic(chunk[pos:m.start()]))
            out.append(m.group(0))
            pos = m.end()
        out.append(i18n.to_cyrillic(chunk[pos:]))

    for kept, part in _blocks(text):
        if kept:
            prose()
            out.append(part)
        else:
            run.append(part)
    prose()
    return "".join(out)


# -- into the generated docs -----------------------------------------------------------------

def copy(src: Path, dest: Path, lang: str, note: str) -> set[str]:
    """Write the hand-written pages of ``lang`` and the assets into ``dest``; return their paths.

    ``note`` is "This page is in English only." in ``lang``, said first on a page without a
    translation (front matter ``ec_content_lang``/``ec_note``, site/overrides/main.html)."""
    written = set()
    for p in pages(src):
        if lang == "en":
            shutil.copy2(p, dest / p.name)
        else:
            found = translation(src, p.name, lang)
            if found is not None:
                text, origin = found
                how = " (transliterated)" if origin.parent.name != lang else ""
                source = f"site/docs/{origin.relative_to(src).as_posix()}"
                head = (f"# generated from {source}{how} by educluster site build — do not edit\n"
                        f"ec_source: {json.dumps(source)}\n")
                (dest / p.name).write_text(_with_front_matter(text, head), encoding="utf-8")
            else:
                (dest / p.name).write_text(
                    "---\nec_content_lang: en\nec_note: " + json.dumps(escape.html(note))
                    + "\n---\n\n" + p.read_text(encoding="utf-8"), encoding="utf-8")
        written.add(p.name)
    assets = src / "assets"
    if assets.is_dir():
        shutil.copytree(assets, dest / "assets")
        written.update(str(Path("assets") / f.relative_to(assets)) for f in assets.rglob("*") if f.is_file())
    return written


def _with_front_matter(text: str, line: str) -> str:
    """``text`` with ``line`` (YAML) first in its front matter (one is added where it has none:
    the page's title stays its first heading, as mkdocs reads it; mkdocs takes front matter
    without a key for text)."""
    if re.match(r"---\n[\s\S]*?\n(?:---|\.\.\.)\n", text):
        return "---\n" + line + text[4:]
    return "---\n" + line + "---\n" + text
