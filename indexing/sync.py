"""The index's first step: bring one notes folder's catalog and vectors in line with the folder.

Only what changed is read (size and time, then content hash), and only chunks the vector store lacks are
embedded (ids follow content). Everything search reads is written in one catalog commit at the end: a sync
that is cancelled, or dies, before it leaves the index as it was (vectors added so far are ignored by search
until the catalog names them, and removed by the next sync)."""

from __future__ import annotations

import time
from collections.abc import Callable

from embed import Embedder
from indexing.embedding import Progress, chunk_metadata, embed_chunks
from indexing.files import Changes, Reader
from indexing.report import FileStatus, SyncCancelled, SyncReport
from ingest import NoteFile, scan_folder
from store.catalog import Catalog, FileRecord
from store.index import NoteIndex

INDEX_FORMAT = "1"


def sync_index(index: NoteIndex, embedder: Embedder, progress: Progress | None = None, lock_timeout: float = 0.0,
               cancelled: Callable[[], bool] | None = None) -> SyncReport:
    """Bring ``index`` in line with its notes folder; embeds only chunks it has not seen, with ``embedder``
    (the model ``index.settings.embed_model`` names).

    ``progress(stage, done, total)`` is called per file read ("scan") and per batch embedded ("embed").
    ``cancelled`` is asked between files and between batches; once it says True the sync raises
    :class:`SyncCancelled` before its commit, so the catalog (what search reads) is left as it was.
    Raises ``IndexBusy`` when another sync holds the index's lock past ``lock_timeout`` seconds."""
    with index.locked(lock_timeout):
        return _sync(index, embedder, _stoppable(progress or (lambda *_: None), cancelled))


def _stoppable(progress: Progress, cancelled: Callable[[], bool] | None) -> Progress:
    """``progress`` that raises :class:`SyncCancelled` once ``cancelled()`` is true. Every call of it in
    :func:`_sync` comes before the catalog commit, so each one is a safe point to stop."""
    if cancelled is None:
        return progress

    def report(stage: str, done: int, total: int) -> None:
        progress(stage, done, total)
        if cancelled():
            raise SyncCancelled("Indexing was cancelled; the index is as it was before.")

    return report


def _sync(index: NoteIndex, embedder: Embedder, progress: Progress) -> SyncReport:
    started = time.perf_counter()
    reader = Reader.of(index.settings)
    report = SyncReport()
    files, problems = scan_folder(index.notes_dir)
    known = index.catalog.files()
    # Chunks made under other chunking settings or code: every file is split again (vectors of chunks
    # that come out the same are kept, since ids follow content).
    resplit = bool(known) and index.catalog.meta("chunking") != reader.chunking
    changes = _read_files(reader, files, known, resplit, report, progress)
    report.files.extend(FileStatus(p.source, "failed", message=p.reason) for p in problems)
    present = {f.source for f in files}
    removed = [s for s in known if s not in present]
    report.files.extend(FileStatus(s, "removed", chunks=known[s].chunks) for s in removed)

    old_ids, new_ids = _count_chunks(index.catalog, known, changes, removed, report)
    wanted = (index.catalog.chunk_ids() - old_ids) | new_ids
    have = _vectors_kept(index)
    report.embedded = _embed_missing(index, embedder, wanted - have, changes, progress)
    moved = [c for _, chunks in changes.upserts.values() for c in chunks if c.id in have and c.id in old_ids]
    if moved:  # same text, new line numbers: refresh the metadata, no re-embedding
        index.vectors.update_metadata([c.id for c in moved], [chunk_metadata(c) for c in moved])
    _commit(index, reader, changes, removed, resplit)
    stale = have - wanted
    if stale:  # after the commit, so a crash here only leaves vectors that search ignores
        index.vectors.delete(sorted(stale))
        index.units.delete_for(sorted(stale))
    report.seconds = time.perf_counter() - started
    return report


def _read_files(reader: Reader, files: list[NoteFile], known: dict[str, FileRecord], resplit: bool,
                report: SyncReport, progress: Progress) -> Changes:
    """Read every file of the folder that changed, each one's status into ``report``."""
    changes = Changes()
    for n, note in enumerate(files, 1):
        progress("scan", n, len(files))
        report.files.append(reader.read(note, known.get(note.source), resplit, changes))
    return changes


def _count_chunks(catalog: Catalog, known: dict[str, FileRecord], changes: Changes, removed: list[str],
                  report: SyncReport) -> tuple[set[str], set[str]]:
    """Count the chunks added, unchanged and removed into ``report``; returns the ids of the chunks the
    changed and removed files had, and those the changed files have now."""
    old_ids = {c.id for s in [*changes.upserts, *removed] for c in catalog.chunks_of(s)}
    new_ids = {c.id for _, chunks in changes.upserts.values() for c in chunks}
    report.chunks_added = len(new_ids - old_ids)
    report.chunks_removed = len(old_ids - new_ids)
    total_after = sum(r.chunks for s, r in known.items() if s not in changes.upserts and s not in removed)
    report.chunks_unchanged = total_after + len(new_ids & old_ids)
    return old_ids, new_ids


def _vectors_kept(index: NoteIndex) -> set[str]:
    """The ids of the passage vectors stored; an index from before line vectors loses them all, to redo."""
    have = index.vectors.ids()
    if have and index.units.store.collection.count() == 0:
        index.vectors.delete(sorted(have))
        return set()
    return have


def _embed_missing(index: NoteIndex, embedder: Embedder, missing: set[str], changes: Changes,
                   progress: Progress) -> int:
    """Embed the chunks with these ids (read now, or already in the catalog); returns how many."""
    if not missing:
        return 0
    by_id = {c.id: c for _, chunks in changes.upserts.values() for c in chunks}
    by_id.update(index.catalog.get(missing - by_id.keys()))
    return embed_chunks(index, embedder, [by_id[i] for i in sorted(missing)], progress)


def _commit(index: NoteIndex, reader: Reader, changes: Changes, removed: list[str], resplit: bool) -> None:
    """Write the catalog: the one commit that makes the sync visible to search."""
    if changes.upserts or removed or resplit:
        meta = {"format": INDEX_FORMAT, "model": index.settings.embed_model, "chunking": reader.chunking}
        index.catalog.apply(changes.upserts, removed, meta=meta, notes=changes.notes)
    for record in changes.touched.values():
        index.catalog.apply({record.source: (record, index.catalog.chunks_of(record.source))}, [])
