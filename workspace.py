"""A workspace: one notes folder's settings, index and retriever, opened once and shared.

The CLI, the Streamlit app, the quiz and the benchmarks all go through :func:`open_workspace`, so the
embedding model loads once per process and every front end sees the same index.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from embed import Embedder
from retrieval import Retriever
from settings import Settings, load_settings
from store import NoteIndex

_EMBEDDERS: dict[tuple[str, str, int, Path | None], Embedder] = {}


def shared_embedder(settings: Settings) -> Embedder:
    """One embedder per (model, device, batch, ONNX folder) per process: the model is the slow part to load."""
    key = (settings.embed_model, settings.embed_device, settings.embed_batch_size, settings.query_encoder_dir)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = Embedder(*key)
    return _EMBEDDERS[key]


@dataclass
class Workspace:
    settings: Settings
    embedder: Embedder  # the model of the index's vectors, shared by the process (:func:`shared_embedder`)
    index: NoteIndex
    retriever: Retriever

    def close(self) -> None:
        self.index.close()


class DataFolderError(RuntimeError):
    """The data folder cannot hold an index (it is a file, or cannot be created); the message is one line."""


def check_data_dir(data_dir: Path) -> None:
    """Refuse a data folder that is a file (or lies under one), in one line, before anything is written."""
    blocker = next((p for p in (data_dir, *data_dir.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        where = "is a file" if blocker == data_dir else f"lies under {blocker}, which is a file"
        raise DataFolderError(f"Data folder {data_dir} {where}, not a folder: point NOTEWISE_DATA_DIR (or "
                              "--data-dir) at a folder, or move the file away.")


def open_workspace(settings: Settings | None = None, **overrides: Any) -> Workspace:
    settings = settings or load_settings(**overrides)
    if not settings.notes_dir.is_dir():
        raise FileNotFoundError(f"Notes folder {settings.notes_dir} does not exist. Create it, or point "
                                "--notes / NOTEWISE_NOTES_DIR at a folder of .txt/.md notes.")
    check_data_dir(settings.data_dir)
    embedder = shared_embedder(settings)
    try:
        index = NoteIndex(settings)
    except (PermissionError, NotADirectoryError, FileExistsError) as exc:
        raise DataFolderError(f"Data folder {settings.data_dir} cannot hold the index ({exc.strerror}: "
                              f"{exc.filename}): point NOTEWISE_DATA_DIR (or --data-dir) at a folder you can "
                              "write to.") from exc
    return Workspace(settings, embedder, index, Retriever(index, embedder, settings))
