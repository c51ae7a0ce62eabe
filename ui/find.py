"""Find in notes: ranked passages for a query, with the query's words marked."""

from __future__ import annotations

from dataclasses import dataclass, field

import service
from ingest.vault import display_text, is_vault
from retrieval import Hit
from retrieval.scope import parse_scope
from ui.text import escape_markdown, highlight_block, query_terms
from workspace import Workspace


@dataclass(frozen=True)
class FoundPassage:
    rank: int
    source: str
    start_line: int
    end_line: int
    location: str
    heading: str
    text: str
    highlighted: str  # escaped markdown, matched words in bold
    also: list[str] = field(default_factory=list)  # other places with the same passage ("file:12-15")

    @property
    def reference(self) -> str:
        return f"{self.source}:{self.location}"

    @property
    def label(self) -> str:
        """Expander label (escaped markdown): rank, reference and heading."""
        heading = f" · {self.heading}" if self.heading else ""
        return escape_markdown(f"{self.rank}. {self.reference}{heading}")


def passage_from_hit(hit: Hit, terms: list[str], vault: bool = False) -> FoundPassage:
    """``vault``: a note of an Obsidian vault, shown as Obsidian reads it (links as their alias)."""
    c = hit.chunk
    location = c.location or f"{c.start_line}-{c.end_line}"
    also = [f"{a.source}:{a.location or a.start_line}" for a in hit.also]
    return FoundPassage(hit.rank, c.source, c.start_line, c.end_line, location, c.heading, c.text,
                        highlight_block(display_text(c.text) if vault else c.text, terms), also)


def find_passages(ws: Workspace, query: str, k: int | None = None) -> list[FoundPassage]:
    """The ``k`` best passages for ``query`` (hybrid search, duplicates folded into ``also``); a ``#tag`` or
    ``in:Folder`` of the notes in it narrows the search to those notes."""
    query = query.strip()
    if not query:
        return []
    rest, scope = parse_scope(query, ws.index.catalog)
    query = rest or query
    terms = query_terms(query)
    vault = is_vault(ws.settings.notes_dir)
    return [passage_from_hit(hit, terms, vault) for hit in service.search(ws, query, k, scope=scope or None).hits]
