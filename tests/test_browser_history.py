"""Saved chats, two tabs of one quiz, and indexing another folder, in a real browser (Debian's chromium).

One server over a copy of the shipped notes' index. The folder switch indexes a second folder (one chapter
of the shared deeplearning-ai-notes corpus; Cancel, the whole corpus; skipped where it is absent); its pictures
go to artifacts/ and, with UPDATE_DOCS_PICTURES=1, to docs/indexing-progress.png and docs/indexing-done.png.
Every wait polls with a generous bound; nothing asserts a duration."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEV_SET
from servers import streamlit_app
from test_browser import CHROMIUM, LOAD_TIMEOUT_MS, ROOT, STEP_TIMEOUT_MS, ask, browser, shot  # noqa: F401 (browser: a fixture)
from test_browser_quiz import message_with

SECOND_FOLDER = ROOT.parent / "shared" / "corpora" / "deeplearning-ai-notes"
#: The folder switch indexes one of its five chapters (83 passages, 90,000 characters): the smallest whose
#: passages a CPU embeds in two steps (``indexing.embedding``), so the bar moves between reading and the end.
SWITCH_CHAPTERS = ("4- Convolutional Neural Networks",)
ARTIFACTS = ROOT / "artifacts"
DEV_D01 = json.loads(DEV_SET.read_text(encoding="utf-8").splitlines()[0])

pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium")]


@pytest.fixture(scope="module")
def served(default_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app over a copy of the shipped notes' index; a second notes folder lies under an allowed root."""
    home = tmp_path_factory.mktemp("browser-history-home")
    shutil.copytree(default_index_dir, home / "data")
    folders = home / "folders"
    folders.mkdir()
    if SECOND_FOLDER.is_dir():
        shutil.copytree(SECOND_FOLDER, folders / "deeplearning-ai-notes")
        for chapter in SWITCH_CHAPTERS:
            shutil.copytree(SECOND_FOLDER / chapter, folders / "deeplearning-ai-chapters" / chapter)
    with streamlit_app(home, ROOT, NOTEWISE_ALLOWED_ROOTS=str(folders)) as url:
        yield url, folders


@pytest.fixture
def tab(browser, served, request: pytest.FixtureRequest) -> Iterator:  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(served[0])
    yield page
    shot(page, f"{request.node.name}-last.png")
    context.close()


def test_ask_reload_and_the_question_answer_and_citation_are_still_there(tab) -> None:
    ask(tab, DEV_D01["question"])
    reply = message_with(tab, "parquet : columnar storage")
    reply.get_by_test_id("stExpander").first.wait_for()
    tab.wait_for_url("**chat=*")
    tab.reload()
    message_with(tab, DEV_D01["question"])
    reply = message_with(tab, "parquet : columnar storage")
    citation = reply.get_by_test_id("stExpander").first
    citation.wait_for()
    assert "aws-study-notes.txt:" in citation.locator("summary").inner_text()
    chats = tab.get_by_test_id("stSidebar").get_by_text(DEV_D01["question"][:30], exact=False)
    chats.first.wait_for()  # listed in the sidebar by its first question
    shot(tab, "browser-chat-after-reload.png")


def test_two_tabs_the_stale_tab_answer_is_not_graded(browser, tab) -> None:  # noqa: F811
    ask(tab, "quiz me")
    message_with(tab, "Question 1 of 5")
    tab.wait_for_url("**chat=*")
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    second = other.new_page()
    second.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        second.goto(tab.url)
        message_with(second, "Question 1 of 5")
        ask(second, "skip")
        message_with(second, "Question 2 of 5")
        graded_before = tab.get_by_test_id("stChatMessage").filter(has_text="Skipped.").count()
        ask(tab, "kafka")  # the first tab still shows question 1
        message_with(tab, "moved on in another tab")
        message_with(tab, "Question 2 of 5")
        assert tab.get_by_test_id("stChatMessage").filter(has_text="Not quite.").count() == 0
        assert tab.get_by_test_id("stChatMessage").filter(has_text="Skipped.").count() == graded_before
        shot(tab, "browser-quiz-two-tabs.png")
    finally:
        other.close()


def _choose_folder(page, folder: Path) -> None:
    page.get_by_test_id("stSidebar").get_by_text("Another folder", exact=True).click()
    box = page.get_by_label("Folder path")
    box.wait_for()
    box.fill(str(folder))
    box.press("Enter")


