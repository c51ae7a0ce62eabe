"""Watch mode: re-sync the index when files in the notes folder change (watchdog), debounced.

Editors save in bursts (temp file, rename, touch), and a folder copy is hundreds of events, so a sync runs
only once the folder has been quiet for ``debounce`` seconds. Syncs are incremental: only the changed files
are read and embedded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ingest.loaders import LOADERS
from ingest.scan import SKIP_DIRS
from store.index import IndexBusy, NoteIndex

Synced = TypeVar("Synced")


class _Changes(FileSystemEventHandler):
    """Notes the time of the last event that could change the index."""

    def __init__(self, notes_dir: Path, ignored: list[Path]) -> None:
        self.notes_dir = notes_dir
        self.ignored = ignored
        self.last_event = 0.0
        self.pending = threading.Event()

    def relevant(self, raw_path: str | bytes) -> bool:
        path = Path(raw_path if isinstance(raw_path, str) else raw_path.decode(errors="replace"))
        if any(path.is_relative_to(d) for d in self.ignored) or not path.is_relative_to(self.notes_dir):
            return False
        parts = path.relative_to(self.notes_dir).parts
        if any(p.startswith(".") or p in SKIP_DIRS for p in parts):
            return False
        return path.suffix.lower() in LOADERS or not path.suffix  # a note, or (likely) a folder

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
        if any(self.relevant(p) for p in paths):
            self.last_event = time.monotonic()
            self.pending.set()


class NotesWatcher(Generic[Synced]):
    """Keeps ``index`` in step with its notes folder until :meth:`stop` is called.

    Each re-sync calls ``sync(lock_timeout=...)`` (``indexing.sync_index`` of the index, or the service's
    sync, which prepares answers too) and hands what it returns to ``on_report``."""

    def __init__(self, index: NoteIndex, sync: Callable[..., Synced], on_report: Callable[[Synced], None],
                 on_error: Callable[[str], None] | None = None, debounce: float = 1.0, poll: bool = False) -> None:
        self.index = index
        self.on_report = on_report
        self.sync = sync
        self.on_error = on_error or (lambda _message: None)
        self.debounce = debounce
        self.changes = _Changes(index.notes_dir, [index.settings.data_dir])
        self.observer = PollingObserver(timeout=1.0) if poll else Observer()
        self._stopped = threading.Event()

    def start(self) -> None:
        self.observer.schedule(self.changes, str(self.index.notes_dir), recursive=True)
        self.observer.start()

    def stop(self) -> None:
        self._stopped.set()
        self.changes.pending.set()  # wake the loop
        self.observer.stop()
        self.observer.join(timeout=5)

    def run(self) -> None:
        """Sync after each quiet spell until stopped. Call :meth:`start` first."""
        while not self._stopped.is_set():
            self.changes.pending.wait()
            if self._stopped.is_set():
                return
            while (quiet := time.monotonic() - self.changes.last_event) < self.debounce:
                time.sleep(self.debounce - quiet)
            self.changes.pending.clear()
            self._sync_once()

    def _sync_once(self) -> None:
        try:
            self.on_report(self.sync(lock_timeout=30.0))
        except IndexBusy as exc:  # another ingest holds the lock: try again after the next quiet spell
            self.on_error(str(exc))
            self.changes.last_event = time.monotonic()
            self.changes.pending.set()
        except (OSError, RuntimeError) as exc:  # e.g. the notes folder was removed; keep watching
            self.on_error(f"sync failed: {exc}")
