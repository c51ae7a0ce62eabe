"""Loaders, chosen by file suffix. A loader turns one file into a :class:`Document`.

Register a new format with ``@register(".ext")`` (``ingest.loaders.registry``); the function receives the
file's path and its path relative to the notes folder, and raises :class:`IngestError` with a one-line
reason when the file cannot be read. Importing this package imports the built-in loaders, so that they
register themselves.
"""

from __future__ import annotations

from ingest.loaders import data as _data  # noqa: F401
from ingest.loaders import office as _office  # noqa: F401
from ingest.loaders import pdf as _pdf  # noqa: F401
from ingest.loaders import rst as _rst  # noqa: F401
from ingest.loaders import text as _text  # noqa: F401
from ingest.loaders import web as _web  # noqa: F401
from ingest.loaders.registry import LOADERS, Loader, load_document, register, supported_suffixes

__all__ = ["LOADERS", "Loader", "load_document", "register", "supported_suffixes"]
