"""Sync: everything an index needs before it answers, in one call for every front end.

An index is ready when it is in line with its notes folder (``indexing.sync_index``) and, with
``settings.prepare_answers`` on, every quotable line has its vector (``lines.prepare``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexing import SyncReport, sync_index
from lines.prepare import PrepareReport, prepare_answers, prepare_in_background
from workspace import Workspace

#: ``(stage, done, total)``: stage is ``scan`` and ``embed`` (the index), then ``answers`` (line vectors).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Synced:
    """What a sync did: the index's report and, when answers were prepared in the call, theirs."""

    report: SyncReport
    prepared: PrepareReport | None = None  # None: not prepared here (setting off, no notes, or in background)
    stopped: bool = False  # Ctrl-C stopped preparing answers; the index itself is complete


def sync(ws: Workspace, progress: Progress | None = None, *, prepare: bool | None = None,
         background: bool = False, interruptible: bool = False, lock_timeout: float = 0.0,
         cancelled: Callable[[], bool] | None = None) -> Synced:
    """Bring ``ws``'s index in line with its notes, then prepare answers.

    ``prepare``: whether to prepare answers (None: ``settings.prepare_answers``); never for an empty index.
    ``background``: prepare in a daemon thread and return at once (the app), else here, reporting stage
    ``answers`` to ``progress``. ``interruptible``: Ctrl-C while preparing ends only that step
    (``stopped``), not the call. ``cancelled``: polled at the index's safe points; once true, the sync raises
    ``SyncCancelled`` and the index stays as it was. Raises ``IndexBusy`` when another sync holds the index
    past ``lock_timeout``."""
    report = sync_index(ws.index, ws.embedder, progress, lock_timeout, cancelled)
    if not (ws.settings.prepare_answers if prepare is None else prepare) or ws.index.is_empty():
        return Synced(report)
    if background:
        prepare_in_background(ws.index, ws.embedder)
        return Synced(report)
    try:
        return Synced(report, _prepare(ws, progress))
    except KeyboardInterrupt:
        if not interruptible:
            raise
        return Synced(report, stopped=True)


def _prepare(ws: Workspace, progress: Progress | None) -> PrepareReport:
    if progress is None:
        return prepare_answers(ws.index, ws.embedder)
    return prepare_answers(ws.index, ws.embedder, progress=lambda done, total: progress("answers", done, total))


def needs_sync(ws: Workspace) -> bool:
    """True when the index cannot answer yet: it holds no notes, or lacks their vectors."""
    return ws.index.is_empty() or ws.index.vectors_missing()
