"""Split a document along its own structure into chunks with exact line spans.

Markdown is parsed (``ingest.markdown``): its headings and blocks come from the parser. Text without
markup is read with the plain-notes heuristics below, since informal study notes rarely use one heading
style: ``$ Topic``, ``$$$ Topic``, ``#`` headings, a ``Topic :`` (or ``Topic =>``) lead line that opens a
paragraph, and a short title line directly followed by bullets; its blocks are blank-line separated runs.

A section runs from its heading to the next heading. A section that fits ``max_chars`` is one chunk,
whole (retrieval ranks by line and returns the section: small-to-big). A longer one is cut between blocks,
never inside a list, table or code block unless that block alone is over the budget (then a list is cut
between its top-level items). Each chunk's text is exactly its lines joined by newlines (a single line
longer than ``max_chars`` is cut into pieces on word boundaries, each with the same line)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.model import Block, Chunk, Document, Heading
from ingest.tuning import INGEST
from text.lines import is_list_item

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(\S.*?)\s*#*\s*$")
_DOLLAR_HEADING = re.compile(r"^(\s*)(\${1,4})\s*(?:=>\s*)?(\S.*?)\s*$")
_LEAD_TERM = re.compile(r"^\s*(?:[-*•]\s*)?([A-Za-z0-9][\w .&/()'+-]{0,48}?)\s*(?::{1,2}|=>|==+>?)\s*(\S.*)?$")
# Every pattern here runs on every line of a user's notes: no nested quantifiers, and a pattern searched
# anywhere in a line starts only where a run of white space starts ((?<!\s)), so each is linear in the line.
_SEPARATOR = re.compile(r"(?<!\s)\s*(?::{1,2}|=>|==+>?|\s-\s)\s*")
#: A setext underline: a row of "=" (a title) or "-" (a section) under the heading's line.
_UNDERLINE = re.compile(r"^\s{0,3}(?:(=)=+|(-)-+)\s*$")


@dataclass
class _Section:
    heading_path: tuple[str, ...]
    start: int  # 0-based index of the first line
    end: int  # 0-based index past the last line


def _clean_title(raw: str) -> str:
    """The heading's name: the text before the first separator, trimmed to a readable length."""
    title = _SEPARATOR.split(raw.strip(), maxsplit=1)[0].strip(" :-=>\t")
    return title[:60].strip() or raw.strip()[:60]


def _is_title_line(lines: list[str], i: int) -> bool:
    """A short line with no sentence punctuation, directly followed by a bullet line."""
    line = lines[i].strip()
    if not line or len(line) > INGEST.title_line_chars or is_list_item(lines[i]) or line.endswith((".", ",", ";")):
        return False
    if i + 1 >= len(lines) or not lines[i + 1].strip():
        return False
    return is_list_item(lines[i + 1]) and (i == 0 or not lines[i - 1].strip())


def underlined(lines: list[str], i: int) -> int | None:
    """The level of line ``i`` as a setext heading (1 under "===", 2 under "---"), else None: a short line
    that is no list item, underlined by at least three marks."""
    line = lines[i].strip()
    if not line or len(line) > INGEST.title_line_chars or is_list_item(lines[i]) or i + 1 >= len(lines):
        return None
    under = _UNDERLINE.match(lines[i + 1])
    return None if under is None else 1 if under.group(1) else 2


def infer_headings(lines: list[str]) -> list[Heading]:
    """Recognise the headings of plain notes (1-based line numbers)."""
    found: list[Heading] = []
    for i, line in enumerate(lines):
        if (level := underlined(lines, i)) is not None:
            found.append(Heading(i + 1, level, _clean_title(line)))
            continue
        if _UNDERLINE.match(line) and found and found[-1].line == i:
            continue  # the underline of the heading above
        md = _MD_HEADING.match(line)
        if md:
            found.append(Heading(i + 1, len(md.group(1)), _clean_title(md.group(2))))
            continue
        dollar = _DOLLAR_HEADING.match(line)
        if dollar and dollar.group(3):
            indent = 1 if dollar.group(1) else 0
            found.append(Heading(i + 1, 1 + indent, _clean_title(dollar.group(3))))
            continue
        starts_paragraph = i == 0 or not lines[i - 1].strip()
        lead = _LEAD_TERM.match(line) if starts_paragraph else None
        if lead and len(lead.group(1).split()) <= 6 and not line.lstrip().startswith(("http", "s3:")):
            found.append(Heading(i + 1, 3, _clean_title(lead.group(1))))
            continue
        if _is_title_line(lines, i):
            found.append(Heading(i + 1, 3, _clean_title(line)))
    return found


def _sections(doc: Document) -> list[_Section]:
    headings = doc.headings if doc.headings is not None else infer_headings(doc.lines)
    sections: list[_Section] = []
    stack: list[Heading] = []
    start = 0
    for heading in sorted(headings, key=lambda h: h.line):
        idx = heading.line - 1
        if idx > start:
            sections.append(_Section(tuple(h.title for h in stack), start, idx))
        stack = [h for h in stack if h.level < heading.level] + [heading]
        start = idx
    sections.append(_Section(tuple(h.title for h in stack), start, len(doc.lines)))
    return [s for s in sections if any(doc.lines[j].strip() for j in range(s.start, s.end))]


