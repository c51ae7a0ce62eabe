"""Incremental ingest into a real Chroma in tmp_path with the real packaged model."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing import sync_index
from settings import load_settings
from workspace import open_workspace


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small_notes(notes_dir: Path) -> Path:
    _write(notes_dir, "s3.md", "# S3\n- max object size is 5 TB\n- multipart upload above 5 GB\n\n"
                               "# Glacier\n- archive storage, retrieval takes hours\n")
    _write(notes_dir, "kafka.txt", "$ Kafka : streaming\n- default message size is 1 MB\n- brokers and zookeeper\n")
    return notes_dir


def test_ingest_then_unchanged_reingest_embeds_nothing(small_notes: Path, tmp_path: Path) -> None:
    ws = open_workspace(load_settings(notes_dir=small_notes, data_dir=tmp_path / "d"))
    first = sync_index(ws.index, ws.embedder)
    assert first.count("new") == 2 and first.chunks_added > 0 and first.embedded == first.chunks_added
    again = sync_index(ws.index, ws.embedder)
    assert again.count("unchanged") == 2 and again.embedded == 0 and again.chunks_added == 0
    assert again.chunks_unchanged == first.chunks_added


def test_changed_and_removed_files_update_their_chunks(small_notes: Path, tmp_path: Path) -> None:
    ws = open_workspace(load_settings(notes_dir=small_notes, data_dir=tmp_path / "d"))
    sync_index(ws.index, ws.embedder)
    _write(small_notes, "kafka.txt", "$ Kafka : streaming\n- default message size is 1 MB\n- up to 10 MB with config\n")
    (small_notes / "s3.md").unlink()
    report = sync_index(ws.index, ws.embedder)
    statuses = {f.source: f.status for f in report.files}
    assert statuses == {"kafka.txt": "changed", "s3.md": "removed"}
    assert report.embedded == report.chunks_added >= 1 and report.chunks_removed >= 2
    texts = [c.text for c in ws.index.catalog.all_chunks()]
    assert any("10 MB" in t for t in texts) and not any("Glacier" in t for t in texts)
    hits = ws.retriever.search("maximum object size in S3").hits
    assert all(h.chunk.source == "kafka.txt" for h in hits)  # no vector of a removed file is returned
    assert ws.index.vectors.ids() == ws.index.catalog.chunk_ids()


def test_lines_moved_keep_vectors_and_get_new_line_numbers(small_notes: Path, tmp_path: Path) -> None:
    ws = open_workspace(load_settings(notes_dir=small_notes, data_dir=tmp_path / "d"))
    sync_index(ws.index, ws.embedder)
    original = (small_notes / "kafka.txt").read_text()
    _write(small_notes, "kafka.txt", "\n\n" + original)
    report = sync_index(ws.index, ws.embedder)
    assert report.embedded == 0  # same text, new place: nothing re-embedded
    hit = ws.retriever.search("kafka default message size", k=1).hits[0]
    assert (hit.chunk.source, hit.chunk.start_line) == ("kafka.txt", 3)


def test_two_notes_folders_never_mix(small_notes: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    _write(other, "ml.txt", "$ XGBoost\n- gradient boosted trees, eta is the learning rate\n")
    data = tmp_path / "shared-data"
    ws_a = open_workspace(load_settings(notes_dir=small_notes, data_dir=data))
    ws_b = open_workspace(load_settings(notes_dir=other, data_dir=data))
    sync_index(ws_a.index, ws_a.embedder)
    sync_index(ws_b.index, ws_b.embedder)
    assert {h.chunk.source for h in ws_b.retriever.search("kafka message size").hits} == {"ml.txt"}
    assert "ml.txt" not in {h.chunk.source for h in ws_a.retriever.search("xgboost learning rate").hits}


def test_switching_model_builds_a_new_collection(small_notes: Path, tmp_path: Path) -> None:
    """A model with another dimension gets its own collection instead of a dimension-mismatch error."""
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    from embed.models import resolve_model_path

    tokenizer = BertTokenizerFast.from_pretrained(resolve_model_path("all-MiniLM-L6-v2"))
    bert = BertModel(BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1,
                                num_attention_heads=2, intermediate_size=64))
    tiny_dir = tmp_path / "tiny-model"
    bert.save_pretrained(tiny_dir / "bert")
    tokenizer.save_pretrained(tiny_dir / "bert")
    word = models.Transformer(str(tiny_dir / "bert"))
    SentenceTransformer(modules=[word, models.Pooling(32)]).save(str(tiny_dir))

    data = tmp_path / "d"
    minilm = open_workspace(load_settings(notes_dir=small_notes, data_dir=data))
    sync_index(minilm.index, minilm.embedder)
    tiny = open_workspace(load_settings(notes_dir=small_notes, data_dir=data, embed_model=str(tiny_dir)))
    report = sync_index(tiny.index, tiny.embedder)
    assert report.embedded == len(tiny.index.catalog.chunk_ids())  # everything embedded again, 32-d
    assert tiny.index.vectors.name != minilm.index.vectors.name
    assert tiny.embedder.dimension == 32
    assert tiny.retriever.search("kafka", k=1).hits  # searching the 32-d collection works
    assert minilm.retriever.search("kafka message size", k=1).hits[0].chunk.source == "kafka.txt"


def test_search_rebuilds_vectors_the_store_lost(small_notes: Path, tmp_path: Path) -> None:
    """A catalog whose vectors are gone (store wiped, collection dropped) is re-embedded before searching."""
    from click.testing import CliRunner

    from cli import main

    data = tmp_path / "d"
    ws = open_workspace(load_settings(notes_dir=small_notes, data_dir=data))
    sync_index(ws.index, ws.embedder)
    ws.index.vectors.drop()
    assert ws.index.vectors_missing()
    result = CliRunner().invoke(main, ["search", "object size", "--json", "--notes", str(small_notes),
                                       "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert not open_workspace(load_settings(notes_dir=small_notes, data_dir=data)).index.vectors_missing()


def test_vector_search_is_exhaustive_enough_to_repeat_itself(tmp_path: Path) -> None:
    """HNSW at Chroma's default breadth (100) answered a question's few hundred nearest lines differently from
    one process to the next; every collection, an older index's included, is searched at SEARCH_EF."""
    import numpy as np

    from store.vectors import SEARCH_EF, VectorStore, make_client

    client = make_client(tmp_path / "chroma")
    older = VectorStore(client, "all-MiniLM-L6-v2", namespace="old")
    client.get_or_create_collection(older.name, embedding_function=None, metadata={"hnsw:space": "cosine"})
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(400, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for store in (older, VectorStore(client, "all-MiniLM-L6-v2", namespace="new")):
        assert store.collection.configuration_json["hnsw"]["ef_search"] == SEARCH_EF
        store.add([f"v{i}" for i in range(400)], vectors, [{"n": i} for i in range(400)], ["x"] * 400)
        exact = np.sort(vectors @ vectors[0])[::-1][:300]  # the true 300 nearest, by brute force
        found = np.array([similarity for _, similarity in store.query(vectors[0], 300)])
        assert np.allclose(found, exact, atol=1e-5)


@pytest.mark.parametrize("stop_at", ["scan", "embed"])
def test_a_cancelled_sync_leaves_the_index_as_it_was_and_the_next_one_finishes(small_notes: Path, tmp_path: Path,
                                                                                stop_at: str) -> None:
    from indexing import SyncCancelled

    ws = open_workspace(load_settings(notes_dir=small_notes, data_dir=tmp_path / "d"))
    first = sync_index(ws.index, ws.embedder)
    before = ws.index.catalog.count()
    _write(small_notes, "sqs.md", "# SQS\n- messages are kept 4 days by default\n- visibility timeout hides them\n")
    seen: list[str] = []
    with pytest.raises(SyncCancelled):
        sync_index(ws.index, ws.embedder, progress=lambda stage, done, total: seen.append(stage), cancelled=lambda: stop_at in seen)
    assert ws.index.catalog.count() == before  # nothing committed: search reads the previous state
    assert [h.chunk.source for h in ws.retriever.search("visibility timeout").hits if h.chunk.source == "sqs.md"] == []
    done = sync_index(ws.index, ws.embedder)
    assert done.count("new") == 1 and ws.index.catalog.count()[0] == before[0] + 1
    assert first.count("new") == 2
    ws.close()


def test_a_cancelled_sync_stops_within_a_step_of_text_not_a_whole_batch(notes_dir: Path, tmp_path: Path) -> None:
    """192 new chunks are one batch of 256, but a sync embeds them about ``INGEST_STEP_CHARS`` of text at a
    time and reports progress after each step: cancelled at its first report, it has embedded a step's
    text (the chunks and their lines), not the whole folder's, so closing the app never waits on a batch."""
    from embed.embedder import INGEST_STEP_CHARS
    from indexing import SyncCancelled

    for n in range(16):  # 16 files of 12 distinct sections of ~540 characters: ~100,000 characters of chunks
        _write(notes_dir, f"bulk-{n}.md", "\n".join(
            f"## Topic {n}-{s}\n\n" + " ".join(f"w{n}x{s}y{k}" for k in range(60)) + "\n" for s in range(12)))
    ws = open_workspace(load_settings(notes_dir=notes_dir, data_dir=tmp_path / "d"))
    encoded: list[int] = []
    real_encode = ws.embedder.encode
    ws.embedder.encode = lambda texts, **kw: (encoded.append(sum(map(len, texts))), real_encode(texts, **kw))[1]
    try:
        stages: list[str] = []
        with pytest.raises(SyncCancelled):
            sync_index(ws.index, ws.embedder, progress=lambda stage, done, total: stages.append(stage),
                       cancelled=lambda: "embed" in stages)
        assert encoded[0] < 2 * INGEST_STEP_CHARS  # the chunks of one step, then their lines, then it stopped
        assert sum(encoded) < 4 * INGEST_STEP_CHARS
        assert ws.index.catalog.count()[0] == 0  # nothing committed
        ws.embedder.encode = real_encode
        done = sync_index(ws.index, ws.embedder)
        assert done.count("new") == 16 and ws.index.vectors.ids() == ws.index.catalog.chunk_ids()
        assert done.chunks_added == 192 and 0 < done.embedded < 192  # the cancelled run's first step is kept
    finally:
        ws.embedder.encode = real_encode
        ws.close()


def test_a_catalog_open_in_the_app_sees_initials_another_connection_just_committed(tmp_path: Path) -> None:
    """The catalog keeps what it found for a question until the notes change: a note that starts writing
    "MPC", committed by another connection (the CLI syncing beside the running app), and its removal by
    this one, are both seen by the very next question."""
    from ingest.model import Chunk
    from store.catalog import Catalog, FileRecord

    def note(name: str, text: str) -> dict:
        chunk = Chunk(name, 1, 1, "Economics", text)
        return {name: (FileRecord(name, name, len(text), 0, "md", 1, None), [chunk])}

    question = "What is the marginal propensity to consume?"
    path = tmp_path / "catalog.sqlite3"
    app, cli = Catalog(path), Catalog(path)
    try:
        app.apply(note("demand.md", "Consumer surplus is the area under the demand curve."), [])
        assert app.written_initials(question) == {}
        cli.apply(note("income.md", "MPC = change in C / change in disposable income"), [])
        assert list(app.written_initials(question).values()) == ["mpc"]
        app.apply({}, ["income.md"])  # and this connection's own commit: the note is gone again
        assert app.written_initials(question) == {}
    finally:
        app.close()
        cli.close()
