"""Hybrid retrieval: dense (Chroma) + lexical (FTS5 BM25), fused, near-duplicates folded together."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from embed import Embedder
from ingest.model import Chunk
from retrieval.followup import contextualize, is_followup
from retrieval.scope import Scope
from retrieval.sections import SectionWindows, overlaps, unshown_part
from retrieval.tuning import RETRIEVAL
from settings import Settings
from store.index import NoteIndex, SearchUnavailable
from text.questions import adds_a_name, compared_things, search_parts
from text.words import STOPWORDS, content_words


@dataclass
class Hit:
    """A retrieved passage. ``also`` holds other places in the notes that state the same thing."""

    chunk: Chunk
    score: float
    rank: int = 0
    also: list[Chunk] = field(default_factory=list)
    #: The stored chunks a widened passage spans, each with its own heading (empty: the passage is one).
    pieces: list[Chunk] = field(default_factory=list)

    def to_json(self) -> dict:
        c = self.chunk
        return {"rank": self.rank, "text": c.text, "source": c.source, "start_line": c.start_line,
                "end_line": c.end_line, "heading": c.heading, "location": c.location, "score": round(self.score, 4),
                "also": [{"source": a.source, "start_line": a.start_line, "end_line": a.end_line} for a in self.also]}


@dataclass
class SearchResult:
    query: str  # what was searched after folding in the conversation
    hits: list[Hit]


def rrf(rankings: list[list[str]], weights: list[float]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (RETRIEVAL.rrf_k + rank)
    return scores


@dataclass
class _Ranking:
    scores: dict[str, float]

    @property
    def order(self) -> list[str]:
        return sorted(self.scores, key=lambda i: self.scores[i], reverse=True)


def split_question(question: str) -> list[str]:
    """'How long ..., and what ...?' -> the two questions (:func:`text.questions.search_parts`); a
    one-part question, or one whose later parts lean on the first ("..., and what is *its* ..."), comes back
    alone, or as the sides of a comparison."""
    parts = search_parts(question)
    if len(parts) < 2 or any(is_followup(p) or not adds_a_name(p, parts[0]) for p in parts[1:]):
        return compared_things(question) or [question]  # "..., and what is *its* ...": one topic
    return parts


@dataclass(frozen=True)
class _Scoped:
    """The files and passages of a search's scope."""

    sources: list[str]
    ids: list[str]

    @classmethod
    def of(cls, catalog, scope: Scope) -> _Scoped:
        sources = sorted(catalog.sources_in(scope.folder, scope.tags))
        return cls(sources, sorted(catalog.chunk_ids_of(sources)))


