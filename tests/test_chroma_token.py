"""NOTEWISE_CHROMA_TOKEN against a real `chroma run` server behind the tests' authenticating proxy.

The right token indexes and searches; a missing or wrong one is one line from the CLI, not a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from chroma_proxy import ProxyLog, token_proxy

from indexing import sync_index
from settings import load_settings
from workspace import open_workspace

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "nw-test-token-0123"

pytestmark = [pytest.mark.slow, pytest.mark.server]


@pytest.fixture
def guarded(chroma_server: str) -> Iterator[tuple[str, ProxyLog]]:
    with token_proxy(chroma_server, TOKEN) as found:
        yield found


@pytest.fixture
def small_notes(notes_dir: Path) -> Path:
    (notes_dir / "kms.md").write_text("# KMS\nkms : key management service, one key encrypts and decrypts\n")
    (notes_dir / "sqs.txt").write_text("sqs : simple queue service, messages kept 4 days by default\n")
    return notes_dir


def test_the_right_token_indexes_and_searches_through_the_proxy(
        guarded: tuple[str, ProxyLog], small_notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, log = guarded
    monkeypatch.setenv("NOTEWISE_CHROMA_TOKEN", TOKEN)
    ws = open_workspace(load_settings(notes_dir=small_notes, data_dir=tmp_path / "data", chroma_url=url))
    try:
        sync_index(ws.index, ws.embedder)
        hits = ws.retriever.search("Which service manages keys?", 2).hits
    finally:
        ws.close()
    assert hits[0].chunk.source == "kms.md"
    assert log.forwarded > 0 and log.refused == []
    assert not (ws.index.dir / "chroma").exists()  # the vectors went to the server


@pytest.mark.parametrize(("token", "told"), [(None, "requires a token and NOTEWISE_CHROMA_TOKEN is not set"),
                                             ("wrong-token", "refused the token in NOTEWISE_CHROMA_TOKEN")],
                         ids=["missing", "wrong"])
def test_a_missing_or_wrong_token_is_one_line_from_the_cli(
        guarded: tuple[str, ProxyLog], small_notes: Path, tmp_path: Path, token: str | None, told: str) -> None:
    url, log = guarded
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTEWISE_")}
    env.update(NOTEWISE_CHROMA_URL=url, NOTEWISE_DATA_DIR=str(tmp_path / "data"), HF_HUB_OFFLINE="1",
               **({"NOTEWISE_CHROMA_TOKEN": token} if token else {}))
    result = subprocess.run([sys.executable, "cli.py", "search", "key management", "--notes", str(small_notes)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0
    assert len(output.splitlines()) == 1 and "Traceback" not in output, output
    assert f"The Chroma server at {url} {told}" in output and "Set NOTEWISE_CHROMA_TOKEN" in output
    assert log.refused and log.forwarded == 0
