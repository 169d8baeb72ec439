"""The gettext catalogues of the program's messages (``loaders/educluster/locale/``): the
``.po`` of Uzbek Cyrillic derived from the Latin one, and every ``.po`` compiled to the ``.mo``
the program reads, with Babel (``python -m educluster.i18n_catalogues``; see decision 0018).

Updating after a change of messages: ``pybabel extract -k _ -k N_ -k ngettext:1,2
--no-location --sort-output -w 100 -o loaders/educluster/locale/educluster.pot
loaders/educluster`` (the whole package: readers, reports, command-line help, web pages), then ``pybabel update -i
.../educluster.pot -d loaders/educluster/locale -D educluster -l ru`` (and ``-l uz``), translate,
and run this module with ``--add-layout`` after extracting (the templates' column help is data,
not code), and without arguments after translating: it rewrites ``uz_Cyrl`` from ``uz`` and
compiles all three.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from educluster.i18n import CATALOGUE, DOMAIN, LOCALE_DIR, to_cyrillic

#: The languages with a catalogue (English is the text in the code).
TRANSLATED = ("uz", "uz-Cyrl", "ru")


def layout_messages() -> list[str]:
    """The texts of the templates that ``template`` writes in the chosen language (titles and
    help of each table and column, from :mod:`educluster.convert.layout`): messages of the
    catalogues as much as those the code marks."""
    from educluster.convert.layout import TEMPLATES

    out: list[str] = []
    for t in TEMPLATES:
        for text in (t.title, t.help, *(c.help for c in t.columns)):
            if text and text not in out:
                out.append(text)
    return out


def add_layout_messages(pot_path: Path = LOCALE_DIR / f"{DOMAIN}.pot") -> None:
    """Add :func:`layout_messages` to the extracted template (run after ``pybabel extract``)."""
    from babel.messages.pofile import read_po, write_po

    with open(pot_path, "rb") as f:
        pot = read_po(f)
    for text in layout_messages():
        if text not in pot:
            pot.add(text, auto_comments=["column or table help of convert/layout.py"])
    buf = io.BytesIO()
    write_po(buf, pot, sort_output=True, no_location=True, width=100)
    pot_path.write_bytes(buf.getvalue())


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """``locale/<folder>/LC_MESSAGES/educluster.po`` of ``lang``."""
    return locale_dir / CATALOGUE[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(lang: str, locale_dir: Path = LOCALE_DIR):
    """The Babel catalogue of ``lang``'s ``.po``."""
    from babel.messages.pofile import read_po

    with open(po_path(lang, locale_dir), "rb") as f:
        return read_po(f, locale=CATALOGUE[lang])


def _cyrillic(text: str) -> str:
    """A translation in Cyrillic; a word in capitals (XATO, a tag of the text report) is
    Uzbek here, not an acronym."""
    if text.isupper() and text.isalpha():
        return to_cyrillic(text.lower()).upper()
    return to_cyrillic(text)


def cyrillic_po(locale_dir: Path = LOCALE_DIR) -> bytes:
    """The ``uz_Cyrl`` catalogue: the ``uz`` one with every translation transliterated."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    latin = read("uz", locale_dir)
    out = Catalog(locale="uz_Cyrl", domain=DOMAIN, project="educluster",
                  copyright_holder="educluster project", fuzzy=False)
    for m in latin:
        if not m.id:
            continue
        text = tuple(_cyrillic(x) for x in m.string) if isinstance(m.string, (list, tuple)) \
            else _cyrillic(m.string)
        out.add(m.id, text, flags=m.flags, auto_comments=m.auto_comments)
    buf = io.BytesIO()
    write_po(buf, out, omit_header=False, sort_output=True, no_location=True, width=100)
    text = buf.getvalue().decode("utf-8")
    # the creation date would change at every run: fixed, so the file only changes with content
    import re

    text = re.sub(r'"POT-Creation-Date: [^"]*"', '"POT-Creation-Date: 2026-01-01 00:00+0000\\\\n"',
                  text)
    text = re.sub(r'"PO-Revision-Date: [^"]*"', '"PO-Revision-Date: 2026-01-01 00:00+0000\\\\n"',
                  text)
    return ("# Generated from ../../uz/LC_MESSAGES/educluster.po by python -m "
            "educluster.i18n_catalogues (Uzbek Latin transliterated); do not edit.\n"
            + text).encode("utf-8")


def mo_bytes(lang: str, locale_dir: Path = LOCALE_DIR) -> bytes:
    """``lang``'s ``.po`` compiled to a ``.mo``."""
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, read(lang, locale_dir), use_fuzzy=False)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Rewrite the uz_Cyrl ``.po`` from uz's and compile every ``.po`` to its ``.mo``."""
    from educluster.atomic import write_atomic

    if argv and argv[0] == "--add-layout":
        add_layout_messages()
        return 0
    write_atomic(po_path("uz-Cyrl"), cyrillic_po())
    for lang in TRANSLATED:
        write_atomic(po_path(lang).with_suffix(".mo"), mo_bytes(lang))
    print(f"compiled {len(TRANSLATED)} catalogues in {LOCALE_DIR}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
