"""The panel shown while a newly chosen notes folder indexes in the background: a progress bar with files
and passages done out of their totals and the time left, and a Cancel button. The previous folder answers
meanwhile (``state.begin_switch``); the panel redraws itself every second and, once the new index is ready,
reruns the page so it switches to it (with a notice)."""

from __future__ import annotations

import streamlit as st

from settings import Settings
from ui.loading import Loader
from ui.text import escape_markdown
from ui.views import state

POLL_S = 1.0
CANCELLED = "indexing_cancelled"


def _cancel(loader: Loader) -> None:
    state.cancel_switch(loader)
    st.session_state[CANCELLED] = True


@st.fragment(run_every=POLL_S)
def render_progress(loader: Loader, chosen: Settings, answering: Settings) -> None:
    """The indexing panel of ``chosen`` (call inside the page's notices box)."""
    if st.session_state.pop(CANCELLED, False):
        st.rerun()  # a click inside a fragment reruns only the fragment: the page must show the previous folder
    if st.session_state.get(state.SWITCHING) != str(chosen.notes_dir) or loader.cancelled:
        return  # cancelled, or another folder chosen since: a timer of this panel left over draws nothing
    if loader.wait(0):
        st.rerun()  # the whole page: it now answers from the new folder
    fraction, text = loader.progress()
    with st.container(border=True, key="indexing_panel"):
        st.markdown(escape_markdown(f"Indexing {chosen.notes_dir.name} ({chosen.notes_dir}). Answers keep "
                                    f"coming from {answering.notes_dir.name} until it is ready."))
        st.progress(min(1.0, max(0.0, fraction)), text=escape_markdown(text))
        st.button("Cancel", key="cancel_indexing", icon=":material/cancel:", on_click=_cancel, args=(loader,), help="Stop indexing this folder; the index stays as it was before.")
