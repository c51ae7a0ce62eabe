"""An Obsidian vault in a real browser (`streamlit run app.py`, playwright with Debian's chromium): a citation
of a vault note shows its math drawn, a link as its alias instead of ``[[...]]``, and "Open in Obsidian"."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import streamlit_app
from test_browser import CHROMIUM, CHROMIUM_ARGS, LOAD_TIMEOUT_MS, ROOT, STEP_TIMEOUT_MS, ask, shot

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium")]
VAULT = Path(__file__).resolve().parent / "data" / "vault"


@pytest.fixture(scope="module")
def vault_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    home = tmp_path_factory.mktemp("browser-vault")
    notes = home / "My Vault"
    shutil.copytree(VAULT, notes)
    with streamlit_app(home, ROOT, NOTEWISE_NOTES_DIR=str(notes)) as url, \
            playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(url)
        yield page
        shot(page, "browser-vault-last.png")
        browser.close()


def test_a_vault_citation_shows_math_the_alias_and_open_in_obsidian(vault_page) -> None:
    page = vault_page
    ask(page, "What does Snell's law relate?")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    citation = reply.get_by_test_id("stExpander").first
    citation.wait_for(timeout=LOAD_TIMEOUT_MS)
    assert "Physics/Optics.md" in citation.locator("summary").inner_text()
    citation.locator("summary").click()
    citation.locator(".katex").first.wait_for()  # $n_1 \sin\theta_1 = n_2 \sin\theta_2$ drawn as math
    opened = citation.inner_text()
    assert "bending of light" in opened and "[[" not in opened
    link = citation.get_by_role("link", name="Open in Obsidian")
    assert link.get_attribute("href") == "obsidian://open?vault=My%20Vault&file=Physics%2FOptics"
    page.wait_for_timeout(400)
    shot(page, "browser-vault-citation.png")
