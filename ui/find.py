"""Find in notes: ranked passages for a query, with the query's words marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from retrieval import Hit
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


def passage_from_hit(hit: Hit, terms: list[str]) -> FoundPassage:
    c = hit.chunk
    location = c.location or f"{c.start_line}-{c.end_line}"
    also = [f"{a.source}:{a.location or a.start_line}" for a in hit.also]
    return FoundPassage(hit.rank, c.source, c.start_line, c.end_line, location, c.heading, c.text,
                        highlight_block(c.text, terms), also)


def find_passages(ws: Workspace, query: str, k: int | None = None) -> list[FoundPassage]:
    """The ``k`` best passages for ``query`` (hybrid search, duplicates folded into ``also``)."""
    query = query.strip()
    if not query:
        return []
    terms = query_terms(query)
    return [passage_from_hit(hit, terms) for hit in ws.retriever.search(query, k).hits]
