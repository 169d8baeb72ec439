"""The OpenAPI description of the web service (``openapi.json``) in the asked language: its
titles, summaries and descriptions are msgids of the program's catalogues, listed here so that
they are extracted and translated like every other message; names, codes, enums and schemas
stay as they are. ``openapi.json`` is the English template (the answer without ``?lang``)."""

from __future__ import annotations

import json
from pathlib import Path

from educluster.i18n import N_, translations

FILE = Path(__file__).parent / "openapi.json"

#: the keys whose string values are texts for people
TEXT_KEYS = ("title", "summary", "description")

#: every text of openapi.json (a test keeps this list and the file in step)
TEXTS = (
    N_("educluster validation service"),
    N_("Validate educational-cluster data (CSV files of the templates, .xlsx/.ods workbooks, "
       "JSON, Turtle, JSON-LD, N-Triples, RDF/XML, or a zip of them) against the educluster "
       "SHACL shapes, with the same code as the command 'educluster validate'. Uploaded files "
       "are removed after the answer."),
    N_("Validate uploaded data files together"),
    N_("language of the messages (the form field wins)"),
    N_("the data files, checked together; a .zip is unpacked (bounded, no links, no paths "
       "outside it)"),
    N_("warnings count as failures (exit_code 1)"),
    N_("validated: exit_code 0 (conforms) or 1 (violations)"),
    N_("the data cannot be read: exit_code 2, report.errors say where"),
    N_("not a multipart upload, no files, or an unusable zip"),
    N_("the upload is larger than the service's limit"),
    N_("every worker busy and the queue full: try again later"),
    N_("the validation ran past the time limit and was stopped"),
    N_("as 'educluster validate' exits: 0 conforms, 1 violations, 2 unreadable"),
    N_("the JSON report of 'educluster validate --format json'"),
    N_("the data converted to Turtle (as 'educluster convert --allow-invalid')"),
    N_("what to do, in the requested language"),
)


def texts_of(doc) -> list[str]:
    """The texts for people in ``doc`` (a parsed OpenAPI document), in document order."""
    out: list[str] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in TEXT_KEYS and isinstance(value, str):
                out.append(value)
            else:
                out += texts_of(value)
    elif isinstance(doc, list):
        for value in doc:
            out += texts_of(value)
    return out


def _translate(doc, gettext):
    if isinstance(doc, dict):
        return {k: gettext(v) if k in TEXT_KEYS and isinstance(v, str) else _translate(v, gettext)
                for k, v in doc.items()}
    if isinstance(doc, list):
        return [_translate(v, gettext) for v in doc]
    return doc


def document(lang: str = "en") -> dict:
    """``openapi.json`` with its texts in ``lang`` (English: the file as it is)."""
    doc = json.loads(FILE.read_text(encoding="utf-8"))
    if lang == "en":
        return doc
    return _translate(doc, translations(lang).gettext)
