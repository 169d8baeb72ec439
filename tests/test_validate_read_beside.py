"""While pyoxigraph reads the data (its bulk load releases the GIL), ``validate`` loads the
ontology and shapes, checks the UTF-8 and finds the namespace IRIs written in N-Triples on a
second thread (issue 16 §4, decision 0036). What a user relies on: the same warnings and
results as the store scans give, for N-Triples and for every other input, and the same errors.
"""

from __future__ import annotations

import pytest

from test_validate import DATA, assert_one_line_error, cli, validate

EC = "https://w3id.org/educluster/ontology#"

#: Undeclared terms in every role (predicate, class, IRI value) and namespace, a blank-node
#: subject right after a literal that opens a namespace IRI it never closes (a scan that let
#: a match run on would swallow the next predicate), and namespace IRIs that are not
#: predicates or IRI objects: in a literal, a comment, a datatype and a subject.
TYPOS_NT = (
    '<https://example.org/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <' + EC + 'Scool> .\n'
    '<https://example.org/s> <' + EC + 'regoin> "x" .\n'
    '<https://example.org/s> <http://www.w3.org/ns/org#memberOf> <x:y> .\n'
    '<https://example.org/s> <https://schema.org/nmae> "see <https://schema.org/" .\n'
    '_:b <https://schema.org/nmea> "y" .\n'
    '_:b <' + EC + 'countedKind> <' + EC + 'Preschol> .\n'
    '<https://example.org/t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <' + EC + 'School> .\n'
    '<https://example.org/t> <' + EC + 'region> "<' + EC + 'InALiteral>" .\n'
    '# <' + EC + 'InAComment>\n'
    '<https://example.org/t> <http://www.w3.org/2000/01/rdf-schema#label> "1"^^<' + EC + 'Dtype> .\n'
    '<' + EC + 'SubjectOnly> <http://www.w3.org/2000/01/rdf-schema#label> "s" .\n')


def _keys(results):
    """What two runs must agree on; a blank node is "_:" (each parse names its own)."""
    from rdflib import BNode

    def text(t):
        return "_:" if isinstance(t, BNode) else str(t)
    return sorted((text(r.focus), str(r.path), text(r.value), r.component, r.message)
                  for r in results)


def _store(data: bytes):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def test_the_written_iris_give_the_warnings_of_the_store_scans():
    from educluster.convert.vocab import load_vocabulary
    from educluster.validate import unknown_terms

    vocab = load_vocabulary()
    data = TYPOS_NT.encode()
    store = _store(data)
    iris = unknown_terms.iris_in_ntriples(data)
    assert EC + "InALiteral" in iris and EC + "InAComment" in iris     # a superset ...
    scanned = _keys(unknown_terms.in_store(store, vocab))
    assert _keys(unknown_terms.from_iris(store, vocab, iris)) == scanned
    # ... giving exactly the scans' warnings: the predicates (the blank node's included), the
    # class and the values, none for the literal, comment, datatype or subject
    reported = {k[2] for k in scanned}
    assert {EC + "regoin", "https://schema.org/nmae", "https://schema.org/nmea",
            EC + "Scool", EC + "Preschol", "http://www.w3.org/ns/org#memberOf"} <= reported
    assert not reported & {EC + "InALiteral", EC + "InAComment", EC + "Dtype",
                           EC + "SubjectOnly"}


@pytest.mark.parametrize("escaped", [r"<https\u003A//schema.org/nmae>",
                                     r"<https://w3id.org/educluster/ontology#rego\u0069n>"])
def test_an_escape_in_the_text_leaves_the_check_to_the_store(tmp_path, escaped):
    """An IRI written with a \\u escape is not what the text shows: the scan gives up and the
    store scans find the undeclared term."""
    from educluster.validate import unknown_terms

    line = f'<https://example.org/s> {escaped} "x" .\n'
    assert unknown_terms.iris_in_ntriples(line.encode()) is None
    nt = tmp_path / "escaped.nt"
    nt.write_text(line, encoding="utf-8")
    warned = [r for r in validate(nt).results if "UnknownTerm" in r.component]
    assert [str(r.path) for r in warned] == [escaped[1:-1].encode().decode("unicode_escape")]


