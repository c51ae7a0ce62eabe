"""Extractive answer latency (p50, p95) on the shipped notes' dev questions, in one process, index built.

    python bench/answer_p50.py [--rounds 5] [--data-dir DIR] [--json OUT]

Run from a checkout's root to measure that checkout's code (``cd ../old && python ../main/bench/answer_p50.py``
compares an older commit on the same index): the checkout in the working folder is what is imported. A
new ``Answerer`` per question, as the app makes; the index is synced and its answers prepared first,
then one warm-up pass. Interleave runs of the two checkouts and compare the ratio of their medians: on
2 shared cores one run's median moves by 20% with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from indexing import sync_index

sys.path.insert(0, os.getcwd())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "notewise-answer-p50")
    parser.add_argument("--questions", type=Path, default=Path(os.getcwd()).parent / "shared" / "eval" / "dev.jsonl")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from answer import Answerer
    from lines.prepare import prepare_answers
    from settings import DEFAULT_NOTES_DIR, Settings
    from workspace import open_workspace

    ws = open_workspace(Settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=args.data_dir))
    sync_index(ws.index, ws.embedder)
    prepare_answers(ws.index, ws.embedder)
    questions = [json.loads(line) for line in args.questions.read_text().splitlines() if line.strip()]

    def ask(q: dict) -> float:
        started = time.perf_counter()
        Answerer(ws).ask(q["question"], [{"role": "user", "content": h} for h in q.get("history") or []])
        return time.perf_counter() - started

    for q in questions:  # warm-up: imports, memos, the OS's file cache
        ask(q)
    times = sorted(ask(q) for _ in range(args.rounds) for q in questions)
    result = {"code": os.getcwd(), "answers": len(times), "p50_ms": round(statistics.median(times) * 1000, 2),
              "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 2), "loadavg": os.getloadavg()}
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result))
    ws.close()


if __name__ == "__main__":
    main()
