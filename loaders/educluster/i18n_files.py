"""The translation files of the vocabulary (``ontology/i18n/<lang>.ttl`` for the TBox,
``ontology/i18n/kb/<lang>.ttl`` for the knowledge base's codes) and the glossary: where
they are, which terms need translating, and ``uz-Cyrl.ttl`` derived from ``uz.ttl`` by
transliteration (``python -m educluster.i18n_files`` rewrites it, and that of the shapes' messages in
``shapes/i18n/``; a test keeps them in step)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from educluster import paths
from educluster.i18n import LANGUAGES, to_cyrillic

EC = "https://w3id.org/educluster/ontology#"
ID = "https://w3id.org/educluster/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
#: The annotation properties translated, and whether every term must have them.
TRANSLATED = (RDFS_LABEL, SKOS + "definition", SKOS + "prefLabel")
#: The files of the TBox whose classes and properties are vocabulary.
TBOX_FILES = ("core.ttl", "knowledge.ttl", "institutions.ttl", "regions.ttl")
SET_IRI = "https://w3id.org/educluster/ontology/i18n/"
CYRILLIC_HEADER = ("# Generated from uz.ttl by `python -m educluster.i18n_files` (Uzbek Latin "
                   "transliterated to Cyrillic); do not edit: edit uz.ttl and run it again.\n")


def i18n_dir(ontology_dir: Path | None = None) -> Path:
    """``ontology/i18n/``: one Turtle file of translations per language, and the glossary."""
    return (Path(ontology_dir) if ontology_dir else paths.ontology_dir()) / "i18n"


def glossary_path(ontology_dir: Path | None = None) -> Path:
    """``ontology/i18n/glossary.tsv``: one row per recurring term (en, uz, uz-Cyrl, ru, note)."""
    return i18n_dir(ontology_dir) / "glossary.tsv"


def read_glossary(path: Path | None = None) -> list[dict[str, str]]:
    """The glossary's rows as dicts keyed by its header (en, uz, uz-Cyrl, ru, note)."""
    import csv

    with open(path or glossary_path(), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def cyrillic_turtle(uz_text: str) -> str:
    """``uz-Cyrl.ttl`` from the text of ``uz.ttl``: every ``"..."@uz`` literal transliterated and
    re-tagged, the set's own IRI and language changed, the rest kept line for line."""
    def literal(m: re.Match) -> str:
        return '"' + to_cyrillic(m.group(1)) + '"@uz-Cyrl'

    out = re.sub(r'"((?:[^"\\]|\\.)*)"@uz\b(?!-)', literal, uz_text)
    out = re.sub(r"<(https://w3id\.org/educluster/(?:ontology|shapes)/i18n/(?:kb/)?)uz>",
                 r"<\1uz-Cyrl>", out)
    out = re.sub(r'dcterms:language\s+"uz"', 'dcterms:language "uz-Cyrl"', out)
    lines = out.splitlines(keepends=True)
    body = [ln for ln in lines if not ln.startswith("# Generated from uz.ttl")]
    return CYRILLIC_HEADER + "".join(body)


def main(argv: list[str] | None = None) -> int:
    """Rewrite the ``uz-Cyrl.ttl`` files (ontology/i18n/, its kb/, shapes/i18n/) and the
    glossary's uz-Cyrl column from the Latin."""
    from educluster.atomic import write_atomic

    d = i18n_dir()
    for folder in (d, d / "kb", paths.shapes_dir() / "i18n"):
        write_atomic(folder / "uz-Cyrl.ttl",
                     cyrillic_turtle((folder / "uz.ttl").read_text(encoding="utf-8")))
    rows = read_glossary()
    if rows:
        head = list(rows[0].keys())
        lines = ["\t".join(head)]
        for r in rows:
            r["uz-Cyrl"] = to_cyrillic(r["uz"])
            lines.append("\t".join(r[h] or "" for h in head))
        write_atomic(glossary_path(), "\n".join(lines) + "\n")
    print(f"wrote uz-Cyrl.ttl in {d}, {d / 'kb'} and {paths.shapes_dir() / 'i18n'}, and the "
          f"uz-Cyrl column of {glossary_path()}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
