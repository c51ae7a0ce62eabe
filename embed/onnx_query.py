"""A light query encoder: the packaged MiniLM weights run by ONNX Runtime, tokenized by ``tokenizers``.

Why: a question is all the first answer needs to encode (the index keeps every chunk and unit vector), and
ONNX Runtime with ``tokenizers`` loads in ~0.25 s where torch + sentence-transformers take ~4 s. It does what
the model's sentence-transformers modules do (``modules.json``: Transformer, mean Pooling, Normalize):
truncate to ``max_seq_length`` tokens, mean-pool the last hidden state over the attention mask, L2-normalise.

The ONNX file is exported from the packaged weights (``embed/onnx_export.py``: at ``make install``, or by
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


BATCH = 32  # texts per ONNX Runtime call, longest first (a batch is padded to its longest text)


class OnnxQueryEncoder:
    """Encodes texts to L2-normalised float32 vectors; safe to share between threads. ``threads``: ONNX
    Runtime's intra-op threads (1 for questions and small batches; see embed/embedder.py on threads)."""

    def __init__(self, onnx_file: Path, model_dir: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
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
        return self.encode_many([text])[0]

    def encode_many(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts`` in their order; encoded longest first, BATCH at a time, each batch padded to
        its longest text (what sentence-transformers does too)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), BATCH):
            at = order[start:start + BATCH]
            encodings = self._tokenizer.encode_batch([texts[i] for i in at])
            width = max(len(e.ids) for e in encodings)
            feed = {name: np.zeros((len(at), width), dtype=np.int64) for name in INPUTS}
            for row, e in enumerate(encodings):
                feed["input_ids"][row, :len(e.ids)] = e.ids
                feed["attention_mask"][row, :len(e.ids)] = e.attention_mask
                feed["token_type_ids"][row, :len(e.ids)] = e.type_ids
            hidden = self._session.run(None, feed)[0]  # (texts, tokens, dimension)
            mask = feed["attention_mask"][:, :, None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            out[at] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


def load_query_encoder(model_dir: Path, onnx_file: Path | None, threads: int = 1) -> OnnxQueryEncoder | None:
    """The encoder for ``onnx_file``, or None where there is none yet or it cannot be read (logged)."""
    if onnx_file is None or not onnx_file.is_file():
        return None
    try:
        return OnnxQueryEncoder(onnx_file, model_dir, threads)
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf/... types
        log.warning("The query encoder %s cannot be read (%s); questions are encoded with torch until it is "
                    "exported again.", onnx_file, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return None
