"""`make run` as a user runs it: listening on this machine only, and refusing to be exposed without a password.

The port is moved off 8501 with Streamlit's own environment variable (STREAMLIT_SERVER_PORT), so the command
itself is exactly the Makefile's. The machine's other address is found without sending anything off the
machine (a UDP socket's connect only picks a route).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from servers import free_port, served

ROOT = Path(__file__).resolve().parent.parent
MAKE_RUN = ["make", "-s", "-o", ".venv/.installed", "run"]  # -o: never reinstall from inside a test

pytestmark = pytest.mark.slow


def other_address() -> str | None:
    """An address of this machine that is not loopback, or None when it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # UDP: no packet is sent
            address = probe.getsockname()[0]
        except OSError:
            address = None
    if address and not address.startswith("127.") and address != "0.0.0.0":
        return address
    found = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False).stdout.split()
    return next((a for a in found if "." in a and not a.startswith("127.")), None)


def app_env(tmp_path: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTEWISE_", "STREAMLIT_"))}
    env.update(NOTEWISE_DATA_DIR=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               HF_HUB_OFFLINE="1", STREAMLIT_SERVER_PORT=str(port), **extra)
    return env


def connects(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=3):
            return True
    except ConnectionRefusedError:
        return False


def test_make_run_listens_on_loopback_only(tmp_path: Path) -> None:
    other = other_address()
    if other is None:
        pytest.skip("this machine has no address besides loopback to try")
    port = free_port()
    with served(MAKE_RUN, f"http://127.0.0.1:{port}/_stcore/health", tmp_path / "run.log",
                env=app_env(tmp_path, port), cwd=ROOT):
        assert connects("127.0.0.1", port)
        assert not connects(other, port), f"make run answers on {other}:{port}"
    assert f"http://127.0.0.1:{port}" in (tmp_path / "run.log").read_text()


def test_exposed_with_a_password_is_reachable_on_the_other_address(tmp_path: Path) -> None:
    """The control for the test above: the other address does reach an app that listens on it."""
    other = other_address()
    if other is None:
        pytest.skip("this machine has no address besides loopback to try")
    port = free_port()
    env = app_env(tmp_path, port, NOTEWISE_HOST="0.0.0.0", NOTEWISE_APP_PASSWORD="a test password")
    with served(MAKE_RUN, f"http://127.0.0.1:{port}/_stcore/health", tmp_path / "run.log", env=env, cwd=ROOT):
        assert connects(other, port)


@pytest.mark.parametrize(("command", "host"), [(MAKE_RUN, {"NOTEWISE_HOST": "0.0.0.0"}),
                                             ([sys.executable, "-m", "ui.serve", "--server.address", "0.0.0.0"], {}),
                                             ([sys.executable, "-m", "ui.serve", "--server.address", "127.0.0.1",
                                               "--server.address", "0.0.0.0"], {})],
                         ids=["NOTEWISE_HOST", "streamlit-flag", "last-flag-wins"])
def test_starting_exposed_without_a_password_exits_with_one_line(tmp_path: Path, command: list[str],
                                                                  host: dict[str, str]) -> None:
    port = free_port()
    env = app_env(tmp_path, port, **host)
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    ours = [line for line in result.stderr.splitlines() if line.startswith("notewise:")]
    assert len(ours) == 1 and "refusing to start" in ours[0] and "NOTEWISE_APP_PASSWORD is not set" in ours[0]
    assert "Traceback" not in result.stderr and not connects("127.0.0.1", port)


def test_a_host_that_cannot_be_listened_on_exits_with_one_line(tmp_path: Path) -> None:
    port = free_port()
    result = subprocess.run(MAKE_RUN, env=app_env(tmp_path, port, NOTEWISE_HOST="no such host!"), cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    ours = [line for line in result.stderr.splitlines() if line.startswith("notewise:")]
    assert len(ours) == 1 and "NOTEWISE_HOST 'no such host!' is not an address this machine can listen on" in ours[0]
