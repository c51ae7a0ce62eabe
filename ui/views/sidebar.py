"""The sidebar: notes folder, uploads, re-index, index facts, backend with live status, top-k (the saved chats follow: ui/views/history.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ingest import supported_suffixes
from retrieval.scope import known_tags
from settings import Settings
from ui.indexing import index_facts
from ui.text import escape_markdown
from ui.uploads import UploadError, save_upload
from ui.views import state
from workspace import Workspace

StatusCheck = Callable[[Settings, str], tuple[bool, str]]
MAX_TOP_K = 20
UPLOADER = "uploads"
UPLOADER_ROUND = "uploads_round"


SCOPE_TAGS_KEY = "scope_tags"


def render_settings(backends: Sequence[str], status_check: StatusCheck | None) -> DeltaGenerator:
    """Draw the controls; returns the box where :func:`render_index_facts` fills in the index facts."""
    with st.sidebar:
        st.header("Notes")
        st.radio("Notes folder", state.NOTES_CHOICES, key="notes_choice", on_change=_choose_notes)
        with st.container():  # elements that come and go sit in containers: the rest keeps its place
            if st.session_state.get("notes_choice") == state.OTHER_FOLDER:
                st.text_input("Folder path", key="notes_path", on_change=state.choose_folder)
                if refused := st.session_state.pop("folder_refused", None):
                    st.error(escape_markdown(refused))
        settings = state.chosen_settings()
        st.caption(escape_markdown(str(settings.notes_dir)))
        st.file_uploader("Add notes", type=[s.lstrip(".") for s in supported_suffixes()],
                         accept_multiple_files=True, key=_uploader_key(), on_change=_save_uploads,
                         help="Saved into your own notes folder (never over an existing file) and indexed.")
        with st.container():
            for level, text in st.session_state.pop("upload_messages", []):
                getattr(st, level)(escape_markdown(text))
        st.button("Re-index", on_click=state.request_sync, help="Pick up added, changed or removed notes.")
        facts = st.container()
        st.header("Answers")
        if st.session_state.get("backend") not in backends:
            st.session_state.backend = backends[0]
        st.selectbox("Backend", backends, key="backend", on_change=state.persist_choices)
        with st.container():
            if status_check is not None:
                _render_backend_status(settings, status_check)
        st.slider("Passages per answer (top-k)", 1, MAX_TOP_K, key="top_k", on_change=state.persist_choices)
    return facts


def _uploader_key() -> str:
    """The uploader's widget key: a new one empties its list (Streamlit lets no code clear it otherwise)."""
    return f"{UPLOADER}_{st.session_state.get(UPLOADER_ROUND, 0)}"


def _choose_notes() -> None:
    """Notes folder radio: save the choice; leaving "My notes" empties the uploader's list of files (they
    were saved into that folder, and the list would read as if they belonged to the folder now chosen)."""
    if st.session_state.get("notes_choice") != state.MY_NOTES:
        st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
    state.persist_choices()


def render_index_facts(box: DeltaGenerator, ws: Workspace) -> None:
    with box:
        facts = index_facts(ws)
        st.caption(" · ".join(escape_markdown(f"{name}: {value}") for name, value in facts.items()))
        tags = known_tags(ws.index.catalog)
        if tags:  # an Obsidian vault's tags, as chips: answers come from the notes of the chosen ones
            chosen = st.session_state.get(SCOPE_TAGS_KEY) or []
            st.session_state[SCOPE_TAGS_KEY] = [t for t in chosen if t in tags]  # another folder's tags go
            st.pills("Only notes tagged", tags, selection_mode="multi", key=SCOPE_TAGS_KEY,
                     help="Answers come from the notes with every chosen tag (as #tag in a question does).")


def scope_tags() -> tuple[str, ...]:
    """The tags chosen with the sidebar's chips (empty: every note)."""
    return tuple(st.session_state.get(SCOPE_TAGS_KEY) or ())


def _render_backend_status(settings: Settings, status_check: StatusCheck) -> None:
    name = settings.backend
    reachable, message = _cached_status(name, settings.openai_base_url, settings.openai_model,
                                        settings.local_model_path, _settings=settings, _check=status_check)
    if reachable:
        st.success(escape_markdown(message), icon=":material/check_circle:")
    else:
        st.warning(escape_markdown(f"{message} Answers fall back to quoting your notes (extractive)."),
                   icon=":material/cloud_off:")


@st.cache_data(ttl=15, show_spinner=False)
def _cached_status(name: str, base_url: str, model: str, local_path: str | None, *, _settings: Settings,
                   _check: StatusCheck) -> tuple[bool, str]:
    """Backend reachability, rechecked at most every 15 s (a check may be a network round trip)."""
    try:
        return _check(_settings, name)
    except Exception as exc:  # a status check must never break the page
        return False, f"Status unknown ({type(exc).__name__}: {exc})."


@state.safe_callback("Saving the upload")
def _save_uploads() -> None:
    """Uploader callback: save each new file into the uploads folder, then answer from that folder.

    Each upload is handled once (by its file id): the uploader keeps its files listed, and a rerun or
    removing one file from the list must not save the others again."""
    settings = state.current_settings()
    folder = settings.effective_uploads_dir
    handled: set[str] = st.session_state.setdefault("uploads_handled", set())
    messages: list[tuple[str, str]] = []
    saved_any = False
    for upload in st.session_state.get(_uploader_key()) or []:
        if upload.file_id in handled:
            continue
        handled.add(upload.file_id)
        try:
            saved = save_upload(folder, upload.name, upload.getvalue(), supported_suffixes(),
                                settings.max_file_bytes)
        except UploadError as exc:
            messages.append(("error", str(exc)))
            continue
        saved_any = True
        messages.append(("success", saved.message))
    if saved_any:
        st.session_state.notes_choice = state.MY_NOTES
        messages.append(("info", f"Answering from your notes folder {folder}."))
        state.persist_choices()
        state.request_sync()
    if messages:
        st.session_state.upload_messages = messages

