"""Build a :class:`Document` line by line for formats whose lines are not the file's own (PDF, Word, HTML...).

Every line carries the location a reader can find it by in the original (``p3:12``, ``¶7``, a source line),
so a chunk's citation uses the unit the format has.
"""

from __future__ import annotations

from ingest.loaders.text import check_lines, text_over_limit
from ingest.model import Document, Heading, IngestError


class DocumentBuilder:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.locations: list[str] = []
        self.headings: list[Heading] = []
        self.chars = 0

    def _check_size(self) -> None:
        """Stop reading as soon as the text passes a limit: a small file that expands to millions of lines
        (a zip bomb in a .docx, a page of empty paragraphs) is refused before it costs minutes and memory."""
        too_big = text_over_limit(self.chars, len(self.lines), expanded=True, final=False)
        if too_big:
            raise IngestError(too_big)

    def add(self, text: str, location: str) -> None:
        """Append ``text`` (one or more lines) found at ``location``; trailing spaces are dropped."""
        for line in text.split("\n"):
            self.lines.append(line.rstrip())
            self.locations.append(location)
            self.chars += len(line) + 1
        self._check_size()

    def heading(self, title: str, level: int, location: str, add_line: bool = True) -> None:
        """Start a section at the next line. With ``add_line`` the title is that line (part of the text);
        without, the caller's next line opens the section (a JSON record under its top-level key)."""
        title = " ".join(title.split())
        if not title:
            return
        self.blank()
        self.headings.append(Heading(len(self.lines) + 1, level, title[:80]))
        if add_line:
            self.add(title, location)

    def blank(self) -> None:
        """End a paragraph: the chunker packs blank-line-separated blocks."""
        if self.lines and self.lines[-1]:
            self.lines.append("")
            self.locations.append(self.locations[-1])
            self.chars += 1
            self._check_size()

    @property
    def empty(self) -> bool:
        return not any(line.strip() for line in self.lines)

    def build(self, source: str, kind: str, what: str, warnings: list[str] | None = None,
              infer_headings: bool = False) -> Document:
        """The document; ``what`` names the format in the error for an empty one ("PDF", "Word document").

        With ``infer_headings`` and no headings from the format, the chunker infers them from the text."""
        while self.lines and not self.lines[-1]:
            self.lines.pop()
            self.locations.pop()
        check_lines(self.lines or [""], what, expanded=True)
        headings: list[Heading] | None = self.headings
        if infer_headings and not self.headings:
            headings = None
        return Document(source=source, lines=self.lines, kind=kind, headings=headings,
                        locations=self.locations, warnings=list(warnings or []))
