"""The service layer: the only place that orchestrates. The CLI (``commands/``) and the app (``ui/``) call these.

    synced = sync(ws, progress)                 # the index in line with the notes, answers prepared
    result = search(ws, "what is KMS?", k=5)    # ranked passages
    stream = ask(answerer, "what is KMS?")      # iterate for the text; stream.answer afterwards
    plan = turn(Chat(quiz, history), text)      # a chat message routed to the quiz or to the notes
    questions = quiz_questions(ws)              # the quiz's questions (the index built first if empty)
"""

from service.chat import Chat, NotesQuestion, Turn, turn
from service.indexing import Progress, Synced, needs_sync, sync
from service.querying import ask, search
from service.quizzing import quiz_questions

__all__ = ["Chat", "NotesQuestion", "Progress", "Synced", "Turn", "ask", "needs_sync", "quiz_questions", "search", "sync",
           "turn"]
