"""Make a follow-up question searchable on its own, using the conversation so far (no LLM needed)."""

from __future__ import annotations

import re

from text.words import content_words

_ANAPHORA = re.compile(
    r"\b(it|its|it's|they|them|their|theirs|this|that|these|those|there|he|she|him|her|one|ones|same|former|latter)\b",
    re.IGNORECASE)
_CONTINUATION = re.compile(r"^\s*(and|also|what about|how about|but|so|then|or|plus)\b", re.IGNORECASE)


def is_followup(question: str) -> bool:
    """A question that leans on earlier turns: pronouns, 'and ...', 'what about ...', or very short."""
    return bool(_ANAPHORA.search(question) or _CONTINUATION.search(question) or len(content_words(question)) <= 1)


def contextualize(question: str, history: list[str] | None) -> str:
    """The question, preceded by the latest earlier user question when it reads as a follow-up."""
    if not history or not is_followup(question):
        return question
    previous = next((h for h in reversed(history) if h.strip()), "")
    return f"{previous} {question}".strip()
