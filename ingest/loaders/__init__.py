"""Loaders, chosen by file suffix. A loader turns one file into a :class:`Document`.

Register a new format with ``@register(".ext")``; the function receives the file's path and its
path relative to the notes folder, and raises :class:`IngestError` with a one-line reason when the file
cannot be read.
"""

from __future__ import annotations

from pathlib import Path

from ingest.limits import Limits, applied_limits
from ingest.loaders.registry import LOADERS, Loader, register
from ingest.model import Document, IngestError

__all__ = ["LOADERS", "Loader", "load_document", "register", "supported_suffixes"]


def supported_suffixes() -> list[str]:
    return sorted(LOADERS)


def load_document(path: Path, source: str, limits: Limits | None = None) -> Document:
    """``path`` read by its suffix's loader under ``limits`` (None: the defaults, or those in force)."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise IngestError(f"unsupported file type '{path.suffix}'")
    with applied_limits(limits):
        return loader(path, source)


# Import the built-in loaders so they register themselves.
from ingest.loaders import data as _data  # noqa: E402,F401
from ingest.loaders import office as _office  # noqa: E402,F401
from ingest.loaders import pdf as _pdf  # noqa: E402,F401
from ingest.loaders import rst as _rst  # noqa: E402,F401
from ingest.loaders import text as _text  # noqa: E402,F401
from ingest.loaders import web as _web  # noqa: E402,F401

