"""One design for every style of notes: informal text, long Markdown, a folder of small files. A known
passage is found first and its section comes back whole; questions the notes cannot answer are refused,
and so are their follow-ups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPORA_DIR, SUITE_MISSING, needs_suite

from answer import Answerer
from indexing import sync_index
from settings import Settings
from workspace import Workspace, open_workspace

CORPORA = CORPORA_DIR
STRUCTURING = CORPORA / "deeplearning-ai-notes" / "3- Structuring Machine Learning Projects" / "Readme.md"
TIL_GIT = CORPORA / "til-subset" / "git"
PRIMER = CORPORA / "system-design-primer" / "README.md"
needs_corpora = pytest.mark.skipif(not STRUCTURING.exists() or not TIL_GIT.exists(),
                                   reason=SUITE_MISSING)


def _open(notes: Path, data: Path) -> Workspace:
    ws = open_workspace(Settings(notes_dir=notes, data_dir=data))
    sync_index(ws.index, ws.embedder)
    return ws


def _open_copy(note: Path, name: str, tmp_path: Path) -> tuple[Path, Workspace]:
    """A notes folder holding a copy of one corpus file as ``name``, indexed."""
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(note, notes / name)
    return notes, _open(notes, tmp_path / "data")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def test_informal_notes_find_the_passage_and_return_its_section_whole(workspace: Workspace) -> None:
    hit = workspace.retriever.search("What does the num_leave parameter control in LightGBM?", 5).hits[0]
    notes = _lines(workspace.settings.notes_dir / "aws-study-notes.txt")
    assert "num_leave = max leave" in hit.chunk.text.lower()
    section = [n for n, line in enumerate(notes, 1) if line.strip().startswith("LightGBM")]
    assert section and hit.chunk.start_line <= section[0]  # from the section's title line on
    assert hit.chunk.text == "\n".join(notes[hit.chunk.start_line - 1:hit.chunk.end_line])


@pytest.mark.slow
@needs_corpora
def test_long_markdown_finds_the_section_and_returns_it_whole(tmp_path: Path) -> None:
    notes, ws = _open_copy(STRUCTURING, "Readme.md", tmp_path)
    try:
        lines = _lines(notes / "Readme.md")
        start = lines.index("### Addressing data mismatch") + 1
        end = lines.index("### Transfer learning") - 1
        while not lines[end - 1].strip():
            end -= 1
        hits = ws.retriever.search("How can I address data mismatch between training and dev/test data?", 5).hits
        top = hits[0].chunk
        assert top.start_line <= start and end <= top.end_line, (top.start_line, top.end_line, start, end)
        assert len(top.text) <= 1500
        # the exact term of a section title outranks passages that only resemble it
        title = ws.retriever.search("multi-task learning", 5).hits[0].chunk
        assert "Multi-task learning" in title.heading
    finally:
        ws.close()


@pytest.mark.slow
@needs_corpora
def test_a_folder_of_small_notes_returns_the_note_whole_code_and_all(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    target = "show-only-commits-that-touch-specific-lines.md"
    for path in [TIL_GIT / target, *sorted(TIL_GIT.glob("*.md"))[:25]]:
        shutil.copy(path, notes / path.name)
    ws = _open(notes, tmp_path / "data")
    try:
        hit = ws.retriever.search("How can git log show only the commits that touched certain line numbers?", 5).hits[0]
        assert hit.chunk.source == target
        lines = _lines(notes / target)
        last = max(n for n, line in enumerate(lines, 1) if line.strip())
        assert (hit.chunk.start_line, hit.chunk.end_line) == (1, last)  # the whole note (28 lines, one chunk)
        assert "git log -L" in hit.chunk.text and "```" in hit.chunk.text  # the command with its explanation
        answer = Answerer(ws).ask("How can git log show only the commits that touched certain line numbers?")
        assert not answer.refused and "git log -L" in answer.text
        assert {c.source for c in answer.citations} == {target}  # focused: the one note that answers
    finally:
        ws.close()


@pytest.fixture
def git_notes(tmp_path: Path) -> Workspace:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "git.md").write_text(
        "# Git basics\n\n- `git branch -m new-name` renames the current branch\n"
        "- `git reflog` lists where HEAD has been, so a lost commit can be found again\n"
        "- `git stash` shelves uncommitted changes; `git stash pop` brings them back\n", encoding="utf-8")
    ws = _open(notes, tmp_path / "data")
    yield ws
    ws.close()


def test_a_term_of_art_the_notes_never_use_is_refused_and_so_is_its_follow_up(git_notes: Workspace) -> None:
    answerer = Answerer(git_notes)
    first = "How do I use git worktree to check out two branches in separate directories?"
    answer = answerer.ask(first)
    assert answer.refused and '"worktree"' in answer.text
    assert answer.text.index("Closest in your notes") < answer.text.index("[1]")  # cited as the closest, to check
    follow = answerer.ask("And how do I remove it again?", [{"role": "user", "content": first},
                                                             {"role": "assistant", "content": answer.text}])
    assert follow.refused and "Closest in your notes" in follow.text  # never an answer about something else


def test_a_paraphrase_in_everyday_words_is_answered(git_notes: Workspace) -> None:
    answer = Answerer(git_notes).ask("I lost a commit after a reset; how can I find where it went?")
    assert not answer.refused and "git reflog" in answer.text
    assert len(answer.citations) == 1 and answer.citations[0].source == "git.md"


def test_a_follow_up_is_answered_about_its_history(git_notes: Workspace) -> None:
    answer = Answerer(git_notes).ask("And how do I get them back?",
                                     [{"role": "user", "content": "How do I put uncommitted changes aside?"}])
    assert not answer.refused and "git stash pop" in answer.text


@pytest.mark.slow
@needs_suite(PRIMER)
def test_a_long_sections_passage_stays_inside_it(tmp_path: Path) -> None:
    """A hit from a section cut in parts comes back as a window of that section, never slid over onto the
    sibling section before it (the guide's table of contents)."""
    notes, ws = _open_copy(PRIMER, "README.md", tmp_path)
    try:
        lines = _lines(notes / "README.md")
        start, end = lines.index("## Study guide") + 1, lines.index("## How to approach a system design interview question")
        hit = ws.retriever.search("I have little time before my system design interview: what should I study?", 5).hits[0]
    finally:
        ws.close()
    assert start <= hit.chunk.start_line and hit.chunk.end_line < end, (hit.chunk.start_line, hit.chunk.end_line)
    assert "**Short timeline**" in hit.chunk.text
