"""First paint first: the app draws its page and chat box before any model loads, and loads in the background.

The start path is checked in a fresh interpreter (this test process has long imported torch): the app runs
under AppTest with the loader stopped before it opens anything, so whatever heavy library is in
``sys.modules`` afterwards came from drawing the page.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from settings import Settings
from ui import loading
from ui.loading import Loader, loader_for
from workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "sentence_transformers", "transformers", "chromadb", "langchain_core", "langchain_openai",
         "llama_cpp")
FIRST_PAINT = f"""
import json, sys
from streamlit.testing.v1 import AppTest
import ui.loading

def stopped(settings):
    raise RuntimeError("stopped before loading")

ui.loading.open_workspace = stopped
at = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=120).run()
print(json.dumps({{"chat_boxes": len(at.chat_input), "tabs": len(at.tabs),
                   "errors": [e.value for e in at.error],
                   "heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def test_the_chat_box_paints_without_importing_torch_chromadb_or_langchain(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", FIRST_PAINT], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    page = json.loads(done.stdout.strip().splitlines()[-1])
    assert page["chat_boxes"] == 1 and page["tabs"] == 3, page  # drawn before the loader could say anything
    assert any("stopped before loading" in e for e in page["errors"])  # the failure still reaches the page
    assert page["heavy"] == []


def kms_notes(tmp_path: Path) -> Settings:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "kms.md").write_text("# KMS\nkms : key management service, one key encrypts and decrypts\n")
    # No answer preparation: its background thread would still read the index these tests close.
    return Settings(notes_dir=notes, data_dir=tmp_path / "data", prepare_answers=False)


def test_loader_reports_progress_until_ready_then_hands_out_its_sync_once(tmp_path: Path) -> None:
    settings = kms_notes(tmp_path)
    gate = threading.Event()

    def slow_open(s: Settings) -> Workspace:
        gate.wait(60)
        return open_workspace(s)

    loader = Loader(settings, slow_open)
    assert not loader.wait(0.2)
    assert loader.progress() == (0.0, "Opening the index…")
    gate.set()
    ws = loader.workspace()
    try:
        assert loader.wait(0) and ws.retriever.search("key management").hits
        claimed, outcome = loader.claim_outcome()
        assert claimed and outcome is not None and "1 new" in outcome.text
        assert loader.claim_outcome() == (False, None)  # a later session syncs for itself
    finally:
        ws.close()


def test_a_failed_load_is_reported_and_retried_on_the_next_call(tmp_path: Path) -> None:
    settings = kms_notes(tmp_path)

    def broken(s: Settings) -> Workspace:
        raise OSError("disk unplugged")

    first = loader_for(("test", str(tmp_path)), settings, broken)
    with pytest.raises(OSError, match="disk unplugged"):
        first.workspace()
    again = loader_for(("test", str(tmp_path)), settings)
    assert again is not first
    ws = again.workspace()
    try:
        assert ws.index.stats()["files"] == 1
    finally:
        ws.close()


def test_a_stale_loader_report_is_not_shown_later_sessions_check_for_themselves(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(loading, "FRESH_OUTCOME_S", 0.0)
    loader = Loader(kms_notes(tmp_path))
    ws = loader.workspace()
    try:
        time.sleep(0.01)
        assert loader.claim_outcome() == (False, None)
    finally:
        ws.close()
