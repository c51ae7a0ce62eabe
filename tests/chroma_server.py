"""Start and stop a real ``chroma run`` server on 127.0.0.1 for the client/server tests."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from servers import free_port, served


@contextlib.contextmanager
def running_chroma(path: Path, startup_timeout: float = 120.0) -> Iterator[str]:
    """Yield the URL of a ``chroma run --path PATH`` server once it answers its heartbeat."""
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        raise RuntimeError(f"{chroma} is missing: chromadb from requirements.txt installs it")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(chroma), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)]
    with served(command, f"{url}/api/v2/heartbeat", path / "server.log", startup_timeout):
        yield url
