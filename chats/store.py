"""The saved chats: one SQLite file in the data folder (``<data_dir>/chats.sqlite3``).

A chat is its ``?chat=`` id, the notes folder it began on, its first question (its title in the sidebar)
and its turns in order, each stored as JSON (:mod:`chats.codec`). Every write is one transaction, so a
crash leaves a chat as it was before the write or after it, never half a turn. Two tabs of one chat both
append; a reload shows every turn either wrote. Open a store per use (``with ChatStore(path) as store``):
connections are not shared across threads."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from chats.codec import decode_turn, encode_turn

log = logging.getLogger("notewise.chats")
TITLE_CHARS = 80
_SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    id TEXT PRIMARY KEY, notes_dir TEXT NOT NULL, title TEXT NOT NULL, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS turns (
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE, seq INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (chat_id, seq));
"""


def chats_db_path(data_dir: Path) -> Path:
    return data_dir / "chats.sqlite3"


@dataclass(frozen=True)
class ChatSummary:
    """One saved chat, as the sidebar lists it."""

    id: str
    notes_dir: str
    title: str  # the first question ("" until one is asked)
    updated_at: datetime

    @property
    def folder_name(self) -> str:
        return Path(self.notes_dir).name or self.notes_dir


class ChatStore:
    """Saved chats in ``path``; raises ``RuntimeError`` (one line) when the file is damaged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=10)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise RuntimeError(f"The chat history file {path} is damaged ({exc}). Delete it to start afresh "
                               "(only saved chats are lost).") from exc

    def __enter__(self) -> ChatStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def append(self, chat_id: str, notes_dir: str, turns: Sequence[dict[str, Any]],
               at: datetime | None = None) -> int:
        """Add ``turns`` after the chat's last one, creating the chat on its first turns (titled by the first
        user turn); one transaction. Returns how many turns the chat holds now."""
        at = at or datetime.now(UTC)
        bodies = [json.dumps(encode_turn(t), ensure_ascii=False) for t in turns]
        title = next((str(t["content"]).strip() for t in turns if t.get("role") == "user"), "")[:TITLE_CHARS]
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT OR IGNORE INTO chats VALUES (?,?,?,?,?)",
                            (chat_id, notes_dir, "", at.isoformat(), at.isoformat()))
            self.db.execute("UPDATE chats SET updated_at=?, title=CASE WHEN title='' THEN ? ELSE title END "
                            "WHERE id=?", (at.isoformat(), title, chat_id))
            first = self.db.execute("SELECT COALESCE(MAX(seq) + 1, 0) FROM turns WHERE chat_id=?",
                                    (chat_id,)).fetchone()[0]
            self.db.executemany("INSERT INTO turns VALUES (?,?,?)",
                                [(chat_id, first + i, body) for i, body in enumerate(bodies)])
        return first + len(bodies)

    def turns(self, chat_id: str) -> list[dict[str, Any]]:
        """The chat's turns, oldest first ([] for an unknown id); a turn this version cannot read is skipped."""
        out = []
        for seq, body in self.db.execute("SELECT seq, body FROM turns WHERE chat_id=? ORDER BY seq", (chat_id,)):
            try:
                out.append(decode_turn(json.loads(body)))
            except ValueError as exc:
                log.warning("chat %s: turn %d skipped (%s)", chat_id, seq, exc)
        return out

    def count(self, chat_id: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM turns WHERE chat_id=?", (chat_id,)).fetchone()[0]

    def chats(self, limit: int = 50) -> list[ChatSummary]:
        """Chats with at least one question, the most recently used first."""
        rows = self.db.execute("SELECT id, notes_dir, title, updated_at FROM chats WHERE title != '' "
                               "ORDER BY updated_at DESC, id LIMIT ?", (limit,))
        return [ChatSummary(i, d, t, datetime.fromisoformat(u)) for i, d, t, u in rows]

    def get(self, chat_id: str) -> ChatSummary | None:
        row = self.db.execute("SELECT id, notes_dir, title, updated_at FROM chats WHERE id=?", (chat_id,)).fetchone()
        return ChatSummary(row[0], row[1], row[2], datetime.fromisoformat(row[3])) if row else None

    def delete(self, chat_id: str) -> bool:
        """Remove the chat and its turns (one transaction); False when there was none."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("DELETE FROM turns WHERE chat_id=?", (chat_id,))
            return self.db.execute("DELETE FROM chats WHERE id=?", (chat_id,)).rowcount > 0
