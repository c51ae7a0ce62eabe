"""Embed a sync's new chunks: each chunk's own vector and those of its units (lines, or sentences of a long
line; ``ingest.units``), written to the index's passage and line stores and its text-vector cache."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from embed import Embedder
from ingest.model import Chunk
from ingest.units import embedded_units
from store.index import NoteIndex
from store.textvectors import as_stored

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def chunk_metadata(chunk: Chunk) -> dict:
    """What the passage store keeps beside a chunk's vector."""
    return {"source": chunk.source, "start_line": chunk.start_line, "end_line": chunk.end_line,
            "heading": chunk.heading, "location": chunk.location}


def unit_texts(chunk: Chunk) -> list[str]:
    """What is embedded for a chunk's units (``ingest.units``): heading, then the line or sentences."""
    return [u.embed_text for u in embedded_units(chunk.heading, chunk.text)]


def embed_chunks(index: NoteIndex, embedder: Embedder, chunks: list[Chunk], progress: Progress) -> int:
    """Embed ``chunks`` with ``embedder`` and store them in ``index``, longest first, in parts of at most
    ``embedder.ingest_batch`` chunks and, on a CPU, about ``embedder.ingest_step_chars`` of text, reporting
    stage ``embed`` after each part; returns how many were embedded.

    A part's units may take several model calls; ``progress`` is called between two of them as well, with
    the same count: every call of it is a point where the sync may stop, about a second of model time apart.
    A chunk's own vector is written after its units', so it marks the chunk complete: a crash in between
    leaves a chunk without its vector, embedded again by the next sync."""
    done = 0
    chunks = sorted(chunks, key=lambda c: len(c.embed_text), reverse=True)  # similar lengths pad less

    def safe_point() -> None:
        progress("embed", done, len(chunks))

    texts = [c.embed_text for c in chunks]
    for run in _runs(texts, embedder.ingest_step_chars, embedder.ingest_batch):
        part = chunks[run]
        vectors = embedder.encode(texts[run])
        if not done:
            index.vectors.check_dimension(vectors.shape[1])
        _embed_units(index, embedder, part, safe_point)
        index.vectors.add([c.id for c in part], vectors, [chunk_metadata(c) for c in part], [c.text for c in part])
        done += len(part)
        progress("embed", done, len(chunks))
    return done


def encode_in_steps(embedder: Embedder, texts: list[str], safe_point: Callable[[], None]) -> np.ndarray:
    """The vectors of ``texts`` in their order, encoded about ``embedder.ingest_step_chars`` of text at a
    time (all at once on a GPU), with ``safe_point()`` (which raises to stop) between two steps."""
    parts = []
    for n, run in enumerate(_runs(texts, embedder.ingest_step_chars, len(texts))):
        if n:
            safe_point()
        parts.append(embedder.encode(texts[run]))
    return np.concatenate(parts) if parts else embedder.encode([])


def _runs(texts: list[str], chars: int | None, count: int) -> Iterator[slice]:
    """``texts`` cut, in order, into runs that end at ``count`` texts or once they hold ``chars`` characters
    (None: no limit on characters), whichever comes first; a shorter rest joins the run before it, so every
    run of a long list holds ``chars`` or more (a short one would run on one thread: about half the speed)."""
    left = sum(map(len, texts))
    start = size = 0
    for end, text in enumerate(texts, 1):
        size += len(text)
        full = chars is not None and size >= chars and left - size >= chars
        if end - start >= count or full:
            yield slice(start, end)
            start, left, size = end, left - size, 0
    if start < len(texts):
        yield slice(start, len(texts))


def _embed_units(index: NoteIndex, embedder: Embedder, chunks: Sequence[Chunk],
                 safe_point: Callable[[], None]) -> None:
    """The units of ``chunks`` into the line store and, rounded as it stores them, the text-vector cache
    (where the answer composer finds them: a unit is embedded once, for both)."""
    ids, owners, texts = [], [], []
    for chunk in chunks:
        for n, text in enumerate(unit_texts(chunk)):
            ids.append(f"{chunk.id}:{n}")
            owners.append(chunk.id)
            texts.append(text)
    if ids:
        vectors = encode_in_steps(embedder, texts, safe_point)
        index.units.add(ids, owners, texts, vectors)
        index.text_vectors.put(texts, as_stored(vectors))
