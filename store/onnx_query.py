"""A light query encoder: the packaged MiniLM weights run by ONNX Runtime, tokenized by ``tokenizers``.

Why: a question is all the first answer needs to encode (the index keeps every chunk and unit vector), and
ONNX Runtime with ``tokenizers`` loads in ~0.25 s where torch + sentence-transformers take ~4 s. It does what
the model's sentence-transformers modules do (``modules.json``: Transformer, mean Pooling, Normalize):
truncate to ``max_seq_length`` tokens, mean-pool the last hidden state over the attention mask, L2-normalise.

The ONNX file is exported from the packaged weights (``store/onnx_export.py``: at ``make install``, or by
the app's loader on a start that finds none) into ``<folder>/<model>-<hash of the weights>/model.onnx``,
so other weights never reuse a stale export. A missing or unreadable file means ``None`` here, and the
embedder keeps encoding questions with torch.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
from pathlib import Path

import numpy as np

log = logging.getLogger("notewise.store")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
ONNX_NAME = "model.onnx"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def default_folder() -> Path:
    """Where exports live unless settings say otherwise: ``$XDG_CACHE_HOME/notewise/onnx`` (~/.cache/...)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "notewise" / "onnx"


def weights_file(model_dir: Path) -> Path | None:
    return next((model_dir / name for name in WEIGHT_FILES if (model_dir / name).is_file()), None)


@functools.cache
def _weights_digest(path: Path, size: int, mtime_ns: int) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()[:16]


def export_file(model_name: str, model_dir: Path, folder: Path | None = None) -> Path | None:
    """The ONNX file for this model's weights (it may not exist yet); None for a model without local weights."""
    weights = weights_file(model_dir)
    if weights is None:
        return None
    stat = weights.stat()
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_name).strip("_")[:60] or "model"
    key = f"{slug}-{_weights_digest(weights, stat.st_size, stat.st_mtime_ns)}"
    return (folder or default_folder()) / key / ONNX_NAME


def max_tokens(model_dir: Path) -> int:
    """The truncation length sentence-transformers uses for this model (``max_seq_length``)."""
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text(encoding="utf-8"))["max_seq_length"])
    return int(json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["max_position_embeddings"])


class OnnxQueryEncoder:
    """Encodes one text at a time to an L2-normalised float32 vector; safe to share between threads."""

    def __init__(self, onnx_file: Path, model_dir: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # a question is a few dozen tokens: see store/embedder.py on threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only; a failure raises anyway
        self.path = onnx_file
        self._session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        names = [i.name for i in self._session.get_inputs()]
        if sorted(names) != sorted(INPUTS):
            raise ValueError(f"unexpected inputs {names}")
        self.dimension = int(self._session.get_outputs()[0].shape[-1])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()  # the packaged tokenizer.json pads every text to 128 tokens
        self._tokenizer.enable_truncation(max_tokens(model_dir))

    def encode(self, text: str) -> np.ndarray:
        tokens = self._tokenizer.encode(text)
        feed = {"input_ids": np.array([tokens.ids], dtype=np.int64),
                "attention_mask": np.array([tokens.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([tokens.type_ids], dtype=np.int64)}
        hidden = self._session.run(None, feed)[0][0]  # (tokens, dimension)
        mask = feed["attention_mask"][0][:, None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=0) / max(float(mask.sum()), 1e-9)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)


def load_query_encoder(model_dir: Path, onnx_file: Path | None) -> OnnxQueryEncoder | None:
    """The encoder for ``onnx_file``, or None where there is none yet or it cannot be read (logged)."""
    if onnx_file is None or not onnx_file.is_file():
        return None
    try:
        return OnnxQueryEncoder(onnx_file, model_dir)
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf/... types
        log.warning("The query encoder %s cannot be read (%s); questions are encoded with torch until it is "
                    "exported again.", onnx_file, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return None
