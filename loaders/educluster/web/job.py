"""One validation as the service runs it, in a worker process: the same library call as
``educluster validate`` (:func:`educluster.validate.validate_files`), every report format,
and the data converted to Turtle, returned as plain data the page and the API show."""

from __future__ import annotations

import json
from pathlib import Path

STATUS = {0: "conforms", 1: "violations", 2: "unreadable"}


def validate(folder: str, names: list[str], lang: str, strict: bool) -> dict:
    """Validate the files ``names`` in ``folder`` in language ``lang``; every output."""
    import os

    from educluster import i18n
    from educluster.errors import UserError
    from educluster.validate import unreadable_json, validate_files
    from educluster.validate.report import count
    from educluster.validate.report_formats import _rows

    i18n.set_language(lang)
    os.chdir(folder)  # file names in the report are the uploaded names, not the private path
    try:
        outcome = validate_files(names, strict=strict)
    except UserError as exc:
        doc = json.loads(unreadable_json(exc, names))
        problems = getattr(exc, "problems", [exc])
        return {"exit_code": 2, "status": STATUS[2], "json": doc,
                "errors": [{"file": p.fields().get("file"), "line": p.fields().get("line"),
                            "message": p.message} for p in problems]}
    v, w = count(outcome.results)
    bases = tuple(sorted(getattr(outcome.loaded, "bases", ()) or ()))
    rows = [{k: (None if r.get(k) is None else str(r.get(k)))
             for k in ("severity", "file", "sheet", "cell", "row", "column", "entity", "rule",
                       "message", "value", "fix", "source")}
            for r in _rows(outcome.entities, bases)]
    return {"exit_code": outcome.code, "status": STATUS[outcome.code], "violations": v,
            "warnings": w, "rows": rows,
            "json": json.loads(outcome.render("json")), "csv": outcome.render("csv"),
            "html": outcome.render("html"), "turtle": _turtle(names)}


def _turtle(names: list[str]) -> str | None:
    """The data as Turtle, as ``educluster convert --allow-invalid`` writes it (None when it
    cannot be converted, e.g. too large for the converter)."""
    from educluster.convert import serialise
    from educluster.convert.inputs import DEFAULT_MAX_MB, load_inputs
    from educluster.errors import UserError

    try:
        loaded = load_inputs([str(Path(n)) for n in names], max_mb=DEFAULT_MAX_MB)
    except UserError:
        return None
    header = "# converted by educluster web from " + ", ".join(loaded.files)
    return serialise(loaded.graph, "turtle", None, header)
