"""Should the answer be a refusal? Decided on evidence from the notes, never on a model's word.

* a *named term* of the question (a product or service name, acronym, CamelCase or alphanumeric word such
  as "Comprehend", "XGBoost", "EC2", "gp3") that occurs nowhere in the notes, not even with a one- or
  two-letter typo: the notes cannot be about it, whatever the nearest passage looks like;
* weak support: the passage the answer quotes holds little of the question's rare words (*coverage*, IDF
  weighted over the notes; a word the notes never use weighs the most) *and* its best line is not close
  in meaning either (*similarity*, cosine). A paraphrase shares few words but is close in meaning; a
  question on a neighbouring topic the notes lack shares its common words but not its rare ones.

The two cut-offs were chosen on the evaluation suite's four notes folders together (README: leave-one-
corpus-out table), never on one folder.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from answer.extractive import Extract
from answer.terms import content_words, stem, stems
from retrieval import Hit, SearchResult
from retrieval.text import STOPWORDS, initialisms, words
from store.catalog import Catalog

#: Below both, the quoted passage does not answer the question. Chosen on the suite as the highest round
#: values that refuse no answerable question of any of its four notes folders: coverage and similarity
#: alone do not tell a paraphrase from a neighbouring topic the notes lack, the terms of art do.
MIN_COVERAGE = 0.2
MIN_SIMILARITY = 0.2
#: Words rarer than this in English at large (Zipf scale: 3 = once per million words) are terms of art.
RARE_ZIPF = 2.2

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#]*(?:[-'’][A-Za-z0-9+#]+)*")


@dataclass
class Evidence:
    refuse: bool
    reason: str = ""
    missing: list[str] = field(default_factory=list)  # named terms the notes never mention
    coverage: float = 0.0
    similarity: float = 0.0


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


def specialised_terms(question: str) -> list[str]:
    """Terms of art: names (:func:`named_terms`) and words that are rare in English at large ("worktree",
    "perplexity", "coroutines"; Zipf frequency under RARE_ZIPF in the PyPI package ``wordfreq``, which
    ships its data). A notes folder that never uses such a term cannot be about it; an everyday word the
    notes lack ("ballpark", "snappy") is only a paraphrase."""
    from wordfreq import zipf_frequency  # a few MB of data: loaded on the first question, not at start

    found = named_terms(question)
    for word in words(question):
        word = re.sub(r"['’]s$", "", word)
        if len(word) > 2 and word not in STOPWORDS and zipf_frequency(word, "en") < RARE_ZIPF:
            found.append(word)
    return list({term.lower(): term for term in reversed(found)}.values())[::-1]  # once each, any case


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
        """The notes mention ``term``, or a word one typo away (two for long words); a dotted or
        underscored name ("asyncio.gather") only when they mention each of its parts."""
        parts = [p for p in re.split(r"[._/]+", term) if p]
        if len(parts) > 1:
            return all(self.known(p) for p in parts)
        if self.catalog.term_document_frequency(term) > 0:
            return True
        short = initialisms(term).get(term)  # notes that write "cw" for CloudWatch do mention it
        if short and self.catalog.writes_in_capitals(short):
            return True
        if len(term) < 5:
            return False
        limit = 1 if len(term) < 9 else 2
        match = process.extractOne(term.lower(), self._vocabulary(), scorer=Levenshtein.distance,
                                   score_cutoff=limit)
        return match is not None

    def coverage(self, question: str, hits: list[Hit]) -> float:
        """IDF-weighted share of the question's words that the passages (with their headings) hold."""
        total_chunks = max(self.catalog.count()[1], 1)
        held = stems(" ".join(f"{h.chunk.title} {h.chunk.heading} {h.chunk.text}" for h in hits))
        weights: dict[str, float] = {}
        for word in dict.fromkeys(w for w in content_words(question) if len(w) > 2):
            df = self.catalog.term_document_frequency(word)
            weights[stem(word)] = max(weights.get(stem(word), 0.0), math.log(1 + total_chunks / max(df, 0.5)))
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in held) / total if total else 1.0

    def assess(self, question: str, result: SearchResult, extract: Extract | None = None) -> Evidence:
        if not result.hits or extract is None or not extract.text:
            return Evidence(True, "no passage of the notes matches the question")
        missing = [t for t in specialised_terms(question) if not self.known(t)]
        if missing:
            return Evidence(True, f"the notes never mention {', '.join(missing)}", missing)
        coverage = self.coverage(question, [result.hits[h] for h in extract.hits])
        weak = coverage < MIN_COVERAGE and extract.similarity < MIN_SIMILARITY
        reason = "the closest passage shares few of the question's words and is not close in meaning"
        return Evidence(weak, reason if weak else "", coverage=coverage, similarity=extract.similarity)
