"""The session's choices (notes folder, backend, top-k), the cached workspace, and keeping the index fresh.

Choices live in ``st.session_state`` under the widget keys; every change is written to the config file
(``settings.save_persisted``) so it survives a restart (a notes folder once it has indexed), except when
the app is exposed beyond this machine. A
typed notes folder is accepted only under the allowed roots (``ui/access.py``). The workspace (embedding model,
index) is opened in the background by ``ui.loading``, once per process, shared by reruns and sessions, so the
page paints first; each run wraps it with the run's settings, waiting for it (with a status) where needed.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import service
from answer import Answerer
from retrieval import Retriever
from settings import DEFAULT_NOTES_DIR, Settings, load_settings, save_persisted
from store import IndexBusy
from ui.access import FolderRefused, allowed_roots, check_folder
from ui.chat import one_line
from ui.indexing import Outcome, progress_fraction, sync_outcome
from ui.loading import SYNC_LOCK_WAIT_S, Loader, any_ready, loader_for, ready_loader
from ui.views.gate import app_is_exposed
from workspace import Workspace

log = logging.getLogger("notewise.app")
SAMPLE_NOTES = "Sample notes (shipped)"
MY_NOTES = "My notes (uploads)"
OTHER_FOLDER = "Another folder"
NOTES_CHOICES = (SAMPLE_NOTES, MY_NOTES, OTHER_FOLDER)
#: How often a waiting run redraws the loading progress; each redraw also lets a click interrupt the run.
LOADING_POLL_S = 0.2
LOADING_LABEL = "Getting your notes ready (the embedding model and the index load once per start)…"


def safe_callback(action: str) -> Callable[[Callable[..., Any]], Callable[..., None]]:
    """Widget callbacks run before the page; a failure becomes a one-line notice, never a traceback."""

    def decorate(func: Callable[..., Any]) -> Callable[..., None]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            try:
                func(*args, **kwargs)
            except Exception as exc:
                log.exception("%s failed", action)
                st.session_state.callback_error = f"{action} failed: {one_line(exc)}"

        return wrapper

    return decorate


def pop_callback_error() -> str | None:
    return st.session_state.pop("callback_error", None)


def init_choices() -> None:
    """Fill the widget keys from the saved settings, once per session."""
    ss = st.session_state
    if ss.get("choices_ready"):
        return
    base = load_settings()
    ss.backend = base.backend
    ss.top_k = base.top_k
    ss.notes_path = ss.accepted_notes_path = str(base.notes_dir)
    if base.notes_dir == DEFAULT_NOTES_DIR:
        ss.notes_choice = SAMPLE_NOTES
    elif base.notes_dir == base.effective_uploads_dir:
        ss.notes_choice = MY_NOTES
    else:
        ss.notes_choice = OTHER_FOLDER
    ss.messages = []
    ss.choices_ready = True


def chosen_notes_dir(base: Settings) -> Path:
    choice = st.session_state.get("notes_choice", SAMPLE_NOTES)
    if choice == MY_NOTES:
        return base.effective_uploads_dir
    if choice == OTHER_FOLDER:
        typed = str(st.session_state.get("notes_path", "")).strip()
        try:  # checked again on every run: a refused path never reaches the index, however it got here
            return check_folder(typed, allowed_roots(base)) if typed else base.notes_dir
        except FolderRefused:
            return base.notes_dir
    return DEFAULT_NOTES_DIR


def chosen_settings() -> Settings:
    """The saved settings with this session's choices applied on top."""
    base = load_settings()
    ss = st.session_state
    return load_settings(notes_dir=chosen_notes_dir(base), backend=ss.get("backend"), top_k=ss.get("top_k"))


def current_settings() -> Settings:
    """The settings the page answers with: the chosen ones, except that while a newly chosen folder indexes
    in the background the folder that answered before keeps answering (:func:`begin_switch`)."""
    chosen = chosen_settings()
    ss = st.session_state
    answering = ss.get(ANSWERING)
    if answering and ss.get(SWITCHING) == str(chosen.notes_dir) != answering:
        return chosen.model_copy(update={"notes_dir": Path(answering)})
    return chosen


ANSWERING = "answering_folder"  # the folder whose index answered last (ready)
ANSWERING_CHOICE = "answering_choice"  # its choice widgets' values, put back by Cancel
SWITCHING = "switching_to"  # the chosen folder indexing in the background, while ANSWERING answers
SWITCH_NOTICE = "switch_notice"


def now_answering(settings: Settings) -> None:
    """Record the folder whose index is ready and answers now; a change from another folder leaves a notice."""
    ss = st.session_state
    folder = str(settings.notes_dir)
    if ss.get(ANSWERING) and ss[ANSWERING] != folder and ss.get(SWITCHING) == folder:
        ss[SWITCH_NOTICE] = (f"The index of {settings.notes_dir.name} is ready: answers now come from {folder}. "
                             f"Earlier answers above came from {Path(ss[ANSWERING]).name}.")
    chosen = str(chosen_settings().notes_dir)
    if ss.get(SWITCHING) == chosen != folder:  # the previous folder answers while the chosen one indexes
        return
    ss[ANSWERING], ss[SWITCHING] = folder, None
    if chosen == folder:  # the widgets' values that choose it, for Cancel
        ss[ANSWERING_CHOICE] = (ss.get("notes_choice"), ss.get("notes_path"), ss.get("accepted_notes_path"))


def begin_switch(chosen: Settings, loader: Loader) -> Loader | None:
    """The loader of a newly chosen folder that indexes in the background while the previous folder (whose
    index is ready) keeps answering; None when the page should wait for ``loader`` (the first start) or it
    is ready."""
    ss = st.session_state
    answering, target = ss.get(ANSWERING), str(chosen.notes_dir)
    if loader.wait(0) or not answering or answering == target:
        return None
    previous = chosen.model_copy(update={"notes_dir": Path(answering)})
    if ready_loader(_index_key(previous)) is None:
        return None
    ss[SWITCHING] = target
    return loader


