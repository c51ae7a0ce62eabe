"""Notewise, the Streamlit app: chat with your notes, find in them, quiz yourself.

Run with ``streamlit run app.py`` (or ``make run``). This file only lays the page out; what it shows is
computed in ``ui/`` (view models) and drawn by ``ui/views/``.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from answer import BACKENDS, backend_status
from ui.chat import one_line
from ui.text import escape_markdown
from ui.views import chat, find, gate, history, quiz, sidebar, state, switching
from workspace import DataFolderError, check_data_dir

log = logging.getLogger("notewise.app")

st.set_page_config(page_title="Notewise", page_icon="📘", layout="wide")


TABS = [":material/chat: Chat", ":material/search: Find in notes", ":material/quiz: Quiz me"]


def main() -> None:
    if not gate.page_allowed():  # exposed beyond this machine: the password box, nothing else
        return
    state.init_choices()
    facts_box = sidebar.render_settings(BACKENDS, backend_status)
    _page(facts_box)
    with st.sidebar:  # last: it lists the chat this run may just have saved
        history.render_chat_list()


def _page(facts_box: DeltaGenerator) -> None:
    st.title(":material/menu_book: Notewise")
    # Everything that comes and goes (spinner, progress, notices) lives in this one box, so the tabs keep
    # their place from run to run and Streamlit never shows a stale copy of them beside the new one.
    notices = st.container()
    if failed := state.pop_callback_error():
        notices.error(escape_markdown(failed))
    settings = state.chosen_settings()
    try:
        check_data_dir(settings.data_dir)
    except DataFolderError as exc:  # one line; nothing below could open an index there
        notices.error(escape_markdown(str(exc)))
        return
    if not settings.notes_dir.is_dir():
        notices.warning(escape_markdown(f"The notes folder {settings.notes_dir} does not exist. Pick another "
                                        "folder in the sidebar, or upload notes to start your own."))
        return
    # First paint first: the tabs and the chat box are drawn before anything loads; the embedding model
    # and the index load in the background, and the page waits for them only where it needs them.
    # The loading status's slot is drawn now: on a rerun it replaces the previous run's status at once.
    loading_slot = notices.empty()
    body = st.empty()  # taken down again below if the folder turns out to have no notes
    with body.container():
        chat_tab, find_tab, quiz_tab = st.tabs(TABS)
    loader = state.start_loading(settings)
    if (indexing := state.begin_switch(settings, loader)) is not None:  # the previous folder answers meanwhile
        chosen, settings = settings, state.current_settings()
        loader = state.start_loading(settings)
        with notices:
            switching.render_progress(indexing, chosen, settings)
    with chat_tab:
        st.caption(escape_markdown(f"Notes: {settings.notes_dir.name} ({settings.notes_dir})"))
        chat.render_chat(lambda: state.wait_for_workspace(loader, settings))
    with notices:
        ws = state.wait_for_workspace(loader, settings, loading_slot)
        state.now_answering(settings)
        if switched := st.session_state.pop(state.SWITCH_NOTICE, None):
            st.success(escape_markdown(switched), icon=":material/swap_horiz:")
        outcome = state.sync_index(ws, loader)
    sidebar.render_index_facts(facts_box, ws)
    if ws.index.is_empty():
        body.empty()
        notices.info(escape_markdown(outcome.text if outcome else
                                     f"No notes to answer from in {settings.notes_dir}. Add .txt or .md files, "
                                     "or upload notes in the sidebar, then press Re-index."))
        return
    if outcome is not None:
        if outcome.level == "warning":
            notices.warning(escape_markdown(outcome.text))
        else:
            st.toast(escape_markdown(outcome.text))
    with find_tab:
        find.render_find(ws)
    with quiz_tab:
        quiz.render_quiz(ws)


try:
    main()
except Exception as exc:  # no traceback ever reaches the page; the terminal keeps it
    log.exception("Notewise page failed")
    st.error(escape_markdown(f"Something went wrong: {one_line(exc)}. Details are in the terminal running "
                             "Notewise."))
