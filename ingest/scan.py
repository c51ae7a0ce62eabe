"""Walk a notes folder: which files are there, what they hold (content hash), and what cannot be read."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import LOADERS

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", ".obsidian", ".trash"}


@dataclass(frozen=True)
class NoteFile:
    source: str  # relative to the notes folder, forward slashes
    path: Path


@dataclass(frozen=True)
class ScanProblem:
    source: str
    reason: str


def scan_folder(notes_dir: Path) -> tuple[list[NoteFile], list[ScanProblem]]:
    """Every supported file under ``notes_dir`` (sorted), and the entries that could not be walked.

    Hidden files and folders are skipped; symbolic links are followed once, and a link that leads back
    into a folder already visited is reported as a loop instead of being walked forever."""
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
        for name in sorted(names):
            if name.startswith(".") or name.startswith("~$"):
                continue
            path = root_path / name
            source = path.relative_to(notes_dir).as_posix()
            if path.suffix.lower() not in LOADERS:
                continue
            if path.is_symlink() and not path.exists():
                problems.append(ScanProblem(source, "broken symbolic link"))
                continue
            files.append(NoteFile(source, path))
    files.sort(key=lambda f: f.source)
    return files, problems


def file_digest(path: Path) -> str:
    """Content hash of a file (sha256), read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
