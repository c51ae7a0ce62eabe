"""The extractive answer: the notes' own lines that best answer the question, each with its [n].

Candidates (lines, sentences of long lines, small labelled lists; see ``answer.candidates``) are scored
against the question, and against each part of a question that asks two things ("..., and what ..."):

    score = rare question words it contains (IDF over the notes; heading and prefix matches count less)
          + a bonus when it *defines* a question word ("CloudFormation : ...")
          + DENSE_WEIGHT x sentence-vector similarity, of the line or of the line with its neighbours
            (catches paraphrases the words miss)
          + a little for the passage's retrieval rank, - a little for length.

Each part gets its best candidate; then further candidates are added while they score at least
KEEP_SHARE of the best, penalised for words already covered and for repeating a pick (maximal marginal
relevance), within MAX_CHARS. Nothing is paraphrased, so the citations are exact by construction.
The constants were set on the dev set's 26 answerable questions; round values, no per-question rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from answer.candidates import Candidate, candidates
from answer.citations import make_citation
from answer.linevectors import LineVectors
from answer.model import Citation
from answer.terms import TermWeights
from retrieval import Hit

MAX_CHARS = 600
MAX_PICKS = 8
DENSE_WEIGHT = 3.0
LEAD_WEIGHT = 0.5
DEFINITION_BONUS = 0.05  # "X : ..." lines are the notes' answers to "what/which X" questions
HEADING_SHARE = 0.5
PREFIX_SHARE = 0.6
BODY_SHARE = 0.5
PART_CONTEXT_SHARE = 0.15  # the rest of a multi-part question, when scoring one part
REDUNDANCY = 0.3
WINDOW_SHARE = 0.9
RANK_WEIGHT = 0.05
LENGTH_PENALTY = 0.2  # per 400 characters
KEEP_SHARE = 0.6
COVERED_SHARE = 0.25  # a word an earlier pick already covered still counts this much
_PART = re.compile(r"\?\s++|;\s++|,?(?<!\s)\s+and\s+(?=(?:what|which|how|why|when|where|who|is|are|can|could|does|do|did|"
                   r"should|would|will)\b)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]+|=>)\s+")


@dataclass
class Extract:
    """The extractive answer and the candidates it quotes (generative prompts are built from them)."""

    text: str
    citations: list[Citation]
    picks: list[Candidate]


@dataclass
class Part:
    weights: dict[str, float]
    vector: np.ndarray


def asked_things(question: str) -> list[str]:
    """A question that asks several things, as its parts ("A, and what B?" -> ["A", "what B?"]).

    Deliberately looser than retrieval's ``split_question``: ranking splits only when a part names its own
    subject (else the parts would drag in off-topic passages), while composing wants one quoted line per
    thing asked, even "..., and what is its limit?" about the same subject."""
    parts = [p.strip(" ,") for p in _PART.split(question) if p and len(p.split()) >= 2]
    return parts or [question]


class Composer:
    def __init__(self, weights: TermWeights, vectors: LineVectors) -> None:
        self.term_weights = weights
        self.vectors = vectors

    def parts(self, question: str, context: str) -> list[Part]:
        """The whole question first, then its parts when it has several."""
        texts = [question] + [p for p in asked_things(question) if p != question]
        vectors = self.vectors.of_questions(texts)
        whole = self.term_weights.weigh(question, context)
        out = [Part(whole, vectors[0])]
        for text, vector in zip(texts[1:], vectors[1:], strict=True):
            rest = question.replace(text, " ")
            out.append(Part(self.term_weights.weigh(text, f"{rest} {context}", PART_CONTEXT_SHARE), (vector + vectors[0]) / 2))
        return out

    def compose(self, question: str, context: str, hits: list[Hit]) -> Extract:
        """The answer text (one quoted line or list per row, each with its [n]) and its citations."""
        cands = candidates(hits)
        if not cands:
            return Extract("", [], [])
        parts = self.parts(question, context)
        vectors = self.vectors([c.text for c in cands])
        questions = np.stack([p.vector for p in parts]).T
        sims = vectors @ questions
        if WINDOW_SHARE:  # the lines around a candidate can say what it is about
            sims = np.maximum(sims, WINDOW_SHARE * (self.vectors([c.window for c in cands]) @ questions))
        chosen = _Picker(cands, parts, sims, vectors, len(hits), self.term_weights.prefix_of).pick()
        rows, citations = [], []
        for n, c in enumerate(chosen, 1):
            rows.append(f"{_display(c.text)} [{n}]")
            citations.append(make_citation(n, hits[c.hit], c.first, c.last, c.text, hits))
        return Extract("\n".join(rows), citations, chosen)


class _Picker:
    """Greedy choice: each part's best candidate, then the best remaining ones that add something new."""

    def __init__(self, cands: list[Candidate], parts: list[Part], sims: np.ndarray, vectors: np.ndarray,
                 n_hits: int, prefix_of: dict[str, str]) -> None:
        self.cands, self.parts, self.sims, self.vectors, self.n_hits = cands, parts, sims, vectors, n_hits
        self.prefix_of = prefix_of
        self.chosen: list[int] = []
        self.covered: set[str] = set()

    def scores(self, p: int) -> np.ndarray:
        weights = self.parts[p].weights
        values = np.array([score(c, weights, self.sims[i, p], self.n_hits, self._covered_besides(c),
                                 self.prefix_of) for i, c in enumerate(self.cands)])
        if self.chosen:  # maximal marginal relevance: a near-repeat of a pick adds little...
            similar = self.vectors @ self.vectors[self.chosen].T
            for i, c in enumerate(self.cands):  # ...but a pick grown by the lines it introduces is no repeat
                for k, j in enumerate(self.chosen):
                    if _contains(c, self.cands[j]):
                        similar[i, k] = 0.0
            values -= REDUNDANCY * similar.max(axis=1)
        return values

    def _covered_besides(self, c: Candidate) -> set[str]:
        """Words covered by the picks ``c`` would not replace (a grown pick is judged as a whole)."""
        grown = [j for j in self.chosen if _contains(c, self.cands[j])]
        if not grown:
            return self.covered
        keys = self.parts[0].weights.keys()
        return {t for j in self.chosen if j not in grown for t in self.cands[j].terms & keys}

    def take(self, values: np.ndarray, floor: float = -np.inf) -> bool:
        used = sum(len(self.cands[i].text) for i in self.chosen)
        for i in np.argsort(-values, kind="stable"):
            c = self.cands[i]
            if values[i] <= floor:
                return False
            clash = [j for j in self.chosen if _overlaps(c, self.cands[j])]
            if len(clash) == 1 and _contains(c, self.cands[clash[0]]):  # a pick's line, with what follows it
                grown = used - len(self.cands[clash[0]].text) + len(c.text)
                if grown <= MAX_CHARS:
                    self.chosen[self.chosen.index(clash[0])] = int(i)
                    self.covered |= c.terms & self.parts[0].weights.keys()
                    return True
            if clash or (self.chosen and used + len(c.text) > MAX_CHARS):
                continue
            self.chosen.append(int(i))
            self.covered |= c.terms & self.parts[0].weights.keys()
            return True
        return False

    def pick(self) -> list[Candidate]:
        for p in range(1, len(self.parts)):
            self.take(self.scores(p))
        best = float(self.scores(0).max()) if not self.chosen else max(
            score(self.cands[i], self.parts[0].weights, self.sims[i, 0], self.n_hits, set(), self.prefix_of)
            for i in self.chosen)
        while len(self.chosen) < MAX_PICKS and self.take(self.scores(0), KEEP_SHARE * best):
            pass
        return [self.cands[i] for i in self.chosen]


