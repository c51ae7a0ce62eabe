"""Quiz progress in SQLite: an FSRS memory state and due date per question, and every answer ever given.

Scheduling is the PyPI package ``fsrs`` (6.x, the scheduler Anki uses since 23.10) with its default
parameters (:attr:`quiz.tuning.QuizTuning.fsrs_retention`); fuzzing is off, so the same answers give the same due dates.
A verdict is a rating (:func:`rating_for`): wrong or skipped is *Again*, partly right *Hard*, right *Good*; a
new card steps through the package's learning steps (1 and 10 minutes) before its first interval in days.

Databases of the Leitner era (a ``box`` per card, no FSRS state) are migrated when opened, without loss: every
card keeps its topic, due date, answer counts and last answer, and the answers table is untouched. A card in
box 1 (missed last time) is a learning card; a card in box 2-5 becomes a review card whose stability is the
interval its box had earned (1, 3, 7, 14 days), of middling difficulty.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quiz.tuning import QUIZ

#: The Leitner era's days until a card of box n was due again; a migrated card's FSRS stability.
LEITNER_INTERVALS_DAYS = {1: 0, 2: 1, 3: 3, 4: 7, 5: 14}
SCHEDULER = Scheduler(desired_retention=QUIZ.fsrs_retention, enable_fuzzing=False)
RATINGS = {"wrong": Rating.Again, "skipped": Rating.Again, "partly": Rating.Hard, "correct": Rating.Good}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cards (
    question_id TEXT PRIMARY KEY, topic TEXT NOT NULL, box INTEGER NOT NULL, due TEXT NOT NULL,
    seen INTEGER NOT NULL, right INTEGER NOT NULL, last_seen TEXT NOT NULL, fsrs TEXT);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY, question_id TEXT NOT NULL, topic TEXT NOT NULL, answered_at TEXT NOT NULL,
    correct INTEGER NOT NULL, score REAL NOT NULL);
CREATE INDEX IF NOT EXISTS answers_by_topic ON answers(topic, answered_at);
CREATE TABLE IF NOT EXISTS active_quizzes (
    conversation TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
#: A chat quiz left untouched this long is forgotten (its answers stay recorded in ``answers``).
ACTIVE_QUIZ_DAYS = 30


def now_utc() -> datetime:
    return datetime.now(UTC)


def rating_for(verdict: str) -> Rating:
    """The FSRS rating of a verdict: correct Good, partly Hard, wrong or skipped Again."""
    return RATINGS.get(verdict, Rating.Again)


@dataclass(frozen=True)
class Card:
    """One question's schedule: its FSRS memory state (``memory``) and what the quiz shows of it."""

    question_id: str
    topic: str
    due: datetime
    seen: int
    right: int
    last_seen: datetime
    memory: FsrsCard

    @property
    def state(self) -> str:
        """learning, review or relearning."""
        return State(self.memory.state).name.lower()

    @property
    def stability(self) -> float:
        """Days until recall drops to 90% (0 for a card not yet learnt): low is weak."""
        return self.memory.stability or 0.0

    def is_due(self, at: datetime) -> bool:
        return self.due <= at


@dataclass(frozen=True)
class TopicProgress:
    """One point of a topic's curve: answers given on ``day`` and the share right (for a chart)."""

    topic: str
    day: str  # YYYY-MM-DD (UTC)
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    def to_json(self) -> dict:
        """A chart row, e.g. ``pandas.DataFrame([r.to_json() for r in rows]).pivot(index="day", ...)``."""
        return {"topic": self.topic, "day": self.day, "answered": self.answered, "correct": self.correct,
                "accuracy": round(self.accuracy, 3)}


@dataclass(frozen=True)
class DueSummary:
    """How many cards are due now, and when the next one after now is."""

    due_now: int
    cards: int
    next_due: datetime | None

    @property
    def text(self) -> str:
        if not self.cards:
            return ""
        later = f" Next due after that: {self.next_due:%Y-%m-%d %H:%M} UTC." if self.next_due else ""
        return f"Due now: {self.due_now} of {self.cards} card{'s' * (self.cards != 1)}.{later}"


def _card_id(question_id: str) -> int:
    """A stable integer id for the fsrs card (the package wants one)."""
    return int(hashlib.sha1(question_id.encode("utf-8")).hexdigest()[:12], 16)


def next_card(card: Card | None, question_id: str, topic: str, rating: Rating, at: datetime) -> Card:
    """The card after one answer rated ``rating`` at ``at``: the fsrs package's own step."""
    memory = card.memory if card else FsrsCard(card_id=_card_id(question_id), due=at)
    memory, _ = SCHEDULER.review_card(memory, rating, at)
    seen = (card.seen if card else 0) + 1
    right = (card.right if card else 0) + int(rating >= Rating.Good)
    return Card(question_id, topic, memory.due, seen, right, at, memory)


def leitner_memory(question_id: str, box: int, due: datetime, last_seen: datetime) -> FsrsCard:
    """The FSRS card of a Leitner-era row: box 1 learning, boxes 2-5 review cards whose stability is the
    interval the box had earned; the due date is kept."""
    if box <= 1:
        return FsrsCard(card_id=_card_id(question_id), state=State.Learning, step=0, due=due, last_review=last_seen)
    return FsrsCard(card_id=_card_id(question_id), state=State.Review, stability=float(LEITNER_INTERVALS_DAYS[min(box, 5)]),
                    difficulty=QUIZ.leitner_difficulty, due=due, last_review=last_seen)


