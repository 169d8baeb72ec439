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

from educluster import atomic
from educluster.errors import UserError
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


@dataclass
class Generated:
    docs: Path
    config: Path
    pages: int
    files: int
    seconds: float
    model: object = None


def build_pages(opts: Options):
    """Load the KB and run every generator; return the :class:`Pages` (nothing written)."""
    from educluster.kb import load_graph
    from educluster.site import (pages_concepts, pages_cookbook, pages_downloads, pages_example,
                                 pages_lists, pages_publish, pages_rdf, pages_scholars,
                                 pages_shapes)
    from educluster.site.model import Model
    from educluster.site.writer import Pages

    graph = load_graph(opts.ontology_dir, opts.kb_dir)
    pages = Pages(Model(graph))
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
    return pages


def nav(pages) -> list:
    """The navigation tree (titles HTML-escaped: the theme does not escape them)."""
    from educluster.site import pages_concepts, pages_lists

    m = pages.model
    have = set(pages.pages)

    def entry(title: str, doc: str):
        return {escape.html(title): doc} if doc in have else None

    def section(title: str, items: list):
        items = [i for i in items if i]
        return {escape.html(title): items} if items else None

    defined = [c for c in m.classes if pages_concepts.definitions_of(m, c)]
    concepts = [entry("Overview and hierarchy", "terms/index.md")]
    concepts += [entry(m.label(c), m.target(c).doc) for c in defined]
    concepts += [entry("Properties", "terms/properties.md")]
    lists = [entry("All lists", "lists/index.md")]
    lists += [entry(t, d) for d, t in pages_lists.LIST_PAGES]
    lists += [entry("Every list in the papers", urls.kind_index("scheme")),
              entry("Definitions", urls.kind_index("definition")),
              entry("Claims", urls.kind_index("claim"))]
    out = [
        "index.md",
        entry("How to read this site", "how-to-read.md"),
        section("Concepts", concepts),
        section("Lists", lists),
        section("Sources", [entry("Scholars", urls.kind_index("person")),
                            entry("Bibliography", "bibliography.md")]),
        entry("Example cluster", "example.md"),
        entry("Validate your data", "validate.md"),
        entry("Query cookbook", "cookbook.md"),
        entry("Triple stores", "stores.md"),
        entry("Downloads", "downloads.md"),
        entry("How to cite", "how-to-cite.md"),
        entry("Releases and changelog", "changelog.md"),
        entry("Index of everything", "id/index.md"),
        entry("A–Z index", "id/a-z.md"),
        entry("About", "about.md"),
    ]
    return [x for x in out if x]


def write_files(root: Path, files: dict) -> None:
    for path, data in files.items():
        p = root / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def _copy_handwritten(src: Path, dest: Path) -> set[str]:
    written = set()
    for p in sorted(src.glob("*.md")):
        shutil.copy2(p, dest / p.name)
        written.add(p.name)
    assets = src / "assets"
    if assets.is_dir():
        shutil.copytree(assets, dest / "assets")
        written.update(str(Path("assets") / f.relative_to(assets)) for f in assets.rglob("*") if f.is_file())
    return written


def write(opts: Options, pages) -> Generated:
    import yaml

    t0 = time.perf_counter()
    work = opts.work
    docs = work / "docs"
    tmp = None
    try:
        tmp = atomic.new_folder(docs)  # refuses a link or a file at docs
        hand = _copy_handwritten(opts.site / "docs", tmp)
        clash = hand & (set(pages.pages) | set(pages.files))
        if clash:
            raise UserError(f"hand-written page {sorted(clash)[0]} has the path of a generated one; "
                            "rename it", file=opts.site / "docs" / sorted(clash)[0])
        for doc, page in pages.pages.items():
            p = tmp / doc
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(page.render(), encoding="utf-8")
        for path, data in pages.files.items():
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
            "nav": nav(pages),
        }
        if opts.site_url:  # mkdocs writes sitemap.xml (and canonical links) only with a site_url
            cfg["site_url"] = opts.site_url
        atomic.write_atomic(config, "# generated by educluster site build — do not edit\n"
                            + yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False))
    except OSError as exc:
        raise UserError(f"cannot write the generated pages: {exc.strerror or exc}",
                        file=exc.filename or work) from exc
    finally:
        if tmp is not None and tmp.exists():  # a failure before the swap: no half-written docs
            shutil.rmtree(tmp, ignore_errors=True)
    return Generated(docs, config, len(pages.pages), len(pages.files),
                     time.perf_counter() - t0, pages.model)
