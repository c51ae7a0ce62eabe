"""The app's side of issue 13 through AppTest: typed folders only under the allowed roots, and the password box
that is all an exposed app shows until the right password is typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest
from test_app import until_indexed

from settings import DEFAULT_NOTES_DIR, config_file_path
from ui.exposure import SIGN_IN_THROTTLE
from ui.views.gate import PASSWORD_KEY
from ui.views.state import OTHER_FOLDER

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "long enough passphrase"

pytestmark = pytest.mark.slow


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME is a fresh folder: the default allowed root."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def shipped_index(default_settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTEWISE_DATA_DIR", str(default_settings.data_dir))


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    """The sign-in throttle is the server process's: every test starts (and leaves) it clear."""
    SIGN_IN_THROTTLE.succeeded("unknown")  # AppTest sessions have no client address: one shared bucket
    yield
    SIGN_IN_THROTTLE.succeeded("unknown")


@pytest.fixture
def exposed() -> Iterator[None]:
    """Streamlit's server.address as `--server.address 0.0.0.0` sets it."""
    before = streamlit_config.get_option("server.address")
    streamlit_config.set_option("server.address", "0.0.0.0")
    yield
    streamlit_config.set_option("server.address", before)


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def type_folder(at: AppTest, path: str) -> None:
    at.text_input(key="notes_path").input(path).run()
    assert not at.exception


def shows_only_the_password_box(at: AppTest) -> bool:
    others = [at.chat_input, at.radio, at.selectbox, at.slider, at.file_uploader, at.tabs, at.markdown, at.caption]
    return ([t.key for t in at.text_input] == [PASSWORD_KEY] and [b.label for b in at.button] == ["Open"]
            and not any(others) and not at.sidebar.children)


def sign_in(at: AppTest, password: str) -> None:
    at.text_input(key=PASSWORD_KEY).input(password)
    next(b for b in at.button if b.label == "Open").click().run()
    assert not at.exception


def test_another_folder_outside_home_or_through_a_link_is_refused_and_changes_nothing(
        home: Path, shipped_index: None) -> None:
    (home / "etc-link").symlink_to("/etc")
    (home / "course").mkdir()
    (home / "course" / "kms.md").write_text("# KMS\nkms : key management service, rotates keys every year\n")
    at = run_app()
    at.radio(key="notes_choice").set_value(OTHER_FOLDER).run()
    for typed, reason in (("/etc", "'/etc' is outside"), (str(home / "etc-link"), "leads to /etc, which is outside")):
        type_folder(at, typed)
        assert reason in at.sidebar.error[0].value.replace("\\", "")
        assert at.text_input(key="notes_path").value == str(DEFAULT_NOTES_DIR)  # the box goes back
        assert at.sidebar.caption[0].value.replace("\\", "") == str(DEFAULT_NOTES_DIR)  # still answering from it
        assert at.tabs and not at.warning
    type_folder(at, str(home / "course"))
    assert not at.sidebar.error
    until_indexed(at)  # the sample notes answer until the new folder's index is ready
    at.text_input(key="find_query").input("key management").run()
    assert "kms.md" in at.main.markdown[0].value.replace("\\", "")


def test_exposed_without_a_password_shows_nothing_but_why(exposed: None, shipped_index: None) -> None:
    at = run_app()
    assert len(at.error) == 1 and "NOTEWISE_APP_PASSWORD is not set" in at.error[0].value.replace("\\", "")
    assert not at.text_input and not at.tabs and not at.sidebar.children and not at.chat_input


def test_exposed_app_shows_only_the_password_box_until_the_right_password(
        exposed: None, shipped_index: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTEWISE_APP_PASSWORD", PASSWORD)
    at = run_app()
    assert shows_only_the_password_box(at)
    sign_in(at, PASSWORD[:-1])
    assert at.error[0].value == "Wrong password."
    assert shows_only_the_password_box(at)
    sign_in(at, PASSWORD)
    assert at.tabs and not at.error
    at.text_input(key="find_query").input("multipart upload").run()
    assert "aws-study-notes.txt" in at.main.markdown[0].value.replace("\\", "")


def test_wrong_passwords_are_throttled_across_sessions_from_one_address(
        exposed: None, shipped_index: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new browser session per guess gets no more guesses: after 5 wrong ones from an address, even the
    right password waits (it is not checked), then works once the wait is over."""
    monkeypatch.setenv("NOTEWISE_APP_PASSWORD", PASSWORD)
    monkeypatch.setattr(SIGN_IN_THROTTLE, "base_s", 3.0)
    monkeypatch.setattr(SIGN_IN_THROTTLE, "window_s", 3600.0)  # however slow this machine starts the sessions
    for guess in range(5):
        at = run_app()
        sign_in(at, f"guess {guess}")
        assert at.error[0].value.startswith("Wrong password.")
    assert "wait 3 s before the next try" in at.error[0].value
    late = run_app()
    sign_in(late, PASSWORD)
    assert late.error[0].value.startswith("Too many wrong passwords from your address: try again in")
    assert shows_only_the_password_box(late)
    import time
    time.sleep(SIGN_IN_THROTTLE.wait_s("unknown") + 0.1)
    sign_in(late, PASSWORD)
    assert late.tabs and not late.error


def test_exposed_app_keeps_a_visitors_choices_in_the_session(
        exposed: None, shipped_index: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTEWISE_APP_PASSWORD", PASSWORD)
    at = run_app()
    sign_in(at, PASSWORD)
    at.slider(key="top_k").set_value(9).run()
    assert not at.exception and not at.error
    assert at.slider(key="top_k").value == 9
    assert not config_file_path().exists()  # the owner's config file is never written
    other = run_app()
    sign_in(other, PASSWORD)
    assert other.slider(key="top_k").value == 5
