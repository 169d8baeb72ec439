"""``educluster site``: generate the concept site and build it; serve the built site.

``site build`` loads the ontology and knowledge base, generates a Markdown page per
concept, list, scholar, work, shape and competency question (see the ``pages_*``
modules), writes them with copies of the hand-written pages to
``site/docs/generated/docs`` and builds the site with mkdocs-material
(``mkdocs build --strict``) into ``site/build``; then checks every internal link and
that nothing is loaded from outside the site. ``site serve`` serves the built site on
127.0.0.1. Decision record: ``site/docs/decisions/0005-concept-site-generation.md``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from educluster import paths
from educluster.i18n import _, ngettext


def options(args):
    from educluster.site.generate import Options

    site = paths.site_dir()
    return Options(
        site=site,
        work=Path(args.work) if getattr(args, "work", None) else site / "docs" / "generated",
        repo=paths.repo_root(),
        ontology_dir=getattr(args, "ontology_dir", None),
        kb_dir=getattr(args, "kb_dir", None),
        shapes_dir=getattr(args, "shapes_dir", None),
        cq_dir=getattr(args, "cq_dir", None),
        examples_dir=getattr(args, "examples_dir", None),
        site_url=_site_url(args),
        **({"languages": args.languages} if getattr(args, "languages", None) else {}),
    )


def _site_url(args) -> str:
    """The published site's address: ``--site-url``, else the one the w3id redirect rules
    send readers to (``educluster.redirects.DEFAULT_SITE_URL``), so the two agree."""
    from educluster.redirects import DEFAULT_SITE_URL

    url = getattr(args, "site_url", None) or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def build(args) -> int:
    from educluster.errors import display_path
    from educluster.site import generate, mkdocs_build
    from educluster.site import lang as sitelang

    t0 = time.perf_counter()
    opts = options(args)
    by_lang = generate.build_languages(opts)
    gens = {lang: generate.write(opts, p, lang) for lang, p in by_lang.items()}
    pages, gen = by_lang[opts.languages[0]], gens[opts.languages[0]]
    t_gen = time.perf_counter() - t0

    def late() -> dict:
        files: dict = {}
        for produce in pages.late:
            files.update(produce())
        return files

    if getattr(args, "pages_only", False):
        generate.write_files(gen.docs, late())
        print(ngettext("generated {pages} pages and {files} files in {folder} in {n} language "
                       "({seconds} s)",
                       "generated {pages} pages and {files} files in {folder} in {n} languages "
                       "({seconds} s)", len(gens)).format(
            pages=gen.pages, files=gen.files, folder=display_path(gen.docs), n=len(gens),
            seconds=f"{t_gen:.1f}"))
        return 0
    out = Path(args.out) if getattr(args, "out", None) else paths.site_dir() / "build"
    t_mk, report = mkdocs_build.build({sitelang.ROOT[lang]: g.config for lang, g in gens.items()},
                                      out, late)
    total = time.perf_counter() - t0
    print(ngettext("built {pages} pages ({generated} generated) in {n} language ({langs}) into "
                   "{folder} in {seconds} s (generate {gen_seconds} s, mkdocs {mk_seconds} s); "
                   "{links} internal links checked, none broken, no outside resources",
                   "built {pages} pages ({generated} generated) in {n} languages ({langs}) into "
                   "{folder} in {seconds} s (generate {gen_seconds} s, mkdocs {mk_seconds} s); "
                   "{links} internal links checked, none broken, no outside resources",
                   len(gens)).format(
        pages=report.pages, generated=gen.pages, n=len(gens), langs=", ".join(gens),
        folder=display_path(out) + "/", seconds=f"{total:.1f}", gen_seconds=f"{t_gen:.1f}",
        mk_seconds=f"{t_mk:.1f}", links=report.links))
    return 0


def run(args) -> int:
    if args.site_command == "build":
        return build(args)
    if args.site_command == "serve":
        from educluster.site.serve import serve

        return serve(args)
    print("educluster site: " + _("unknown command {command}").format(
        command=args.site_command), file=sys.stderr)
    return 2
