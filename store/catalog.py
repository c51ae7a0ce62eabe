"""The catalog: the source of truth for what is indexed, and the lexical (FTS5/BM25) index beside it.

Files, chunks and the full-text index are written in one SQLite transaction, so an ingest that dies midway
leaves the previous catalog whole. The vector store may briefly hold extra vectors (added before the
commit); they are ignored by search and removed by the next ingest.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ingest.model import Chunk
from ingest.vault import NoteInfo, has_tag
from text.questions import initialisms, phrase_initials

SCHEMA_VERSION = 1
LOOKUP_MEMO = 4096  # lookups a catalog keeps between two commits: bounds what a long session holds
T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    source TEXT PRIMARY KEY, digest TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    kind TEXT NOT NULL, chunks INTEGER NOT NULL, warning TEXT);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
    heading TEXT NOT NULL, text TEXT NOT NULL, location TEXT NOT NULL, ord INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_source ON chunks(source, ord);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    id UNINDEXED, heading, body, tokenize = 'porter unicode61');
"""
#: Notes of an Obsidian vault (ingest.vault.NoteInfo); made by the first write that has some, so a catalog of
#: an older version opens unchanged.
_NOTES_TABLE = ("CREATE TABLE IF NOT EXISTS notes (source TEXT PRIMARY KEY, title TEXT NOT NULL, aliases TEXT "
                "NOT NULL, tags TEXT NOT NULL, links TEXT NOT NULL, meta TEXT NOT NULL)")

_WORD = re.compile(r"[A-Za-z0-9]+")


class CatalogError(RuntimeError):
    """The catalog is corrupt or from an incompatible version; the message names the fix."""


@dataclass(frozen=True)
class FileRecord:
    source: str
    digest: str
    size: int
    mtime_ns: int
    kind: str
    chunks: int
    warning: str | None


def select_in(db: sqlite3.Connection, sql: str, keys: Sequence, batch: int = 500) -> Iterator[tuple]:
    """Rows of ``sql`` for ``keys``, where ``{marks}`` in ``sql`` stands for the ``IN (...)`` list; asked in
    batches, under SQLite's limit on parameters per statement."""
    for i in range(0, len(keys), batch):
        part = list(keys[i:i + batch])
        yield from db.execute(sql.format(marks=",".join("?" * len(part))), part)


