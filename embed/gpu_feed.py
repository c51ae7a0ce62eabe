"""Keep a GPU fed while it embeds: the tokenizer and Python, not the GPU, limit plain encode there.

``SentenceTransformer.encode`` tokenizes each batch on the calling thread, copies it, waits for the model
and copies the vectors back before it starts the next batch, so a fast GPU idles most of the time. Here
texts are sorted by length and cut into batches by a token budget; worker threads tokenize batches ahead
of the model (the Rust tokenizer releases the GIL while it works) into pinned memory; copies to the GPU
do not block; and the vectors stay on the GPU until one copy back at the end.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from embed.models import embedding_dimension

if TYPE_CHECKING:
    import torch
    from sentence_transformers import SentenceTransformer

TOKENS_PER_BATCH = 65_536  # ~256 texts of 256 tokens, ~1,000 short ones
MAX_TEXTS_PER_BATCH = 2048
FIRST_BATCH = 64  # a small first batch starts the GPU while the threads tokenize the rest


class PipelinedEncoder:
    """Encodes on a GPU without letting it wait for the tokenizer or for copies."""

    def __init__(self, model: SentenceTransformer, device: str, fixed_batch: int = 0,
                 workers: int | None = None) -> None:
        from tokenizers import Tokenizer

        if getattr(model, "default_prompt_name", None) or len(model) == 0:
            raise ValueError("models with prompts go through SentenceTransformer.encode")
        hf_tokenizer = model[0].tokenizer
        self.tokenizer = Tokenizer.from_str(hf_tokenizer.backend_tokenizer.to_str())  # private copy
        self.max_tokens = int(model.max_seq_length)
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding(pad_id=hf_tokenizer.pad_token_id, pad_token=hf_tokenizer.pad_token)
        self.names = [n for n in hf_tokenizer.model_input_names
                      if n in ("input_ids", "attention_mask", "token_type_ids")]
        self.model = model
        self.device = device
        self.fixed_batch = fixed_batch
        self.workers = workers or max(1, min(8, (os.cpu_count() or 2) - 1))

    def features(self, texts: list[str], pin: bool) -> dict[str, torch.Tensor]:
        """Token ids, attention mask (and type ids) of ``texts``, padded to the longest; runs on a worker."""
        import torch

        encode = getattr(self.tokenizer, "encode_batch_fast", self.tokenizer.encode_batch)
        encodings = encode(texts)
        columns = {"input_ids": [e.ids for e in encodings], "attention_mask": [e.attention_mask for e in encodings],
                   "token_type_ids": [e.type_ids for e in encodings]}
        tensors = {name: torch.from_numpy(np.asarray(columns[name], dtype=np.int64)) for name in self.names}
        return {name: t.pin_memory() for name, t in tensors.items()} if pin else tensors

    def batches(self, sorted_lengths: list[int]) -> list[tuple[int, int]]:
        """(start, end) spans over texts sorted longest first, each within the token budget."""
        spans: list[tuple[int, int]] = []
        start = 0
        while start < len(sorted_lengths):
            if self.fixed_batch:
                size = self.fixed_batch
            elif not spans:
                size = FIRST_BATCH
            else:
                tokens = min(self.max_tokens, sorted_lengths[start] // 3 + 2)  # ~3+ characters a token
                size = max(1, min(MAX_TEXTS_PER_BATCH, TOKENS_PER_BATCH // tokens))
            spans.append((start, min(start + size, len(sorted_lengths))))
            start = spans[-1][1]
        return spans

    def encode_now(self, texts: list[str]) -> np.ndarray:
        """A few texts (a question) in one batch on the calling thread: no pool, no pinned memory.

        On the CPU this skips what ``SentenceTransformer.encode`` does per call besides the model (setting
        eval mode on every module, sorting, device look-ups): about 3 of the 23 ms a question takes."""
        import torch

        with torch.inference_mode():
            features = {k: v.to(self.device) for k, v in self.features(texts, pin=False).items()}
            embedded = self.model(features)["sentence_embedding"].float()
            return torch.nn.functional.normalize(embedded, p=2, dim=1).cpu().numpy()

    def encode(self, texts: list[str]) -> np.ndarray:
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        spans = self.batches([len(texts[i]) for i in order])
        device = torch.device(self.device)
        pin = device.type == "cuda"
        dim = embedding_dimension(self.model)
        out = torch.empty((len(texts), dim), dtype=torch.float32, device=device)
        positions = torch.as_tensor(order, device=device)
        pending: deque[tuple[tuple[int, int], Future]] = deque()
        with ThreadPoolExecutor(self.workers, thread_name_prefix="tokenize") as pool, torch.inference_mode():
            todo = iter(spans)
            for span in todo:
                pending.append((span, pool.submit(self.features, [texts[i] for i in order[span[0]:span[1]]], pin)))
                if len(pending) > self.workers * 2:
                    break
            while pending:
                (start, end), future = pending.popleft()
                span = next(todo, None)
                if span is not None:
                    pending.append((span, pool.submit(self.features, [texts[i] for i in order[span[0]:span[1]]],
                                                      pin)))
                features = {k: v.to(device, non_blocking=True) for k, v in future.result().items()}
                embedded = self.model(features)["sentence_embedding"].float()
                out[positions[start:end]] = torch.nn.functional.normalize(embedded, p=2, dim=1)
        return out.cpu().numpy()
