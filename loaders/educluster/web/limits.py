"""Limits a public validation service needs: upload size, a bounded queue of validations,
and a per-validation timeout enforced by running each validation in a worker process that
can be killed.

Worker processes come from a ``forkserver`` that has imported the validator and loaded the
shapes and vocabulary once, so each validation starts warm and a runaway one is killed
without touching the server.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The service's limits (the command-line options of ``educluster web``)."""
    max_upload_mb: float = 20.0
    workers: int = 2
    queue: int = 8
    timeout_s: float = 120.0
    max_zip_members: int = 200
    max_unzipped_mb: float = 100.0
    memory_mb: float = 2048.0

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


class Busy(Exception):
    """Every worker is busy and the queue is full: answer 503."""


class TimedOut(Exception):
    """A validation ran past the timeout and was killed: answer 504."""


class OutOfMemory(Exception):
    """A validation needed more memory than a worker may have: answer 413."""


class WorkerFailed(Exception):
    """A worker process died or answered nothing: answer 500 without a traceback."""


class Gate:
    """At most ``workers`` validations at once and at most ``queue`` waiting; more is Busy."""

    def __init__(self, workers: int, queue: int):
        self._sem = asyncio.Semaphore(workers)
        self._waiting = 0
        self._queue = queue

    async def __aenter__(self):
        if self._sem.locked() and self._waiting >= self._queue:
            raise Busy()
        self._waiting += 1
        try:
            await self._sem.acquire()
        finally:
            self._waiting -= 1
        return self

    async def __aexit__(self, *exc):
        self._sem.release()


_CTX = None


def context():
    """The multiprocessing context (a forkserver preloading the validator, made once)."""
    global _CTX
    if _CTX is None:
        import os

        # glibc's per-thread arena reservations count against RLIMIT_AS (see serve_front);
        # read at the forkserver's start, so set before it starts
        os.environ.setdefault("MALLOC_ARENA_MAX", "2")
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["educluster.web.warm"])
        _CTX = ctx
    return _CTX


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` (or an exception it was raised from) is the address-space bound running
    out: ``MemoryError``, an OS error ENOMEM, or a thread whose stack could not be reserved
    (CPython's "can't start new thread": the validator reads beside a thread)."""
    import errno

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MemoryError):
            return True
        if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
            return True
        if isinstance(exc, RuntimeError) and "can't start new thread" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _child(conn, func, args, memory_mb):
    """Run ``func(*args)`` in the worker (its address space bounded to ``memory_mb``) and send
    its result (or the failure) back."""
    try:
        if memory_mb:
            import resource

            limit = int(memory_mb * 1024 * 1024)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        conn.send(("ok", func(*args)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a failure
        try:
            if memory_mb and _out_of_memory(exc):
                conn.send(("memory", ""))
            else:
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
        except Exception:  # noqa: BLE001
            pass
    finally:
        conn.close()


def run_killable(func, args: tuple, timeout_s: float, memory_mb: float | None = None):
    """``func(*args)`` in a fresh worker process; kill it after ``timeout_s`` (TimedOut);
    OutOfMemory when it ran out of its ``memory_mb``."""
    ctx = context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, func, args, memory_mb), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout_s):
            raise TimedOut()
        try:
            status, value = parent.recv()
        except EOFError:
            proc.join(5)
            if memory_mb and proc.exitcode is not None and proc.exitcode < 0:
                raise OutOfMemory() from None  # aborted by an allocation that failed
            raise WorkerFailed(f"the worker process ended without an answer "
                               f"(exit {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status == "memory":
        raise OutOfMemory()
    if status != "ok":
        raise WorkerFailed(value)
    return value
