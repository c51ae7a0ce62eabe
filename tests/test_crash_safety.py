"""Crash safety with real processes: kill -9 midway, two ingests at once, a damaged data folder.

One scenario runs once per module: index a small folder; add a large one; start a real ``cli.py ingest``
and, once it has written vectors, freeze it (SIGSTOP) so a second ingest meets the lock, then kill -9 it.
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from indexing import SyncReport, sync_index
from settings import PROJECT_ROOT, Settings
from workspace import open_workspace

pytestmark = pytest.mark.slow

BASE_NOTE = "# Raft\n\nRaft elects a leader with randomized election timeouts between 150 and 300 ms.\n"
QUESTION = "How does Raft elect a leader?"
WORDS = ["queue", "stream", "shard", "replica", "bucket", "lambda", "index", "cache", "region", "zone", "topic", "broker", "ledger", "vault", "gateway", "tensor", "kernel", "socket", "packet", "cipher"]


def write_big_folder(notes: Path, files: int = 40, sections: int = 12) -> int:
    """``files`` notes of ``sections`` distinct paragraphs each (one chunk per section): two embedding
    batches of 256 on CPU, so the ingest can be stopped after the first. Returns the number of chunks."""
    rng = random.Random(7)
    for f in range(files):
        parts = [f"## Topic {f}-{s}\n\n" + " ".join(rng.choice(WORDS) for _ in range(55)) + f" ({f}.{s})\n"
                 for s in range(sections)]
        (notes / "bulk" / f"bulk-{f:03}.md").write_text("\n".join(parts))
    return files * sections


def cli(*args: str) -> list[str]:
    return [sys.executable, str(PROJECT_ROOT / "cli.py"), *args]


def start_on_a_terminal(command: list[str]) -> tuple[subprocess.Popen, int]:
    """Start ``command`` with its stderr on a pseudo-terminal, as a person's shell runs it (the CLI draws
    its progress bars on a terminal only); returns the process and the terminal's reading end."""
    reader, writer = os.openpty()
    fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))  # a new one is 0 columns wide
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=writer, cwd=PROJECT_ROOT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})  # progress bars arrive as drawn
    os.close(writer)
    return process, reader


def wait_for_vectors_written(process: subprocess.Popen, terminal: int, timeout: float = 300) -> str:
    """Read the ingest's progress bars until at least one batch of vectors is stored; returns stderr so far."""
    seen = bytearray()
    done = threading.Event()

    def pump() -> None:
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the terminal closes (EIO) when the process ends
                break
            if not chunk:
                break
            seen.extend(chunk)
            if re.search(rb"embed:[^\r\n]*\| *[1-9]\d*/\d+", seen):
                done.set()
        done.set()

    threading.Thread(target=pump, daemon=True).start()
    if not done.wait(timeout) or process.poll() is not None:
        process.kill()
        pytest.fail(f"ingest never reached the embed stage: {seen.decode(errors='replace')[-2000:]}")
    return seen.decode(errors="replace")


@dataclass
class Crash:
    settings: Settings
    before: list[tuple[str, int, int]]  # (source, start, end) of the hits before the crash
    expected_chunks: int
    second_ingest: subprocess.CompletedProcess
    exit_signal: int


@pytest.fixture(scope="module")
def crash(tmp_path_factory: pytest.TempPathFactory) -> Crash:
    root = tmp_path_factory.mktemp("crash")
    notes = root / "notes"
    (notes / "bulk").mkdir(parents=True)
    (notes / "raft.md").write_text(BASE_NOTE)
    settings = Settings(notes_dir=notes, data_dir=root / "data")
    ws = open_workspace(settings)
    sync_index(ws.index, ws.embedder)
    before = [(h.chunk.source, h.chunk.start_line, h.chunk.end_line) for h in ws.retriever.search(QUESTION, 3).hits]
    ws.close()

    bulk_chunks = write_big_folder(notes)
    first, terminal = start_on_a_terminal(cli("ingest", str(notes), "--data-dir", str(settings.data_dir)))
    try:
        wait_for_vectors_written(first, terminal)
        os.kill(first.pid, signal.SIGSTOP)  # frozen mid-embed, still holding the lock
        second = subprocess.run(cli("ingest", str(notes), "--data-dir", str(settings.data_dir)),
                                capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=60)
    return Crash(settings, before, bulk_chunks + 1, second, -first.returncode)


def test_second_ingest_is_refused_with_a_clear_message(crash: Crash) -> None:
    assert crash.second_ingest.returncode == 1
    lines = crash.second_ingest.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: Another ingest is running on this index")
    assert "wait for it to finish and try again" in lines[-1]


