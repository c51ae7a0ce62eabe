"""A quiz session: pick N questions (a topic, due first, or weakest topics first), ask, grade, schedule.

Front ends hold one :class:`QuizSession` per conversation: ``session.current`` is the question to show,
``session.answer(text)`` grades it, records it in the progress store and moves on.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from rapidfuzz import fuzz

from quiz.grade import Encoder, Judge, grade
from quiz.model import Grade, Question
from quiz.store import ProgressStore, now_utc, rating_for

_REQUEST = re.compile(
    r"\b(?:(?:quiz|test|drill|examine|grill)\s+me|give\s+me\s+(?:a\s+)?(?:quiz|test|questions?)|"
    r"(?:start|begin|take|do)\s+(?:a\s+)?(?:quiz|test)|let'?s\s+(?:do\s+a\s+)?quiz|^quiz(?:\s+time)?(?=\W*$)|"
    r"ask\s+me(?=\s+(?:(?:some|a\s+few|\d+)\s+)?questions?\b|\s+(?:on|about)\b))"
    r"(?:\s+(?:(?:some|a\s+few|\d+)\s+)?(?:questions?|quiz(?:zes)?))?"
    r"(?:\s+(?:on|about|over|in|for|with|regarding)\b)?(?P<topic>.*)$", re.I)
_FILLER = re.compile(r"^(?:the\s+topic\s+(?:of\s+)?|my\s+notes\s+(?:on|about)\s+|the\s+)|"
                     r"(?<!\s)\s+(?:please|pls|now|again|notes?|topic|section)$", re.I)


def parse_quiz_request(text: str) -> str | None:
    """The topic of a chat message asking for a quiz ("quiz me on KMS" -> "KMS"); "" for "quiz me" with
    no topic; None when the message is not a quiz request."""
    match = _REQUEST.search(text.strip())
    if match is None:
        return None
    topic = match.group("topic").strip(" \t?!.,:;\"'")
    for _ in range(3):
        topic = _FILLER.sub("", topic).strip(" \t?!.,:;\"'")
    return topic


def _folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def topic_match(question: Question, topic: str) -> int:
    """How well a question belongs to ``topic``: 4 its topic is it ("kMS" for "kms"), 3 its heading names it
    ("type of KMS key"), 2 its term, 1 its lines, 0 not."""
    wanted = _folded(topic)
    if not wanted:
        return 1
    if _folded(question.topic) == wanted:
        return 4
    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9])")
    heading = _folded(question.heading)
    if pattern.search(heading) or (len(wanted) >= 5 and fuzz.partial_ratio(wanted, heading) >= 90):
        return 3
    if pattern.search(_folded(question.term)):
        return 2
    return 1 if pattern.search(_folded(question.quote)) else 0


def questions_on(questions: list[Question], topic: str) -> list[Question]:
    """The questions about ``topic`` (case-insensitive, partial), those under a matching heading first."""
    scored = [(topic_match(q, topic), i, q) for i, q in enumerate(questions)]
    return [q for score, _, q in sorted(scored, key=lambda t: (-t[0], t[1])) if score > 0]


def topics(questions: list[Question]) -> list[tuple[str, int]]:
    """(topic, number of questions), in the order the notes first mention them: the app's topic picker."""
    return list(Counter(q.topic for q in questions).items())


def pick(questions: list[Question], store: ProgressStore, n: int, weakest_first: bool = False,
         at: datetime | None = None, seed: int | None = None, topic: str = "") -> list[Question]:
    """N questions, at most one per fact (:func:`same_fact`): due ones first (least stable, most overdue), then
    new ones in a shuffled order, then the rest. ``weakest_first`` orders by topic strength before that;
    with a ``topic``, questions under a heading that names it come before those that only mention it."""
    at = at or now_utc()
    cards = store.cards()
    strength = store.topic_strength() if weakest_first else {}
    rng = random.Random(seed)
    shuffle = {q.id: rng.random() for q in questions}
    relevance = {q.id: topic_match(q, topic) if topic else 0 for q in questions}

    def key(q: Question) -> tuple:
        card = cards.get(q.id)
        state = 0 if card and card.is_due(at) else 1 if card is None else 2
        weak = strength.get(q.topic, 0.5) if weakest_first else 0.0
        return (-relevance[q.id], weak, state, card.stability if card else 0.0, card.due if card else at,
                shuffle[q.id])

    return _one_per_fact(sorted(questions, key=key), n, [])


def fact_words(q: Question) -> frozenset[str]:
    """What a question's answer names, as a set of words: "symmetric; asymmetric" and "symmetric key;
    asymmetric key" both name {symmetric, asymmetric} (key words shared by every item dropped)."""
    if q.kind in ("mcq", "tf"):
        return frozenset()
    items = [set(re.findall(r"[a-z0-9]+", p.lower())) for p in q.parts]
    shared = set.intersection(*items) if len(items) > 1 else set()
    return frozenset(w for item in items for w in item - shared)


