"""Show a cited span in its note: numbered lines, the span highlighted, a reference to copy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from ingest.limits import Limits
from ingest.vault import is_vault, obsidian_url
from ui.context import ContextError, cited_context
from ui.text import escape_markdown
from ui.views import state


def render_context(notes_dir: Path, source: str, start_line: int, end_line: int, *, location: str = "",
                   quote: str = "", linked_from: Sequence[str] = ()) -> None:
    """The cited lines with a few lines around them (call inside an expander or container). In an Obsidian
    vault, the lines read as in Obsidian, with an "Open in Obsidian" link and the notes that link here."""
    try:
        ctx = cited_context(notes_dir, source, start_line, end_line, location=location, quote=quote,
                            limits=Limits.of(state.current_settings()))
    except ContextError as exc:
        st.warning(escape_markdown(str(exc)))
        return
    span = f"line {ctx.start_line}" if ctx.start_line == ctx.end_line else f"lines {ctx.start_line}-{ctx.end_line}"
    st.caption(escape_markdown(f"{ctx.source}, {span}"))
    vault = is_vault(notes_dir)
    st.markdown(ctx.markdown(vault=vault))
    st.code(ctx.reference, language=None)
    url = obsidian_url(notes_dir, source) if vault else None
    if url:
        st.markdown(f"[Open in Obsidian]({url})")
    if linked_from:
        st.caption(escape_markdown("Linked from: " + ", ".join(linked_from)))
    if ctx.stale:
        st.warning("This note changed since it was indexed; press Re-index in the sidebar.")


def citation_label(n: int | None, source: str, location: str, heading: str) -> str:
    """Expander label, escaped: ``[2] aws-study-notes.txt:12-15 · S3``."""
    marker = f"[{n}] " if n is not None else ""
    tail = f" · {heading}" if heading else ""
    return escape_markdown(f"{marker}{source}:{location}{tail}")
