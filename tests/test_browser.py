"""The app in a real browser: `streamlit run app.py` on 127.0.0.1, driven by playwright with Debian's chromium.

The server starts on a fresh data folder, as on a fresh clone: the first page load builds the index of the
shipped notes. Screenshots go to artifacts/ (git-ignored). Needs /usr/bin/chromium (`apt-get install -y
chromium`); never `playwright install`.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEV_SET
from servers import streamlit_app

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LOAD_TIMEOUT_MS = 240_000  # first start: model load + index build on a small CI machine
#: Every other wait of a page (playwright's default is 30 s, which a machine at load 10 can reach): a bound on
#: waiting for something that does come, never a timing assertion.
STEP_TIMEOUT_MS = 120_000
EVIL_NOTE = ("# Injection probe\n"
             'xss probe : <img src=x onerror="window.__notewise_pwned=1"> and '
             "<script>window.__notewise_pwned2=1</script> stay text\n")

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium")]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free port, with empty data and config folders (a fresh machine)."""
    home = tmp_path_factory.mktemp("browser-home")
    try:
        with streamlit_app(home, ROOT) as url:
            yield url
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(home / "streamlit.log", ARTIFACTS / "streamlit-server.log")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url: str, request: pytest.FixtureRequest) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(app_url)
    yield page
    shot(page, f"{request.node.name}-last.png")  # what the page showed at the end (or when a step failed)
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def ask(page, question: str) -> None:
    box = page.get_by_placeholder("Ask your notes…")
    box.wait_for(timeout=LOAD_TIMEOUT_MS)
    box.fill(question)
    box.press("Enter")


def test_fresh_start_indexes_then_answers_with_a_citation_that_opens(page) -> None:
    question = json.loads(DEV_SET.read_text(encoding="utf-8").splitlines()[0])  # d01: Parquet
    assert question["id"] == "d01"
    gold = {n for a, b in question["gold_lines"] for n in range(a, b + 1)}
    page.get_by_test_id("stProgress").first.wait_for(timeout=LOAD_TIMEOUT_MS)  # the first start builds the index
    shot(page, "browser-first-start-indexing.png")
    ask(page, question["question"])  # the chat box is there before the model and the index are
    page.get_by_text("Getting your notes ready", exact=False).first.wait_for()  # the question waits, visibly
    reply = page.get_by_test_id("stChatMessage").nth(1)
    reply.get_by_text("parquet : columnar storage", exact=False).first.wait_for(timeout=LOAD_TIMEOUT_MS)
    citation = reply.get_by_test_id("stExpander").first
    label = re.search(r"\[1\] aws-study-notes\.txt:(\d+)", citation.locator("summary").inner_text())
    assert label and int(label.group(1)) in gold
    line = int(label.group(1))
    shot(page, "browser-answer.png")
    citation.locator("summary").click()
    highlighted = citation.locator(".stMarkdownColoredBackground").first
    highlighted.wait_for()
    assert "parquet : columnar storage" in highlighted.inner_text()
    assert citation.get_by_text(str(line), exact=True).first.is_visible()  # the line number beside it
    reference = citation.get_by_test_id("stCode").first
    reference.wait_for()
    assert reference.inner_text().strip().startswith(f"aws-study-notes.txt:{line}")
    page.wait_for_timeout(400)  # let the expander finish opening before the picture
    shot(page, "browser-citation-open.png")


