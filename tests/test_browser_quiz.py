"""The quiz inside the chat in a real browser: `streamlit run app.py` driven by playwright with Debian's chromium.

The same round as the AppTest (tests/test_app_quiz_chat.py): three questions made due in the progress store
come first, answered right, wrong (after a hint) and by clicking a choice, with a normal question in between,
a page reload that resumes the quiz, and a stop with its summary. The picture of a graded answer with its
citation open goes to artifacts/quiz-chat.png; with UPDATE_DOCS_PICTURES=1 also to docs/quiz-chat.png (shown
in the README), so an ordinary test run never changes a tracked file."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import streamlit_app
from test_app_quiz_chat import assert_all_due_again_within_a_day, plan_round
from test_browser import CHROMIUM, LOAD_TIMEOUT_MS, ROOT, STEP_TIMEOUT_MS, ask, browser, shot  # noqa: F401 (browser: a fixture)

from settings import DEFAULT_NOTES_DIR, Settings

DOCS_PICTURE = ROOT / "docs" / "quiz-chat.png"
PICTURE = ROOT / "artifacts" / "quiz-chat.png"

pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium")]


@pytest.fixture(scope="module")
def quiz_app(default_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, tuple]]:
    """`streamlit run app.py` over a copy of the shipped notes' index, with three quiz cards due."""
    home = tmp_path_factory.mktemp("browser-quiz-home")
    shutil.copytree(default_index_dir, home / "data")
    planned = plan_round(Settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=home / "data"))
    with streamlit_app(home, ROOT) as url:
        yield url, planned


def message_with(page, text: str):
    """The last chat message showing ``text``, once it is there."""
    found = page.get_by_test_id("stChatMessage").filter(has_text=text).last
    found.wait_for(timeout=LOAD_TIMEOUT_MS)
    return found


def test_a_quiz_round_in_the_chat_in_chromium(browser, quiz_app) -> None:  # noqa: F811
    url, (right, wrong, choice) = quiz_app
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        page.goto(url)
        ask(page, "quiz me")
        message_with(page, "Question 1 of 5")
        assert "chat=" in page.url  # the conversation id that lets a reload find the quiz

        ask(page, right.answer)
        graded = message_with(page, "Correct.")
        message_with(page, "Question 2 of 5")
        citation = graded.get_by_test_id("stExpander").first
        highlighted = citation.locator(".stMarkdownColoredBackground").first
        for _ in range(STEP_TIMEOUT_MS // 1000):  # a redraw of the page (the quiz reruns it) may close it again
            if not citation.locator("details").evaluate("details => details.open"):
                citation.locator("summary").click()
            if highlighted.is_visible():
                break
            page.wait_for_timeout(1000)
        highlighted.wait_for()
        assert right.answer in highlighted.inner_text()
        page.wait_for_timeout(400)  # let the expander finish opening before the picture
        page.get_by_test_id("stToast").first.wait_for(state="detached", timeout=20_000)  # "Index up to date" goes
        graded.scroll_into_view_if_needed()
        PICTURE.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(PICTURE))
        if os.environ.get("UPDATE_DOCS_PICTURES") == "1":
            shutil.copy(PICTURE, DOCS_PICTURE)

        ask(page, "hint")
        message_with(page, f"Hint: it is in {wrong.source}")
        ask(page, "bananas")
        message_with(page, "Not quite.")
        message_with(page, "Question 3 of 5")

        ask(page, "What is parquet?")
        message_with(page, "parquet : columnar storage")
        message_with(page, "Back to the quiz. Question 3 of 5")
        letter = "ABCD"[choice.choices.index(choice.answer)]
        shot(page, "browser-quiz-choices.png")
        page.get_by_role("button", name=f"{letter}) {choice.answer}", exact=True).click()
        message_with(page, "Question 4 of 5")
        assert page.get_by_test_id("stChatMessage").filter(has_text="Correct.").count() == 2

        page.reload()  # the quiz is in the store: the new session finds it through the URL
        message_with(page, "Question 4 of 5")  # the whole chat is drawn again, ending on the pending question
        assert page.get_by_test_id("stChatMessage").filter(has_text="Correct.").count() == 2
        ask(page, "stop")
        summary = message_with(page, "Quiz over: 2 of 3 right.")
        assert f"Weakest topics: {wrong.topic}." in summary.inner_text()
        assert_all_due_again_within_a_day(summary.inner_text().replace("\n", " "), 3)
        assert "Due now: 0 of 3 cards." in summary.inner_text()
        shot(page, "browser-quiz-summary.png")
    finally:
        shot(page, "browser-quiz-last.png")
        context.close()
