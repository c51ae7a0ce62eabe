"""Small-to-big: a hit comes back as the best window of its part of the note, not only as its chunk.

A section over the size budget is stored as consecutive chunks, so two facts of one section can sit on
either side of a cut ("what is the train-dev set, and how does it tell variance from data mismatch?"),
and two sibling sections can answer one question together ("layer 4 and layer 7 load balancing"). For a
hit, every line under its parent heading is scored by its stored unit vector against the question (only
the units ingest embeds: shorter lines, embedded later when answers are prepared, would move a window
between one minute and the next), and the hit becomes the window of those lines (at most ``max_chars``)
with the most evidence: the lines the question matches, whichever chunk they were stored in. A hit alone
under its heading comes back as it is.
"""

from __future__ import annotations

import itertools

import numpy as np

from ingest.model import Chunk
from ingest.units import embedded_units
from retrieval.tuning import RETRIEVAL
from store.catalog import Catalog
from store.textvectors import TextVectorCache
from text.lines import is_fence, sentence_goes_on
from text.words import has_words


def _plain_lines(chunk: Chunk) -> bool:
    """A chunk cited by line numbers (not pages or paragraphs) whose text has one line per line."""
    plain = f"{chunk.start_line}" if chunk.start_line == chunk.end_line else f"{chunk.start_line}-{chunk.end_line}"
    return chunk.location in ("", plain) and chunk.text.count("\n") == chunk.end_line - chunk.start_line


def passage_bounds(lines: list[str]) -> tuple[list[bool], list[bool]]:
    """Where a passage of these lines may start and end without cutting a fenced code block or a sentence
    the notes wrap over lines: (may start, may end) per line. A line inside a block may do neither; its
    opening fence may start a passage, its closing fence end one. Lines after a fence that never closes
    count as code."""
    starts, ends, inside = [], [], False
    for line in lines:
        fence = is_fence(line)
        starts.append(not inside)
        ends.append(not inside and not fence or inside and fence)
        inside = inside != fence
    for i in range(1, len(lines)):
        if starts[i] and ends[i - 1] and not is_fence(lines[i]) and sentence_goes_on(lines[i - 1], lines[i]):
            starts[i] = ends[i - 1] = False
    return starts, ends


def overlaps(a: Chunk, b: Chunk) -> bool:
    """Whether two passages show a line in common."""
    return a.source == b.source and a.start_line <= b.end_line and b.start_line <= a.end_line


def unshown_part(chunk: Chunk, shown: list[Chunk]) -> Chunk | None:
    """The longest run of ``chunk``'s lines that no passage of ``shown`` holds, less any part of a code
    block or wrapped sentence it would cut (:func:`passage_bounds`), blank lines trimmed; None when no
    line with words is left. A chunk not addressed by lines comes back whole."""
    if not _plain_lines(chunk):
        return chunk
    taken = {n for other in shown if other.source == chunk.source
             for n in range(other.start_line, other.end_line + 1)}
    lines = chunk.text.split("\n")
    runs: list[tuple[int, int]] = []
    for offset in range(len(lines)):
        if chunk.start_line + offset in taken:
            continue
        if runs and runs[-1][1] == offset - 1:
            runs[-1] = (runs[-1][0], offset)
        else:
            runs.append((offset, offset))
    may_start, may_end = passage_bounds(lines)
    bounded: list[tuple[int, int]] = []
    for a, b in runs:  # each run less the part of a code block or sentence it would cut
        lo = next((i for i in range(a, b + 1) if may_start[i]), b + 1)
        hi = next((i for i in range(b, a - 1, -1) if may_end[i]), a - 1)
        if lo <= hi:
            bounded.append((lo, hi))
    if not bounded:
        return None
    lo, hi = max(bounded, key=lambda run: run[1] - run[0])  # the first of the longest
    while lo < hi and not lines[lo].strip():
        lo += 1
    while hi > lo and not lines[hi].strip():
        hi -= 1
    if not any(has_words(line) for line in lines[lo:hi + 1]):
        return None
    first, last = chunk.start_line + lo, chunk.start_line + hi
    location = f"{first}" if first == last else f"{first}-{last}"
    return Chunk(chunk.source, first, last, chunk.heading, "\n".join(lines[lo:hi + 1]), location)


def _parent(heading: str) -> str:
    return heading.rsplit(" > ", 1)[0] if " > " in heading else heading


def section_of(chunk: Chunk, siblings: list[Chunk]) -> list[Chunk]:
    """The consecutive chunks of ``siblings`` (one file, in order) under ``chunk``'s parent heading: its own
    section and its sibling sections ("Layer 4 load balancing" beside "Layer 7 load balancing")."""
    at = next((i for i, c in enumerate(siblings) if c.id == chunk.id), None)
    if at is None:
        return [chunk]
    parent = _parent(chunk.heading)
    first = last = at
    while first > 0 and _parent(siblings[first - 1].heading) == parent:
        first -= 1
    while last + 1 < len(siblings) and _parent(siblings[last + 1].heading) == parent:
        last += 1
    return siblings[first:last + 1]


Bounds = dict[tuple, tuple[list[bool], list[bool]]]  # a section's chunks and places -> its passage bounds
MAX_BOUNDS = 2048  # sections remembered; past that the memo starts again


