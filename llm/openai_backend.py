"""Any OpenAI-compatible chat server (OpenAI, Ollama's /v1, vLLM, LM Studio, llama.cpp's server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llm.base import STOP, BackendError
from llm.chat_model import ChatModelBackend

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class OpenAIBackend(ChatModelBackend):
    name = "openai"

    @property
    def where(self) -> str:
        return f"{self.settings.openai_base_url} (model {self.settings.openai_model})"

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