def test_ntriples_and_turtle_give_the_same_results(tmp_path):
    """The command on the typo data as N-Triples (the text scan) and as Turtle (the store
    scans): every result the same."""
    import pyoxigraph as ox

    nt = tmp_path / "typos.nt"
    nt.write_text(TYPOS_NT, encoding="utf-8")
    ttl = tmp_path / "typos.ttl"
    ttl.write_bytes(ox.serialize(ox.parse(TYPOS_NT.encode(), format=ox.RdfFormat.N_TRIPLES),
                                 format=ox.RdfFormat.TURTLE))
    from_nt, from_ttl = validate(nt).results, validate(ttl).results
    assert len([r for r in from_nt if "UnknownTerm" in r.component]) >= 6
    assert _keys(from_nt) == _keys(from_ttl)


FIXTURES = sorted((DATA / "invalid").glob("*.ttl")) + sorted((DATA / "valid").glob("*.ttl"))


@pytest.mark.parametrize("ttl", FIXTURES, ids=[p.parent.name + "/" + p.stem for p in FIXTURES])
def test_fixtures_as_ntriples_give_the_turtle_results(tmp_path, ttl):
    """Every fixture written as N-Triples: the same results as its Turtle."""
    import pyoxigraph as ox

    nt = tmp_path / (ttl.stem + ".nt")
    nt.write_bytes(ox.serialize(ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE),
                                format=ox.RdfFormat.N_TRIPLES))
    assert _keys(validate(nt).results) == _keys(validate(ttl).results)


def test_not_utf8_ntriples_is_reported_as_such_though_checked_beside(tmp_path):
    """The UTF-8 check runs while the store reads; a file that is not UTF-8 (here also a
    syntax error for the parser) still gets the UTF-8 error, with its line."""
    target = tmp_path / "latin.nt"
    target.write_bytes(b'<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> '
                       b'"a" .\n<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema'
                       b'#label> "\xa9kola" <oops\n')
    assert_one_line_error(*cli("validate", target), "latin.nt:2:", "UTF-8")


def test_a_syntax_error_is_still_one_line(tmp_path):
    target = tmp_path / "broken.nt"
    target.write_text('<https://example.org/a> <https://schema.org/name> "a" .\n<oops\n',
                      encoding="utf-8")
    assert_one_line_error(*cli("validate", target), "broken.nt:2", "syntax error")


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 64, 100, 1 << 20])
def test_the_scan_in_slices_finds_what_one_scan_of_the_whole_text_finds(monkeypatch, size):
    """The IRI scan reads a slice of whole lines at a time, so that the bulk load beside it
    gets the GIL between slices (one scan of the whole text held it for half a second and
    stalled the load; issue 16 §4, decision 0038). Regression: every slice size, however it
    cuts the lines, gives the IRIs of a scan of the whole text, and an escape in the last
    line is still seen."""
    from educluster.validate import unknown_terms

    data = TYPOS_NT.encode()
    whole = frozenset(m.decode() for m in unknown_terms._NT_IRI.findall(data))
    monkeypatch.setattr(unknown_terms, "SCAN_SLICE", size)
    assert unknown_terms.iris_in_ntriples(data) == whole
    escaped = data + b'<https://example.org/s> <https://schema.org/n\\u0061me> "x" .\n'
    assert unknown_terms.iris_in_ntriples(escaped) is None


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64])
def test_the_utf8_check_in_slices_names_the_line_and_accepts_split_characters(
        tmp_path, monkeypatch, size):
    """The UTF-8 check decodes a slice at a time for the same reason: a character whose bytes
    two slices share is accepted, and a byte that is not UTF-8 is reported on its own line,
    wherever the slices fall."""
    from educluster.convert import inputs
    from educluster.errors import UserError

    monkeypatch.setattr(inputs, "UTF8_SLICE", size)
    good = ('<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "Maktab" .\n'
            '<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> '
            '"Ўқув мажмуаси ўзбек тилида" .\n').encode()
    inputs.check_utf8(tmp_path / "good.nt", good)
    bad = good + b'<https://example.org/c> <http://www.w3.org/2000/01/rdf-schema#label> "\xa9" .\n'
    with pytest.raises(UserError) as caught:
        inputs.check_utf8(tmp_path / "bad.nt", bad)
    assert caught.value.line == 3
