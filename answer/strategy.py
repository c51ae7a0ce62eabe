"""How an answer is written: quoted from the notes (the extractive strategy, the default), or by a
generative backend (``backends/``) from the passages' best lines, falling back to the quotes.

Users name either in one setting, ``settings.backend``: ``"extractive"`` or a registered backend's name.
"""

from __future__ import annotations

import backends
from backends import Backend
from settings import Settings

EXTRACTIVE = "extractive"
EXTRACTIVE_STATUS = "extractive: ready (quotes your notes; no model needed)"
#: What ``settings.backend`` may name: the extractive strategy, then each registered generative backend.
BACKENDS: list[str] = [EXTRACTIVE, *backends.BACKENDS]


def generative_backend(settings: Settings, name: str | None = None) -> Backend | None:
    """The generative backend ``name`` names (default: ``settings.backend``); None for the extractive
    strategy. ValueError for a name that is neither."""
    name = name or settings.backend
    if name == EXTRACTIVE:
        return None
    if name not in backends.BACKENDS:
        raise ValueError(f"Unknown backend '{name}'; choose one of: {', '.join(BACKENDS)}.")
    return backends.make_backend(settings, name)


def backend_status(settings: Settings, name: str | None = None) -> tuple[bool, str]:
    """(usable, one line) for ``name`` (default: the configured one); loads no model."""
    try:
        backend = generative_backend(settings, name)
    except ValueError as exc:
        return False, str(exc)
    return (True, EXTRACTIVE_STATUS) if backend is None else backend.status()