class ProgressStore:
    """The quiz database (``settings.quiz_db_path``); safe to open from the CLI and the app at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise RuntimeError(f"The quiz progress file {path} is damaged ({exc}). Delete it to start "
                               "afresh (only quiz history is lost).") from exc

    def _migrate(self) -> None:
        """Leitner-era databases: add the FSRS column and give every card its FSRS state (nothing is lost)."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(cards)")}
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            if "fsrs" not in columns:
                self.db.execute("ALTER TABLE cards ADD COLUMN fsrs TEXT")
            rows = self.db.execute("SELECT question_id, box, due, last_seen FROM cards WHERE fsrs IS NULL").fetchall()
            for qid, box, due, last in rows:
                memory = leitner_memory(qid, box, datetime.fromisoformat(due), datetime.fromisoformat(last))
                self.db.execute("UPDATE cards SET fsrs=? WHERE question_id=?", (memory.to_json(), qid))

    def close(self) -> None:
        self.db.close()

    def card(self, question_id: str) -> Card | None:
        row = self.db.execute("SELECT * FROM cards WHERE question_id=?", (question_id,)).fetchone()
        return _card(row) if row else None

    def cards(self) -> dict[str, Card]:
        return {row[0]: _card(row) for row in self.db.execute("SELECT * FROM cards")}

    def record(self, question_id: str, topic: str, correct: bool, score: float,
               at: datetime | None = None, rating: Rating | None = None) -> Card:
        """Store one answer and schedule the question's card (``rating`` defaults to Good when correct, else
        Again); returns the new card."""
        at = at or now_utc()
        rating = rating if rating is not None else Rating.Good if correct else Rating.Again
        card = next_card(self.card(question_id), question_id, topic, rating, at)
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT OR REPLACE INTO cards VALUES (?,?,?,?,?,?,?,?)",
                            (card.question_id, card.topic, 0, card.due.isoformat(), card.seen,
                             card.right, card.last_seen.isoformat(), card.memory.to_json()))
            self.db.execute("INSERT INTO answers (question_id, topic, answered_at, correct, score) "
                            "VALUES (?,?,?,?,?)", (question_id, topic, at.isoformat(), int(correct), score))
        return card

    def progress_by_topic(self) -> list[TopicProgress]:
        """Answers per topic per day, oldest first: rows for a progress-over-time chart."""
        rows = self.db.execute("SELECT topic, substr(answered_at, 1, 10) AS day, COUNT(*), SUM(correct) "
                               "FROM answers GROUP BY topic, day ORDER BY day, topic")
        return [TopicProgress(topic, day, n, right) for topic, day, n, right in rows]

    def topic_strength(self) -> dict[str, float]:
        """Per topic, the share of answers right, smoothed ((right+1)/(answered+2)) so one answer is no verdict."""
        rows = self.db.execute("SELECT topic, COUNT(*), SUM(correct) FROM answers GROUP BY topic")
        return {topic: (right + 1) / (n + 2) for topic, n, right in rows}

    def due_summary(self, at: datetime | None = None, question_ids: set[str] | None = None) -> DueSummary:
        """Cards due at ``at`` and the next due date after it (of ``question_ids`` only, when given: the
        questions the notes still have)."""
        at = at or now_utc()
        cards = [c for c in self.cards().values() if question_ids is None or c.question_id in question_ids]
        later = [c.due for c in cards if not c.is_due(at)]
        return DueSummary(sum(c.is_due(at) for c in cards), len(cards), min(later) if later else None)

    def setting(self, key: str) -> str:
        """A saved quiz setting ("" when unset), e.g. the exam date."""
        row = self.db.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return row[0] if row else ""

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO settings VALUES (?,?)", (key, value))

    def save_active_quiz(self, conversation: str, state: str, at: datetime | None = None) -> None:
        """Keep a chat quiz's state (JSON) under its conversation id, so a page reload finds it."""
        at = at or now_utc()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT OR REPLACE INTO active_quizzes VALUES (?,?,?)",
                            (conversation, state, at.isoformat()))
            self.db.execute("DELETE FROM active_quizzes WHERE updated_at < ?",
                            ((at - timedelta(days=ACTIVE_QUIZ_DAYS)).isoformat(),))

    def active_quiz(self, conversation: str) -> str | None:
        """The saved state of the conversation's running chat quiz; None when none is running."""
        row = self.db.execute("SELECT state FROM active_quizzes WHERE conversation=?", (conversation,)).fetchone()
        return row[0] if row else None

    def end_active_quiz(self, conversation: str) -> None:
        self.db.execute("DELETE FROM active_quizzes WHERE conversation=?", (conversation,))

    def reset(self) -> None:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("DELETE FROM cards")
            self.db.execute("DELETE FROM answers")
            self.db.execute("DELETE FROM active_quizzes")


def _card(row: tuple) -> Card:
    qid, topic, box, due, seen, right, last, memory = row
    due_at, last_at = datetime.fromisoformat(due), datetime.fromisoformat(last)
    fsrs_card = FsrsCard.from_json(memory) if memory else leitner_memory(qid, box, due_at, last_at)
    return Card(qid, topic, due_at, seen, right, last_at, fsrs_card)
