"""Safe file and folder output. Every file educluster writes goes through :func:`write_atomic`,
every folder it replaces as a whole through :func:`replace_folder`.

Files: the data go to a temporary file in the target's folder, are flushed and fsync'ed, and
the temporary file then replaces the target with ``os.replace``: a reader (or a crash) sees
either the old file or the new one, never half of one. Outputs are never written over a
symbolic link, a device node, a FIFO or a socket (:func:`check_output_file` refuses them, exit
2): ``-o /dev/null`` must not turn the system's device into a regular file. A new file gets
the permissions the umask allows (0666 minus umask); a file that exists keeps its mode, so a
0600 report stays 0600.

Leftovers: temporary names carry the writer's process id and a fixed mark
(``.NAME.PID-RANDOM.educluster-tmp`` for files, ``.NAME.PID.educluster-new`` / ``-old`` for
folders). ``finally`` removes them on any failure; a ``kill -9`` cannot run code, so the next
write into the same folder (:func:`clean_leftovers`) removes those of processes no longer
running.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from educluster.errors import UserError
from educluster.i18n import _

MARK = "educluster"
_LEFTOVER = re.compile(r"^\..+\.(\d+)(?:-[^.]*)?\.educluster-(tmp|new|old)$")


def _kind(mode: int) -> str:
    """A reader's name for the kind of a special file."""
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISDIR(mode):
        return _("a folder")
    return _("a special file")


def check_output_file(path: str | os.PathLike) -> os.stat_result | None:
    """The ``lstat`` of an output file that may be replaced (None when it does not exist);
    UserError unless it is missing or a regular file (never a link, device, FIFO or socket)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(_("cannot use this output path: {reason}").format(
            reason=exc.strerror or exc), file=path) from exc
    if not stat.S_ISREG(st.st_mode):
        raise UserError(_("the output path is {kind}; educluster never replaces one: give the "
                          "path of a regular file").format(kind=_kind(st.st_mode)), file=path)
    return st


def check_output_folder(path: str | os.PathLike) -> bool:
    """Whether an output folder that educluster replaces as a whole exists; UserError when it is
    a symbolic link or not a folder (educluster never replaces those)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise UserError(_("cannot use this output folder: {reason}").format(
            reason=exc.strerror or exc), file=path) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise UserError(_("the output path is {kind}, not a folder; educluster never replaces "
                          "one: give a folder (or a new name)").format(kind=_kind(st.st_mode)),
                        file=path)
    return True


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (a leftover of a running writer is left alone)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def clean_leftovers(folder: str | os.PathLike) -> list[Path]:
    """Remove the temporary files and folders educluster processes that no longer run left in
    ``folder`` (after a ``kill -9``); return what was removed. Never follows links."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = _LEFTOVER.match(name)
        if not m or _alive(int(m.group(1))):
            continue
        p = Path(folder) / name
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def write_atomic(path: str | os.PathLike, data: bytes | str, *, mode: int | None = None) -> Path:
    """Write ``data`` (str is encoded as UTF-8) to ``path`` atomically; return the path.

    Parent folders are created. Refuses (UserError) links and special files at ``path``. The
    file keeps the mode of the file it replaces, else gets ``mode`` or 0666 minus the umask.
    """
    target = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    existing = check_output_file(target)
    if existing is not None:
        mode = stat.S_IMODE(existing.st_mode)
    elif mode is None:
        mode = 0o666 & ~_umask()
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}-",
                               suffix=f".{MARK}-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        check_output_file(target)  # still nothing special there
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (best effort)."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot
        return False
    raise OSError(err, os.strerror(err), str(a))


def new_folder(out: str | os.PathLike) -> Path:
    """A fresh sibling folder to build ``out``'s new content in, for :func:`swap_in`."""
    out = Path(out)
    check_output_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out.parent)
    tmp = out.parent / f".{out.name}.{os.getpid()}.{MARK}-new"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    return tmp


def swap_in(tmp: Path, out: str | os.PathLike, *, remove_old: bool = True) -> Path | None:
    """Put the folder ``tmp`` (from :func:`new_folder`) at ``out`` as a whole: readers see the
    old folder or the new one, never a mix. The old content is removed, or with
    ``remove_old=False`` returned (a marked leftover) for the caller to remove."""
    out = Path(out)
    old = None
    if check_output_folder(out):
        old = out.parent / f".{out.name}.{os.getpid()}.{MARK}-old"
        if _exchange(tmp, out):
            tmp.rename(old)
        else:
            out.rename(old)
            tmp.rename(out)
        if remove_old:
            shutil.rmtree(old, ignore_errors=True)
            old = None
    else:
        tmp.rename(out)
    _sync_folder(out.parent)
    return old


def replace_folder(out: str | os.PathLike, files: dict[str, bytes | str]) -> Path:
    """Write ``files`` (name -> data) into a new folder that then replaces ``out`` as a whole;
    a failure (or a kill) leaves ``out`` as it was."""
    out = Path(out)
    tmp = new_folder(out)
    try:
        for name, data in files.items():
            p = tmp / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            os.chmod(p, 0o666 & ~_umask())
        swap_in(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def scratch_folder(kind: str) -> Path:
    """A new private (0700) folder ``<tmp>/educluster-KIND.PID-XXXX`` for work files that are
    removed when done (``serve``'s store, ``check``'s reasoner input); first removes the
    folders of this kind that processes no longer running left behind (after a ``kill -9``).
    Only folders owned by this user are removed, never through a link."""
    base = Path(tempfile.gettempdir())
    pattern = re.compile(rf"^educluster-{re.escape(kind)}\.(\d+)-[A-Za-z0-9_]+$")
    try:
        names = os.listdir(base)
    except OSError:
        names = []
    for name in names:
        m = pattern.match(name)
        if not m or _alive(int(m.group(1))):
            continue
        p = base / name
        try:
            st = os.lstat(p)
            if stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid():
                shutil.rmtree(p)
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix=f"educluster-{kind}.{os.getpid()}-", dir=base))
