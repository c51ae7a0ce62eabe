"""Issue 23: an exam date gives a daily plan (cards a day, weakest topics first, what a skipped day costs);
`quiz --exam` saves it, "quiz me" in the chat follows it, and the quiz view has a date field that shows it."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs import Rating
from streamlit.testing.v1 import AppTest
from test_app import APP, assert_clean

from cli import main
from quiz import ProgressStore
from quiz.chatmode import ChatQuiz
from quiz.model import Question
from quiz.plan import exam_plan, saved_exam
from quiz.session import same_fact
from settings import Settings

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
EXAM = date(2026, 12, 10)  # four study days: the 6th to the 9th


@pytest.fixture
def deck(default_questions: list[Question]) -> list[Question]:
    """A fixed deck: every question of three topics of the shipped notes."""
    wanted = ("GitFlow", "kMS", "CW log")
    chosen = [q for q in default_questions if q.topic in wanted]
    assert {q.topic for q in chosen} == set(wanted)
    return chosen


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    opened = ProgressStore(tmp_path / "quiz.sqlite3")
    yield opened
    opened.close()


def test_a_plan_has_cards_a_day_weakest_topics_first_and_the_cost_of_a_skipped_day(deck, store) -> None:
    gitflow = [q for q in deck if q.topic == "GitFlow"]
    kms = [q for q in deck if q.topic == "kMS"]
    for q in gitflow[:3]:  # GitFlow: all missed, the weakest topic
        store.record(q.id, q.topic, False, 0.0, T0 - timedelta(days=1))
    for q in kms[:3]:  # kMS: all right, the strongest
        store.record(q.id, q.topic, True, 1.0, T0 - timedelta(days=1))
    known = kms[3]  # known so well it lasts past the exam: not in the plan
    store.record(known.id, known.topic, True, 1.0, T0 - timedelta(days=1), Rating.Easy)
    assert store.card(known.id).due > datetime(2026, 12, 10, tzinfo=UTC)

    plan = exam_plan(deck, store, EXAM, today=T0.date())
    assert plan.days == 4
    assert known not in plan.cards
    assert all(not same_fact(a, b) for i, a in enumerate(plan.cards) for b in plan.cards[i + 1:])  # a fact once
    assert plan.per_day == math.ceil(len(plan.cards) / 4) and plan.if_skipped == math.ceil(len(plan.cards) / 3)
    assert plan.topics == ["GitFlow", "CW log", "kMS"]  # 0 of 3 right, never answered (middling), 3 of 3 right
    order = [q.topic for q in plan.cards]
    assert order == sorted(order, key=plan.topics.index)  # topic by topic, weakest first
    assert plan.today == plan.cards[:plan.per_day] and plan.today[0].topic == "GitFlow"
    assert sum(len(plan.day(i)) for i in range(4)) == len(plan.cards)  # four days hold every card
    text = plan.text
    assert f"{len(plan.cards)} cards to study in 4 days: {plan.per_day} a day." in text
    assert "Weakest topics first: GitFlow, CW log, kMS." in text
    assert f"Skip today and it is {plan.if_skipped} a day for the 3 days left." in text


def test_the_last_day_and_a_past_exam_are_said_plainly(deck, store) -> None:
    assert "nothing can be moved to tomorrow" in exam_plan(deck, store, EXAM, today=date(2026, 12, 9)).text
    assert "is today or past: no plan" in exam_plan(deck, store, EXAM, today=EXAM).text


def test_quiz_exam_prints_the_plan_and_quiz_me_in_the_chat_follows_it(default_settings: Settings,
                                                                      default_questions: list[Question]) -> None:
    exam = (datetime.now(UTC).date() + timedelta(days=5)).isoformat()
    result = CliRunner().invoke(main, ["quiz", "--data-dir", str(default_settings.data_dir), "--exam", exam])
    assert result.exit_code == 0, result.output
    assert f"Exam on {exam}:" in result.output and "a day." in result.output and "Skip today" in result.output
    store = ProgressStore(default_settings.quiz_db_path)
    try:
        assert saved_exam(store) == date.fromisoformat(exam)
        plan = exam_plan(default_questions, store, date.fromisoformat(exam))
        quiz = ChatQuiz(store, "exam-chat", bank=lambda: default_questions, grader=lambda q, t: None)
        intro, first = quiz.handle("quiz me")
        assert f"plan for the exam on {exam}" in intro.text
        assert quiz.state.question_ids == [q.id for q in plan.today[:5]]
        assert first.question.topic == plan.topics[0]  # the weakest topic first
    finally:
        store.close()
    bad = CliRunner().invoke(main, ["quiz", "--data-dir", str(default_settings.data_dir), "--exam", "20-12-2026"])
    assert bad.exit_code == 2 and "20-12-2026" in bad.output  # click names the value it could not read


@pytest.mark.slow
def test_the_quiz_view_has_an_exam_date_field_that_shows_the_plan(default_settings: Settings,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTEWISE_DATA_DIR", str(default_settings.data_dir))
    app = AppTest.from_file(APP, default_timeout=180).run()
    assert_clean(app)
    exam = date.today() + timedelta(days=7)
    app.tabs[2].date_input(key="quiz_exam").set_value(exam).run()
    assert_clean(app)
    shown = "\n".join(m.value for m in app.tabs[2].markdown).replace("\\", "")  # drop Markdown escapes
    assert f"Exam on {exam:%Y-%m-%d}:" in shown and "a day." in shown and "Weakest topics first" in shown
    store = ProgressStore(default_settings.quiz_db_path)
    assert saved_exam(store) == exam  # "quiz me" in the chat follows it
    store.close()
    next(b for b in app.tabs[2].button if b.label == "Start today's cards").click().run()
    assert_clean(app)
    assert app.session_state["quiz_session"].questions  # today's cards are the quiz
