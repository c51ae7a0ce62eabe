"""Sentence vectors of candidate lines, kept in memory: a line is embedded once per process."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from store import Embedder

MAX_CACHED = 50_000  # about 75 MB of float32 384-d vectors


class LineVectors:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vector in zip(missing, self.embedder.encode(missing), strict=True):
                self._cache[text] = vector
        for text in texts:
            self._cache.move_to_end(text)
        while len(self._cache) > MAX_CACHED:
            self._cache.popitem(last=False)
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        return self.embedder.encode_query(text)
