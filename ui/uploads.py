"""Save uploaded notes into the uploads folder without ever replacing a file there.

Whoever can open the app can upload, so a file lands only directly in the uploads folder: its name loses any
folder parts and leading dots (no hidden files), is at most ``MAX_NAME_CHARS`` long, never replaces a file
and never writes through a symbolic link; the size limit is the indexer's own (``max_file_bytes``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

_UNSAFE = re.compile(r"[^\w .()+-]+")
MAX_TRIES = 1000
MAX_NAME_CHARS = 120


class UploadError(ValueError):
    """An upload that cannot be saved; the message says why in one line."""


@dataclass(frozen=True)
class SavedUpload:
    path: Path
    created: bool  # False: an identical file was already there, nothing was written

    @property
    def message(self) -> str:
        return (f"Saved {self.path.name}" if self.created
                else f"{self.path.name} is already in your notes (same content); not saved again")


def safe_filename(name: str) -> str:
    """The base name of an uploaded file, without folders or characters that make awkward paths."""
    base = PurePath(name.replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip(" .")
    if not base or base.startswith("."):
        raise UploadError(f"'{name}' is not a usable file name.")
    if len(base) > MAX_NAME_CHARS:
        suffix = PurePath(base).suffix[:20]
        base = base[:MAX_NAME_CHARS - len(suffix)].rstrip(" .") + suffix
    return base


def _candidates(name: str) -> Iterable[str]:
    """``notes.txt``, then ``notes-1.txt``, ``notes-2.txt``, ..."""
    path = PurePath(name)
    yield name
    for n in range(1, MAX_TRIES):
        yield f"{path.stem}-{n}{path.suffix}"


def save_upload(folder: Path, name: str, data: bytes, allowed_suffixes: Iterable[str],
                max_bytes: int) -> SavedUpload:
    """Write ``data`` as a new file in ``folder``; a taken name gets a ``-N`` suffix, never overwritten."""
    filename = safe_filename(name)
    suffix = PurePath(filename).suffix.lower()
    allowed = sorted(s.lower() for s in allowed_suffixes)
    if suffix not in allowed:
        raise UploadError(f"{filename}: '{suffix or 'no suffix'}' files are not supported "
                          f"(use {', '.join(allowed)}).")
    if len(data) > max_bytes:
        raise UploadError(f"{filename} is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit.")
    folder.mkdir(parents=True, exist_ok=True)
    for candidate in _candidates(filename):
        target = folder / candidate
        try:
            with target.open("xb") as handle:  # "x": fails if the file exists, even in a race
                handle.write(data)
            return SavedUpload(target, created=True)
        except FileExistsError:
            if not target.is_symlink() and target.is_file() and target.read_bytes() == data:
                return SavedUpload(target, created=False)
    raise UploadError(f"{filename}: too many files with this name in {folder}; rename it and upload again.")
