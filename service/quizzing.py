"""The quiz's questions for a front end: the index is built first when it holds nothing yet."""

from __future__ import annotations

from quiz import Question, questions_for
from service.indexing import sync
from workspace import Workspace


def quiz_questions(ws: Workspace) -> list[Question]:
    """Every question ``ws``'s notes support (``quiz.questions_for``), syncing an empty index first so a
    quiz works on a folder never indexed. Answers are not prepared here: the quiz does not quote lines."""
    if ws.index.is_empty():
        sync(ws, prepare=False)
    return questions_for(ws)
