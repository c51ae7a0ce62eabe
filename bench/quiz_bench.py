"""Quiz latency on the shipped notes: grading a typed answer and picking the next question (target: p50
<= 1 s), and the grader alone per kind of question. Printed as medians (and p95) in milliseconds; the first
grade, which loads the embedding model, is reported on its own.

    .venv/bin/python bench/quiz_bench.py [--rounds 60] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.setup_path()

from ingest import chunk_document, load_document, scan_folder  # noqa: E402
from quiz import ProgressStore, QuizSession, generate_questions, grade  # noqa: E402
from quiz.model import Question  # noqa: E402
from settings import DEFAULT_NOTES_DIR, load_settings  # noqa: E402
from workspace import shared_embedder  # noqa: E402


def typed_answer(q: Question, rng: random.Random) -> str:
    """What a person might type: the right answer in fewer words, a wrong one, or a letter."""
    if q.kind == "mcq":
        return rng.choice("abcd")
    if q.kind == "tf":
        return rng.choice(["true", "false"])
    words = q.answer.replace(";", ",").split()
    return " ".join(words[: max(1, len(words) * 2 // 3)]) if rng.random() < 0.6 else "a managed queue service"


def run(rounds: int) -> dict:
    files, _ = scan_folder(DEFAULT_NOTES_DIR)
    questions = generate_questions([c for f in files for c in chunk_document(load_document(f.path, f.source))])
    embedder = shared_embedder(load_settings())
    rng = random.Random(7)
    warm_up = next(q for q in questions if q.kind == "definition")
    first_s, _ = common.timed(lambda: grade(warm_up, "one key", embedder))
    per_kind: dict[str, list[float]] = defaultdict(list)
    rounds_s: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = ProgressStore(Path(tmp) / "quiz.sqlite3")
        session = QuizSession.start(questions, store, n=10, embedder=embedder, seed=1)
        for _ in range(rounds):
            if session.done:  # a new quiz: picking its questions counts toward the next round
                start_s, session = common.timed(lambda: QuizSession.start(questions, store, n=10,
                                                                          embedder=embedder, seed=1))
            else:
                start_s = 0.0
            question = session.current
            answer = typed_answer(question, rng)
            began = time.perf_counter()
            session.answer(answer)
            _ = session.current
            elapsed = time.perf_counter() - began
            rounds_s.append(start_s + elapsed)
            per_kind[question.kind].append(elapsed)
        store.close()
    for q in rng.sample(questions, min(120, len(questions))):
        answer = typed_answer(q, rng)
        began = time.perf_counter()
        grade(q, answer, embedder)
        per_kind[f"grade {q.kind}"].append(time.perf_counter() - began)
    ms = {k: {s: round(v * 1000, 1) if s != "n" else v for s, v in common.summary(vals).items()}
          for k, vals in sorted(per_kind.items())}
    return {"questions": len(questions), "first_grade_ms": round(first_s * 1000, 1),
            "answer_and_next_ms": {s: round(v * 1000, 1) if s != "n" else v
                                   for s, v in common.summary(rounds_s).items()},
            "by_kind_ms": ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=60, help="answers typed in the quiz loop")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = run(args.rounds)
    loop = result["answer_and_next_ms"]
    print(f"{result['questions']} questions from the shipped notes; first grade (loads the model) "
          f"{result['first_grade_ms']} ms")
    print(f"grade a typed answer + pick the next question: median {loop['median']} ms, p95 {loop['p95']} ms "
          f"over {loop['n']} answers (target: median <= 1000 ms; {loop['median'] / 1000:.2f} of it)")
    for kind, stats in result["by_kind_ms"].items():
        print(f"  {kind:18} median {stats['median']:7.1f} ms  p95 {stats['p95']:7.1f} ms  (n={stats['n']})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
