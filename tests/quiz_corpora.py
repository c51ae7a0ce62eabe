"""The corpora the quiz is judged on, read straight through ingest's loaders and chunker (no index, no
embedding: a quiz reads chunks), and the teacher's grading table that names questions in them."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from conftest import CORPORA_DIR, suite_path

from ingest import chunk_document, load_document, scan_folder
from ingest.model import Chunk
from quiz import generate_questions
from quiz.model import Question
from settings import DEFAULT_NOTES_DIR
from text.words import normalise

CORPORA = {"notes": DEFAULT_NOTES_DIR, "deeplearning-ai-notes": CORPORA_DIR / "deeplearning-ai-notes",
           "til-subset": CORPORA_DIR / "til-subset", "system-design-primer": CORPORA_DIR / "system-design-primer"}
DATA = Path(__file__).parent / "data"
#: Notes that only grading tables use: a fresh subject, shipped with the tests (tests/data/README.md).
GRADING_CORPORA = {name: DATA / "corpora" / name for name in ("physiology-notes", "economics-notes", "history-notes",
                                                                        "psychology-notes", "chemistry-notes", "law-notes",
                                                                        "philosophy-notes", "arthistory-notes", "pharmacology-notes",
                                                                        "linguistics-notes", "earthscience-notes", "microbiology-notes",
                                                                        "musictheory-notes", "astronomy-notes", "nutrition-notes")}
GRADING_CASES = DATA / "grading_cases.jsonl"
#: The second teacher's table (issue 23): three corpora, split tune / held-out before the grader was changed.
GRADING_CASES_V2 = DATA / "grading_cases_v2.jsonl"


@functools.cache
def corpus_chunks(name: str) -> tuple[Chunk, ...]:
    """The corpus' chunks; a test that needs a suite corpus that is absent skips, naming it."""
    return folder_chunks(GRADING_CORPORA.get(name) or (CORPORA[name] if name == "notes" else suite_path(CORPORA[name])))


def folder_chunks(folder: Path) -> tuple[Chunk, ...]:
    """The chunks of every note in ``folder``, as ingest reads and cuts them."""
    files, _ = scan_folder(folder)
    return tuple(chunk for f in files for chunk in chunk_document(load_document(f.path, f.source)))


@functools.cache
def corpus_questions(name: str, worth_asking_only: bool = True) -> tuple[Question, ...]:
    """The questions the quiz asks; with ``worth_asking_only=False`` every question the facts give."""
    return tuple(generate_questions(list(corpus_chunks(name)), worth_asking_only=worth_asking_only))


def grading_cases(half: str | None = None, table: Path = GRADING_CASES) -> list[dict]:
    rows = [json.loads(line) for line in table.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if half is None or r["half"] == half]


def _begins(answer: str, expected: str) -> bool:
    return answer.startswith(expected) or bool(answer) and expected.startswith(answer)


def case_question(row: dict) -> Question:
    """The one question of the row's corpus with its kind and term whose answer starts as ``expected``
    (and whose text holds ``prompt``, where the row gives one). Grading is judged on every question the facts
    give, also those the worth-asking filter drops (the table was written before that filter); a question the
    filter keeps is taken as it is asked (an answer the notes misspell is asked in the right spelling). A card
    whose answer now stops short of ``expected`` (a line of pairs asks its first pair alone since heldout14)
    is the row's card too: it asks part of what the teacher saw."""
    for asked in (True, False):
        found = [q for q in corpus_questions(row["corpus"], worth_asking_only=asked) if q.kind == row["kind"]
                 and q.term == row["term"] and row.get("prompt", "") in q.question
                 and (asked and not row["expected"] or _begins(normalise(q.answer), normalise(row["expected"])))]
        if found or not asked:
            break
    assert len(found) == 1, f"{len(found)} questions match {row}"
    return found[0]
