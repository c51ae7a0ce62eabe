"""Grading: choices and true/false exactly, free text by meaning.

A free-text answer is scored on two signals: how close its meaning is to the expected answer (cosine of
sentence embeddings, when an embedder is given) and how many of the expected answer's key terms it covers
(matched with typo tolerance, in any order). An answer that states a *sibling* fact more specifically than
the asked-for one (the asymmetric key's definition given for the symmetric key; "all rows, specific
columns" for row-level security) is wrong however related it sounds: the sibling's own words and the
word pairs in order decide. Short answers (terms, cloze gaps, list items) are matched by name: typos,
word order, ``5 tb``/``5TB`` and acronyms forgiven, numbers never. An optional LLM judge decides
borderline free-text scores.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz

from quiz.model import Grade, Question
from retrieval.text import content_words

PASS_SCORE = 0.5  # free text: blended score needed to pass
TERM_PASS = 85  # short answers: rapidfuzz similarity (0-100) needed to pass
SIBLING_MARGIN = 0.05  # how much more specific to a sibling than to the expected answer overturns a pass
LIST_SHARE = 2 / 3  # share of a list's items to recall
_DONT_KNOW = re.compile(r"^\s*(?:\?+|idk|i\s+don'?t\s+know|no\s+idea|pass|skip|dunno)\s*[.!]?\s*$", re.I)
_TRUE = {"true", "t", "yes", "y", "correct", "right", "vrai", "1"}
_FALSE = {"false", "f", "no", "n", "wrong", "incorrect", "faux", "0"}


class Encoder(Protocol):
    """Anything with the workspace embedder's ``encode``: texts -> L2-normalised vectors."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class Judge(Protocol):
    """A second opinion on borderline free-text answers (see :mod:`quiz.judge`)."""

    def wants(self, score: float) -> bool: ...

    def __call__(self, question: Question, answer: str) -> bool: ...


def norm(text: str) -> str:
    """Lower case, punctuation to spaces, ``5 tb`` -> ``5tb``: the form answers are compared in."""
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return re.sub(r"(\d)\s+([a-z])", r"\1\2", text).strip()


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _acronym(text: str) -> str:
    return "".join(w[0] for w in norm(text).split() if w not in {"of", "and", "for", "the", "a", "an"})


def term_similarity(expected: str, given: str) -> float:
    """0..1: how well a short answer names ``expected`` (typos, order, acronyms, extra words tolerated)."""
    e, g = norm(expected), norm(given)
    if not e or not g:
        return 0.0
    if _digits(e) and _digits(e) != _digits(g)[:len(_digits(e))]:
        return 0.0  # numbers must be right: 503 is not 500
    if _digits(e) and g == " ".join(_digits(e)):
        return 1.0  # "90" for "90 days"
    if e == g or re.search(rf"(?<!\S){re.escape(e)}(?!\S)", g) and len(g.split()) <= len(e.split()) + 3:
        return 1.0
    if e.replace(" ", "") == g.replace(" ", "") or (" " not in e and _acronym(g) == e and len(e) > 1) \
            or (" " not in g and _acronym(e) == g and len(g) > 1):
        return 1.0
    if len(e) <= 4:  # "RS", "ACL": a near miss of a short code is another code
        return 0.0
    return max(fuzz.ratio(e, g), fuzz.token_sort_ratio(e, g)) / 100


def _word_match(key: str, word: str) -> bool:
    """Same word up to a typo or an ending ("encryption" ~ "encrypt", "comit" ~ "commit")."""
    if word == key:
        return True
    if len(key) < 4 or len(word) < 3:
        return False
    return fuzz.ratio(key, word) >= 80 or (len(key) >= 5 and len(word) >= 5 and key[:5] == word[:5])


def _keys(text: str, ignore: str = "") -> list[str]:
    """The content words of ``text`` in order, less those of ``ignore`` (the term the question names)."""
    skip = set(content_words(norm(ignore)))
    return [w for w in content_words(norm(text)) if w not in skip]


def _share(keys: list[str], words: list[str]) -> float:
    keys = list(dict.fromkeys(keys))
    return sum(any(_word_match(k, w) for w in words) for k in keys) / len(keys) if keys else 0.0


