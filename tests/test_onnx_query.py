"""Questions encoded by ONNX Runtime (embed/onnx_query.py) agree with torch, and the first answer needs no torch.

The export is made here, into tmp folders, from the packaged weights (the same code ``make install`` runs), so
these tests do not depend on an export in the user's cache.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import DEV_SET, EVAL_DIR, needs_suite

from embed import Embedder, onnx_export
from embed.embedder import ONE_THREAD_CHARS
from embed.onnx_export import ExportRefused, export_for, export_query_model
from embed.onnx_query import export_file
from indexing import sync_index
from retrieval.evaluate import load_questions
from settings import Settings
from ui.loading import Loader
from workspace import open_workspace

ROOT = Path(__file__).resolve().parent.parent
MODEL = "all-MiniLM-L6-v2"
NOTES = {
    "kms.md": "# KMS\nkms : key management service, one key encrypts and decrypts\n\n"
              "# S3\nS3 stores objects in buckets; versioning keeps every old copy of an object.\n",
    "queues.md": "# SQS\nSQS is a message queue; a visibility timeout hides a message while it is processed.\n",
}
FIRST_ANSWER = """
import json, sys
from pathlib import Path
from answer import Answerer
from indexing import sync_index
from settings import Settings
from workspace import open_workspace

notes, data, onnx = sys.argv[1:4]
ws = open_workspace(Settings(notes_dir=Path(notes), data_dir=Path(data), query_encoder_dir=Path(onnx),
                             prepare_answers=False))
report = sync_index(ws.index, ws.embedder)
hits = ws.retriever.search("How long is a message hidden while it is processed?").hits
answer = Answerer(ws, backend="extractive").ask("What hides a message while it is processed?")
print(json.dumps({"embedded": report.embedded, "chunks_added": report.chunks_added, "top_hit": hits[0].chunk.source,
                  "refused": answer.refused, "cited": [(c.source, c.start_line) for c in answer.citations],
                  "heavy": [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]}))