class Retriever:
    def __init__(self, index: NoteIndex, embedder: Embedder, settings: Settings, mode: str = "hybrid") -> None:
        self.index = index
        self.embedder = embedder  # the model of the index's vectors: questions are embedded with it
        self.settings = settings
        self.mode = mode  # hybrid | dense | lexical (the latter two for evaluation)
        self.windows = SectionWindows(index.catalog, index.text_vectors, settings.chunk_max_chars,
                                      index.memo.section_bounds)

    def search(self, question: str, k: int | None = None, history: list[str] | None = None,
               scope: Scope | None = None) -> SearchResult:
        """The ``k`` best passages for ``question``; with a ``scope`` (a folder, tags), only passages in it."""
        k = k or self.settings.top_k
        query = contextualize(question, history)
        n = max(self.settings.candidates, k * 4)
        allowed = _Scoped.of(self.index.catalog, scope) if scope else None
        if allowed is not None and not allowed.ids:
            return SearchResult(query, [])
        whole = self._ranking(query, n, allowed)
        parts = split_question(query)
        if len(parts) == 1 and query != question and len(content_words(question)) >= RETRIEVAL.own_words:
            parts = [question]  # a follow-up that says what it asks is also searched on its own words:
            # the earlier question found what was asked before, not necessarily what is asked now
        if len(parts) > 1 or parts[0] != query:  # each part (or a follow-up's own words) gets a say
            rankings = [whole] + [self._ranking(part, n, allowed) for part in parts]
            fused = rrf([r.order for r in rankings], [RETRIEVAL.whole_question_weight] + [1.0] * len(parts))
        else:
            rankings, fused = [whole], whole.scores
        ranked = sorted(fused, key=lambda i: fused[i], reverse=True)
        chunks = self.index.catalog.get(ranked)  # ids the catalog does not hold (a crashed ingest's leftovers) drop out
        hits = [Hit(chunks[i], fused[i]) for i in ranked if i in chunks]
        if not hits and self.mode != "lexical" and not self.index.is_empty():
            # Nearest neighbours always exist in an index that holds passages: none at all means a read failed.
            raise SearchUnavailable(f"The search found no passage in an index of {self.index.catalog.count()[1]} "
                                    f"({self.index.dir}): the index cannot be read as it should. Run `python cli.py "
                                    "ingest` to repair it, and try again.")
        hits = self._fold_duplicates(hits, k * 2)  # spares for the passages that widening folds away
        hits = self._widen(hits, query, k) if self.mode != "lexical" else hits[:k]
        for rank, hit in enumerate(hits, 1):
            hit.rank = rank
        return SearchResult(query, hits)

    def _widen(self, hits: list[Hit], query: str, k: int) -> list[Hit]:
        """Small-to-big: each hit becomes the best window of its part of the note for the query (its whole
        section, with sibling sections or across a long section's cuts; ``retrieval.sections``), unless that
        window would repeat lines an earlier passage shows. Then it keeps its own lines that no earlier
        passage shows, or goes: a list of passages shows each line once. The first ``k`` passages left."""
        vector = self.embedder.encode_query(query)
        siblings: dict[str, list[Chunk]] = {}
        shown: list[Chunk] = []
        kept: list[Hit] = []
        for hit in hits:
            window, pieces = self.windows.widen(hit.chunk, vector, siblings)
            if not any(overlaps(window, other) for other in shown):
                hit.chunk, hit.pieces = window, pieces
            elif any(overlaps(hit.chunk, other) for other in shown):
                rest = unshown_part(hit.chunk, shown)
                if rest is None:
                    continue
                # Its lines keep the units they were stored (and embedded) with.
                hit.chunk, hit.pieces = rest, hit.pieces or [hit.chunk]
            shown.append(hit.chunk)
            kept.append(hit)
            if len(kept) == k:
                break
        return kept

    def _ranking(self, query: str, n: int, allowed: _Scoped | None = None) -> _Ranking:
        """Dense (chunk and line vectors) and lexical candidates for one query, fused; with ``allowed``, only
        the passages of that scope (the vector stores search inside it; keywords are filtered)."""
        dense: list[tuple[str, float]] = []
        lines: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if self.mode in ("hybrid", "dense"):
            vector = self.embedder.encode_query(query)
            dense = self.index.dense(vector, n, allowed.sources if allowed else None)
            lines = self.index.dense_lines(vector, n, allowed.ids if allowed else None)
        if self.mode in ("hybrid", "lexical"):
            want = max(n, min(self.index.catalog.count()[1], RETRIEVAL.scoped_candidates)) if allowed else n
            lexical = self.index.catalog.lexical(self._with_initials(query), want, STOPWORDS)
        if allowed is not None:  # a scope: the passages outside it take no part
            inside = set(allowed.ids)
            dense = [p for p in dense if p[0] in inside]
            lines = [p for p in lines if p[0] in inside]
            lexical = [p for p in lexical if p[0] in inside][:n]
        return _Ranking(rrf([[i for i, _ in dense], [i for i, _ in lines], [i for i, _ in lexical]],
                            list(RETRIEVAL.fusion_weights)))

    def _with_initials(self, query: str) -> str:
        """The query and the initials of its names and phrases that the notes write instead
        (``Catalog.written_initials``): notes abbreviate the names they write most."""
        return " ".join([query, *self.index.catalog.written_initials(query).values()])

    def _fold_duplicates(self, hits: list[Hit], k: int) -> list[Hit]:
        """Keep the first ``k`` distinct hits; a later hit that says the same thing becomes an 'also at'."""
        pool = hits[: k * 3]
        vectors = self.index.vectors.vectors([h.chunk.id for h in pool]) if self.mode != "lexical" else {}
        kept: list[Hit] = []
        kept_vectors: list[np.ndarray | None] = []
        for hit in pool:
            vec = vectors.get(hit.chunk.id)
            # Only a note can repeat itself: two notes on one topic are two places worth reading.
            twin = self._twin(vec, [v if kept[i].chunk.source == hit.chunk.source else None
                                    for i, v in enumerate(kept_vectors)])
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
