"""Loaders, chosen by file suffix. A loader turns one file into a :class:`Document`.

Register a new format with ``@register(".ext")``; the function receives the file's path and its
path relative to the notes folder, and raises :class:`IngestError` with a one-line reason when the file
cannot be read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.model import Document, IngestError

Loader = Callable[[Path, str], Document]
LOADERS: dict[str, Loader] = {}


def register(*suffixes: str) -> Callable[[Loader], Loader]:
    def decorate(func: Loader) -> Loader:
        for suffix in suffixes:
            LOADERS[suffix.lower()] = func
        return func

    return decorate


def supported_suffixes() -> list[str]:
    return sorted(LOADERS)


def load_document(path: Path, source: str) -> Document:
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise IngestError(f"unsupported file type '{path.suffix}'")
    return loader(path, source)


# Import the built-in loaders so they register themselves.
from ingest.loaders import data as _data  # noqa: E402,F401
from ingest.loaders import office as _office  # noqa: E402,F401
from ingest.loaders import pdf as _pdf  # noqa: E402,F401
from ingest.loaders import rst as _rst  # noqa: E402,F401
from ingest.loaders import text as _text  # noqa: E402,F401
from ingest.loaders import web as _web  # noqa: E402,F401

