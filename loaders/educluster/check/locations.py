"""Where each subject of the hand-edited Turtle files is written (file and line), so that every
finding of `check` can send the editor to the offending item.

The files follow the project's layout: a subject starts a statement at the beginning of a line
(`prefix:name ...` or `<iri> ...`). A light scan of those lines, with each file's own @prefix
declarations, is enough and costs milliseconds; blank nodes and nested subjects get no line."""
from __future__ import annotations

import re
from pathlib import Path

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z0-9_.-]*):\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:<([^>\s]+)>|([A-Za-z][A-Za-z0-9_.-]*)?:([A-Za-z0-9_][^\s;,.]*(?:\.[^\s;,.]+)*))(?=[\s;,]|$)")


class Locations:
    """Maps an IRI to the (file, line) of the statement that types it (`subject a ...`), else the
    first statement that has it as subject (files that only add to items, e.g. generated locators,
    do not hide where the item is written)."""

    def __init__(self) -> None:
        """An empty index; add_file fills it."""
        self._where: dict[str, tuple[str, int]] = {}
        self._files: list[tuple[str, list[str], dict[str, str]]] = []
        self._typed: set[str] = set()

    def add_file(self, path: Path, shown: str | None = None) -> None:
        """Index the subjects of one Turtle file; `shown` is the file name findings print."""
        name = shown or str(path)
        prefixes: dict[str, str] = {}
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        in_long_string = False
        self._files.append((name, text.splitlines(), prefixes))
        for number, line in enumerate(text.splitlines(), start=1):
            if line.count('"""') % 2 == 1:
                in_long_string = not in_long_string
                continue
            if in_long_string or not line or line[0].isspace() or line.startswith("#"):
                continue
            declared = _PREFIX.match(line)
            if declared:
                prefixes[declared.group(1)] = declared.group(2)
                continue
            match = _SUBJECT.match(line)
            if not match:
                continue
            if match.group(1) is not None:
                iri = match.group(1)
            else:
                base = prefixes.get(match.group(2) or "")
                if base is None:
                    continue
                iri = base + match.group(3)
            typed = line[match.end():].lstrip().startswith(("a ", "rdf:type "))
            if typed and iri not in self._typed:  # the statement that says what the item is wins
                self._typed.add(iri)
                self._where[iri] = (name, number)
            elif iri not in self._typed:
                self._where.setdefault(iri, (name, number))

    def of(self, iri: str) -> tuple[str, int | None]:
        """(file, line) of the IRI's statement, or ("", None) where it is not a written subject."""
        file, line = self._where.get(iri, ("", 0))
        return file, (line or None)

    def first_use(self, iri: str) -> tuple[str, int | None]:
        """(file, line) of the first line that writes the IRI anywhere (as <iri> or prefix:name),
        for terms that are used but never described, or ("", None)."""
        for name, lines, prefixes in self._files:
            tokens = [f"<{iri}>"] + [f"{p}:{iri[len(base):]}" for p, base in prefixes.items()
                                     if base and iri.startswith(base) and len(iri) > len(base)]
            for number, line in enumerate(lines, start=1):
                if any(_writes(line, token) for token in tokens):
                    return name, number
        return "", None

    def __len__(self) -> int:
        """How many subjects are indexed."""
        return len(self._where)


def _writes(line: str, token: str) -> bool:
    """Whether the line writes the token as a whole term (not inside a longer name)."""
    at = line.find(token)
    if at < 0:
        return False
    if token.startswith("<"):
        return True
    end = at + len(token)
    before = at == 0 or not (line[at - 1].isalnum() or line[at - 1] in ":_-")
    after = end == len(line) or line[end] in " \t;,.)"
    return before and after
