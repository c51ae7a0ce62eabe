"""What every answer backend is: one small class that streams text for a prompt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from settings import Settings

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": str}
PromptInput = str | list[Message]
#: Small models sometimes go on to invent the next turn; generation stops there.
STOP = ["\nQuestion:", "\nUser:", "</notes>"]


class BackendError(RuntimeError):
    """A backend that cannot answer; the message says what is wrong and what to fix, in one line."""


def as_messages(prompt: PromptInput) -> list[Message]:
    return [{"role": "user", "content": prompt}] if isinstance(prompt, str) else list(prompt)


class Backend:
    """Base class. ``generative`` backends write text with a model through :meth:`execute`;
    the extractive backend composes from the passages instead (see ``answer.extractive``)."""

    name: ClassVar[str] = ""
    generative: ClassVar[bool] = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def execute(self, prompt: PromptInput, stream: bool = True) -> Iterator[str]:
        """Text pieces for ``prompt`` (one piece when ``stream`` is false). Raises :class:`BackendError`."""
        raise NotImplementedError

    def status(self) -> tuple[bool, str]:
        """(usable, one line saying what it is or what to fix). Cheap: loads no model."""
        return True, f"{self.name}: ready"
