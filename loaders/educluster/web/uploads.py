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
    """An upload that cannot be used; the message says what to do (answer 400)."""


def safe_name(name: str) -> str:
    """The last part of an uploaded file's name, reduced to harmless characters."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).lstrip(".")
    return base[:120] or "upload"


def _unique(folder: Path, name: str) -> Path:
    """``folder/name``, or an error when two uploads carry the same name."""
    target = folder / name
    if target.exists():
        raise BadUpload(f"two files are named '{name}'; give each file its own name")
    return target


def store(folder: Path, name: str, data: bytes, max_members: int, max_unzipped: int) -> list[Path]:
    """Write one uploaded file (or unpack one zip) into ``folder``; the paths written."""
    clean = safe_name(name)
    suffix = Path(clean).suffix.lower()
    if suffix == ".zip":
        return unzip(folder, data, max_members, max_unzipped)
    if suffix not in DATA_SUFFIXES:
        raise BadUpload(f"'{clean}' is not a kind of file the validator reads; send CSV, "
                        ".xlsx, .ods, JSON, Turtle, JSON-LD, N-Triples, RDF/XML or a zip")
    target = _unique(folder, clean)
    target.write_bytes(data)
    return [target]


def unzip(folder: Path, data: bytes, max_members: int, max_unzipped: int) -> list[Path]:
    """The data files of a zip archive, flattened into ``folder`` within the bounds."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadUpload(f"not a readable zip archive ({exc})") from None
    if len(members) > max_members:
        raise BadUpload(f"the zip holds {len(members)} entries, more than {max_members}")
    written: list[Path] = []
    total = 0
    for info in members:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
            raise BadUpload(f"the zip entry '{safe_name(name)}' points outside the archive "
                            "(absolute path or '..'); make the archive from the data folder")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise BadUpload(f"the zip entry '{safe_name(name)}' is a symbolic link; put the "
                            "files themselves in the archive")
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
                        raise BadUpload(f"the zip unpacks to more than "
                                        f"{max_unzipped // (1024 * 1024)} MB")
                    out.write(chunk)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            raise BadUpload(f"the zip entry '{clean}' cannot be unpacked ({exc})") from None
        written.append(target)
    if not written:
        raise BadUpload("the zip holds no data files (CSV, workbook, JSON or RDF)")
    return written
