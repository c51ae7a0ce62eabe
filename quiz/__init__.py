"""Quiz me: questions generated from the notes, graded answers with their source, spaced repetition.

The API front ends (CLI, Streamlit tab, chat mode) code against::

    questions = service.quiz_questions(ws)               # every question the notes support (index built if empty)
    store = ProgressStore(ws.settings.quiz_db_path)
    session = QuizSession.start(questions, store, topic="KMS", n=10, embedder=ws.embedder)
    q = session.current                                  # .question, .choices, .kind, .reference
    g = session.answer("one key encrypts and decrypts")  # Grade(correct, score, feedback, expected, quote, verdict)
    session.score                                        # (right, answered)
    store.progress_by_topic()                            # TopicProgress(topic, day, answered, correct) rows
    parse_quiz_request("quiz me on KMS")                 # -> "KMS" ("" = any topic, None = not a request)
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from quiz.generate import generate_questions
from quiz.grade import grade, parse_choice
from quiz.model import Grade, Question
from quiz.session import QuizSession, parse_quiz_request, pick, questions_on, topics
from quiz.store import ProgressStore, TopicProgress

if TYPE_CHECKING:
    from workspace import Workspace


def questions_for(ws: Workspace) -> list[Question]:
    """The questions of the workspace's indexed notes (generated once per index state, then kept in the
    index folder's memo); none for an empty index (``service.quiz_questions`` syncs one first)."""
    chunks = ws.index.catalog.all_chunks()
    digest = hashlib.sha1("".join(c.id for c in chunks).encode()).hexdigest()
    key = (len(chunks), digest)
    memo = ws.index.memo  # the index folder's: the questions go with it
    if memo.questions is None or memo.questions[0] != key:
        memo.questions = (key, generate_questions(chunks))
    return memo.questions[1]


__all__ = ["Grade", "ProgressStore", "Question", "QuizSession", "TopicProgress", "generate_questions",
           "grade", "parse_choice", "parse_quiz_request", "pick", "questions_for", "questions_on", "topics"]
