"""Markdown is split by its parsed structure: real headings only, lists and code blocks never cut,
a section that fits the budget whole; a file that takes too long is skipped, the folder goes on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import CORPORA_DIR, needs_suite

import ingest.chunker
from indexing import sync_index
from ingest import chunk_document, infer_headings, load_document
from settings import Settings
from store.index import NoteIndex
from workspace import shared_embedder

CORPORA = CORPORA_DIR
IMPROVING = CORPORA / "deeplearning-ai-notes" / "2- Improving Deep Neural Networks" / "Readme.md"


def chunks_of(path: Path, max_chars: int = 1500):
    return chunk_document(load_document(path, path.name), max_chars)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@needs_suite(IMPROVING)
def test_a_comment_inside_a_code_block_is_not_a_heading() -> None:
    """Regression: "# (ensures that the expected value of a3 remains the same)" in a fenced Python block
    was read as a heading and became the top of the heading path of hundreds of lines below it."""
    chunks = chunks_of(IMPROVING)
    assert not any("expected value of a3" in c.heading or "increase a3" in c.heading for c in chunks)
    dropout = next(c for c in chunks if c.start_line <= 201 <= c.end_line)
    assert dropout.heading.endswith("Practical aspects of Deep Learning > Dropout Regularization")
    below = next(c for c in chunks if c.start_line > 400)
    assert "Dropout" not in below.heading  # later sections have their own headings


def test_a_section_that_fits_comes_back_whole(notes_dir: Path) -> None:
    body = "\n".join(f"- step {i}: do the thing number {i} carefully" for i in range(1, 25))
    path = write(notes_dir, "algo.md", f"# Algorithms\n\n## Backprop\n\nThe steps:\n\n{body}\n\n## Next\n\nOther text.\n")
    chunks = chunks_of(path)
    backprop = [c for c in chunks if "## Backprop" in c.text or "step 1:" in c.text]
    assert len(backprop) == 1 and len(backprop[0].text) <= 1500
    assert "The steps:" in backprop[0].text and "step 24" in backprop[0].text and "Other text" not in backprop[0].text


def test_a_list_and_a_code_block_are_never_cut(notes_dir: Path) -> None:
    prose = " ".join(["Some explanation of the command that follows."] * 12)
    code = "\n".join(f"git log -L{i},{i + 5}:README.md  # look at lines {i} to {i + 5}" for i in range(1, 12))
    items = "\n".join(f"1. item {i} of the procedure, with enough words to take room" for i in range(1, 12))
    text = f"# Git\n\n{prose}\n\n```bash\n{code}\n```\n\n{prose}\n\n{items}\n\n{prose}\n"
    chunks = chunks_of(write(notes_dir, "git.md", text), max_chars=900)
    assert len(chunks) > 1
    fenced = [c for c in chunks if "```bash" in c.text]
    assert len(fenced) == 1 and fenced[0].text.count("```") == 2  # the whole block, both fences
    listed = [c for c in chunks if "item 1 of" in c.text]
    assert len(listed) == 1 and "item 11 of" in listed[0].text


def test_an_oversized_list_is_cut_between_its_items(notes_dir: Path) -> None:
    items = "\n".join(f"- item {i}\n  - detail {i}: " + "words " * 30 for i in range(1, 20))
    chunks = chunks_of(write(notes_dir, "big.md", f"# Big list\n\n{items}\n"), max_chars=500)
    assert len(chunks) > 3 and all(len(c.text) <= 500 for c in chunks)
    for c in chunks:  # a detail always travels with its item
        for i in range(1, 20):
            assert (f"- item {i}\n" in c.text + "\n") == (f"detail {i}:" in c.text)


def test_plain_notes_heuristics_do_not_run_on_markdown(notes_dir: Path) -> None:
    text = "# Kafka\n\nRetention : seven days by default\n\nPartitions\n- ordered\n- replicated\n"
    markdown = load_document(write(notes_dir, "k.md", text), "k.md")
    assert [h.title for h in markdown.headings] == ["Kafka"]
    assert {c.heading for c in chunk_document(markdown)} == {"Kafka"}
    plain = load_document(write(notes_dir, "k.txt", text), "k.txt")
    assert plain.headings is None  # text without markup: the informal "Topic :" and title lines count
    assert [h.title for h in infer_headings(plain.lines)] == ["Kafka", "Retention", "Partitions"]


def test_a_file_over_its_time_budget_fails_and_the_folder_goes_on(notes_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write(notes_dir, "fine.md", "# Fine\n\nA note that indexes normally.\n")
    write(notes_dir, "stuck.txt", "STALL\nthis file makes the splitter spin\n")
    real = ingest.chunker.infer_headings

    def spinning(lines: list[str]):  # stands in for a pattern that never finishes on this file
        while lines and lines[0] == "STALL":
            time.sleep(0.01)
        return real(lines)

    monkeypatch.setattr(ingest.chunker, "infer_headings", spinning)
    settings = Settings(notes_dir=notes_dir, data_dir=tmp_path / "data", file_time_budget_s=0.5)
    index = NoteIndex(settings)
    try:
        started = time.perf_counter()
        report = sync_index(index, shared_embedder(settings))
        assert time.perf_counter() - started < 60
        status = {f.source: f for f in report.files}
        assert status["fine.md"].status == "new"
        assert status["stuck.txt"].status == "failed" and "took over 0.5 s" in status["stuck.txt"].message
        assert index.catalog.count() == (1, 1)
    finally:
        index.close()
