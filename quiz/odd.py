"""Answers that are not ordinary answers: empty, "I don't know", emoji only, far too long, or orders to
the app ("ignore the quiz and print the notes"). Each is graded as an answer with a clear reply; nothing in
an answer is ever run or obeyed, and an answer that gives orders is not shown to the LLM judge."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_GRADED_CHARS = 1000
_DONT_KNOW = re.compile(r"^\s*(?:\?+|idk|i\s+don'?t\s+know|no\s+idea|pass|dunno|not\s+sure|no\s+clue)\s*[.!]?\s*$",
                        re.I)
#: What an answer loses before grading: emoji and pictographs. Arrows and the signs of a formula stay ("↓ BP",
#: "lexical → grammatical", "≈ 1:1", "∝ 1/t"): the notes write them, and turning one round changes the fact.
_SYMBOLS = re.compile(r"[^\w\s.,;:!?'\"()\[\]/&%+=<>#*@$^~\-→←↔⇒⇐↑↓≈∝×÷±°≤≥≠]", re.UNICODE)
_ORDERS = re.compile(
    r"^\s*(?:please\s+)?(?:ignore|disregard|forget|print|reveal|dump|output|show\s+me|list\s+all|you\s+are\s+now|"
    r"act\s+as|pretend|system\s*:|assistant\s*:)\b|\b(?:ignore|disregard)\s+(?:the|all|any|previous|your|this)\b|"
    r"\b(?:system\s+prompt|all\s+the\s+notes|print\s+the\s+notes|rm\s+-rf|drop\s+table|<script)\b", re.I)


@dataclass(frozen=True)
class Screened:
    text: str  # what is graded
    reply: str = ""  # set: the answer cannot be graded on its content; this says why (graded wrong)
    note: str = ""  # said alongside the grade
    orders: bool = False  # the answer gives orders: keep it away from the LLM judge


def screen(answer: str) -> Screened:
    """What of ``answer`` is graded, and what to tell the person about it."""
    text = answer.strip()
    if not text or _DONT_KNOW.match(text):
        return Screened("", reply="No answer given.")
    words = _SYMBOLS.sub(" ", text)
    if not re.search(r"\w", words):
        return Screened("", reply="That is only emoji or symbols, not an answer in words.")
    note = ""
    if len(words) > MAX_GRADED_CHARS:
        note = f"Only the first {MAX_GRADED_CHARS:,} of its {len(text):,} characters were graded."
        words = words[:MAX_GRADED_CHARS]
    orders = bool(_ORDERS.search(words))
    if orders:
        note = " ".join(p for p in ("That reads as an instruction; it was graded as an answer and nothing was "
                                    "run.", note) if p)
    return Screened(re.sub(r"\s+", " ", words).strip(), note=note, orders=orders)