def _share(c: Candidate, term: str, prefix_of: dict[str, str]) -> float:
    """How strongly the candidate contains a question term."""
    if term in c.terms:
        return 1.0
    if term in c.body_terms:
        return BODY_SHARE
    if prefix_of.get(term) in c.prefixes:
        return PREFIX_SHARE
    return HEADING_SHARE if term in c.heading_terms else 0.0


def score(c: Candidate, weights: dict[str, float], similarity: float, n_hits: int, covered: set[str],
          prefix_of: dict[str, str] | None = None) -> float:
    total = sum(weights.values()) or 1.0
    lexical = lead = 0.0
    for term, weight in weights.items():
        lexical += weight * _share(c, term, prefix_of or {}) * (COVERED_SHARE if term in covered else 1.0)
        lead += weight if term in c.lead_terms else 0.0
    if c.lead_terms:  # "X : ..." answers "what is X" when the defined term is the question's, not a mention
        lead *= len(c.lead_terms & weights.keys()) / len(c.lead_terms)
    return (lexical / total + LEAD_WEIGHT * lead / total + DENSE_WEIGHT * float(similarity)
            + (DEFINITION_BONUS if c.lead_terms else 0.0) + RANK_WEIGHT * (n_hits - c.hit) / n_hits
            - LENGTH_PENALTY * len(c.text) / 400)


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.hit == b.hit and a.first <= b.last and b.first <= a.last


def _contains(outer: Candidate, inner: Candidate) -> bool:
    return (outer.hit == inner.hit and outer.first <= inner.first and inner.last <= outer.last
            and len(outer.text) > len(inner.text) and inner.text in outer.text)


def _display(text: str) -> str:
    """The quoted lines without bullet signs and indentation; the words are untouched."""
    return "\n".join(_BULLET.sub("", line.strip(), count=1) for line in text.split("\n"))
