"""Generate the site's pages: load the KB, run every page generator, write the docs folder.

The docs folder (``<work>/docs``, default ``site/docs/generated/docs``) is written
whole into a fresh sibling folder and then swapped in, so a failed generation leaves
the previous one untouched. It receives copies of the hand-written pages
(``site/docs/*.md``) and assets (``site/docs/assets/``), then the generated pages and
files. ``<work>/mkdocs.yml`` inherits ``site/mkdocs.yml`` and adds the navigation.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from educluster import atomic
from educluster.errors import UserError
from educluster.i18n import _  # the program's messages; page texts: site.lang._ (in the functions)
from educluster.site import escape, urls


@dataclass
class Options:
    site: Path                      # site/ (mkdocs.yml, docs/ with the hand-written pages)
    work: Path                      # where the generated docs and config go
    repo: Path
    ontology_dir: Path | None = None
    kb_dir: Path | None = None
    shapes_dir: Path | None = None
    cq_dir: Path | None = None
    examples_dir: Path | None = None
    releases_dir: Path | None = None  # default: releases/ in the repository
    site_url: str | None = None     # where the site is published (sitemap.xml, canonical links)
    languages: tuple = ("en", "uz", "uz-Cyrl", "ru")  # English first: the root (decision 0029)


@dataclass
class Generated:
    docs: Path
    config: Path
    pages: int
    files: int
    seconds: float
    model: object = None


def build_pages(opts: Options, lang: str = "en", model=None):
    """Load the KB (unless ``model`` is given) and run every generator in ``lang``; return the
    :class:`Pages` (nothing written)."""
    from educluster.kb import load_graph
    from educluster.site import (pages_concepts, pages_cookbook, pages_downloads, pages_example,
                                 pages_lists, pages_publish, pages_rdf, pages_scholars,
                                 pages_shapes)
    from educluster.site import lang as sitelang
    from educluster.site.model import Model
    from educluster.site.writer import Pages

    if model is None:
        model = Model(load_graph(opts.ontology_dir, opts.kb_dir))
    sitelang.use(lang)
    pages = Pages(model.in_language(lang) if model.lang != lang else model)
    pages_concepts.generate(pages)
    pages_scholars.generate(pages)
    pages_lists.generate(pages)
    pages_example.generate(pages, opts.examples_dir or opts.repo / "examples", opts.repo)
    pages_shapes.generate(pages, opts.shapes_dir or opts.repo / "shapes", opts.repo,
                         opts.examples_dir or opts.repo / "examples")
    pages_cookbook.generate(pages, opts.cq_dir or opts.repo / "ontology" / "cq", opts.repo)
    pages_downloads.generate(pages)
    pages_publish.generate(pages, opts.releases_dir or opts.repo / "releases")
    pages_rdf.generate(pages)
    sitelang.use("en")
    return pages


def build_languages(opts: Options) -> dict:
    """The pages of every language of ``opts.languages`` (English first), the KB loaded once."""
    first = build_pages(opts, opts.languages[0])
    out = {opts.languages[0]: first}
    for lang in opts.languages[1:]:
        out[lang] = build_pages(opts, lang, first.model)
    return out


def nav(pages, handwritten=frozenset()) -> list:
    """The navigation tree (titles HTML-escaped: the theme does not escape them); a page is in
    it when it was generated or is among the ``handwritten`` ones copied (how-to-read.md,
    stores.md, about.md: left out of every language's menu before, as not generated)."""
    from educluster.site import pages_concepts, pages_lists

    from educluster.site.lang import _, use

    m = pages.model
    use(m.lang)
    have = set(pages.pages) | set(handwritten)

    def entry(title: str, doc: str):
        # the theme does not escape nav titles: an English stand-in is marked lang="en" here
        shown = (f'<span lang="en">{escape.html(title)}</span>' if m.is_fallback(title)
                 else escape.html(title))
        return {shown: doc} if doc in have else None

    def section(title: str, items: list):
        items = [i for i in items if i]
        return {escape.html(title): items} if items else None

    defined = [c for c in m.classes if pages_concepts.definitions_of(m, c)]
    concepts = [entry(_("Overview and hierarchy"), "terms/index.md")]
    concepts += [entry(m.label(c), m.target(c).doc) for c in defined]
    concepts += [entry(_("Properties"), "terms/properties.md")]
    lists = [entry(_("All lists"), "lists/index.md")]
    lists += [entry(_(t), d) for d, t in pages_lists.LIST_PAGES]
    lists += [entry(_("Every list in the papers"), urls.kind_index("scheme")),
              entry(_("Definitions"), urls.kind_index("definition")),
              entry(_("Claims"), urls.kind_index("claim"))]
    out = [
        "index.md",
        entry(_("How to read this site"), "how-to-read.md"),
        section(_("Concepts"), concepts),
        section(_("Lists"), lists),
        section(_("Sources"), [entry(_("Scholars"), urls.kind_index("person")),
                               entry(_("Bibliography"), "bibliography.md")]),
        entry(_("Example cluster"), "example.md"),
        entry(_("Validate your data"), "validate.md"),
        entry(_("Query cookbook"), "cookbook.md"),
        entry(_("Triple stores"), "stores.md"),
        entry(_("Downloads"), "downloads.md"),
        entry(_("How to cite"), "how-to-cite.md"),
        entry(_("Releases and changelog"), "changelog.md"),
        entry(_("Index of everything"), "id/index.md"),
        entry(_("A–Z index"), "id/a-z.md"),
        entry(_("About"), "about.md"),
    ]
    use("en")
    return [x for x in out if x]


def write_files(root: Path, files: dict) -> None:
    for path, data in files.items():
        p = root / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def _copy_handwritten(src: Path, dest: Path, lang: str = "en") -> set[str]:
    """Copy the hand-written pages (in ``lang``: their translations, else the English page with
    a note; :mod:`educluster.site.handwritten`) and the assets."""
    from educluster.site import handwritten
    from educluster.site.lang import _, use

    use(lang)
    note = _("This page is in English only.")
    use("en")
    return handwritten.copy(src, dest, lang, note)


def footer_texts(lang: str) -> dict:
    """The footer's texts in ``lang`` (config ``extra.ec_footer``, read by
    site/overrides/partials/copyright.html): the licence sentence cut around its link."""
    from educluster.site.lang import _, use

    use(lang)
    before, _sep, after = _("Ontology and knowledge base under {licence}").partition("{licence}")
    out = {"label": _("About this site"), "before": before, "licence": _("CC BY 4.0 (About)"),
           "after": after, "read": _("How to read this site"), "cite": _("How to cite"),
           "changelog": _("Releases and changelog")}
    use("en")
    return out


def language_config(opts: Options, lang: str) -> dict:
    """The settings of ``lang``'s build: the theme's language, the search index's languages,
    the language switch (every language's folder relative to this one's), the address."""
    from educluster.site import lang as sitelang

    up = "../" * sitelang.ROOT[lang].count("/")
    langs = [x for x in sitelang.LANGUAGES if x in opts.languages]
    return {
        "theme": {"language": sitelang.THEME[lang]},
        "plugins": [{"search": {"lang": sitelang.SEARCH[lang]}}, "offline"],
        "extra": {
            # the theme shows its language menu when this is set; the links of the menu and
            # the hreflang links are the page's own in each language (overrides/main.html)
            "alternate": [{"name": sitelang.NAME[x], "lang": x,
                           "link": up + sitelang.ROOT[x]} for x in langs],
            "ec_lang": lang,
            "ec_languages": [{"name": sitelang.NAME[x], "lang": x, "root": up + sitelang.ROOT[x],
                              "folder": sitelang.ROOT[x]} for x in langs],
            "ec_site_root": opts.site_url or "",
            "ec_footer": footer_texts(lang),
        } if len(langs) > 1 else {"ec_lang": lang, "ec_footer": footer_texts(lang)},
    }


class _Slugify:
    """The toc extension's ``slugify`` of a non-English build, written into its mkdocs.yml as
    ``!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}``: Unicode anchors
    (``#подробности``), where the toc's default keeps ASCII only and gives Cyrillic headings
    ``_1``, ``_2``. English keeps the default, so its anchors do not move."""

    FUNCTION = "pymdownx.slugs.slugify"
    KWDS = {"case": "lower"}


class _Dumper(yaml.SafeDumper):
    """safe_dump plus the one tag above (safe_dump cannot write python tags)."""


_Dumper.add_representer(_Slugify, lambda d, s: d.represent_mapping(
    "tag:yaml.org,2002:python/object/apply:" + s.FUNCTION, {"kwds": dict(s.KWDS)}))


def markdown_extensions(opts: Options, lang: str) -> list | None:
    """``lang``'s markdown extensions: site/mkdocs.yml's, the toc with Unicode anchors and its
    permalinks' title in ``lang`` (mkdocs' INHERIT replaces a list, so the whole list is
    repeated); None for English (inherited)."""
    from educluster.site.lang import _, use

    if lang == "en":
        return None
    use(lang)
    title = _("Permanent link")
    use("en")
    base = yaml.safe_load((opts.site / "mkdocs.yml").read_text(encoding="utf-8"))
    out = []
    for ext in base.get("markdown_extensions") or []:
        name = ext if isinstance(ext, str) else next(iter(ext))
        if name == "toc":
            settings = dict(ext["toc"] or {}) if isinstance(ext, dict) else {}
            ext = {"toc": {**settings, "slugify": _Slugify(), "permalink_title": title}}
        out.append(ext)
    if not any((e if isinstance(e, str) else next(iter(e))) == "toc" for e in out):
        out.append({"toc": {"slugify": _Slugify(), "permalink_title": title}})
    return out


def work_dir(opts: Options, lang: str) -> Path:
    """Where ``lang``'s generated docs and mkdocs.yml go (English: the work folder itself)."""
    from educluster.site import lang as sitelang

    return opts.work / sitelang.ROOT[lang].rstrip("/") if lang != "en" else opts.work


def write(opts: Options, pages, lang: str = "en") -> Generated:
    t0 = time.perf_counter()
    work = work_dir(opts, lang)
    docs = work / "docs"
    tmp = None
    try:
        tmp = atomic.new_folder(docs)  # refuses a link or a file at docs
        hand = _copy_handwritten(opts.site / "docs", tmp, lang)
        clash = hand & (set(pages.pages) | set(pages.files))
        if clash:
            raise UserError(_("hand-written page {page} has the path of a generated one; "
                                 "rename it").format(page=sorted(clash)[0]),
                            file=opts.site / "docs" / sorted(clash)[0])
        for doc, page in pages.pages.items():
            p = tmp / doc
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(page.render(), encoding="utf-8")
        for path, data in (pages.files.items() if lang == "en" else ()):  # once, at the root
            p = tmp / path
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        old = atomic.swap_in(tmp, docs, remove_old=False)
        if old is not None:  # removing hundreds of files is slow: do it while mkdocs builds
            threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True},
                             name="remove-old-docs").start()
        config = work / "mkdocs.yml"
        cfg = {
            "INHERIT": str((opts.site / "mkdocs.yml").resolve()),
            "docs_dir": "docs",
            # <link rel="alternate describedby"> and JSON-LD in each page's <head> (pages_rdf)
            "theme": {"name": "material", "custom_dir": str((opts.site / "overrides").resolve())},
            "nav": nav(pages, hand),
        }
        lcfg = language_config(opts, lang)
        cfg["theme"].update(lcfg.pop("theme"))
        cfg.update(lcfg)
        extensions = markdown_extensions(opts, lang)
        if extensions is not None:
            cfg["markdown_extensions"] = extensions
        if opts.site_url:  # mkdocs writes sitemap.xml (and canonical links) only with a site_url
            from educluster.site import lang as sitelang

            cfg["site_url"] = opts.site_url + sitelang.ROOT[lang]
        atomic.write_atomic(config, "# generated by educluster site build — do not edit\n"
                            + yaml.dump(cfg, Dumper=_Dumper, allow_unicode=True, sort_keys=False))
    except OSError as exc:
        raise UserError(_("cannot write the generated pages: {reason}").format(
            reason=exc.strerror or exc), file=exc.filename or work) from exc
    finally:
        if tmp is not None and tmp.exists():  # a failure before the swap: no half-written docs
            shutil.rmtree(tmp, ignore_errors=True)
    return Generated(docs, config, len(pages.pages), len(pages.files),
                     time.perf_counter() - t0, pages.model)
