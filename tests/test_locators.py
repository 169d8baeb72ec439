"""Locators (where a quote stands in its paper): computed from the real papers as a reader finds
them in print, kept up to date in ontology/kb/locators.ttl, shown with the quotes."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"


def seed(prefix: str):
    from educluster.locators import Seed

    path = next(SEEDS.glob(prefix + "_*.txt"))
    return Seed(path.name, path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefix, quote, locator", [
    # 003 prints pages 250-257; its running header opens each page, the first included
    ("003", "At the present stage of civilization, the complex development of society", "p. 250"),
    ("003", "organizations and technologies in the region as an innovative approach to education.", "p. 257"),
    # 004: running headers, no printed numbers: pages counted from the first, in brackets
    ("004", "A group of researchers notes that the concept of continuous education appeared", "p. [1]"),
    ("004", "coordination of positions of social partners on vocational education issues;", "p. [4]"),
    # 002: headings in capitals; the Abstract is a run-in heading on the first line
    ("002", "The goal of innovations introduced in all spheres", 'section "Abstract"'),
    ("002", "3. Open lessons of leading teachers of the region", 'section "RECOMMENDATIONS"'),
    ("002", "21 comprehensive schools; 5 preschool educational institutions;", 'section "RESULTS AND FINDINGS"'),
    # 001: Markdown headings, printed in bold with a colon
    ("001", "Educational clusters are a relatively new and poorly studied phenomenon", 'section "Introduction"'),
    # 000: plain headings, and a run-in "Conclusion:"
    ("000", "Analysis of the results of the study led to the conclusion", 'section "Conclusion"'),
])
def test_locator_of_a_quote_is_where_the_paper_prints_it(prefix, quote, locator):
    assert seed(prefix).locate(quote) == locator


def test_a_quote_the_paper_lacks_has_no_locator():
    assert seed("002").locate("a sentence the paper does not contain") is None


def test_printed_page_range_must_fit_the_running_headers():
    """A seed that lost a running header would shift every later page: refused, not guessed."""
    from educluster.locators import Seed

    s = seed("003")
    assert s.check_pages() is None
    broken = Seed(s.name, s.text.replace("Impact Factor:", "Impact factor -", 1))
    assert "8" in broken.check_pages() and "250-257" in broken.check_pages()


def test_locators_file_is_up_to_date_and_deterministic(capsys):
    """ontology/kb/locators.ttl is exactly what the generator writes from the current knowledge
    base and papers (re-run python -m educluster.locators after adding or moving quotes)."""
    from educluster.locators import main

    assert main(["--check", "--seeds", str(SEEDS)]) == 0, capsys.readouterr().err


def test_generator_without_seeds_is_one_line_exit_2(tmp_path, capsys):
    from educluster.locators import main

    assert main(["--seeds", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nowhere" in err and "Traceback" not in err


def test_every_quote_bearing_item_has_a_locator():
    """Coverage of the real knowledge base: each item whose quote is found has a locator."""
    import pyoxigraph

    from educluster.kb import ontology_files
    from educluster.locators import QUOTES, stored

    store = pyoxigraph.Store()
    for f in ontology_files():
        store.load(path=str(f), format=pyoxigraph.RdfFormat.TURTLE)
    items = {r["item"].value for r in store.query(QUOTES)}
    assert items and items <= set(stored(store))


def test_site_shows_the_locator_with_the_quotes():
    """A 003 principle's page and the definition cards show where the quote stands; an item
    with several quotes (the Tashkent cluster) shows all of them."""
    from educluster import paths
    from educluster.site import generate

    pages = generate.build_pages(generate.Options(site=paths.site_dir(), work=Path("unused"), repo=REPO)).pages
    succession = pages["id/principle/succession.md"].render()
    assert '<p class="ec-locator">Location in the paper: p. 254</p>' in succession
    cards = pages["terms/EducationalCluster.md"].render()
    assert cards.count('class="ec-def"') == cards.count('class="ec-locator"') > 0
    cluster = pages["id/cluster/tashkent-cluster.md"].render()
    assert cluster.count('class="ec-quote"') == 6 and 'section &quot;RESULTS AND FINDINGS&quot;' in cluster
