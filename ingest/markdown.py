"""Markdown structure from a real parser (markdown-it-py): headings, and the blocks a chunk must not cut.

A ``# comment`` inside a fenced code block is code, not a heading; a setext ``Title\\n---`` is a heading;
a list, a table or a code block is one block, and when it has to be split, a list is split between its
top-level items (each item keeps its nested items). Line numbers come from the parser's source map, so
chunks keep exact line spans.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ingest.model import Block, Heading

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_INLINE_MARKUP = re.compile(r"[*_`]++|!?\[([^\]\n]{0,200}+)\]\([^)\n]{0,500}+\)")  # linear: bounded, possessive


def heading_title(raw: str) -> str:
    """A heading's readable title: links reduced to their text, emphasis and code marks dropped."""
    title = _INLINE_MARKUP.sub(lambda m: m.group(1) or "", raw).strip()
    return title[:80].strip() or raw.strip()[:80]


def markdown_structure(lines: list[str]) -> tuple[list[Heading], list[Block]]:
    """Headings (1-based lines) and top-level blocks (0-based, end exclusive) of a Markdown text."""
    tokens = _PARSER.parse("\n".join(lines))
    headings: list[Heading] = []
    blocks: list[Block] = []
    for i, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        first, past = token.map
        if token.type == "heading_open":
            title = tokens[i + 1].content if i + 1 < len(tokens) else ""
            headings.append(Heading(first + 1, int(token.tag[1:]), heading_title(title)))
        parts: tuple[tuple[int, int], ...] = ()
        if token.type in ("bullet_list_open", "ordered_list_open"):
            parts = tuple((t.map[0], t.map[1]) for t in _children(tokens, i) if t.type == "list_item_open"
                          and t.level == token.level + 1 and t.map is not None)
        blocks.append(Block(first, past, parts))
    return headings, blocks


def _children(tokens: list, opening: int) -> list:
    """The tokens between an opening token and its closing twin."""
    depth, found = 0, []
    for token in tokens[opening:]:
        depth += token.nesting
        found.append(token)
        if depth == 0:
            break
    return found[1:-1]
