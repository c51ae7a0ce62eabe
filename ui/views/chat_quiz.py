"""The quiz inside the chat: the conversation id in the page URL, the quiz engine for it, and the drawing
of its messages (a question with choice buttons, a graded answer with its cited lines, the summary).

The logic is :mod:`quiz.chatmode`; this module only connects it to Streamlit."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

import service
from quiz import ProgressStore, Question, grade
from quiz.chatmode import ChatQuiz, Span
from quiz.chatreplies import COMMANDS_LINE, VERDICT_WORDS, Ask, Graded, MovedOn, Reply, Summary
from retrieval.scope import scope_sources
from settings import Settings
from ui.text import escape_block, escape_markdown
from ui.views.citations import citation_label, render_context
from workspace import Workspace

CONVERSATION_PARAM = "chat"  # ?chat=<id> in the page URL: a reload finds its running quiz by it
CLICKED_KEY = "quiz_clicked"  # (quiz id or None, question number or None, text) of a clicked quiz button
_VALID_ID = re.compile(r"^[0-9a-f]{8,32}$")
_BADGES = {"correct": ("green", ":material/check_circle:"), "partly": ("orange", ":material/adjust:"),
           "wrong": ("red", ":material/cancel:"), "skipped": ("gray", ":material/skip_next:")}


def conversation_id() -> str:
    """This conversation's id, kept in the URL's query parameters so it survives a page reload."""
    current = st.query_params.get(CONVERSATION_PARAM, "")
    if not _VALID_ID.match(current):
        current = uuid.uuid4().hex[:16]
        st.query_params[CONVERSATION_PARAM] = current
    return current


@contextlib.contextmanager
def chat_quiz(settings: Settings, workspace: Callable[[], Workspace]) -> Iterator[ChatQuiz]:
    """The conversation's quiz (its state is in the index's quiz.sqlite3). The workspace, which may still be
    loading, is waited for only when the quiz needs its questions or its embedder."""
    store = ProgressStore(settings.quiz_db_path)
    try:
        yield ChatQuiz(store, conversation_id(), bank=lambda: _questions(workspace()),
                       grader=lambda question, text: grade(question, text, workspace().embedder),
                       scope=lambda topic: scope_sources(workspace().index.catalog, topic))
    finally:
        store.close()


def _questions(ws: Workspace) -> list[Question]:
    with st.spinner("Preparing questions from your notes…"):
        return service.quiz_questions(ws)


def take_click(quiz: ChatQuiz) -> str | None:
    """The text of a quiz button clicked since the last run; None if none, or if it belongs to a
    question already answered (a button left on the page from before)."""
    clicked = st.session_state.pop(CLICKED_KEY, None)
    if clicked is None:
        return None
    quiz_id, number, text = clicked
    if quiz_id is None:
        return text
    state = quiz.state
    return text if state and state.quiz_id == quiz_id and state.position + 1 == number else None


def _click(quiz_id: str | None, number: int | None, text: str) -> None:
    st.session_state[CLICKED_KEY] = (quiz_id, number, text)


def render_quiz_button(quiz: ChatQuiz) -> None:
    """The button beside the chat box: "Quiz me" starts a quiz (due cards first); "Stop quiz" ends it."""
    label, text = ("Stop quiz", "stop") if quiz.active else ("Quiz me", "quiz me")
    st.button(label, key="chat_quiz_button", icon=":material/quiz:", on_click=_click, args=(None, None, text),
              help="Questions from your notes, one per message; say hint, skip, why? or stop.")


def live_question(messages: Sequence[dict[str, Any]], quiz: ChatQuiz) -> int | None:
    """The index of the message asking the question that waits for an answer (its choices are buttons)."""
    state = quiz.state
    for i in range(len(messages) - 1, -1, -1):
        reply = messages[i].get("quiz")
        if isinstance(reply, Ask):
            live = state is not None and reply.quiz_id == state.quiz_id and reply.number == state.position + 1
            return i if live else None
    return None


def shown_question(messages: Sequence[dict[str, Any]]) -> str:
    """The id of the question this tab shows as waiting for an answer: the latest one asked, unless the
    quiz's end (its summary, or a notice that it moved on elsewhere) came after it; "" when none."""
    for turn in reversed(messages):
        reply = turn.get("quiz")
        if isinstance(reply, Ask):
            return reply.question.id
        if isinstance(reply, Summary | MovedOn):
            return ""
    return ""


def last_spans(messages: Sequence[dict[str, Any]]) -> list[Span]:
    """The cited lines of the latest answer from the notes ("test me on the last answer")."""
    for turn in reversed(messages):
        answer = turn.get("answer")
        if answer is not None and not answer.refused:
            return [(c.source, c.start_line, c.end_line) for c in answer.citations]
    return []


def render_reply(reply: Reply, notes_dir: Path, live: bool = False) -> None:
    """One quiz message (call inside ``st.chat_message``)."""
    if isinstance(reply, Ask):
        _render_ask(reply, live)
    elif isinstance(reply, Graded):
        _render_graded(reply, notes_dir)
    elif isinstance(reply, MovedOn):
        st.info(escape_markdown(reply.text), icon=":material/tab:")
    elif isinstance(reply, Summary):
        score, *rest = reply.lines
        st.markdown(f"**{escape_markdown(score)}**")
        for line in rest:
            st.markdown(escape_markdown(line))
    else:
        st.markdown(escape_block(reply.text))


def _render_ask(ask: Ask, live: bool) -> None:
    lead = f"{ask.lead} " if ask.lead else ""
    q = ask.question
    st.markdown(f"**{escape_markdown(f'{lead}Question {ask.number} of {ask.total}')}** · "
                f"{escape_markdown(q.topic)}")
    st.markdown(escape_block(q.question))
    choices = q.choices if q.kind == "mcq" else ("True", "False") if q.kind == "tf" else ()
    for i, choice in enumerate(choices):
        label = f"{'ABCDEFGH'[i]}) {choice}" if q.kind == "mcq" else choice
        if live:
            st.button(escape_markdown(label), key=f"quiz-choice-{ask.quiz_id}-{ask.number}-{i}", on_click=_click,
                      args=(ask.quiz_id, ask.number, choice))
        elif q.kind == "mcq":
            st.markdown(escape_markdown(label))
    if live:
        st.caption(COMMANDS_LINE)


def _render_graded(graded: Graded, notes_dir: Path) -> None:
    color, icon = _BADGES[graded.verdict]
    st.markdown(f":{color}-badge[{icon} {VERDICT_WORDS[graded.verdict]}] {escape_markdown(graded.reason)}")
    st.markdown(f"**Expected:** {escape_markdown(graded.expected)}")
    q = graded.question
    location = q.reference.rsplit(":", 1)[1]  # "12" or "12-15"
    with st.expander(citation_label(None, q.source, location, q.heading)):
        render_context(notes_dir, q.source, q.start_line, q.end_line, location=location, quote=q.quote)
