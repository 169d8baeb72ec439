"""Uploaded files into a private folder: safe names, allowed kinds, and zip archives unpacked
with bounds (member count, total unpacked size counted as it is written), no path traversal,
no links, no nested archives."""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

#: The kinds of file ``educluster validate`` reads (and .zip, unpacked here).
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".ods", ".json", ".ttl", ".jsonld", ".nt",
                 ".rdf", ".owl", ".xml")


class BadUpload(Exception):
    """An upload that cannot be used: the key of its page text and the text's fields."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key, self.fields = key, fields

    def message(self, lang: str = "en") -> str:
        """What is wrong and what to do, in ``lang``."""
        from educluster.web.texts import text

        return text(self.key, lang).format(**self.fields)

    def __str__(self) -> str:
        return self.message("en")


def safe_name(name: str) -> str:
    """The last part of an uploaded file's name, reduced to harmless characters."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).lstrip(".")
    return base[:120] or "upload"


def _unique(folder: Path, name: str) -> Path:
    """``folder/name``, or an error when two uploads carry the same name."""
    target = folder / name
    if target.exists():
        raise BadUpload("up_duplicate", name=name)
    return target


def store(folder: Path, name: str, data: bytes, max_members: int, max_unzipped: int) -> list[Path]:
    """Write one uploaded file (or unpack one zip) into ``folder``; the paths written."""
    clean = safe_name(name)
    suffix = Path(clean).suffix.lower()
    if suffix == ".zip":
        return unzip(folder, data, max_members, max_unzipped)
    if suffix not in DATA_SUFFIXES:
        raise BadUpload("up_kind", name=clean)
    target = _unique(folder, clean)
    target.write_bytes(data)
    return [target]


def unzip(folder: Path, data: bytes, max_members: int, max_unzipped: int) -> list[Path]:
    """The data files of a zip archive, flattened into ``folder`` within the bounds."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadUpload("zip_unreadable") from None
    if len(members) > max_members:
        raise BadUpload("zip_entries", n=len(members), max=max_members)
    written: list[Path] = []
    total = 0
    for info in members:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
            raise BadUpload("zip_outside", name=safe_name(name))
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise BadUpload("zip_link", name=safe_name(name))
        if info.is_dir() or parts[0] == "__MACOSX" or parts[-1].startswith("."):
            continue
        clean = safe_name(parts[-1])
        if Path(clean).suffix.lower() not in DATA_SUFFIXES:
            continue  # READMEs, pictures and the like are not data
        target = _unique(folder, clean)
        try:
            with archive.open(info) as src, open(target, "wb") as out:
                while chunk := src.read(65536):
                    total += len(chunk)
                    if total > max_unzipped:
                        raise BadUpload("zip_too_big", mb=max_unzipped // (1024 * 1024))
                    out.write(chunk)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            raise BadUpload("zip_entry_bad", name=clean) from None
        written.append(target)
    if not written:
        raise BadUpload("zip_empty")
    return written
