"""The app's cold start in a real browser: ``streamlit run`` to the chat box, and to the first answer.

Driven by playwright with Debian's chromium (/usr/bin/chromium; never ``playwright install``) on
127.0.0.1. Each start is a fresh ``streamlit run``; clocks count from the command. Three kinds of start,
interleaved so that the machine's load hits them alike:

- ``bare``: a Streamlit page holding only ``st.chat_input`` (the floor: Streamlit's own start);
- ``index_built``: the app on the shipped notes with the index already built (a restart);
- ``empty_data_folder``: the app on an empty data folder (the very first start, which builds the index).

The question is typed as soon as the chat box shows, as a person would; if the notes are still loading
it waits for them, and the clock runs on until the answer's first citation is on the page.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import common

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
QUESTIONS = ["What is Parquet, and which Amazon query engine is it mentioned with?", "When is CloudFormation used?"]
PLACEHOLDER = "Ask your notes…"
LOADING_TEXT = "Getting your notes ready"  # the app's loading status (ui/views/state.py LOADING_LABEL)
BARE_PAGE = f"import streamlit as st\n\nst.chat_input({PLACEHOLDER!r})\n"
WAIT_MS = 600_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout} s")


@contextmanager
def streamlit_server(script: Path, env: dict[str, str]) -> Iterator[tuple[str, float]]:
    """``streamlit run script`` on a free port; yields its URL and the ``perf_counter`` of the command."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "streamlit"), "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=script.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(url, server)
        yield url, start
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def browser_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()


def ask_and_wait(page: Any, question: str, reply_index: int) -> None:
    """Type a question; return when the answer's first citation is on the page (the answer is complete)."""
    box = page.get_by_placeholder(PLACEHOLDER)
    box.wait_for(timeout=WAIT_MS)
    box.fill(question)
    box.press("Enter")
    page.get_by_test_id("stChatMessage").nth(reply_index).get_by_test_id("stExpander").first.wait_for(timeout=WAIT_MS)


def bare_run(env: dict[str, str], browser: Any, folder: Path) -> dict[str, float]:
    script = folder / "bare_chat.py"
    script.write_text(BARE_PAGE, encoding="utf-8")
    with streamlit_server(script, env) as (url, start), browser_page(browser) as page:
        server_up = time.perf_counter() - start
        page.goto(url)
        page.get_by_placeholder(PLACEHOLDER).wait_for(timeout=WAIT_MS)
        return {"server_up": server_up, "chat_ready": time.perf_counter() - start}


def app_run(env: dict[str, str], browser: Any) -> dict[str, float]:
    marks: dict[str, float] = {}
    with streamlit_server(common.PROJECT_ROOT / "app.py", env) as (url, start):
        marks["server_up"] = time.perf_counter() - start
        with browser_page(browser) as page:
            page.goto(url)
            page.get_by_placeholder(PLACEHOLDER).wait_for(timeout=WAIT_MS)
            marks["chat_ready"] = time.perf_counter() - start
            loading = page.get_by_text(LOADING_TEXT, exact=False).first
            marks["loading_status_shown"] = float(loading.is_visible())
            ask_and_wait(page, QUESTIONS[0], 1)
            marks["first_answer"] = time.perf_counter() - start
            t = time.perf_counter()
            ask_and_wait(page, QUESTIONS[1], 3)
            marks["second_answer_same_session"] = time.perf_counter() - t
        with browser_page(browser) as page:
            t = time.perf_counter()
            page.goto(url)
            ask_and_wait(page, QUESTIONS[0], 1)
            marks["new_session_first_answer"] = time.perf_counter() - t
    return marks


def summarise(rows: list[dict[str, float]]) -> dict[str, Any]:
    return {k: common.summary([r[k] for r in rows]) for k in rows[0]}


def app_probes(env_for: Callable[[Path], dict[str, str]], home: Path, runs: int, fresh_runs: int) -> dict[str, Any]:
    """Medians of ``runs`` starts of the bare page and of the app with an index, interleaved, then
    ``fresh_runs`` first starts on empty data folders. ``env_for(folder)`` gives a start's environment;
    ``home`` holds the built index."""
    if not CHROMIUM.exists():
        return {"skipped": "needs /usr/bin/chromium (apt-get install -y chromium)"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed"}
    scratch = Path(tempfile.mkdtemp(prefix="notewise-bare-"))
    bare, built, fresh = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        for n in range(runs):
            with common.stage(f"bare page and app restart with a built index {n + 1}/{runs}"):
                bare.append(bare_run(env_for(scratch), browser, scratch))
                built.append(app_run(env_for(home), browser))
        for n in range(fresh_runs):
            fresh_home = home / f"fresh-{n}"
            with common.stage(f"app first start on an empty data folder {n + 1}/{fresh_runs}"):
                fresh.append(app_run(env_for(fresh_home), browser))
            shutil.rmtree(fresh_home, ignore_errors=True)
        browser.close()
    shutil.rmtree(scratch, ignore_errors=True)
    out: dict[str, Any] = {"bare_page": summarise(bare), "index_built": summarise(built)}
    # The ratio per start pair (same minute, same load), then its median: steadier than a ratio of medians.
    out["chat_ready_over_bare"] = common.summary([a["chat_ready"] / b["chat_ready"] for a, b in zip(built, bare, strict=True)])
    if fresh:
        out["empty_data_folder"] = summarise(fresh)
    return out
