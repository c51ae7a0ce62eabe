"""A hostile notes folder: a FIFO, a character device, decompression bombs (.docx, PDF), a page of a million
paragraphs, a file that spins, beside one good note. Each bad file is skipped with its reason, the good note
is found, and the ingest ends (and lets go of its lock), from the CLI, from a worker thread as the app syncs,
and from `watch`."""

from __future__ import annotations

import functools
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from filelock import FileLock
from samples import bomb_docx, pdf_bomb_bytes

import ingest.chunker
from indexing import SyncReport, sync_index
from indexing.watch import NotesWatcher
from ingest import scan as scan_module
from ingest import scan_folder
from ingest.loaders.text import not_regular, open_regular, read_bytes
from ingest.model import IngestError
from settings import PROJECT_ROOT, Settings
from store.index import NoteIndex
from workspace import shared_embedder

GOOD = "# Kafka\n\nKafka topics are split into partitions; each partition is an ordered log.\n"
HANG_GUARD_S = 300  # a bound on waiting for a hang, never reached by a working ingest even on a loaded machine

#: File -> the start of its reason in the report, with the default limits.
EXPECTED = {
    "pipe.md": "not a regular file (FIFO): skipped without opening it",
    "bomb.docx": "the .docx unpacks to ",
    "bomb.pdf": "page contents unpack to over 30 MB by page 1 (a decompression bomb? raise NOTEWISE_MAX_UNPACKED_BYTES)",
}


def hostile_folder(root: Path) -> Path:
    notes = root / "notes"
    notes.mkdir()
    (notes / "good.md").write_text(GOOD)
    os.mkfifo(notes / "pipe.md")
    bomb_docx(notes / "bomb.docx", 250_000, "x" * 100)  # ~120 KB that declares ~34 MB of XML
    (notes / "bomb.pdf").write_bytes(pdf_bomb_bytes(35_000_000))  # ~70 KB, 35 MB of page contents
    return notes


def sync(index: NoteIndex) -> SyncReport:
    """A sync of ``index`` with this process's model."""
    return sync_index(index, shared_embedder(index.settings))


def statuses(report: SyncReport) -> dict[str, tuple[str, str]]:
    return {f.source: (f.status, f.message) for f in report.files}


def check_report(found: dict[str, tuple[str, str]], expected: dict[str, str]) -> None:
    for source, reason in expected.items():
        status, message = found[source]
        assert status == "failed" and message.startswith(reason), (source, message)
    assert found["good.md"][0] in ("new", "unchanged")


def lock_is_free(index: NoteIndex) -> bool:
    lock = FileLock(index.lock_path, timeout=0)
    lock.acquire()
    lock.release()
    return True


def in_thread(work) -> object:
    """Run ``work`` in a worker thread, as the app and `watch` do; a hang fails the test instead of hanging it."""
    out: queue.Queue = queue.Queue()
    thread = threading.Thread(target=lambda: out.put(work()), daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    assert not thread.is_alive(), "the sync never ended"
    return out.get_nowait()


# ---- non-regular files ---------------------------------------------------------------------------------

def test_a_fifo_is_reported_by_the_scan_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "ok.md").write_text(GOOD)
    files, problems = scan_folder(tmp_path)
    assert [f.source for f in files] == ["ok.md"]
    assert [(p.source, p.reason) for p in problems] == [("pipe.md", "not a regular file (FIFO): skipped without opening it")]
    with pytest.raises(IngestError, match=r"not a regular file \(FIFO\)"):  # put there after the scan: no wait
        read_bytes(tmp_path / "pipe.md")
    with pytest.raises(IngestError, match=r"not a regular file \(FIFO\)"):  # the check on the open descriptor
        open_regular(tmp_path / "pipe.md")


def test_a_character_device_is_never_read() -> None:
    assert not_regular(os.stat("/dev/zero").st_mode) == "not a regular file (character device): skipped without opening it"
    with pytest.raises(IngestError, match=r"character device"):  # /dev/zero never ends
        read_bytes(Path("/dev/zero"))


