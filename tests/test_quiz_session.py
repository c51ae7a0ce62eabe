"""Spaced repetition (Leitner boxes in SQLite), question picking, sessions, topics and chat requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz import (
    ProgressStore,
    QuizSession,
    parse_quiz_request,
    pick,
    questions_on,
    topics,
)
from quiz.model import Question
from quiz.store import BOXES

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def questions(default_questions: list[Question]) -> list[Question]:
    return default_questions


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    opened = ProgressStore(tmp_path / "quiz.sqlite3")
    yield opened
    opened.close()


def test_right_answers_climb_the_boxes_with_growing_intervals(store: ProgressStore) -> None:
    expected = [(2, 1), (3, 3), (4, 7), (5, 14), (5, 14)]
    at = T0
    for box, days in expected:
        card = store.record("q1", "KMS", True, 1.0, at)
        assert (card.box, card.due) == (box, at + timedelta(days=days))
        at = card.due
    assert BOXES == 5 and (card.seen, card.right) == (5, 5)


def test_a_wrong_answer_sends_the_question_back_to_box_one_due_now(store: ProgressStore) -> None:
    store.record("q1", "KMS", True, 1.0, T0)
    store.record("q1", "KMS", True, 1.0, T0 + timedelta(days=1))
    card = store.record("q1", "KMS", False, 0.2, T0 + timedelta(days=4))
    assert (card.box, card.due, card.seen, card.right) == (1, T0 + timedelta(days=4), 3, 2)
    assert card.is_due(T0 + timedelta(days=4))
    assert store.record("q1", "KMS", True, 1.0, T0 + timedelta(days=5)).box == 2


def test_progress_survives_reopening_and_is_charted_per_topic_and_day(tmp_path: Path) -> None:
    first = ProgressStore(tmp_path / "quiz.sqlite3")
    first.record("a", "KMS", True, 1.0, T0)
    first.record("b", "KMS", False, 0.0, T0)
    first.record("c", "VPC", True, 1.0, T0 + timedelta(days=1))
    first.close()
    again = ProgressStore(tmp_path / "quiz.sqlite3")
    rows = [(r.topic, r.day, r.answered, r.correct, r.accuracy) for r in again.progress_by_topic()]
    assert rows == [("KMS", "2025-03-01", 2, 1, 0.5), ("VPC", "2025-03-02", 1, 1, 1.0)]
    assert again.topic_strength() == {"KMS": 0.5, "VPC": 2 / 3}
    assert again.card("a").box == 2
    again.close()


def test_a_damaged_progress_file_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "quiz.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RuntimeError, match="quiz progress file .* is damaged"):
        ProgressStore(path)


def test_due_questions_come_first_then_new_ones_then_the_rest(questions: list[Question],
                                                              store: ProgressStore) -> None:
    pool = questions_on(questions, "git")
    due = pool[0]
    later = next(q for q in pool if q.start_line != due.start_line)
    store.record(due.id, due.topic, False, 0.0, T0)  # wrong: due again at once
    store.record(later.id, later.topic, True, 1.0, T0)  # right: not due for a day
    chosen = pick(pool, store, n=len(pool), at=T0 + timedelta(hours=1), seed=7)
    ids = [q.id for q in chosen]
    assert ids[0] == due.id
    assert later.id not in ids or ids.index(later.id) == len(ids) - 1
    assert len({(q.source, q.start_line) for q in chosen}) == len(chosen)  # one question per fact
    assert [q.id for q in pick(pool, store, 5, at=T0, seed=7)] == [q.id for q in pick(pool, store, 5, at=T0, seed=7)]


def test_weakest_topic_first(questions: list[Question], store: ProgressStore) -> None:
    git = [q for q in questions if q.topic == "remote repo"][:3]
    vpc = [q for q in questions if q.topic == "VPC Peering"][:3]
    for q in git:
        store.record(q.id, q.topic, True, 1.0, T0 - timedelta(days=30))
    for q in vpc:
        store.record(q.id, q.topic, False, 0.0, T0 - timedelta(days=30))
    chosen = pick(questions, store, n=4, weakest_first=True, at=T0, seed=1)
    assert chosen[0].topic == "VPC Peering"
    assert all(q.topic != "remote repo" for q in chosen)


def test_a_session_grades_records_and_scores(questions: list[Question], store: ProgressStore) -> None:
    session = QuizSession.start(questions, store, topic="kms", n=3, seed=2, at=T0)
    assert len(session.questions) == 3
    assert all(q.heading.lower() == "kms" for q in session.questions)  # the heading named KMS comes first
    first = session.current
    session.answer(first.answer if first.kind != "mcq" else "ABCD"[first.choices.index(first.answer)], at=T0)
    session.answer("no idea", at=T0)
    assert session.score == (1, 2) and not session.done
    session.answer("", at=T0)
    assert session.done and session.current is None and session.score == (1, 3)
    assert store.card(first.id).box == 2
    assert sum(row.answered for row in store.progress_by_topic()) == 3
    with pytest.raises(ValueError, match="quiz is over"):
        session.answer("x")


def test_an_unknown_topic_is_a_clear_error(questions: list[Question], store: ProgressStore) -> None:
    with pytest.raises(ValueError, match='No questions match the topic "quantum knitting"'):
        QuizSession.start(questions, store, topic="quantum knitting")


def test_topics_match_partially_and_in_any_case(questions: list[Question]) -> None:
    lake = questions_on(questions, "lake formation")
    assert lake and all("lake formation" in (q.heading + q.term + q.quote).lower() for q in lake)
    assert questions_on(questions, "LAKE form")[0].heading.lower().startswith("lake formation")
    s3 = questions_on(questions, "s3")
    assert any("s3" in q.quote.lower() and "s3" not in q.heading.lower() for q in s3)
    assert not any("s3" not in (q.heading + q.term + q.quote).lower() for q in s3)
    names = dict(topics(questions))
    assert names["kMS"] >= 5 and len(names) >= 40


@pytest.mark.parametrize(("message", "topic"), [
    ("quiz me on KMS", "KMS"),
    ("Test me about S3!", "S3"),
    ("can you quiz me on the topic of VPC endpoints?", "VPC endpoints"),
    ("give me a quiz on git please", "git"),
    ("ask me 5 questions on CloudWatch", "CloudWatch"),
    ("let's do a quiz about Lake Formation", "Lake Formation"),
    ("quiz me", ""),
    ("Quiz time!", ""),
    ("What is KMS?", None),
    ("I have a test tomorrow on S3", None),
    ("how do I test my lambda function", None),
    ("quizzes are hard", None),
])
def test_chat_quiz_requests_are_recognised(message: str, topic: str | None) -> None:
    assert parse_quiz_request(message) == topic
