"""Sentence vectors of the texts an answer is composed from: candidate lines, their neighbourhoods and
the question's parts.

Looked up in three places, fastest first: the embedder's in-process LRU (``Embedder.line_memo``; the app
makes a new Answerer per question), the index's persisted cache (filled ahead of time by ``lines.prepare``),
then the model, whose fresh vectors go to both. Every vector is rounded as the persisted cache stores it, so an answer is the same
whichever place its vectors came from.
"""

from __future__ import annotations

import threading

import numpy as np

from embed import Embedder
from store.textvectors import TextVectorCache, as_stored

MAX_CACHED = 50_000  # about 75 MB of float32 384-d vectors
_LOCK = threading.Lock()  # guards every embedder's line_memo


def forget_cached(embedder: Embedder) -> None:
    """Drop the in-process vectors of ``embedder`` (what a new process starts with; the persisted cache stays)."""
    with _LOCK:
        embedder.line_memo.clear()


class LineVectors:
    def __init__(self, embedder: Embedder, persisted: TextVectorCache | None = None) -> None:
        self.embedder = embedder
        self.persisted = persisted
        self.embedded = 0  # texts this instance had to run through the model
        self._cache = embedder.line_memo  # shared by every LineVectors of this model in the process

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.ensure(texts)
        with _LOCK:
            found = [self._cache.get(t) for t in texts]
        if any(v is None for v in found):  # evicted meanwhile by another thread's questions: rare, redo
            fresh = dict(zip(texts, as_stored(self.embedder.encode(texts)), strict=True))
            found = [fresh[t] for t in texts]
        with _LOCK:
            for text in texts:
                if text in self._cache:
                    self._cache.move_to_end(text)
            while len(self._cache) > MAX_CACHED:
                self._cache.popitem(last=False)
        return np.stack(found) if found else np.zeros((0, self.embedder.dimension), dtype=np.float32)

    def of_questions(self, texts: list[str]) -> np.ndarray:
        """A question and its parts: one by one through the embedder's memo, which retrieval has just
        filled with the whole question; not persisted (a question is not part of the notes)."""
        return as_stored(np.stack([self.embedder.encode_query(t) for t in texts]))

    def ensure(self, texts: list[str]) -> int:
        """Make sure every text has a vector in memory; returns how many had to be embedded."""
        with _LOCK:
            absent = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if absent and self.persisted is not None:
            stored = self.persisted.get(absent)
            with _LOCK:
                self._cache.update(stored)
            absent = [t for t in absent if t not in stored]
        self._embed(absent)
        return len(absent)

    def unpersisted(self, texts: list[str]) -> list[str]:
        """Those of ``texts`` the persisted cache lacks."""
        if self.persisted is None:
            return list(dict.fromkeys(texts))
        present = self.persisted.has(texts)
        return list(dict.fromkeys(t for t in texts if t not in present))

    def persist(self, texts: list[str]) -> int:
        """Store vectors for ``texts`` (from memory where it has them); returns how many were embedded."""
        with _LOCK:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        if known and self.persisted is not None:
            self.persisted.put(list(known), np.stack(list(known.values())))
        fresh = [t for t in dict.fromkeys(texts) if t not in known]
        self._embed(fresh)
        return len(fresh)

    def _embed(self, texts: list[str]) -> None:
        if not texts:
            return
        vectors = as_stored(self.embedder.encode(texts))
        if self.persisted is not None:
            self.persisted.put(texts, vectors)
        with _LOCK:
            self._cache.update(zip(texts, vectors, strict=True))
        self.embedded += len(texts)
