"""Line-level vectors ("small-to-big" retrieval).

A chunk's single vector blurs when the chunk covers several facts, so each unit (a line, or sentences of
a long line; see ``ingest.units``) is also embedded on its own, with the chunk's heading as context, in a
second collection (``indexing.embedding`` embeds them). Search ranks chunks by their best unit as well as
by their whole text; the chunk is what is returned.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from store.vectors import VectorStore

UNITS_VERSION = "5"  # bumped when what a unit is changes: an index's units are then rebuilt


class UnitVectors:
    def __init__(self, client, model_name: str, namespace: str = "") -> None:
        self.store = VectorStore(client, model_name, namespace=f"{namespace}-units{UNITS_VERSION}")

    def add(self, ids: Sequence[str], chunks: Sequence[str], texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store unit ``ids[k]``: the text ``texts[k]`` of chunk ``chunks[k]``, with its vector."""
        self.store.add(ids, vectors, [{"chunk": chunk} for chunk in chunks], texts)

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
