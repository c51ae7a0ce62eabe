"""A chat turn: whether a message is a quiz step or a question for the notes, decided once for every front end.

:func:`turn` only routes; it answers nothing itself. It hands back the quiz's replies to show and the
questions to answer from the notes (:class:`NotesQuestion`), in order, so a front end can stream each answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from quiz.chatmode import ChatQuiz, Span
from quiz.chatreplies import FromNotes, Reply

History = list[dict[str, str]]  # earlier turns [{"role": "user"|"assistant", "content": str}], oldest first


@dataclass(frozen=True)
class Chat:
    """What a turn needs of its conversation."""

    quiz: ChatQuiz  # the conversation's quiz (its state is in the progress store)
    history: History = field(default_factory=list)  # the turns that are context for a follow-up (no quiz steps)
    last_spans: Sequence[Span] = ()  # the lines the latest answer cited ("test me on the last answer")
    shown: str | None = None  # id of the quiz question this front end shows ("": none; None: not checked)


@dataclass(frozen=True)
class NotesQuestion:
    """Answer ``text`` from the notes, reading it in the conversation ``history``."""

    text: str
    history: History


Step = NotesQuestion | Reply  # a quiz reply to show; never FromNotes, which becomes a NotesQuestion


@dataclass(frozen=True)
class Turn:
    """How to answer one message: its steps, in order."""

    steps: list[Step]
    handled_by_quiz: bool  # the quiz read the message (its buttons and state change: redraw the page)
    is_quiz_step: bool  # the message is a quiz step, so no context for later follow-ups


def turn(chat: Chat, text: str) -> Turn:
    """Route ``text``: a quiz step when the quiz takes it, else a question for the notes.

    A question asked in the middle of a quiz is answered in the conversation's context and the quiz goes
    on; a question the quiz asks for itself ("why?") is answered on its own."""
    replies = chat.quiz.handle(text, chat.last_spans, shown=chat.shown)
    if replies is None:
        return Turn([NotesQuestion(text, chat.history)], handled_by_quiz=False, is_quiz_step=False)
    asks_notes = bool(replies) and isinstance(replies[0], FromNotes) and replies[0].query == text
    steps: list[Step] = [NotesQuestion(r.query, chat.history if asks_notes else []) if isinstance(r, FromNotes)
                         else r for r in replies]
    return Turn(steps, handled_by_quiz=True, is_quiz_step=not asks_notes)
