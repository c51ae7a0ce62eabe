"""The loaders' registry: which function reads which file suffix (filled by ``@register``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.model import Document

Loader = Callable[[Path, str], Document]
LOADERS: dict[str, Loader] = {}


def register(*suffixes: str) -> Callable[[Loader], Loader]:
    def decorate(func: Loader) -> Loader:
        for suffix in suffixes:
            LOADERS[suffix.lower()] = func
        return func

    return decorate
