"""The service layer: one sync for every front end, and the routing of a chat turn (issue #26)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import pytest

import service
from quiz.chatmode import ChatQuiz
from quiz.chatreplies import FromNotes, Reply, Say
from settings import Settings
from workspace import Workspace, open_workspace

HISTORY = [{"role": "user", "content": "What is Kafka?"}, {"role": "assistant", "content": "A log."}]
ASK = Say("Back to the quiz.")  # stands for the quiz's next question


class ScriptedQuiz:
    """A chat quiz that answers every message with the same replies (None: not for the quiz)."""

    def __init__(self, replies: list[Reply] | None) -> None:
        self.replies = replies
        self.seen: list[tuple[str, Sequence[Any], str | None]] = []

    def handle(self, text: str, last_spans: Sequence[Any] = (), shown: str | None = None) -> list[Reply] | None:
        self.seen.append((text, last_spans, shown))
        return self.replies


def _turn(replies: list[Reply] | None, text: str, shown: str | None = None) -> service.Turn:
    chat = service.Chat(cast(ChatQuiz, ScriptedQuiz(replies)), HISTORY, [("kafka.md", 3, 4)], shown=shown)
    return service.turn(chat, text)


def test_the_question_a_tab_shows_reaches_the_quiz() -> None:
    quiz = ScriptedQuiz([ASK])
    service.turn(service.Chat(cast(ChatQuiz, quiz), HISTORY, (), shown="q-7"), "kafka")
    assert quiz.seen == [("kafka", (), "q-7")]


def test_a_message_the_quiz_does_not_take_is_a_question_in_context() -> None:
    turn = _turn(None, "and its size?")
    assert turn.steps == [service.NotesQuestion("and its size?", HISTORY)]
    assert not turn.handled_by_quiz and not turn.is_quiz_step


def test_a_question_in_the_middle_of_a_quiz_keeps_its_context_and_the_quiz_goes_on() -> None:
    turn = _turn([FromNotes("what is SQS?"), ASK], "what is SQS?")
    assert turn.steps == [service.NotesQuestion("what is SQS?", HISTORY), ASK]
    assert turn.handled_by_quiz and not turn.is_quiz_step


def test_a_question_the_quiz_asks_for_itself_is_answered_on_its_own() -> None:
    turn = _turn([FromNotes("Kafka default message size"), ASK], "why?")
    assert turn.steps == [service.NotesQuestion("Kafka default message size", []), ASK]
    assert turn.handled_by_quiz and turn.is_quiz_step


def test_quiz_replies_pass_through_in_order() -> None:
    said = Say("No quiz is running.")
    turn = _turn([said], "hint")
    assert turn.steps == [said] and turn.handled_by_quiz and turn.is_quiz_step


def test_the_quiz_sees_the_last_answers_lines() -> None:
    quiz = ScriptedQuiz(None)
    service.turn(service.Chat(cast(ChatQuiz, quiz), [], [("kafka.md", 3, 4)]), "test me on that")
    assert quiz.seen == [("test me on that", [("kafka.md", 3, 4)], None)]


@pytest.fixture
def small_workspace(tmp_path: Path) -> Iterator[Workspace]:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "kafka.md").write_text("# Kafka\n\n- topics are split into partitions\n- ok\n", encoding="utf-8")
    ws = open_workspace(Settings(notes_dir=notes, data_dir=tmp_path / "data"))
    yield ws
    ws.close()


def test_sync_indexes_then_prepares_answers_with_one_progress(small_workspace: Workspace) -> None:
    stages: list[str] = []
    assert service.needs_sync(small_workspace)
    synced = service.sync(small_workspace, lambda stage, done, total: stages.append(stage), prepare=True)
    assert synced.report.count("new") == 1 and not synced.stopped
    assert synced.prepared is not None and synced.prepared.finished
    assert stages[0] == "scan" and "answers" in stages  # the short line ("- ok") is left to prepare
    assert not service.needs_sync(small_workspace)


def test_sync_leaves_answers_alone_when_told(small_workspace: Workspace) -> None:
    synced = service.sync(small_workspace, prepare=False)
    assert synced.prepared is None and synced.report.count("new") == 1