def reply_with(page, text: str):
    """The last assistant message showing ``text`` (the question's own bubble does not count), once it is there."""
    found = (page.get_by_test_id("stChatMessage").filter(has=page.get_by_test_id("stChatMessageAvatarAssistant"))
             .filter(has_text=text).last)
    found.wait_for(timeout=LOAD_TIMEOUT_MS)
    return found


@pytest.mark.skipif(not SECOND_FOLDER.is_dir(), reason="needs ../shared/corpora/deeplearning-ai-notes")
def test_cancel_leaves_the_previous_index_answering(tab, served) -> None:
    ask(tab, DEV_D01["question"])  # the sample notes' index is ready and answering
    message_with(tab, "parquet : columnar storage")
    _choose_folder(tab, served[1] / "deeplearning-ai-notes")
    tab.get_by_text("Indexing deeplearning-ai-notes", exact=False).first.wait_for(timeout=LOAD_TIMEOUT_MS)
    tab.get_by_role("button", name="Cancel").click()
    tab.get_by_text("was cancelled", exact=False).first.wait_for()
    tab.get_by_role("button", name="Cancel").wait_for(state="detached")
    shot(tab, "browser-indexing-cancelled.png")
    ask(tab, "What is avro?")
    reply_with(tab, "avro")  # the sample notes still answer
    assert tab.get_by_test_id("stSidebar").get_by_text(str(served[1]), exact=False).count() == 0
    assert tab.get_by_text("Indexing deeplearning-ai-notes (", exact=False).count() == 0


#: Installed in the page: every value the indexing progress bar takes is kept in ``window.barValues``, in
#: order, however briefly it is shown (a poll on a loaded machine can miss a whole run of the bar).
RECORD_BAR_VALUES = """() => {
  window.barValues = [];
  const seen = () => {
    const bar = document.querySelector('[data-testid=stProgress] [role=progressbar]');
    const value = bar && Number(bar.getAttribute('aria-valuenow'));
    if (bar && value !== window.barValues[window.barValues.length - 1]) window.barValues.push(value);
  };
  new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                     attributeFilter: ['aria-valuenow']});
}"""


@pytest.mark.skipif(not SECOND_FOLDER.is_dir(), reason="needs ../shared/corpora/deeplearning-ai-notes")
def test_a_folder_switch_shows_a_progress_bar_that_moves_then_switches(tab, served) -> None:
    ask(tab, "What is avro?")  # the sample notes' index is ready and answering
    reply_with(tab, "avro")  # answered before the switch begins (a switch cuts off a run mid-answer)
    tab.evaluate(RECORD_BAR_VALUES)
    _choose_folder(tab, served[1] / "deeplearning-ai-chapters")
    panel = tab.get_by_text("Indexing deeplearning-ai-chapters", exact=False).first
    panel.wait_for(timeout=LOAD_TIMEOUT_MS)
    counts = tab.get_by_text("Files read:", exact=False).first
    counts.wait_for()
    counts.scroll_into_view_if_needed()  # the panel sits above the conversation
    shot(tab, "indexing-progress.png")
    notice = tab.get_by_text("answers now come from", exact=False).first
    for _ in range(LOAD_TIMEOUT_MS // 250):  # the bar moves past its first values, or the switch is done
        if len(set(tab.evaluate("window.barValues"))) >= 3 or notice.count():
            break
        tab.wait_for_timeout(250)
    shown = tab.evaluate("window.barValues")
    assert len(set(shown)) >= 3 and shown == sorted(shown), f"the bar did not move forward while indexing: {shown}"
    # Asked while the bar moves (a page's run pauses the panel's redraws, so the bar is checked first):
    ask(tab, DEV_D01["question"])
    message_with(tab, "parquet : columnar storage")  # the previous index answers meanwhile
    notice.wait_for(timeout=LOAD_TIMEOUT_MS * 2)
    notice.scroll_into_view_if_needed()
    shot(tab, "indexing-done.png")
    assert tab.get_by_text("Not answered", exact=False).count() == 0  # every question kept its reply
    if os.environ.get("UPDATE_DOCS_PICTURES") == "1":
        for name in ("indexing-progress.png", "indexing-done.png"):
            shutil.copy(ARTIFACTS / name, ROOT / "docs" / name)
