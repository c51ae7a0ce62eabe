"""Search and ask: the two ways a front end reads the notes."""

from __future__ import annotations

from answer import Answerer, AnswerStream
from retrieval import SearchResult
from retrieval.scope import Scope
from workspace import Workspace


def search(ws: Workspace, query: str, k: int | None = None, history: list[str] | None = None,
           scope: Scope | None = None, mode: str | None = None) -> SearchResult:
    """The ``k`` best passages (None: ``settings.top_k``) for ``query``, read after the earlier questions
    ``history``, only in ``scope`` when given. ``mode``: the retriever from now on (hybrid, or dense or
    lexical alone for comparison); None keeps the workspace's."""
    if mode is not None:
        ws.retriever.mode = mode
    return ws.retriever.search(query, k, history, scope=scope)


def ask(answerer: Answerer, question: str, history: list[dict[str, str]] | None = None,
        scope: Scope | None = None) -> AnswerStream:
    """The answer to ``question`` as it is written: iterate for its text, then read ``.answer`` (or call
    ``.collect()``). ``history``: earlier turns, oldest first; ``scope``: only these notes."""
    return answerer.stream(question, history, scope)
