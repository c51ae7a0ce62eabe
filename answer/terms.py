"""Question terms, stemmed and weighted by how rare they are in the notes (rare words carry the question)."""

from __future__ import annotations

import math
import re
from functools import lru_cache

import Stemmer

from retrieval.text import STOPWORDS, words
from store.catalog import Catalog

_STEMMER = Stemmer.Stemmer("english")
_SPLIT = re.compile(r"[-/_.'’]+")
#: Retrieval's stop words, less the words that carry meaning in an answer ("how many *types*").
ANSWER_STOPWORDS = STOPWORDS - {"type", "types", "kind", "kinds", "way", "ways", "default", "mean", "means"}
#: Words people use interchangeably in questions and notes; each is read as the canonical word.
SYNONYMS = {"kind": "type", "kinds": "types", "sort": "type", "sorts": "types", "variety": "type",
            "varieties": "types", "category": "type", "categories": "types", "quick": "fast", "quickly": "fast",
            "rapid": "fast", "rapidly": "fast", "maximum": "max", "minimum": "min"}


_VOWEL = re.compile(r"[aeiouy]")


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """Snowball's stem; an acronym's plural ("RNNs", "CNNs") reads as the acronym, which Snowball keeps
    whole because no vowel precedes its "s"."""
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not _VOWEL.search(word[:-1]):
        return word[:-1]
    return _STEMMER.stemWord(word)


def content_words(text: str) -> list[str]:
    return [SYNONYMS.get(w, w) for w in words(text) if w not in ANSWER_STOPWORDS and len(w) > 1]


def stems(text: str) -> set[str]:
    """Stems of the content words of ``text``; hyphenated and dotted words also count by their parts."""
    out: set[str] = set()
    for word in content_words(text):
        out.add(stem(word))
        parts = [p for p in _SPLIT.split(word) if len(p) > 1 and p not in ANSWER_STOPWORDS]
        if len(parts) > 1:
            out.update(stem(p) for p in parts)
    return out


class TermWeights:
    """IDF of a question's terms over the notes' chunks, from the catalog's full-text index."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.total = max(catalog.count()[1], 1)
        self._df: dict[str, int] = {}

    def df(self, word: str) -> int:
        if word not in self._df:
            self._df[word] = self.catalog.term_document_frequency(word)
        return self._df[word]

    def weigh(self, question: str, context: str = "", context_share: float = 0.35) -> dict[str, float]:
        """stem -> weight for the words the notes contain; words only in ``context`` count ``context_share``."""
        weights: dict[str, float] = {}
        for text, share in ((question, 1.0), (context, context_share)):
            for word in content_words(text):
                pieces = [word] + [p for p in _SPLIT.split(word) if len(p) > 1 and p not in ANSWER_STOPWORDS]
                for piece in dict.fromkeys(pieces):
                    df = self.df(piece)
                    if df == 0:
                        continue
                    weight = share * math.log(1 + self.total / df)
                    key = stem(piece)
                    weights[key] = max(weights.get(key, 0.0), weight)
        return weights
