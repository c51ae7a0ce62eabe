"""Show a cited span in its note: numbered lines, the span highlighted, a reference to copy."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.context import ContextError, cited_context
from ui.text import escape_markdown


def render_context(notes_dir: Path, source: str, start_line: int, end_line: int, *, location: str = "",
                   quote: str = "") -> None:
    """The cited lines with a few lines around them (call inside an expander or container)."""
    try:
        ctx = cited_context(notes_dir, source, start_line, end_line, location=location, quote=quote)
    except ContextError as exc:
        st.warning(escape_markdown(str(exc)))
        return
    span = f"line {ctx.start_line}" if ctx.start_line == ctx.end_line else f"lines {ctx.start_line}-{ctx.end_line}"
    st.caption(escape_markdown(f"{ctx.source}, {span}"))
    st.markdown(ctx.markdown())
    st.code(ctx.reference, language=None)
    if ctx.stale:
        st.warning("This note changed since it was indexed; press Re-index in the sidebar.")


def citation_label(n: int | None, source: str, location: str, heading: str) -> str:
    """Expander label, escaped: ``[2] aws-study-notes.txt:12-15 · S3``."""
    marker = f"[{n}] " if n is not None else ""
    tail = f" · {heading}" if heading else ""
    return escape_markdown(f"{marker}{source}:{location}{tail}")
