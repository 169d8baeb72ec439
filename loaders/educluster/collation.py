"""Alphabetical order of labels as readers of our four languages expect it: a sort key.

Python sorts text by code point, which puts Russian and Uzbek Cyrillic ``ё`` (U+0451) after
``я``, and the Uzbek letters ``ў қ ғ ҳ`` in the order of their code points (``ў ғ қ ҳ``); in
Uzbek Latin it sorts ``oʻ gʻ sh ch`` inside ``o g s c``. PyICU would do this properly but is
a large native dependency for a handful of letters, so :func:`key` places them as the
alphabets do:

* Cyrillic (``ru``, ``uz-Cyrl``): ``ё`` right after ``е``; ``ў қ ғ ҳ`` after ``я``, in that
  order (the Uzbek Cyrillic alphabet: ... ``э ю я ў қ ғ ҳ``);
* Uzbek Latin (``uz``): ``oʻ gʻ sh ch`` are letters after ``z``, in that order (the 1995
  alphabet: ... ``x y z oʻ gʻ sh ch``), whichever apostrophe the text uses for ``ʻ``;
* case and accents matter only to break ties (``е``/``Е``, ``e``/``é`` sort together);
  everything else by code point, so Latin comes before Cyrillic, digits and marks before both.
"""

from __future__ import annotations

import unicodedata

#: Rank of a Cyrillic letter that does not sit at its code point's place: between the code
#: point of the letter it follows and the next one.
_CYRILLIC = {"ё": ord("е") + 0.5, "ў": ord("я") + 0.1, "қ": ord("я") + 0.2,
             "ғ": ord("я") + 0.3, "ҳ": ord("я") + 0.4}
#: The Uzbek Latin letters written with two characters, ranked after ``z``.
_UZ_LATIN = {"oʻ": ord("z") + 0.1, "gʻ": ord("z") + 0.2, "sh": ord("z") + 0.3,
             "ch": ord("z") + 0.4}
#: Characters people type for the ʻ of oʻ and gʻ.
_TURNED = "'`\u2018\u2019\u02bb\u02bc"


#: Letters that Unicode decomposes into a letter and a mark but that are letters of their own.
_WHOLE = set("ёйў")


def _base(c: str) -> str:
    """``c`` without its accent (``é`` -> ``e``), except the letters of :data:`_WHOLE`."""
    return c if c in _WHOLE else unicodedata.normalize("NFD", c)[0]


def _primary(text: str, lang: str) -> tuple[float, ...]:
    """The letters' ranks: case folded, accents dropped."""
    letters = [_base(c) for c in unicodedata.normalize("NFC", text.casefold())]
    out: list[float] = []
    i = 0
    while i < len(letters):
        c = letters[i]
        if lang == "uz" and i + 1 < len(letters):
            nxt = letters[i + 1]
            pair = c + ("ʻ" if nxt in _TURNED and c in "og" else nxt)
            if pair in _UZ_LATIN:
                out.append(_UZ_LATIN[pair])
                i += 2
                continue
        out.append(_CYRILLIC.get(c, ord(c)))
        i += 1
    return tuple(out)


def key(text: str, lang: str = "en") -> tuple:
    """A sort key for ``text`` (a label) in the alphabetical order of ``lang`` (one of
    ``uz``, ``uz-Cyrl``, ``ru``, ``en``); ties broken by case and accents, then the text."""
    text = str(text)
    return (_primary(text, lang), text.casefold(), text)


def initial(text: str, lang: str = "en") -> str:
    """The letter an alphabetical index files ``text`` under: its first letter, capital,
    without accent; ``Ё`` under ``Е`` (as Russian indexes do); in Uzbek Latin the two-character
    letters ``Oʻ Gʻ Sh Ch`` under themselves."""
    text = unicodedata.normalize("NFC", str(text))
    if not text:
        return ""
    if lang == "uz" and len(text) > 1:
        pair = text[0].lower() + ("ʻ" if text[1] in _TURNED and text[0] in "oOgG"
                                  else text[1].lower())
        if pair in _UZ_LATIN:
            return pair[0].upper() + pair[1]
    first = _base(text[0].casefold()).upper()
    return "Е" if first == "Ё" else first