def test_killed_ingest_leaves_the_previous_index_answering(crash: Crash) -> None:
    assert crash.exit_signal == signal.SIGKILL
    ws = open_workspace(crash.settings)
    try:
        files, chunks = ws.index.catalog.count()
        assert (files, chunks) == (1, 1)  # the catalog is the one from before the crash
        assert len(ws.index.vectors.ids()) > chunks  # the killed ingest had stored vectors: they are ignored
        for mode in ("hybrid", "dense", "lexical"):
            ws.retriever.mode = mode
            hits = [(h.chunk.source, h.chunk.start_line, h.chunk.end_line)
                    for h in ws.retriever.search(QUESTION, 3).hits]
            assert hits == crash.before, mode
    finally:
        ws.close()


def test_rerun_after_the_crash_completes_and_reuses_stored_vectors(crash: Crash) -> None:
    ws = open_workspace(crash.settings)
    try:
        orphans = len(ws.index.vectors.ids()) - 1
        report: SyncReport = sync_index(ws.index, ws.embedder)
        assert report.count("new") == 40 and report.count("unchanged") == 1 and not report.failed
        assert ws.index.catalog.count() == (41, crash.expected_chunks)
        assert report.embedded == crash.expected_chunks - 1 - orphans  # nothing embedded twice
        assert ws.index.vectors.ids() == ws.index.catalog.chunk_ids()
        passage = ws.index.catalog.chunks_of("bulk/bulk-032.md")[7]
        found = ws.retriever.search(passage.text, 1).hits[0].chunk
        assert (found.source, found.start_line, found.end_line) == (passage.source, passage.start_line,
                                                                    passage.end_line)
    finally:
        ws.close()


# ---- a damaged or incompatible data folder -----------------------------------------------------------

def _catalog_path(data_dir: Path) -> Path:
    return next(data_dir.glob("indexes/*/catalog.sqlite3"))


def test_garbage_catalog_is_reported_with_a_one_line_fix(default_settings: Settings) -> None:
    catalog = _catalog_path(default_settings.data_dir)
    for extra in catalog.parent.glob("catalog.sqlite3-*"):
        extra.unlink()
    catalog.write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(main, ["search", "S3", "--data-dir", str(default_settings.data_dir)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "is damaged (file is not a database). Fix: delete the folder" in result.output
    assert "run `python cli.py ingest` to rebuild it" in result.output


def test_schema_from_another_version_is_reported_with_a_one_line_fix(default_settings: Settings) -> None:
    with sqlite3.connect(_catalog_path(default_settings.data_dir)) as db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema'")
    result = CliRunner().invoke(main, ["search", "S3", "--data-dir", str(default_settings.data_dir)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "was written by another Notewise version (schema 99, need 1). Fix: delete that folder" in result.output


def test_following_the_fix_rebuilds_a_working_index(default_settings: Settings) -> None:
    catalog = _catalog_path(default_settings.data_dir)
    catalog.write_bytes(b"garbage")
    broken = CliRunner().invoke(main, ["ingest", "--data-dir", str(default_settings.data_dir)])
    folder = re.search(r"delete the folder (\S+) and", broken.output)
    assert broken.exit_code == 1 and folder, broken.output
    shutil.rmtree(folder.group(1))
    rebuilt = CliRunner().invoke(main, ["search", "S3 bucket versioning", "--data-dir", str(default_settings.data_dir)])
    assert rebuilt.exit_code == 0 and "aws-study-notes.txt:" in rebuilt.output, rebuilt.output


EXIT_WHILE_LOADING = """
import sys, time
from pathlib import Path
from settings import Settings
from ui.loading import loader_for

loader = loader_for("exit-test", Settings(notes_dir=Path(sys.argv[1]), data_dir=Path(sys.argv[2])))
deadline = time.monotonic() + 120
while "passages" not in loader.progress()[1] and not loader.wait(0.05) and time.monotonic() < deadline:
    pass  # until the loader is embedding the notes
print(loader.progress()[1], flush=True)
"""


def test_the_app_process_exits_cleanly_while_a_folder_is_still_indexing(tmp_path: Path) -> None:
    """Closing the app (or ending a test run) while its loader embeds notes in the background stops the
    loader at its next safe point: the process exits with status 0, not an abort from a thread still inside
    the model, logs no failure, and the next ingest completes the index."""
    notes, data = tmp_path / "notes", tmp_path / "data"
    (notes / "bulk").mkdir(parents=True)
    chunks = write_big_folder(notes, files=12)
    done = subprocess.run([sys.executable, "-c", EXIT_WHILE_LOADING, str(notes), str(data)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "terminate called" not in done.stderr
    assert "Opening the index" not in done.stderr, done.stderr[-2000:]  # a stop on exit is not reported as a failure
    rerun = subprocess.run(cli("ingest", str(notes), "--data-dir", str(data)), capture_output=True, text=True,
                           timeout=600, cwd=PROJECT_ROOT)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    settings = Settings(notes_dir=notes, data_dir=data)
    ws = open_workspace(settings)
    try:
        assert ws.index.stats()["chunks"] == chunks
    finally:
        ws.close()