def _pair_share(target: list[str], words: list[str]) -> float:
    """Share of the target's adjacent word pairs the answer also has in that order: "all column +
    specific row" and "all row + specific column" have the same words but not the same pairs."""
    pairs = list(zip(target, target[1:], strict=False))
    given = list(zip(words, words[1:], strict=False))
    if not pairs:
        return 0.0
    return sum(any(_word_match(a, x) and _word_match(b, y) for x, y in given) for a, b in pairs) / len(pairs)


def coverage(expected: str, given: str, ignore: str = "") -> tuple[float, list[str]]:
    """Share of the expected answer's key terms the answer contains, and the ones it misses. Notes put the
    point first: the first clause (before " - ", ",", ";" or ". ") counts as the whole when it has two key
    terms or more."""
    keys = list(dict.fromkeys(_keys(expected, ignore)))
    if not keys:
        return fuzz.token_set_ratio(norm(expected), norm(given)) / 100, []
    words = _keys(given)
    missed = [k for k in keys if not any(_word_match(k, w) for w in words)]
    share = 1 - len(missed) / len(keys)
    gist = _keys(re.split(r"\s-{1,3}\s|\s==+\s|[;,]|\.\s", expected, maxsplit=1)[0], ignore)
    if len(set(gist)) >= 2 and len(gist) < len(keys):
        share = max(share, _share(gist, words))
    return share, missed


def _evidence(target: str, other: str, given: str, ignore: str) -> float:
    """How specifically the answer states ``target`` rather than ``other``: its words that ``other`` lacks,
    plus its word pairs in order."""
    target_keys, other_keys, words = _keys(target, ignore), _keys(other, ignore), _keys(given)
    own = [k for k in target_keys if not any(_word_match(k, o) for o in other_keys)]
    return _share(own, words) + _pair_share(target_keys, words)


def _meaning(given: str, targets: list[str], embedder: Encoder | None) -> list[float]:
    """Cosine similarity of ``given`` to each target, rescaled so unrelated ~0 and a paraphrase ~1."""
    if embedder is None:
        return [math.nan] * len(targets)
    vectors = embedder.encode([given, *targets])
    return [float(np.clip((float(vectors[0] @ v) - 0.25) / 0.5, 0.0, 1.0)) for v in vectors[1:]]


def _blend(meaning: float, covered: float) -> float:
    return covered if math.isnan(meaning) else 0.5 * meaning + 0.5 * covered


def _grade(q: Question, correct: bool, score: float, note: str, expected: str | None = None,
           **details: float) -> Grade:
    expected = expected or q.answer
    verdict = "Correct." if correct else "Not quite."
    feedback = " ".join(p for p in (verdict, note, f"The notes ({q.reference}) say: {expected}") if p)
    return Grade(correct, round(score, 3), feedback, expected, q.reference, q.quote,
                 {k: round(v, 3) for k, v in details.items() if not math.isnan(v)})


def _rival(q: Question, given: str, scores: list[float]) -> int | None:
    """The sibling the answer states more specifically than the expected answer, if it passes too."""
    best: tuple[float, int] | None = None
    for i, sibling in enumerate(q.siblings, start=1):
        if scores[i] < PASS_SCORE:
            continue
        lead = _evidence(sibling, q.answer, given, q.term) - _evidence(q.answer, sibling, given, q.term)
        if lead > SIBLING_MARGIN and (best is None or lead > best[0]):
            best = (lead, i)
    return best[1] if best else None


def grade_free(q: Question, given: str, embedder: Encoder | None) -> Grade:
    """A definition in the user's own words."""
    targets = [q.answer, *q.siblings]
    meanings = _meaning(given, targets, embedder)
    scores = [_blend(m, coverage(t, given, q.term)[0]) for t, m in zip(targets, meanings, strict=True)]
    covered, missed = coverage(q.answer, given, q.term)
    rival = _rival(q, given, scores)
    if rival is not None:
        return _grade(q, False, scores[0], f'That describes something else in the notes ("{targets[rival]}").',
                      meaning=meanings[0], coverage=covered, rival=scores[rival])
    passed = scores[0] >= PASS_SCORE
    note = "" if passed or not missed else f"Missing: {', '.join(missed[:5])}."
    return _grade(q, passed, scores[0], note, meaning=meanings[0], coverage=covered)


