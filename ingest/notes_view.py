"""Show a cited passage in context, reading only files inside the notes folder.

A citation names a path relative to the notes folder. It comes back from the index, but the app also takes
it from links and chat text, so it is treated as untrusted: absolute paths, ``..`` and symbolic links that
lead out of the notes folder are refused, never read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from ingest import IngestError, load_document
from ingest.limits import Limits
from ingest.scan import link_problem


class OutsideNotesError(ValueError):
    """The requested path is not a file inside the notes folder."""


@dataclass(frozen=True)
class ViewLine:
    number: int  # 1-based line of the document (the file's own line for plain-text notes)
    location: str  # what a citation shows: "12", "p3:4", "¶7"
    text: str
    cited: bool  # inside the cited span (the rest is context)


def resolve_source(notes_dir: Path, source: str) -> Path:
    """The file ``source`` names inside ``notes_dir``; :class:`OutsideNotesError` when it would escape."""
    if not source or "\x00" in source:
        raise OutsideNotesError("refused: empty or invalid note path")
    posix, windows = PurePosixPath(source), PureWindowsPath(source)
    if posix.is_absolute() or windows.is_absolute() or windows.drive:
        raise OutsideNotesError(f"refused: '{source}' is an absolute path; citations name files inside the "
                                "notes folder")
    if ".." in posix.parts or ".." in windows.parts:
        raise OutsideNotesError(f"refused: '{source}' leads outside the notes folder ('..')")
    root = notes_dir.resolve()
    path = root / posix
    for part in [path, *path.parents]:  # a link anywhere on the way may lead out
        if part == root:
            break
        if part.is_symlink() and (problem := link_problem(root, part)):
            raise OutsideNotesError(f"refused: '{source}': {problem}")
    if not Path(os.path.realpath(path)).is_relative_to(root):
        raise OutsideNotesError(f"refused: '{source}' leads outside the notes folder")
    if not path.is_file():
        raise FileNotFoundError(f"'{source}' is not in the notes folder any more; re-ingest to update the index")
    return path


def read_lines(notes_dir: Path, source: str, start: int, end: int, context: int = 3,
               limits: Limits | None = None) -> list[ViewLine]:
    """Lines ``start``..``end`` of a note (as the index numbered them) with ``context`` lines either side;
    ``limits``: the index's size limits (None: the defaults).

    The note is loaded by the same loader as at ingest, so PDF, Word and the other formats show the text
    the citation points at, with their own locations."""
    path = resolve_source(notes_dir, source)
    try:
        document = load_document(path, source, limits)
    except IngestError as exc:
        raise ValueError(f"'{source}' cannot be shown: {exc}") from exc
    total = len(document.lines)
    if not 1 <= start <= end or end > total:
        raise ValueError(f"lines {start}-{end} are not in '{source}' (it has {total} lines now); the note changed "
                         "since it was indexed: re-ingest")
    first, last = max(1, start - context), min(total, end + context)
    return [ViewLine(n, document.location(n, n), document.lines[n - 1], start <= n <= end)
            for n in range(first, last + 1)]
