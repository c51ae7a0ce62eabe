"""The two values that flow out of ingest: a loaded document and its chunks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ingest.vault import NoteInfo


class IngestError(Exception):
    """A file that cannot be ingested; the message says why and what to do, in one line."""


@dataclass(frozen=True)
class Heading:
    """A heading a loader knows from the format itself (markdown #, docx style, html <h2>, pdf page)."""

    line: int  # 1-based line the heading is on
    level: int
    title: str


@dataclass(frozen=True)
class Block:
    """A run of lines a chunk keeps together (a paragraph, a list, a table, a code block): 0-based
    ``first``, ``past`` the last line. ``parts`` are the places it may be split when it alone is over the
    size budget (a list's top-level items); empty: split between lines."""

    first: int
    past: int
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Document:
    """A file as lines of text. Line numbers are 1-based positions in ``lines``.

    For plain-text formats ``lines`` are the file's own lines (``text.split("\\n")``), so a citation's
    line numbers open the file at the right place. Other formats fill ``locations`` with the unit the
    format has (``p3:12`` for page 3 line 12 of a PDF, ``¶7`` for a Word paragraph)."""

    source: str  # path relative to the notes folder, with forward slashes
    lines: list[str]
    kind: str = "text"
    headings: list[Heading] | None = None  # None: infer from the text (plain notes)
    blocks: list[Block] | None = None  # None: blank-line separated runs of lines
    locations: list[str] | None = None
    warnings: list[str] = field(default_factory=list)
    note: NoteInfo | None = None  # a note of an Obsidian vault: its name, aliases, tags, links, front matter

    def location(self, start_line: int, end_line: int) -> str:
        """Human label of a 1-based line span: ``12-15``, ``p2:3-p2:9``, ``¶4``."""
        if not self.locations:
            return f"{start_line}" if start_line == end_line else f"{start_line}-{end_line}"
        first, last = self.locations[start_line - 1], self.locations[end_line - 1]
        return first if first == last else f"{first}-{last}"


@dataclass(frozen=True)
class Chunk:
    """A passage of a note with the exact 1-based line span its text came from."""

    source: str
    start_line: int
    end_line: int
    heading: str  # heading path, " > " between levels; "" when the passage has none
    text: str
    location: str = ""
    occurrence: int = 0  # disambiguates identical passages in one file

    @property
    def id(self) -> str:
        """Content id: same file, heading and text give the same id, wherever the lines moved to."""
        key = "\x1f".join((self.source, self.heading, self.text, str(self.occurrence)))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]

    @property
    def title(self) -> str:
        stem = self.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return stem.replace("-", " ").replace("_", " ")

    @property
    def embed_text(self) -> str:
        """What is embedded and indexed: the contextual header (file title and heading path), then the text."""
        header = f"{self.title} > {self.heading}" if self.heading else self.title
        return f"{header}\n{self.text}"

    @property
    def reference(self) -> str:
        """Copyable reference, e.g. ``aws-study-notes.txt:12-15``."""
        return f"{self.source}:{self.location or self.start_line}"
