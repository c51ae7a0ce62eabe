"""Which heading a question belongs to: the innermost heading whose section holds its first line.

A chunk keeps the heading path of where it starts; a chunk folded together from small sections, or cut
from a long one, may hold lines of later headings too. So the quiz reads the headings of each file again
from the chunks' own lines, the way ingest found them (Markdown through its parser, plain notes through
the plain-notes heuristics), and files every question under the heading of its own lines. Formats whose
loader knows headings another way (pdf, docx, html, rst) keep their chunk's heading.

In plain notes a paragraph's first "term : definition" line is taken for a heading by ingest; for the quiz it
heads only itself (its neighbours are sibling facts, not its section), so they are filed one heading up. A
bullet that names a topic ("- AWS Shield" over its lines, inside "$ Lake Formation") heads the lines under
it for the quiz (:func:`topic_bullets`), up to the end of its paragraph (the next blank line): below that
the heading above it takes over again. Ingest's chunks and search are left as they are.

A topic label never holds the answer: when the heading names what the question asks for ("Neural Style
Transfer" over "Which term do the notes describe as ...?"), the question is filed under the heading above.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable

from ingest.chunker import infer_headings, underlined
from ingest.markdown import markdown_structure
from ingest.model import Chunk, Heading
from quiz.acronyms import expands, is_acronym

_MARKDOWN = (".md", ".markdown")
_PLAIN = (".txt", ".text", ".org")
MD_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s")


class HeadingMap:
    """Heading paths by file and line, read from the chunks' lines."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        lines: dict[str, dict[int, str]] = defaultdict(dict)
        for chunk in chunks:
            texts = chunk.text.split("\n")
            if len(texts) == chunk.end_line - chunk.start_line + 1:
                for i, text in enumerate(texts):
                    lines[chunk.source][chunk.start_line + i] = text
        self._paths: dict[str, tuple[list[int], list[tuple[str, ...]], list[bool]]] = {}
        #: Lines that are only a heading: a Markdown "#" line or a plain-text line underlined by "===" or "---".
        self.title_lines: dict[str, set[int]] = {}
        for source, numbered in lines.items():
            text = [numbered.get(n, "") for n in range(1, max(numbered) + 1)]
            read = _headings(source, text)
            if read is None:
                continue
            headings, bullets = read
            ends = _paragraph_ends(text, bullets)
            starts, paths, stack, defining = [], [], [], []
            events = sorted([(h.line, 0, h) for h in headings] + [(end, 1, h) for h, end in ends], key=lambda e: e[:2])
            for line, closing, heading in events:
                if closing:  # a topic bullet heads its own paragraph only: the heading above takes over again
                    if heading not in stack:
                        continue
                    stack = stack[:stack.index(heading)]
                    starts.append(line)
                    paths.append(tuple(h.title for h in stack))
                    defining.append(False)
                    continue
                stack = [h for h in stack if h.level < heading.level] + [heading]
                starts.append(heading.line)
                paths.append(tuple(h.title for h in stack))
                following = text[heading.line] if heading.line < len(text) else ""
                defining.append(not source.lower().endswith(_MARKDOWN) and _defines(text[heading.line - 1])
                                and not _ITEM.match(following))
            self._paths[source] = (starts, paths, defining)
            self.title_lines[source] = {h.line for h in headings if MD_HEADING_LINE.match(text[h.line - 1])
                                        or underlined(text, h.line - 1) is not None}

    def path(self, source: str, line: int) -> tuple[str, ...] | None:
        """The heading path over ``line`` of ``source``; None when this file's headings are not known here."""
        if source not in self._paths:
            return None
        starts, paths, defining = self._paths[source]
        at = bisect.bisect_right(starts, line) - 1
        if at < 0:
            return ()
        if defining[at] and starts[at] != line:  # "VPC endpoint gateway : ..." heads its paragraph only
            return paths[at][:-1]
        return paths[at]


_DEFINES = re.compile(r"^\s*(?:[-*•$]+\s*)?[A-Za-z0-9][\w .&/()'+-]{0,48}?\s*(?::{1,2}|=>|==+>?|\s-\s)\s*\S")


_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)]|[a-z][.)])\s*\S")


