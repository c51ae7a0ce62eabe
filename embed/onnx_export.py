"""Export the embedding model's transformer to ONNX for the light query encoder (``embed/onnx_query.py``).

Exported from the packaged weights on this machine, never downloaded: ``python -m embed.onnx_export``
(run by ``make install``), or by the app's loader after a start that found no file. The TorchScript
exporter (``torch.onnx.export(..., dynamo=False)``) needs only the small ``onnx`` package; the dynamo one
would need onnxscript too. The file is checked before it is used: its vectors must agree with the torch
encoder's (cosine >= ``MIN_COSINE`` on ``CHECK_TEXTS``), else nothing is written and questions keep
using torch. It is written to a temporary name and renamed, so a reader sees a whole file or none.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import uuid
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from embed.onnx_query import INPUTS, OnnxQueryEncoder

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from embed.embedder import Embedder

log = logging.getLogger("notewise.store")
MIN_COSINE = 0.999
OPSET = 17
#: Short and long, a follow-up, markup and non-ASCII, and one past the 256-token truncation.
CHECK_TEXTS = ("What is Parquet?", "and what is its maximum size?",
               "When is CloudFormation used, and how does it differ from Terraform's state file?",
               "kms : key management service — one key encrypts & decrypts `aws kms encrypt` (東京, naïve)",
               " ".join(["Each chunk is embedded with its file title and heading path."] * 40), "")
_EXPORT_LOCK = threading.Lock()
_FAILED: set[Path] = set()  # exports that failed in this process are not tried again until a restart


class ExportRefused(RuntimeError):
    """The exported model does not agree with the torch encoder; nothing was written."""


def _trace(model: SentenceTransformer, path: Path) -> None:
    import torch

    transformer = model[0].auto_model

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            return self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=token_type_ids).last_hidden_state

    sample = torch.ones((2, 16), dtype=torch.long)  # batch and length stay free (dynamic axes)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer warnings about Python branches on shapes; the check decides
        torch.onnx.export(LastHiddenState().eval(), (sample, sample, torch.zeros_like(sample)), str(path),
                          input_names=list(INPUTS), output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=OPSET, dynamo=False)


def agreement(model: SentenceTransformer, onnx_file: Path, model_dir: Path) -> float:
    """The lowest cosine between the ONNX and the torch vectors of ``CHECK_TEXTS``."""
    encoder = OnnxQueryEncoder(onnx_file, model_dir)
    reference = model.encode(list(CHECK_TEXTS), normalize_embeddings=True, convert_to_numpy=True,
                             show_progress_bar=False)
    return min(float(np.dot(encoder.encode(text), ref)) for text, ref in zip(CHECK_TEXTS, reference, strict=True))


def export_query_model(model: SentenceTransformer, model_dir: Path, target: Path) -> float:
    """Write ``target`` (atomically) and return the agreement; raises :class:`ExportRefused` when it is
    under ``MIN_COSINE`` (and whatever the exporter raises), leaving no file behind either way."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial")
    try:
        _trace(model, partial)
        cosine = agreement(model, partial, model_dir)
        if not cosine >= MIN_COSINE:
            raise ExportRefused(f"the ONNX export of {model_dir.name} agrees with torch only to cosine "
                                f"{cosine:.5f} (< {MIN_COSINE}); questions keep using torch")
        os.replace(partial, target)
        return cosine
    finally:
        partial.unlink(missing_ok=True)


def export_for(embedder: Embedder) -> Path | None:
    """Export the query encoder of ``embedder`` if it has none yet and can use one; the file, or None.

    Failures are logged, never raised: the ONNX file only makes questions faster."""
    with _EXPORT_LOCK:  # one export at a time per process (loaders of several notes folders)
        target = embedder.query_encoder_file
        if target is None or target in _FAILED or embedder.device != "cpu" or embedder.query_encoder() is not None:
            return None
        try:
            cosine = export_query_model(embedder.model, embedder.model_dir, target)
        except Exception as exc:  # the torch exporter raises many types; none may stop the app
            log.warning("No ONNX query encoder for %s: %s", embedder.model_name, exc)
            _FAILED.add(target)
            return None
        log.info("Exported the query encoder to %s (cosine %.6f against torch)", target, cosine)
        embedder.reset_query_encoder()
        return target


def main() -> int:
    """``python -m embed.onnx_export``: export for the configured model into the configured folder."""
    from embed.embedder import Embedder
    from settings import load_settings

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = load_settings()
    embedder = Embedder(settings.embed_model, "cpu", query_encoder_dir=settings.query_encoder_dir)
    if embedder.query_encoder_file is None:
        print(f"query encoder: {settings.embed_model} has no local weights to export; questions use torch")
    elif embedder.query_encoder() is not None:
        print(f"query encoder: {embedder.query_encoder_file} is in place")
    elif export_for(embedder) is None:
        print("query encoder: not exported (see above); questions are encoded with torch", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
