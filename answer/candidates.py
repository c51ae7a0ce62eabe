"""The quotable units of retrieved passages: each hit's candidates (``lines.quotable``), numbered by hit."""

from __future__ import annotations

from dataclasses import replace

from lines.quotable import Candidate, chunk_candidates
from retrieval import Hit


def _pieces(hit: Hit) -> tuple[tuple[int, str, str], ...]:
    start = hit.chunk.start_line
    return tuple((c.start_line - start, c.heading, c.text) for c in hit.pieces)


def candidates(hits: list[Hit]) -> list[Candidate]:
    return [replace(c, hit=h) for h, hit in enumerate(hits)
            for c in chunk_candidates(hit.chunk.heading, hit.chunk.text, _pieces(hit))]
