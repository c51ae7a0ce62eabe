"""Any LangChain chat model as a backend: subclass and build the model in :meth:`make_model`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from backends.base import Backend, BackendError, PromptInput, as_messages

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


def to_langchain(prompt: PromptInput) -> list:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m["role"]](content=m["content"]) for m in as_messages(prompt)]


class ChatModelBackend(Backend):
    """Streams from a LangChain ``BaseChatModel``; errors become :class:`BackendError` via :meth:`explain`."""

    def __init__(self, settings, model: BaseChatModel | None = None) -> None:
        super().__init__(settings)
        self._model = model

    def make_model(self) -> BaseChatModel:
        raise BackendError(f"{self.name}: no chat model configured")

    @property
    def model(self) -> BaseChatModel:
        if self._model is None:
            self._model = self.make_model()
        return self._model

    def execute(self, prompt: PromptInput, stream: bool = True) -> Iterator[str]:
        messages = to_langchain(prompt)
        try:
            if not stream:
                yield str(self.model.invoke(messages).content)
                return
            for piece in self.model.stream(messages):
                if piece.content:
                    yield str(piece.content)
        except BackendError:
            raise
        except Exception as exc:  # the provider SDKs raise many types; each becomes one clear line
            raise BackendError(self.explain(exc)) from exc

    def explain(self, exc: Exception) -> str:
        return f"{self.name}: {type(exc).__name__}: {exc}"
