"""The optional LLM judge: a generative backend decides free-text answers the deterministic grader finds
borderline. Off unless asked for (``quiz --judge``, or ``QuizSession(judge=LLMJudge(backend))``); when the
backend fails, the deterministic verdict stands and the grade says so."""

from __future__ import annotations

import re

from backends import BACKENDS, Backend, BackendError, make_backend
from prompts import PromptError, load_prompt, variables
from quiz.model import Question
from settings import Settings

PROMPT = "quiz_judge"
PROMPT_VARIABLES = frozenset({"question", "expected", "quote", "answer"})
#: Scores in this band are asked of the judge; outside it the deterministic verdict is clear enough.
BAND = (0.25, 0.75)
_VERDICT = re.compile(r"\b(CORRECT|WRONG|INCORRECT)\b", re.I)


def judge_for(settings: Settings) -> LLMJudge:
    """The judge for the configured backend; ValueError when it is not a generative one (extractive)."""
    if settings.backend not in BACKENDS:
        raise ValueError(f"The LLM judge needs a generative backend; '{settings.backend}' is not one. "
                         "Set NOTEWISE_BACKEND=openai or local.")
    return LLMJudge(make_backend(settings))


class LLMJudge:
    def __init__(self, backend: Backend) -> None:
        prompt = load_prompt(PROMPT)
        used = variables(prompt.system) | variables(prompt.user)
        if used != PROMPT_VARIABLES:
            raise PromptError(f"prompts/{PROMPT}.md must use exactly the variables "
                              f"{', '.join(sorted(PROMPT_VARIABLES))}.")
        self.backend = backend
        self.calls = 0

    def wants(self, score: float) -> bool:
        return BAND[0] <= score <= BAND[1]

    def __call__(self, question: Question, answer: str) -> bool:
        """True/False from the model; raises BackendError when it cannot answer or says neither word."""
        self.calls += 1
        messages = load_prompt(PROMPT).render(question=question.question, expected=question.answer,
                                              quote=question.quote, answer=answer)
        reply = "".join(self.backend.execute(messages, stream=False))
        match = _VERDICT.search(reply)
        if match is None:
            raise BackendError(f"{self.backend.name}: the judge replied neither CORRECT nor WRONG")
        return match.group(1).upper() == "CORRECT"
