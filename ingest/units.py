"""The quotable units of a chunk: its lines, and the sentences of a long line.

One definition serves two steps: ``store`` embeds every unit once at ingest (search ranks a chunk by its
best unit: small-to-big), and ``answer`` quotes the units that answer a question, reusing those vectors.
A unit's ``embed_text`` carries its nearest heading, so "Default message size : 1 MB" under "Kafka" is
found by a question about Kafka (the chunk's own vector carries the whole heading path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.tuning import INGEST
from text.lines import readable
from text.words import has_words

# Linear in the line: the look-behind is one character, the white space run possessive.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s++(?=[^\s.])")
_MARKUP_ONLY = re.compile(r"^\s*+(?:`{3,}|~{3,}|[-=*_|:\s]{3,}+$)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")  # a Markdown heading: its words reach every unit as the prefix


@dataclass(frozen=True)
class Unit:
    line: int  # 0-based line of the chunk's text
    text: str  # verbatim: the whole line, or a run of its sentences
    embed_text: str  # what is embedded: "heading: text", link addresses and tags left out


def _sentence_groups(line: str) -> list[str]:
    """Consecutive sentences of ``line`` packed into pieces of at most ``INGEST.long_line`` characters (verbatim)."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(line)]
    bounds = list(zip(starts, starts[1:] + [len(line)], strict=True))
    pieces: list[str] = []
    begin = bounds[0][0]
    for (_start, end), nxt in zip(bounds, bounds[1:] + [None], strict=True):
        if nxt is None or nxt[1] - begin > INGEST.long_line:
            pieces.append(line[begin:end].strip())
            begin = nxt[0] if nxt else end
    return [p for p in pieces if p]


@lru_cache(maxsize=4096)
def chunk_units(heading: str, text: str) -> tuple[Unit, ...]:
    """Every unit of a chunk, in reading order. Markup-only lines (code fences, rules, tags, images) and
    Markdown heading lines have none: a heading's words are in every unit below it."""
    topic = " > ".join(p[:40] for p in heading.split(" > ")[-2:])  # the nearest two levels: a whole path
    # would cost more to embed than the line itself
    prefix = f"{topic}: " if topic else ""
    units: list[Unit] = []
    for i, raw in enumerate(text.split("\n")):
        line = raw.strip()
        if _HEADING.match(raw) or _MARKUP_ONLY.match(line) or not has_words(readable(line)):
            continue
        pieces = [line] if len(line) <= INGEST.long_line else _sentence_groups(line)
        units.extend(Unit(i, piece, prefix + readable(piece)) for piece in pieces)
    return tuple(units)


def is_heading(line: str) -> bool:
    return bool(_HEADING.match(line))


def embedded_units(heading: str, text: str) -> tuple[Unit, ...]:
    """The units that get a vector of their own."""
    return tuple(u for u in chunk_units(heading, text) if len(u.text) >= INGEST.min_unit_chars)
