"""Any OpenAI-compatible chat server (OpenAI, Ollama's /v1, vLLM, LM Studio, llama.cpp's server).

A request that fails before its first piece of text arrives is retried with backoff (tenacity) when the
failure is passing: the connection failed, or the server answered 429 (too many requests) or 5xx. A 4xx
(wrong key, no such model, bad request) and a timeout (the person already waited NOTEWISE_LLM_TIMEOUT_S)
are reported at once. Once text has arrived nothing is retried: that would write the answer twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from backends.base import STOP, BackendError, PromptInput
from backends.chat_model import ChatModelBackend

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

ATTEMPTS = 3  # one request and up to two retries
BACKOFF_S = (0.5, 4.0)  # exponential from 0.5 s (0.5, then 1), at most 4 s


def worth_retrying(exc: BaseException) -> bool:
    """A passing failure: no connection, 429 or 5xx (not a timeout, not another 4xx)."""
    import openai

    cause = exc.__cause__ if isinstance(exc, BackendError) else exc
    if isinstance(cause, openai.APITimeoutError):
        return False
    if isinstance(cause, openai.APIConnectionError):
        return True
    return isinstance(cause, openai.APIStatusError) and (cause.status_code == 429 or cause.status_code >= 500)


class OpenAIBackend(ChatModelBackend):
    name = "openai"

    @property
    def where(self) -> str:
        return f"{self.settings.openai_base_url} (model {self.settings.openai_model})"

    def execute(self, prompt: PromptInput, stream: bool = True) -> Iterator[str]:
        from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

        low, high = BACKOFF_S
        retrying = Retrying(stop=stop_after_attempt(ATTEMPTS), wait=wait_exponential(multiplier=low, min=low, max=high),
                            retry=retry_if_exception(worth_retrying), reraise=True)
        first, rest = retrying(self._first_piece, prompt, stream)
        if first is not None:
            yield first
        yield from rest

    def _first_piece(self, prompt: PromptInput, stream: bool) -> tuple[str | None, Iterator[str]]:
        """Send the request and read up to its first piece: the part of a call that is safe to repeat."""
        pieces = super().execute(prompt, stream)
        for piece in pieces:
            return piece, pieces
        return None, iter(())

    def make_model(self) -> BaseChatModel:
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise BackendError("openai: the package langchain-openai is not installed; fix: "
                               "pip install langchain-openai") from exc
        s = self.settings
        return ChatOpenAI(base_url=s.openai_base_url, model=s.openai_model, api_key=s.api_key() or "not-needed",
                          timeout=s.llm_timeout_s, max_retries=0, temperature=0.0, max_tokens=s.local_max_tokens,
                          stop=STOP)

    def explain(self, exc: Exception) -> str:
        import openai

        base = self.settings.openai_base_url
        if isinstance(exc, openai.APITimeoutError):
            return (f"openai: {base} did not answer within {self.settings.llm_timeout_s:g} s; fix: raise "
                    "NOTEWISE_LLM_TIMEOUT_S or use a faster model")
        if isinstance(exc, openai.APIConnectionError):
            return (f"openai: cannot reach {base} ({_root_cause(exc)}); fix: start the server or set "
                    "NOTEWISE_OPENAI_BASE_URL")
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return f"openai: {base} refused the API key; fix: set NOTEWISE_OPENAI_API_KEY or OPENAI_API_KEY"
        if isinstance(exc, openai.NotFoundError):
            return (f"openai: {base} has no model '{self.settings.openai_model}'; fix: set "
                    "NOTEWISE_OPENAI_MODEL to one the server lists")
        if isinstance(exc, openai.APIStatusError):
            return f"openai: {base} answered HTTP {exc.status_code} ({_short(exc.message)})"
        return f"openai: {type(exc).__name__}: {_short(str(exc))}"

    def status(self) -> tuple[bool, str]:
        """Ask the server for its model list (a short, cheap GET)."""
        import httpx

        base = self.settings.openai_base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {self.settings.api_key()}"} if self.settings.api_key() else {}
        try:
            reply = httpx.get(f"{base}/models", headers=headers, timeout=min(5.0, self.settings.llm_timeout_s))
        except httpx.HTTPError as exc:
            return False, f"openai: cannot reach {base}: {_root_cause(exc)}; fix: start the server or set " \
                          "NOTEWISE_OPENAI_BASE_URL"
        if reply.status_code in (401, 403):
            return False, f"openai: {base} refused the API key; fix: set NOTEWISE_OPENAI_API_KEY"
        if reply.status_code >= 400:
            return False, f"openai: {base}/models answered HTTP {reply.status_code}"
        try:
            models = [m.get("id") for m in reply.json().get("data", [])]
        except (ValueError, AttributeError):
            models = []
        wanted = self.settings.openai_model
        if models and wanted not in models:
            return False, (f"openai: {base} does not serve '{wanted}' (it has: {', '.join(map(str, models[:5]))}); "
                           "fix: set NOTEWISE_OPENAI_MODEL")
        return True, f"openai: {base} ready (model {wanted})"


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    text = str(exc) or type(exc).__name__
    if "refused" in text.lower():
        return "connection refused"
    return _short(text)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