def _defines(line: str) -> bool:
    """A plain-notes heading that is itself a definition ("VPC endpoint gateway : specifically for s3"): the
    lines after it are its siblings (VPN, Direct connect), not its section; unless items follow it ("kMS :2
    keys" over "1. symmetric ...")."""
    return bool(_DEFINES.match(line)) and not line.lstrip().startswith("$")


def _paragraph_ends(lines: list[str], bullets: list[Heading]) -> list[tuple[Heading, int]]:
    """(topic bullet, the first blank line after it): where its paragraph, and so its section, ends."""
    ends = []
    for bullet in bullets:
        end = next((n for n in range(bullet.line + 1, len(lines) + 1) if not lines[n - 1].strip()), None)
        if end is not None:
            ends.append((bullet, end))
    return ends


def _headings(source: str, lines: list[str]) -> tuple[list[Heading], list[Heading]] | None:
    """The file's headings, and of them the topic bullets; None for a format whose headings are not read here."""
    suffix = "." + source.rsplit(".", 1)[-1].lower() if "." in source else ""
    if suffix in _MARKDOWN:
        return markdown_structure(lines)[0], []
    if suffix in _PLAIN or not suffix:
        found = infer_headings(lines)
        bullets = topic_bullets(lines, found)
        return sorted(found + bullets, key=lambda h: h.line), bullets
    return None


_TOPIC_BULLET = re.compile(r"^\s*[-*•]\s*(?P<title>[^\s:][^:]*?)\s*:?\s*$")
_ANY_BULLET = re.compile(r"^\s*[-*•]\s*\S")


def topic_bullets(lines: list[str], headings: list[Heading]) -> list[Heading]:
    """The bullets of plain notes that name a topic and head the lines under them, one level below the
    heading above: "- AWS Shield" over "protect against DDoS attack : multiple requests" inside "$ Lake
    Formation". Such a bullet has a word (a setext underline "-----" is none), is short (at most 8 words, 60
    characters), ends no sentence, states nothing after a colon ("- type of KMS key :" does; "- encryption :
    at rest" is a fact), is no count ("- 2 types"), and is followed directly by a line that is neither a
    bullet nor a heading. Ingest does not split chunks there (search keeps its sections); only the quiz files
    cards under them."""
    at = {h.line for h in headings}
    ordered = sorted(headings, key=lambda h: h.line)
    found: list[Heading] = []
    above: Heading | None = None
    j = 0
    for i, line in enumerate(lines):
        while j < len(ordered) and ordered[j].line <= i + 1:
            above, j = ordered[j], j + 1
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if i + 1 in at or i + 2 in at or not after.strip() or _ANY_BULLET.match(after):
            continue
        m = _TOPIC_BULLET.match(line)
        if m is None:
            continue
        title = m.group("title").strip()
        if not re.search(r"\w", title) or len(title.split()) > 8 or len(title) > 60 or \
                title.endswith((".", ",", ";")) or \
                re.search(r"\s-+\s|=>|==|^\d", title):
            continue
        found.append(Heading(i + 1, (above.level if above else 0) + 1, title))
    return found


def holds(label: str, answers: Iterable[str]) -> bool:
    """The label names one of the answers: "Neural Style Transfer" holds "Neural style transfer", "Diffing
    With Patience" holds "patience", "Network Load Balancer" holds "NLB"."""
    low = re.sub(r"[^a-z0-9]+", " ", label.lower()).strip()
    for answer in answers:
        words = re.sub(r"[^a-z0-9]+", " ", answer.lower()).strip()
        if len(words) >= 4 and re.search(rf"(?<![a-z0-9]){re.escape(words)}(?![a-z0-9])", low):
            return True
        if is_acronym(answer) and (expands(answer, label) or re.search(rf"\b{re.escape(answer)}\b", label)):
            return True
    return False


def label_for(path: tuple[str, ...], answers: Iterable[str], title: str) -> tuple[str, str] | None:
    """(heading path, topic): the innermost heading of ``path`` that does not hold an answer; ("", the file's
    title) above the first heading or when every heading holds it; None when the title holds it too (the
    question would give itself away)."""
    answers = [a for a in answers if a.strip()]
    for depth in range(len(path), 0, -1):
        if not holds(path[depth - 1], answers):
            return " > ".join(path[:depth]), path[depth - 1]
    return None if holds(title, answers) else ("", title)
