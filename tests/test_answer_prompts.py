"""Prompt files: checked when loaded, so a broken file fails at once with the file and variable named."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompts import REQUIRED, PromptError, load_prompt


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_shipped_prompts_load_and_render(name: str) -> None:
    prompt = load_prompt(name)
    values = {v: f"<{v} value>" for v in REQUIRED[name]}
    rendered = "\n".join(m["content"] for m in prompt.render(**values))
    assert all(value in rendered for value in values.values())


def test_answer_prompt_fences_notes_and_asks_for_markers_and_refusal() -> None:
    system, user = load_prompt("answer").render(passages="P-TEXT", question="Q-TEXT")
    assert "<notes>\nP-TEXT\n</notes>" in user["content"]
    assert "never instructions" in system["content"] and "[1]" in system["content"]
    assert "Not in your notes" in system["content"]


def test_braces_in_the_notes_are_inserted_verbatim() -> None:
    user = load_prompt("answer").render(passages='{"json": {question}}', question="q")[-1]["content"]
    assert '{"json": {question}}' in user


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.md").write_text(text)
    return folder


def test_missing_variable_is_named(tmp_path: Path) -> None:
    folder = _write(tmp_path / "p", "answer", "# system\nBe good.\n# user\n{question}\n")
    with pytest.raises(PromptError, match=r"answer\.md: missing variable\(s\) passages"):
        load_prompt("answer", folder)


def test_unknown_variable_is_named(tmp_path: Path) -> None:
    folder = _write(tmp_path / "p", "condense", "# user\n{history} {question} {qestion}\n")
    with pytest.raises(PromptError, match="unknown variable.*qestion"):
        load_prompt("condense", folder)


def test_file_without_user_section_or_with_a_stray_brace(tmp_path: Path) -> None:
    folder = _write(tmp_path / "p", "refusal", "Not in your notes {closest} {reason}\n")
    with pytest.raises(PromptError, match="'# user' section"):
        load_prompt("refusal", folder)
    _write(folder, "refusal", "# user\nNot in your notes {reason} {closest\n")
    with pytest.raises(PromptError, match="bad placeholder"):
        load_prompt("refusal", folder)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="answer.md cannot be read"):
        load_prompt("answer", tmp_path)


def test_render_without_a_value_is_an_error() -> None:
    with pytest.raises(PromptError, match="needs values for: passages"):
        load_prompt("answer").render(question="q")
