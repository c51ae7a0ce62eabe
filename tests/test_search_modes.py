"""The core search assertions, run against both stores: embedded Chroma and a real ``chroma run`` server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from indexing import sync_index
from settings import DEFAULT_NOTES_DIR, Settings
from workspace import Workspace, open_workspace

NOTE = "aws-study-notes.txt"
NOTE_LINES = (DEFAULT_NOTES_DIR / NOTE).read_text(encoding="utf-8").split("\n")

#: (question, 1-based line that a top-5 passage must contain), from the notes themselves.
LOOKUPS = [
    ("What is the default message size in Kafka?", 229),
    ("Which AWS services does a VPC gateway endpoint support?", 107),
    ("What is Parquet?", 33),
    ("When is CloudFormation used?", 44),
]


@pytest.fixture(scope="module")
def server_settings(chroma_server: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An index of the shipped notes whose vectors live in the real Chroma server."""
    settings = Settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=tmp_path_factory.mktemp("server-data"),
                        chroma_url=chroma_server)
    ws = open_workspace(settings)
    sync_index(ws.index, ws.embedder)
    ws.close()
    return settings


@pytest.fixture(scope="module", params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def store_mode(request: pytest.FixtureRequest, default_index_dir: Path) -> tuple[str, Settings]:
    """("embedded" | "server", settings of an index of the shipped notes in that store)."""
    if request.param == "embedded":
        return "embedded", Settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=default_index_dir)
    return "server", request.getfixturevalue("server_settings")


@pytest.fixture
def ws(store_mode: tuple[str, Settings]) -> Iterator[Workspace]:
    workspace = open_workspace(store_mode[1])
    yield workspace
    workspace.close()


def test_the_vectors_live_in_the_store_asked_for(ws: Workspace, store_mode: tuple[str, Settings]) -> None:
    mode, settings = store_mode
    chunks = ws.index.catalog.count()[1]
    if mode == "server":
        import chromadb

        port = int(str(settings.chroma_url).rsplit(":", 1)[1])
        remote = chromadb.HttpClient(host="127.0.0.1", port=port)
        assert remote.get_collection(ws.index.vectors.name).count() == chunks
        assert not (ws.index.dir / "chroma").exists()
    else:
        assert (ws.index.dir / "chroma" / "chroma.sqlite3").is_file()
    assert len(ws.index.vectors.ids()) == chunks > 50


@pytest.mark.parametrize(("question", "line"), LOOKUPS, ids=[str(line) for _, line in LOOKUPS])
def test_lookup_finds_the_passage_with_exact_lines(ws: Workspace, question: str, line: int) -> None:
    hits = ws.retriever.search(question, 5).hits
    spans = [(h.chunk.start_line, h.chunk.end_line) for h in hits]
    assert any(start <= line <= end for start, end in spans), spans
    for hit in hits:
        c = hit.chunk
        assert c.source == NOTE
        assert c.text == "\n".join(NOTE_LINES[c.start_line - 1:c.end_line])  # the cited lines, exactly


@pytest.mark.server
def test_server_and_embedded_rank_the_same(server_settings: Settings, default_index_dir: Path) -> None:
    embedded = open_workspace(Settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=default_index_dir))
    current = open_workspace(server_settings)
    try:
        for question, _ in LOOKUPS:
            ours = [h.chunk.id for h in current.retriever.search(question, 5).hits]
            assert ours == [h.chunk.id for h in embedded.retriever.search(question, 5).hits], question
    finally:
        current.close()
        embedded.close()


def test_batch_contract(store_mode: tuple[str, Settings], tmp_path: Path) -> None:
    mode, settings = store_mode
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps({"id": f"q{n}", "question": q}) for n, (q, _) in enumerate(LOOKUPS)))
    env = {"NOTEWISE_CHROMA_URL": settings.chroma_url} if mode == "server" else {}
    result = CliRunner().invoke(main, ["search", "--batch", str(questions), "--k", "3",
                                       "--data-dir", str(settings.data_dir)], env=env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["q0", "q1", "q2", "q3"]
    for row, (_, line) in zip(rows, LOOKUPS, strict=True):
        assert [h["rank"] for h in row["hits"]] == [1, 2, 3]
        for hit in row["hits"]:
            assert {"rank", "text", "source", "start_line", "end_line", "heading", "score"} <= hit.keys()
            assert hit["text"] == "\n".join(NOTE_LINES[hit["start_line"] - 1:hit["end_line"]])
        assert any(h["start_line"] <= line <= h["end_line"] for h in row["hits"])
