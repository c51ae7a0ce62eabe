"""Cloze deletions: the most specific key term of a fact line, blanked.

A key term is a number with its unit, an acronym, a CamelCase name or a capitalised name. Among a line's
candidates the one the notes mention least often wins: a rare term is what the line is about, a frequent
one ("AWS") is background. A capital that is only filler is no name: the first word of a sentence, a word
before a comma ("Likewise,"), an adverb in -ly ("Crucially"). Two words glued together ("onAmazon") are read
as the two words ("on", "Amazon") when English knows both and not the glued form, and the notes write it no
other way ("codeCommit" beside "CodeCommit" is a name).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from quiz.facts import Line, split_definition, strip_prefix
from quiz.spelling import glued

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
    folded: Counter[str]  # the same words lower-cased

    @classmethod
    def of(cls, lines: list[Line]) -> TermStats:
        lines_with: Counter[str] = Counter()
        cased: Counter[str] = Counter()
        for line in lines:
            lines_with.update({m.group(0).lower() for m in _CANDIDATE.finditer(line.text)})
            cased.update(re.findall(r"[A-Za-z]+", line.text))
        folded: Counter[str] = Counter()
        for word, count in cased.items():
            folded[word.lower()] += count
        return cls(lines_with, cased, folded)

    def glued(self, word: str) -> tuple[str, str] | None:
        """(head, tail) of two words typed as one ("onAmazon"), when the notes write it no other way."""
        return glued(word) if self.folded[word.lower()] == self.cased[word] else None

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


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    text: str
    kind: str  # "number", "acronym", "camel" or "name"
    glued: bool = False  # the tail of two words typed as one: "Amazon" of "onAmazon"


def _candidates(body: str, stats: TermStats) -> list[_Candidate]:
    """The key-term candidates of ``body``; a glued pair of words ("onAmazon") gives its tail as a name."""
    found = []
    for match in _CANDIDATE.finditer(body):
        kind, text = match.lastgroup or "", match.group(0)
        if kind == "camel" and (pair := stats.glued(text)):
            head, tail = pair
            found.append(_Candidate(match.start() + len(head), match.end(), tail, "name", glued=True))
        else:
            found.append(_Candidate(match.start(), match.end(), text, kind))
    return found


#: What comes before the first word of a sentence: a sentence end and white space.
_SENTENCE_BEFORE = re.compile(r"[.!?][\"')\]*_]*\s+$")


def filler(candidate: _Candidate, body: str) -> bool:
    """A capital that is only filler: the first word of a sentence ("Stashing it ...", ". Furthermore"), a
    word before a comma ("Likewise, ..."), an adverb in -ly ("Crucially")."""
    if candidate.kind != "name" or " " in candidate.text:
        return False
    return candidate.start == 0 or bool(_SENTENCE_BEFORE.search(body[:candidate.start])) or \
        body[candidate.end:candidate.end + 1] == "," or candidate.text.lower().endswith("ly")


def _rank(candidate: _Candidate, body: str, subject: str, avoid: set[str], stats: TermStats,
          strict: bool = True) -> tuple | None:
    """Sort key of a usable candidate (lower is better), None when it must not be blanked (``strict``: nor a
    filler capital)."""
    term = candidate.text
    key = term.lower()
    if (set(key.split()) <= avoid or key in subject or stats.lines_with[key] > MAX_TERM_FREQUENCY
            or _occurrences(body, term) != (0 if candidate.glued else 1)):
        return None
    if candidate.kind == "name" and (candidate.start == 0 or stats.is_common_word(term)
                                      or strict and filler(candidate, body)):
        return None
    return (candidate.kind == "name", stats.lines_with[key], -len(term))


def cloze_of(line: Line, stats: TermStats, avoid: set[str], strict: bool = True) -> Cloze | None:
    """Blank the rarest key term of ``line``; None for short lines or lines without one. Not ``strict`` (every
    question the facts give, for grading): a filler capital may be blanked too."""
    body = strip_prefix(line.text)
    if len(body) < MIN_LINE_CHARS or len(body.split()) < MIN_LINE_WORDS:
        return None
    parts = split_definition(line.text)
    subject = parts[0].lower() if parts else ""
    ranked = [(rank, c) for c in _candidates(body, stats)
              if (rank := _rank(c, body, subject, avoid, stats, strict)) is not None]
    if not ranked:
        return None
    chosen = min(ranked, key=lambda pair: pair[0])[1]
    left, right = _window(body, chosen.start, chosen.end)
    evidence = body[left:right].strip()
    prompt = (body[left:chosen.start] + BLANK + body[chosen.end:right]).strip()
    if len(_WORD.findall(prompt.lower())) < MIN_LINE_WORDS - 1:
        return None
    return Cloze(prompt, chosen.text, evidence, line)
