"""Question terms, stemmed and weighted by how rare they are in the notes (rare words carry the question)."""

from __future__ import annotations

import math

from answer.tuning import ANSWER
from store.catalog import Catalog
from text.stems import stem
from text.words import answer_words, named_terms, word_pieces


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

    def specificity(self, term: str) -> float:
        """How few of the notes' passages use ``term``: its IDF over the chunks as a share of the IDF of a
        word no chunk uses (1.0: in one chunk of a large folder; near 0: in most; 0 in none)."""
        df = self.df(term)
        return math.log(1 + self.total / df) / math.log(1 + self.total / 0.5) if df else 0.0

    def specific_names(self, question: str) -> list[str]:
        """The question's names (:func:`named_terms`) that the notes use in few passages: what it is about.
        Names shorter than ``subject_min_chars`` ("AI", "DB") are too generic to say that."""
        return [t for t in named_terms(question)
                if len(t) >= ANSWER.subject_min_chars and self.specificity(t) >= ANSWER.subject_specificity]

    def weigh(self, question: str, context: str = "", context_share: float | None = None) -> dict[str, float]:
        """stem -> weight for the words the notes contain; words only in ``context`` count ``context_share``."""
        weights: dict[str, float] = {}
        share_of_context = ANSWER.context_share if context_share is None else context_share
        for text, share in ((question, 1.0), (context, share_of_context)):
            for word in answer_words(text):
                pieces = [word, *word_pieces(word)]
                for piece in dict.fromkeys(pieces):
                    df = self.df(piece)
                    if df == 0:
                        continue
                    weight = share * math.log(1 + self.total / df)
                    key = stem(piece)
                    weights[key] = max(weights.get(key, 0.0), weight)
        for name, short in self.catalog.written_initials(question).items():  # "MPC" for a phrase never written
            if stem(short) not in weights and not self.catalog.writes_out(name):
                weights[stem(short)] = math.log(1 + self.total / self.df(short))
        return weights


