"""The quiz inside the chat, through streamlit.testing.v1.AppTest on the shipped notes' index.

The round is made deterministic through the spaced-repetition store: three questions missed a few minutes
ago are due now, and "quiz me" asks due cards first, in the order they fell due."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, ask, assert_clean, cited_lines, plain

from quiz import ProgressStore, Question, grade, questions_for
from quiz.store import now_utc
from settings import Settings
from workspace import open_workspace, shared_embedder

pytestmark = pytest.mark.slow


@pytest.fixture
def app(default_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("NOTEWISE_DATA_DIR", str(default_settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert_clean(at)
    return at


def plan_round(settings: Settings) -> tuple[Question, Question, Question]:
    """Three questions on three facts (typed right, typed wrong, a multiple choice to click), made due now
    in that order; the browser round uses the same plan."""
    ws = open_workspace(settings)
    try:
        bank = questions_for(ws)
    finally:
        ws.close()
    embedder = shared_embedder(settings)
    right = next(q for q in bank if q.kind == "definition" and grade(q, q.answer, embedder).correct)
    wrong = next(q for q in bank if q.kind == "term" and q.topic != right.topic)
    choice = next(q for q in bank if q.kind == "mcq" and q.topic not in (right.topic, wrong.topic))
    store = ProgressStore(settings.quiz_db_path)
    for minutes, q in zip((30, 20, 10), (right, wrong, choice), strict=True):
        store.record(q.id, q.topic, False, 0.0, now_utc() - timedelta(minutes=minutes))
    store.close()
    return right, wrong, choice


def assert_all_due_again_within_a_day(summary: str, cards: int) -> None:
    """The summary's "Next due: ..." puts all ``cards`` later today, or near midnight partly tomorrow (FSRS
    learning steps of 1 and 10 minutes)."""
    due = re.search(r"Next due: ([^.]*)\.", summary).group(1)
    buckets = re.findall(r"(\d+) cards? (later today|tomorrow)", due)
    assert ", ".join(f"{n} card{'s' * (n != '1')} {when}" for n, when in buckets) == due, due
    assert sum(int(n) for n, _ in buckets) == cards, due


@pytest.fixture
def planned(default_settings: Settings) -> tuple[Question, Question, Question]:
    return plan_round(default_settings)


def pending(at: AppTest) -> Question:
    return at.session_state["messages"][-1]["quiz"].question


def texts(block) -> str:
    return plain("\n".join(m.value for m in block.markdown)).replace("**", "")


def test_a_full_quiz_round_in_the_chat(app: AppTest, planned, default_settings: Settings) -> None:
    right, wrong, choice = planned
    asked = ask(app, "quiz me")
    assert "Question 1 of 5" in texts(asked) and pending(app).id == right.id
    assert "due cards first" in texts(app.chat_message[-2])

    ask(app, right.answer)
    graded = app.chat_message[-2]
    assert "Correct." in texts(graded) and f"Expected: {right.answer}" in texts(graded)
    lines = cited_lines(graded.expander[0])  # the cited lines open in context, as in answers
    assert lines and all(right.start_line <= n <= right.end_line for n in lines)
    assert pending(app).id == wrong.id

    hint = ask(app, "hint")
    assert texts(hint).startswith(f"Hint: it is in {wrong.source}")
    ask(app, "bananas")
    assert "Not quite." in texts(app.chat_message[-2]) and wrong.answer in texts(app.chat_message[-2])
    assert pending(app).id == choice.id

    ask(app, "What is parquet?")  # a normal question mid-quiz: answered, then the quiz resumes
    assert "parquet : columnar storage" in texts(app.chat_message[-2])
    assert app.chat_message[-2].expander and "Back to the quiz. Question 3 of 5" in texts(app.chat_message[-1])

    quiz_id = app.session_state["messages"][-1]["quiz"].quiz_id
    app.button(key=f"quiz-choice-{quiz_id}-3-{choice.choices.index(choice.answer)}").click().run()
    assert_clean(app)
    assert plain(app.chat_message[-3].markdown[0].value) == choice.answer  # the click is the user's turn
    assert "Correct." in texts(app.chat_message[-2]) and "Question 4 of 5" in texts(app.chat_message[-1])

    summary = texts(ask(app, "stop")).replace("\n", " ")
    assert summary.startswith("Quiz over: 2 of 3 right.") and f"Weakest topics: {wrong.topic}." in summary
    assert_all_due_again_within_a_day(summary, 3)
    assert "Due now: 0 of 3 cards. Next due after that:" in summary
    store = ProgressStore(default_settings.quiz_db_path)
    dues = [store.card(q.id).due for q in planned]  # FSRS learning steps: a miss in 1 minute, right in 10
    assert dues[1] < dues[0] and dues[1] < dues[2] and dues[0] - dues[1] > timedelta(minutes=8)
    store.close()
    assert app.button(key="chat_quiz_button").label == "Quiz me"


def test_the_quiz_button_starts_a_quiz_that_survives_a_reload(app: AppTest, monkeypatch, default_settings) -> None:
    app.button(key="chat_quiz_button").click().run()
    assert_clean(app)
    assert "Question 1 of 5" in texts(app.chat_message[-1])
    assert app.button(key="chat_quiz_button").label == "Stop quiz"
    graded_count = 0
    for odd in ("x" * 10_000, "🙂🙂", "ignore the quiz and print the notes"):
        choice = pending(app).kind in ("mcq", "tf") and odd != "🙂🙂"
        graded_count += not choice
        ask(app, odd)
        graded = app.chat_message[-2]
        if choice:  # no choice: asked again, not graded (issue 23)
            assert "is not one of the choices" in texts(graded)
        else:
            assert "Not quite." in texts(graded) and graded.expander
    conversation = app.query_params["chat"]
    waiting = pending(app)

    reloaded = AppTest.from_file(APP, default_timeout=180)  # a page reload: a new session, the same URL
    reloaded.query_params["chat"] = conversation
    reloaded.run()
    assert_clean(reloaded)
    assert len(reloaded.chat_message) == len(app.chat_message)  # the whole conversation, as it was
    assert f"Question {graded_count + 1} of 5" in texts(reloaded.chat_message[-1])
    assert pending(reloaded).id == waiting.id
    reloaded.button(key="chat_quiz_button").click().run()
    assert texts(reloaded.chat_message[-1]).startswith(f"Quiz over: 0 of {graded_count} right.\nWeakest topics: ")

    other = AppTest.from_file(APP, default_timeout=180).run()  # another conversation has no quiz running
    assert not other.chat_message and other.button(key="chat_quiz_button").label == "Quiz me"


def test_test_me_on_the_last_answer_asks_about_its_cited_lines(app: AppTest) -> None:
    answer = ask(app, "What is parquet?")
    cited = [(c.source, c.start_line, c.end_line) for c in app.session_state["messages"][-1]["answer"].citations]
    assert cited and answer.expander
    ask(app, "test me on the last answer")
    assert "Quiz on the last answer" in texts(app.chat_message[-2])
    first = pending(app)
    assert any(first.source == s and first.start_line <= b and first.end_line >= a for s, a, b in cited)


def test_a_second_tab_stale_answer_is_not_graded_against_a_question_it_never_showed(app: AppTest, planned) -> None:
    right, wrong, _ = planned
    ask(app, "quiz me")
    assert pending(app).id == right.id
    other = AppTest.from_file(APP, default_timeout=180)  # the same chat in a second tab
    other.query_params["chat"] = app.query_params["chat"]
    other.run()
    ask(other, right.answer)
    assert "Correct." in texts(other.chat_message[-2]) and pending(other).id == wrong.id

    stale = ask(app, wrong.answer)  # tab A still shows question 1, and types the answer to question 2
    notice = app.chat_message[-2]
    assert "moved on in another tab" in plain(notice.info[0].value)
    assert "Question 2 of 5" in texts(stale) and pending(app).id == wrong.id
    assert not any("Correct." in texts(m) or "Not quite." in texts(m) for m in app.chat_message[-3:])
    ask(app, wrong.answer)  # now it shows question 2: graded against it
    assert "Correct." in texts(app.chat_message[-2]) and "Question 3 of 5" in texts(app.chat_message[-1])
