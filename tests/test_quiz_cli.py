"""The `quiz` command: the JSONL export, an interactive session in the terminal, progress, bad input."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import quiz.session
import quiz.store
from cli import main
from quiz.store import now_utc
from settings import DEFAULT_NOTES_DIR, Settings

REQUIRED = {"id", "kind", "question", "answer", "choices", "source", "start_line", "end_line", "heading", "quote"}


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["quiz", *args], input=input, catch_exceptions=False)


def test_export_writes_every_question_with_its_source_lines(default_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "questions.jsonl"
    result = run("--data-dir", str(default_settings.data_dir), "--export", str(out))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 200 and len({r["heading"] for r in records}) >= 40
    lines = (DEFAULT_NOTES_DIR / "aws-study-notes.txt").read_text(encoding="utf-8").split("\n")
    for record in records:
        assert record.keys() >= REQUIRED
        assert record["quote"] == "\n".join(lines[record["start_line"] - 1:record["end_line"]])
        assert (record["choices"] is not None) == (record["kind"] in ("mcq", "tf"))
    assert f"Wrote {len(records)} questions" in result.output


def test_export_of_one_topic(default_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "kms.jsonl"
    assert run("--data-dir", str(default_settings.data_dir), "--topic", "KMS", "--export", str(out)).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and all("kms" in (r["heading"] + r["term"] + r["quote"]).lower() for r in records)
    assert records[0]["heading"] == "kMS"


def test_interactive_quiz_grades_shows_the_source_and_schedules(notes_dir: Path) -> None:
    (notes_dir / "aws.md").write_text("# Networking\n\nENI : elastic network interface of an EC2 instance\n",
                                      encoding="utf-8")
    first = run("--notes", str(notes_dir), "--n", "5", "--seed", "1", input="an elastic network interface\n")
    assert first.exit_code == 0, first.output
    assert "[1/1]" in first.output and "Correct." in first.output  # one fact: one question per session
    assert "aws.md:3" in first.output and "3 | ENI : elastic network interface" in first.output
    assert "Score: 1/1 (100%)" in first.output
    again = run("--notes", str(notes_dir), "--n", "1", "--seed", "1", input="elastic fabric adapter\n")
    assert "Not quite." in again.output and "Score: 0/1" in again.output
    stats = run("--notes", str(notes_dir), "--stats")
    assert "Networking" in stats.output and "2      1" in stats.output


def test_wrong_answers_come_back_first_and_q_stops(default_settings: Settings,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("--data-dir", str(default_settings.data_dir), "--topic", "git", "--n", "3", "--seed", "5")
    earlier = now_utc() - timedelta(minutes=5)  # FSRS asks a missed card again after a minute: answer earlier
    monkeypatch.setattr(quiz.store, "now_utc", lambda: earlier)
    monkeypatch.setattr(quiz.session, "now_utc", lambda: earlier)
    first = run(*args, input="\n\n\n")
    monkeypatch.undo()
    asked = [line for line in first.output.splitlines() if line.startswith("[")]
    assert len(asked) == 3 and "Score: 0/3" in first.output
    again = run(*args[:-1], "6", input="q\n")  # another shuffle of new questions; the missed ones lead
    assert again.output.splitlines()[2] in {line.replace("[2/3]", "[1/3]").replace("[3/3]", "[1/3]")
                                            for line in asked}
    assert "Score: 0/0" in again.output


def test_multiple_choice_asks_again_until_the_input_is_a_choice(default_settings: Settings) -> None:
    args = ["--data-dir", str(default_settings.data_dir), "--topic", "Scratch FS", "--n", "1"]
    for seed in range(40):  # find the seed whose one question on this fact is the multiple choice
        shown = run(*args, "--seed", str(seed), input="q\n").output
        if "A) " in shown:
            break
    result = run(*args, "--seed", str(seed), input="maybe\nA\n")
    assert "Answer with a letter A-D." in result.output and "Score: " in result.output


def test_bad_input_gets_one_clear_line(default_settings: Settings, notes_dir: Path, tmp_path: Path) -> None:
    unknown = CliRunner().invoke(main, ["quiz", "--data-dir", str(default_settings.data_dir), "--topic", "zzqx"])
    assert unknown.exit_code == 1 and 'No questions match the topic "zzqx"' in unknown.output
    blocked = CliRunner().invoke(main, ["quiz", "--data-dir", str(default_settings.data_dir),
                                        "--export", str(tmp_path / "missing" / "out.jsonl")])
    assert blocked.exit_code == 1 and "Cannot write" in blocked.output
    (notes_dir / "diary.txt").write_text("Went for a walk today. It rained a little.\n", encoding="utf-8")
    nothing = CliRunner().invoke(main, ["quiz", "--notes", str(notes_dir)])
    assert nothing.exit_code == 1 and "No quiz questions could be made" in nothing.output
    judge = CliRunner().invoke(main, ["quiz", "--data-dir", str(default_settings.data_dir), "--judge"])
    assert judge.exit_code == 1 and "needs a generative backend" in judge.output


def test_the_terminal_quiz_understands_the_chat_words(default_settings: Settings) -> None:
    """hint, skip, why? and stop mean what they mean in the chat; none of them is graded as an answer."""
    args = ("--data-dir", str(default_settings.data_dir), "--topic", "git", "--n", "3", "--seed", "5")
    result = run(*args, input="why?\nhint\ngive me a hint\nskip\nwhy?\nstop\n")
    out = result.output
    assert result.exit_code == 0, out
    assert "Answer the question first" in out  # why? before any answer
    assert "Hint: it is in aws-study-notes.txt" in out and "Hint: " in out.split("Hint: it is in", 1)[1]
    assert "Skipped." in out and '"hint" is another term' not in out and '"skip"' not in out
    assert "The notes (aws-study-notes.txt:" in out.split("Skipped.", 1)[1]  # why? after the skip
    assert "[2/3]" in out and "[3/3]" not in out and "Score: 0/1" in out  # stop ended it; only the skip counted
