"""Size limits that keep one bad file from stalling an ingest; each index passes its own settings' limits.

The limits in force are those of the :func:`applied_limits` block around the load (``load_document`` opens
one), so two indexes with different settings in one process never see each other's limits.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from settings import Settings


@dataclass(frozen=True)
class Limits:
    """What one file may hold; the defaults are the settings' defaults."""

    max_file_bytes: int = 20_000_000
    max_line_chars: int = 20_000
    max_text_chars: int = 5_000_000
    max_lines: int = 200_000
    max_unpacked_bytes: int = 30_000_000

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The limits ``settings`` ask for."""
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})


DEFAULTS = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("ingest_limits", default=DEFAULTS)  # frozen: safe to share


def current_limits() -> Limits:
    """The limits of the load in progress (the defaults outside any :func:`applied_limits` block)."""
    return _CURRENT.get()


@contextlib.contextmanager
def applied_limits(limits: Limits | None) -> Iterator[Limits]:
    """``limits`` in force for the loaders inside the block (None: keep those in force); thread-local."""
    if limits is None:
        yield current_limits()
        return
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)
