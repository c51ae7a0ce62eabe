"""Cloze deletions: the most specific key term of a fact line, blanked.

A key term is a number with its unit, an acronym, a CamelCase name or a capitalised name. Among a line's
candidates the one the notes mention least often wins: a rare term is what the line is about, a frequent
one ("AWS") is background.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from quiz.facts import Line, split_definition, strip_prefix

BLANK = "_____"
_CANDIDATE = re.compile(
    r"(?<![\w./^-])(?:"
    r"(?P<number>\d+(?:\.\d+)?(?:\s?(?:gb|tb|mb|kb|days?|months?|years?|sec(?:onds)?|minutes?|hours?|%))?(?!\.\s))"
    r"|(?P<acronym>[A-Z][A-Z0-9]{1,7}s?)"
    r"|(?P<camel>[A-Z]?[a-z]+(?:[A-Z][a-z0-9]+)+)"
    r"|(?P<name>[A-Z][a-z]{3,}(?:\s[A-Z][a-z]{2,})?)"
    r")(?![\w/-])")
_WORD = re.compile(r"[a-z0-9]+")
MIN_LINE_CHARS = 30
MIN_LINE_WORDS = 5
WINDOW_CHARS = 150
MAX_TERM_FREQUENCY = 12  # a term in more lines than this is background, not the point of a line


@dataclass(frozen=True)
class Cloze:
    prompt: str  # the window of the line with the answer blanked
    answer: str
    evidence: str  # the same window with the answer in place: a substring of the line
    line: Line


@dataclass(frozen=True)
class TermStats:
    """How often candidates occur in the notes: per line (lower-cased), and words with their exact case."""

    lines_with: Counter[str]
    cased: Counter[str]

    @classmethod
    def of(cls, lines: list[Line]) -> TermStats:
        lines_with: Counter[str] = Counter()
        cased: Counter[str] = Counter()
        for line in lines:
            lines_with.update({m.group(0).lower() for m in _CANDIDATE.finditer(line.text)})
            cased.update(re.findall(r"[A-Za-z]+", line.text))
        return cls(lines_with, cased)

    def is_common_word(self, name: str) -> bool:
        """A capitalised word the notes mostly write in lower case ("Data", "Security"): not a name."""
        return " " not in name and self.cased[name.lower()] >= self.cased[name]


def _occurrences(text: str, term: str) -> int:
    return len(re.findall(rf"(?<![\w./-]){re.escape(term)}(?![\w/-])", text, flags=re.I))


def _window(body: str, start: int, end: int) -> tuple[int, int]:
    """A span of ``body`` around [start, end) at most WINDOW_CHARS long, on word boundaries."""
    left, right = 0, len(body)
    if len(body) > WINDOW_CHARS:
        left = max(0, start - WINDOW_CHARS // 2)
        right = min(len(body), max(end, left + WINDOW_CHARS))
        left = body.find(" ", left) + 1 if left > 0 else 0
        space = body.rfind(" ", end, right)
        right = space if right < len(body) and space > end else right
    while left < start and not body[left].isalnum():
        left += 1
    return left, right


def _rank(match: re.Match[str], body: str, subject: str, avoid: set[str], stats: TermStats) -> tuple | None:
    """Sort key of a usable candidate (lower is better), None when it must not be blanked."""
    term = match.group(0)
    key = term.lower()
    if (set(key.split()) <= avoid or key in subject or stats.lines_with[key] > MAX_TERM_FREQUENCY
            or _occurrences(body, term) != 1):
        return None
    if match.lastgroup == "name" and (match.start() == 0 or stats.is_common_word(term)):
        return None
    return (match.lastgroup == "name", stats.lines_with[key], -len(term))


def cloze_of(line: Line, stats: TermStats, avoid: set[str]) -> Cloze | None:
    """Blank the rarest key term of ``line``; None for short lines or lines without one."""
    body = strip_prefix(line.text)
    if len(body) < MIN_LINE_CHARS or len(body.split()) < MIN_LINE_WORDS:
        return None
    parts = split_definition(line.text)
    subject = parts[0].lower() if parts else ""
    ranked = [(rank, m) for m in _CANDIDATE.finditer(body)
              if (rank := _rank(m, body, subject, avoid, stats)) is not None]
    if not ranked:
        return None
    match = min(ranked, key=lambda pair: pair[0])[1]
    left, right = _window(body, match.start(), match.end())
    evidence = body[left:right].strip()
    prompt = (body[left:match.start()] + BLANK + body[match.end():right]).strip()
    if len(_WORD.findall(prompt.lower())) < MIN_LINE_WORDS - 1:
        return None
    return Cloze(prompt, match.group(0), evidence, line)
