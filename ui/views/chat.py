"""The Chat tab: streamed answers, conversation memory per session, numbered citations you can open."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import streamlit as st

from answer import Answer, Answerer
from quiz import parse_quiz_request
from ui.chat import history_of, one_line
from ui.text import escape_block, escape_markdown
from ui.views import state
from ui.views.citations import citation_label, render_context
from ui.views.quiz import start_quiz
from workspace import Workspace

log = logging.getLogger("notewise.app")
CLOSEST_SHOWN = 3
CURSOR = " ▌"


def render_chat(ws: Workspace) -> None:
    messages: list[dict[str, Any]] = st.session_state.setdefault("messages", [])
    box = st.container()  # the conversation sits above the input box
    with box:
        if not messages:
            st.caption("Ask a question about your notes. Every answer cites the lines it comes from; "
                       "open a citation to read it in context.")
        for turn in messages:
            _render_turn(turn)
    # "stop": while an answer is being written the box is disabled and its button stops the run, so a
    # second question cannot cut the first one off half-way.
    question = st.chat_input("Ask your notes…", key="chat_question", submit_mode="stop")
    if question and question.strip():
        with box:
            _ask(ws, question.strip(), messages)


def _render_turn(turn: dict[str, Any]) -> None:
    with st.chat_message(turn["role"]):
        if turn.get("answer") is None:
            st.markdown(escape_block(turn["content"]))
        else:
            render_answer(turn["answer"], Path(turn["notes_dir"]))


def _ask(ws: Workspace, question: str, messages: list[dict[str, Any]]) -> None:
    history = history_of(messages)
    with st.chat_message("user"):
        st.markdown(escape_block(question))
    topic = parse_quiz_request(question)
    if topic is not None:
        reply = _quiz_from_chat(ws, topic)
        with st.chat_message("assistant"):
            st.markdown(escape_block(reply))
        messages.append({"role": "user", "content": question})
        messages.append({"role": "assistant", "content": reply})
        return
    with st.chat_message("assistant"):
        holder = st.empty()
        try:
            answer = _stream_into(holder, state.answerer_for(ws), question, history)
        except Exception as exc:  # the page shows one line; the terminal keeps the traceback
            log.exception("answering %r failed", question)
            holder.error(escape_markdown(f"Could not answer: {one_line(exc)}"))
            return
        # Remember the turn before drawing the citations: a rerun may cut this run short at any st call.
        messages.append({"role": "user", "content": question})
        messages.append({"role": "assistant", "content": answer.text, "answer": answer,
                         "notes_dir": str(ws.settings.notes_dir)})
        with holder.container():
            render_answer(answer, ws.settings.notes_dir)


def _quiz_from_chat(ws: Workspace, topic: str) -> str:
    """ "Quiz me on KMS" typed in the chat starts a quiz in the Quiz me tab."""
    try:
        session = start_quiz(ws, topic)
    except ValueError as exc:
        return str(exc)
    about = f" on {topic}" if topic else ""
    return f"Quiz{about} ready: {len(session.questions)} questions. Open the Quiz me tab to answer them."


def _stream_into(holder: Any, answerer: Answerer, question: str, history: list[dict[str, str]]) -> Answer:
    """Show the text as it arrives (escaped: it quotes the notes), then hand back the finished answer."""
    stream = answerer.stream(question, history=history)
    text = ""
    with st.spinner("Searching your notes…"):
        for piece in stream:
            text += piece
            holder.markdown(escape_block(text) + CURSOR)
    return stream.answer


def render_answer(answer: Answer, notes_dir: Path) -> None:
    """An answer with its numbered citations, or a refusal with the closest passages."""
    if answer.refused:
        st.warning(escape_block(answer.text), icon=":material/search_off:")
        if answer.hits:
            st.caption("The closest passages:")
        for hit in answer.hits[:CLOSEST_SHOWN]:
            c = hit.chunk
            location = c.location or f"{c.start_line}-{c.end_line}"
            with st.expander(citation_label(None, c.source, location, c.heading)):
                render_context(notes_dir, c.source, c.start_line, c.end_line, location=location)
    else:
        st.markdown(escape_block(answer.text))
        if answer.citations:
            st.caption("Sources")
        for cite in answer.citations:
            with st.expander(citation_label(cite.n, cite.source, cite.location, cite.heading)):
                render_context(notes_dir, cite.source, cite.start_line, cite.end_line, location=cite.location,
                               quote=cite.quote)
                if cite.also:
                    st.caption(escape_markdown("Also at " + ", ".join(f"{s}:{a}-{b}" for s, a, b in cite.also)))
    if answer.notice:
        st.info(escape_markdown(answer.notice), icon=":material/info:")
