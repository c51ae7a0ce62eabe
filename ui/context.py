"""The lines a citation points at, with a few lines around them, ready to show.

Lines are numbered the way the index numbers them (the loader's ``Document.lines``), so what the page
shows under "lines 12-15" is what the citation meant. Reading goes through ``ingest.notes_view.read_lines``,
which refuses paths that leave the notes folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.limits import Limits
from ingest.notes_view import read_lines
from ingest.vault import display_text
from text.words import normalise
from ui.text import escape_markdown, escape_with_math

CONTEXT_LINES = 3


class ContextError(ValueError):
    """The cited note cannot be shown; the message says why in one line."""


@dataclass(frozen=True)
class ContextLine:
    number: int  # 1-based, as in the citation
    text: str
    cited: bool


@dataclass(frozen=True)
class CitedContext:
    source: str
    start_line: int
    end_line: int
    location: str  # the citation's own label ("12-15", "p2:3")
    lines: list[ContextLine]
    stale: bool  # the note changed since it was indexed: the quote is no longer at these lines

    @property
    def reference(self) -> str:
        """What a person copies to point at the passage: ``aws-study-notes.txt:12-15``."""
        return f"{self.source}:{self.location}"

    @property
    def cited_text(self) -> str:
        return "\n".join(line.text for line in self.lines if line.cited)

    def markdown(self, vault: bool = False) -> str:
        """Numbered lines, the cited ones on a highlighted background; note text escaped. A note of an
        Obsidian vault reads as in Obsidian (links as their alias, ``ingest.vault.display_text``) with its
        inline ``$math$`` drawn."""
        rows = []
        for line in self.lines:
            text = (escape_with_math(display_text(line.text)) if vault else escape_markdown(line.text)) or "&nbsp;"
            rows.append(f"`{line.number}` :orange-background[{text}]" if line.cited else f"`{line.number}` {text}")
        return "  \n".join(rows)


def cited_context(notes_dir: Path, source: str, start_line: int, end_line: int, *, location: str = "",
                  quote: str = "", context: int = CONTEXT_LINES, limits: Limits | None = None) -> CitedContext:
    """Lines ``start_line..end_line`` of a note plus ``context`` lines either side (safe reader of store/),
    read under the size ``limits`` the index used (None: the defaults)."""
    try:
        lines = read_lines(notes_dir, source, start_line, end_line, context, limits)
    except FileNotFoundError as exc:
        raise ContextError(f"{source} is no longer in the notes folder; press Re-index to drop it.") from exc
    except (OSError, ValueError) as exc:
        raise ContextError(str(exc)) from exc
    shown = [ContextLine(v.number, v.text, v.cited) for v in lines]
    cited = normalise("\n".join(v.text for v in lines if v.cited))
    stale = bool(quote.strip()) and normalise(quote) not in cited
    label = location or (str(start_line) if start_line == end_line else f"{start_line}-{end_line}")
    return CitedContext(source, start_line, end_line, label, shown, stale)
