"""The site's data guide ("Validate your data"): per table, the CSV column and sheet names
first, meaning, required or not, allowed codes with their meaning, an example, the RDF name
last; derived from the same column definitions the converter reads."""

from __future__ import annotations

import re

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def guide() -> str:
    from educluster.site.generate import Options, build_pages

    pages = build_pages(Options(site=REPO / "site", work=REPO / "site" / "docs" / "generated",
                                repo=REPO))
    return pages.pages["validate.md"].render()


def test_every_table_and_column_of_the_layout_is_in_the_guide(guide):
    from educluster.convert.layout import TEMPLATES

    for t in TEMPLATES:
        head = (f"### <code>{t.name}.csv</code> — sheet <code>{t.name}</code>")
        assert head in guide, t.name
        section = guide.split(head, 1)[1].split("\n### ", 1)[0]
        header = section.split("| --- ")[0]
        assert header.index("column") < header.index("RDF name (for programmers)")
        for c in t.columns:
            assert re.search(rf"^\| <code>{re.escape(c.name)}</code> \|", section, re.M), \
                (t.name, c.name)


def test_codes_with_their_meaning_required_example_and_rdf_name(guide):
    role = next(ln for ln in guide.splitlines()
                if ln.startswith("| <code>role</code>") and "org:role" in ln)
    assert "**required**" in role and "<code>core</code> — " in role
    assert "<code>partner</code>" in role
    # a long list of codes gets a table of its own, linked from the column
    assert "(validate.md#table-participants-type)" in guide
    assert "{ #table-participants-type }" in guide


def test_saving_utf8_and_the_meaning_of_bar_hash_and_counts(guide):
    assert "CSV UTF-8 (Comma delimited)" in guide and "Unicode (UTF-8)" in guide
    assert "Windows-1251" in guide and "template --xlsx" in guide
    assert "<code>&#124;</code> separates several values" in guide
    assert "<code>&#35;</code> is a comment" in guide and "**Counts**" in guide
