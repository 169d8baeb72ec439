"""The text of a table file as spreadsheets save it: UTF-8 (with or without BOM), Excel's
"Unicode text" (UTF-16 with a BOM, tab-separated), and a clear refusal of Windows-1251.

Excel offers many "Save as" types; the ones people pick for Cyrillic or Uzbek data are
"CSV UTF-8", "CSV (Comma delimited)" (the Windows code page: Windows-1251 on Russian and Uzbek
systems) and "Unicode Text" (UTF-16, tab-separated). The first and the last are read as they
are; a Windows-1251 file is refused by name, with the steps that save it as UTF-8, because
guessing an 8-bit code page silently would turn a mistaken guess into wrong names.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from educluster.errors import UserError
from educluster.i18n import N_, _

#: How to save a sheet as CSV UTF-8, for messages (one line).
SAVE_AS_UTF8 = N_("in Excel: File > Save As, type 'CSV UTF-8 (Comma delimited) (*.csv)'; in "
                "LibreOffice Calc: File > Save As, type 'Text CSV (.csv)', tick 'Edit filter "
                "settings', character set 'Unicode (UTF-8)'")

# runs of three or more bytes >= 0xC0: Cyrillic words in Windows-1251 (А..я are C0..FF);
# Western 8-bit code pages have only single accented letters between ASCII ones
_CYRILLIC_RUN = re.compile(rb"[\xc0-\xff\xa8\xb8]{3,}")


def looks_like_cp1251(data: bytes) -> bool:
    """True when ``data`` (not UTF-8) reads as Cyrillic words in Windows-1251."""
    high = sum(1 for b in data if b >= 0x80)
    if not high:
        return False
    in_runs = sum(len(m.group()) for m in _CYRILLIC_RUN.finditer(data))
    return in_runs / high > 0.6


def decode_table(path: Path, data: bytes) -> str:
    """The text of a CSV / tab-separated file's bytes; UserError (file, line) when the encoding
    is not one we read, naming the encoding where it is recognised."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count("\n".encode("utf-16-le")) + 1
            raise UserError(_("this UTF-16 text (Excel 'Unicode text') is damaged; save the "
                              "sheet again: {how}").format(how=_(SAVE_AS_UTF8)),
                            file=path, line=line) from exc
    if data.find(b"\x00") != -1:  # the whole file (a scan in place, no copy)
        raise UserError(_("this is a binary file, not text; save the data as CSV (UTF-8), an "
                          "Excel workbook (.xlsx), JSON or Turtle"), file=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        if looks_like_cp1251(data):
            raise UserError(_("this file is in the Windows-1251 (Cyrillic) encoding, not "
                              "UTF-8; save it as CSV UTF-8: {how}").format(how=_(SAVE_AS_UTF8)),
                            file=path, line=line) from exc
        raise UserError(_("not UTF-8 text; save the file with the UTF-8 encoding: {how}").format(
            how=_(SAVE_AS_UTF8)), file=path, line=line) from exc


def delimiter_of(header_line: str) -> str:
    """The separator of a table from its header line: tab (tab-separated text, Excel's "Unicode
    text"), semicolon (CSV of locales with a decimal comma) or comma."""
    counts = {d: header_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","