def _blank_line_blocks(lines: list[str], start: int, end: int) -> list[Block]:
    """Runs of non-blank lines in [start, end): the blocks of text that has no markup."""
    blocks: list[Block] = []
    i = start
    while i < end:
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j < end and lines[j].strip():
            j += 1
        blocks.append(Block(i, j))
        i = j
    return blocks


def _section_blocks(doc: Document, start: int, end: int) -> list[Block]:
    """The section's blocks: the parser's (clipped to the section), else blank-line runs."""
    if doc.blocks is None:
        return _blank_line_blocks(doc.lines, start, end)
    found = []
    for block in doc.blocks:
        first, past = max(block.first, start), min(block.past, end)
        if first < past:
            parts = tuple((max(a, first), min(b, past)) for a, b in block.parts if min(b, past) > max(a, first))
            found.append(Block(first, past, parts))
    return found


def _span_text(lines: list[str], first: int, past_last: int) -> str:
    return "\n".join(lines[first:past_last])


def _split_long_line(line: str, max_chars: int) -> list[str]:
    """Cut one over-long line into pieces of at most ``max_chars``, on whitespace where possible."""
    pieces: list[str] = []
    rest = line
    while len(rest) > max_chars:
        cut = rest.rfind(" ", max_chars // 2, max_chars)
        cut = cut if cut > 0 else max_chars
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest.strip():
        pieces.append(rest)
    return [p for p in pieces if p.strip()]


def _pack(lines: list[str], units: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Greedily merge consecutive (first, past_last) units while the joined text fits ``max_chars``."""
    packed: list[tuple[int, int]] = []
    for first, past in units:
        if packed:
            prev_first, _ = packed[-1]
            if len(_span_text(lines, prev_first, past)) <= max_chars:
                packed[-1] = (prev_first, past)
                continue
        packed.append((first, past))
    return packed


def _line_units(lines: list[str], first: int, past: int) -> list[tuple[int, int]]:
    """Split an over-long run of lines into units that keep a bullet with its indented continuation lines."""
    units: list[tuple[int, int]] = []
    i = first
    while i < past:
        j = i + 1
        while j < past and lines[j].startswith((" ", "\t")) and not is_list_item(lines[j].lstrip()):
            j += 1
        units.append((i, j))
        i = j
    return units


def _units(lines: list[str], block: Block, max_chars: int) -> list[tuple[int, int]]:
    """A block whole when it fits; else its parts (a list's items), each split between lines if needed."""
    if len(_span_text(lines, block.first, block.past)) <= max_chars:
        return [(block.first, block.past)]
    parts = list(block.parts) or [(block.first, block.past)]
    if parts[0][0] > block.first:  # lines before the first part (a list's lead-in) stay a unit of their own
        parts.insert(0, (block.first, parts[0][0]))
    units: list[tuple[int, int]] = []
    for first, past in parts:
        if len(_span_text(lines, first, past)) <= max_chars:
            units.append((first, past))
        else:
            units.extend(_line_units(lines, first, past))
    return units


def _trim(lines: list[str], first: int, past: int) -> tuple[int, int]:
    while first < past and not lines[first].strip():
        first += 1
    while past > first and not lines[past - 1].strip():
        past -= 1
    return first, past


def chunk_document(doc: Document, max_chars: int = 1500, min_chars: int = 120) -> list[Chunk]:
    """Chunks of ``doc`` in reading order; every chunk's text is exactly its source lines."""
    lines = doc.lines
    spans: list[tuple[tuple[str, ...], int, int]] = []
    for section in _sections(doc):
        if len(_span_text(lines, section.start, section.end).strip()) <= max_chars:  # small-to-big: whole
            spans.append((section.heading_path, section.start, section.end))
            continue
        units = [u for block in _section_blocks(doc, section.start, section.end) for u in _units(lines, block, max_chars)]
        if units and units[0][0] > section.start:  # the heading line opens the first unit
            units[0] = (section.start, units[0][1])
        for first, past in _pack(lines, units, max_chars):
            spans.append((section.heading_path, first, past))
    spans = _merge_small(lines, spans, max_chars, min_chars)

    chunks: list[Chunk] = []
    seen: Counter[tuple[str, str]] = Counter()
    for path, first, past in spans:
        first, past = _trim(lines, first, past)
        if first >= past:
            continue
        heading = " > ".join(path)
        text = _span_text(lines, first, past)
        pieces = [text] if len(text) <= max_chars else _split_long_line(text, max_chars)
        for piece in pieces:
            key = (heading, piece)
            chunks.append(Chunk(doc.source, first + 1, past, heading, piece, doc.location(first + 1, past),
                                occurrence=seen[key]))
            seen[key] += 1
    return chunks


def _merge_small(lines: list[str], spans: list[tuple[tuple[str, ...], int, int]], max_chars: int,
                 min_chars: int) -> list[tuple[tuple[str, ...], int, int]]:
    """Fold a tiny span into the following one when they share the top heading and the result fits."""
    merged: list[tuple[tuple[str, ...], int, int]] = []
    for path, first, past in spans:
        if merged:
            prev_path, prev_first, prev_past = merged[-1]
            small = len(_span_text(lines, prev_first, prev_past)) < min_chars
            same_top = prev_path[:1] == path[:1]
            if small and same_top and len(_span_text(lines, prev_first, past)) <= max_chars:
                merged[-1] = (prev_path if len(prev_path) <= len(path) else path, prev_first, past)
                continue
        merged.append((path, first, past))
    return merged