def device_double(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """``name`` in the notes folder looks like a character device to the scan (making a real one needs root)."""
    real = scan_module._stat
    monkeypatch.setattr(scan_module, "_stat", lambda path: real("/dev/zero") if Path(path).name == name else real(path))


# ---- the hostile folder, three ways -------------------------------------------------------------------

def test_cli_ingest_of_a_hostile_folder_ends_and_names_each_bad_file(tmp_path: Path) -> None:
    notes = hostile_folder(tmp_path)
    data = tmp_path / "data"
    run = subprocess.run([sys.executable, "cli.py", "ingest", str(notes), "--data-dir", str(data)], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=HANG_GUARD_S)
    assert run.returncode == 0, run.stderr
    for source, reason in EXPECTED.items():
        assert f"failed    {source}: {reason}" in run.stdout, run.stdout
    index = NoteIndex(Settings(notes_dir=notes, data_dir=data))
    try:
        assert set(index.catalog.files()) == {"good.md"} and lock_is_free(index)
    finally:
        index.close()


def test_a_sync_in_a_worker_thread_skips_every_bad_file_within_the_budget(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """As the app syncs: off the main thread, where the time budget used to be off."""
    notes = hostile_folder(tmp_path)
    (notes / "device.md").write_text("stands in for a character device")
    device_double(monkeypatch, "device.md")
    (notes / "stuck.txt").write_text("STALL\nthis file makes the splitter spin\n")
    real = ingest.chunker.infer_headings

    def spinning(lines: list[str]):  # stands in for a parser that never finishes on this file
        while lines and lines[0] == "STALL":
            sum(range(1000))
        return real(lines)

    monkeypatch.setattr(ingest.chunker, "infer_headings", spinning)
    index = NoteIndex(Settings(notes_dir=notes, data_dir=tmp_path / "data", file_time_budget_s=5.0))
    try:
        found = statuses(in_thread(functools.partial(sync, index)))
        check_report(found, {**EXPECTED, "device.md": "not a regular file (character device)",
                             "stuck.txt": "reading and splitting the file took over 5 s, so it was skipped"})
        assert set(index.catalog.files()) == {"good.md"} and lock_is_free(index)
        assert statuses(in_thread(functools.partial(sync, index)))["good.md"] == ("unchanged", "")  # and the next sync runs
    finally:
        index.close()


def test_watch_skips_every_bad_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "first.md").write_text("# EBS\n\nEBS volumes live in one availability zone.\n")
    index = NoteIndex(Settings(notes_dir=notes, data_dir=tmp_path / "data"))
    reports: queue.Queue[SyncReport] = queue.Queue()
    watcher = NotesWatcher(index, functools.partial(sync_index, index, shared_embedder(index.settings)), reports.put,
                           debounce=0.3)
    watcher.start()
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        (tmp_path / "staging").mkdir()
        staging = hostile_folder(tmp_path / "staging")
        for path in sorted(staging.iterdir()):
            os.rename(path, notes / path.name)  # a FIFO moves as a FIFO
        found: dict[str, tuple[str, str]] = {}
        while not set(EXPECTED) | {"good.md"} <= set(found):
            found.update(statuses(reports.get(timeout=HANG_GUARD_S)))
        check_report(found, EXPECTED)
    finally:
        watcher.stop()
        thread.join(HANG_GUARD_S)
        index.close()


# ---- expanded-size limits -----------------------------------------------------------------------------

def sync_one(tmp_path: Path, name: str, make, **limits) -> tuple[str, str]:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text(GOOD)
    make(notes / name)
    index = NoteIndex(Settings(notes_dir=notes, data_dir=tmp_path / "data", **limits))
    try:
        found = statuses(sync(index))
        assert found["good.md"][0] == "new"
        return found[name]
    finally:
        index.close()


def test_a_docx_that_expands_past_the_text_limit_is_stopped_there(tmp_path: Path) -> None:
    """Under the unpacked-size limit (so it is parsed) but over the character limit: reading stops there."""
    status = sync_one(tmp_path, "long.docx", lambda p: bomb_docx(p, 5_000), max_text_chars=100_000)
    assert status == ("failed", "text is over 0.1 M characters after extraction, over the 0.1 M limit (a compressed "
                      "or markup file that expands; raise NOTEWISE_MAX_TEXT_CHARS)")


def test_a_web_page_of_many_paragraphs_is_stopped_at_the_line_limit(tmp_path: Path) -> None:
    status = sync_one(tmp_path, "long.html", lambda p: p.write_text("<html><body>" + "<p>a</p>" * 3_000),
                      max_lines=1_000)
    assert status == ("failed", "text is over 1,000 lines after extraction, over the 1,000 limit (a compressed or "
                      "markup file that expands; raise NOTEWISE_MAX_LINES)")


def test_a_plain_note_over_the_text_limits_names_its_size(tmp_path: Path) -> None:
    status = sync_one(tmp_path, "long.txt", lambda p: p.write_text("a line of notes\n" * 2_000), max_lines=1_000)
    assert status == ("failed", "text is 2,001 lines after extraction, over the 1,000 limit (split the file; raise "
                      "NOTEWISE_MAX_LINES)")


def test_two_indexes_keep_their_own_limits(tmp_path: Path) -> None:
    """Limits belong to an index: opening a second one with other settings leaves the first one's alone."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "long.txt").write_text("a line of notes\n" * 2_000)
    strict = NoteIndex(Settings(notes_dir=notes, data_dir=tmp_path / "strict", max_lines=1_000))
    lenient = NoteIndex(Settings(notes_dir=notes, data_dir=tmp_path / "lenient"))  # opened last: the defaults
    try:
        assert statuses(sync(strict))["long.txt"][0] == "failed"
        assert statuses(sync(lenient))["long.txt"][0] == "new"
        assert read_bytes(notes / "long.txt")  # outside any index: the defaults
    finally:
        strict.close()
        lenient.close()