def fts_query(text: str, stopwords: frozenset[str]) -> str:
    """An OR query of the text's words (quoted, so FTS5 syntax in a question is inert)."""
    words = [w.lower() for w in _WORD.findall(text)]
    terms = list(dict.fromkeys(w for w in words if w not in stopwords and (len(w) > 1 or w.isdigit())))
    return " OR ".join(f'"{t}"' for t in terms)


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._commits = 0  # this connection's own (PRAGMA data_version counts only the other connections')
        self._lookups: dict[tuple[str, str], Any] = {}
        self._lookups_state: tuple[int, int] | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # A writer waits up to 30 s for another's transaction; readers never wait (WAL).
            self.db = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
            self._open()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise CatalogError(f"The index catalog {path} is busy: another Notewise process is writing it. "
                                   "Wait for it to finish and try again.") from exc
            raise self._damaged(exc) from exc
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from exc

    def _damaged(self, exc: Exception) -> CatalogError:
        return CatalogError(f"The index catalog {self.path} is damaged ({exc}). Fix: delete the folder "
                            f"{self.path.parent} and run `python cli.py ingest` to rebuild it.")

    def _open(self) -> None:
        """Check the schema version; create the tables only in a new catalog, so opening an existing
        one writes nothing (and never waits on an ingest that is committing)."""
        db = self.db
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if version is None or version[0] != str(SCHEMA_VERSION):
            found = version[0] if version else "none"
            raise CatalogError(f"The index in {self.path.parent} was written by another Notewise version (schema "
                               f"{found}, need {SCHEMA_VERSION}). Fix: delete that folder and re-ingest.")
        if db.execute("SELECT 1 FROM meta WHERE key='index_id'").fetchone() is None:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('index_id', ?)", (uuid.uuid4().hex[:12],))

    def close(self) -> None:
        self.db.close()

    @property
    def index_id(self) -> str:
        """A random id made when the catalog is created: it names this index's vector collection, so two
        indexes on one Chroma server never share (and prune) each other's vectors."""
        return self.meta("index_id") or ""

    # ---- reads -------------------------------------------------------------------------
    def files(self) -> dict[str, FileRecord]:
        rows = self.db.execute("SELECT source, digest, size, mtime_ns, kind, chunks, warning FROM files")
        return {row[0]: FileRecord(*row) for row in rows}

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM chunks")}

    def chunks_of(self, source: str) -> list[Chunk]:
        rows = self.db.execute("SELECT source, start_line, end_line, heading, text, location, id FROM chunks "
                               "WHERE source=? ORDER BY ord", (source,))
        return [self._chunk(row) for row in rows]

    def all_chunks(self) -> list[Chunk]:
        rows = self.db.execute("SELECT source, start_line, end_line, heading, text, location, id FROM chunks "
                               "ORDER BY source, ord")
        return [self._chunk(row) for row in rows]

    def known(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` the catalog holds (cheaper than :meth:`get` when only membership matters)."""
        return {row[0] for row in select_in(self.db, "SELECT id FROM chunks WHERE id IN ({marks})", list(ids))}

    def get(self, ids: Iterable[str]) -> dict[str, Chunk]:
        rows = select_in(self.db, "SELECT source, start_line, end_line, heading, text, location, id FROM chunks "
                                  "WHERE id IN ({marks})", list(ids))
        return {row[6]: self._chunk(row) for row in rows}

    @staticmethod
    def _chunk(row: tuple) -> Chunk:
        source, start, end, heading, text, location, chunk_id = row
        chunk = Chunk(source, start, end, heading, text, location)
        if chunk.id != chunk_id:  # an occurrence > 0: rebuild with the right disambiguator
            for occurrence in range(1, 1000):
                candidate = Chunk(source, start, end, heading, text, location, occurrence)
                if candidate.id == chunk_id:
                    return candidate
        return chunk

    def count(self) -> tuple[int, int]:
        files = self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return files, chunks

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def lexical(self, text: str, n: int, stopwords: frozenset[str]) -> list[tuple[str, float]]:
        """(id, BM25 score) best first; the heading counts half as much as the body."""
        query = fts_query(text, stopwords)
        if not query:
            return []
        rows = self.db.execute("SELECT id, -bm25(chunks_fts, 0.0, 0.5, 1.0) FROM chunks_fts WHERE chunks_fts "
                               "MATCH ? ORDER BY bm25(chunks_fts, 0.0, 0.5, 1.0) LIMIT ?", (query, n))
        return [(row[0], float(row[1])) for row in rows]

    def _remembered(self, kind: str, text: str, look_up: Callable[[str], T]) -> T:
        """``look_up(text)``, kept until a commit to the catalog by any connection: search, term weights and
        the composer each ask it about the same question."""
        state = (self.db.execute("PRAGMA data_version").fetchone()[0], self._commits)
        if state != self._lookups_state or len(self._lookups) >= LOOKUP_MEMO:
            self._lookups, self._lookups_state = {}, state
        memo, key = self._lookups, (kind, text)
        if key not in memo:
            memo[key] = look_up(text)  # into this state's memo, even where a commit came meanwhile
        return memo[key]

    def written_initials(self, text: str) -> dict[str, str]:
        """The initials the notes write in capitals for ``text``'s names ("CloudWatch" -> "cw"), and for
        its phrases that no note writes out ("marginal propensity to consume" -> "mpc", "glomerular
        filtration rate" -> "gfr"), by name or phrase."""
        return dict(self._remembered("written_initials", text, self._written_initials))

    def _written_initials(self, text: str) -> dict[str, str]:
        found = {name: short for name, short in initialisms(text).items() if self.writes_in_capitals(short)}
        for phrase, short in phrase_initials(text).items():
            if short not in found.values() and not self.writes_out(phrase) and self.writes_in_capitals(short):
                found[phrase] = short
        return found

    def writes_out(self, phrase: str) -> bool:
        """Whether a note writes ``phrase``'s words one after another (as stems: "long-term memories" writes
        out "long term memory")."""
        return self._remembered("writes_out", phrase, self._writes_out)

    def _writes_out(self, phrase: str) -> bool:
        words = [w.lower() for w in _WORD.findall(phrase)]
        if not words:
            return False
        query = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
        return self.db.execute("SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 1", (query,)).fetchone() is not None

    def writes_in_capitals(self, term: str) -> bool:
        """Whether the notes write ``term`` in capitals as a word of its own: "CW" for CloudWatch, not the
        "ws" of a link's "(v=ws.10)"."""
        query = fts_query(term, frozenset())
        if not query:
            return False
        capitals = re.compile(rf"\b{re.escape(term.upper())}\b")
        rows = self.db.execute("SELECT heading, body FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 200", (query,))
        return any(capitals.search(heading) or capitals.search(body) for heading, body in rows)

    def term_document_frequency(self, term: str) -> int:
        """In how many chunks a (stemmed) term occurs; 0 means the notes never mention it."""
        query = fts_query(term, frozenset())
        if not query:
            return 0
        return self.db.execute("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (query,)).fetchone()[0]

    def notes(self) -> dict[str, NoteInfo]:
        """Every vault note's name, aliases, tags, links and front matter, by source (empty outside vaults)."""
        if self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='notes'").fetchone() is None:
            return {}  # no vault note was ever indexed here
        try:
            rows = self.db.execute("SELECT source, title, aliases, tags, links, meta FROM notes").fetchall()
        except sqlite3.DatabaseError:  # made or dropped by an ingest meanwhile ("no such table")
            return {}
        return {row[0]: NoteInfo.from_row(row) for row in rows}

    def sources_in(self, folder: str = "", tags: Sequence[str] = ()) -> set[str]:
        """The indexed files under ``folder`` (a path prefix of the notes folder, any case) that carry every
        tag of ``tags`` (a vault note's tags; a nested ``physics/optics`` counts as ``physics``)."""
        sources = set(self.files())
        folder = folder.strip().strip("/").lower()
        if folder:
            sources = {s for s in sources if s.lower().startswith(folder + "/")}
        if tags:
            notes = self.notes()
            sources = {s for s in sources if s in notes and all(has_tag(notes[s].tags, t) for t in tags)}
        return sources

    def chunk_ids_of(self, sources: Iterable[str]) -> set[str]:
        return {row[0] for row in select_in(self.db, "SELECT id FROM chunks WHERE source IN ({marks})",
                                            sorted(sources))}

    # ---- the one write -----------------------------------------------------------------
    def apply(self, upserts: dict[str, tuple[FileRecord, list[Chunk]]], removed: Iterable[str],
              meta: dict[str, str] | None = None, notes: dict[str, NoteInfo] | None = None) -> None:
        """Replace the chunks of changed files and drop removed files, atomically. With ``notes``, the vault
        notes of the upserted files are replaced too (a file missing from it has none)."""
        db = self.db
        removed = list(removed)
        db.execute("BEGIN IMMEDIATE")
        try:
            has_notes = db.execute("SELECT 1 FROM sqlite_master WHERE name='notes'").fetchone() is not None
            if notes and not has_notes:
                db.execute(_NOTES_TABLE)
                has_notes = True
            if has_notes:
                gone = removed + (list(upserts) if notes is not None else [])
                db.executemany("DELETE FROM notes WHERE source=?", [(s,) for s in gone])
                db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?)",
                               [info.to_row(s) for s, info in (notes or {}).items()])
            for source in removed + list(upserts):
                old = [row[0] for row in db.execute("SELECT id FROM chunks WHERE source=?", (source,))]
                db.executemany("DELETE FROM chunks_fts WHERE id=?", [(i,) for i in old])
                db.execute("DELETE FROM chunks WHERE source=?", (source,))
                db.execute("DELETE FROM files WHERE source=?", (source,))
            for record, chunks in upserts.values():
                db.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?)",
                           (record.source, record.digest, record.size, record.mtime_ns, record.kind,
                            record.chunks, record.warning))
                db.executemany("INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                               [(c.id, c.source, c.start_line, c.end_line, c.heading, c.text, c.location, n)
                                for n, c in enumerate(chunks)])
                db.executemany("INSERT INTO chunks_fts (id, heading, body) VALUES (?,?,?)",
                               [(c.id, f"{c.title} {c.heading}", c.text) for c in chunks])
            for key, value in (meta or {}).items():
                db.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            self._commits += 1  # a rolled-back write changes nothing, but forgetting costs little
