"""The web service's own page texts: their English msgids, translated through the program's
gettext catalogues (``loaders/educluster/locale``, decision 0019) like every other message, so
the page speaks uz, uz-Cyrl, ru or en from the same ``.po`` files a translator edits.

The keys are what the templates and the service use (``t.title``, ``Refused(413,
"too_large")``); the English text is the msgid, as elsewhere in the project.
"""

from __future__ import annotations

from functools import lru_cache

from educluster.i18n import LANGUAGES, N_, normalise, translations

#: Names of the languages, each in its own language (for the language switch; never translated).
LANGUAGE_NAMES = {"uz": "O‘zbekcha", "uz-Cyrl": "Ўзбекча", "ru": "Русский", "en": "English"}

#: key -> English text (the msgid of the catalogues).
MESSAGES: dict[str, str] = {
    "title": N_("Check cluster data"),
    "intro": N_("Upload the data of your educational cluster (CSV files of the templates, a "
                "workbook .xlsx or .ods, JSON, Turtle or JSON-LD; several files or one zip) and "
                "get a report of what to fix. Nothing you upload is kept after the answer."),
    "files": N_("Data files"),
    "language": N_("Language of the report"),
    "strict": N_("Warnings count as failures"),
    "submit": N_("Check the data"),
    "page_language": N_("Language of this page"),
    "api": N_("For programs: the REST API"),
    "api_intro": N_("POST the files to /api/validate (multipart form, field 'files', optional 'lang' "
                    "and 'strict'); the answer is the JSON report with exit_code 0 (conforms), 1 "
                    "(violations) or 2 (unreadable). The OpenAPI description:"),
    "report": N_("Validation report"),
    "conforms": N_("The data conforms"),
    "violations": N_("The data does not conform"),
    "unreadable": N_("The data cannot be read"),
    "counts": N_("Violations: {v}, warnings: {w}"),
    "no_findings": N_("No problems found."),
    "row": N_("row {n}"),
    "no_row": N_("(no row)"),
    "severity": N_("Severity"),
    "sev_violation": N_("violation"),
    "sev_warning": N_("warning"),
    "column": N_("Column"),
    "entity": N_("Entity"),
    "message": N_("Problem"),
    "value": N_("Value"),
    "fix": N_("How to fix"),
    "downloads": N_("Downloads"),
    "dl_json": N_("Report as JSON"),
    "dl_csv": N_("Report as CSV (spreadsheet)"),
    "dl_html": N_("Report as a web page (HTML)"),
    "dl_ttl": N_("The data converted to Turtle"),
    "again": N_("Check other data"),
    "errors": N_("What could not be read"),
    "file": N_("File"),
    "too_large": N_("The upload is larger than {mb} MB; send smaller files or fewer at once."),
    "busy": N_("The service is busy with other checks; try again in a minute."),
    "timeout": N_("The check was stopped after {s} s (the service's time limit); send less data "
                  "at once or ask the operator for a longer limit."),
    "memory": N_("Checking this data needs more than the {mb} MB of memory the service allows for "
                 "one check; send less data at once."),
    "no_files": N_("No file was given; choose at least one data file."),
    "up_duplicate": N_("Two files are named '{name}'; give each file its own name."),
    "up_kind": N_("'{name}' is not a kind of file the validator reads; send CSV, .xlsx, .ods, JSON,"
                  " Turtle, JSON-LD, N-Triples, RDF/XML or a zip."),
    "zip_unreadable": N_("This is not a readable zip archive; make it again with a zip program."),
    "zip_entries": N_("The zip holds more entries ({n}) than allowed ({max}); send fewer files at "
                      "once."),
    "zip_outside": N_("The zip entry '{name}' points outside the archive (absolute path or '..'); make "
                      "the archive from the data folder."),
    "zip_link": N_("The zip entry '{name}' is a symbolic link; put the files themselves in the "
                   "archive."),
    "zip_too_big": N_("The zip unpacks to more than {mb} MB; send less data at once."),
    "zip_entry_bad": N_("The zip entry '{name}' cannot be unpacked; make the archive again without "
                        "encryption."),
    "zip_empty": N_("The zip holds no data files (CSV, workbook, JSON or RDF)."),
    "bad_form": N_("The request is not a multipart form upload; send the files as multipart/form-"
                   "data in the field 'files'."),
    "failed": N_("The check failed unexpectedly; the operator finds the details in the service's "
                 "log."),
    "error_title": N_("The check could not be done"),
    "no_page_title": N_("Page not found"),
    "not_found": N_("This page does not exist."),
    "wrong_method": N_("This address only takes the files sent from the form; open the form to "
                       "check data."),
    "bad_request": N_("The request could not be handled (HTTP {status}); open the form to check "
                      "data."),
}


def lang_of(value: str | None, accept: str | None = None) -> str:
    """One of the four languages: the form's or query's ``value`` when it names one, else the
    first of the browser's ``Accept-Language`` that is one (a data officer whose browser asks for
    Russian or Uzbek gets it at once), else English."""
    if value and normalise(value) in LANGUAGES:
        return normalise(value)
    return preferred(accept) or "en"


def preferred(accept: str | None) -> str | None:
    """The most preferred of the four languages in an ``Accept-Language`` header (``q`` weights,
    ties in the header's order; ``*`` and unknown tags ignored), or None. Only the header's
    first 2,000 characters and 50 entries are read: it comes from the client."""
    if not accept:
        return None
    ranked = []
    for order, item in enumerate(accept[:2000].split(",")[:50]):
        tag, _sep, params = item.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            name, _eq, val = p.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(val)
                except ValueError:
                    q = 0.0
        lang = normalise(tag) if tag.strip() not in ("", "*") else None
        if lang in LANGUAGES and q > 0:
            ranked.append((-q, order, lang))
    return min(ranked)[2] if ranked else None


@lru_cache(maxsize=None)
def text(key: str, lang: str) -> str:
    """The page text ``key`` in ``lang``, from that language's catalogue (English where the
    catalogue lacks it)."""
    return translations(lang).gettext(MESSAGES[key])


def table(lang: str) -> dict[str, str]:
    """Every page text in ``lang``, for the templates."""
    return {k: text(k, lang) for k in MESSAGES}


def keys() -> list[str]:
    """The keys of the page texts (tests check each is translated in every catalogue)."""
    return list(MESSAGES)
