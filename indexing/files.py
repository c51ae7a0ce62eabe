"""Read the notes that changed: each file loaded and chunked under its time budget, or why it could not be."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from indexing.report import FileStatus
from ingest import Chunk, Document, IngestError, NoteFile, chunk_document, file_digest, load_document
from ingest.budget import time_budget
from ingest.limits import Limits
from ingest.loaders import text as text_loader
from ingest.units import embedded_units
from ingest.vault import EmptyNote, NoteInfo, is_vault
from settings import Settings
from store.catalog import FileRecord

CHUNKING_VERSION = "2"  # bump when the chunker's output changes: indexes then split their notes again


@dataclass
class Changes:
    """What one sync will write to the catalog: the files read again with their chunks, the files whose
    content is the same under a new size or time, and the vault notes read."""

    upserts: dict[str, tuple[FileRecord, list[Chunk]]] = field(default_factory=dict)
    touched: dict[str, FileRecord] = field(default_factory=dict)
    notes: dict[str, NoteInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class Reader:
    """How the notes of one index are read: its settings' chunk sizes, per-file limits and time budget."""

    settings: Settings
    limits: Limits

    @classmethod
    def of(cls, settings: Settings) -> Reader:
        return cls(settings, Limits.of(settings))

    @property
    def chunking(self) -> str:
        """What the chunks depend on besides the notes: the chunker's version and its size settings."""
        plain = f"{CHUNKING_VERSION}:{self.settings.chunk_max_chars}:{self.settings.chunk_min_chars}"
        vault = is_vault(self.settings.notes_dir)  # a folder that becomes a vault is read again
        return f"{plain}:vault" if vault else plain

    def read(self, note: NoteFile, known: FileRecord | None, resplit: bool, changes: Changes) -> FileStatus:
        """Read ``note`` into ``changes`` unless the catalog's record ``known`` still holds (same size and time,
        or same content); ``resplit``: chunk it again all the same. Never raises for a bad file: its status
        says why it failed."""
        source, path = note.source, note.path
        try:
            stat = path.stat()
            same = known is not None and not resplit
            if same and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
                return _kept(source, known)
            text_loader.check_file(path, stat, self.limits)  # permissions and size, before the whole file is hashed
            digest = file_digest(path)
            if same and known.digest == digest:
                changes.touched[source] = FileRecord(source, digest, stat.st_size, stat.st_mtime_ns, known.kind,
                                                     known.chunks, known.warning)
                return _kept(source, known)
            doc, chunks = self._load(path, source)
        except EmptyNote:  # a stub or front matter only: nothing to index, nothing wrong (its old passages go)
            changes.upserts[source] = (FileRecord(source, digest, stat.st_size, stat.st_mtime_ns, "empty", 0, None), [])
            return FileStatus(source, "empty")
        except IngestError as exc:
            return FileStatus(source, "failed", message=str(exc))
        except OSError as exc:
            return FileStatus(source, "failed", message=f"cannot read the file ({exc.strerror or exc})")
        except Exception as exc:  # a parser's own bug must not stop the rest of the folder
            return FileStatus(source, "failed", message=f"unexpected error reading the file "
                              f"({type(exc).__name__}: {str(exc)[:200]})")
        warning = "; ".join(doc.warnings) or None
        changes.upserts[source] = (FileRecord(source, digest, stat.st_size, stat.st_mtime_ns, doc.kind, len(chunks),
                                              warning), chunks)
        if doc.note is not None:
            changes.notes[source] = doc.note
        return FileStatus(source, "changed" if known else "new", len(chunks), warning or "")

    def _load(self, path: Path, source: str) -> tuple[Document, list[Chunk]]:
        """The file's document and chunks, within the time budget; :class:`IngestError` when it has no text."""
        with time_budget(self.settings.file_time_budget_s):
            doc = load_document(path, source, self.limits)
            chunks = chunk_document(doc, self.settings.chunk_max_chars, self.settings.chunk_min_chars)
            for chunk in chunks:  # the units embedding will split them into, checked inside the budget too
                embedded_units(chunk.heading, chunk.text)
        if not chunks:
            raise IngestError("no text found to index")
        return doc, chunks


def _kept(source: str, known: FileRecord) -> FileStatus:
    """The status of a file whose catalog record still holds."""
    return FileStatus(source, "empty" if known.kind == "empty" else "unchanged", known.chunks,
                      known.warning or "")
