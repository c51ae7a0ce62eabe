"""The Find in notes tab: ranked passages, matched words in bold, each openable in its note."""

from __future__ import annotations

import streamlit as st

from ui.find import FoundPassage, find_passages
from ui.text import escape_markdown
from ui.views.citations import render_context
from workspace import Workspace

MIN_RESULTS = 8


def render_find(ws: Workspace) -> None:
    query = st.text_input("Find in notes", key="find_query", placeholder="e.g. multipart upload",
                          help="Searches by meaning and by words; press Enter.")
    if not query.strip():
        st.caption("Type a few words to see the passages of your notes that match, with file and lines.")
        return
    passages = find_passages(ws, query, max(ws.settings.top_k, MIN_RESULTS))
    if not passages:
        st.info("Nothing in your notes matches that.")
        return
    st.caption(f"{len(passages)} passages, best first")
    for passage in passages:
        _render_passage(ws, passage)


def _render_passage(ws: Workspace, passage: FoundPassage) -> None:
    with st.container(border=True):
        st.markdown(f"**{passage.label}**")
        st.markdown(passage.highlighted)
        if passage.also:
            st.caption(escape_markdown("Also at " + ", ".join(passage.also)))
        with st.expander("Open in context"):
            render_context(ws.settings.notes_dir, passage.source, passage.start_line, passage.end_line,
                           location=passage.location)
