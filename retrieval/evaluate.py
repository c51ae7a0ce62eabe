"""Retrieval scoring with the rule of ../shared/eval/score_hits.py (a test checks that both agree)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from text.words import normalise

MAX_HIT_CHARS = 1500


def load_questions(path: Path) -> list[dict]:
    questions = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            if "id" not in item or "question" not in item:
                raise ValueError(f"{path}:{n}: each line needs 'id' and 'question'")
            questions.append(item)
    return questions


def _covers(text: str, group: list[str]) -> bool:
    return any(normalise(alt) in text for alt in group)


def first_rank(item: dict, texts: list[str], k: int) -> int | None:
    """1-based rank at which the hits cover the answer keys (cumulatively for 'multi'), else None."""
    groups = item["answer_keys"]
    left = list(range(len(groups)))
    for rank, raw in enumerate(texts[:k], 1):
        if len(raw) > MAX_HIT_CHARS:
            continue
        text = normalise(raw)
        if item["kind"] == "multi":
            left = [g for g in left if not _covers(text, groups[g])]
            if not left:
                return rank
        elif all(_covers(text, g) for g in groups):
            return rank
    return None


def score_hits(questions: list[dict], hits_by_id: dict[str, list[str]], k: int = 5) -> dict[str, dict]:
    """hit@1, hit@k and MRR per kind and for 'all' over the answerable questions."""
    per: dict[str, dict] = defaultdict(lambda: {"n": 0, "hit1": 0, "hitk": 0, "rr": 0.0})
    misses = []
    for q in questions:
        if q.get("kind") == "unanswerable":
            continue
        rank = first_rank(q, hits_by_id.get(q["id"], []), k)
        for key in (q["kind"], "all"):
            p = per[key]
            p["n"] += 1
            p["hitk"] += bool(rank)
            p["rr"] += 1.0 / rank if rank else 0.0
            p["hit1"] += rank == 1
        if not rank:
            misses.append(q["id"])
    result = {kind: {"n": v["n"], "hit@1": round(v["hit1"] / v["n"], 3), f"hit@{k}": round(v["hitk"] / v["n"], 3),
                     "mrr": round(v["rr"] / v["n"], 3)} for kind, v in per.items()}
    result["_misses"] = misses  # type: ignore[assignment]
    return result
