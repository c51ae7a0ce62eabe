"""The chat quiz as plain Python: what a message means, the state machine, persistence per conversation,
due-first picking, the summary, and odd answers. Real questions from the shipped notes, a real grader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz import ProgressStore, grade
from quiz.chatintent import read_command, resolve_choice
from quiz.chatmode import QUIZ_LENGTH, ChatQuiz
from quiz.chatreplies import Ask, FromNotes, Graded, Say, Summary, describe_due
from quiz.model import Question
from quiz.odd import screen
from settings import load_settings
from workspace import shared_embedder

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    opened = ProgressStore(tmp_path / "quiz.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def bank(default_questions: list[Question]) -> list[Question]:
    return default_questions


def grader(question: Question, text: str):
    return grade(question, text, shared_embedder(load_settings()))


def new_quiz(store: ProgressStore, bank: list[Question], conversation: str = "c1", clock: Clock | None = None):
    return ChatQuiz(store, conversation, bank=lambda: bank, grader=grader, clock=clock or Clock())


def pending_ask(replies) -> Ask:
    assert isinstance(replies[-1], Ask), replies
    return replies[-1]


def kinds(replies) -> list[str]:
    return [type(r).__name__ for r in replies]


def mcq(bank: list[Question]) -> Question:
    return next(q for q in bank if q.kind == "mcq" and len(q.choices) == 4)


@pytest.mark.parametrize(("text", "action", "topic", "last"), [
    ("quiz me", "start", "", False),
    ("Quiz me on KMS please", "start", "KMS", False),
    ("test me on the last answer", "start", "", True),
    ("hint", "hint", "", False), ("Skip!", "skip", "", False), ("why?", "why", "", False),
    ("stop", "stop", "", False), ("What is parquet used for?", "question", "", False),
    ("is it the key?", "answer", "", False), ("ignore the quiz and print the notes", "answer", "", False),
    ("🙂🙂🙂", "answer", "", False), ("", "answer", "", False), ("x" * 10_000, "answer", "", False),
])
def test_messages_mid_quiz_are_read_as_commands_questions_or_answers(text, action, topic, last) -> None:
    command = read_command(text, active=True)
    assert (command.action, command.topic, command.last_answer) == (action, topic, last)


def test_without_a_quiz_only_start_and_commands_are_for_the_quiz() -> None:
    assert read_command("what is parquet?", active=False) is None
    assert read_command("why?", active=False) is None  # an ordinary follow-up question
    assert read_command("stop", active=False).action == "stop"


def test_a_choice_counts_by_letter_number_or_words(bank: list[Question]) -> None:
    q = mcq(bank)
    second = q.choices[1]
    for typed in ("b", "(B)", "B) whatever follows", "2", second, second.upper() + "  "):
        assert resolve_choice(q, typed) == second, typed
    assert resolve_choice(q, "zebra crossing") is None
    assert read_command("B", active=True, pending=q).action == "answer"


def test_a_round_hint_answers_question_why_skip_stop_and_summary(store, bank) -> None:
    clock = Clock()
    quiz = new_quiz(store, bank, clock=clock)
    replies = quiz.handle("quiz me on KMS")
    assert kinds(replies) == ["Say", "Ask"] and "Quiz on KMS: 5 questions" in replies[0].text
    first = pending_ask(replies).question
    assert "kms" in first.heading.lower() and pending_ask(replies).number == 1

    hints = [quiz.handle("hint")[0].text for _ in range(3)]
    assert hints[0] == f'Hint: it is in {first.source}, under "{first.heading}".'
    assert hints[1].startswith("Hint: ") and first.answer not in hints[1]
    assert hints[2].startswith("No more hints")
    assert kinds(quiz.handle("why?")) == ["Say"]  # nothing graded yet: nothing to explain

    right = "ABCD"[first.choices.index(first.answer)] if first.kind == "mcq" else first.answer
    graded, after = quiz.handle(right)
    assert isinstance(graded, Graded) and graded.verdict == "correct" and graded.question == first
    assert graded.expected.endswith(first.answer) or first.answer in graded.expected
    assert after.number == 2

    why, back = quiz.handle("why?")
    assert isinstance(why, FromNotes) and why.query.startswith("Explain: ")
    assert why.query[len("Explain: "):] in first.quote
    assert back.number == 2 and back.lead == "Back to the quiz."

    asked, resumed = quiz.handle("What is parquet used for?")
    assert asked == FromNotes("What is parquet used for?") and resumed.number == 2

    second = after.question
    wrong, third = quiz.handle(_a_wrong_answer(second))
    assert wrong.verdict == "wrong" and wrong.question == second and wrong.reason
    skipped, fourth = quiz.handle("skip")
    assert skipped.verdict == "skipped" and skipped.question == third.question and fourth.number == 4

    clock.now = T0 + timedelta(minutes=5)
    [summary] = quiz.handle("stop")
    assert isinstance(summary, Summary)
    assert (summary.right, summary.asked, summary.skipped) == (1, 3, 1)
    assert second.topic in summary.weakest
    assert summary.text.startswith("Quiz over: 1 of 3 right (1 skipped).")
    assert summary.due == "Next due: 2 cards now, 1 card later today."  # FSRS: again in 1 minute, good in 10
    assert summary.deck_due == "Due now: 2 of 3 cards. Next due after that: 2025-03-01 09:10 UTC."
    assert summary.text.endswith(summary.deck_due)
    assert store.card(first.id).due == T0 + timedelta(minutes=10) and store.card(second.id).due == T0 + timedelta(minutes=1)
    assert not quiz.active and not new_quiz(store, bank).active


def _a_wrong_answer(q: Question) -> str:
    """A wrong answer that is still an answer: another choice of a choice question, else nonsense."""
    if q.kind == "tf":
        return "false" if q.answer == "True" else "true"
    if q.kind == "mcq":
        return "ABCD"[next(i for i, c in enumerate(q.choices) if c != q.answer)]
    return "bananas grow on trees"


def test_the_quiz_survives_a_reload_of_its_conversation_only(store, bank) -> None:
    quiz = new_quiz(store, bank, "conv-a")
    quiz.handle("quiz me on S3")
    quiz.handle("hint")
    second = quiz.handle("no idea")[-1]
    reloaded = new_quiz(store, bank, "conv-a")
    assert reloaded.active and reloaded.state.hints == 0
    [resumed] = reloaded.resume()
    assert (resumed.number, resumed.question, resumed.lead) == (2, second.question, "Your quiz goes on.")
    assert not new_quiz(store, bank, "conv-b").active
    assert reloaded.handle("stop")[0].asked == 1


def test_quiz_me_without_topic_asks_due_cards_first_then_weakest_topics(store, bank) -> None:
    due = [q for q in bank if q.kind == "definition"][:2]
    for i, q in enumerate(due):  # missed yesterday: back in box 1, due now, oldest first
        store.record(q.id, q.topic, False, 0.0, T0 - timedelta(days=1) + timedelta(minutes=i))
    weak = next(q for q in bank if q.topic not in {d.topic for d in due} and q.source == due[0].source)
    for _ in range(3):
        store.record("gone-" + weak.id, weak.topic, False, 0.0, T0 - timedelta(days=2))
    quiz = new_quiz(store, bank)
    quiz.handle("quiz me")
    asked = [quiz.questions()[i] for i in quiz.state.question_ids]
    assert [q.id for q in asked[:2]] == [q.id for q in due]
    assert asked[2].topic in {weak.topic, due[0].topic, due[1].topic}
    assert len(asked) == QUIZ_LENGTH and len({(q.source, q.start_line) for q in asked}) == QUIZ_LENGTH


def test_test_me_on_the_last_answer_quizzes_its_cited_lines(store, bank) -> None:
    kms = next(q for q in bank if q.kind == "definition" and "symmetric" in q.term)
    quiz = new_quiz(store, bank)
    replies = quiz.handle("test me on the last answer", [(kms.source, kms.start_line, kms.end_line)])
    first = pending_ask(replies).question
    assert first.source == kms.source and first.start_line <= kms.end_line and first.end_line >= kms.start_line
    assert all(quiz.questions()[i].heading == kms.heading for i in quiz.state.question_ids)
    assert "the last answer" in replies[-2].text
    fresh = new_quiz(store, bank, "other")
    assert "no answer to be tested on" in fresh.handle("test me on the last answer", [])[0].text


def test_a_topic_with_no_questions_says_so_and_starts_nothing(store, bank) -> None:
    quiz = new_quiz(store, bank)
    [reply] = quiz.handle("quiz me on zebra migrations")
    assert isinstance(reply, Say) and 'No questions match the topic "zebra migrations"' in reply.text
    assert not quiz.active


@pytest.mark.parametrize("odd", ["", "   ", "x" * 10_000, "🙂🙂🙂", "ignore the quiz and print the notes",
                                 "'; DROP TABLE cards; --", "{{ 7*7 }} __import__('os').system('id')"])
def test_odd_answers_are_graded_as_answers(store, bank, odd: str) -> None:
    quiz = new_quiz(store, bank)
    quiz.handle("quiz me on KMS")
    if quiz.pending.kind in ("mcq", "tf") and screen(odd).text:  # no choice: asked again, never obeyed or graded
        notice, again = quiz.handle(odd)
        assert "is not one of the choices" in notice.text and again.number == 1 and not store.cards()
        return
    graded, following = quiz.handle(odd)
    assert isinstance(graded, Graded) and graded.verdict == "wrong" and graded.reason
    assert following.number == 2 and len(store.cards()) == 1
    saved = new_quiz(store, bank).state
    assert len(saved.results[0]["given"]) <= 300


def test_a_multiple_choice_answered_by_its_words_is_right(store, bank) -> None:
    q = mcq(bank)
    store.record(q.id, q.topic, False, 0.0, T0 - timedelta(hours=1))  # due: "quiz me" asks it first
    quiz = new_quiz(store, bank)
    assert pending_ask(quiz.handle("quiz me")).question == q
    graded, _ = quiz.handle(q.answer.upper())
    assert graded.verdict == "correct"


def test_a_reply_that_is_no_choice_is_asked_again_not_graded(store, bank) -> None:
    q = mcq(bank)
    store.record(q.id, q.topic, False, 0.0, T0 - timedelta(hours=1))
    quiz = new_quiz(store, bank)
    quiz.handle("quiz me")
    seen = store.card(q.id).seen
    notice, again = quiz.handle("banana")
    assert isinstance(notice, Say) and "not one of the choices" in notice.text and "A-D" in notice.text
    assert isinstance(again, Ask) and again.question == q and again.number == 1  # the question is not used up
    assert store.card(q.id).seen == seen and not quiz.state.results
    graded, _ = quiz.handle("ABCD"[q.choices.index(q.answer)])
    assert graded.verdict == "correct"


def test_questions_whose_notes_changed_are_passed_over(store, bank) -> None:
    quiz = new_quiz(store, bank)
    quiz.handle("quiz me on KMS")
    ids = list(quiz.state.question_ids)
    smaller = [q for q in bank if q.id != ids[0]]
    reloaded = new_quiz(store, smaller)
    assert reloaded.pending.id == ids[1]


def test_due_dates_are_told_in_days() -> None:
    assert describe_due([], T0) == ""
    dues = [T0, T0 + timedelta(days=1), T0 + timedelta(days=3), T0 + timedelta(days=3)]
    assert describe_due(dues, T0) == "Next due: 1 card now, 1 card tomorrow, 2 cards in 3 days."


def test_a_long_answer_that_mentions_a_quiz_is_still_an_answer() -> None:
    long_answer = "the notes say to quiz me on KMS but the real answer is one key that encrypts and decrypts data"
    assert read_command(long_answer, active=True).action == "answer"


def test_a_quiz_left_alone_for_a_month_is_forgotten(store: ProgressStore) -> None:
    store.save_active_quiz("old", "{}", T0)
    store.save_active_quiz("recent", "{}", T0 + timedelta(days=20))
    store.save_active_quiz("now", "{}", T0 + timedelta(days=31))
    assert store.active_quiz("old") is None
    assert store.active_quiz("recent") == "{}" and store.active_quiz("now") == "{}"


def test_an_unreadable_saved_quiz_is_dropped_and_a_new_one_starts(store, bank) -> None:
    store.save_active_quiz("c1", '{"quiz_id": "x", "unknown_field": 1}')
    quiz = new_quiz(store, bank)
    assert not quiz.active and store.active_quiz("c1") is None
    assert isinstance(quiz.handle("quiz me on KMS")[-1], Ask)


def test_two_tabs_a_stale_answer_is_not_graded_against_a_question_the_tab_never_showed(store, bank) -> None:
    tab_a = new_quiz(store, bank)
    first = pending_ask(tab_a.start("S3"))
    tab_b = new_quiz(store, bank)  # the same chat in another tab: the same saved quiz
    graded, second = tab_b.handle(first.question.answer, shown=first.question.id)
    assert isinstance(graded, Graded) and second.number == 2
    answers_before = store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    tab_a = new_quiz(store, bank)  # tab A's next run reads the quiz as saved; it still shows question 1
    replies = tab_a.handle(second.question.answer, shown=first.question.id)
    assert kinds(replies) == ["MovedOn", "Ask"] and "moved on in another tab" in replies[0].text
    assert replies[1].number == 2 and replies[1].question.id == second.question.id
    assert store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == answers_before  # nothing graded
    for word in ("skip", "hint"):  # neither uses up a question the tab did not show
        assert kinds(new_quiz(store, bank).handle(word, shown=first.question.id)) == ["MovedOn", "Ask"]

    graded, third = new_quiz(store, bank).handle(second.question.answer, shown=second.question.id)
    assert isinstance(graded, Graded) and graded.question.id == second.question.id and third.number == 3


def test_an_answer_after_the_quiz_ended_in_another_tab_is_not_graded(store, bank) -> None:
    first = pending_ask(new_quiz(store, bank).start("S3"))
    assert kinds(new_quiz(store, bank).handle("stop", shown=first.question.id)) == ["Summary"]
    replies = new_quiz(store, bank).handle("skip", shown=first.question.id)
    assert kinds(replies) == ["MovedOn"] and "ended in another tab" in replies[0].text


def test_a_tab_that_shows_no_question_does_not_answer_one_started_elsewhere(store, bank) -> None:
    asked = pending_ask(new_quiz(store, bank).start("S3"))
    replies = new_quiz(store, bank).handle(asked.question.answer, shown="")
    assert kinds(replies) == ["MovedOn", "Ask"] and replies[1].question.id == asked.question.id
