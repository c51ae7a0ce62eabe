"""The values an answer is made of: the text, its citations and the passages it was drawn from."""

from __future__ import annotations

from dataclasses import dataclass, field

from retrieval import Hit


@dataclass
class Citation:
    """Where marker ``[n]`` points: a span of a note and the exact lines quoted from it."""

    n: int  # the [n] marker number in the answer text
    source: str  # path relative to the notes folder
    start_line: int
    end_line: int
    quote: str  # the cited lines, verbatim
    heading: str
    location: str  # human label of the span ("12-15", "p2:3")
    also: list[tuple[str, int, int]] = field(default_factory=list)  # other places stating the same fact
    linked_from: list[str] = field(default_factory=list)  # notes of a vault that link to this one

    def to_json(self) -> dict:
        return {"source": self.source, "start_line": self.start_line, "end_line": self.end_line,
                "quote": self.quote}

    def also_at(self) -> list[str]:
        """The other places, as ``file:12`` or ``file:12-15``."""
        return [f"{source}:{first}" + (f"-{last}" if last != first else "") for source, first, last in self.also]


@dataclass
class Answer:
    question: str
    text: str
    refused: bool
    citations: list[Citation]
    hits: list[Hit]
    backend: str  # the backend that produced the text
    notice: str | None = None  # why another backend than the chosen one answered, and what to fix
    coverage: float = 0.0  # evidence behind answering or refusing (see answer.evidence)
    similarity: float = 0.0

    def to_json(self) -> dict:
        return {"answer": self.text, "refused": self.refused,
                "citations": [c.to_json() for c in self.citations]}
