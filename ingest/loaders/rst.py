"""reStructuredText: the file's own lines, with section titles read from their underlines.

A title is a text line directly under a blank line (or an overline) and over a line of one repeated
punctuation character at least as long as the title. As in docutils, levels follow the order in which
the adornment styles first appear.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.loaders.registry import register
from ingest.loaders.text import read_lines
from ingest.model import Document, Heading

_ADORNMENT = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")


def rst_headings(lines: list[str]) -> list[Heading]:
    styles: list[tuple[str, bool]] = []
    found: list[Heading] = []
    for i in range(1, len(lines)):
        title = lines[i - 1].strip()
        adornment = _ADORNMENT.match(lines[i])
        if not adornment or not title or _ADORNMENT.match(lines[i - 1]) or len(lines[i].rstrip()) < len(title):
            continue
        overlined = i >= 2 and lines[i - 2].rstrip() == lines[i].rstrip()
        if not (i == 1 or overlined or not lines[i - 2].strip()):
            continue
        style = (adornment.group(1), overlined)
        if style not in styles:
            styles.append(style)
        found.append(Heading(i - 1 if overlined else i, styles.index(style) + 1, title[:80]))
    return found


@register(".rst", ".rest")
def load_rst(path: Path, source: str) -> Document:
    lines, warnings = read_lines(path)
    return Document(source=source, lines=lines, kind="rst", headings=rst_headings(lines) or None, warnings=warnings)