def test_html_in_a_note_shows_as_text_and_never_runs(page, tmp_path: Path) -> None:
    note = tmp_path / "injection-probe.md"
    note.write_text(EVIL_NOTE, encoding="utf-8")
    page.get_by_placeholder("Ask your notes…").wait_for(timeout=LOAD_TIMEOUT_MS)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(note))
    page.get_by_text("Saved injection-probe.md").wait_for(timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("tab", name="Find in notes").click()
    search = page.get_by_placeholder("e.g. multipart upload")
    search.fill("xss probe")
    search.press("Enter")
    shown = page.get_by_text('<img src=x onerror="window.__notewise_pwned=1">', exact=False).first
    shown.wait_for()
    assert "<script>window.__notewise_pwned2=1</script>" in shown.inner_text()
    page.get_by_role("tab", name="Chat").click()
    ask(page, "What is the xss probe?")
    page.get_by_test_id("stChatMessage").nth(1).get_by_text("<script>", exact=False).first.wait_for()
    page.wait_for_timeout(500)  # give any injected handler the chance to run
    assert page.evaluate("[window.__notewise_pwned, window.__notewise_pwned2]") == [None, None]
    assert page.locator('img[src="x"]').count() == 0
    assert not page.evaluate("Array.from(document.scripts).some(s => s.textContent.includes('notewise_pwned'))")
    shot(page, "browser-html-injection.png")


def test_the_page_requests_nothing_from_any_other_host(browser, app_url: str) -> None:
    """Nothing leaves the machine: every request the page makes (icons, fonts, scripts, the websocket) goes
    to the app's own address. A ':material/...:' page icon used to fetch its picture from fonts.gstatic.com."""
    own = re.match(r"https?://[^/]+", app_url).group(0)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda socket: seen.append(socket.url))
    try:
        page.goto(app_url)
        ask(page, "What is Parquet?")
        page.get_by_test_id("stChatMessage").nth(1).get_by_text("parquet", exact=False).first.wait_for(
            timeout=LOAD_TIMEOUT_MS)
        for tab in ("Find in notes", "Quiz me", "Chat"):
            page.get_by_role("tab", name=tab).click()
        page.wait_for_load_state("networkidle")
        favicon = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href")
    finally:
        context.close()
    outside = sorted({url for url in seen if not url.startswith(("data:", "blob:", "about:"))
                      and re.sub(r"^ws", "http", url).split("/")[2] != own.split("/")[2]})
    assert seen and not outside, outside
    assert favicon.startswith("data:image/svg+xml"), favicon  # the emoji icon, drawn locally


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


UPLOAD_JS = """async ([session, size]) => {
    const xsrf = (document.cookie.match(/_streamlit_xsrf=([^;]+)/) || [])[1] || "";
    const statuses = [];
    for (let i = 0; i < 5; i++) {
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(size)]), `probe-${i}.txt`);
        const reply = await fetch(`/_stcore/upload_file/${session}/probe-${i}`,
                                  {method: "PUT", body: form, headers: {"X-Xsrftoken": xsrf}, credentials: "same-origin"});
        statuses.push(reply.status);
    }
    return statuses;
}"""


def test_an_exposed_app_refuses_uploads_before_sign_in(browser, default_index_dir: Path, tmp_path: Path) -> None:
    """Five 19 MB PUTs to Streamlit's upload endpoint from a session that has not signed in are refused before
    they are read (server memory stays put); the same PUTs after signing in are accepted. The app starts over
    a copy of the shipped notes' index: what is tested here is the gate, not a first index build."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    home = tmp_path / "exposed-home"
    shutil.copytree(default_index_dir, home / "data")
    with streamlit_app(home, ROOT, address="0.0.0.0", NOTEWISE_APP_PASSWORD="a long test password") as url:
        pid = int((home / "streamlit.pid").read_text())
        context = browser.new_context()
        context.set_default_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        sessions: list[str] = []

        def on_frame(payload) -> None:
            if isinstance(payload, bytes):
                message = ForwardMsg()
                message.ParseFromString(payload)
                if message.HasField("new_session"):
                    sessions.append(message.new_session.initialize.session_id)

        page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
        try:
            page.goto(url)
            box = page.locator("input[type=password]")
            box.wait_for(timeout=LOAD_TIMEOUT_MS)
            assert sessions, "no session id seen on the websocket"
            before = _rss_mb(pid)
            refused = page.evaluate(UPLOAD_JS, [sessions[-1], 19 * 1024 * 1024])
            grown = _rss_mb(pid) - before
            assert refused == [400] * 5, refused
            assert grown < 40, f"the server grew {grown:.0f} MB on refused uploads"  # 5 x 19 MB read would be 95
            box.fill("a long test password")
            page.get_by_role("button", name="Open").click()
            page.get_by_placeholder("Ask your notes…").wait_for(timeout=LOAD_TIMEOUT_MS)
            assert page.evaluate(UPLOAD_JS, [sessions[-1], 1024]) == [204] * 5  # signed in: the same PUT is taken
        finally:
            context.close()
