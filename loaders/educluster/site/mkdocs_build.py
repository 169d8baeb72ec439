"""Build the generated docs with mkdocs-material (``python -m mkdocs build --strict``).

mkdocs runs in a child process of this Python (the same virtual environment) into a
fresh folder next to the output, which replaces the output only when the strict
build and the link check both pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from educluster import atomic
from educluster.errors import UserError
from educluster.i18n import _, ngettext
from educluster.site import linkcheck

#: mkdocs builds at a time (one per language; the machine has two cores)
PARALLEL = 2


def build(config: Path | dict, out: Path, late=None) -> tuple[float, "linkcheck.Report"]:
    """Build ``config`` into ``out``; ``late()`` returns files (path -> bytes) to add to the site.

    ``config`` may be a dict {folder in the site ("" for the root): mkdocs.yml}: one build per
    language (decision 0029), each into its own folder, two at a time, put together under the
    root's before the link check. ``late`` runs while mkdocs builds (mkdocs is a child process,
    so the two share the machine's cores); its files go into the built site before the link check.
    """
    out = Path(os.path.abspath(out))
    configs = config if isinstance(config, dict) else {"": config}
    tmp = atomic.new_folder(out)  # refuses a link or a file at out
    parts = {"": tmp}
    for folder in configs:
        if folder:
            parts[folder] = atomic.new_folder(out.with_name(out.name + "." + folder.strip("/")))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    t0 = time.perf_counter()

    def cleanup():
        for d in parts.values():
            shutil.rmtree(d, ignore_errors=True)

    todo = list(configs.items())
    running: list = []
    failed = None
    with tempfile.TemporaryDirectory() as logs:
        def start(folder, cfg):
            log = open(Path(logs) / f"{len(running)}-{folder.strip('/') or 'root'}.log", "w+")
            proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                                     "-f", str(cfg), "-d", str(parts[folder])],
                                    stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
            running.append((folder, cfg, proc, log))

        width = max(1, min(PARALLEL, len(todo)))
        for _i in range(width):
            start(*todo.pop(0))
        try:
            extra = late() if late else {}
        except BaseException:
            for _f, _c, proc, log in running:
                proc.kill()
                proc.wait()
                log.close()
            cleanup()
            raise
        done = 0
        while done < len(running):
            folder, cfg, proc, log = running[done]
            proc.wait()
            done += 1
            log.seek(0)
            output = log.read()
            log.close()
            if proc.returncode != 0 and failed is None:
                failed = (cfg, output)
            if todo and failed is None:
                start(*todo.pop(0))
    seconds = time.perf_counter() - t0
    if failed is not None:
        cleanup()
        cfg, output = failed
        lines = [ln for ln in output.splitlines()
                 if ln.startswith(("WARNING", "ERROR")) or "Error" in ln]
        first = lines[0] if lines else (output.strip().splitlines() or [_("(no output)")])[-1]
        raise UserError(ngettext("mkdocs build --strict failed ({n} problem); first: {first}",
                                 "mkdocs build --strict failed ({n} problems); first: {first}",
                                 len(lines)).format(n=len(lines), first=first), file=cfg)
    for folder, d in parts.items():
        if folder:
            d.rename(tmp / folder.strip("/"))
    for path, data in extra.items():
        p = tmp / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    report = linkcheck.check(tmp)
    if report.broken or report.outside:
        shutil.rmtree(tmp, ignore_errors=True)
        if report.broken:
            page, link = report.broken[0]
            raise UserError(ngettext(
                "{n} broken internal link in the built site: {page} -> {link}",
                "{n} broken internal links in the built site; first: {page} -> {link}",
                len(report.broken)).format(n=len(report.broken), page=page, link=link))
        page, link = report.outside[0]
        raise UserError(ngettext(
            "{n} resource from outside the site: {page} -> {link}",
            "{n} resources from outside the site; first: {page} -> {link}",
            len(report.outside)).format(n=len(report.outside), page=page, link=link))
    old = atomic.swap_in(tmp, out, remove_old=False)
    if old is not None:
        threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True},
                         name="remove-old-site").start()
    return seconds, report
