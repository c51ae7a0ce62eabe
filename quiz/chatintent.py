"""What a chat message means to the quiz: start ("quiz me on KMS", "test me on the last answer"), a
command (hint, skip, why?, stop), a question for the notes, or an answer (a choice by letter or words)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from quiz.chatreplies import is_exact
from quiz.grade import parse_choice
from quiz.model import Question
from quiz.session import parse_quiz_request

Action = Literal["start", "hint", "skip", "why", "stop", "answer", "question"]
_COMMANDS: dict[str, Action] = {
    **dict.fromkeys(("hint", "a hint", "give me a hint", "hint please", "clue", "give me a clue"), "hint"),
    **dict.fromkeys(("skip", "skip it", "skip this", "skip this one", "next", "next question", "pass"), "skip"),
    **dict.fromkeys(("why", "why is that", "why so", "how come", "explain", "explain that", "explain it"), "why"),
    **dict.fromkeys(("stop", "stop quiz", "stop the quiz", "end", "end quiz", "end the quiz", "quit", "exit",
                     "enough", "finish", "i m done", "im done"), "stop"),
}
_QUESTION_START = re.compile(r"^(?!is\s+it\b|isn'?t\s+it\b)(?:what|which|who|whom|whose|when|where|why|how|is|"
                             r"are|was|were|do|does|did|can|could|should|would|will)\b", re.I)
_LAST_ANSWER = re.compile(r"^(?:(?:the|my|your|that|this)\s+)?(?:last|previous|above|latest)?\s*"
                          r"(?:answer|reply|response)(?:\s+above)?$|^(?:that|this|it)$", re.I)
_LETTERED = re.compile(r"^\(?([a-h])\s*[).:]\s+\S", re.I)


@dataclass(frozen=True)
class Command:
    action: Action
    topic: str = ""
    last_answer: bool = False  # "test me on the last answer"


def command_word(text: str) -> Action | None:
    """hint, skip, why or stop when the message is one of their words ("give me a hint", "next", "why?",
    "end quiz"), else None. The chat and the terminal quiz both read commands through this."""
    words = re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split()
    return _COMMANDS.get(" ".join(w for w in words if w != "please"))


def choice_prompt(question: Question) -> str:
    """How to answer a choice question: "Answer with a letter A-D." / "Answer true or false."."""
    if question.kind == "tf":
        return "Answer true or false."
    return f"Answer with a letter A-{'ABCDEFGH'[len(question.choices) - 1]}."


def read_command(text: str, active: bool, pending: Question | None = None) -> Command | None:
    """What a chat message asks of the quiz; None when it is an ordinary question and no quiz runs."""
    words = re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split()
    command = command_word(text)
    if len(words) <= 12 and (topic := parse_quiz_request(text)) is not None:
        last = bool(_LAST_ANSWER.match(topic))
        return Command("start", "" if last else topic, last)
    if not active:
        return Command(command) if command in ("hint", "skip", "stop") else None
    if command:
        return Command(command)
    return Command("question") if looks_like_question(text, pending) else Command("answer")


def looks_like_question(text: str, pending: Question | None) -> bool:
    """A question to the notes rather than an answer: starts like one, ends with "?", three words or more."""
    stripped = text.strip()
    if pending is not None and is_exact(pending) and resolve_choice(pending, stripped):
        return False
    return stripped.endswith("?") and len(stripped.split()) >= 3 and bool(_QUESTION_START.match(stripped))


def resolve_choice(question: Question, text: str) -> str | None:
    """The choice meant by a letter ("b", "B) ..."), its number, its words, or close to its words."""
    chosen = parse_choice(question, text)
    if chosen or question.kind != "mcq":
        return chosen
    if lettered := _LETTERED.match(text.strip()):
        return parse_choice(question, lettered.group(1))
    best = process.extract(text, question.choices, scorer=fuzz.token_set_ratio, limit=2)
    if best and best[0][1] >= 90 and (len(best) == 1 or best[0][1] - best[1][1] >= 10):
        return best[0][0]
    return None
