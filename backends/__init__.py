"""Generative answer backends, registered by name in one place.

A backend is one small class with one required method, :meth:`Backend.execute`, which yields text for a
prompt (as in simonw/llm). To plug in another LangChain chat model, subclass :class:`ChatModelBackend`,
build the model in ``make_model`` and decorate the class with ``@register``. The extractive answer is no
backend: it is ``answer/``'s own strategy (see ``answer.strategy``).
"""

from __future__ import annotations

from backends.base import Backend, BackendError, Message, PromptInput
from backends.chat_model import ChatModelBackend
from backends.local import LocalBackend
from backends.openai_backend import OpenAIBackend
from settings import Settings

_REGISTRY: dict[str, type[Backend]] = {}
BACKENDS: list[str] = []  # the registered names, in registration order


def register(cls: type[Backend]) -> type[Backend]:
    """Make ``cls`` available under ``cls.name`` (a class decorator)."""
    _REGISTRY[cls.name] = cls
    if cls.name not in BACKENDS:
        BACKENDS.append(cls.name)
    return cls


for _cls in (LocalBackend, OpenAIBackend):
    register(_cls)


def make_backend(settings: Settings, name: str | None = None) -> Backend:
    """The backend registered as ``name`` (default: ``settings.backend``); ValueError for any other name."""
    name = name or settings.backend
    cls = _REGISTRY.get(name)
    if cls is None:
        raise ValueError(f"Unknown backend '{name}'; choose one of: {', '.join(BACKENDS)}.")
    return cls(settings)


__all__ = ["BACKENDS", "Backend", "BackendError", "ChatModelBackend", "Message", "PromptInput", "make_backend",
           "register"]
