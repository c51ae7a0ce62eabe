"""Turn note text into Streamlit markdown that shows the text literally.

Streamlit renders ``st.markdown`` through a markdown parser with extras (``:color[...]``, ``:emoji:``,
``$math$``, autolinks). Note text must never be interpreted: every ASCII punctuation character is
backslash-escaped and ``& < >`` become entities, so ``<script>`` or ``**`` in a note shows as typed.
Highlighting is added *after* escaping, so only our own markup is live.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from text.words import content_words

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_PUNCTUATION = frozenset(string.punctuation) - set(_ENTITIES)
_LEADING_SPACE = re.compile(r"^[ \t]+")


def _escape(text: str) -> str:
    out = []
    for char in text:
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _keep_indent(markdown: str) -> str:
    """Leading blanks would start a code block or be dropped; keep the indentation visible instead."""
    return _LEADING_SPACE.sub(lambda m: "&nbsp;" * len(m.group().expandtabs(4)), markdown)


def escape_markdown(text: str) -> str:
    """``text`` as markdown source that renders to exactly ``text`` (one line; no HTML, no markup)."""
    return _keep_indent(_escape(text))


#: Inline LaTeX: ``$$...$$`` or ``$...$`` (no blank just inside the dollars, as in Obsidian: "$5 and $6" is money).
_MATH = re.compile(r"(\$\$[^$\n]{1,1000}+\$\$|\$(?=[^\s$])[^$\n]{1,1000}+(?<=\S)\$)")


def escape_with_math(text: str) -> str:
    """Like :func:`escape_markdown`, but inline LaTeX is left as written so Streamlit draws it as math (KaTeX
    reads it as math, never as Markdown or HTML)."""
    pieces = _MATH.split(text)
    out = "".join(piece if i % 2 else _escape(piece) for i, piece in enumerate(pieces))
    return _keep_indent(out)


def escape_block(text: str, vault: bool = False) -> str:
    """Several lines of text as markdown with hard line breaks, each line escaped; ``vault``: read as a note of
    an Obsidian vault (links as their alias, inline math drawn)."""
    if vault:
        from ingest.vault import display_text

        return "  \n".join(escape_with_math(line) or "&nbsp;" for line in display_text(text).split("\n"))
    return "  \n".join(escape_markdown(line) or "&nbsp;" for line in text.split("\n"))


def query_terms(query: str) -> list[str]:
    """The words of a query worth highlighting (stop words dropped), longest first."""
    return sorted(set(content_words(query)), key=lambda w: (-len(w), w))


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    parts = [re.escape(t) for t in terms if t]
    if not parts:
        return None
    # A term matches at a word start and takes the rest of the word ("bucket" marks "buckets").
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(parts) + r")[A-Za-z0-9]*", re.IGNORECASE)


def highlight_spans(text: str, terms: Iterable[str]) -> list[tuple[str, bool]]:
    """Split ``text`` into (piece, matched) pairs; joined, the pieces give back ``text``."""
    pattern = _term_pattern(terms)
    if pattern is None:
        return [(text, False)] if text else []
    spans: list[tuple[str, bool]] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            spans.append((text[last:match.start()], False))
        spans.append((match.group(), True))
        last = match.end()
    if last < len(text):
        spans.append((text[last:], False))
    return spans


def highlight_line(line: str, terms: Iterable[str]) -> str:
    """One line as escaped markdown with the matched terms in bold."""
    pieces = [f"**{_escape(piece)}**" if hit else _escape(piece) for piece, hit in highlight_spans(line, terms)]
    return _keep_indent("".join(pieces)) or "&nbsp;"


def highlight_block(text: str, terms: Iterable[str]) -> str:
    """Several lines, escaped, matched terms in bold, hard line breaks between lines."""
    terms = list(terms)
    return "  \n".join(highlight_line(line, terms) for line in text.split("\n"))
