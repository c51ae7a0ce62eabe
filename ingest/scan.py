"""Walk a notes folder: which files are there, what they hold (content hash), and what cannot be read."""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import LOADERS
from ingest.loaders.text import not_regular, open_regular

_stat = os.stat  # follows links (those are checked first); tests stand a device in through it
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", ".obsidian", ".trash"}


@dataclass(frozen=True)
class NoteFile:
    source: str  # relative to the notes folder, forward slashes
    path: Path


@dataclass(frozen=True)
class ScanProblem:
    source: str
    reason: str


def link_problem(notes_root: Path, path: Path) -> str | None:
    """Why the symbolic link ``path`` must not be followed (a loop, broken, leads out of the notes folder).

    Links that stay inside the notes folder are fine; links out of it are not followed, so a shared or
    synced folder cannot pull in (and later display) files from elsewhere on the machine."""
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop: the link leads back to itself"
        return "broken symbolic link: its target does not exist"
    except RuntimeError:  # pathlib's own loop detection
        return "symbolic link loop: the link leads back to itself"
    if not target.is_relative_to(notes_root.resolve()):
        return f"symbolic link to {target}, outside the notes folder: not followed (copy the file in instead)"
    return None


def scan_folder(notes_dir: Path) -> tuple[list[NoteFile], list[ScanProblem]]:
    """Every supported file under ``notes_dir`` (sorted), and the entries that could not be walked.

    Hidden files and folders are skipped. Symbolic links inside the notes folder are followed once: a link
    that leads back into a folder already visited is reported as a loop instead of being walked forever,
    and links that are broken or lead out of the notes folder are reported, not followed."""
    if not notes_dir.is_dir():
        raise FileNotFoundError(f"Notes folder {notes_dir} does not exist or is not a folder.")
    files: list[NoteFile] = []
    problems: list[ScanProblem] = []
    visited: set[tuple[int, int]] = set()

    def on_error(err: OSError) -> None:
        where = Path(err.filename).relative_to(notes_dir).as_posix() if err.filename else "?"
        problems.append(ScanProblem(where, f"cannot open folder ({err.strerror})"))

    for root, dirs, names in os.walk(notes_dir, followlinks=True, onerror=on_error):
        root_path = Path(root)
        stat = root_path.stat()
        if (stat.st_dev, stat.st_ino) in visited:
            problems.append(ScanProblem(root_path.relative_to(notes_dir).as_posix(),
                                        "symbolic link loop: this folder was already visited"))
            dirs[:] = []
            continue
        visited.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in [d for d in dirs if (root_path / d).is_symlink()]:
            reason = link_problem(notes_dir, root_path / name)
            if reason:
                problems.append(ScanProblem((root_path / name).relative_to(notes_dir).as_posix(), reason))
                dirs.remove(name)
        for name in sorted(names):
            if name.startswith(".") or name.startswith("~$"):
                continue
            path = root_path / name
            source = path.relative_to(notes_dir).as_posix()
            if path.suffix.lower() not in LOADERS:
                continue
            reason = link_problem(notes_dir, path) if path.is_symlink() else None
            reason = reason or file_type_problem(path)
            if reason:
                problems.append(ScanProblem(source, reason))
                continue
            files.append(NoteFile(source, path))
    files.sort(key=lambda f: f.source)
    return files, problems


def file_type_problem(path: Path) -> str | None:
    """Why ``path`` is not read at all: not a regular file (a FIFO would block the ingest forever, a device
    never ends). Judged from its status, without opening it."""
    try:
        return not_regular(_stat(path).st_mode)
    except OSError:
        return None  # gone or unreadable: the reader says why, with the other checks


def file_digest(path: Path) -> str:
    """Content hash of a regular file (sha256), read in blocks."""
    digest = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
