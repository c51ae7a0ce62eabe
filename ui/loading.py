"""Opening a notes folder in the background, so the app paints its page before any model loads.

A :class:`Loader` opens the workspace (the catalog and Chroma), loads the question encoder (ONNX Runtime
where the model has been exported, else the torch model) and brings the index in line with the notes
folder, in a daemon thread; once the index is ready, a start that found no ONNX export writes one for the
next start (``embed/onnx_export.py``); the page asks it how far it got (``progress``)
and waits for it only where it needs the index. One loader per index per process (:func:`loader_for`),
shared by reruns and browser sessions; a loader that failed is replaced on the next call, so a fixed
problem (a freed lock, a repaired folder) needs only a reload of the page.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Hashable

import service
from embed import Embedder
from embed.embedder import EXIT_WAIT_S
from embed.onnx_export import export_for
from settings import Settings
from store import IndexBusy
from ui.indexing import Outcome, SyncProgress, sync_outcome
from workspace import Workspace, open_workspace

log = logging.getLogger("notewise.app")
#: How long a sync waits for another sync of the same index (a click starts a new run while the previous
#: one is still stopping, so a short wait is the normal case, not a conflict).
SYNC_LOCK_WAIT_S = 120.0
MAX_LOADERS = 8  # open indexes kept per process (one per notes folder and model)
#: A loader's sync report is shown only this soon after it finished; a session that comes later checks the
#: notes itself (they may have changed since).
FRESH_OUTCOME_S = 60.0

Opener = Callable[[Settings], Workspace]


class Loader:
    """Opens, loads and syncs one index in a daemon thread; every method is safe from any thread."""

    def __init__(self, settings: Settings, opener: Opener | None = None) -> None:
        self.settings = settings
        self._opener = opener or open_workspace
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._progress = (0.0, "Opening the index…")
        self._workspace: Workspace | None = None
        self._error: Exception | None = None
        self._outcome: Outcome | None = None
        self._outcome_claimed = False
        self._finished_at = 0.0
        self._cancel = threading.Event()
        self._counts: SyncProgress | None = None  # the sync's counts, once it has begun
        self.export_thread: threading.Thread | None = None  # writing the ONNX query encoder, when it had none
        self._thread = threading.Thread(target=self._run, name="notewise-loader", daemon=True)
        self._thread.start()

    def _set(self, fraction: float, text: str) -> None:
        with self._lock:
            self._progress = (fraction, text)

    def _run(self) -> None:
        ws: Workspace | None = None
        try:
            ws = self._opener(self.settings)
            self._set(0.0, "Loading the embedding model…")
            warm_up(ws.embedder)  # here, not on the first question
            self._set(0.0, "Checking your notes for changes…")
            self._outcome = self._sync(ws)
            self._workspace = ws
        except Exception as exc:  # handed to the page by workspace(); the terminal keeps the traceback
            if self.cancelled:  # the app is closing (an import then fails too), or a new run replaced this one
                log.info("Loading %s stopped before its commit (%s); the index is as it was",
                         self.settings.notes_dir, type(exc).__name__)
            else:
                log.exception("Opening the index of %s failed", self.settings.notes_dir)
            self._error = exc
            if ws is not None:  # the next call opens it afresh
                with contextlib.suppress(Exception):
                    ws.close()
        finally:
            self._finished_at = time.monotonic()
            self._done.set()
        if self._workspace is not None:  # after the index is ready: the first answer does not wait for it
            # Not a daemon: an interpreter that exits mid-export (Ctrl-C, the end of a test run) waits the few
            # seconds it takes, where killing torch's tracer threads aborts the process.
            self.export_thread = threading.Thread(target=export_for, args=(self._workspace.embedder,),
                                                  name="notewise-onnx-export")
            self.export_thread.start()

    def _sync(self, ws: Workspace) -> Outcome:
        try:
            counts = SyncProgress(time.monotonic())
            with self._lock:
                self._counts = counts
            synced = service.sync(ws, self._count, background=True, lock_timeout=SYNC_LOCK_WAIT_S,
                                  cancelled=self._cancel.is_set)
        except IndexBusy as exc:
            return Outcome("info", str(exc))
        return sync_outcome(synced.report, ws.index.is_empty(), str(ws.settings.notes_dir))

    def _count(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            if self._counts is not None:
                self._counts.update(stage, done, total, time.monotonic())

    def progress(self) -> tuple[float, str]:
        """Where loading stands: a fraction for a progress bar (0..1) and what it is doing (during the sync:
        files read and passages embedded out of their totals, and the time left)."""
        with self._lock:
            if self._counts is not None and self._counts.files_total:
                return self._counts.fraction(), self._counts.text(time.monotonic())
            return self._progress

    def cancel(self) -> None:
        """Stop the sync at its next safe point (``indexing.sync_index``'s ``cancelled``): the index stays as it was."""
        self._cancel.set()

    def join(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the loading thread to end."""
        self._thread.join(timeout)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def ready(self) -> bool:
        """Loaded without error: its workspace answers at once."""
        return self._done.is_set() and self._error is None

    def wait(self, timeout: float | None = None) -> bool:
        """True once loading has finished (or failed); waits up to ``timeout`` seconds for it."""
        return self._done.wait(timeout)

    @property
    def failed(self) -> bool:
        return self._done.is_set() and self._error is not None

    def workspace(self) -> Workspace:
        """The opened workspace (waits for it); raises what stopped loading, if anything did."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._workspace is not None
        return self._workspace

    def claim_outcome(self) -> tuple[bool, Outcome | None]:
        """The loader's own sync report, handed out once and only while fresh: the session that started
        the loader shows it; later ones sync for themselves (a cheap check of unchanged files)."""
        self._done.wait()
        with self._lock:
            fresh = time.monotonic() - self._finished_at <= FRESH_OUTCOME_S
            if self._outcome_claimed or self._error is not None or not fresh:
                return False, None
            self._outcome_claimed = True
            return True, self._outcome


def warm_up(embedder: Embedder) -> None:
    """Load what encodes the first question: the ONNX query encoder (and run it once: its first call sets
    up the session's buffers), or the torch model where there is no ONNX file or on a GPU."""
    light = embedder.query_encoder()
    if light is not None:
        light.encode("warm up")
    else:
        _ = embedder.model


def ready_loader(key: Hashable) -> Loader | None:
    """The loader of ``key`` if it has finished without error; never starts one."""
    with _REGISTRY_LOCK:
        loader = _LOADERS.get(key)
    return loader if loader is not None and loader.ready else None


def any_ready() -> bool:
    """Whether some index finished loading in this process (the embedding model is then loaded)."""
    with _REGISTRY_LOCK:
        return any(loader.ready for loader in _LOADERS.values())


_LOADERS: dict[Hashable, Loader] = {}
_REGISTRY_LOCK = threading.Lock()


def loader_for(key: Hashable, settings: Settings, opener: Opener | None = None) -> Loader:
    """The loader of the index named ``key``, started on first use (and again after a failure)."""
    with _REGISTRY_LOCK:
        loader = _LOADERS.get(key)
        if loader is None or loader.failed or loader.cancelled:
            loader = _LOADERS[key] = Loader(settings, opener)
            while len(_LOADERS) > MAX_LOADERS:
                _LOADERS.pop(next(iter(_LOADERS)))
        return loader


@atexit.register
def _stop_loaders() -> None:
    """Cancel every loader still running and give them, together, :data:`EXIT_WAIT_S` to stop."""
    with _REGISTRY_LOCK:
        loaders = list(_LOADERS.values())
    for loader in loaders:
        loader.cancel()
    deadline = time.monotonic() + EXIT_WAIT_S
    for loader in loaders:
        loader.join(max(0.0, deadline - time.monotonic()))
