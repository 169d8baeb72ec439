"""The words of the profile and report pages (outcomes, kinds, levels, series, steps) as the
page's language says them.

How these pages show texts, numbers and names in their language (marked English stand-ins,
quotes) is shared with serve's query page and lives in :mod:`educluster.language`; it is
imported here so that the pages read both from one name (``L``).
"""

from __future__ import annotations

from educluster.i18n import N_, _
from educluster.language import (  # noqa: F401 - the pages use them as L.<name>
    BABEL, alphabetical, el, english_html, fallback_note, is_stand_in, lang_attr, name_html,
    name_plain, number, quoting_html, text_html, translated)

#: the outcomes of a criterion (machine codes in JSON) as pages say them
OUTCOMES = {"shown": N_("shown"), "not shown in the data": N_("not shown in the data"),
            "not applicable": N_("not applicable")}
#: the short forms of the side-by-side table
SHORT = {"shown": N_("shown"), "not shown in the data": N_("not shown"),
         "not applicable": N_("n/a")}
#: the kinds of cluster (machine codes in JSON)
KINDS = {"educational cluster": N_("educational cluster"),
         "pedagogical education cluster": N_("pedagogical education cluster")}
#: the series of the dynamics criterion (machine codes in JSON)
SERIES = {"members": N_("members"), "links": N_("links"), "activities": N_("activities")}
#: levels of education (report/facts.py LEVELS)
LEVELS = {"preschool": N_("preschool"), "general secondary": N_("general secondary"),
          "secondary specialised": N_("secondary specialised"),
          "secondary vocational": N_("secondary vocational"), "higher": N_("higher")}
#: the steps between levels that continuity-succession-links names by text
STEPS = (N_("preschool – school"), N_("school – academic lyceum"), N_("school – college"),
         N_("academic lyceum – higher education"), N_("college – higher education"))


def word(table: dict, code: str) -> str:
    """The page's word for a machine code of ``table`` (the code itself when unknown)."""
    return _(table[code]) if code in table else code


