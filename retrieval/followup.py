"""Make a follow-up question searchable on its own, using the conversation so far (no LLM needed)."""

from __future__ import annotations

import re

from text.questions import search_parts
from text.words import content_words, named_terms

_ANAPHORA = re.compile(
    r"\b(it|its|it's|they|them|their|theirs|this|that|these|those|there|he|she|him|her|one|ones|same|former|latter)\b",
    re.IGNORECASE)
_CONTINUATION = re.compile(r"^\s*(and|also|what about|how about|but|so|then|or|plus)\b", re.IGNORECASE)


def is_followup(question: str) -> bool:
    """A question that leans on earlier turns: pronouns, 'and ...', 'what about ...', or very short."""
    return bool(_ANAPHORA.search(question) or _CONTINUATION.search(question) or len(content_words(question)) <= 1)


def leans_on_history(question: str) -> bool:
    """Whether ``question`` needs the conversation to be understood: a follow-up (:func:`is_followup`) that
    does not name its own subject. "What is Parquet, and which engine is it used with?" says what "it" is
    in its first part, and "What is S3?" names its one subject; "What are its drawbacks?", "Pricing?" and
    "and Glacier?" lean on what came before."""
    if not is_followup(question):
        return False
    if _CONTINUATION.search(question):
        return True
    first = (search_parts(question) or [question])[0]
    if _ANAPHORA.search(first):
        return True
    if len(content_words(question)) > 1:  # the pronouns of a later part point at the first part's subject
        return not content_words(first)
    return not named_terms(question)


def contextualize(question: str, history: list[str] | None) -> str:
    """The question, preceded by the latest earlier user question when it leans on it
    (:func:`leans_on_history`)."""
    if not history or not leans_on_history(question):
        return question
    previous = next((h for h in reversed(history) if h.strip()), "")
    return f"{previous} {question}".strip()
