"""The password box shown instead of the app when it listens beyond this machine (see ``ui/exposure.py``)."""

from __future__ import annotations

import math
import time

import streamlit as st

from settings import load_settings
from ui.exposure import (
    SIGN_IN_THROTTLE,
    ExposedWithoutPassword,
    check_exposure,
    is_loopback,
    password_matches,
)
from ui.text import escape_markdown

SIGNED_IN = "signed_in"
PASSWORD_KEY = "gate_password"
WRONG_PASSWORD_DELAY_S = 1.0  # slows guessing down; each browser session waits on its own


#: Browser sessions of this server process that typed the right password (Streamlit session ids).
_SIGNED_IN_SESSIONS: set[str] = set()


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def guard_uploads() -> None:
    """Refuse file uploads from sessions that have not signed in, before a byte of them is read.

    Streamlit accepts ``PUT /_stcore/upload_file/<session>/<file>`` for any live session, and reads the
    whole file into server memory, whether or not its page ever drew an uploader: so anyone who reaches an
    exposed port could fill the server's memory without the password. The route first asks the runtime
    whether the session is active; here that answer is also "no" for a session that has not signed in while
    the app is exposed, so the upload is refused (400) before its body is read. Installed once per process,
    by the first page run (no session can upload before its own page has run)."""
    from streamlit.runtime import Runtime

    if getattr(Runtime.is_active_session, "notewise_guard", False):
        return
    original = Runtime.is_active_session

    def is_active_session(self: Runtime, session_id: str) -> bool:
        return original(self, session_id) and (not app_is_exposed() or session_id in _SIGNED_IN_SESSIONS)

    is_active_session.notewise_guard = True  # type: ignore[attr-defined]
    Runtime.is_active_session = is_active_session  # type: ignore[method-assign]


def app_is_exposed() -> bool:
    """True when the server listens on a non-loopback address (Streamlit's ``server.address``)."""
    return not is_loopback(st.get_option("server.address"))


def page_allowed() -> bool:
    """True when this session may see the app; else only the password box (or why there is none) is drawn."""
    if not app_is_exposed():
        return True
    guard_uploads()
    try:
        check_exposure(st.get_option("server.address"), load_settings().app_password)
    except ExposedWithoutPassword as exc:
        st.error(escape_markdown(f"Locked: nothing is shown. {exc}"), icon=":material/lock:")
        return False
    if st.session_state.get(SIGNED_IN):
        if (session := _session_id()) is not None:
            _SIGNED_IN_SESSIONS.add(session)
        return True
    _render_password_box()
    return False


def _render_password_box() -> None:
    st.title(":material/lock: Notewise")
    with st.form("sign_in"):
        st.text_input("Password", type="password", key=PASSWORD_KEY,
                      help="This app is shared on the network; its owner set the password "
                      "(NOTEWISE_APP_PASSWORD).")
        st.form_submit_button("Open", on_click=_check_password)
    refused = st.session_state.pop("gate_refused", "")
    if refused:
        st.error(refused)  # our own words, no user text


def client_address() -> str:
    """The address the browser connects from; every session from one address shares its sign-in throttle."""
    try:
        address = st.context.ip_address
    except Exception:  # no request behind this run
        address = None
    return address if isinstance(address, str) and address else "unknown"  # a test harness: one shared bucket


def _check_password() -> None:
    ss = st.session_state
    given = str(ss.get(PASSWORD_KEY) or "")
    ss[PASSWORD_KEY] = ""  # never kept in the session
    address = client_address()
    wait = SIGN_IN_THROTTLE.wait_s(address)
    if wait > 0:  # not even checked: more sessions give no more guesses
        ss.gate_refused = (f"Too many wrong passwords from your address: try again in {math.ceil(wait)} s "
                           "(the password was not checked).")
        return
    if password_matches(given, load_settings().app_password):
        SIGN_IN_THROTTLE.succeeded(address)
        ss[SIGNED_IN] = True
        if (session := _session_id()) is not None:
            _SIGNED_IN_SESSIONS.add(session)
        return
    time.sleep(WRONG_PASSWORD_DELAY_S)
    wait = SIGN_IN_THROTTLE.failed(address)
    ss.gate_refused = "Wrong password." + (f" Too many from your address: wait {math.ceil(wait)} s before the next "
                                           "try." if wait else "")
