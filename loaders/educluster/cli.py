"""The ``educluster`` command line program.

Start-up is fast: this module imports only the standard library and the light
modules ``educluster.errors`` and ``educluster.paths``. Each subcommand lives in its
own module (``educluster.<command>``, e.g. ``educluster.build``) exposing
``run(args: argparse.Namespace) -> int``; :func:`main` imports it only when that
command runs. Command modules must not import rdflib, pyshacl, owlready2 or
pyoxigraph at module level either (import them inside functions).

All options are declared here, in :func:`build_parser`.

Errors: a :class:`~educluster.errors.UserError` becomes one stderr line
``educluster: <file>:<line>: <message>`` and exit code 2 (or the error's
``exit_code``); any other exception becomes one line
``educluster: internal error: <type>: <message> (run with EDUCLUSTER_DEBUG=1 for a
traceback)`` and exit code 2. ``EDUCLUSTER_DEBUG=1`` prints the traceback as well.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

from educluster import __version__
from educluster.errors import UserError
from educluster.i18n import N_, _

NOT_IMPLEMENTED = N_("not implemented yet")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2), like every other educluster error."""

    def error(self, message: str):  # noqa: D401 - argparse API
        from educluster.termsafe import visible

        msg = visible(" ".join(message.split()))
        where = self.prog[len("educluster"):].strip() if self.prog.startswith("educluster") else self.prog
        prefix = f"educluster: {where}: " if where else "educluster: "
        see = _("(see '{command} --help')").format(command=self.prog)
        self.exit(2, f"{prefix}{msg} {see}\n")


