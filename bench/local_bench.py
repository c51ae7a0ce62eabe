"""The `local` backend (llama.cpp on the CPU): model load, time to first token, and pieces per second.

One process, one ``Answerer`` as the app keeps one: the model loads once, then each answerable eval
question is asked once. The first question is reported apart (llama.cpp evaluates the system prompt for
the first time then); the rest give the medians. A streamed piece is one token of llama.cpp's output;
an answer the notes do not back falls back to the extractive one (its text arrives in one piece and is
not counted as generation).

    python bench/local_bench.py --n 10 --json /tmp/local.json
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from indexing import sync_index

common.setup_path()


def ask_timed(answerer: Any, question: str, history: list[str]) -> dict[str, Any]:
    """Seconds to the first streamed piece, pieces the model streamed, and seconds in all."""
    start = time.perf_counter()
    first = None
    pieces = 0
    stream = answerer.stream(question, [{"role": "user", "content": h} for h in history])
    for _ in stream:
        first = first if first is not None else time.perf_counter() - start
        pieces += 1
    total = time.perf_counter() - start
    model_wrote = stream.answer is not None and stream.answer.backend == "local"
    return {"first_piece_s": first if first is not None else total, "total_s": total,
            "pieces": pieces if model_wrote else 0, "model_wrote": model_wrote,
            "generating_s": total - (first or total) if model_wrote else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10, help="Answerable eval questions to ask (default 10).")
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    args = parser.parse_args()
    from answer import Answerer
    from backends.base import BackendError
    from lines.prepare import prepare_answers
    from retrieval.evaluate import load_questions
    from settings import Settings
    from workspace import open_workspace

    ws = open_workspace(Settings(notes_dir=common.DEFAULT_NOTES, data_dir=Path(tempfile.mkdtemp(prefix="nw-local-"))))
    with common.stage("index, answers prepared (as ingest and the app do)"):
        sync_index(ws.index, ws.embedder)
        prepare_answers(ws.index, ws.embedder)
    answerer = Answerer(ws, backend="local")
    ok, why = answerer.backend.status()
    if not ok:
        common.write_json(args.json, {"machine": common.machine_facts(), "skipped": why})
        print(f"skipped: {why}")
        return
    try:
        load_s, _ = common.timed(answerer.backend.load)
    except BackendError as exc:
        common.write_json(args.json, {"machine": common.machine_facts(), "skipped": str(exc)})
        print(f"skipped: {exc}")
        return
    questions = [q for q in load_questions(common.DEV_SET) if q.get("kind") != "unanswerable"][: args.n]
    with common.stage(f"{len(questions)} questions through the local model"):
        runs = [ask_timed(answerer, q["question"], q.get("history", [])) for q in questions]
    ws.close()
    first, rest = runs[0], runs[1:]
    written = [r for r in rest if r["model_wrote"] and r["generating_s"] > 0]
    data = {
        "machine": common.machine_facts(), "load_s": load_s, "questions": len(runs),
        "first_question": first,
        "first_piece_s": common.summary([r["first_piece_s"] for r in rest]) if rest else None,
        "total_s": common.summary([r["total_s"] for r in rest]) if rest else None,
        "pieces_per_s": common.summary([r["pieces"] / r["generating_s"] for r in written]) if written else None,
        "model_wrote": sum(r["model_wrote"] for r in runs),
    }
    common.write_json(args.json, data)
    line = f"load {load_s:.2f} s; first question: first piece {first['first_piece_s']:.2f} s"
    if data["first_piece_s"]:
        line += (f"; then first piece p50 {data['first_piece_s']['median']:.2f} s, "
                 f"answer p50 {data['total_s']['median']:.2f} s")
    if data["pieces_per_s"]:
        line += f", {data['pieces_per_s']['median']:.0f} pieces/s"
    print(line + f"; the model's own answer in {data['model_wrote']} of {len(runs)}")


if __name__ == "__main__":
    main()
