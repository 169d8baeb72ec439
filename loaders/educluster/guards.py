"""Bounds checked before a parser sees untrusted text: SPARQL nesting and SERVICE, RDF/XML
entities and depth, JSON-LD contexts that would be fetched.

Each guard is cheap (one linear pass) and exists because a library we reuse fails badly on
such input (issue 12): Oxigraph's SPARQL parser overflows its stack at a few thousand nested
brackets and evaluates ``SERVICE`` by making HTTP requests; Oxigraph and rdflib expand DTD
entities in RDF/XML ("billion laughs") and slow down quadratically on deeply nested
elements; rdflib's JSON-LD processor fetches any context it is pointed at (``@import``,
scoped contexts, ``file://``).
"""

from __future__ import annotations

import re
from pathlib import Path

from educluster.errors import UserError
from educluster.i18n import _

#: Deepest nesting of ( [ { a query may have; real queries nest a few levels, Oxigraph's
#: parser overflows its stack at a few thousand.
MAX_SPARQL_NESTING = 128

#: Deepest element nesting an RDF/XML file may have (real files: under 20).
MAX_XML_DEPTH = 256

#: Most opening brackets a query may hold inside ``<...>`` and long strings. A lexer cannot
#: tell whether ``<`` opens an IRI or is "less than" (``1<((1>2&&1<((...``), nor, after
#: such a ``<...#``, whether ``"""`` opens a string or sits in a comment; so brackets there
#: count against this budget whatever they close. Code depth plus this budget stays far below
#: the ~2,000 levels at which Oxigraph's parser (and its server's threads) overflow.
MAX_AMBIGUOUS_BRACKETS = 1000

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_SPECIAL = re.compile(r"[<\"'#]")
_EOL = re.compile(r"[\n\r]")
_WORD = re.compile(r"(?<![?$:@\w.\-])SERVICE(?![\w:\-])", re.I)
# the keyword as it must be written to be one, for text that may or may not be code
_CALL = re.compile(r"(?<![?$:@\w.\-])SERVICE\s*(?:SILENT\b|<|[?$]|[A-Za-z_][\w.\-]*:)", re.I)


def _string_end(text: str, i: int, quote: str, long: bool) -> int:
    """Where the string opened before ``i`` ends (after its closing quote); an unclosed short
    string ends at the line's end, an unclosed long one at the text's end. Linear."""
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
        elif long and text.startswith(quote * 3, i):
            return i + 3
        elif not long and c == quote:
            return i + 1
        elif not long and c in "\n\r":
            return i
        else:
            i += 1
    return n


def _split(text: str) -> tuple[str, str]:
    """``(code, doubtful)``: the text outside strings, comments and ``<...>``; and the text of
    ``<...>`` spans and long strings. One left-to-right pass, linear in the text."""
    code: list[str] = []
    doubtful: list[str] = []
    pos = i = 0
    n = len(text)
    while True:
        m = _SPECIAL.search(text, i)
        if m is None:
            break
        i = m.start()
        c = text[i]
        if c == "<":
            iri = _IRI.match(text, i)
            if iri is None:
                i += 1
                continue
            end, kind = iri.end(), "doubtful"
        elif c == "#":
            eol = _EOL.search(text, i)
            end, kind = (eol.start() if eol else n), "skip"
        elif text.startswith(c * 3, i):
            end, kind = _string_end(text, i + 3, c, True), "doubtful"
        else:
            end, kind = _string_end(text, i + 1, c, False), "skip"
        code.append(text[pos:i])
        code.append(" ")
        if kind == "doubtful":
            doubtful.append(text[i:end])
        pos = i = end
    code.append(text[pos:])
    return "".join(code), " ".join(doubtful)