def grade_term(q: Question, given: str) -> Grade:
    """A cloze gap or a term: the right name, typos and word order forgiven."""
    similarity = term_similarity(q.answer, given)
    rivals = [s for s in q.siblings if term_similarity(s, given) > similarity]
    passed = similarity * 100 >= TERM_PASS and not rivals
    note = f'"{given.strip()}" is another term in the notes.' if rivals else ""
    return _grade(q, passed, similarity, note, similarity=similarity)


def grade_list(q: Question, given: str) -> Grade:
    """Name the items: each item counts when named closely enough; two thirds of them pass."""
    segments = [s for s in re.split(r"[,;\n/]|\band\b|\bor\b", given) if s.strip()] or [given]
    found = [item for item in q.parts
             if max(term_similarity(item, s) for s in segments) * 100 >= TERM_PASS
             or coverage(item, given)[0] >= 0.67]
    share = len(found) / len(q.parts)
    passed = len(found) >= math.ceil(LIST_SHARE * len(q.parts) - 1e-9)
    missed = [item for item in q.parts if item not in found]
    note = f"{len(found)} of {len(q.parts)}." + (f" Missing: {'; '.join(missed)}." if missed else "")
    return _grade(q, passed, share, note, found=len(found))


def parse_choice(q: Question, given: str) -> str | None:
    """The choice the user meant: a letter (``b``, ``(B)``), its number, or the option's exact text."""
    text = given.strip().strip("().").strip()
    if q.kind == "tf":
        word = text.lower()
        return "True" if word in _TRUE else "False" if word in _FALSE else None
    letters = "abcdefgh"[:len(q.choices)]
    if len(text) == 1 and text.lower() in letters:
        return q.choices[letters.index(text.lower())]
    if text.isdigit() and 1 <= int(text) <= len(q.choices):
        return q.choices[int(text) - 1]
    matches = [c for c in q.choices if norm(c) == norm(given)]
    return matches[0] if matches else None


def grade_choice(q: Question, given: str) -> Grade:
    chosen = parse_choice(q, given)
    if q.kind == "tf":
        truth = f'{q.answer}: the notes describe "{q.term}" as "{q.evidence[1]}".'
        if chosen is None:
            return _grade(q, False, 0.0, "Answer true or false.", truth)
        return _grade(q, chosen == q.answer, float(chosen == q.answer), "", truth)
    letter = "ABCDEFGH"[q.choices.index(q.answer)]
    expected = f"{letter}) {q.answer}"
    if chosen is None:
        return _grade(q, False, 0.0, f"Answer with a letter A-{'ABCDEFGH'[len(q.choices) - 1]}.", expected)
    return _grade(q, chosen == q.answer, float(chosen == q.answer), "", expected)


def _second_opinion(q: Question, given: str, result: Grade, judge: Judge) -> Grade:
    """The judge's verdict on a borderline answer; the deterministic one when the judge fails."""
    from llm import BackendError

    try:
        verdict = judge(q, given)
    except BackendError as exc:
        return replace(result, feedback=f"{result.feedback} (The model could not judge: {exc})")
    if verdict == result.correct:
        return result
    note = "The model judged this right." if verdict else "The model judged this wrong."
    return _grade(q, verdict, result.score, note, result.expected, **result.details, judged=1.0)


def grade(question: Question, answer_text: str, embedder: Encoder | None = None,
          judge: Judge | None = None) -> Grade:
    """Grade ``answer_text``; ``embedder`` (the workspace's) adds meaning to free-text grading and
    ``judge`` (an LLM, optional) decides free-text answers whose score is borderline."""
    if not answer_text.strip() or _DONT_KNOW.match(answer_text):
        return _grade(question, False, 0.0, "No answer.",
                      None if question.kind not in ("mcq", "tf") else grade_choice(question, "").expected)
    if question.kind in ("mcq", "tf"):
        return grade_choice(question, answer_text)
    if question.kind == "list":
        result = grade_list(question, answer_text)
    elif question.kind in ("term", "cloze"):
        result = grade_term(question, answer_text)
    else:
        result = grade_free(question, answer_text, embedder)
    if judge is not None and judge.wants(result.score):
        return _second_opinion(question, answer_text, result, judge)
    return result
