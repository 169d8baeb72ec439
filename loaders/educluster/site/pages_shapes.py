"""Validate your data: generated from the SHACL shapes (``shapes/*.ttl``), per kind of entity.

For each target class: what the shapes ask (fields, required or optional, how many,
allowed values, the message ``educluster validate`` prints when a rule is broken),
the recommendations (warning shapes), the CSV template of that kind of entity (from
:mod:`educluster.convert.layout`, when present) with a valid sample row taken from the
example data, and invalid samples from ``tests/data/invalid`` with the report
``educluster validate`` gives for them, when those fixtures exist.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from educluster import collation
from educluster.site import common, escape, urls
from educluster.site import model as M
from educluster.site import lang as sitelang
from educluster.site.lang import N_, _, ngettext
from educluster.site.writer import Page, Pages

SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SRC = "shapes/*.ttl"

DATATYPES = {
    "string": N_("text"), "date": N_("a date, YYYY-MM-DD"), "gYear": N_("a year, YYYY"),
    "integer": N_("a whole number"), "nonNegativeInteger": N_("a whole number, 0 or more"),
    "positiveInteger": N_("a whole number, 1 or more"), "anyURI": N_("a web address"),
    "boolean": N_("true or false"), "decimal": N_("a number"), "dateTime": N_("a date and time"),
}
NODE_KINDS = {"IRI": N_("a reference (IRI)"), "Literal": N_("a value (text, number or date)"),
              "BlankNodeOrIRI": N_("a reference"), "BlankNode": N_("a nested description")}


#: the column "required?" of the rule tables, in the page's language
REQUIRED = {"required": N_("required"), "optional": N_("optional"), "recommended": N_("recommended")}


class _Shapes:
    def __init__(self, pages: Pages, files: list[Path]):
        from educluster.kb import new_graph, parse_file
        from educluster.site.model import Model

        g = new_graph()
        for f in files:
            parse_file(f, g)
        self.sh = Model(g, lang=pages.model.lang)  # messages in the page's language
        self.kb = pages.model

    def node_shapes_by_target(self) -> dict:
        sh = self.sh
        by: dict = {}
        for s, po in sh.out.items():
            for t in po.get(SH + "targetClass", []):
                by.setdefault(t, []).append(s)
        return {t: sorted(v, key=str) for t, v in by.items()}

    def severity(self, shape, parent=None) -> str:
        sev = self.sh.value(shape, SH + "severity") or (parent is not None and self.sh.value(parent, SH + "severity"))
        return "warning" if sev is not None and str(sev).endswith("Warning") else (
            "info" if sev is not None and str(sev).endswith("Info") else "violation")

    def rdf_list(self, node) -> list:
        items = []
        while node is not None and str(node) != M.RDF + "nil" and len(items) < 500:
            first = self.sh.value(node, M.RDF + "first")
            if first is not None:
                items.append(first)
            node = self.sh.value(node, M.RDF + "rest")
        return items


def _path_md(page: Page, S: _Shapes, path) -> str:
    sh = S.sh
    if isinstance(path, sh.BNode):
        inv = sh.value(path, SH + "inversePath")
        if inv is not None:
            return _("inverse of") + " " + _path_md(page, S, inv)
        seq = S.rdf_list(path)
        if seq:
            return " / ".join(_path_md(page, S, p) for p in seq)
        return _("(a path)")
    if page.target(path) is not None:
        return page.link(path, S.kb.curie(path), code=True)
    return f"<code>{escape.md(S.kb.curie(path))}</code>"


def _values_md(page: Page, S: _Shapes, ps) -> list[str]:
    sh, kb = S.sh, S.kb
    out = []
    for dt in sh.objects(ps, SH + "datatype"):
        local = str(dt)[len(XSD):] if str(dt).startswith(XSD) else None
        out.append(escape.md(_(DATATYPES[local]) if local in DATATYPES else kb.curie(dt)))
    for c in sh.objects(ps, SH + "class"):
        n = len(kb.instances(c))
        what = page.link(c) if page.target(c) is not None else f"<code>{escape.md(kb.curie(c))}</code>"
        # "a Cluster": the article is English grammar; the other languages name the class
        art = f"{escape.article(kb.label(c))} " if sitelang.current() == "en" else ""
        out.append(art + what + (" (" + _("one of the {n} in the knowledge base").format(n=n) + ")" if n else ""))
    for k in sh.objects(ps, SH + "nodeKind"):
        out.append(escape.md(_(NODE_KINDS[str(k)[len(SH):]]) if str(k)[len(SH):] in NODE_KINDS else kb.curie(k)))
    for lst in sh.objects(ps, SH + "in"):
        vals = S.rdf_list(lst)
        out.append(_("one of:") + " " + ", ".join(common.value_md(page, v) for v in vals))
    for v in sh.objects(ps, SH + "hasValue"):
        out.append(_("must include") + " " + common.value_md(page, v))
    for p in sh.objects(ps, SH + "pattern"):
        out.append(_("matching") + f" <code>{escape.md(p)}</code>")
    for name, what in (("minInclusive", N_("at least {n}")), ("maxInclusive", N_("at most {n}"))):
        for v in sh.objects(ps, SH + name):
            out.append(escape.md(_(what).format(n=v)))
    for name, one, many in (("minLength", "at least {n} character", "at least {n} characters"),
                            ("maxLength", "at most {n} character", "at most {n} characters")):
        for v in sh.objects(ps, SH + name):
            count = int(v) if str(v).isdigit() else 0
            out.append(escape.md(ngettext(one, many, count).format(n=v)))
    for n in sh.objects(ps, SH + "node"):
        out.append(_("each must be:") + " " + _shape_name(S, n))
    for q in sh.objects(ps, SH + "qualifiedValueShape"):
        lo, hi = sh.text(ps, SH + "qualifiedMinCount"), sh.text(ps, SH + "qualifiedMaxCount")
        count = ((_("at least {n}").format(n=lo) if lo else "") + (" " + _("and") + " " if lo and hi else "")
                 + (_("at most {n}").format(n=hi) if hi else ""))
        out.append(_("{count} of them:").format(count=escape.md(count)) + f" {_shape_name(S, q)}")
    return out


def _shape_name(S: _Shapes, shape) -> str:
    name = S.sh.text(shape, SH + "name") or S.kb.curie(shape)
    desc = S.sh.text(shape, SH + "description")
    return f"*{escape.md(name)}*" + (f" ({escape.md(desc)})" if desc else "")


def _count_md(S: _Shapes, ps) -> tuple[str, str]:
    lo = S.sh.text(ps, SH + "minCount")
    hi = S.sh.text(ps, SH + "maxCount")
    required = "required" if lo and int(lo) > 0 else "optional"
    if lo and hi and lo == hi:
        many = _("exactly {n}").format(n=lo)
    elif lo and int(lo) > 1 and hi:
        many = _("{lo} to {hi}").format(lo=lo, hi=hi)
    elif hi:
        many = _("at most {n}").format(n=hi)
    elif lo and int(lo) > 0:
        many = _("at least {n}").format(n=lo)
    else:
        many = _("any number")
    return required, many


def _message_md(page: Page, msg) -> str:
    """A shape's message (Markdown): marked lang="en" where it is English or untagged on a page
    in another language (a message without a translation)."""
    if not msg:
        return ""
    return escape.md(msg) if getattr(msg, "lang", None) not in (None, "en") else common.english(page, escape.md(msg))


def _field_rows(page: Page, S: _Shapes, shapes: list, severity: str) -> tuple[list[str], list[str]]:
    sh = S.sh
    rows, rules = [], []
    for ns in shapes:
        for ps in sorted(sh.objects(ns, SH + "property"), key=lambda x: sh.text(x, SH + "name") or str(x)):
            if S.severity(ps, ns) != severity:
                continue
            required, many = _count_md(S, ps)
            if severity == "warning" and required == "required":
                required = "recommended"
            name = sh.text(ps, SH + "name") or ""
            desc = sh.text(ps, SH + "description") or ""
            path = sh.value(ps, SH + "path")
            values = "<br>".join(_values_md(page, S, ps)) or _("anything")
            msg = sh.text(ps, SH + "message") or ""
            rows.append(f"| **{escape.md(name)}**<br>{_path_md(page, S, path) if path is not None else ''} | "
                        f"{common.english(page, escape.md(desc)) if desc else ''} | {_(REQUIRED[required])}, {escape.md(many)} | {values} | {_message_md(page, msg)} |")
        for c in sh.objects(ns, SH + "sparql"):
            if S.severity(c, ns) != severity:
                continue
            rules.append(f"**{escape.md(sh.text(ns, SH + 'name') or '')}**: "
                         f"{escape.md(sh.text(ns, SH + 'description') or '')} "
                         + _("If not, validate says:") + f" “{escape.md(sh.text(c, SH + 'message') or '')}”")
    return rows, rules


def _templates():
    try:
        from educluster.convert.layout import TEMPLATES
        return list(TEMPLATES)
    except Exception:  # the converter is another module's: the page says so when it is absent
        return []


def _template_files() -> dict[str, str]:
    try:
        from educluster.template import template_files
        return template_files("templates")
    except Exception:
        return {}


def _sample_rows(examples_dir: Path, name: str, limit: int = 2) -> str | None:
    for f in sorted(examples_dir.glob(f"*/csv/{name}.csv")):
        rows = [r for r in csv.reader(io.StringIO(f.read_text(encoding="utf-8")))]
        data = [r for r in rows[1:] if r and not r[0].startswith("#")]
        if rows and data:
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(rows[0])
            for r in data[:limit]:
                w.writerow(r)
            return buf.getvalue()
    return None


ECSH = "https://w3id.org/educluster/shapes#"


def _invalid_fixtures(repo: Path) -> list[tuple[Path, str, list[dict]]]:
    """(fixture, its text, its expected results) for ``tests/data/invalid/*.ttl`` with a
    ``.expected.json`` next to it (the results ``educluster validate --format json`` gives)."""
    d = repo / "tests" / "data" / "invalid"
    out = []
    if not d.is_dir():
        return out
    for f in sorted(d.glob("*.ttl")):
        exp = f.with_name(f.stem + ".expected.json")
        if not exp.is_file() or f.stat().st_size > 6000:
            continue
        try:
            results = json.loads(exp.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(results, list) and results and all(isinstance(r, dict) for r in results):
            out.append((f, f.read_text(encoding="utf-8", errors="replace"), results))
    return out


def _expand(curie: str) -> str:
    from educluster.kb import PREFIXES

    prefix, _, local = str(curie).partition(":")
    if prefix == "ecsh":
        return ECSH + local
    if prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return str(curie)


def _sample_for(S: "_Shapes", shapes: list, fixtures) -> tuple | None:
    """The first invalid fixture whose every expected result comes from one of ``shapes``."""
    sh = S.sh
    own = {str(ns) for ns in shapes}
    own |= {str(ps) for ns in shapes for ps in sh.objects(ns, SH + "property")}
    best = None
    for f, text, results in fixtures:
        if all(_expand(r.get("shape", "")) in own for r in results):
            if len(results) == 1:
                return f, text, results
            best = best or (f, text, results)
    return best


def _report_md(page: Page, S: "_Shapes", results: list[dict]) -> str:
    sh, kb = S.sh, S.kb
    lines = []
    for r in results:
        shape = kb.node(_expand(r.get("shape", "")))
        msg = sh.text(shape, SH + "message")
        if msg is None:
            for c in sh.objects(shape, SH + "sparql"):
                msg = sh.text(c, SH + "message")
        sev = "warning" if str(r.get("severity", "")).endswith("Warning") else "violation"
        focus = str(r.get("focus", "")).rsplit("/", 1)[-1]
        name = sh.text(shape, SH + "name") or r.get("path") or ""
        lines.append(f"**{sev}** at <code>{escape.md(focus)}</code>, *{escape.md(name)}*: "
                     f"{escape.md(msg or r.get('component', ''))}")
    return common.bullet_list(lines)


def _strip_prefixes(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith("@prefix"))


def generate(pages: Pages, shapes_dir: Path, repo: Path, examples_dir: Path | None = None) -> None:
    kb = pages.model
    page = pages.page("validate.md", _("Validate your data"), SRC)
    files = sorted(shapes_dir.glob("*.ttl")) if shapes_dir.is_dir() else []
    if not files:
        page.para("None yet: no shapes for institutional data in `shapes/`.")
        return
    S = _Shapes(pages, files)
    templates = _templates()
    tfiles = _template_files()
    # a .md file in the docs would become a page: the templates' README is offered as text
    tfiles = {(n[:-3] + ".txt" if n.endswith(".md") else n): t for n, t in tfiles.items()}
    for name, text in tfiles.items():
        pages.file(f"downloads/templates/{name}", text)
    page.para(_("Describe your cluster (its members, their roles, links and activities) in a "
                "spreadsheet, JSON or RDF, then check it against the shapes below:"))
    page.add(escape.fence("educluster validate my-cluster/*.csv      # or .json, .ttl, .jsonld\n"
                          "educluster template my-cluster/           # blank CSV templates to fill in",
                          "sh"))
    page.para(_("Validate prints, for each entity at fault, what is wrong and how to fix it: the "
                "messages in the last column below. Exit code 0 means the data conforms; "
                "**violations** make it fail; **recommendations** are warnings, worth a look."))
    if tfiles:
        page.para(_("CSV templates to download:") + " " + ", ".join(
            page.link_doc(f"downloads/templates/{n}", escape.md(n)) for n in sorted(tfiles)) + ".")
    if templates:
        from educluster.convert.vocab import Vocabulary
        from educluster.site import pages_data_guide

        pages_data_guide.tables(page, Vocabulary(kb.graph))
        page.h(2, _("The rules, by kind of entity"), "rules")
        page.para(_("What the shapes check for each kind of entity, with the property names of "
                    "the ontology (the last column of the tables above gives the CSV column each "
                    "one comes from)."))
    fixtures = _invalid_fixtures(repo)
    by_target = S.node_shapes_by_target()
    order = sorted(by_target, key=lambda t: (collation.key(kb.label(t), kb.lang), str(t)))
    page.para(_("Kinds of entity:") + " " + ", ".join(
        f"[{page.shown(kb.label(t))}](#k-{urls.safe_segment(kb.curie(t).replace(':', '-'))})" for t in order) + ".")
    for t in order:
        shapes = by_target[t]
        anchor = "k-" + urls.safe_segment(kb.curie(t).replace(":", "-"))
        page.h(2, page.shown(M.Text.of_text(kb.label(t)[:1].upper() + kb.label(t)[1:], kb.label(t)),
                             mark=True), anchor)
        what = page.link(t) if page.target(t) is not None else f"<code>{escape.md(kb.curie(t))}</code>"
        page.para(_("Applies to every {what} (and its subclasses) in your data.").format(what=what))
        for ns in shapes:
            d = S.sh.text(ns, SH + "description")
            if d and S.severity(ns) == "violation" and S.sh.objects(ns, SH + "property"):
                page.para(common.english(page, escape.md(d)))  # the shapes are written in English
        tmpl = [tp for tp in templates if kb.node(M.EC + tp.default_type) in kb.descendants(t)
                or kb.node(M.EC + tp.default_type) == t]
        for tp in tmpl:
            fname = f"{tp.name}.csv"
            link = (page.link_doc(f"downloads/templates/{fname}", escape.md(fname))
                    if fname in tfiles else f"<code>{escape.md(fname)}</code>")
            page.para(_("In a spreadsheet:") + f" {link} — {escape.md(_(tp.help))}")
        rows, rules = _field_rows(page, S, shapes, "violation")
        if rows:
            page.h(3, _("Fields"), anchor + "-fields")
            page.add("| " + " | ".join((_("field"), _("meaning"), _("required?"), _("allowed values"),
                                        _("if not, validate says"))) + " |\n"
                     "| --- | --- | --- | --- | --- |\n" + "\n".join(rows) + "\n")
        if rules:
            page.h(3, _("Rules across fields"), anchor + "-rules")
            page.add(common.bullet_list(rules))
        wrows, wrules = _field_rows(page, S, shapes, "warning")
        if wrows or wrules:
            page.h(3, _("Recommendations (warnings)"), anchor + "-warnings")
            for ns in shapes:
                if S.severity(ns) == "warning":
                    d = S.sh.text(ns, SH + "description")
                    if d:
                        page.para(f"*{escape.md(S.sh.text(ns, SH + 'name') or '')}:* {escape.md(d)}")
            if wrows:
                page.add("| " + " | ".join((_("field"), _("meaning"), _("expected"), _("allowed values"),
                                            _("if not, validate warns"))) + " |\n"
                         "| --- | --- | --- | --- | --- |\n" + "\n".join(wrows) + "\n")
            if wrules:
                page.add(common.bullet_list(wrules))
        samples = [(tp, _sample_rows(examples_dir or repo / "examples", tp.name)) for tp in tmpl]
        samples = [(tp, x) for tp, x in samples if x]
        bad = _sample_for(S, shapes, fixtures)
        if samples or bad:
            page.h(3, _("Samples"), anchor + "-samples")
        for tp, sample in samples:
            page.para(_("**Valid** (from the example cluster), {file}:").format(
                file=f"<code>{escape.md(tp.name)}.csv</code>"))
            page.add(escape.fence(sample, "csv"))
        if bad:
            f, text, results = bad
            page.para(_("**Invalid**, {file} (prefixes left out):").format(
                file=f"<code>{escape.md(f.name)}</code>"))
            page.add(escape.fence(_strip_prefixes(text), "turtle"))
            page.para(_("`educluster validate` reports:"))
            page.add(_report_md(page, S, results))
    page.h(2, _("More invalid samples"), "invalid-samples")
    if fixtures:
        page.para(_("The project's tests check `educluster validate` against {n} invalid samples, "
                    "each with the results it must give; here they are.").format(n=len(fixtures)))
    else:
        page.para(_("None yet."))
