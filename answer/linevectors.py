"""Sentence vectors of candidate lines, kept in memory for the whole process (the app makes a new
Answerer per question), so a line is embedded once, however often it is quoted."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import numpy as np

from store import Embedder

MAX_CACHED = 50_000  # about 75 MB of float32 384-d vectors
_CACHES: weakref.WeakKeyDictionary[Embedder, OrderedDict[str, np.ndarray]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


class LineVectors:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        with _LOCK:
            self._cache = _CACHES.setdefault(embedder, OrderedDict())

    def __call__(self, texts: list[str]) -> np.ndarray:
        with _LOCK:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self.embedder.encode(missing)
            with _LOCK:
                self._cache.update(zip(missing, vectors, strict=True))
        with _LOCK:
            found = [self._cache[t] for t in texts]
            for text in texts:
                self._cache.move_to_end(text)
            while len(self._cache) > MAX_CACHED:
                self._cache.popitem(last=False)
        return np.stack(found) if found else np.zeros((0, self.embedder.dimension), dtype=np.float32)