def sparql_problem(text: str, allow_service: bool = False) -> str | None:
    """Why ``text`` must not reach a SPARQL parser or engine (too deeply nested, or a
    ``SERVICE`` call when not allowed), or None. Strings and comments are skipped; IRIs and
    long strings are treated with suspicion (see :data:`MAX_AMBIGUOUS_BRACKETS`)."""
    code_text, doubtful_text = _split(text)
    depth = 0
    for c in code_text:
        if c in "([{":
            depth += 1
            if depth > MAX_SPARQL_NESTING:
                return _("the query nests brackets more than {depth} deep; flatten it "
                         "(fewer nested parentheses or braces)").format(depth=MAX_SPARQL_NESTING)
        elif c in ")]}":
            depth = max(0, depth - 1)
    if sum(doubtful_text.count(c) for c in "([{") > MAX_AMBIGUOUS_BRACKETS:
        return _("the query nests brackets more than {depth} deep or holds more than "
                 "{brackets} brackets inside <...> and long strings; flatten or split it").format(
            depth=MAX_SPARQL_NESTING, brackets=MAX_AMBIGUOUS_BRACKETS)
    if not allow_service and (_WORD.search(code_text) or _CALL.search(doubtful_text)):
        return _("the query calls another endpoint with SERVICE, which is off: educluster "
                 "makes no outbound requests for a query (query --allow-service turns it on)")
    return None


def check_sparql(text: str, allow_service: bool = False, source: Path | None = None) -> None:
    """Raise a UserError when :func:`sparql_problem` finds one."""
    problem = sparql_problem(text, allow_service)
    if problem:
        raise UserError(problem, file=source)


class _Refused(Exception):
    """Raised inside expat's callbacks to stop the scan."""


#: The text that entity references may add to an RDF/XML document, beyond its own size:
#: this many bytes plus :data:`ENTITY_GROWTH` times the document's size.
ENTITY_ALLOWANCE = 4 << 20
ENTITY_GROWTH = 8
_REF = re.compile(rb"&([A-Za-z_:][\w.:\-]*);")
_CHUNK = 1 << 20


