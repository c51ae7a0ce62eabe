"""Cards for the apps students already keep them in: an Anki package (``genanki``) and CSV (Quizlet and others).

One card per question: the front is the question (multiple choice with its lettered options), the back the
expected answer, its source (``file:lines``) and the quoted lines. Tags are the topic and the kind (Anki tags
have no spaces). The deck is named after the notes (:func:`deck_name`) or a title the user sets. Ids are stable: the deck and note type ids come
from fixed names and each note's guid from the question's id, so importing a re-export into Anki updates the
cards instead of duplicating them.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from pathlib import Path

import genanki

from quiz.choices import expected_choice
from quiz.model import EXACT_KINDS, Question

MODEL_NAME = "Notewise question"
_CSS = (".card { font-family: sans-serif; font-size: 18px; text-align: left; }\n"
        ".source { color: #666; font-size: 14px; margin-top: 1em; }\n"
        ".quote { font-family: monospace; font-size: 14px; white-space: pre-wrap; border-left: 3px solid #ccc; "
        "padding-left: .5em; }\n")
_BACK = ('{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
         '<div class="source">{{Source}}</div><div class="quote">{{Quote}}</div>')


def stable_id(name: str) -> int:
    """An Anki id (between 2^30 and 2^31) that is the same for the same name on every run."""
    return (1 << 30) + int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16) % (1 << 30)


MODEL = genanki.Model(stable_id(MODEL_NAME), MODEL_NAME,
                      fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}, {"name": "Quote"}],
                      templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": _BACK}], css=_CSS)


#: Folder names that say nothing about what the notes are on: the deck is named after what is inside.
GENERIC_FOLDERS = frozenset({"notes", "note", "docs", "doc", "documents", "data", "files", "my notes", "study",
                             "readme", "src", "content", "folder"})


def deck_name(notes_dir: Path, title: str = "") -> str:
    """The deck's name: ``title`` when the user sets one; else the notes folder's name
    ("deeplearning-ai-notes"); for a folder named only "notes" (or "docs", ...), its one file's name
    ("aws-study-notes") or, with several files, the folder above it."""
    if title.strip():
        return title.strip()
    folder = notes_dir.resolve()
    if folder.name.lower() not in GENERIC_FOLDERS:
        return folder.name or "notes"
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")] if folder.is_dir() else []
    if len(files) == 1:
        return files[0].stem
    parent = folder.parent.name
    return f"{parent} {folder.name}" if parent else folder.name or "notes"


def tag(text: str) -> str:
    """An Anki tag: no spaces (Anki splits tags on them), no quotes; "Lake Formation" -> "Lake_Formation"."""
    return re.sub(r"[\s\"']+", "_", text.strip()).strip("_") or "untitled"


def tags(q: Question, note_tags: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The topic and the kind, then the tags of the question's note in an Obsidian vault ("physics/optics"
    keeps its slash: Anki's own tag hierarchy uses "::", so it is written "physics::optics")."""
    vault = [tag(t.replace("/", "::")) for t in (note_tags or {}).get(q.source, ())]
    return list(dict.fromkeys([tag(q.topic), q.kind, *vault]))


def expected(q: Question) -> str:
    """The answer as the back of a card shows it: the lettered choice, true/false with the real fact."""
    return expected_choice(q) if q.kind in EXACT_KINDS else q.answer


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def anki_package(questions: list[Question], deck: str,
                 note_tags: dict[str, tuple[str, ...]] | None = None) -> bytes:
    """The .apkg file (a zip holding an SQLite Anki collection) with one card per question; ``note_tags``:
    the vault tags of each note (by source), added to its cards' tags."""
    anki_deck = genanki.Deck(stable_id(f"notewise deck {deck}"), deck)
    for q in questions:
        fields = [_html(q.prompt_text()), _html(expected(q)), _html(q.reference), _html(q.quote)]
        anki_deck.add_note(genanki.Note(model=MODEL, fields=fields, tags=tags(q, note_tags), guid=genanki.guid_for(q.id)))
    out = io.BytesIO()
    genanki.Package(anki_deck).write_to_file(out)
    return out.getvalue()


CSV_COLUMNS = ("front", "back", "source", "tags")


def csv_bytes(questions: list[Question], note_tags: dict[str, tuple[str, ...]] | None = None) -> bytes:
    """UTF-8 CSV with a header row: front (the question), back (the answer), source (file:lines), tags."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for q in questions:
        writer.writerow([q.prompt_text(), expected(q), q.reference, " ".join(tags(q, note_tags))])
    return out.getvalue().encode("utf-8")
