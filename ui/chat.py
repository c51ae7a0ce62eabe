"""Conversation helpers shared by the chat view and its tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def history_of(messages: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The conversation as the answerer wants it: ``[{"role", "content"}]``, oldest first."""
    return [{"role": str(m["role"]), "content": str(m["content"])} for m in messages
            if m.get("role") in ("user", "assistant")]


def one_line(exc: BaseException) -> str:
    """An error as one short line for the page (the traceback stays in the terminal)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."
