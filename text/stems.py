"""Stems: Snowball English, an acronym's plural read as the acronym."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from text.words import answer_words, word_pieces

_STEMMER = Stemmer.Stemmer("english")
_VOWEL = re.compile(r"[aeiouy]")


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """Snowball's stem; an acronym's plural ("RNNs", "CNNs") reads as the acronym, which Snowball keeps
    whole because no vowel precedes its "s"."""
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not _VOWEL.search(word[:-1]):
        return word[:-1]
    return _STEMMER.stemWord(word)


def stems(text: str) -> set[str]:
    """Stems of the answer words (:func:`text.words.answer_words`) of ``text``; compound words also count
    by their pieces."""
    out: set[str] = set()
    for word in answer_words(text):
        out.add(stem(word))
        parts = word_pieces(word)
        if len(parts) > 1:
            out.update(stem(p) for p in parts)
    return out
