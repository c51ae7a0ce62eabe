"""The quotable units of retrieved passages (``ingest.units``), with the words they hold.

A candidate is one unit of one hit: a line, or sentences of a long line. Its ``text`` is verbatim, so a
citation of its line is exact; its ``embed_text`` (heading, then text) is the text whose vector ingest
stored, so composing an answer embeds nothing that ingest did not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from answer.terms import stems
from ingest.units import chunk_units, is_heading
from retrieval import Hit


@dataclass(frozen=True)
class Candidate:
    hit: int  # index into the hits
    first: int  # 0-based text lines of the chunk, inclusive
    last: int
    text: str  # verbatim: a line, or a run of its sentences
    embed_text: str
    terms: frozenset[str]
    indent: int  # leading white space of its line (tabs count 4): what a deeper line belongs to
    section: int  # the chunk line of the Markdown heading above it (-1: none): a quote stays in one section


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


@lru_cache(maxsize=4096)
def chunk_candidates(heading: str, text: str) -> tuple[Candidate, ...]:
    """One passage's candidates (``hit`` 0), remembered: stemming every line is most of composing's time."""
    lines = text.split("\n")
    section, heading_above = -1, []
    for i, line in enumerate(lines):
        section = i if is_heading(line) else section
        heading_above.append(section)
    return tuple(Candidate(0, u.line, u.line, u.text, u.embed_text, frozenset(stems(u.text)), _indent(lines[u.line]),
                           heading_above[u.line]) for u in chunk_units(heading, text))


def candidates(hits: list[Hit]) -> list[Candidate]:
    return [replace(c, hit=h) for h, hit in enumerate(hits) for c in chunk_candidates(hit.chunk.heading, hit.chunk.text)]
