"""What every generative answer backend is: one small class that streams text for a prompt."""

from __future__ import annotations

from abc import ABC, abstractmethod
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


class Backend(ABC):
    """A model that writes text: subclass, set :attr:`name`, implement :meth:`execute` and register the
    class (``backends.register``)."""

    name: ClassVar[str] = ""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @abstractmethod
    def execute(self, prompt: PromptInput, stream: bool = True) -> Iterator[str]:
        """Text pieces for ``prompt`` (one piece when ``stream`` is false). Raises :class:`BackendError`."""

    def status(self) -> tuple[bool, str]:
        """(usable, one line saying what it is or what to fix). Cheap: loads no model."""
        return True, f"{self.name}: ready"