"""


def suite_texts() -> list[str]:
    """Every question and history turn of the evaluation suite (../shared/eval), deduplicated; without the
    suite (a bare clone), those of the shipped dev set."""
    files = {DEV_SET.resolve()}
    if (EVAL_DIR / "suite.json").exists():
        suite = json.loads((EVAL_DIR / "suite.json").read_text(encoding="utf-8"))
        files |= {(EVAL_DIR / corpus["questions"]).resolve() for corpus in suite["corpora"].values()}
    texts: dict[str, None] = {}
    for path in sorted(files):
        for item in load_questions(path):
            texts[item["question"]] = None
            texts.update(dict.fromkeys(turn if isinstance(turn, str) else turn["content"]
                                       for turn in item.get("history") or []))
    return list(texts)


@pytest.fixture(scope="module")
def torch_embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """Questions through torch: its ONNX folder is empty."""
    return Embedder(MODEL, "cpu", query_encoder_dir=tmp_path_factory.mktemp("no-onnx"))


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory, torch_embedder: Embedder) -> Path:
    folder = tmp_path_factory.mktemp("onnx")
    target = export_file(MODEL, torch_embedder.model_dir, folder)
    assert target is not None
    export_query_model(torch_embedder.model, torch_embedder.model_dir, target)
    return folder


def write_notes(notes: Path) -> Path:
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    return notes


@needs_suite(EVAL_DIR / "suite.json")
def test_onnx_and_torch_agree_on_every_question_of_the_suite(torch_embedder: Embedder, onnx_dir: Path) -> None:
    onnx = Embedder(MODEL, "cpu", query_encoder_dir=onnx_dir)
    assert onnx.query_encoder() is not None and torch_embedder.query_encoder() is None
    texts = suite_texts()
    assert len(texts) >= 120  # 4 corpora x 30 questions, plus history turns
    cosines = [float(np.dot(onnx.encode_query(t), torch_embedder.encode_query(t))) for t in texts]
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= 0.999, texts[worst]
    assert onnx.dimension == torch_embedder.dimension == 384


def test_a_fresh_process_answers_from_a_prepared_index_without_torch(tmp_path: Path, notes_dir: Path,
                                                                      onnx_dir: Path) -> None:
    from lines.prepare import prepare_answers

    notes, data = write_notes(notes_dir), tmp_path / "data"
    ws = open_workspace(Settings(notes_dir=notes, data_dir=data, query_encoder_dir=onnx_dir))
    sync_index(ws.index, ws.embedder)
    prepare_answers(ws.index, ws.embedder)
    ws.close()
    done = subprocess.run([sys.executable, "-c", FIRST_ANSWER, str(notes), str(data), str(onnx_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["embedded"] == result["chunks_added"] == 0 and result["top_hit"] == "queues.md"
    assert not result["refused"] and result["cited"] == [["queues.md", 2]]
    assert result["heavy"] == []


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage"])
def test_a_missing_or_damaged_file_falls_back_to_torch_with_the_same_results(
        tmp_path: Path, notes_dir: Path, onnx_dir: Path, torch_embedder: Embedder, damage: str,
        caplog: pytest.LogCaptureFixture) -> None:
    good = export_file(MODEL, torch_embedder.model_dir, onnx_dir)
    broken_dir = tmp_path / "broken-onnx"
    broken = export_file(MODEL, torch_embedder.model_dir, broken_dir)
    assert good is not None and broken is not None
    if damage != "missing":
        broken.parent.mkdir(parents=True)
        size = good.stat().st_size
        broken.write_bytes(good.read_bytes()[: size // 2] if damage == "truncated" else b"\x00not onnx" * 100)
    notes = write_notes(notes_dir)
    searches = {}
    for folder in (onnx_dir, broken_dir):
        ws = open_workspace(Settings(notes_dir=notes, data_dir=tmp_path / "data", query_encoder_dir=folder,
                                     prepare_answers=False))
        try:
            with caplog.at_level(logging.WARNING, logger="notewise.store"):
                sync_index(ws.index, ws.embedder)
                result = ws.retriever.search("which service encrypts with one key?")
            searches[folder] = [(h.chunk.source, h.chunk.start_line) for h in result.hits]
            question = ws.embedder.encode_query("which service encrypts with one key?")
            assert (ws.embedder.query_encoder() is None) == (folder == broken_dir)
        finally:
            ws.close()
    assert searches[broken_dir] == searches[onnx_dir] and searches[onnx_dir][0] == ("kms.md", 1)
    np.testing.assert_array_equal(question, torch_embedder.encode_query("which service encrypts with one key?"))
    warned = [r.getMessage() for r in caplog.records if "cannot be read" in r.getMessage()]
    assert (warned != []) == (damage != "missing"), warned


def test_an_interrupted_export_leaves_no_file(tmp_path: Path, onnx_dir: Path, torch_embedder: Embedder,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    good = export_file(MODEL, torch_embedder.model_dir, onnx_dir)
    target = export_file(MODEL, torch_embedder.model_dir, tmp_path / "onnx")
    assert good is not None and target is not None

    def half_written_then_interrupted(model: object, path: Path) -> None:
        path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(onnx_export, "_trace", half_written_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_query_model(torch_embedder.model, torch_embedder.model_dir, target)
    assert list(target.parent.iterdir()) == []
    assert Embedder(MODEL, "cpu", query_encoder_dir=tmp_path / "onnx").query_encoder() is None


def test_an_export_that_disagrees_with_torch_is_not_written_and_says_why(
        tmp_path: Path, onnx_dir: Path, torch_embedder: Embedder, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    good = export_file(MODEL, torch_embedder.model_dir, onnx_dir)
    assert good is not None
    monkeypatch.setattr(onnx_export, "_trace", lambda model, path: shutil.copyfile(good, path))
    monkeypatch.setattr(onnx_export, "agreement", lambda model, path, model_dir: 0.97)
    target = export_file(MODEL, torch_embedder.model_dir, tmp_path / "onnx")
    assert target is not None
    with pytest.raises(ExportRefused, match="cosine 0.97000"):
        export_query_model(torch_embedder.model, torch_embedder.model_dir, target)
    assert list(target.parent.iterdir()) == []
    embedder = Embedder(MODEL, "cpu", query_encoder_dir=tmp_path / "onnx")
    embedder._model = torch_embedder.model  # the loaded torch model, as in the app's loader
    with caplog.at_level(logging.WARNING, logger="notewise.store"):
        assert export_for(embedder) is None
    assert "agrees with torch only to cosine 0.97000" in caplog.text and not target.exists()


def test_the_app_loader_exports_a_missing_file_after_the_index_is_ready(tmp_path: Path, notes_dir: Path) -> None:
    onnx = tmp_path / "onnx"
    settings = Settings(notes_dir=write_notes(notes_dir), data_dir=tmp_path / "data", query_encoder_dir=onnx,
                        prepare_answers=False)
    loader = Loader(settings)
    ws = loader.workspace()
    try:
        assert ws.retriever.search("key management").hits
        loader._thread.join(300)
        assert loader.export_thread is not None
        loader.export_thread.join(300)
        assert ws.embedder.query_encoder() is not None
        assert list(onnx.glob("*/model.onnx")) == [export_file(MODEL, ws.embedder.model_dir, onnx)]
    finally:
        ws.close()


def test_ingest_batches_run_on_onnx_runtime_and_agree_with_torch(torch_embedder: Embedder, onnx_dir: Path,
                                                                   tmp_path: Path, notes_dir: Path) -> None:
    """Batches (a note's lines; a folder's chunks, on every core) go through ONNX Runtime where the model is
    exported: torch is never loaded, and the vectors are torch's to within float rounding. On a CPU with AMX
    large batches run in bfloat16 torch instead, by design (``Embedder.cpu_bfloat16``)."""
    onnx = Embedder(MODEL, "cpu", query_encoder_dir=onnx_dir)
    small = suite_texts()[:40]  # questions: a few thousand characters, one thread
    long_texts = [f"{t} " * 12 for t in suite_texts()]  # each past the model's 256 tokens
    total = np.cumsum([len(t) for t in long_texts])
    large = long_texts[:int(np.searchsorted(total, 2 * ONE_THREAD_CHARS)) + 1]  # the session on every core
    for texts in (small, large):
        cosines = np.sum(onnx.encode(texts) * torch_embedder.encode(texts), axis=1)
        assert cosines.min() >= 0.9999, texts[int(np.argmin(cosines))]
    ws = open_workspace(Settings(notes_dir=write_notes(notes_dir), data_dir=tmp_path / "data",
                                 query_encoder_dir=onnx_dir))
    try:
        report = sync_index(ws.index, ws.embedder)
        assert report.embedded > 0 and ws.retriever.search("which service encrypts with one key?").hits[0].chunk.source == "kms.md"
        assert (ws.embedder._model is not None) == ws.embedder.cpu_bfloat16
    finally:
        ws.close()
    assert (onnx._model is not None) == onnx.cpu_bfloat16
