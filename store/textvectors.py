"""A persisted text -> vector cache, one SQLite file per index and embedding model.

The answer composer compares a question with every quotable line of the retrieved passages (and with
each line's neighbourhood). Embedding those on the CPU costs about 5 ms a line, 250-350 ms for a new
question, so they are embedded once, ahead of time (``lines.prepare``), and kept here across processes.

Vectors are stored as float16 (half the disk; cosine error ~1e-4) and every vector handed out, fresh or
stored, is rounded the same way, so an answer never depends on what happened to be cached.
Writes are best effort: a read-only data folder only means the vectors are embedded again next time.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from store.catalog import select_in
from store.vectors import collection_name

log = logging.getLogger(__name__)


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()[:16]


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """The float32 vectors exactly as they come back from the cache."""
    return np.asarray(vectors, dtype=np.float16).astype(np.float32)


def cache_path(index_dir: Path, model_name: str) -> Path:
    """One file per embedding model, named as the model's vector collection is."""
    return index_dir / f"text-vectors-{collection_name(model_name)}.sqlite3"


class TextVectorCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        db = None
        try:
            db = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
            self._db = db
        except sqlite3.Error as exc:  # unreadable or damaged: work without it, and say so once
            if db is not None:
                db.close()
            log.warning("Text vector cache %s unusable (%s); line vectors will be embedded per question.", path, exc)

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` that have one."""
        if self._db is None or not texts:
            return {}
        by_key = {text_key(t): t for t in texts}
        with self._lock:
            try:
                rows = list(select_in(self._db, "SELECT key, vector FROM vectors WHERE key IN ({marks})", list(by_key)))
            except sqlite3.Error as exc:
                log.warning("Text vector cache %s unreadable: %s", self.path, exc)
                return {}
        return {by_key[key]: np.frombuffer(blob, dtype=np.float16).astype(np.float32) for key, blob in rows}

    def has(self, texts: Sequence[str]) -> set[str]:
        """Which of ``texts`` have a stored vector (keys only: nothing is read but the index)."""
        if self._db is None or not texts:
            return set()
        by_key = {text_key(t): t for t in texts}
        with self._lock:
            try:
                return {by_key[k] for (k,) in select_in(self._db, "SELECT key FROM vectors WHERE key IN ({marks})",
                                                        list(by_key))}
            except sqlite3.Error as exc:
                log.warning("Text vector cache %s unreadable: %s", self.path, exc)
                return set()

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        if self._db is None or not len(texts):
            return
        rows = [(text_key(t), np.asarray(v, dtype=np.float16).tobytes()) for t, v in zip(texts, vectors, strict=True)]
        with self._lock:
            try:
                self._write("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
            except sqlite3.Error as exc:
                log.warning("Text vector cache %s not written: %s", self.path, exc)

    def keep_only(self, texts: Iterable[str]) -> int:
        """Forget vectors of texts no longer in the notes; returns how many went."""
        if self._db is None:
            return 0
        wanted = {text_key(t) for t in texts}
        with self._lock:
            try:
                stale = [(k,) for (k,) in self._db.execute("SELECT key FROM vectors") if k not in wanted]
                self._write("DELETE FROM vectors WHERE key=?", stale)
            except sqlite3.Error as exc:
                log.warning("Text vector cache %s not pruned: %s", self.path, exc)
                return 0
        return len(stale)

    def _write(self, sql: str, rows: list[tuple]) -> None:
        """One transaction for all rows (autocommit would sync the file once per row)."""
        assert self._db is not None
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(sql, rows)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def __len__(self) -> int:
        if self._db is None:
            return 0
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    @property
    def closed(self) -> bool:
        return self._db is None

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