def positive_number(text: str) -> float:
    """argparse type: a finite number above zero (``nan``, ``inf``, 0 and negatives refused)."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a number").format(
            value=repr(text))) from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(_("{value}: give a finite number above 0").format(
            value=repr(text)))
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a whole number").format(
            value=repr(text))) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(_("{value}: give a whole number above 0").format(
            value=repr(text)))
    return value


def _command(sub, name: str, help: str, module: str | None = None, **kw) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".", **kw)
    p.set_defaults(_module=module or f"educluster.{name}", _command=name)
    return p


def _lang_option(p: argparse.ArgumentParser) -> None:
    """``--lang``: the language of the report, the README and the column help, of a command's
    help, notes and errors. Given after the command or before it (``educluster --lang ru check``,
    the program's own ``--lang``): the subcommand's option leaves the attribute alone when absent
    (``SUPPRESS``), so the one given before the command is kept."""
    from educluster.i18n import parse_lang

    p.add_argument("--lang", type=parse_lang, default=argparse.SUPPRESS, metavar="LANG",
                   help=_("language of the texts written for people: uz (Uzbek, Latin), uz-Cyrl "
                          "(Uzbek, Cyrillic), ru (Russian) or en (English); default: from the "
                          "locale (LC_ALL, LC_MESSAGES, LANG), else en. Codes, CSV headers and "
                          "machine fields stay the same in every language"))


def _site_languages(text: str) -> tuple:
    from educluster.site.lang import parse_languages

    return parse_languages(text)


def _kb_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ontology-dir", metavar="DIR", type=Path, default=None,
                   help=_("read the ontology from DIR instead of the repository's ontology/ "
                          "(and the knowledge base from DIR/kb)"))
    p.add_argument("--kb-dir", metavar="DIR", type=Path, default=None,
                   help=_("read the knowledge base from DIR instead of <ontology-dir>/kb"))


def _input_options(p: argparse.ArgumentParser) -> None:
    """How institutional input files are read (validate and convert read them alike)."""
    p.add_argument("--base", metavar="IRI", default=None,
                   help=_("namespace for the ids of CSV/JSON rows (default: the JSON file's "
                          "\"base\", else https://example.org/educluster/)"))
    p.add_argument("--max-size", metavar="MB", type=positive_number, default=None,
                   help=_("refuse input files larger than this many megabytes (default: 10; "
                          "for validate, 512 for Turtle, N-Triples and RDF/XML, which it loads "
                          "into its fast store)"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="educluster",
        description=_("Ontology, knowledge base and tools for educational clusters."),
        epilog=_("Exit codes: 0 ok; 1 findings (check) or violations (validate); 2 error, "
                 "reported in one line on stderr. EDUCLUSTER_DEBUG=1 adds tracebacks; "
                 "EDUCLUSTER_HOME points at the repository clone."),
    )
    parser.add_argument("--version", action="version", version=f"educluster {__version__}",
                        help=_("show program's version number and exit"))
    parser.set_defaults(lang=None)
    _lang_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                parser_class=_Parser)

    p = _command(sub, "build", _("merge ontology and knowledge base; write Turtle, JSON-LD, "
                                 "RDF/XML, N-Triples and the JSON-LD context to dist/"))
    p.add_argument("--out", metavar="DIR", type=Path, default=None,
                   help=_("output folder (default: dist/ in the repository)"))
    p.add_argument("--site-url", metavar="URL", default=None,
                   help=_("where the concept site is published, for the w3id redirect rules in "
                          "dist/.htaccess (default: the placeholder in educluster.redirects)"))
    p.add_argument("--data-url", metavar="URL", default=None,
                   help=_("where dist/ is published (default: the site's downloads/ folder)"))
    _kb_options(p)
    _lang_option(p)

    p = _command(sub, "check", _("quality-check the ontology and knowledge base (parse, "
                                 "QC queries, quotes in their own paper, attribution, list "
                                 "order, numbers, meta-shapes, reasoner)"),
                 epilog=_("Each finding names the rule, the item, and the file and line where the item "
                          "is written. Exceptions, each with a reason, go in "
                          "ontology/qc/exceptions.ttl; printed reference numbers and spellings of "
                          "scholars in ontology/qc/printed-forms.ttl. Exit codes: 0 clean, 1 "
                          "findings, 2 error (e.g. a paper's text missing from the seeds folder)."))
    p.add_argument("--seeds", metavar="DIR", type=Path, default=None,
                   help=_("folder of the source papers' text for quote verification (default: "
                          "$EDUCLUSTER_SEEDS, else ../shared/seeds next to the repository); a "
                          "missing folder or paper is an error (exit 2)"))
    p.add_argument("--no-seeds", action="store_true",
                   help=_("skip the rules that read the papers (verbatim quotes, attribution, "
                          "list order); the report says so"))
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help=_("report format (default: text)"))
    p.add_argument("--output", metavar="FILE", type=Path, default=None,
                   help=_("write the report to FILE instead of standard output"))
    p.add_argument("--no-reasoner", action="store_true",
                   help=_("skip the HermiT consistency check (no Java needed)"))
    p.add_argument("--releases", metavar="DIR", type=Path, default=None,
                   help=_("the folder of releases whose latest one every released term must "
                          "stay in (default: releases/ next to the ontology folder; an empty "
                          "folder skips the rule)"))
    _kb_options(p)
    _lang_option(p)

    # --- validate / convert / template (issue 3) ---------------------------------------
    p = _command(sub, "validate", _("validate institutional data (CSV, workbooks, JSON, Turtle, "
                                    "JSON-LD) against the SHACL shapes"),
                 formatter_class=argparse.RawDescriptionHelpFormatter,
                 epilog=_("Input: the CSV files of 'educluster template' (named clusters.csv, "
                          "participants.csv,\nmemberships.csv, links.csv, units.csv, "
                          "activities.csv, events.csv, counts.csv, or ending in\n-participants.csv "
                          "etc.;\ntab-separated .tsv/.txt and UTF-16 'Unicode text' too), a "
                          "workbook (.xlsx or .ods, a sheet\nper table: 'educluster template "
                          "--xlsx'), JSON in the same layout ({\"participants\": [{...}], ...}),"
                          "\nor RDF: Turtle .ttl, JSON-LD .jsonld, N-Triples .nt, RDF/XML .rdf. All "
                          "files given are checked\ntogether, so rows may refer to rows of other "
                          "files by their id.\n\n"
                          "Start with:   educluster template my-cluster/   (blank CSV files and "
                          "a README)\nthen fill in the CSV files and run:\n"
                          "              educluster validate my-cluster/*.csv\n"
                          "Example:      educluster validate examples/tashkent/tashkent.ttl\n\n"
                          "The report lists, for each entity at fault (named by its name), what "
                          "is wrong,\nthe offending value and how to fix it (the file, line and "
                          "column for CSV).\nWarnings are tendencies worth a look; they do not "
                          "change the exit code unless\n--strict is given.\n\n"
                          "Exit codes: 0 conforms, 1 violations (or warnings with --strict), 2 "
                          "input that\ncannot be read (one line on stderr naming the file and "
                          "line)."))
    p.add_argument("files", nargs="*", metavar="FILE", help=_("data files to check together"))
    p.add_argument("--format", choices=("text", "json", "turtle", "csv", "html"),
                   default="text",
                   help=_("report format: text for people (default), json, turtle (a SHACL "
                          "sh:ValidationReport), csv (one row per finding, for a spreadsheet) or "
                          "html (one self-contained page)"))
    p.add_argument("--output", "-o", metavar="FILE", default=None,
                   help=_("write the report to FILE (atomically) instead of standard output"))
    p.add_argument("--strict", action="store_true",
                   help=_("warnings count as failures too (exit code 1)"))
    _input_options(p)
    p.add_argument("--engine", choices=("fast", "pyshacl"), default="fast",
                   help=_("SHACL engine: fast (default; the shapes compiled to SPARQL on "
                          "pyoxigraph, same results as pyshacl) or pyshacl (the reference)"))
    p.add_argument("--endpoint", metavar="URL", default=None,
                   help=_("validate the data held by this SPARQL 1.1 endpoint (its query URL, e.g. "
                          "http://127.0.0.1:7878/query) there, instead of files; the store must hold "
                          "the ontology and knowledge base ('educluster push')"))
    p.add_argument("--against", metavar="URL", default=None,
                   help=_("check the FILEs as a submission to the data held by this SPARQL "
                          "endpoint: its members may be stored participants, its ids must not "
                          "collide with stored ones; only what the FILEs add or touch is reported"))
    p.add_argument("--against-store", metavar="DIR", default=None,
                   help=_("as --against, with a local store folder (oxigraph load --location DIR)"))
    p.add_argument("--graph", metavar="IRI", action="append",
                   help=_("with --endpoint: a named graph holding data to validate (repeat; "
                          "default: every graph 'educluster push' left, or the default graph)"))
    p.add_argument("--timeout", metavar="SECONDS", type=positive_number, default=600.0,
                   help=_("with --endpoint: give up on a query after this many seconds "
                          "(default: 600)"))
    _credential_options(p)
    _lang_option(p)

    p = _command(sub, "convert", _("convert institutional CSV, workbooks and JSON to RDF (Turtle "
                                   "or JSON-LD)"),
                 epilog=_("The output format comes from --to or from the extension of OUT "
                          "(.ttl, .jsonld, .json, .nt). Data with violations is refused unless "
                          "--allow-invalid; 'educluster validate' gives the full report. Exit "
                          "codes: 0 ok, 1 violations (nothing written), 2 input that cannot be "
                          "read or output that cannot be written."))
    p.add_argument("files", nargs="+", metavar="FILE",
                   help=_("CSV files of the templates, an .xlsx or .ods workbook, JSON in the same "
                          "layout, "
                          "or RDF files"))
    p.add_argument("--output", "-o", metavar="OUT", required=True,
                   help=_("output file, written atomically ('-' for standard output)"))
    p.add_argument("--to", choices=("turtle", "ttl", "jsonld", "json-ld", "nt"), default=None,
                   help=_("output format (default: from the extension of OUT)"))
    p.add_argument("--allow-invalid", action="store_true",
                   help=_("write the output even if the data has violations (by default "
                          "convert refuses it: exit 1, nothing written)"))
    _input_options(p)
    _lang_option(p)

    p = _command(sub, "assess", _("evidence profile of each cluster in the data, read against "
                                  "the papers (criteria in ontology/assessment/*.rq)"),
                 epilog=_("Per cluster and criterion: shown / not shown in the data / not "
                          "applicable, with the evidence rows and the papers' words. "
                          "Exit codes: 0 ok, 2 bad input (one line on stderr)."))
    p.add_argument("data", metavar="DATA", nargs="+", type=Path,
                   help=_("cluster data: RDF (Turtle, N-Triples, JSON-LD, RDF/XML), CSV, JSON or xlsx"))
    p.add_argument("--format", choices=("text", "json", "html"), default="text",
                   help=_("text (default), JSON, or one self-contained HTML page"))
    p.add_argument("--output", "-o", metavar="FILE", default=None,
                   help=_("write to FILE (atomically) instead of standard output"))
    _input_options(p)
    _lang_option(p)
    p = _command(sub, "report", _("static pages for a ministry: per region and nationally, "
                                  "counts, plots, evidence profiles and network diagrams"),
                 epilog=_("Exit codes: 0 ok, 2 bad input (one line on stderr)."))
    p.add_argument("data", metavar="DATA", nargs="+", type=Path,
                   help=_("cluster data: RDF (Turtle, N-Triples, JSON-LD, RDF/XML), CSV, JSON or xlsx"))
    p.add_argument("--out", metavar="DIR", type=Path, required=True,
                   help=_("output folder, replaced as a whole (built beside it, then swapped in)"))
    _input_options(p)
    _lang_option(p)

    p = _command(sub, "template", _("write blank CSV templates (a header row and one commented "
                                    "example row each), a JSON skeleton and a README to DIR"),
                 epilog=_("Fill in the CSV files (delete the rows you do not need; lines starting "
                          "with # are comments), then run 'educluster validate DIR/*.csv'. "
                          "Exit codes: 0 ok, 2 error."))
    p.add_argument("dir", metavar="DIR", type=Path, help=_("folder to write the templates to "
                     "(created if missing)"))
    p.add_argument("--force", action="store_true",
                   help=_("overwrite template files that already exist in DIR"))
    p.add_argument("--xlsx", action="store_true",
                   help=_("write one Excel workbook, DIR/cluster.xlsx, instead: a sheet per "
                          "table, column help as comments, drop-down lists for coded columns"))
    _lang_option(p)
    p = _command(sub, "query", _("run SPARQL text, a .rq file or a competency question over "
                                 "the knowledge base (+ data) or an endpoint"),
                 formatter_class=argparse.RawDescriptionHelpFormatter,
                 epilog=_("Q is SPARQL text, a .rq file, a competency-question id or - (standard "
                          "input);\ngive it before --data. The prefixes ec:, id:, skos:, dcterms:, prov:, bibo:, foaf:, "
                          "org:, schema:, rdfs:, owl:, xsd: ...\nand one per kind of knowledge-base item "
                          "(person:, principle:, definition: ...) are\npredeclared, so the "
                          "names the table prints paste back into a query. Read-only: "
                          "updates are refused. CONSTRUCT and DESCRIBE print Turtle.\n"
                          "--param values: <iri>, prefix:name, \"text\", \"text\"@en, "
                          "\"text\"^^xsd:type, 42, 4.2, true;\nanything else is a plain "
                          "string. They are bindings, never pasted into the query text.\n"
                          "Exit codes: 0 ok, 2 error (one line on stderr)."))
    p.add_argument("query", nargs="?", metavar="Q",
                   help=_("SPARQL text, a .rq file, a question id (see --list) or -"))
    p.add_argument("--list", action="store_true",
                   help=_("list the competency questions with their text (with --format json: "
                          "every header field)"))
    p.add_argument("--data", metavar="FILE", nargs="+", action="extend", type=Path,
                   help=_("also load these RDF files (Turtle, JSON-LD, N-Triples, RDF/XML, TriG), "
                          "each into a named graph of its own"))
    p.add_argument("--endpoint", metavar="URL",
                   help=_("send the query to this SPARQL 1.1 endpoint instead (e.g. "
                          "http://127.0.0.1:7878/query from 'educluster serve')"))
    p.add_argument("--default-graph", metavar="IRI", action="append",
                   help=_("with --endpoint: query the merge of these graphs as the default graph "
                          "(SPARQL protocol default-graph-uri; repeatable)"))
    p.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table",
                   help=_("result format: an aligned table (default), SPARQL CSV, TSV or JSON. "
                          "In CSV and TSV a value starting with = + - @, a tab or a carriage "
                          "return gets a leading ' so that spreadsheet programs do not run it as "
                          "a formula (OWASP CSV injection; numbers stay as they are); JSON is "
                          "exact"))
    p.add_argument("--param", metavar="NAME=VALUE", action="append",
                   help=_("bind the query variable ?NAME to VALUE (repeatable)"))
    p.add_argument("--timeout", metavar="SECONDS", type=positive_number, default=None,
                   help=_("stop the query after this many seconds (exit code 2)"))
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help=_("embedded engine (default: oxigraph); both give the same answers"))
    p.add_argument("--allow-service", action="store_true",
                   help=_("let the embedded engine run SERVICE calls to other endpoints (off: a "
                          "query makes no outbound requests)"))
    p.add_argument("--max-rows", metavar="N", type=int, default=1_000_000,
                   help=_("stop with an error when the answer has more rows or triples than this "
                          "(default: 1000000; 0: no cap)"))
    p.add_argument("--max-reply-mb", metavar="MB", type=positive_number, default=64.0,
                   help=_("with --endpoint: stop reading an answer larger than this (default: 64)"))
    _credential_options(p)
    _kb_options(p)
    _lang_option(p)

    p = _command(sub, "serve", _("serve a read-only SPARQL endpoint on 127.0.0.1 over the "
                                 "knowledge base (+ data)"),
                 epilog=_("The ontology, the knowledge base and each --data file are named graphs "
                          "of their own; the default graph is their merge. Ctrl-C stops the "
                          "server and removes its temporary store."))
    p.add_argument("--port", metavar="N", type=int, default=7878,
                   help=_("port on 127.0.0.1 (default: 7878; 0 picks a free one)"))
    p.add_argument("--data", metavar="FILE", nargs="+", action="extend", type=Path,
                   help=_("also serve these RDF files, each in a named graph of its own"))
    p.add_argument("--timeout", metavar="SECONDS", type=positive_int, default=None,
                   help=_("the server stops any query running longer than this (default: 30) "
                          "and answers HTTP 503"))
    p.add_argument("--memory-mb", metavar="MB", type=positive_int, default=None,
                   help=_("memory the store process may use (default: half the machine's); a "
                          "query needing more stops it, and it is started again"))
    p.add_argument("--cors", metavar="ORIGIN", default=None,
                   help=_("let web pages of this one origin (e.g. http://localhost:8080) read "
                          "the answers from a browser (CORS; default: off)"))
    _kb_options(p)
    _lang_option(p)

    p = _command(sub, "push", _("load the knowledge base (+ data) into a SPARQL 1.1 Graph "
                                "Store Protocol store"),
                 epilog=_("Each graph (ontology, knowledge base, each --data file) replaces the "
                          "named graph of the same IRI in the store (HTTP PUT). Exit codes: 0 ok, "
                          "2 error (what the store answered, in one line)."))
    p.add_argument("--store", metavar="URL", required=True,
                   help=_("the store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store "
                          "(Oxigraph) or http://host:3030/DATASET/data (Fuseki)"))
    p.add_argument("--data", metavar="FILE", nargs="+", action="extend", type=Path,
                   help=_("also push these RDF files, each as a named graph of its own"))
    p.add_argument("--update", metavar="URL",
                   help=_("the store's SPARQL Update URL (e.g. http://127.0.0.1:7878/update): "
                          "upload into temporary graphs, then replace all graphs in one update "
                          "request (all or none)"))
    p.add_argument("--graph", metavar="IRI", action="append",
                   help=_("the named graph of the i-th --data file (repeat once per file; default: "
                          "https://w3id.org/educluster/graph/data/FILE-NAME, which another "
                          "institution's file of the same name would replace)"))
    _credential_options(p)
    p.add_argument("--timeout", metavar="SECONDS", type=positive_number, default=300.0,
                   help=_("give up on a request after this many seconds (default: 300)"))
    _kb_options(p)
    _lang_option(p)

    p = _command(sub, "release", _("write a dated, immutable release (releases/YYYY-MM-DD/) with its "
                                   "changelog against the previous release"),
                 epilog=_("The release's ontology header gets owl:versionIRI "
                          "https://w3id.org/educluster/ontology/DATE, owl:versionInfo DATE and "
                          "owl:priorVersion. An existing release is never replaced; a term or item "
                          "of the previous release that is gone is an error (keep it with "
                          "owl:deprecated true and dcterms:isReplacedBy). Exit codes: 0 ok, 2 error."))
    p.add_argument("--date", metavar="YYYY-MM-DD", default=None,
                   help=_("the release date, its name (default: today, UTC)"))
    p.add_argument("--releases", metavar="DIR", type=Path, default=None,
                   help=_("the folder of releases (default: releases/ in the repository)"))
    _kb_options(p)
    _lang_option(p)

    p = _command(sub, "site", _("generate and build, or serve, the concept site"))
    site_sub = p.add_subparsers(dest="site_command", metavar="SITE_COMMAND", required=True,
                                parser_class=_Parser)
    sp = site_sub.add_parser("build", help=_("generate the pages and build the site"),
                             description=_("Generate the pages from the ontology, knowledge base, "
                                           "shapes and competency questions, and build the site "
                                           "with mkdocs-material (strict) into site/build/."))
    sp.add_argument("--out", metavar="DIR", type=Path, default=None,
                    help=_("write the built site to DIR (default: site/build/)"))
    sp.add_argument("--work", metavar="DIR", type=Path, default=None,
                    help=_("write the generated pages and mkdocs config to DIR (default: "
                           "site/docs/generated/)"))
    sp.add_argument("--pages-only", action="store_true",
                    help=_("generate the pages but do not run mkdocs"))
    sp.add_argument("--site-url", metavar="URL", default=None,
                    help=_("the address the site is published at, for sitemap.xml and canonical "
                           "links (default: the address build's w3id redirect rules use)"))
    sp.add_argument("--shapes-dir", metavar="DIR", type=Path, default=None,
                    help=_("read the SHACL shapes from DIR (default: shapes/)"))
    sp.add_argument("--cq-dir", metavar="DIR", type=Path, default=None,
                    help=_("read the competency questions from DIR (default: ontology/cq/)"))
    sp.add_argument("--examples-dir", metavar="DIR", type=Path, default=None,
                    help=_("read the example cluster data from DIR (default: examples/)"))
    sp.add_argument("--languages", metavar="LANGS", default=None, type=_site_languages,
                    help=_("build these languages, comma-separated, English always (default: "
                           "en,uz,uz-Cyrl,ru; English at the root, the others under uz/, "
                           "uz-Cyrl/, ru/)"))
    _kb_options(sp)
    _lang_option(sp)
    sp = site_sub.add_parser("serve", help=_("serve the built site locally"),
                             description=_("Serve the built site on 127.0.0.1."))
    sp.add_argument("--port", metavar="N", type=int, default=8000,
                    help=_("port to listen on (default: 8000; 0 picks a free one)"))
    sp.add_argument("--dir", metavar="DIR", type=Path, default=None,
                    help=_("the built site to serve (default: site/build/)"))
    _lang_option(sp)
    # --- web (issue 15 section 2) ----------------------------------------------------------
    p = _command(sub, "web", _("serve the validation web service: an upload page, the report "
                               "with downloads and a REST API (POST /api/validate)"),
                 epilog=_("Listens on 127.0.0.1 by default; --host beyond this machine needs "
                          "--public. Uploaded files are removed after each answer unless "
                          "--keep-uploads DIR. Decision 0023 explains the limits."))
    p.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)"))
    p.add_argument("--port", type=positive_int, default=8765, help=_("port (default 8765)"))
    p.add_argument("--public", action="store_true",
                   help=_("allow a --host that other machines can reach (a warning is printed)"))
    p.add_argument("--max-upload", metavar="MB", type=positive_number, default=20.0,
                   help=_("refuse uploads larger than this many megabytes (default 20; HTTP 413)"))
    p.add_argument("--workers", type=positive_int, default=2,
                   help=_("validations run at once, each in its own process (default 2)"))
    p.add_argument("--queue", type=int, default=8,
                   help=_("validations that may wait for a worker; more get HTTP 503 (default 8)"))
    p.add_argument("--timeout", metavar="SECONDS", type=positive_number, default=120.0,
                   help=_("stop a validation after this many seconds (default 120; HTTP 504)"))
    p.add_argument("--memory-mb", metavar="MB", type=positive_number, default=2048.0,
                   help=_("address space of one validation's worker process (default 2048; "
                          "more is refused with HTTP 413)"))
    p.add_argument("--keep-uploads", metavar="DIR", type=Path, default=None,
                   help=_("copy each request's uploaded files into a new folder in DIR "
                          "(by default nothing uploaded is kept)"))
    _lang_option(p)   # the terminal notes; each page follows its own language switch

    return parser


def _credential_options(p: argparse.ArgumentParser) -> None:
    """--header and --netrc, shared by query (with --endpoint) and push."""
    p.add_argument("--header", metavar="NAME:VALUE", action="append",
                   help=_("add this HTTP header to every request (e.g. an Authorization header)"))
    p.add_argument("--netrc", metavar="FILE",
                   help=_("take the user and password for the server's host from this netrc file "
                          "(or set EDUCLUSTER_USER and EDUCLUSTER_PASSWORD, or put user:password@ "
                          "in the URL); Basic and Digest authentication are answered"))


def _prepare(args: argparse.Namespace) -> None:
    """Resolve defaults that depend on the environment (after parsing, so --help is cheap)."""
    if args.command == "check":
        from educluster import paths

        if args.no_seeds:
            args.seeds = None  # the user typed it: check says quotes are unverified
        elif args.seeds is None:
            args.seeds = paths.seeds_dir()  # None here: check asks for --seeds or --no-seeds
        elif not args.seeds.is_dir():
            raise UserError(_("--seeds: folder not found; pass the folder of the source "
                              "papers' text"), file=args.seeds)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        module = importlib.import_module(args._module)
    except ModuleNotFoundError as exc:
        if exc.name == args._module:
            raise UserError(f"{args.command}: {_(NOT_IMPLEMENTED)}") from exc
        raise
    code = module.run(args)
    return 0 if code is None else int(code)


def _one_line(text: str) -> str:
    """``text`` on one line, its control characters made visible."""
    from educluster.termsafe import visible

    return visible(" ".join(str(text).split()))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; return the exit code (the console script exits with it)."""
    debug = os.environ.get("EDUCLUSTER_DEBUG", "") not in ("", "0")
    try:
        from educluster.i18n import install_argparse, language_in_argv, set_language

        # help, argparse's words and errors speak --lang (or the locale's language) before
        # the arguments are parsed; the parsed --lang then decides for the command itself
        set_language(language_in_argv(sys.argv[1:] if argv is None else argv))
        install_argparse()
        args = build_parser().parse_args(argv)
        if hasattr(args, "lang"):
            args.lang = set_language(args.lang)
        _prepare(args)
        return _dispatch(args)
    except UserError as exc:
        if debug:
            traceback.print_exc()
        print("\n".join(exc.lines()), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("educluster: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `educluster query ... | head`): not an error
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that reports the unexpected
        if debug:
            traceback.print_exc()
        msg = _one_line(exc) or "(no message)"
        print(f"educluster: internal error: {type(exc).__name__}: {msg} "
              "(run with EDUCLUSTER_DEBUG=1 for a traceback)", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