def rdfxml_problem(source) -> tuple[str, int | None] | None:
    """``(reason, line)`` when an RDF/XML document (bytes or a binary file) may not be parsed:
    DTD entities that could expand beyond bounds, elements nested deeper than
    :data:`MAX_XML_DEPTH`, or XML that is not well formed; None when it may be parsed.

    Entity declarations as ontology editors write them (``<!ENTITY owl "http://...#">``,
    referenced as ``&owl;``) are allowed: internal, general, their text without references
    or markup, and the text all references add at most :data:`ENTITY_ALLOWANCE` +
    :data:`ENTITY_GROWTH` times the document's size ("billion laughs" nests references,
    "quadratic blowup" repeats one long entity: both refused). Parameter and external
    entities are refused (nothing is read). One streaming expat pass: linear; expat expands
    nothing here beyond attribute values, which its own amplification limit bounds."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0
    values: dict[bytes, int] = {}
    size = added = 0

    def entity(name, is_parameter, value, base, system_id, public_id, notation):
        if is_parameter or value is None or system_id or notation:
            raise _Refused(_("the document declares a parameter or external XML entity "
                             "({name}), which educluster never reads; write the text out in the "
                             "file").format(name=name))
        if "&" in value or "%" in value or "<" in value:
            raise _Refused(_("the XML entity {name} holds references or markup, which "
                             "educluster does not expand; write the text out in the "
                             "file").format(name=name))
        values[name.encode("utf-8")] = len(value.encode("utf-8"))

    def start(*_args):
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _Refused(_("elements nest more than {depth} deep; flatten the file "
                             "(rdf:nodeID or rdf:about references instead of nesting)").format(
                depth=MAX_XML_DEPTH))

    def end(*_args):
        nonlocal depth
        depth -= 1

    def count(data: bytes) -> None:
        nonlocal added
        if values:
            for m in _REF.finditer(data):
                added += values.get(m.group(1), 0)
            if added > ENTITY_ALLOWANCE + ENTITY_GROWTH * size:
                raise _Refused(_("XML entity references would add more than {times} times the "
                                 "document's size; write the text out in the file").format(
                    times=ENTITY_GROWTH))

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if isinstance(source, (bytes, bytearray, memoryview)):
        whole = bytes(source)
        chunks = (whole[k:k + _CHUNK] for k in range(0, len(whole), _CHUNK))
    else:
        chunks = iter(lambda: source.read(_CHUNK), b"")
    carry = b""
    try:
        for chunk in chunks:
            size += len(chunk)
            parser.Parse(chunk, False)
            data = carry + chunk
            cut = data.rfind(b"&")
            if cut >= 0 and len(data) - cut < 1024:  # a reference may go on in the next chunk
                data, carry = data[:cut], data[cut:]
            else:
                carry = b""
            count(data)
        parser.Parse(b"", True)
        count(carry)
    except _Refused as exc:
        return str(exc), parser.CurrentLineNumber
    except expat.ExpatError as exc:
        if "amplification" in expat.ErrorString(exc.code):  # expat's own billion-laughs limit
            return (_("XML entity references would expand the document far beyond its size; "
                      "write the text out in the file")), exc.lineno
        return f"{_SYNTAX}{expat.ErrorString(exc.code)}", exc.lineno
    return None


_SYNTAX = "not well-formed XML: "


def _message(reason: str) -> str:
    if reason.startswith(_SYNTAX):
        return _("RDF/XML syntax error: {reason}; fix the file and run again").format(
            reason=reason[len(_SYNTAX):])
    return _("RDF/XML refused: {reason}").format(reason=reason)


def check_rdfxml_file(path: Path) -> None:
    """Raise a UserError naming the file and line when :func:`rdfxml_problem` finds one."""
    try:
        with open(path, "rb") as fh:
            found = rdfxml_problem(fh)
    except OSError as exc:
        raise UserError(_("cannot read the file: {reason}").format(reason=exc.strerror or exc),
                        file=path) from exc
    if found:
        raise UserError(_message(found[0]), file=path, line=found[1])


def check_rdfxml_bytes(data: bytes, what) -> None:
    """Raise a UserError (``what`` is the file, or a description) for refused RDF/XML bytes."""
    found = rdfxml_problem(data)
    if found:
        if isinstance(what, Path):
            raise UserError(_message(found[0]), file=what, line=found[1])
        raise UserError(f"{what}: {_message(found[0])}")


# ---------------------------------------------------------------------------------------------
# JSON-LD: a document loader for rdflib that fetches nothing
# ---------------------------------------------------------------------------------------------

#: Names under which a document may refer to the project's own context.
OUR_CONTEXTS = ("context.jsonld", "https://w3id.org/educluster/context.jsonld",
                "https://w3id.org/educluster/context")


def is_our_context(url: str) -> bool:
    """Whether ``url`` names the project's own JSON-LD context (served locally, never fetched)."""
    return url in OUR_CONTEXTS or url.endswith("/context.jsonld")


class ContextRefused(UserError):
    """A JSON-LD document asked for a context that would have to be fetched or read."""


def _offline_loader(source, *args, **kwargs):  # signature of rdflib's source_to_json
    """rdflib's context loader, replaced: the project's context from memory, nothing else."""
    url = str(source)
    if is_our_context(url):
        from educluster.context import make_context
        from educluster.convert.vocab import load_vocabulary

        return {"@context": make_context(load_vocabulary().graph)["@context"]}, None
    shown = url if len(url) <= 120 else url[:117] + "..."
    raise ContextRefused(f"the JSON-LD context '{shown}' would have to be fetched or read "
                         "(@context, @import or a scoped context); educluster fetches "
                         "nothing: embed the context in the file or use \"context.jsonld\" "
                         "(ours)")


def jsonld_offline() -> None:
    """Make rdflib's JSON-LD processor resolve every context through :func:`_offline_loader`
    (idempotent; rdflib has no loader option, so its module-level fetch function is replaced)."""
    from rdflib.plugins.shared.jsonld import context

    context.source_to_json = _offline_loader
