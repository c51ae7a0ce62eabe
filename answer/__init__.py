"""Answers from the notes, with line-exact citations: quoted (extractive, the default) or written by a
generative backend (``backends/``).

The interface (a front end builds an ``Answerer`` once and asks through ``service.ask``)::

    answerer = Answerer(ws, backend="extractive")      # None: settings.backend
    stream = answerer.stream(question, history)         # history: [{"role", "content"}], oldest first
    for piece in stream: ...                            # text as it is generated
    stream.answer                                       # the Answer, once iteration has finished
"""

from answer.answerer import Answerer, AnswerStream
from answer.model import Answer, Citation
from answer.strategy import BACKENDS, backend_status

__all__ = ["BACKENDS", "Answer", "AnswerStream", "Answerer", "Citation", "backend_status"]
