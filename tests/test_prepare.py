"""The notes' quotable lines are embedded once, at ingest, for search and answers alike; kept on disk;
answers never depend on where a vector came from. ``prepare_answers`` fills what an index lacks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from answer import Answerer
from cli import main
from indexing import sync_index
from lines.prepare import prepare_answers, prepare_in_background, quotable_texts
from lines.vectors import LineVectors, forget_cached
from settings import Settings
from store.textvectors import TextVectorCache, as_stored
from workspace import Workspace, open_workspace

NOTES = {
    "kafka.md": "# Kafka\n\n- default message size is 1 mb, 10mb message with custom config\n"
                "- topics are split into partitions\n- brokers keep the partitions\n",
    "s3.md": "# S3\n\ns3 transfer acceleration => use edge location\n"
             "- multipart upload for files over 5 GB, parts upload in parallel\n",
}
QUESTION = "How large can a Kafka message be?"


def _write_notes(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _ask(settings: Settings) -> tuple[str, int]:
    """The answer text, and how many texts the answer had to embed, from a freshly opened workspace."""
    ws = open_workspace(settings)
    forget_cached(ws.embedder)  # as in a new process
    try:
        answerer = Answerer(ws)
        answer = answerer.ask(QUESTION)
        return answer.text, answerer.line_vectors.embedded
    finally:
        ws.close()


def test_an_index_answers_without_embedding_its_lines(tmp_path: Path) -> None:
    notes = _write_notes(tmp_path / "notes")
    settings = Settings(notes_dir=notes, data_dir=tmp_path / "data")
    ws = open_workspace(settings)
    sync_index(ws.index, ws.embedder)  # ingest embeds every line once, for search and for answers
    report = prepare_answers(ws.index, ws.embedder)
    assert report.finished and report.texts > 0 and report.embedded == 0  # nothing left to prepare
    ws.close()

    text, embedded = _ask(settings)
    assert "10mb message" in text
    assert embedded == 0  # no line of the notes (the question itself is retrieval's vector)
    assert _ask(settings) == (text, 0)  # a new process: the same answer, still nothing to embed


@pytest.fixture
def small_index(tmp_path: Path) -> Workspace:
    """A synced, unprepared index of NOTES."""
    ws = open_workspace(Settings(notes_dir=_write_notes(tmp_path / "notes"), data_dir=tmp_path / "data"))
    sync_index(ws.index, ws.embedder)
    yield ws
    ws.close()


def test_an_edit_embeds_only_what_changed_and_forgets_what_left(small_index: Workspace) -> None:
    ws, notes = small_index, small_index.settings.notes_dir
    before = len(ws.index.text_vectors)
    (notes / "kafka.md").write_text(NOTES["kafka.md"].replace("brokers keep the partitions",
                                                              "brokers replicate every partition"))
    (notes / "s3.md").unlink()
    report = sync_index(ws.index, ws.embedder)
    assert report.embedded == 1  # the edited note's one chunk; its unchanged lines keep their vectors
    again = prepare_answers(ws.index, ws.embedder)
    assert again.embedded == 0 and again.dropped > 0  # the removed note's lines are forgotten
    assert len(ws.index.text_vectors) == again.texts < before


def test_quotable_texts_are_the_lines_with_their_heading(small_index: Workspace) -> None:
    texts = quotable_texts(small_index.index.catalog.all_chunks())
    assert "Kafka: - topics are split into partitions" in texts
    assert not any(t.endswith("# Kafka") for t in texts)  # a heading line is no quote: its words lead every line
    assert len(texts) == len(set(texts))


def test_background_preparation_runs_once_per_state_of_the_notes(small_index: Workspace) -> None:
    index = small_index.index
    thread = prepare_in_background(index, small_index.embedder)
    assert thread is not None
    assert prepare_in_background(index, small_index.embedder) in (thread, None)  # while running: the same thread goes round again
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert len(index.text_vectors) == len(quotable_texts(index.catalog.all_chunks()))
    assert prepare_in_background(index, small_index.embedder) is None  # nothing changed since: no work at all
    (small_index.settings.notes_dir / "kafka.md").write_text("# Kafka\n\n- a new line about consumer groups\n")
    sync_index(index, small_index.embedder)
    again = prepare_in_background(index, small_index.embedder)
    assert again is not None
    again.join(timeout=120)
    assert index.text_vectors.has(["Kafka: - a new line about consumer groups"])
    reopened = open_workspace(small_index.settings)  # the app opens a folder again after a failed load
    try:
        assert reopened.index.memo is index.memo  # one memo per folder per process
        assert prepare_in_background(reopened.index, reopened.embedder) is None  # prepared by the first index: not redone
    finally:
        reopened.close()


def test_cli_ingest_prepares_answers_unless_told_not_to(tmp_path: Path) -> None:
    notes = _write_notes(tmp_path / "notes")
    runner = CliRunner()
    skipped = runner.invoke(main, ["ingest", str(notes), "--data-dir", str(tmp_path / "a"), "--no-prepare"])
    assert skipped.exit_code == 0, skipped.output
    assert "Answers prepared" not in skipped.output
    done = runner.invoke(main, ["ingest", str(notes), "--data-dir", str(tmp_path / "b")])
    assert done.exit_code == 0, done.output
    assert "Answers prepared:" in done.output
    assert "%|" not in done.output and "scan:" not in done.output  # progress bars only on a terminal
    again = runner.invoke(main, ["ingest", str(notes), "--data-dir", str(tmp_path / "b"), "--json"])
    report = json.loads(again.output)
    assert report["answer_vectors"]["embedded"] == 0 and report["answer_vectors"]["texts"] > 0


def test_the_vector_cache_round_trips_and_survives_a_bad_path(tmp_path: Path) -> None:
    cache = TextVectorCache(tmp_path / "vectors.sqlite3")
    vectors = np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)
    cache.put(["a", "b", "c"], vectors)
    got = cache.get(["a", "c", "never stored"])
    assert set(got) == {"a", "c"}
    assert np.array_equal(got["c"], as_stored(vectors)[2])
    assert cache.keep_only(["a"]) == 2 and len(cache) == 1
    cache.close()
    assert cache.get(["a"]) == {} and cache.closed

    (tmp_path / "not-a-folder").write_text("x")
    broken = TextVectorCache(tmp_path / "not-a-folder" / "vectors.sqlite3")  # cannot be created
    assert broken.closed and broken.get(["a"]) == {}
    broken.put(["a"], vectors[:1])  # best effort: no error


@pytest.mark.parametrize("texts", [["one line"], ["one line", "one line", "another"]])
def test_line_vectors_come_back_in_order_and_rounded_as_stored(workspace, texts: list[str]) -> None:
    vectors = LineVectors(workspace.embedder, workspace.index.text_vectors)(texts)
    direct = as_stored(workspace.embedder.encode(texts))
    assert np.allclose(vectors, direct, atol=1e-3)
    assert np.array_equal(vectors, as_stored(vectors))


def test_ctrl_c_while_preparing_keeps_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import service.indexing

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(service.indexing, "prepare_answers", interrupted)
    notes = _write_notes(tmp_path / "notes")
    result = CliRunner().invoke(main, ["ingest", str(notes), "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert "Answer preparation stopped" in result.output and "2 new" in result.output
    ws = open_workspace(Settings(notes_dir=notes, data_dir=tmp_path / "data"))
    try:
        assert not ws.index.is_empty() and not ws.index.vectors_missing()
    finally:
        ws.close()
