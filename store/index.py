"""One notes folder's index: sync the folder into the catalog and the vector store, incrementally."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from embed.embedder import Embedder
from ingest import Chunk, IngestError, chunk_document, file_digest, load_document, scan_folder
from ingest.budget import time_budget
from ingest.limits import Limits
from ingest.loaders import text as text_loader
from ingest.units import embedded_units
from ingest.vault import EmptyNote, NoteInfo, is_vault
from settings import Settings
from store.catalog import Catalog, FileRecord
from store.memo import FolderMemo, folder_memo
from store.textvectors import TextVectorCache, cache_path
from store.units import UnitVectors
from store.vectors import VectorStore, make_client

Progress = Callable[[str, int, int], None]  # (stage, done, total)

INDEX_FORMAT = "1"
CHUNKING_VERSION = "2"  # bump when the chunker's output changes: indexes then split their notes again


def settings_limits(settings: Settings) -> Limits:
    """The per-file size limits ``settings`` ask for."""
    return Limits(**{name: getattr(settings, name) for name in Limits.__dataclass_fields__})


class IndexBusy(RuntimeError):
    """Another process holds the index lock."""


class SyncCancelled(RuntimeError):
    """A sync stopped on request before its commit: the index reads as it did before the sync began (vectors
    embedded so far are kept for the next sync, and search ignores them until the catalog names them)."""


class SearchUnavailable(RuntimeError):
    """The index holds passages but a read of it came back empty: a search cannot answer, and says so
    instead of passing an empty list off as the answer."""


@dataclass(frozen=True)
class FileStatus:
    source: str
    status: str  # new | changed | unchanged | removed | failed | empty (a vault note with no text: skipped)
    chunks: int = 0
    message: str = ""


@dataclass
class SyncReport:
    files: list[FileStatus] = field(default_factory=list)
    chunks_added: int = 0
    chunks_unchanged: int = 0
    chunks_removed: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> list[FileStatus]:
        return [f for f in self.files if f.status == "failed"]

    def lines(self) -> list[str]:
        """One line per file that is not simply unchanged: what happened to it and why."""
        out = []
        for f in self.files:
            if f.status == "failed":
                out.append(f"  {f.status:9} {f.source}: {f.message}")
            elif f.status not in ("unchanged", "empty") or f.message:  # empty notes: counted, not listed
                out.append(f"  {f.status:9} {f.source} ({f.chunks} chunks)" + (f" [{f.message}]" if f.message else ""))
        return out

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("new", "changed", "unchanged", "removed", "failed", "empty")
                 if self.count(s)]
        return (f"{len(self.files)} files ({', '.join(parts) or 'none'}); chunks: {self.chunks_added} added, "
                f"{self.chunks_unchanged} unchanged, {self.chunks_removed} removed; {self.embedded} embedded; "
                f"{self.seconds:.2f} s")


def _stoppable(progress: Progress, cancelled: Callable[[], bool] | None) -> Progress:
    """``progress`` that raises :class:`SyncCancelled` once ``cancelled()`` is true. Every call of it in
    ``_sync`` comes before the catalog commit, so each one is a safe point to stop."""
    if cancelled is None:
        return progress

    def report(stage: str, done: int, total: int) -> None:
        progress(stage, done, total)
        if cancelled():
            raise SyncCancelled("Indexing was cancelled; the index is as it was before.")

    return report


def _chunk_metadata(chunk: Chunk) -> dict:
    return {"source": chunk.source, "start_line": chunk.start_line, "end_line": chunk.end_line,
            "heading": chunk.heading, "location": chunk.location}


class NoteIndex:
    """Catalog (truth + lexical index) and vector store for one notes folder."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.notes_dir = settings.notes_dir
        self.dir = settings.index_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.dir / "catalog.sqlite3")
        self.embedder = embedder or Embedder(settings.embed_model, settings.embed_device, settings.embed_batch_size,
                                             settings.query_encoder_dir)
        client = make_client(self.dir / "chroma", settings.chroma_url, settings.chroma_token)
        self.vectors = VectorStore(client, settings.embed_model, namespace=self.catalog.index_id)
        self.units = UnitVectors(self.vectors.client, settings.embed_model, namespace=self.catalog.index_id)
        self.text_vectors = TextVectorCache(cache_path(self.dir, settings.embed_model))
        # Held by background work (answer preparation) while it reads the stores, and by close(): closing
        # an SQLite connection under another thread's query crashes the process.
        self.in_use = threading.RLock()
        self.closed = False
        self.limits = settings_limits(settings)
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

    # ---- sync ---------------------------------------------------------------------------
    def sync(self, progress: Progress | None = None, lock_timeout: float = 0.0,
             cancelled: Callable[[], bool] | None = None) -> SyncReport:
        """Bring the index in line with the notes folder; embeds only chunks it has not seen.

        ``progress(stage, done, total)`` is called per file read ("scan") and per batch embedded ("embed").
        ``cancelled`` is asked between files and between batches; once it says True the sync raises
        :class:`SyncCancelled` before its commit, so the catalog (what search reads) is left as it was."""
        lock = FileLock(self.lock_path, timeout=lock_timeout)
        try:
            lock.acquire()
        except Timeout as exc:
            raise IndexBusy(f"Another ingest is running on this index ({self.dir}); wait for it to finish "
                            "and try again.") from exc
        try:
            return self._sync(_stoppable(progress or (lambda *_: None), cancelled))
        finally:
            lock.release()

    def _sync(self, progress: Progress) -> SyncReport:
        started = time.perf_counter()
        report = SyncReport()
        files, problems = scan_folder(self.notes_dir)
        known = self.catalog.files()
        # Chunks made under other chunking settings or code: every file is split again (vectors of chunks
        # that come out the same are kept, since ids follow content).
        resplit = bool(known) and self.catalog.meta("chunking") != self.chunking
        present = {f.source for f in files}
        upserts: dict[str, tuple[FileRecord, list[Chunk]]] = {}
        touched: dict[str, FileRecord] = {}
        notes: dict[str, NoteInfo] = {}
        for n, note in enumerate(files, 1):
            progress("scan", n, len(files))
            status = self._sync_file(note.source, note.path, known.get(note.source), upserts, touched, resplit,
                                     notes)
            report.files.append(status)
        report.files.extend(FileStatus(p.source, "failed", message=p.reason) for p in problems)
        removed = [s for s in known if s not in present]
        report.files.extend(FileStatus(s, "removed", chunks=known[s].chunks) for s in removed)

        old_ids_by_changed = {s: {c.id for c in self.catalog.chunks_of(s)} for s in list(upserts) + removed}
        new_ids = {c.id for _, chunks in upserts.values() for c in chunks}
        old_ids = set().union(*old_ids_by_changed.values()) if old_ids_by_changed else set()
        report.chunks_added = len(new_ids - old_ids)
        report.chunks_removed = len(old_ids - new_ids)
        total_after = sum(r.chunks for s, r in known.items() if s not in upserts and s not in removed)
        report.chunks_unchanged = total_after + len(new_ids & old_ids)

        wanted = (self.catalog.chunk_ids() - old_ids) | new_ids
        have = self.vectors.ids()
        if have and self.units.store.collection.count() == 0:  # an index from before line vectors: redo
            self.vectors.delete(sorted(have))
            have = set()
        missing = wanted - have
        if missing:
            by_id = {c.id: c for _, chunks in upserts.values() for c in chunks}
            by_id.update(self.catalog.get(missing - by_id.keys()))
            report.embedded = self._embed([by_id[i] for i in sorted(missing)], progress)
        moved = [c for _, chunks in upserts.values() for c in chunks if c.id in have and c.id in old_ids]
        if moved:  # same text, new line numbers: refresh the metadata, no re-embedding
            self.vectors.update_metadata([c.id for c in moved], [_chunk_metadata(c) for c in moved])

        if upserts or removed or resplit:
            self.catalog.apply(upserts, removed, meta={"format": INDEX_FORMAT, "model": self.settings.embed_model,
                                                       "chunking": self.chunking}, notes=notes)
        for record in touched.values():
            self.catalog.apply({record.source: (record, self.catalog.chunks_of(record.source))}, [])
        stale = have - wanted
        if stale:  # after the commit, so a crash here only leaves vectors that search ignores
            self.vectors.delete(sorted(stale))
            self.units.delete_for(sorted(stale))
        report.seconds = time.perf_counter() - started
        return report

    @property
    def chunking(self) -> str:
        """What the chunks depend on besides the notes: the chunker's version and its size settings."""
        plain = f"{CHUNKING_VERSION}:{self.settings.chunk_max_chars}:{self.settings.chunk_min_chars}"
        return f"{plain}:vault" if is_vault(self.notes_dir) else plain  # a folder that becomes a vault is read again

    def _sync_file(self, source: str, path: Path, known: FileRecord | None,
                   upserts: dict[str, tuple[FileRecord, list[Chunk]]], touched: dict[str, FileRecord],
                   resplit: bool = False, notes: dict[str, NoteInfo] | None = None) -> FileStatus:
        try:
            stat = path.stat()
            same = known is not None and not resplit
            if same and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
                return FileStatus(source, "empty" if known.kind == "empty" else "unchanged", known.chunks,
                                  known.warning or "")
            text_loader.check_file(path, stat, self.limits)  # permissions and size, before the whole file is hashed
            digest = file_digest(path)
            if same and known.digest == digest:
                touched[source] = FileRecord(source, digest, stat.st_size, stat.st_mtime_ns, known.kind,
                                             known.chunks, known.warning)
                return FileStatus(source, "empty" if known.kind == "empty" else "unchanged", known.chunks,
                                  known.warning or "")
            with time_budget(self.settings.file_time_budget_s):
                doc = load_document(path, source, self.limits)
                chunks = chunk_document(doc, self.settings.chunk_max_chars, self.settings.chunk_min_chars)
                for chunk in chunks:  # the units embedding will split them into, checked inside the budget too
                    embedded_units(chunk.heading, chunk.text)
            if not chunks:
                raise IngestError("no text found to index")
        except EmptyNote:  # a stub or front matter only: nothing to index, nothing wrong (its old passages go)
            upserts[source] = (FileRecord(source, digest, stat.st_size, stat.st_mtime_ns, "empty", 0, None), [])
            return FileStatus(source, "empty")
        except IngestError as exc:
            return FileStatus(source, "failed", message=str(exc))
        except OSError as exc:
            return FileStatus(source, "failed", message=f"cannot read the file ({exc.strerror or exc})")
        except Exception as exc:  # a parser's own bug must not stop the rest of the folder
            return FileStatus(source, "failed", message=f"unexpected error reading the file "
                              f"({type(exc).__name__}: {str(exc)[:200]})")
        warning = "; ".join(doc.warnings) or None
        record = FileRecord(source, digest, stat.st_size, stat.st_mtime_ns, doc.kind, len(chunks), warning)
        upserts[source] = (record, chunks)
        if doc.note is not None and notes is not None:
            notes[source] = doc.note
        return FileStatus(source, "changed" if known else "new", len(chunks), warning or "")

    def _embed(self, chunks: list[Chunk], progress: Progress) -> int:
        batch = self.embedder.ingest_batch  # GPU: large parts, so the GPU feeder is started rarely
        done = 0
        # Longest first: batches of similar length pad less.
        chunks = sorted(chunks, key=lambda c: len(c.embed_text), reverse=True)
        for i in range(0, len(chunks), batch):
            part = chunks[i:i + batch]
            vectors = self.embedder.encode([c.embed_text for c in part])
            if i == 0:
                self.vectors.check_dimension(vectors.shape[1])
            # Lines first: a chunk's own vector marks it complete, so a crash in between re-embeds it.
            self.units.add_for(part, self.embedder, self.text_vectors)
            self.vectors.add([c.id for c in part], vectors, [_chunk_metadata(c) for c in part],
                             [c.text for c in part])
            done += len(part)
            progress("embed", done, len(chunks))
        return done

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
