"""[n] markers <-> line-exact citations: narrowing to the lines used, dropping markers that point nowhere,
and listing the other places in the notes that state the same fact ("also at")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from answer.model import Citation
from answer.tuning import ANSWER
from ingest.chunker import infer_headings
from retrieval import Hit
from text.stems import stems

MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def chunk_lines(hit: Hit) -> list[str]:
    return hit.chunk.text.split("\n")


def line_number(hit: Hit, offset: int) -> int:
    """File line of the chunk's ``offset``-th text line (a piece of one long line keeps that line)."""
    c = hit.chunk
    return c.start_line if c.start_line == c.end_line else c.start_line + offset


def _location(hit: Hit, start: int, end: int) -> str:
    c = hit.chunk
    plain = f"{c.start_line}" if c.start_line == c.end_line else f"{c.start_line}-{c.end_line}"
    if c.location and c.location != plain:  # pages/paragraphs: keep the format's own label for the passage
        return c.location
    return f"{start}" if start == end else f"{start}-{end}"


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def also_places(hit: Hit, quote: str, others: list[Hit] = ()) -> list[tuple[str, int, int]]:
    """Other places that say what a line of ``quote`` says: in the duplicates retrieval folded into ``hit``
    (the best-matching line, else the whole passage), and any line of the ``others`` that restates one."""
    wanted = [w for w in (stems(line) for line in quote.split("\n")) if len(w) >= 3] or [stems(quote)]
    places = []
    for other in hit.also:
        lines = other.text.split("\n")
        scored = [(max(overlap(w, stems(line)) for w in wanted), i) for i, line in enumerate(lines)]
        best, offset = max(scored, default=(0.0, 0))
        if best >= ANSWER.min_also_overlap and other.start_line != other.end_line:
            places.append((other.source, other.start_line + offset, other.start_line + offset))
        else:
            places.append((other.source, other.start_line, other.end_line))
    for other in others:
        if other is hit:
            continue
        for i, line in enumerate(chunk_lines(other)):
            said = stems(line)
            if len(said) >= 3 and any(min(overlap(w, said), overlap(said, w)) >= ANSWER.min_also_overlap for w in wanted):
                place = (other.chunk.source, line_number(other, i), line_number(other, i))
                if place not in places:
                    places.append(place)
    return places


def make_citation(n: int, hit: Hit, first: int, last: int, quote: str | None = None,
                  others: list[Hit] = ()) -> Citation:
    """Citation of the chunk's text lines ``first..last`` (0-based); ``quote`` defaults to those lines."""
    lines = chunk_lines(hit)
    quote = quote if quote is not None else "\n".join(lines[first:last + 1])
    start, end = line_number(hit, first), line_number(hit, last)
    c = hit.chunk
    also = [p for p in also_places(hit, quote, others) if not (p[0] == c.source and start <= p[1] <= end)]
    return Citation(n, c.source, start, end, quote, section_heading(hit, first), _location(hit, start, end), also)


def section_heading(hit: Hit, first: int) -> str:
    """The heading path of the section that text line ``first`` of the passage lies in. A passage can
    hold several small sections, stored under the first one's heading ("NACL", then "Security Groups"):
    a line under a later one is cited under that one."""
    path = hit.chunk.heading
    below = [h for h in infer_headings(chunk_lines(hit)) if 1 < h.line <= first + 1]
    if not below:
        return path
    return " > ".join([*path.split(" > ")[:-1], below[-1].title]) if path else below[-1].title


def cite_lines(n: int, hit: Hit, claims: Iterable[str]) -> Citation:
    """Cite the lines of ``hit`` that best support the sentences ``claims``; all of it when none matches."""
    lines = chunk_lines(hit)
    chosen = []
    for claim in claims:
        said = stems(MARKER.sub("", claim))
        scored = [(overlap(said, stems(line)), i) for i, line in enumerate(lines) if line.strip()]
        best, offset = max(scored, default=(0.0, 0))
        if best > 0:
            chosen.append(offset)
    if not chosen:
        return make_citation(n, hit, 0, len(lines) - 1)
    return make_citation(n, hit, min(chosen), max(chosen))


def numbers(marker_body: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", marker_body)]


def clean_markers(text: str, valid: set[int]) -> str:
    """Drop the [n] markers that point at no passage; ``[1, 9]`` keeps ``[1]``."""
    cleaned = _drop_invalid(text, valid)
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()


def cite_generated(text: str, hits: list[Hit], shown: set[int]) -> tuple[str, list[Citation]]:
    """The model's text with markers that point at no shown passage dropped, a marker added to a sentence
    that clearly restates one passage, and one citation per marker number used."""
    text = _mark_unmarked(clean_markers(text, shown), hits, shown)
    claims: dict[int, list[str]] = {}
    for sentence in _SENTENCE.split(text):
        for match in MARKER.finditer(sentence):
            for n in numbers(match.group(1)):
                claims.setdefault(n, []).append(sentence)
    return text, [cite_lines(n, hits[n - 1], claims[n]) for n in sorted(claims)]


def _mark_unmarked(text: str, hits: list[Hit], shown: set[int]) -> str:
    pieces = re.split(r"((?<=[.!?])\s+|\n+)", text)
    vocab = {n: stems(hits[n - 1].chunk.text) for n in shown}
    for i in range(0, len(pieces), 2):
        sentence = pieces[i]
        said = stems(sentence)
        if MARKER.search(sentence) or len(said) < 2 or not vocab:
            continue
        best = max(vocab, key=lambda n: overlap(said, vocab[n]))
        if overlap(said, vocab[best]) >= ANSWER.min_mark_overlap:
            stripped = sentence.rstrip()
            end = len(stripped) - 1 if stripped.endswith((".", "!", "?")) else len(stripped)
            pieces[i] = f"{stripped[:end]} [{best}]{stripped[end:]}{sentence[len(stripped):]}"
    return "".join(pieces)


def filter_stream(pieces: Iterable[str], valid: set[int]) -> Iterator[str]:
    """Stream ``pieces`` with invalid markers removed; text that may open a marker is held back until it closes."""
    held = ""
    for piece in pieces:
        held += piece
        cut = held.rfind("[")
        if cut >= 0 and "]" not in held[cut:] and len(held) - cut <= 12:
            ready, held = held[:cut], held[cut:]
        else:
            ready, held = held, ""
        if ready:
            yield _drop_invalid(ready, valid)
    if held:
        yield _drop_invalid(held, valid)


def _drop_invalid(text: str, valid: set[int]) -> str:
    def fix(match: re.Match) -> str:
        kept = [n for n in numbers(match.group(1)) if n in valid]
        return "".join(f"[{n}]" for n in dict.fromkeys(kept))

    return MARKER.sub(fix, text)
