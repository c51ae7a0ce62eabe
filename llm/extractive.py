"""The default backend: no model, offline, instant. The answer is composed by ``answer.extractive``."""

from __future__ import annotations

from llm.base import Backend


class ExtractiveBackend(Backend):
    """Quotes the sentences and bullets of the retrieved passages that best answer the question."""

    name = "extractive"
    generative = False

    def status(self) -> tuple[bool, str]:
        return True, "extractive: ready (quotes your notes; no model needed)"
