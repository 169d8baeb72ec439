"""`educluster check` must not pass what is wrong (issue 10, section 5).

Each test edits a COPY of the real ontology/ and shapes/ (EDUCLUSTER_HOME points at the copy) the way
a careless or mistaken edit would, runs the real `educluster check`, and expects the rule's finding
(exit 1) on the edited item, with its file and line; or, for seeds, the one-line error (exit 2).
The unedited copy is clean (exit 0). The reasoner is skipped: these rules do not need it."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
QUOTE = re.compile(r'ec:quote "((?:[^"\\]|\\.)*)"')


@pytest.fixture()
def home(tmp_path) -> Path:
    """A copy of the repository's ontology/ and shapes/ that a test may edit."""
    if not SEEDS.is_dir():
        pytest.fail(f"the source papers are needed: {SEEDS} is missing")
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "ontology", copy / "ontology")
    shutil.copytree(ROOT / "shapes", copy / "shapes")
    return copy


def check(home: Path, *extra: str, seeds: Path | None = SEEDS) -> tuple[int, dict, str]:
    """Run the real `educluster check` on the copy; return (exit code, JSON report, stderr)."""
    env = {k: v for k, v in os.environ.items() if k != "EDUCLUSTER_SEEDS"}
    env["EDUCLUSTER_HOME"] = str(home)
    if seeds is not None:
        env["EDUCLUSTER_SEEDS"] = str(seeds)
    proc = subprocess.run([sys.executable, "-m", "educluster", "check", "--no-reasoner", "--format", "json", *extra],
                          capture_output=True, text=True, env=env, cwd=home, timeout=300)
    report = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {}
    return proc.returncode, report, proc.stderr


