"""Start a real server process for a test, wait until it answers, and always stop it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(command: list[str], health_url: str, log_path: Path, timeout: float = 120.0,
           env: dict[str, str] | None = None, cwd: Path | None = None) -> Iterator[subprocess.Popen]:
    """Run ``command`` (output to ``log_path``) until ``health_url`` answers 200; stop it on exit."""
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        try:
            deadline = time.monotonic() + timeout
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(health_url, timeout=2).status_code == 200:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    state = f"exited with code {server.returncode}" if server.poll() is not None else "timed out"
                    raise RuntimeError(f"{command[0]} {state} before {health_url} answered: "
                                       f"{log_path.read_text(errors='replace')[-2000:]}")
                time.sleep(0.3)
            yield server
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@contextlib.contextmanager
def streamlit_app(home: Path, cwd: Path, address: str = "127.0.0.1", **extra_env: str) -> Iterator[str]:
    """`streamlit run app.py` on a free port of ``address`` with its data and config under ``home`` (no other
    NOTEWISE_* setting leaks in); yields the page's URL (on 127.0.0.1) once the server answers, and stops it
    on exit. The server's process id is written to ``home/streamlit.pid``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTEWISE_")}
    env.update(NOTEWISE_DATA_DIR=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"), HF_HUB_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false", **extra_env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).parent / "streamlit"), "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", address, "--browser.gatherUsageStats", "false"]
    with served(command, f"{url}/_stcore/health", home / "streamlit.log", env=env, cwd=cwd) as server:
        (home / "streamlit.pid").write_text(str(server.pid))
        yield url
