"""Filling the prompt files: the notes go in fenced as data, the conversation as plain turns."""

from __future__ import annotations

import re
from collections import defaultdict

from answer.model import Citation
from lines.quotable import Candidate
from prompts import load_prompt
from retrieval import Hit

_FENCE_TAG = re.compile(r"<(/?\s*(?:notes|passage)\b)", re.IGNORECASE)
HISTORY_TURNS = 6
MAX_PASSAGES = 5
TURN_CHARS = 300
CLOSEST_HEADER = "Closest in your notes:"  # a refusal's list of the lines to check starts here


def fence_passages(hits: list[Hit], picks: list[Candidate]) -> tuple[str, set[int]]:
    """The passages' best lines, numbered as the hits, each inside ``<passage>`` tags; and the numbers shown.

    A small model answers better, and much sooner, from the few lines that matter than from whole
    passages. A note cannot close the fence: its tags are defused.
    """
    lines_by_hit: dict[int, set[int]] = defaultdict(set)
    for pick in picks:
        lines_by_hit[pick.hit].update(range(pick.first, pick.last + 1))
    if not lines_by_hit:
        lines_by_hit = {h: set(range(len(hit.chunk.text.split("\n")))) for h, hit in enumerate(hits[:3])}
    blocks = []
    for h in sorted(lines_by_hit)[:MAX_PASSAGES]:
        c = hits[h].chunk
        lines = c.text.split("\n")
        body = _FENCE_TAG.sub(r"‹\1", "\n".join(lines[i].strip() for i in sorted(lines_by_hit[h])))
        blocks.append(f'<passage id="{h + 1}" source="{c.source}">\n{body}\n</passage>')
    return "\n".join(blocks), {h + 1 for h in sorted(lines_by_hit)[:MAX_PASSAGES]}


def condense_messages(question: str, history: list[dict]) -> list[dict[str, str]]:
    turns = []
    for turn in history[-HISTORY_TURNS:]:
        who = "User" if turn.get("role") == "user" else "Assistant"
        text = " ".join(str(turn.get("content", "")).split())
        turns.append(f"{who}: {text[:TURN_CHARS]}")
    return load_prompt("condense").render(history="\n".join(turns), question=question)


def refusal_text(question: str, reason: str, closest: list[Hit], shown: int = 3,
                 cited: list[Citation] = ()) -> str:
    """"Your notes don't answer <the question>" and why; then where the nearest lines are, so the
    person can check: the ``cited`` lines (marked ``[n]`` like an answer's), else the first line of each
    of the ``closest`` passages."""
    lines = []
    for c in cited:
        first = next((s.strip() for s in c.quote.split("\n") if s.strip()), "")
        lines.append(f"- {c.source}:{c.location}" + (f" ({c.heading})" if c.heading else "") +
                     f": {_shorten(first)} [{c.n}]")
    for hit in closest[:shown] if not cited else ():
        c = hit.chunk
        first = next((s.strip() for s in c.text.split("\n") if s.strip()), "")
        lines.append(f"- {c.reference}" + (f" ({c.heading})" if c.heading else "") + f": {_shorten(first)}")
    closest_text = (f"{CLOSEST_HEADER}\n" + "\n".join(lines)) if lines else ""
    asked = " ".join(question.split())
    return load_prompt("refusal").text(question=_shorten(asked, 160), reason=reason, closest=closest_text).strip()


def _shorten(line: str, limit: int = 90) -> str:
    return line if len(line) <= limit else line[:limit - 1] + "…"
