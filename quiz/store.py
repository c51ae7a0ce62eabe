"""Quiz progress in SQLite: Leitner boxes with due dates per question, and every answer ever given.

Leitner rules: a new question is in box 1 and due at once. A right answer moves it up one box (at most
``BOXES``) and makes it due again after that box's interval (1, 3, 7, 14 days); a wrong answer sends it
back to box 1, due at once, so the next session asks it again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

#: Days until a question moved into box n by a right answer is due again (box 1 is due at once).
INTERVALS_DAYS = {1: 0, 2: 1, 3: 3, 4: 7, 5: 14}
BOXES = max(INTERVALS_DAYS)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cards (
    question_id TEXT PRIMARY KEY, topic TEXT NOT NULL, box INTEGER NOT NULL, due TEXT NOT NULL,
    seen INTEGER NOT NULL, right INTEGER NOT NULL, last_seen TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY, question_id TEXT NOT NULL, topic TEXT NOT NULL, answered_at TEXT NOT NULL,
    correct INTEGER NOT NULL, score REAL NOT NULL);
CREATE INDEX IF NOT EXISTS answers_by_topic ON answers(topic, answered_at);
CREATE TABLE IF NOT EXISTS active_quizzes (
    conversation TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL);
"""
#: A chat quiz left untouched this long is forgotten (its answers stay recorded in ``answers``).
ACTIVE_QUIZ_DAYS = 30


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Card:
    question_id: str
    topic: str
    box: int
    due: datetime
    seen: int
    right: int
    last_seen: datetime

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


def next_card(card: Card | None, question_id: str, topic: str, correct: bool, at: datetime) -> Card:
    """The Leitner step: right moves up a box and waits its interval; wrong goes back to box 1, due now."""
    box = min((card.box if card else 1) + 1, BOXES) if correct else 1
    due = at + timedelta(days=INTERVALS_DAYS[box])
    seen = (card.seen if card else 0) + 1
    right = (card.right if card else 0) + int(correct)
    return Card(question_id, topic, box, due, seen, right, at)


class ProgressStore:
    """The quiz database (``settings.quiz_db_path``); safe to open from the CLI and the app at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise RuntimeError(f"The quiz progress file {path} is damaged ({exc}). Delete it to start "
                               "afresh (only quiz history is lost).") from exc

    def close(self) -> None:
        self.db.close()

    def card(self, question_id: str) -> Card | None:
        row = self.db.execute("SELECT * FROM cards WHERE question_id=?", (question_id,)).fetchone()
        return _card(row) if row else None

    def cards(self) -> dict[str, Card]:
        return {row[0]: _card(row) for row in self.db.execute("SELECT * FROM cards")}

    def record(self, question_id: str, topic: str, correct: bool, score: float,
               at: datetime | None = None) -> Card:
        """Store one answer and move the question's card; returns the new card."""
        at = at or now_utc()
        card = next_card(self.card(question_id), question_id, topic, correct, at)
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT OR REPLACE INTO cards VALUES (?,?,?,?,?,?,?)",
                            (card.question_id, card.topic, card.box, card.due.isoformat(), card.seen,
                             card.right, card.last_seen.isoformat()))
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

    def due_count(self, at: datetime | None = None) -> int:
        """How many cards are due at ``at`` (now by default)."""
        at = at or now_utc()
        return sum(card.is_due(at) for card in self.cards().values())

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
    qid, topic, box, due, seen, right, last = row
    return Card(qid, topic, box, datetime.fromisoformat(due), seen, right, datetime.fromisoformat(last))
