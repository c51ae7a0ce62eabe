"""The Chat tab: streamed answers, the conversation saved under its ``?chat=`` id (ui/views/history.py),
numbered citations you can open."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

import service
from answer import Answer, Answerer
from answer.prompts_io import CLOSEST_HEADER
from ingest.vault import is_vault
from quiz.chatmode import ChatQuiz
from quiz.chatreplies import Reply
from retrieval.scope import Scope
from ui.chat import history_of, one_line
from ui.text import escape_block, escape_markdown
from ui.views import history, state
from ui.views.chat_quiz import (
    chat_quiz,
    last_spans,
    live_question,
    render_quiz_button,
    render_reply,
    shown_question,
    take_click,
)
from ui.views.citations import citation_label, render_context
from ui.views.sidebar import scope_tags
from workspace import Workspace

log = logging.getLogger("notewise.app")
CLOSEST_SHOWN = 3
CURSOR = " ▌"
ASK_AGAIN = "chat_ask_again"  # the button under a question whose reply a cut-off run never wrote


def render_chat(workspace: Callable[[], Workspace]) -> None:
    """The conversation and the chat box. ``workspace`` is called only to answer: the box paints before
    the notes are loaded, and a question asked meanwhile waits for them with a visible status."""
    messages = history.open_messages()  # the URL's chat, as saved (a reload draws it again)
    with chat_quiz(state.current_settings(), workspace) as quiz:
        if clicked := take_click(quiz):  # a choice or the Quiz me button: nothing to stream, so no drawing yet
            _converse(workspace, quiz, clicked, messages)
        if not messages and quiz.active:  # a quiz whose chat holds no turns (saved by an older version)
            _remember(messages, quiz.resume())
        history.save_messages(messages)
        box = st.container()  # the conversation sits above the input box
        with box:
            if not messages:
                st.caption("Ask a question about your notes. Every answer cites the lines it comes from; "
                           "open a citation to read it in context. Say \"quiz me\" to be quizzed.")
            live = live_question(messages, quiz)
            for i, turn in enumerate(messages):
                _render_turn(turn, live=i == live)
            if (unanswered := unanswered_question(messages)) is not None:
                _offer_again(workspace, unanswered, messages)
        typing, button = st.columns([5, 1], vertical_alignment="bottom")
        # "stop": while an answer is being written the box is disabled and its button stops the run, so a
        # second question cannot cut the first one off half-way.
        question = typing.chat_input("Ask your notes…", key="chat_question", submit_mode="stop")
        with button:
            render_quiz_button(quiz)
        if question and question.strip():
            with box:
                with st.chat_message("user"):
                    st.markdown(escape_block(question.strip()))
                quiz_turn = _converse(workspace, quiz, question.strip(), messages)
                history.save_messages(messages)
                if quiz_turn:
                    st.rerun()  # redraw: the question just answered loses its choice buttons


def unanswered_question(messages: list[dict[str, Any]]) -> str | None:
    """The question of a trailing user turn with no reply (a run cut off while answering it: a folder switch
    or a reload), else None. A quiz step is not one: the quiz keeps its own state and shows it again."""
    if messages and messages[-1]["role"] == "user" and not messages[-1].get("quiz"):
        return str(messages[-1]["content"])
    return None


def _offer_again(workspace: Callable[[], Workspace], question: str, messages: list[dict[str, Any]]) -> None:
    """Say that the question was never answered and answer it on request, from the folder open now (the
    reply is labelled with it), rather than on its own: a redraw during a folder switch must not block."""
    if st.session_state.get(ASK_AGAIN):  # clicked in the run before this one
        earlier = history_of(m for m in messages[:-1] if not m.get("quiz"))
        _answer(workspace(), question, earlier, messages)
        history.save_messages(messages)
        return
    folder = Path(state.current_settings().notes_dir).name or str(state.current_settings().notes_dir)
    st.caption(escape_markdown(f"Not answered: the page was interrupted (a folder switch or a reload) before the "
                               f"reply was written. Ask again to answer it from {folder}."))
    st.button("Ask again", key=ASK_AGAIN, icon=":material/replay:")


def _render_turn(turn: dict[str, Any], live: bool = False) -> None:
    with st.chat_message(turn["role"]):
        if isinstance(turn.get("quiz"), Reply):
            render_reply(turn["quiz"], Path(turn["notes_dir"]), live)
        elif turn.get("error"):
            st.error(escape_markdown(turn["error"]))
        elif turn.get("answer") is None:
            st.markdown(escape_block(turn["content"]))
        else:
            render_answer(turn["answer"], Path(turn["notes_dir"]))


def _converse(workspace: Callable[[], Workspace], quiz: ChatQuiz, text: str, messages: list[dict[str, Any]]) -> bool:
    """Show one chat message's turn (``service.turn`` routes it); True when the quiz took it (redraw)."""
    earlier = history_of(m for m in messages if not m.get("quiz"))  # quiz turns are no context for follow-ups
    chat = service.Chat(quiz, earlier, last_spans(messages), shown=shown_question(messages))
    turn = service.turn(chat, text)
    messages.append({"role": "user", "content": text, "quiz": turn.is_quiz_step})
    history.save_messages(messages)  # saved before answering: a reload meanwhile still shows it (and "Ask again")
    for step in turn.steps:
        if isinstance(step, service.NotesQuestion):
            _answer(workspace(), step.text, step.history, messages)
        else:
            _remember(messages, [step])
    return turn.handled_by_quiz


