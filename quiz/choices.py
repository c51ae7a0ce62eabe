"""Multiple choice and true/false: graded exactly, by letter, number or the option's own words."""

from __future__ import annotations

from quiz.match import norm
from quiz.model import Question

_TRUE = {"true", "t", "yes", "y", "correct", "right", "vrai", "1"}
_FALSE = {"false", "f", "no", "n", "wrong", "incorrect", "faux", "0"}


def parse_choice(q: Question, given: str) -> str | None:
    """The choice the user meant: a letter (``b``, ``(B)``), its number, or the option's exact text."""
    text = given.strip().strip("().").strip()
    if q.kind == "tf":
        word = text.lower()
        return "True" if word in _TRUE else "False" if word in _FALSE else None
    letters = "abcdefgh"[:len(q.choices)]
    if len(text) == 1 and text.lower() in letters:
        return q.choices[letters.index(text.lower())]
    if text.isdigit() and 1 <= int(text) <= len(q.choices):
        return q.choices[int(text) - 1]
    matches = [c for c in q.choices if norm(c) == norm(given)]
    return matches[0] if matches else None


def expected_choice(q: Question) -> str:
    """What a right answer is, as shown: the lettered option, or the truth of a true/false statement."""
    if q.kind == "tf":
        return f'{q.answer}: the notes describe "{q.term}" as "{q.evidence[1]}".'
    return f"{'ABCDEFGH'[q.choices.index(q.answer)]}) {q.answer}"


def choice_note(q: Question, chosen: str | None) -> str:
    """Why a choice answer could not be read ("" when it could)."""
    if chosen is not None:
        return ""
    return "Answer true or false." if q.kind == "tf" else f"Answer with a letter A-{'ABCDEFGH'[len(q.choices) - 1]}."
