"""The one error type that commands raise for problems the user can fix.

``educluster.cli.main`` catches :class:`UserError`, prints exactly one line to
stderr -- ``educluster: <file>:<line>: <message>`` (file and line only where
known) -- and exits 2. Any other exception is reported as an internal error, also
in one line; ``EDUCLUSTER_DEBUG=1`` adds the traceback.

Messages should say what is wrong and what to do, in words a non-specialist reads.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path


class UserError(Exception):
    """A problem with the user's input or environment; exit code 2, one line."""

    def __init__(self, message: str, file: str | os.PathLike | None = None,
                 line: int | None = None, exit_code: int = 2, *,
                 where: dict | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.exit_code = exit_code
        #: the location as fields (``row``, ``column``, ``sheet``, ``cell``) for JSON reports
        self.where = dict(where or {})

    def location(self) -> str:
        """``file:line`` (or ``file``, or ``""``), file shown relative to the cwd when below it."""
        if self.file is None:
            return ""
        loc = display_path(self.file)
        if self.line is not None:
            loc += f":{self.line}"
        return loc

    def one_line(self) -> str:
        """The single stderr line ``educluster: <file>:<line>: <message>``."""
        from educluster.termsafe import visible

        msg = visible(" ".join(str(self.message).split()))  # one line, controls shown
        loc = visible(self.location())
        return f"educluster: {loc}: {msg}" if loc else f"educluster: {msg}"

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}: {self.message}" if loc else str(self.message)

    def lines(self) -> list[str]:
        """The stderr lines of this error: one."""
        return [self.one_line()]

    def fields(self) -> dict:
        """The error as a JSON object: ``file``, ``row``/``line``, ``column``, ``sheet``,
        ``cell`` where known, and ``message``."""
        out: dict = {"file": display_path(self.file) if self.file is not None else None}
        if self.line is not None:
            out["line"] = self.line
        out.update(self.where)
        out["message"] = " ".join(str(self.message).split())
        return out


class UserErrors(UserError):
    """Several problems that each stop a file from being read, gathered in one run so the user
    fixes them all at once (exit code 2, one stderr line per problem)."""

    def __init__(self, problems: list[UserError]):
        first = problems[0]
        super().__init__(first.message, first.file, first.line, first.exit_code,
                         where=first.where)
        self.problems = list(problems)

    def lines(self) -> list[str]:
        return [p.one_line() for p in self.problems]


def gather(problems: list[UserError]) -> None:
    """Raise the gathered problems (one as itself, several as :class:`UserErrors`), if any."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise UserErrors(problems)


def display_path(path: str | os.PathLike) -> str:
    """``path`` relative to the current directory if it lies below it, else as given."""
    return _display_path(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=1024)
def _display_path(path: str, cwd: str) -> str:
    """:func:`display_path` for one working directory, memoised: a report names the same few
    files once per finding and row, and resolving each time (a system call per path part) cost
    seconds on a 10,000-row table."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError):
        return str(p)
