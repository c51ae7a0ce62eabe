"""The registry of loaders by file suffix: the built-in loaders (and any new one) add themselves with
``@register(".ext")``; ``ingest.loaders`` imports them all."""

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
