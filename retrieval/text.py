"""Moved to the :mod:`text` package (issue #26); this module only re-exports it so that branches written
against the old path still merge. New code imports from ``text.words``, ``text.lines``, ``text.questions``."""

from text.lines import ends_sentence, sentence_goes_on
from text.questions import compared_things, initialisms
from text.words import STOPWORDS, content_words, normalise, words

__all__ = ["STOPWORDS", "compared_things", "content_words", "ends_sentence", "initialisms", "normalise",
           "sentence_goes_on", "words"]
