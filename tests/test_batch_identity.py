"""bench/batch_identity.py: the refactor gate says card by card why two quiz exports differ."""

from __future__ import annotations

import json
from pathlib import Path

from bench.batch_identity import compare, quiz_changes
from quiz.model import Question


def _card(question: str, answer: str, start: int) -> dict:
    return Question("cloze", question, answer, "notes.md", start, start, "Topic", "Topic", f"a {answer} here",
                    (answer,), term=answer).to_json()


def _export(path: Path, cards: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(c) + "\n" for c in cards), encoding="utf-8")
    return path


def test_a_changed_export_is_explained_card_by_card(tmp_path: Path, capsys) -> None:
    kept = _card('Fill in the blank: "the _____ holds state"', "ledger", 1)
    generic = _card('Fill in the blank: "a _____ of the system"', "thing", 2)
    before = _card('Fill in the blank: "the _____ routes packets"', "router", 3)
    after = _card('Topic: fill in the blank: "the _____ routes packets"', "router", 3)
    old = _export(tmp_path / "before" / "corpus" / "quiz.jsonl", [kept, generic, before])
    new = _export(tmp_path / "after" / "corpus" / "quiz.jsonl", [kept, after])
    for name in ("hits.jsonl", "answers.jsonl"):
        for side in ("before", "after"):
            (tmp_path / side / "corpus" / name).write_text("{}\n", encoding="utf-8")

    lines = quiz_changes(old, new)
    assert lines[0] == "cards 3 -> 2: 2 gone, 1 new, 0 edited"
    assert any(line.split()[0] == "1" and "reworded" in line for line in lines)
    assert any(line.split()[0] == "1" and 'the answer "…" is a generic word' in line for line in lines)

    assert compare(tmp_path / "before", tmp_path / "after") == 1
    assert "corpus/quiz.jsonl: 2 of 3 lines differ" in capsys.readouterr().out
    assert compare(tmp_path / "before", tmp_path / "before") == 0


def test_a_field_added_to_every_card_is_named_as_new(tmp_path: Path) -> None:
    card = {k: v for k, v in _card('Fill in the blank: "the _____ holds state"', "ledger", 1).items() if k != "aliases"}
    old = _export(tmp_path / "before.jsonl", [card])
    new = _export(tmp_path / "after.jsonl", [card | {"aliases": [["GB", "Great Britain"]]}])
    assert quiz_changes(old, new)[-1].split() == ["1", "edited", "fields:", "aliases", "(new)"]
    assert quiz_changes(new, old)[-1].split() == ["1", "edited", "fields:", "aliases", "(gone)"]