def _section_bounds(section: list[Chunk], lines: list[str], memo: Bounds) -> tuple[list[bool], list[bool]]:
    """:func:`passage_bounds` of a section's lines, remembered in ``memo`` by its chunks (ids come from
    content) and their line numbers: the same key, the same lines."""
    key = tuple((c.id, c.start_line, c.end_line) for c in section)
    if key not in memo:
        if len(memo) > MAX_BOUNDS:
            memo.clear()
        memo[key] = passage_bounds(lines)
    return memo[key]


def best_window(section: list[Chunk], scores: dict[int, float], max_chars: int, anchor: Chunk,
                memo: Bounds) -> Chunk:
    """The window of the section's lines (at most ``max_chars``) holding the most line evidence, among those
    that cut no code block or wrapped sentence (:func:`passage_bounds`, remembered in ``memo``) if one holds
    the hit."""
    lines: dict[int, str] = {}
    for chunk in section:
        for offset, text in enumerate(chunk.text.split("\n")):
            lines[chunk.start_line + offset] = text
    first_line, last_line = section[0].start_line, section[-1].end_line
    numbers = list(range(first_line, last_line + 1))
    text_of = [lines.get(n, "") for n in numbers]
    gain = [max(0.0, scores.get(n, 0.0) - RETRIEVAL.min_line_similarity) for n in numbers]
    # The hit was ranked for its own lines, so the window may grow around them, never leave them: it keeps
    # a whole section whole, and the best line of a part of a longer section.
    inside = range(anchor.start_line - first_line, anchor.end_line - first_line + 1)
    whole = sum(c.heading == anchor.heading for c in section) == 1
    must_lo = inside[0] if whole else max(inside, key=lambda i: (gain[i], -i))
    must_hi = inside[-1] if whole else must_lo
    best, best_gain = (anchor.start_line - first_line, anchor.end_line - first_line), -1.0
    clean, clean_gain = best, -1.0  # the best window that cuts no code block or wrapped sentence
    may_start, may_end = _section_bounds(section, text_of, memo)
    starts = [i for i, ok in enumerate(may_start) if ok]
    prefix = [0.0, *itertools.accumulate(gain)]
    lo, size, total, first = 0, 0, 0.0, 0
    for hi in range(len(numbers)):  # two pointers: every window that fits, widest first from each end
        size += len(text_of[hi]) + 1
        total += gain[hi]
        while size - 1 > max_chars:
            size -= len(text_of[lo]) + 1
            total -= gain[lo]
            lo += 1
        if total > best_gain + 1e-9 and lo <= must_lo and must_hi <= hi:
            best, best_gain = (lo, hi), total
        while first < len(starts) and starts[first] < lo:
            first += 1
        if may_end[hi] and first < len(starts) and starts[first] <= min(must_lo, hi) and must_hi <= hi:
            kept = prefix[hi + 1] - prefix[starts[first]]
            if kept > clean_gain + 1e-9:
                clean, clean_gain = (starts[first], hi), kept
    lo, hi = clean if clean_gain >= 0 else best
    while lo < hi and not text_of[lo].strip():
        lo += 1
    while hi > lo and not text_of[hi].strip():
        hi -= 1
    start, end = numbers[lo], numbers[hi]
    spanned = {c.heading for c in section if c.start_line <= end and start <= c.end_line}
    heading = anchor.heading if spanned == {anchor.heading} else _parent(anchor.heading)
    location = f"{start}" if start == end else f"{start}-{end}"
    return Chunk(anchor.source, start, end, heading, "\n".join(text_of[lo:hi + 1]), location)


class SectionWindows:
    def __init__(self, catalog: Catalog, vectors: TextVectorCache, max_chars: int, bounds: Bounds) -> None:
        self.catalog = catalog
        self.vectors = vectors
        self.max_chars = max_chars
        self.bounds = bounds  # the index folder's memo of section bounds (``FolderMemo.section_bounds``)

    def widen(self, chunk: Chunk, query: np.ndarray, siblings: dict[str, list[Chunk]]) -> tuple[Chunk, list[Chunk]]:
        """``chunk``, or the best window of its section when the section spans several chunks; with the
        stored chunks the window spans (each line keeps the heading it was stored, and embedded, under)."""
        if not _plain_lines(chunk):
            return chunk, []
        if chunk.source not in siblings:
            siblings[chunk.source] = self.catalog.chunks_of(chunk.source)
        section = section_of(chunk, siblings[chunk.source])
        own = [c for c in section if c.heading == chunk.heading or c.heading.startswith(chunk.heading + " > ")]
        if sum(c.heading == chunk.heading for c in own) > 1:  # a long section cut in parts: its window stays
            section = own  # inside it (its subsections included), off its sibling sections
        if len(section) < 2 or not all(_plain_lines(c) for c in section):
            return chunk, []
        units = [(c.start_line + u.line, u.embed_text) for c in section for u in embedded_units(c.heading, c.text)]
        stored = self.vectors.get([text for _, text in units])
        scores: dict[int, float] = {}
        for line, text in units:
            if text in stored:
                scores[line] = max(scores.get(line, 0.0), float(stored[text] @ query))
        window = best_window(section, scores, self.max_chars, chunk, self.bounds)
        return window, [c for c in section if c.start_line <= window.end_line and window.start_line <= c.end_line]
