"""Should the answer be a refusal? Decided on evidence from the notes, never on a model's word.

Two signals, both measured against the whole notes folder rather than against the retrieved passages:

* a *named term* of the question (a product or service name, acronym, CamelCase or alphanumeric word such
  as "Comprehend", "XGBoost", "EC2", "gp3") that occurs nowhere in the notes, not even with a one- or
  two-letter typo: the notes cannot be about it, whatever the nearest passage looks like;
* almost none of the question's content words occur in the notes *and* no passage is semantically close.

On the dev set every unanswerable question names a term absent from the notes, while no answerable
question does; dense similarity alone overlaps between the two groups (0.29-0.50 vs 0.15-0.74).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from retrieval import SearchResult
from retrieval.text import STOPWORDS, content_words, words
from store.catalog import Catalog

#: Below both, a question whose words the notes mostly lack is refused.
MIN_PRESENT_SHARE = 0.34
MIN_BEST_DENSE = 0.30

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#]*(?:[-'’][A-Za-z0-9+#]+)*")


@dataclass
class Evidence:
    refuse: bool
    reason: str = ""
    missing: list[str] = field(default_factory=list)  # named terms the notes never mention


def named_terms(question: str) -> list[str]:
    """Words that look like names: capitalised mid-sentence, acronyms, CamelCase, letters mixed with digits."""
    found: list[str] = []
    sentence_start = True
    for match in _TOKEN.finditer(question):
        raw = re.sub(r"['’]s$", "", match.group())
        for part in re.split(r"[-'’]", raw):
            if len(part) < 2 or part.lower() in STOPWORDS:
                continue
            camel = bool(re.search(r"[a-z][A-Z]", part))
            acronym = part.isupper() and part.isalpha()
            alnum = bool(re.search(r"[A-Za-z]", part)) and bool(re.search(r"\d", part))
            capital = part[0].isupper() and not sentence_start
            if camel or acronym or alnum or capital:
                found.append(part)
        sentence_start = question[match.end():match.end() + 2].lstrip().startswith(("?", ".", "!", ":"))
    return list(dict.fromkeys(found))


_VOCABULARIES: dict[str, tuple[tuple, tuple[str, ...]]] = {}  # catalog path -> (files' digests, words)


class EvidenceJudge:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def _vocabulary(self) -> tuple[str, ...]:
        """The notes' words of 4+ letters; kept per process, rebuilt when a file's content changes."""
        key = tuple(sorted((s, r.digest) for s, r in self.catalog.files().items()))
        cached = _VOCABULARIES.get(str(self.catalog.path))
        if cached is None or cached[0] != key:
            chunks = self.catalog.all_chunks()
            vocab = tuple(sorted({w for c in chunks for w in words(f"{c.heading} {c.text}") if len(w) >= 4}))
            cached = _VOCABULARIES[str(self.catalog.path)] = (key, vocab)
        return cached[1]

    def known(self, term: str) -> bool:
        """The notes mention ``term``, or a word one typo away (two for long words)."""
        if self.catalog.term_document_frequency(term) > 0:
            return True
        if len(term) < 5:
            return False
        limit = 1 if len(term) < 9 else 2
        match = process.extractOne(term.lower(), self._vocabulary(), scorer=Levenshtein.distance,
                                   score_cutoff=limit)
        return match is not None

    def assess(self, question: str, result: SearchResult) -> Evidence:
        if not result.hits:
            return Evidence(True, "no passage of the notes matches the question")
        missing = [t for t in named_terms(question) if not self.known(t)]
        if missing:
            return Evidence(True, f"the notes never mention {', '.join(missing)}", missing)
        asked = [w for w in content_words(question) if len(w) > 2]
        if asked:
            present = sum(self.catalog.term_document_frequency(w) > 0 for w in asked) / len(asked)
            if present < MIN_PRESENT_SHARE and result.best_dense < MIN_BEST_DENSE:
                return Evidence(True, "the notes share almost no words with the question and no passage is close")
        return Evidence(False)

