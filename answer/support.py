"""Is a generated answer backed by the passages? Checked on the words, not on the model's say-so."""

from __future__ import annotations

import re

from answer.citations import MARKER
from answer.tuning import ANSWER
from retrieval import Hit
from text.stems import stems

_REFUSAL = re.compile(r"not in (?:your|the) notes|(?:do|does) not (?:contain|mention|say|provide)|"
                      r"(?:cannot|can't|unable to) (?:find|answer|determine)|no information", re.IGNORECASE)


def is_model_refusal(text: str) -> bool:
    return not text.strip() or bool(_REFUSAL.search(text[:200]))


def support(text: str, hits: list[Hit]) -> float:
    said = stems(MARKER.sub(" ", text))
    if not said:
        return 0.0
    known: set[str] = set()
    for hit in hits:
        known |= stems(f"{hit.chunk.heading}\n{hit.chunk.text}")
    return len(said & known) / len(said)


def supported(text: str, hits: list[Hit]) -> bool:
    return support(text, hits) >= ANSWER.min_support
