"""Issue 13's plain rules: allowed folders, exposure and the password, upload names, secrets stay in the environment."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from settings import DEFAULT_NOTES_DIR, config_file_path, load_settings, save_persisted
from ui.access import FolderRefused, allowed_roots, check_folder
from ui.exposure import ExposedWithoutPassword, check_exposure, is_loopback, password_matches
from ui.serve import address_in, streamlit_command
from ui.uploads import MAX_NAME_CHARS, safe_filename, save_upload

SUFFIXES = (".txt", ".md")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    (home / ".ssh").mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def roots():
    return allowed_roots(load_settings())


def test_a_folder_in_home_is_allowed_and_comes_back_resolved(home: Path) -> None:
    assert check_folder(str(home / "notes"), roots()) == home / "notes"
    assert check_folder("~/notes", roots()) == home / "notes"
    assert check_folder(str(home / "later" / "notes"), roots()) == home / "later" / "notes"  # need not exist


@pytest.mark.parametrize("typed", ["/etc", "/", "~/.ssh", "~/notes/../.ssh", "~/notes/../../"])
def test_system_and_hidden_folders_are_refused_with_the_reason(home: Path, typed: str) -> None:
    with pytest.raises(FolderRefused, match="outside the folders this app may open.*NOTEWISE_ALLOWED_ROOTS"):
        check_folder(typed, roots())


def test_a_symbolic_link_is_judged_by_where_it_leads(home: Path) -> None:
    (home / "etc-link").symlink_to("/etc")
    (home / "notes-link").symlink_to(home / "notes")
    with pytest.raises(FolderRefused, match="leads to /etc"):
        check_folder(str(home / "etc-link"), roots())
    assert check_folder(str(home / "notes-link"), roots()) == home / "notes"


def test_the_apps_own_folders_stay_allowed_outside_home(home: Path, tmp_path: Path, monkeypatch) -> None:
    configured = tmp_path / "srv" / "notes"
    monkeypatch.setenv("NOTEWISE_NOTES_DIR", str(configured))
    assert check_folder(str(configured), roots()) == configured
    assert check_folder(str(DEFAULT_NOTES_DIR), roots()) == DEFAULT_NOTES_DIR
    uploads = load_settings().effective_uploads_dir
    assert check_folder(str(uploads), roots()) == uploads
    with pytest.raises(FolderRefused):
        check_folder(str(tmp_path / "srv"), roots())


def test_allowed_roots_from_the_environment_replace_home(home: Path, tmp_path: Path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setenv("NOTEWISE_ALLOWED_ROOTS", f"{shared}:{tmp_path / 'other'}")
    assert check_folder(str(shared / "course"), roots()) == shared / "course"
    with pytest.raises(FolderRefused):
        check_folder(str(home / "notes"), roots())
    with pytest.raises(FolderRefused):
        check_folder(str(shared / ".git"), roots())


@pytest.mark.parametrize(("address", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.1.1", True),
    ("0.0.0.0", False), ("::", False), ("", False), (None, False), ("192.168.1.20", False), ("myhost", False)])
def test_loopback_addresses(address: str | None, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_exposed_needs_a_password_and_the_password_is_compared_exactly() -> None:
    assert check_exposure("127.0.0.1", None) is False
    for missing in (None, SecretStr(""), SecretStr("  ")):
        with pytest.raises(ExposedWithoutPassword, match="NOTEWISE_APP_PASSWORD is not set"):
            check_exposure("0.0.0.0", missing)
    password = SecretStr("correct horse")
    assert check_exposure("0.0.0.0", password) is True
    assert password_matches("correct horse", password)
    assert not password_matches("correct hors", password) and not password_matches("", password)
    assert not password_matches("", None)


def test_the_launcher_binds_loopback_unless_told_and_refuses_to_expose_without_a_password(monkeypatch) -> None:
    command = streamlit_command([], load_settings())
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(Path("app.py").resolve())]
    assert address_in(command) == "127.0.0.1"
    monkeypatch.setenv("NOTEWISE_HOST", "0.0.0.0")
    with pytest.raises(ExposedWithoutPassword):
        streamlit_command([], load_settings())
    monkeypatch.delenv("NOTEWISE_HOST")
    with pytest.raises(ExposedWithoutPassword):
        streamlit_command(["--server.address=0.0.0.0"], load_settings())
    monkeypatch.setenv("NOTEWISE_APP_PASSWORD", "s3cret")
    assert address_in(streamlit_command(["--server.address", "0.0.0.0"], load_settings())) == "0.0.0.0"


def test_sign_in_throttle_allows_five_a_minute_per_address_then_backs_off_exponentially() -> None:
    from ui.exposure import SignInThrottle

    now = [0.0]
    throttle = SignInThrottle(clock=lambda: now[0])
    assert [throttle.failed("10.0.0.7") for _ in range(4)] == [0.0] * 4
    assert throttle.failed("10.0.0.7") == 2.0 and throttle.wait_s("10.0.0.7") == 2.0  # the 5th: then wait
    assert throttle.wait_s("10.0.0.8") == 0.0  # another address is not held back
    now[0] += 2.0
    assert throttle.wait_s("10.0.0.7") == 0.0 and throttle.failed("10.0.0.7") == 4.0
    now[0] += 4.0
    assert throttle.failed("10.0.0.7") == 8.0  # doubling while the minute's count stays over 5
    now[0] += 8.0
    throttle.succeeded("10.0.0.7")
    assert throttle.wait_s("10.0.0.7") == 0.0 and throttle.failed("10.0.0.7") == 0.0
    now[0] += 120.0  # a quiet minute forgets old failures
    assert [throttle.failed("10.0.0.9") for _ in range(4)] == [0.0] * 4
    now[0] += 61.0
    assert throttle.failed("10.0.0.9") == 0.0
    assert SignInThrottle(max_wait_s=900.0, clock=lambda: 0.0).max_wait_s == 900.0


def test_the_last_server_address_counts_as_in_streamlits_own_command_line(monkeypatch) -> None:
    """Click takes the last of a repeated option: the check must judge the address the server will use."""
    twice = ["--server.address", "127.0.0.1", "--server.address", "0.0.0.0"]
    assert address_in(twice) == "0.0.0.0"
    with pytest.raises(ExposedWithoutPassword):
        streamlit_command(twice, load_settings())
    with pytest.raises(ExposedWithoutPassword):
        streamlit_command(["--server.address=127.0.0.1", "--server.address=0.0.0.0"], load_settings())
    command = streamlit_command(["--server.address", "0.0.0.0", "--server.address=127.0.0.1", "--server.port", "8502"],
                                load_settings())
    assert command.count("--server.address") == 1 and address_in(command) == "127.0.0.1"  # only the one checked
    assert command[-2:] == ["--server.port", "8502"]


def test_an_ipv6_host_in_brackets_binds_and_an_unknown_host_is_one_line(monkeypatch) -> None:
    monkeypatch.setenv("NOTEWISE_HOST", "[::1]")
    assert address_in(streamlit_command([], load_settings())) == "::1"  # loopback: no password needed
    monkeypatch.setenv("NOTEWISE_HOST", "no such host!")
    with pytest.raises(ValueError, match=r"^NOTEWISE_HOST 'no such host!' is not an address this machine can listen on"):
        streamlit_command([], load_settings())


def test_secrets_are_never_read_from_or_written_to_the_config_file(monkeypatch) -> None:
    config_file_path().parent.mkdir(parents=True)
    config_file_path().write_text('app_password = "from-file"\nchroma_token = "from-file"\nhost = "0.0.0.0"\n')
    settings = load_settings()
    assert settings.app_password is None and settings.chroma_token is None and settings.host == "0.0.0.0"
    monkeypatch.setenv("NOTEWISE_APP_PASSWORD", "from-env")
    save_persisted(load_settings())
    assert "from-env" not in config_file_path().read_text()


def test_upload_names_lose_folders_and_leading_dots_and_stay_short(tmp_path: Path) -> None:
    assert safe_filename(".bashrc.md") == "bashrc.md"
    assert safe_filename("../../.ssh/authorized_keys.txt") == "authorized_keys.txt"
    long = safe_filename("a" * 400 + ".md")
    assert len(long) == MAX_NAME_CHARS and long.endswith(".md")
    saved = save_upload(tmp_path / "up", "/etc/cron.d/.job.txt", b"x", SUFFIXES, 10)
    assert saved.path == tmp_path / "up" / "job.txt"


def test_an_upload_never_writes_through_or_reads_through_a_symbolic_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"private")
    folder = tmp_path / "up"
    folder.mkdir()
    (folder / "notes.md").symlink_to(outside)
    saved = save_upload(folder, "notes.md", b"private", SUFFIXES, 100)  # same bytes as the link's target
    assert saved.created and saved.path == folder / "notes-1.md"  # no "already there": no peeking outside
    assert outside.read_bytes() == b"private"
