"""Watch mode: adding, changing and removing notes re-syncs the index, once per burst of changes."""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexing import SyncReport, sync_index
from indexing.watch import NotesWatcher, _Changes
from settings import Settings
from workspace import Workspace, open_workspace

WAIT = 120  # seconds a sync may take on a busy machine; a bound on waiting, not a timing assertion


@pytest.fixture
def watched(notes_dir: Path, tmp_path: Path) -> Iterator[tuple[Workspace, queue.Queue[SyncReport]]]:
    (notes_dir / "first.md").write_text("# EBS\n\nEBS volumes live in one availability zone.\n")
    ws = open_workspace(Settings(notes_dir=notes_dir, data_dir=tmp_path / "data"))
    sync_index(ws.index, ws.embedder)
    reports: queue.Queue[SyncReport] = queue.Queue()
    watcher = NotesWatcher(ws.index, functools.partial(sync_index, ws.index, ws.embedder), reports.put, debounce=0.3)
    watcher.start()
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    yield ws, reports
    watcher.stop()
    thread.join(timeout=WAIT)
    ws.close()


def _statuses(report: SyncReport) -> dict[str, str]:
    return {f.source: f.status for f in report.files if f.status != "unchanged"}


def test_changes_are_synced_and_reported(watched: tuple[Workspace, queue.Queue[SyncReport]], notes_dir: Path) -> None:
    ws, reports = watched
    (notes_dir / "efs.md").write_text("# EFS\n\nEFS is a network file system shared across zones.\n")
    assert _statuses(reports.get(timeout=WAIT)) == {"efs.md": "new"}
    assert ws.retriever.search("shared network file system", 1).hits[0].chunk.source == "efs.md"

    (notes_dir / "first.md").write_text("# EBS\n\nEBS snapshots are stored in S3.\n")
    assert _statuses(reports.get(timeout=WAIT)) == {"first.md": "changed"}

    (notes_dir / "efs.md").unlink()
    assert _statuses(reports.get(timeout=WAIT)) == {"efs.md": "removed"}
    assert set(ws.index.catalog.files()) == {"first.md"}


def test_a_burst_of_changes_is_one_sync(watched: tuple[Workspace, queue.Queue[SyncReport]], notes_dir: Path) -> None:
    _, reports = watched
    for n in range(5):
        (notes_dir / f"burst-{n}.txt").write_text(f"Burst note {n}: SQS long polling waits up to 20 seconds.\n")
    report = reports.get(timeout=WAIT)
    assert _statuses(report) == {f"burst-{n}.txt": "new" for n in range(5)}


def test_only_note_changes_count(notes_dir: Path, tmp_path: Path) -> None:
    data_dir = notes_dir / "index-data"  # even a data folder inside the notes folder is ignored
    changes = _Changes(notes_dir, [data_dir])
    assert changes.relevant(str(notes_dir / "real.md")) and changes.relevant(str(notes_dir / "sub" / "a.pdf"))
    assert changes.relevant(str(notes_dir / "new-folder"))
    for ignored in (notes_dir / ".draft.md", notes_dir / ".git" / "x.md", notes_dir / "photo.png",
                    data_dir / "catalog.sqlite3", tmp_path / "elsewhere.md"):
        assert not changes.relevant(str(ignored)), ignored
