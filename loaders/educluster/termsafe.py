"""Terminal-safe text: control characters from data are shown, never obeyed.

A label holding ``ESC [ 2 J`` (clear the screen), an OSC sequence (set the window title, write
a hyperlink, on some terminals the clipboard) or a right-to-left override would otherwise act
on the reader's terminal when a report, a query table or an error message is printed.
:func:`visible` writes each such character as a Python-style escape (``\\x1b``, ``\\x9b``,
``\\u202e``), so the text stays readable and the reader sees that it is there. Every writer of
text meant for a terminal uses it: the ``validate`` text report, the ``query`` table and the
one-line error messages on standard error. Machine formats (JSON, Turtle, CSV) keep the data
exact: they have escapes of their own or are not meant for a terminal.
"""

from __future__ import annotations

# C0 controls, DEL, C1 controls (0x80-0x9f: 0x9b is a one-byte CSI), and the Unicode
# format characters that reorder or hide text (bidirectional overrides and isolates, line and
# paragraph separators)
_UNSAFE = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x200E, 0x200F, 0x2028, 0x2029,
           *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def _escape(cp: int) -> str:
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"


_TABLES: dict[str, dict[int, str]] = {}


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control or reordering character (except those in ``keep``, e.g.
    ``"\\n"`` for a multi-line report) written as a visible escape such as ``\\x1b``."""
    table = _TABLES.get(keep)
    if table is None:
        table = _TABLES[keep] = {cp: _escape(cp) for cp in _UNSAFE if chr(cp) not in keep}
    return text.translate(table)


ECHO_LIMIT = 200


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis and the full length, so that a
    value echoed in a report or a message cannot make it huge (a 20 MB label, echoed twice,
    made a 41 MB report)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


# A spreadsheet program reads a cell starting with one of these as a formula (OWASP, "CSV
# Injection"): =HYPERLINK(...) or =cmd|' /C calc'!A0 in a label would run when a CSV file of
# query results or of a validation report is opened.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text
