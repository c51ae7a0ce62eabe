"""A chat turn (the dict the chat view keeps) to JSON and back, without pickle: only known types come back.

A turn is ``{"role", "content"}`` plus, for an answer, ``answer`` (:class:`answer.Answer`) and ``notes_dir``;
for a quiz message, ``quiz`` (a :mod:`quiz.chatreplies` reply, or ``True`` on the user's own quiz turn); for
a failure, ``error``. Unknown keys are dropped; a record this version cannot read raises ``ValueError``."""

from __future__ import annotations

import dataclasses
from typing import Any

from answer.model import Answer, Citation
from ingest.model import Chunk
from quiz.chatreplies import Ask, FromNotes, Graded, MovedOn, Reply, Say, Summary
from quiz.model import Question
from retrieval import Hit

#: Passages kept of an answer's hits: what a refusal shows as the closest lines.
KEPT_HITS = 3
_REPLIES: dict[str, type] = {cls.__name__: cls for cls in (Say, MovedOn, Ask, Graded, Summary, FromNotes)}
_PLAIN_KEYS = ("role", "content", "notes_dir", "error")


def encode_turn(turn: dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready copy of one turn."""
    out: dict[str, Any] = {k: str(turn[k]) for k in _PLAIN_KEYS if turn.get(k) is not None}
    quiz = turn.get("quiz")
    if isinstance(quiz, Reply):
        out["quiz"] = _encode_reply(quiz)
    elif quiz:
        out["quiz"] = True
    if isinstance(turn.get("answer"), Answer):
        out["answer"] = _encode_answer(turn["answer"])
    return out


def decode_turn(data: dict[str, Any]) -> dict[str, Any]:
    """The turn :func:`encode_turn` saved; ``ValueError`` when it is not one."""
    try:
        turn: dict[str, Any] = {k: str(data[k]) for k in _PLAIN_KEYS if data.get(k) is not None}
        if data.get("role") not in ("user", "assistant"):
            raise ValueError(f"unknown role {data.get('role')!r}")
        quiz = data.get("quiz")
        if isinstance(quiz, dict):
            turn["quiz"] = _decode_reply(quiz)
        elif quiz:
            turn["quiz"] = True
        if isinstance(data.get("answer"), dict):
            turn["answer"] = _decode_answer(data["answer"])
        return turn
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a saved chat turn ({type(exc).__name__}: {exc})") from exc


def _encode_reply(reply: Reply) -> dict[str, Any]:
    return {"type": type(reply).__name__, **dataclasses.asdict(reply)}


def _decode_reply(data: dict[str, Any]) -> Reply:
    fields = dict(data)
    cls = _REPLIES.get(str(fields.pop("type", "")))
    if cls is None:
        raise ValueError(f"unknown quiz reply {data.get('type')!r}")
    if "question" in fields and cls is not FromNotes:
        fields["question"] = Question.from_json(fields["question"])
    if cls is Summary:
        fields["weakest"] = tuple(fields["weakest"])
    return cls(**fields)


def _encode_answer(answer: Answer) -> dict[str, Any]:
    return {"question": answer.question, "text": answer.text, "refused": answer.refused,
            "backend": answer.backend, "notice": answer.notice, "coverage": answer.coverage,
            "similarity": answer.similarity, "citations": [dataclasses.asdict(c) for c in answer.citations],
            "hits": [{"chunk": dataclasses.asdict(h.chunk), "score": h.score, "rank": h.rank}
                     for h in answer.hits[:KEPT_HITS]]}


def _decode_answer(data: dict[str, Any]) -> Answer:
    citations = []
    for c in data["citations"]:
        fields = dict(c)
        fields["also"] = [tuple(a) for a in fields.get("also") or ()]
        fields["linked_from"] = list(fields.get("linked_from") or ())
        citations.append(Citation(**fields))
    hits = [Hit(Chunk(**h["chunk"]), float(h["score"]), int(h.get("rank", 0))) for h in data.get("hits") or ()]
    return Answer(str(data["question"]), str(data["text"]), bool(data["refused"]), citations, hits,
                  str(data.get("backend", "")), data.get("notice"), float(data.get("coverage", 0.0)),
                  float(data.get("similarity", 0.0)))