def _remember(messages: list[dict[str, Any]], replies: list[Reply]) -> None:
    notes_dir = str(state.current_settings().notes_dir)
    messages.extend({"role": "assistant", "content": r.text, "quiz": r, "notes_dir": notes_dir} for r in replies)


def _answer(ws: Workspace, question: str, earlier: list[dict[str, str]], messages: list[dict[str, Any]]) -> None:
    with st.chat_message("assistant"):
        holder = st.empty()
        try:
            answer = _stream_into(holder, state.answerer_for(ws), question, earlier)
        except Exception as exc:  # the page shows one line; the terminal keeps the traceback
            log.exception("answering %r failed", question)
            failed = f"Could not answer: {one_line(exc)}"
            messages.append({"role": "assistant", "content": failed, "error": failed})
            holder.error(escape_markdown(failed))
            return
        # Saved before drawing the citations: a rerun may cut this run short at any st call, and a reload
        # ends this session, whose unsaved turns no later run would save.
        messages.append({"role": "assistant", "content": answer.text, "answer": answer,
                         "notes_dir": str(ws.settings.notes_dir)})
        history.save_messages(messages)
        with holder.container():
            render_answer(answer, ws.settings.notes_dir)


def _stream_into(holder: Any, answerer: Answerer, question: str, history: list[dict[str, str]]) -> Answer:
    """Show the text as it arrives (escaped: it quotes the notes), then hand back the finished answer."""
    tags = scope_tags()
    stream = service.ask(answerer, question, history, Scope(tags) if tags else None)
    text = ""
    with st.spinner("Searching your notes…"):
        for piece in stream:
            text += piece
            holder.markdown(escape_block(text) + CURSOR)
    return stream.answer


def render_answer(answer: Answer, notes_dir: Path) -> None:
    """An answer with its numbered citations, or a refusal with the closest passages."""
    if answer.refused:  # why, once; then the closest lines, each opening where it is (not listed twice)
        st.warning(escape_block(answer.text.split("\n" + CLOSEST_HEADER)[0]), icon=":material/search_off:")
        if answer.citations or answer.hits:
            st.caption("Closest in your notes")
        for cite in answer.citations:
            with st.expander(citation_label(cite.n, cite.source, cite.location, cite.heading)):
                render_context(notes_dir, cite.source, cite.start_line, cite.end_line, location=cite.location,
                               quote=cite.quote)
        for hit in answer.hits[:CLOSEST_SHOWN] if not answer.citations else ():
            c = hit.chunk
            location = c.location or f"{c.start_line}-{c.end_line}"
            with st.expander(citation_label(None, c.source, location, c.heading)):
                render_context(notes_dir, c.source, c.start_line, c.end_line, location=location)
    else:
        st.markdown(escape_block(answer.text, vault=is_vault(notes_dir)))
        if answer.citations:
            st.caption("Sources")
        for cite in answer.citations:
            with st.expander(citation_label(cite.n, cite.source, cite.location, cite.heading)):
                render_context(notes_dir, cite.source, cite.start_line, cite.end_line, location=cite.location,
                               quote=cite.quote, linked_from=cite.linked_from)
                if cite.also:
                    st.caption(escape_markdown("Also at " + ", ".join(cite.also_at())))
    if answer.notice:
        st.info(escape_markdown(answer.notice), icon=":material/info:")
