"""Anki and CSV export: open the .apkg as Anki would (a zip holding an SQLite collection) and check the cards,
their fields and tags, the deck's name, and that a re-export keeps every note's guid (Anki then updates the
cards instead of duplicating them)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
from click.testing import CliRunner
from quiz_corpora import corpus_questions

from cli import main
from quiz.export import anki_package, csv_bytes, tag
from settings import Settings


def read_apkg(path: Path, tmp_path: Path) -> tuple[list[tuple[str, list[str], list[str]]], int, list[str]]:
    """(guid, fields, tags) of each note, the number of cards, and the deck names."""
    with zipfile.ZipFile(path) as package:
        assert "collection.anki2" in package.namelist()
        db_file = tmp_path / f"{path.stem}-collection.anki2"
        db_file.write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(db_file)
    try:
        notes = [(guid, flds.split("\x1f"), tags.split()) for guid, flds, tags in
                 db.execute("SELECT guid, flds, tags FROM notes ORDER BY id")]
        cards = db.execute("SELECT count(*) FROM cards").fetchone()[0]
        decks = [d["name"] for d in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).values()]
    finally:
        db.close()
    return notes, cards, decks


def export(settings: Settings, tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["quiz", "--data-dir", str(settings.data_dir), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_anki_package_has_one_card_per_question_with_fields_and_tags(default_settings: Settings,
                                                                     tmp_path: Path) -> None:
    apkg, table = tmp_path / "kms.apkg", tmp_path / "kms.csv"
    output = export(default_settings, tmp_path, "--topic", "KMS", "--export-anki", str(apkg),
                    "--export-csv", str(table), "--export", str(tmp_path / "kms.jsonl"))
    records = [json.loads(line) for line in (tmp_path / "kms.jsonl").read_text(encoding="utf-8").splitlines()]
    notes, cards, decks = read_apkg(apkg, tmp_path)
    assert len(notes) == cards == len(records) >= 5
    assert f'Wrote {len(records)} cards (deck "aws-study-notes")' in output
    assert "aws-study-notes" in decks  # the shipped folder is only called notes/: named after its one file
    by_question = {r["question"]: r for r in records}
    for guid, fields, tags in notes:
        question, answer, source, quote = fields
        record = next(r for text, r in by_question.items() if question.startswith(text.replace('"', "&quot;")))
        assert source == f'{record["source"]}:{record["start_line"]}' + (
            f'-{record["end_line"]}' if record["end_line"] != record["start_line"] else "")
        assert quote.replace("<br>", "\n").replace("&quot;", '"').replace("&#x27;", "'").replace(
            "&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == record["quote"]
        assert record["answer"].split(";")[0][:20].replace("&", "&amp;").replace('"', "&quot;") in answer \
            or record["kind"] == "tf"
        assert tags == [tag(record["topic"]), record["kind"]] and all(" " not in t for t in tags)
        assert guid == genanki.guid_for(record["id"])  # the question's stable id: re-imports update
    mcq = next(fields for _, fields, _ in notes if "<br>A) " in fields[0])
    assert "<br>D) " in mcq[0] and mcq[1][:3] in {"A) ", "B) ", "C) ", "D) "}  # options on the front, letter on the back


def test_re_export_keeps_the_note_ids(default_settings: Settings, tmp_path: Path) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    export(default_settings, tmp_path, "--export-anki", str(first))
    export(default_settings, tmp_path, "--export-anki", str(second))
    notes_first, _, decks_first = read_apkg(first, tmp_path)
    notes_second, _, decks_second = read_apkg(second, tmp_path)
    assert len(notes_first) >= 200
    assert [guid for guid, _, _ in notes_first] == [guid for guid, _, _ in notes_second]
    assert len({guid for guid, _, _ in notes_first}) == len(notes_first)
    assert decks_first == decks_second


def test_csv_has_front_back_source_and_tags() -> None:
    questions = list(corpus_questions("notes"))[:40]
    rows = list(csv.reader(io.StringIO(csv_bytes(questions).decode("utf-8"))))
    assert rows[0] == ["front", "back", "source", "tags"]
    assert len(rows) == len(questions) + 1
    for q, (front, back, source, tags) in zip(questions, rows[1:], strict=True):
        assert front == q.prompt_text() and source == q.reference
        assert (q.answer in back) if q.kind != "tf" else back.startswith(q.answer)
        assert tags.split() == [tag(q.topic), q.kind]


def test_tags_have_no_spaces() -> None:
    assert tag("Lake Formation") == "Lake_Formation"
    assert tag(' "quoted" topic  ') == "quoted_topic"
    assert tag("   ") == "untitled"


def test_package_bytes_are_a_valid_anki_collection(tmp_path: Path) -> None:
    questions = list(corpus_questions("deeplearning-ai-notes"))
    path = tmp_path / "dl.apkg"
    path.write_bytes(anki_package(questions, "deeplearning-ai-notes"))
    notes, cards, decks = read_apkg(path, tmp_path)
    assert len(notes) == cards == len(questions) and "deeplearning-ai-notes" in decks


def test_export_errors_are_one_line(default_settings: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["quiz", "--data-dir", str(default_settings.data_dir)]
    missing = runner.invoke(main, [*base, "--export-anki", str(tmp_path / "no" / "such" / "deck.apkg")])
    assert missing.exit_code != 0 and "Cannot write" in missing.output and "Traceback" not in missing.output
    nothing = runner.invoke(main, [*base, "--topic", "zzzz-no-topic", "--export-csv", str(tmp_path / "x.csv")])
    assert nothing.exit_code != 0 and 'No questions match the topic "zzzz-no-topic"' in nothing.output
    assert not (tmp_path / "x.csv").exists()


def test_the_deck_is_named_after_the_notes_or_the_users_title(default_settings: Settings, tmp_path: Path) -> None:
    from quiz.export import deck_name

    named = tmp_path / "deeplearning-ai-notes"
    named.mkdir()
    assert deck_name(named) == "deeplearning-ai-notes"
    generic = tmp_path / "course" / "notes"
    generic.mkdir(parents=True)
    for name in ("a.md", "b.md"):
        (generic / name).write_text("# A\n", encoding="utf-8")
    assert deck_name(generic) == "course notes"  # several files: the folder above says what they are
    apkg = tmp_path / "mine.apkg"
    output = export(default_settings, tmp_path, "--topic", "KMS", "--export-anki", str(apkg), "--deck", "AWS exam")
    assert 'deck "AWS exam"' in output and "AWS exam" in read_apkg(apkg, tmp_path)[2]
