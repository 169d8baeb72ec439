"""The query cookbook: every competency question (``ontology/cq/*.rq``), its SPARQL with
a copy button, and its result table computed when the site is built.

The header comments of a question file (``# question:``, ``# why:``, ``# papers:``,
``# params: name=example -- description``, ``# data: FILE``; see
``ontology/cq/README.md``) are read by ``educluster query``'s own reader
(:func:`educluster.query.catalogue.load`), so the site and the command cannot read a header
differently. The query runs in pyoxigraph over the
knowledge base plus the example data its header names, with each parameter bound
to its example value. A question's, its why's and its parameters' texts are shown in the page's
language: the English header is the msgid of their entries in the gettext catalogues (a text
without an entry is shown in English, marked as a stand-in).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from educluster.kb import PREFIXES
from educluster.query import catalogue
from educluster.query.prefixes import kind_prefixes
from educluster.site import escape, urls
from educluster.site.model import Text
from educluster.site.lang import N_, _, ngettext
from educluster.site.writer import Pages

SRC = "ontology/cq/*.rq"
MAX_ROWS = 25


FAST_EXAMPLE = """\
# principles without prerequisites: the fast form ...
SELECT ?principle WHERE {
  ?principle a ec:Principle .
  MINUS { ?principle ec:hasPrerequisite ?p }
}
# ... rather than:  FILTER NOT EXISTS { ?principle ec:hasPrerequisite ?p }
"""

FAST_FORMS = N_("""\
To ask for what is *missing*, prefer `MINUS` to `FILTER NOT EXISTS` where both
say the same thing (the pattern shares a variable with the rest of the query): on a large store
`FILTER NOT EXISTS` may be evaluated once per row and, measured on a million triples, did not
finish in five minutes, while the same question with `MINUS` took a fiftieth of a second.
Bind known values with `VALUES` rather than `FILTER (?x = ...)`, and put the most selective
pattern first.
A `MINUS` pattern is evaluated once, on its own, and only then compared with the rows: it does not
see those rows, only a value bound with `--param` (not over `--endpoint`, where the value travels as
a trailing `VALUES`). Keep it small by repeating in it the pattern that ties it to the rows: "the
member has a more specific class" written as `MINUS { ?membership org:organization ?cluster ;
org:member ?member . ?member a ?sub . ?sub rdfs:subClassOf+ ?kind }` looks at one cluster's members,
not at every typed resource in the store. The repeated pattern matches every row already, so the
same rows are removed. (This, and joining the kind's label inside each `UNION` branch rather than
after the `UNION`, took the members question from 2.4 s to a few milliseconds on a million triples.)
""")

LANGUAGES = N_("""\
Labels and definitions exist in English, Uzbek (Latin and Cyrillic script) and Russian, so a
pattern such as `?x rdfs:label ?label` gives one row per language. Filter every variable bound from
`rdfs:label`, `skos:prefLabel`, `skos:altLabel` or `skos:definition` by language in the same group:
`FILTER (LANGMATCHES(LANG(?label), "en"))`, as the questions below do, or `"ru"`, or `"uz-Cyrl"`
for Uzbek in Cyrillic script; for Uzbek in Latin script write `FILTER (LANG(?label) = "uz")`
(the range `"uz"` of `LANGMATCHES` also matches `uz-Cyrl`). When the pattern is optional, put
the filter inside the `OPTIONAL { }`: a missing translation then leaves the column empty instead
of dropping the row.
""")


def _cell(page, term, m) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        node = m.node(term.value)
        if page.target(node) is not None:
            return page.hlink(node)
        return f"<code>{escape.html(m.curie(node))}</code>"
    if isinstance(term, ox.Literal):
        return escape.html(term.value)
    return escape.html(str(term))


def _table(page, header: list[str], rows: list[list[str]], total: int) -> str:
    head = "".join(f"<th>{escape.html(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    left = total - len(rows)
    more = ('<p class="ec-more-rows">' + escape.html(ngettext(
        "… and {n} more row (run the query to see them all).",
        "… and {n} more rows (run the query to see them all).", left).format(n=left))
            + "</p>") if total > len(rows) else ""
    return f'<div class="ec-results"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}</div>\n'


def _store(m, data_files: list[Path], cache: dict):
    """An in-memory store of the KB plus ``data_files`` (one per combination, per build)."""
    import pyoxigraph as ox

    key = tuple(data_files)
    if key in cache:
        return cache[key]
    store = ox.Store()
    nt = m.graph.serialize(format="nt").encode("utf-8")
    store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES)
    for f in data_files:
        fmt = ox.RdfFormat.from_extension(f.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        store.bulk_load(path=str(f), format=fmt)
    cache[key] = store
    return store


def _shown(f: Path, repo: Path) -> str:
    try:
        return f.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return f.name


def run_question(page, m, text: str, params, data_files: list[str], repo: Path, cache: dict):
    """Run one question; return (result HTML, note Markdown, short answer: "3 rows", "yes")."""
    import pyoxigraph as ox

    from educluster.errors import UserError
    from educluster.query import results as R
    from educluster.query.sparql import prepare

    broken = _("The query could not run when the site was built:")
    try:
        # the example parameters as `educluster query --param` reads and binds them: checked
        # terms passed as substitutions, never pasted into the text
        prep = prepare(text, params=[f"{name}={value}" for name, value in params])
    except UserError as exc:
        return "", f"{broken} {escape.md(exc.message)}", _("error")
    files = [repo / d for d in data_files]
    present = [f for f in files if f.is_file()]
    store = _store(m, present, cache)
    subs = {ox.Variable(name): R.to_oxigraph(term) for name, term in prep.bindings.items()}
    t0 = time.perf_counter()
    try:
        res = store.query(prep.text, substitutions=subs or None)
    except Exception as exc:  # a broken question must not break the site
        return "", f"{broken} {escape.md(str(exc))}", _("error")
    boolean = isinstance(res, (bool, getattr(ox, "QueryBoolean", bool)))
    if boolean:
        answer, yes_no = _("Answer:"), _("yes") if bool(res) else _("no")
        html = f'<p class="ec-ask">{escape.html(answer)} <strong>{escape.html(yes_no)}</strong></p>\n'
        n = 1
    elif isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = []
        n = 0
        for sol in res:
            n += 1
            if len(rows) < MAX_ROWS:
                rows.append([_cell(page, sol[v], m) for v in names])
        html = _table(page, names, rows, n) if n else '<p class="ec-empty">' + escape.html(_("No rows.")) + "</p>\n"
    else:  # triples
        rows, n = [], 0
        for t in res:
            n += 1
            if len(rows) < MAX_ROWS:
                rows.append([_cell(page, t.subject, m), _cell(page, t.predicate, m),
                             _cell(page, t.object, m)])
        html = (_table(page, [_("subject"), _("predicate"), _("object")], rows, n) if n
                else '<p class="ec-empty">' + escape.html(_("No triples.")) + "</p>\n")
    ms = (time.perf_counter() - t0) * 1000
    rows_n = ngettext("{n} row", "{n} rows", n).format(n=n)
    bits = [(_("Answer as of this build") if boolean else _("{rows} as of this build").format(rows=rows_n))
            + " (" + _("{ms} ms in pyoxigraph").format(ms=f"{ms:.0f}") + ")"]
    if params:
        bits.append(_("with") + " " + ", ".join(f"<code>?{escape.md(name)}</code> = <code>{escape.md(v)}</code>"
                                         for name, v in params))
    if present:
        bits.append(_("over the knowledge base and") + " " + ", ".join(
            f"<code>{escape.md(_shown(f, repo))}</code>" for f in present))
    missing = [f for f in files if not f.is_file()]
    if missing:
        bits.append(_("example data not found:") + " " + ", ".join(
            f"<code>{escape.md(_shown(f, repo))}</code>" for f in missing))
    short = (_("yes") if bool(res) else _("no")) if boolean else rows_n
    return html, "; ".join(bits) + ".", short


def _prefix_text() -> str:
    """The paragraph naming the prefixes every query may use without declaring them."""
    project = ", ".join(f"`{p}:`" for p in PREFIXES)
    kinds = ", ".join(f"`{k}:`" for k in kind_prefixes())
    return _("`educluster query` declares these prefixes in front of every query: {project}; and "
             "one per kind of knowledge-base item, for the IRIs `{base}<kind>/<name>`: {kinds}. The "
             "names its table prints (`person:porter`) paste back into a query as they are. "
             "Elsewhere (another SPARQL store, the downloads) declare them, e.g. "
             "`PREFIX person: <{base}person/>`.").format(project=project, kinds=kinds,
                                                        base=PREFIXES["id"])


def _english(text: str) -> Text:
    """A text of a question file's header that the catalogues lack: written in English only,
    so shown marked as an English stand-in on the other languages' pages."""
    t = Text(text)
    t.lang = "en"
    return t


def _header_text(text: str) -> Text:
    """A text of a question file's header (``# question:``, ``# why:``, a parameter's
    description) in the page's language: the English header is the msgid of its catalogue
    entry; without an entry, the English text marked as a stand-in."""
    shown = _(text) if text else text
    if shown == text:
        return _english(text)
    return Text(shown)


_QUOTED = re.compile(r'"([^"]+)"')


def _quoting_md(page, english: str) -> str:
    """A why's text for a page, escaped: in the page's language, the papers' words it quotes
    ("...") kept verbatim in English and marked ``lang="en"`` on the other languages' pages."""
    shown = _header_text(english)
    esc = page.shown(shown)
    if shown.lang == "en" or page.model.lang == "en":
        return esc
    for q in sorted(set(_QUOTED.findall(english)) & set(_QUOTED.findall(shown)), key=len,
                    reverse=True):
        quoted = escape.md(f'"{q}"')
        esc = esc.replace(quoted, f'<span lang="en">{quoted}</span>')
    return esc


def question_doc(qid: str) -> str:
    """The page of a competency question: ``cookbook/<id>.md`` (the file name without ``.rq``)."""
    return f"cookbook/{urls.safe_segment(qid)}.md"


def generate(pages: Pages, cq_dir: Path, repo: Path) -> None:
    m = pages.model
    index = pages.page("cookbook.md", _("Query cookbook"), SRC)
    files = sorted(cq_dir.glob("*.rq")) if cq_dir.is_dir() else []
    index.para(_("Every competency question the knowledge base answers: what it asks, why it "
                 "matters, its SPARQL (copy it with the button) and its answer when this site was "
                 "built. Run one yourself with `educluster query ID` (add `--param name=value` to "
                 "change the example), against a SPARQL endpoint with `--endpoint URL`, or paste "
                 "the SPARQL into any SPARQL 1.1 store loaded with the downloads."))
    index.h(2, _("Prefixes"), "prefixes")
    index.para(_prefix_text())
    index.h(2, _("Fast forms"), "fast-forms")
    index.para(_(FAST_FORMS))
    index.add(escape.fence(FAST_EXAMPLE, "sparql"))
    index.h(2, _("Labels in four languages"), "languages")
    index.para(_(LANGUAGES))
    index.h(2, _("The questions"), "questions")
    if not files:
        index.para(_("None yet: no competency questions in `ontology/cq/`."))
        return
    cache: dict = {}
    rows = ["| " + " | ".join((_("question"), _("id"), _("answer as of this build"))) + " |", "| --- | --- | --- |"]
    for f in files:
        q = catalogue.load(f)
        text = q.text()
        qid = q.id
        question = _header_text(q.question)
        page = pages.page(question_doc(qid), question, f"ontology/cq/{f.name}")
        page.para(_("Id:") + f" <code>{escape.md(qid)}</code>"
                  + " · " + _("papers:") + f" {escape.md(q.papers)}"
                  + " · " + page.link_doc("cookbook.md", _("all questions")))
        page.para("*" + _("Why:") + "* " + _quoting_md(page, q.why))
        params = []
        for p in q.params:
            params.append((p.name, p.example))
            page.para(_("Parameter") + f" <code>?{escape.md(p.name)}</code>: "
                      + page.shown(_header_text(p.description)) + " (" + _("example")
                      + f" <code>{escape.md(p.example)}</code>)")
        if "NOT EXISTS" in " ".join(text.upper().split()):
            page.para("*" + _("This question uses `FILTER NOT EXISTS`: see") + " "
                      + page.link_doc("cookbook.md", _("the fast forms"), "fast-forms") + ".*")
        page.h(2, "SPARQL", "sparql")
        page.add(escape.fence(text, "sparql"))
        cmd = f"educluster query {qid}" + "".join(f" --param {n}={v}" for n, v in params)
        page.add(escape.fence(cmd, "sh"))
        html, note, n = run_question(page, m, text, params, q.data, repo, cache)
        page.h(2, _("Answer as of this build"), "answer")
        page.para(note)
        if html:
            page.add(html)
        rows.append(f"| {index.link_doc(question_doc(qid), index.shown(question))} | "
                    f"<code>{escape.md(qid)}</code> | {escape.md(n)} |")
    index.para(ngettext("{n} question.",
                        "{n} questions.",
                        len(files)).format(n=len(files)))
    index.add("\n".join(rows) + "\n")