def relocate(home: Path) -> None:
    """Re-run the locator generator on the copy, as the `locator` rule tells an editor to after
    moving quotes, so that only the rule under test can still see the edit."""
    env = dict(os.environ, EDUCLUSTER_HOME=str(home))
    subprocess.run([sys.executable, "-m", "educluster.locators", "--seeds", str(SEEDS)],
                   capture_output=True, text=True, env=env, cwd=home, timeout=300, check=True)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` (which must occur) by `new` in a file of the copy."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the test's anchor moved"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def block(path: Path, subject: str) -> tuple[str, int]:
    """The statement block of `subject` (from its line to the next blank line) and its line number."""
    text = path.read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(subject)} a .*?(?=\n\s*\n)", text, re.M | re.S)
    assert match, f"{subject} not found in {path.name}"
    return match.group(0), text[: match.start()].count("\n") + 1


def findings(report: dict, rule: str) -> list[dict]:
    """The report's findings of one rule."""
    return [f for f in report["findings"] if f["rule"] == rule]


def only(report: dict, rule: str, focus_end: str) -> dict:
    """The report's findings are exactly one of `rule`, on the item whose IRI ends with `focus_end`."""
    assert {f["rule"] for f in report["findings"]} == {rule}, report["findings"]
    [finding] = report["findings"]
    assert finding["focus"].endswith(focus_end), finding
    return finding


def test_unedited_copy_is_clean_and_counts_what_it_examined(home):
    """The real knowledge base passes every rule, and each rule examined a real number of items."""
    code, report, stderr = check(home)
    assert code == 0, json.dumps(report.get("findings", [])[:10], indent=1) + stderr
    assert {"quotes", "attribution", "list-order", "numbers", "label-overlap"} <= set(report["checks"])
    assert report["examined"]["quotes"] > 500 and report["examined"]["attribution"] > 50
    assert report["examined"]["list-order"] > 300 and report["examined"]["numbers"] > 500
    assert report["examined"]["label-overlap"] > 400


def test_definition_reattributed_to_another_scholar(home):
    """Porter's definition in 001 handed to Chuchkalova: her name stands nowhere near that quote."""
    kb = home / "ontology/kb/p001-umirjonova.ttl"
    text, line = block(kb, "definition:porter-umirjonova-1")
    edit(kb, text, text.replace("prov:wasAttributedTo person:porter", "prov:wasAttributedTo person:chuchkalova"))
    code, report, _ = check(home)
    assert code == 1
    finding = only(report, "attribution", "definition/porter-umirjonova-1")
    assert finding["value"].endswith("person/chuchkalova")
    assert finding["file"].endswith("ontology/kb/p001-umirjonova.ttl") and finding["line"] == line


def test_printed_attribution_must_stand_by_the_quote(home):
    """The paper's own words for whom it reports a definition from (ec:printedAttribution) are
    verbatim: words that do not stand near the quote are a finding."""
    kb = home / "ontology/kb/p004-khimmataliev-2023.ttl"
    edit(kb, 'ec:printedAttribution "A group of researchers"', 'ec:printedAttribution "A group of scientists"')
    code, report, _ = check(home)
    assert code == 1
    finding = only(report, "attribution", "definition/group-of-researchers-continuous-education-khimmataliev-2023")
    assert finding["value"] == "A group of scientists"


def test_cited_definition_handed_to_the_papers_author(home):
    """Porter's definition in 000 re-attributed to Mirzayev, 000's author: the paper's own voice
    would need no name nearby, but Porter's name stands next to the quote."""
    kb = home / "ontology/kb/p000-mirzayev.ttl"
    text, line = block(kb, "def:porter-mirzayev")
    edited = re.sub(r"prov:wasAttributedTo person:porter", "prov:wasAttributedTo person:mirzayev", text)
    edited = re.sub(r"(dcterms:source paper:mirzayev) , work:porter-2004", r"\1", edited)
    edit(kb, text, edited)
    code, report, _ = check(home)
    assert code == 1
    finding = only(report, "attribution-own-voice", "definition/porter-mirzayev")
    assert "porter" in finding["value"] and finding["line"] == line


def test_quotes_of_two_principles_swapped(home):
    """Principles 2 and 3 of 003's list with each other's quotes: the list no longer reads in order."""
    kb = home / "ontology/kb/p003-mukhamedov-2020-b.ttl"
    second, _ = block(kb, "principle:inseparability-and-continuity")
    third, line = block(kb, "principle:succession")
    q2, q3 = QUOTE.search(second).group(0), QUOTE.search(third).group(0)
    edit(kb, second, second.replace(q2, q3))
    edit(kb, third, third.replace(q3, q2))
    relocate(home)        # even with the locators regenerated, the swap is caught
    code, report, _ = check(home)
    assert code == 1
    # the label rule and the page locators see the swap too; the list-order rule alone would suffice
    assert {f["rule"] for f in report["findings"]} <= {"list-order", "label-quote-overlap", "locator"}
    [finding] = findings(report, "list-order")
    assert finding["focus"].endswith("principle/succession")
    assert finding["line"] == line and finding["file"].endswith("p003-mukhamedov-2020-b.ttl")


def test_quotes_swapped_with_their_positions(home):
    """Principles 2 and 3 swapped with quotes AND positions, so the list reads in order: each label
    now stands over a quote that has none of its words."""
    kb = home / "ontology/kb/p003-mukhamedov-2020-b.ttl"
    second, _ = block(kb, "principle:inseparability-and-continuity")
    third, _ = block(kb, "principle:succession")
    q2, q3 = QUOTE.search(second).group(0), QUOTE.search(third).group(0)
    edit(kb, second, second.replace(q2, q3).replace("ec:listPosition 2 ;", "ec:listPosition 3 ;"))
    edit(kb, third, third.replace(q3, q2).replace("ec:listPosition 3 ;", "ec:listPosition 2 ;"))
    code, report, _ = check(home)
    assert code == 1
    assert {f["rule"] for f in report["findings"]} <= {"label-quote-overlap", "locator"}, report["findings"]
    assert sorted(f["focus"].rsplit("/", 1)[-1] for f in findings(report, "label-quote-overlap")) == [
        "inseparability-and-continuity", "succession"]


@pytest.mark.parametrize("where", ["label", "definition"])
def test_number_and_year_not_in_quote(home, where):
    """A figure (7) and a year (1998) the quote does not print, written into a label or definition."""
    kb = home / "ontology/kb/p003-mukhamedov-2020-b.ttl"
    if where == "label":
        edit(kb, 'rdfs:label "succession"@en', 'rdfs:label "succession since 1998"@en')
    else:
        edit(kb, 'skos:definition "The principle that the cluster subjects are positioned in a single vertical line',
             'skos:definition "The principle, in 7 steps, that the cluster subjects are positioned in a single vertical line')
    code, report, _ = check(home)
    assert code == 1
    finding = only(report, "number-not-in-quote", "principle/succession")
    assert finding["value"] == ("1998" if where == "label" else "7")


def test_list_without_source_and_quote(home):
    """A list (skos:ConceptScheme) stripped of its source and quote: two findings on the list."""
    kb = home / "ontology/kb/p001-umirjonova.ttl"
    text, line = block(kb, "scheme:cluster-features-umirjonova")
    stripped = re.sub(r"\n\s*dcterms:source [^;]*;", "", text)
    stripped = re.sub(r' ;\n\s*ec:quote "(?:[^"\\]|\\.)*"', "", stripped)
    assert "ec:quote" not in stripped and "dcterms:source" not in stripped
    edit(kb, text, stripped)
    code, report, _ = check(home)
    assert code == 1
    assert {f["rule"] for f in report["findings"]} == {"source-missing", "quote-missing"}, report["findings"]
    assert all(f["focus"].endswith("scheme/cluster-features-umirjonova") and f["line"] == line
               for f in report["findings"])


def test_quote_is_looked_for_in_the_items_own_paper(home):
    """A claim of 001 whose source is changed to 000: its quote is in a paper, but not in its own."""
    kb = home / "ontology/kb/p001-umirjonova.ttl"
    text, _ = block(kb, "claim:education-must-be-synchronized-with-society")
    edit(kb, text, text.replace("dcterms:source paper:umirjonova", "dcterms:source paper:mirzayev"))
    code, report, _ = check(home)
    assert code == 1
    finding = only(report, "quote-verbatim", "claim/education-must-be-synchronized-with-society")
    assert "000_" in finding["message"]


def test_item_from_two_papers(home):
    """A claim of 001 that also names paper 000 as its source: an item comes from one paper."""
    kb = home / "ontology/kb/p001-umirjonova.ttl"
    text, line = block(kb, "claim:education-must-be-synchronized-with-society")
    edit(kb, text, text.replace("dcterms:source paper:umirjonova", "dcterms:source paper:umirjonova , paper:mirzayev"))
    code, report, _ = check(home)
    assert code == 1
    finding = only(report, "source-papers", "claim/education-must-be-synchronized-with-society")
    assert "paper/mirzayev" in finding["value"] and finding["line"] == line


def test_short_quote_needs_a_recorded_reason(home):
    """A quote cut to 19 characters (still verbatim) is a finding until an exception records why."""
    kb = home / "ontology/kb/p001-umirjonova.ttl"
    text, _ = block(kb, "claim:goal-of-the-inquiry")
    edit(kb, text, QUOTE.sub('ec:quote "goal of the current"', text))
    code, report, _ = check(home)
    assert code == 1
    only(report, "quote-short", "claim/goal-of-the-inquiry")
    with (home / "ontology/qc/exceptions.ttl").open("a", encoding="utf-8") as out:
        out.write('\n[] qc:rule "quote-short" ; qc:item claim:goal-of-the-inquiry ;\n'
                  '   qc:reason "test: a recorded reason silences the rule on this item" .\n')
    text = (home / "ontology/qc/exceptions.ttl").read_text(encoding="utf-8")
    (home / "ontology/qc/exceptions.ttl").write_text(
        "@prefix claim: <https://w3id.org/educluster/id/claim/> .\n" + text, encoding="utf-8")
    code, report, _ = check(home)
    assert code == 0, report["findings"]


def test_exception_without_reason_or_use_is_a_finding(home):
    """An exception must carry a reason, and one that silences nothing must be removed."""
    exceptions = home / "ontology/qc/exceptions.ttl"
    with exceptions.open("a", encoding="utf-8") as out:
        out.write('\n[] qc:rule "attribution" ; qc:item <https://w3id.org/educluster/id/claim/goal-of-the-inquiry> ;\n'
                  '   qc:reason "test: nothing to silence here" .\n'
                  '[] qc:rule "quote-short" ; qc:item <https://w3id.org/educluster/id/claim/goal-of-the-inquiry> .\n')
    code, report, _ = check(home)
    assert code == 1
    assert {f["rule"] for f in report["findings"]} == {"exception-unused", "exception-incomplete"}
    assert all(f["file"].endswith("ontology/qc/exceptions.ttl") and f["line"] for f in report["findings"])


def test_misspelt_seed_file_is_an_error(home):
    """A paper whose ec:seedFile is misspelt would leave all its quotes unchecked: exit 2, one line."""
    sources = home / "ontology/sources.ttl"
    edit(sources, 'ec:seedFile "003_8bd5fcc17edcf307.txt"', 'ec:seedFile "003_8bd5fcc17edcf30.txt"')
    code, _, stderr = check(home)
    assert code == 2
    [line] = stderr.strip().splitlines()
    assert "sources.ttl:" in line and "003_8bd5fcc17edcf30.txt" in line and "Traceback" not in line


def test_seeds_folder_without_the_papers_is_an_error(home, tmp_path):
    """--seeds at a folder that holds none of the papers: exit 2, one line naming it and --no-seeds."""
    empty = tmp_path / "not-the-papers"
    empty.mkdir()
    (empty / "notes.txt").write_text("nothing here\n", encoding="utf-8")
    code, _, stderr = check(home, "--seeds", str(empty))
    assert code == 2
    [line] = stderr.strip().splitlines()
    assert "not-the-papers" in line and "--no-seeds" in line


def test_no_seeds_folder_needs_the_typed_flag(home):
    """Without any seeds folder check refuses (exit 2); --no-seeds skips and the report says so."""
    code, _, stderr = check(home, seeds=None)
    assert code == 2 and "--no-seeds" in stderr and len(stderr.strip().splitlines()) == 1
    code, report, stderr = check(home, "--no-seeds", seeds=None)
    assert code == 0, report.get("findings")
    assert "quotes" not in report["checks"] and any("--no-seeds" in note for note in report["notes"])


def test_text_report_prints_file_and_line(home):
    """The text report sends the editor to file:line of the offending item."""
    kb = home / "ontology/kb/p003-mukhamedov-2020-b.ttl"
    _, line = block(kb, "principle:succession")
    edit(kb, 'rdfs:label "succession"@en', 'rdfs:label "succession since 1998"@en')
    env = dict(os.environ, EDUCLUSTER_HOME=str(home), EDUCLUSTER_SEEDS=str(SEEDS))
    proc = subprocess.run([sys.executable, "-m", "educluster", "check", "--no-reasoner"],
                          capture_output=True, text=True, env=env, cwd=home, timeout=300)
    assert proc.returncode == 1
    assert f"ontology/kb/p003-mukhamedov-2020-b.ttl:{line}]" in proc.stdout


def test_unreadable_paper_is_an_error(home, tmp_path):
    """A paper's text that is not UTF-8 cannot be searched: exit 2, one line naming the file."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    broken = next(seeds.glob("004_*.txt"))
    broken.write_bytes(b"\xff\xfe\x00 not text \xc3\x28")
    code, _, stderr = check(home, seeds=seeds)
    assert code == 2
    [line] = stderr.strip().splitlines()
    assert broken.name in line and "UTF-8" in line


def test_printed_form_must_be_printed(home):
    """A reference number the paper does not print cannot stand in for a scholar's name."""
    forms = home / "ontology/qc/printed-forms.ttl"
    with forms.open("a", encoding="utf-8") as out:
        out.write("\npaper:mukhamedov-2020 qc:reference [ qc:number 12 ; qc:work work:porter-2004 ] .\n")
    code, report, _ = check(home)
    assert code == 1
    finding = only(report, "printed-form", "paper/mukhamedov-2020")
    assert "[12]" in finding["message"] and finding["file"].endswith("ontology/qc/printed-forms.ttl")
    assert finding["line"] == len(forms.read_text(encoding="utf-8").splitlines())


def test_text_report_shows_control_characters_visibly(home):
    """Before: `check`'s text report echoed quotes from the edited files as they were, so an ESC
    sequence typed (or pasted) into a quote reached the terminal as a command (issue 12, 14)."""
    kb = home / "ontology" / "kb" / "p004-khimmataliev-2023.ttl"
    text = kb.read_text(encoding="utf-8")
    m = QUOTE.search(text)
    edit(kb, m.group(0), 'ec:quote "\\u001b]0;owned\\u0007 not in any paper"')
    env = {k: v for k, v in os.environ.items() if k != "EDUCLUSTER_SEEDS"}
    env.update(EDUCLUSTER_HOME=str(home), EDUCLUSTER_SEEDS=str(SEEDS))
    proc = subprocess.run([sys.executable, "-m", "educluster", "check", "--no-reasoner"],
                          capture_output=True, text=True, env=env, cwd=home, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "\\x1b]0;owned" in proc.stdout
