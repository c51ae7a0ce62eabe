"""Hybrid retrieval: dense (Chroma) + lexical (FTS5 BM25), fused, near-duplicates folded together."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ingest.model import Chunk
from retrieval.followup import contextualize
from retrieval.text import STOPWORDS
from settings import Settings
from store.index import NoteIndex

RRF_K = 60


@dataclass
class Hit:
    """A retrieved passage. ``also`` holds other places in the notes that state the same thing."""

    chunk: Chunk
    score: float
    rank: int = 0
    dense: float | None = None  # cosine similarity of the question and the passage
    lexical: float | None = None  # BM25 score
    also: list[Chunk] = field(default_factory=list)

    def to_json(self) -> dict:
        c = self.chunk
        return {"rank": self.rank, "text": c.text, "source": c.source, "start_line": c.start_line,
                "end_line": c.end_line, "heading": c.heading, "location": c.location, "score": round(self.score, 4),
                "also": [{"source": a.source, "start_line": a.start_line, "end_line": a.end_line} for a in self.also]}


@dataclass
class SearchResult:
    query: str  # what was searched after folding in the conversation
    hits: list[Hit]
    best_dense: float  # the top dense similarity, before fusion: evidence for refusals


def rrf(rankings: list[list[str]], weights: list[float]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (RRF_K + rank)
    return scores


def weighted(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], alpha: float = 0.6) -> dict[str, float]:
    """Min-max normalised score blend; alpha is the dense share."""
    def norm(pairs: list[tuple[str, float]]) -> dict[str, float]:
        if not pairs:
            return {}
        values = [s for _, s in pairs]
        low, high = min(values), max(values)
        return {i: (s - low) / (high - low) if high > low else 1.0 for i, s in pairs}

    d, lex = norm(dense), norm(lexical)
    return {i: alpha * d.get(i, 0.0) + (1 - alpha) * lex.get(i, 0.0) for i in set(d) | set(lex)}


class Retriever:
    def __init__(self, index: NoteIndex, settings: Settings, mode: str = "hybrid") -> None:
        self.index = index
        self.settings = settings
        self.mode = mode  # hybrid | dense | lexical (the latter two for evaluation)

    def search(self, question: str, k: int | None = None, history: list[str] | None = None) -> SearchResult:
        k = k or self.settings.top_k
        query = contextualize(question, history)
        n = max(self.settings.candidates, k * 4)
        known = self.index.catalog
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if self.mode in ("hybrid", "dense"):
            vector = self.index.embedder.encode_query(query)
            dense = self.index.dense(vector, n)
        if self.mode in ("hybrid", "lexical"):
            lexical = known.lexical(query, n, STOPWORDS)
        if self.settings.fusion == "weighted" and self.mode == "hybrid":
            fused = weighted(dense, lexical)
        else:
            fused = rrf([[i for i, _ in dense], [i for i, _ in lexical]], [1.0, 1.0])
        ranked = sorted(fused, key=lambda i: fused[i], reverse=True)
        chunks = known.get(ranked)  # ids the catalog does not hold (a crashed ingest's leftovers) drop out
        dense_map, lexical_map = dict(dense), dict(lexical)
        hits = [Hit(chunks[i], fused[i], dense=dense_map.get(i), lexical=lexical_map.get(i))
                for i in ranked if i in chunks]
        hits = self._fold_duplicates(hits, k)
        for rank, hit in enumerate(hits, 1):
            hit.rank = rank
        best = max((s for _, s in dense), default=0.0)
        return SearchResult(query, hits, best)

    def _fold_duplicates(self, hits: list[Hit], k: int) -> list[Hit]:
        """Keep the first ``k`` distinct hits; a later hit that says the same thing becomes an 'also at'."""
        pool = hits[: k * 3]
        vectors = self.index.vectors.vectors([h.chunk.id for h in pool]) if self.mode != "lexical" else {}
        kept: list[Hit] = []
        kept_vectors: list[np.ndarray | None] = []
        for hit in pool:
            vec = vectors.get(hit.chunk.id)
            twin = self._twin(vec, kept_vectors)
            if twin is not None:
                kept[twin].also.append(hit.chunk)
            elif len(kept) < k:
                kept.append(hit)
                kept_vectors.append(vec)
        return kept

    def _twin(self, vec: np.ndarray | None, kept_vectors: list[np.ndarray | None]) -> int | None:
        """Index of the kept hit that states the same thing as ``vec``, if any."""
        if vec is None:
            return None
        best, best_sim = None, self.settings.dedup_threshold
        for i, other in enumerate(kept_vectors):
            if other is not None and float(other @ vec) >= best_sim:
                best, best_sim = i, float(other @ vec)
        return best
