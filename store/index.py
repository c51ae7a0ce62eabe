"""One notes folder's index on disk: the catalog, the passage and line vector stores, the text-vector cache,
the lock a writer holds, and the reads retrieval makes. Writing it is the indexing step's (``indexing.sync``)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from settings import Settings
from store.catalog import Catalog
from store.memo import FolderMemo, folder_memo
from store.textvectors import TextVectorCache, cache_path
from store.units import UnitVectors
from store.vectors import VectorStore, make_client


class IndexBusy(RuntimeError):
    """Another process holds the index lock."""


class SearchUnavailable(RuntimeError):
    """The index holds passages but a read of it came back empty: a search cannot answer, and says so
    instead of passing an empty list off as the answer."""


class NoteIndex:
    """Catalog (truth + lexical index) and vector stores for one notes folder. Its vectors come from the model
    ``settings.embed_model`` names; running that model is the caller's (``Workspace.embedder``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.notes_dir = settings.notes_dir
        self.dir = settings.index_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.dir / "catalog.sqlite3")
        client = make_client(self.dir / "chroma", settings.chroma_url, settings.chroma_token)
        self.vectors = VectorStore(client, settings.embed_model, namespace=self.catalog.index_id)
        self.units = UnitVectors(self.vectors.client, settings.embed_model, namespace=self.catalog.index_id)
        self.text_vectors = TextVectorCache(cache_path(self.dir, settings.embed_model))
        # Held by background work (answer preparation) while it reads the stores, and by close(): closing
        # an SQLite connection under another thread's query crashes the process.
        self.in_use = threading.RLock()
        self.closed = False
        self.memo: FolderMemo = folder_memo(self.dir)  # shared by every index opened on this folder

    def close(self) -> None:
        """Close the stores, after any background work that holds :attr:`in_use` has let go."""
        with self.in_use:
            self.closed = True
            self.catalog.close()
            self.vectors.close()
            self.text_vectors.close()

    @property
    def lock_path(self) -> Path:
        return self.dir / "ingest.lock"

    @contextlib.contextmanager
    def locked(self, timeout: float = 0.0) -> Iterator[None]:
        """Hold the index's write lock (one writer at a time, across processes) for the block; raises
        :class:`IndexBusy` when another holds it past ``timeout`` seconds."""
        lock = FileLock(self.lock_path, timeout=timeout)
        try:
            lock.acquire()
        except Timeout as exc:
            raise IndexBusy(f"Another ingest is running on this index ({self.dir}); wait for it to finish "
                            "and try again.") from exc
        try:
            yield
        finally:
            lock.release()

    # ---- reads for retrieval ------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.catalog.count()[1] == 0

    def vectors_missing(self) -> bool:
        """Whether the vector store holds fewer chunks than the catalog (a new model or store, a lost
        collection): search would silently fall back to keywords, so callers sync first."""
        return self.vectors.collection.count() < self.catalog.count()[1]

    def dense(self, vector: np.ndarray, n: int, sources: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """The ``n`` nearest vectors the catalog holds (``sources``: of those files only). An ingest killed
        before its commit leaves extra vectors behind (the next ingest removes them); they are skipped here,
        fetching more if needed."""
        want = n
        where = {"source": {"$in": list(sources)}} if sources is not None else None
        while True:
            pairs = self.vectors.query(vector, want, where) if where else self.vectors.query(vector, want)
            if not pairs and where is None:
                self._check_not_empty(self.vectors, "passage")
            known = self.catalog.known(i for i, _ in pairs)
            kept = [(i, s) for i, s in pairs if i in known]
            if len(kept) >= n or len(pairs) < want:
                return kept[:n]
            want *= 4

    def dense_lines(self, vector: np.ndarray, n: int, chunks: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """Chunks ranked by their best-matching line (see store/units.py), catalog ids only (``chunks``: of
        those only)."""
        pairs = self.units.best_per_chunk(vector, n * 2, chunks)
        if not pairs and chunks is None:
            self._check_not_empty(self.units.store, "line")
        known = self.catalog.known(i for i, _ in pairs)
        return [(i, s) for i, s in pairs if i in known][:n]

    def _check_not_empty(self, store: VectorStore, what: str) -> None:
        """Raise :class:`SearchUnavailable` when the nearest-vector query of ``store`` came back empty although
        it holds vectors, or although the catalog holds passages (their vectors are then missing)."""
        held, passages = store.collection.count(), self.catalog.count()[1]
        if held or passages:
            raise SearchUnavailable(f"The vector store ({self.settings.chroma_url or self.dir / 'chroma'}) returned no "
                                    f"{what} vectors for a question although the index holds {passages} passages "
                                    f"({held} {what} vectors stored): the search cannot answer. Run `python cli.py "
                                    "ingest` to repair the index, and try again.")

    def stats(self) -> dict[str, object]:
        files, chunks = self.catalog.count()
        return {"notes_dir": str(self.notes_dir), "index_dir": str(self.dir), "files": files, "chunks": chunks,
                "model": self.settings.embed_model, "store": self.settings.chroma_url or "embedded",
                "pid": os.getpid()}
