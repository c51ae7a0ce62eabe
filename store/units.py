"""Line-level vectors ("small-to-big" retrieval).

A chunk's single vector blurs when the chunk covers several facts, so each unit (a line, or sentences of
a long line; see ``ingest.units``) is also embedded on its own, with the chunk's heading as context, in a
second collection. Search ranks chunks by their best unit as well as by their whole text; the chunk is
what is returned. The same vectors go to the index's text-vector cache, where the answer composer finds
them: a unit is embedded once, for both.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embed.embedder import Embedder
from ingest.model import Chunk
from ingest.units import embedded_units
from store.textvectors import TextVectorCache, as_stored
from store.vectors import VectorStore

UNITS_VERSION = "5"  # bumped when what a unit is changes: an index's units are then rebuilt


def unit_texts(chunk: Chunk) -> list[str]:
    """What is embedded for a chunk's units (``ingest.units``): heading, then the line or sentences."""
    return [u.embed_text for u in embedded_units(chunk.heading, chunk.text)]


class UnitVectors:
    def __init__(self, client, model_name: str, namespace: str = "") -> None:
        self.store = VectorStore(client, model_name, namespace=f"{namespace}-units{UNITS_VERSION}")

    def add_for(self, chunks: Sequence[Chunk], embedder: Embedder, cache: TextVectorCache | None = None) -> None:
        ids, texts, metas = [], [], []
        for chunk in chunks:
            for n, text in enumerate(unit_texts(chunk)):
                ids.append(f"{chunk.id}:{n}")
                texts.append(text)
                metas.append({"chunk": chunk.id})
        if ids:
            vectors = embedder.encode(texts)
            self.store.add(ids, vectors, metas, texts)
            if cache is not None:
                cache.put(texts, as_stored(vectors))

    def best_per_chunk(self, vector: np.ndarray, n: int, chunks: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, similarity of its best line) best first, at most ``n`` chunks; ``chunks``: only these."""
        best: dict[str, float] = {}
        where = {"chunk": {"$in": list(chunks)}} if chunks is not None else None
        for unit_id, sim in (self.store.query(vector, n * 4, where) if where else self.store.query(vector, n * 4)):
            chunk_id = unit_id.split(":", 1)[0]
            if chunk_id not in best:
                best[chunk_id] = sim
        return list(best.items())[:n]

    def delete_for(self, chunk_ids: Sequence[str]) -> None:
        for i in range(0, len(chunk_ids), 500):
            self.store.collection.delete(where={"chunk": {"$in": list(chunk_ids[i:i + 500])}})

    def drop(self) -> None:
        self.store.drop()
