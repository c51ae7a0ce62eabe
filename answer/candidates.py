"""The quotable units of retrieved passages: lines, sentences of long lines, and small labelled blocks.

A *block* is a line that opens a list (``$ GitFlow :``, ``Branches -``, ``types of Node : 1. managed``
followed by deeper-indented ``2. ...`` lines) together with the lines it introduces, so that a question
about the list gets the whole list and not only its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from answer.terms import prefixes, stems
from retrieval import Hit

LONG_LINE = 240  # longer lines are also offered sentence by sentence
BLOCK_LINES = 7
BLOCK_CHARS = 420
# Linear in the line (they run on every line of the notes): no nested quantifiers, possessive runs, and
# unanchored searches start only where a run of white space or "=" starts.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s++(?=\S)|(?<!\s)\s+(?=-\s)")
_OPENER = re.compile(r"(?::|=>|(?<!=)=++|-|:-)\s*+$|^\s*+(?:\$++|#++)\s*+\S.{0,60}$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_LEAD = re.compile(r"^[\s\-*•$#>=]*+(?:\d{1,2}[.)][\s\-*•$#>=]*+)*+(\S.{0,50}?)"
                   r"(?:\s*+(?::{1,2}|=>|==+>?|=)|\s++-\s|\s++(?:is|are|means)\s)")


@dataclass
class Candidate:
    hit: int  # index into the hits
    first: int  # 0-based text lines of the chunk, inclusive
    last: int
    text: str  # verbatim: a piece of one line, or whole lines
    terms: set[str]
    lead_terms: set[str]  # words of the term the line defines ("X : ...", "X means ..."); empty if none
    heading_terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    body_terms: set[str] = field(default_factory=set)  # a block's words below its first line (count half)
    window: str = ""  # the candidate with the lines around it, for a context-aware sentence vector


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def lead_terms(text: str) -> set[str]:
    match = _LEAD.match(text)
    return stems(match.group(1)) if match and len(match.group(1).split()) <= 6 else set()


def _block_end(lines: list[str], i: int) -> int:
    """Last line the opener at ``i`` introduces (``i`` itself when it opens nothing)."""
    line = lines[i]
    bare = opens_list(line)
    titles = not _BULLET.match(line)  # a plain line heads the bullets right under it
    end, size = i, len(line)
    for j in range(i + 1, min(len(lines), i + BLOCK_LINES)):
        nxt = lines[j]
        if not nxt.strip() or size + len(nxt) > BLOCK_CHARS:
            break
        deeper = _indent(nxt) > _indent(line)
        if not (bare or deeper or (titles and _BULLET.match(nxt))):
            break
        end, size = j, size + len(nxt)
    return end


def opens_list(line: str) -> bool:
    """A line that only introduces what follows: "Branches -", "... are required :", a "$ Config" heading."""
    return bool(_OPENER.search(line.rstrip()))


def _make(h: int, first: int, last: int, text: str, heading_terms: set[str], window: str) -> Candidate | None:
    head, _, body = text.partition("\n")
    terms = stems(head)
    body_terms = stems(body) - terms
    if not terms and not body_terms:
        return None
    return Candidate(h, first, last, text, terms, lead_terms(head), heading_terms, prefixes(text), body_terms,
                     window)


def _line_candidates(h: int, lines: list[str], i: int, heading_terms: set[str]) -> list[Candidate | None]:
    line = lines[i].strip()
    end = _block_end(lines, i)
    window = "\n".join(lines[max(0, i - 1):min(len(lines), end + 2)]).strip()
    found = []
    if end > i:
        found.append(_make(h, i, end, "\n".join(lines[i:end + 1]).strip(), heading_terms, window))
    if end == i or not opens_list(line):  # a list's label alone says nothing
        found.append(_make(h, i, i, line, heading_terms, window))
    if len(line) > LONG_LINE:  # its sentences, alone and with the one after (a thought often runs on)
        pieces = [p.strip() for p in _SENTENCE_END.split(line) if p.strip()]
        found.extend(_make(h, i, i, p, heading_terms, window) for p in pieces)
        for a, b in zip(pieces, pieces[1:], strict=False):
            pair = line[line.index(a):line.index(b, line.index(a) + len(a)) + len(b)]
            if len(pair) <= BLOCK_CHARS:
                found.append(_make(h, i, i, pair, heading_terms, window))
    return found


def candidates(hits: list[Hit]) -> list[Candidate]:
    return [replace(c, hit=h) for h, hit in enumerate(hits) for c in chunk_candidates(hit.chunk.heading, hit.chunk.text)]


@lru_cache(maxsize=2048)  # ~18 KiB a passage (the default notes), so at most ~40 MiB
def chunk_candidates(heading: str, text: str) -> tuple[Candidate, ...]:
    """One passage's candidates (``hit`` 0), remembered: stemming every line is most of composing's time."""
    found: list[Candidate | None] = []
    heading_terms = stems(heading)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            found.extend(_line_candidates(0, lines, i, heading_terms))
    return tuple(c for c in found if c is not None)
