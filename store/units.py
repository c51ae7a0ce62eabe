"""Line-level vectors ("small-to-big" retrieval).

A chunk's single vector blurs when the chunk covers several facts, so each substantial line is also
embedded on its own (with the chunk's heading as context) in a second collection. Search ranks chunks
by their best line as well as by their whole text; the chunk is what is returned.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ingest.model import Chunk
from store.embedder import Embedder
from store.vectors import VectorStore

MIN_UNIT_CHARS = 15


def unit_texts(chunk: Chunk) -> list[str]:
    prefix = f"{chunk.heading}: " if chunk.heading else ""
    return [prefix + line.strip() for line in chunk.text.split("\n") if len(line.strip()) >= MIN_UNIT_CHARS]


class UnitVectors:
    def __init__(self, client, model_name: str, namespace: str = "") -> None:
        self.store = VectorStore(client, model_name, namespace=f"{namespace}-units")

    def add_for(self, chunks: Sequence[Chunk], embedder: Embedder) -> None:
        ids, texts, metas = [], [], []
        for chunk in chunks:
            for n, text in enumerate(unit_texts(chunk)):
                ids.append(f"{chunk.id}:{n}")
                texts.append(text)
                metas.append({"chunk": chunk.id})
        if ids:
            self.store.add(ids, embedder.encode(texts), metas, texts)

    def best_per_chunk(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(chunk id, similarity of its best line) best first, at most ``n`` chunks."""
        best: dict[str, float] = {}
        for unit_id, sim in self.store.query(vector, n * 4):
            chunk_id = unit_id.split(":", 1)[0]
            if chunk_id not in best:
                best[chunk_id] = sim
        return list(best.items())[:n]

    def delete_for(self, chunk_ids: Sequence[str]) -> None:
        for i in range(0, len(chunk_ids), 500):
            self.store.collection.delete(where={"chunk": {"$in": list(chunk_ids[i:i + 500])}})

    def drop(self) -> None:
        self.store.drop()
