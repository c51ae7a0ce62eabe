"""Answer backends, registered by name in one place and chosen by ``settings.backend``.

To plug in another LangChain chat model, subclass :class:`ChatModelBackend`, build the model in
``make_model`` and decorate the class with ``@register``.
"""

from __future__ import annotations

from llm.base import Backend, BackendError, Message, PromptInput
from llm.chat_model import ChatModelBackend
from llm.extractive import ExtractiveBackend
from llm.local import LocalBackend
from llm.openai_backend import OpenAIBackend
from settings import Settings

_REGISTRY: dict[str, type[Backend]] = {}


def register(cls: type[Backend]) -> type[Backend]:
    _REGISTRY[cls.name] = cls
    if cls.name not in BACKENDS:
        BACKENDS.append(cls.name)
    return cls


BACKENDS: list[str] = []
for _cls in (ExtractiveBackend, LocalBackend, OpenAIBackend):
    register(_cls)


def make_backend(settings: Settings, name: str | None = None) -> Backend:
    name = name or settings.backend
    cls = _REGISTRY.get(name)
    if cls is None:
        raise ValueError(f"Unknown backend '{name}'; choose one of: {', '.join(BACKENDS)}.")
    return cls(settings)


def backend_status(settings: Settings, name: str | None = None) -> tuple[bool, str]:
    """(reachable, one line) for the backend ``name`` (default: the configured one); loads no model."""
    try:
        return make_backend(settings, name).status()
    except ValueError as exc:
        return False, str(exc)


__all__ = ["BACKENDS", "Backend", "BackendError", "ChatModelBackend", "Message", "PromptInput",
           "backend_status", "make_backend", "register"]