@safe_callback("Cancelling the indexing")
def cancel_switch(loader: Loader) -> None:
    """Cancel button: stop the new folder's sync at its next safe point and go back to the folder that
    answers (its index was never touched)."""
    loader.cancel()
    ss = st.session_state
    target = ss.get(SWITCHING)
    ss[SWITCHING] = None
    choice, path, accepted = ss.get(ANSWERING_CHOICE) or (SAMPLE_NOTES, "", "")
    ss.notes_choice, ss.notes_path, ss.accepted_notes_path = choice, path or "", accepted or ""
    ss[SWITCH_NOTICE] = (f"Indexing {Path(target).name if target else 'the new folder'} was cancelled; answers "
                         f"still come from {ss.get(ANSWERING)}.")


def loading_label(settings: Settings) -> str:
    """The status line while the page waits for an index: on the first start the model loads too."""
    if any_ready():
        return f"Getting {settings.notes_dir.name} ready: its new and changed notes are being embedded…"
    return LOADING_LABEL


@safe_callback("Saving your choices")
def persist_choices() -> None:
    """Widget callback: save the choices so the next start opens the same way. A notes folder is saved
    only once it has indexed (:func:`sync_index`): a mistyped path never becomes the default that every
    later start and CLI command would fail on; until then the saved folder stays what it was.

    Not when the app is exposed: a visitor's choices stay in their session, the owner's config file is untouched."""
    if app_is_exposed():
        return
    chosen = chosen_settings()
    if str(chosen.notes_dir) not in st.session_state.setdefault("indexed_folders", set()):
        chosen = chosen.model_copy(update={"notes_dir": load_settings().notes_dir})
    save_persisted(chosen)


@safe_callback("Opening the folder")
def choose_folder() -> None:
    """Callback of the folder path box: a folder outside the allowed roots is refused and changes nothing."""
    ss = st.session_state
    try:
        check_folder(str(ss.get("notes_path", "")), allowed_roots(load_settings()))
    except FolderRefused as exc:
        ss.notes_path = ss.get("accepted_notes_path", "")
        ss.folder_refused = str(exc)
        return
    ss.accepted_notes_path = ss.notes_path
    persist_choices()


def _index_key(settings: Settings) -> tuple:
    return (str(settings.index_dir), settings.embed_model, settings.embed_device, settings.embed_batch_size,
            settings.chroma_url, settings.chunk_max_chars, settings.chunk_min_chars)


def start_loading(settings: Settings) -> Loader:
    """Start opening the index in the background (once per process); returns at once."""
    return loader_for(_index_key(settings), settings)


def wait_for_workspace(loader: Loader, settings: Settings, holder: DeltaGenerator | None = None) -> Workspace:
    """The run's workspace; while it loads, a status with a progress bar (in ``holder``, else here) says
    what is happening."""
    if not loader.wait(0):
        holder = holder or st.empty()
        with holder.container(), st.status(loading_label(settings), expanded=True):
            bar = st.progress(*loader.progress())
            while not loader.wait(LOADING_POLL_S):
                bar.progress(*loader.progress())
        holder.empty()
    shared = loader.workspace()
    return Workspace(settings, shared.embedder, shared.index, Retriever(shared.index, shared.embedder, settings))


@st.cache_resource(show_spinner=False, max_entries=8)
def _answerer_cached(index_dir: str, settings_json: str, _ws: Workspace) -> Answerer:
    """One answerer per index and settings: it keeps the backend (a loaded model) and its line vectors."""
    return Answerer(_ws, backend=_ws.settings.backend)


def answerer_for(ws: Workspace) -> Answerer:
    return _answerer_cached(str(ws.index.dir), ws.settings.model_dump_json(), ws)


def request_sync() -> None:
    st.session_state.force_sync = True


def sync_index(ws: Workspace, loader: Loader) -> Outcome | None:
    """Bring the index in line with the notes folder, with a progress bar: once per session, and on request.

    The first session of a process shows the sync the loader did in the background. Incremental:
    unchanged files are only stat'ed, so this is cheap on a warm index."""
    ss = st.session_state
    synced: set[str] = ss.setdefault("synced", set())
    key = str(ws.index.dir)
    forced = bool(ss.get("force_sync"))
    if key in synced and not forced:
        return None
    ss.force_sync = False
    claimed, outcome = loader.claim_outcome()  # claimed even when forced: a later session must not show it
    if claimed and not forced:
        synced.add(key)
        _indexed(ws)
        return outcome
    bar = st.progress(0.0, text="Checking your notes for changes…")
    try:
        result = service.sync(ws, lambda stage, done, total: bar.progress(*progress_fraction(stage, done, total)),
                              background=True, lock_timeout=SYNC_LOCK_WAIT_S)
    except IndexBusy as exc:
        return Outcome("info", str(exc))
    finally:
        bar.empty()
    synced.add(key)
    _indexed(ws)
    return sync_outcome(result.report, ws.index.is_empty(), str(ws.settings.notes_dir))


def _indexed(ws: Workspace) -> None:
    """A folder whose index holds notes may become the saved default: saved now if it is the one chosen."""
    if ws.index.is_empty():
        return
    folders: set[str] = st.session_state.setdefault("indexed_folders", set())
    folder = str(ws.settings.notes_dir)
    if folder not in folders:
        folders.add(folder)
        if folder != str(load_settings().notes_dir) and folder == str(current_settings().notes_dir):
            persist_choices()
