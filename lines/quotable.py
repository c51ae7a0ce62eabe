"""The quotable units of a passage (``ingest.units``), with the words they hold: what an answer may quote,
and so the texts whose vectors ``lines.prepare`` makes ready after each sync.

A candidate is one unit of one passage: a line, or sentences of a long line. Its ``text`` is verbatim, so a
citation of its line is exact; its ``embed_text`` (heading, then text) is the text whose vector ingest
stored, so composing an answer embeds nothing that ingest did not. A passage widened over several stored
chunks (``Hit.pieces``) takes each line's unit from the chunk it was stored in, under that chunk's heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ingest.units import chunk_units, is_heading
from text.lines import is_reference
from text.stems import stems


@dataclass(frozen=True)
class Candidate:
    hit: int  # index into the hits
    first: int  # 0-based text lines of the hit's passage, inclusive
    last: int
    text: str  # verbatim: a line, or a run of its sentences
    embed_text: str
    terms: frozenset[str]
    indent: int  # leading white space of its line (tabs count 4): what a deeper line belongs to
    section: int  # the passage line of the Markdown heading above it, else the passage line where its stored
    # chunk's topic starts (negative: above the passage): a quote stays in one section
    heading_terms: frozenset[str] = frozenset()  # stems of the heading path it was stored under


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


@lru_cache(maxsize=4096)
def chunk_candidates(heading: str, text: str, pieces: tuple[tuple[int, str, str], ...] = ()) -> tuple[Candidate, ...]:
    """One passage's candidates (``hit`` 0), remembered: stemming every line is most of composing's time.
    ``pieces``: (first line in the passage, heading, text) of the stored chunks it spans, when several."""
    lines = text.split("\n")
    section, heading_above = -1, []
    for i, line in enumerate(lines):
        section = i if is_heading(line) else section
        heading_above.append(section)
    out: list[Candidate] = []
    topic_at: dict[str, int] = {}  # a stored chunk's heading -> where its topic starts in the passage
    for offset, piece_heading, piece_text in pieces or ((0, heading, text),):
        heading_terms = frozenset(stems(piece_heading.replace(" > ", " ")))
        topic = topic_at.setdefault(piece_heading, offset)
        for u in chunk_units(piece_heading, piece_text):
            line = offset + u.line
            if 0 <= line < len(lines) and u.text in lines[line] and not is_reference(u.text):
                section = heading_above[line] if heading_above[line] >= 0 else topic
                out.append(Candidate(0, line, line, u.text, u.embed_text, frozenset(stems(u.text)),
                                     _indent(lines[line]), section, heading_terms))
    return tuple(sorted(out, key=lambda c: c.first))