def same_fact(a: Question, b: Question) -> bool:
    """Two questions on one fact: their cited lines overlap, or their answers name the same things."""
    if a.source == b.source and a.start_line <= b.end_line and b.start_line <= a.end_line:
        return True
    words = fact_words(a)
    return bool(words) and words == fact_words(b)


def _one_per_fact(ordered: list[Question], n: int, taken: list[Question]) -> list[Question]:
    """The first ``n`` questions of ``ordered`` whose fact no question of ``taken`` (nor an earlier choice)
    asks about; ``taken`` grows with the choices."""
    chosen: list[Question] = []
    for q in ordered:
        if len(chosen) == n:
            break
        if not any(same_fact(q, t) for t in taken):
            chosen.append(q)
            taken.append(q)
    while len(chosen) < n and _swap_one_for_two(chosen, ordered, taken):
        pass
    return chosen


def _swap_one_for_two(chosen: list[Question], ordered: list[Question], taken: list[Question]) -> bool:
    """Replace one choice by two questions that only it blocks, so that a list question taken early does not
    cost the quiz both of its items; the latest choice goes first. False when no such swap exists."""
    taken_ids = {t.id for t in taken}
    for c in reversed(chosen):
        others = [t for t in taken if t.id != c.id]
        free = [q for q in ordered if q.id not in taken_ids and same_fact(q, c)
                and not any(same_fact(q, t) for t in others)]
        pair = next(((x, y) for i, x in enumerate(free) for y in free[i + 1:] if not same_fact(x, y)), None)
        if pair is not None:
            for bucket in (chosen, taken):
                at = next(i for i, t in enumerate(bucket) if t.id == c.id)
                bucket[at:at + 1] = pair
            return True
    return False


def pick_for_review(questions: list[Question], store: ProgressStore, n: int, at: datetime | None = None,
                    seed: int | None = None) -> list[Question]:
    """ "Quiz me" with no topic: the due cards first (least stable, then most overdue), then questions of
    the weakest topics (by past answers; topics never answered count as middling)."""
    at = at or now_utc()
    cards = store.cards()
    due = sorted((q for q in questions if q.id in cards and cards[q.id].is_due(at)),
                 key=lambda q: (cards[q.id].stability, cards[q.id].due, q.id))
    taken: list[Question] = []
    chosen = _one_per_fact(due, n, taken)
    if len(chosen) < n:
        rest = [q for q in questions if not any(same_fact(q, t) for t in taken)]
        chosen += pick(rest, store, n - len(chosen), weakest_first=True, at=at, seed=seed)
    return chosen


@dataclass
class QuizSession:
    """N questions asked one at a time; every answer is graded and recorded in ``store``."""

    questions: list[Question]
    store: ProgressStore
    embedder: Encoder | None = None
    topic: str = ""
    judge: Judge | None = None
    grades: list[Grade] = field(default_factory=list)

    @classmethod
    def start(cls, questions: list[Question], store: ProgressStore, topic: str = "", n: int = 10,
              weakest_first: bool = False, embedder: Encoder | None = None, seed: int | None = None,
              at: datetime | None = None, judge: Judge | None = None) -> QuizSession:
        """A session on ``topic`` ("" = every topic); raises ValueError when nothing matches it."""
        pool = questions_on(questions, topic) if topic.strip() else questions
        if not pool:
            raise ValueError(f'No questions match the topic "{topic}". Try a heading of your notes, '
                             "e.g. one listed by `quiz --topics`.")
        chosen = pick(pool, store, n, weakest_first, at, seed, topic.strip())
        return cls(chosen, store, embedder, topic.strip(), judge)

    @property
    def current(self) -> Question | None:
        return self.questions[len(self.grades)] if not self.done else None

    @property
    def done(self) -> bool:
        return len(self.grades) >= len(self.questions)

    @property
    def score(self) -> tuple[int, int]:
        """(right answers, answers given)."""
        return sum(g.correct for g in self.grades), len(self.grades)

    def skip(self, at: datetime | None = None) -> Grade:
        """Show the current question's answer without grading one: counts as not known (rated Again)."""
        question = self.current
        if question is None:
            raise ValueError("The quiz is over; start a new one.")
        result = grade(question, "")
        result = replace(result, feedback=result.feedback.replace("No answer given.", "Skipped.", 1))
        self.store.record(question.id, question.topic, False, 0.0, at, rating_for("skipped"))
        self.grades.append(result)
        return result

    def answer(self, text: str, at: datetime | None = None) -> Grade:
        """Grade ``text`` against the current question, record it, and move to the next question."""
        question = self.current
        if question is None:
            raise ValueError("The quiz is over; start a new one.")
        result = grade(question, text, self.embedder, self.judge)
        self.store.record(question.id, question.topic, result.correct, result.score, at, rating_for(result.verdict))
        self.grades.append(result)
        return result
