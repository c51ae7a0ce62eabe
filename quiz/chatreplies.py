"""What the chat quiz says: the reply types a front end draws, and the wording of verdicts, hints and
the end-of-quiz summary. Plain data and text; no UI library."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from quiz.model import EXACT_KINDS, Grade, Question

Verdict = Literal["correct", "partly", "wrong", "skipped"]
COMMANDS_LINE = "Answer in the chat box. You can also say hint, skip, why? or stop."


@dataclass(frozen=True)
class Say:
    """A plain line from the quiz (a hint, a notice)."""

    text: str


@dataclass(frozen=True)
class MovedOn(Say):
    """An answer given to a question that is no longer pending (another tab of the same chat answered it,
    or ended the quiz): nothing was graded. The current question, if any, follows it."""


@dataclass(frozen=True)
class Ask:
    """One question, numbered; ``lead`` introduces it ("Back to the quiz.")."""

    quiz_id: str
    number: int  # 1-based position in the quiz
    total: int
    question: Question
    lead: str = ""

    @property
    def text(self) -> str:
        head = f"{self.lead} " if self.lead else ""
        return f"{head}Question {self.number} of {self.total}: {self.question.prompt_text()}"


@dataclass(frozen=True)
class Graded:
    """The verdict on an answer, with a one-line reason and the expected answer's source lines."""

    question: Question
    verdict: Verdict
    reason: str
    expected: str
    given: str

    @property
    def text(self) -> str:
        return f"{VERDICT_WORDS[self.verdict]} {self.reason} Expected: {self.expected} ({self.question.reference})"


@dataclass(frozen=True)
class Summary:
    """The end of a quiz: score, weakest topics, when the next cards are due."""

    right: int
    asked: int
    partly: int
    skipped: int
    weakest: tuple[str, ...]
    due: str
    deck_due: str = ""  # all cards: how many are due now and when the next one is ("Due now: 3 of 40 cards. ...")

    @property
    def lines(self) -> list[str]:
        """The score, the weakest topics, the due dates of this quiz's cards and of all cards."""
        extras = [f"{self.partly} partly right"] * bool(self.partly) + [f"{self.skipped} skipped"] * bool(self.skipped)
        score = f"Quiz over: {self.right} of {self.asked} right" + (f" ({', '.join(extras)})." if extras else ".")
        weak = (f"Weakest topics: {', '.join(self.weakest)}." if self.weakest
                else "No weak topics in this quiz." if self.asked else "")
        return [p for p in (score, weak, self.due, self.deck_due) if p]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class FromNotes:
    """Answer ``query`` from the notes as a normal chat question (the front end runs the answerer)."""

    query: str

    @property
    def text(self) -> str:
        return self.query


Reply = Say | Ask | Graded | Summary | FromNotes

VERDICT_WORDS: dict[Verdict, str] = {"correct": "Correct.", "partly": "Partly right.", "wrong": "Not quite.",
                                     "skipped": "Skipped."}
_VERDICT_PREFIX = re.compile(r"^\s*(?:correct|partly right|not quite)\.\s*", re.I)
_DEFAULT_REASON: dict[Verdict, str] = {"correct": "That is what the notes say.",
                                       "partly": "Some of it matches the notes, not all.",
                                       "wrong": "That is not what the notes say.",
                                       "skipped": "Here is the answer."}


def verdict_of(result: Grade) -> Verdict:
    """The grader's verdict: correct, partly (some of the expected content) or wrong."""
    return result.verdict or ("correct" if result.correct else "wrong")


def reason_of(result: Grade, verdict: Verdict) -> str:
    """The grader's note as one line (without its verdict word and the expected answer, shown apart)."""
    text = re.split(r"\s*The notes \(", _VERDICT_PREFIX.sub("", result.feedback), maxsplit=1)[0].strip()
    text = " ".join(text.split())
    if not text or text == "No answer.":
        text = "No answer given." if text else _DEFAULT_REASON[verdict]
    return text if len(text) <= 200 else text[:197] + "..."


def hint_for(question: Question, level: int) -> str:
    """Hint 1 says where in the notes; hint 2 gives part of the answer; then no more."""
    if level == 0:
        place = f'under "{question.heading}"' if question.heading else f"around line {question.start_line}"
        return f"Hint: it is in {question.source}, {place}."
    if level == 1:
        return "Hint: " + _second_hint(question)
    return "No more hints for this one: answer it, or say skip."


def _second_hint(q: Question) -> str:
    if q.kind == "mcq":
        wrong = [c for c in q.choices if c != q.answer][:2]
        return "it is not " + " and not ".join(f'"{c}"' for c in wrong) + "."
    if q.kind == "tf" and len(q.evidence) > 1:
        return f'the notes describe "{q.term}" as starting with "{_opening(q.evidence[1])}".'
    first = q.parts[0]
    words = len(first.split())
    count = f"{len(q.parts)} items; the first " if q.kind == "list" else ""
    return f'{count}starts with "{_opening(first)}" ({words} word{"s" * (words != 1)}).'


def _opening(text: str) -> str:
    """The first few characters of ``text``: enough to jog the memory, not the whole answer."""
    cut = max(1, min(len(text) // 3, 12))
    return text[:cut].rstrip() + "…"


def is_exact(question: Question) -> bool:
    return question.kind in EXACT_KINDS


def describe_due(dues: list[datetime], at: datetime) -> str:
    """ "Next due: 2 cards now, 1 tomorrow, 3 in 3 days." for the quiz's cards."""
    if not dues:
        return ""
    days = Counter(max(0, (due.date() - at.date()).days) if due > at else -1 for due in dues)
    parts = []
    for day in sorted(days):
        count = days[day]
        when = "now" if day == -1 else "later today" if day == 0 else "tomorrow" if day == 1 else f"in {day} days"
        parts.append(f"{count} card{'s' * (count != 1)} {when}")
    return "Next due: " + ", ".join(parts) + "."
