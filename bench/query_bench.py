"""Warm query latency (p50/p95) for search and for an extractive answer at 1x, 10x and 100x; peak memory.

Each scale runs in its own process (so peak memory is that scale's): the index in WORK/data-<scale>x is
reused when ingest_bench.py left one there, else built. After a warm-up, every question of the eval set
(with its history) is searched ``--rounds`` times and answered ``--rounds`` times with the extractive
backend, a new ``Answerer`` per question as the app does. Answers are reported three ways:

* first ask, unprepared: the index's answer-vector cache is emptied first, so each question's candidate
  lines are embedded as it is asked (what the first answers cost before ``lines.prepare`` existed);
* first ask, prepared: after ``prepare_answers`` (what `ingest` and the app do after indexing) and with
  the process's in-memory vectors dropped, so every line vector comes from the cache on disk;
* repeats: later rounds, everything in memory.

Peak memory: the process's peak RSS, and the Python heap peak (tracemalloc) over one extra pass.

    python bench/query_bench.py --scales 1,10 --rounds 5 --json /tmp/query.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from bench.corpus import build_corpus  # noqa: E402
from indexing import sync_index

common.setup_path()


WARM_UP = ["What is Amazon S3 used for?", "How does IAM control access?", "What does Kinesis do?"]


def load_questions() -> list[dict]:
    return [json.loads(line) for line in common.DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def answerer_factory(ws: Any) -> Any:
    """A function question -> (seconds to the first piece, seconds in all), or None without answer/."""
    try:
        from answer import Answerer
    except ImportError as exc:
        print(f"answer/ is not importable ({exc}); answers are not measured", file=sys.stderr)
        return None

    def ask(question: str, history: list[str]) -> tuple[float, float]:
        start = time.perf_counter()
        stream = Answerer(ws, backend="extractive").stream(question, [{"role": "user", "content": h} for h in history])
        first = None
        for _ in stream:
            first = first if first is not None else time.perf_counter() - start
        total = time.perf_counter() - start
        return (first if first is not None else total), total

    return ask


def first_asks_prepared(ws: Any, ask: Any, questions: list[dict]) -> tuple[float, list[float]]:
    """Prepare the answers, forget the in-process vectors, then ask each question once: (prepare s, times)."""
    from lines import vectors as linevectors
    from lines.prepare import prepare_answers

    ws.index.text_vectors.keep_only([])  # round 1 stored its questions' lines: prepare from nothing
    linevectors.forget_cached(ws.embedder)
    report = prepare_answers(ws.index, ws.embedder)
    linevectors.forget_cached(ws.embedder)
    times = []
    for q in questions:
        ws.embedder.forget_queries()
        times.append(ask(q["question"], q.get("history", []))[1])
    return report.seconds, times


def child(scale: int, rounds: int, work: Path) -> dict[str, Any]:
    from settings import Settings
    from workspace import open_workspace

    notes = work / f"corpus-{scale}x"
    if not notes.is_dir():
        build_corpus(scale, notes)
    ws = open_workspace(Settings(notes_dir=notes, data_dir=work / f"data-{scale}x"))
    with common.stage(f"{scale}x index ready"):
        report = sync_index(ws.index, ws.embedder)
    questions = load_questions()
    ask = answerer_factory(ws)
    for question in WARM_UP:  # model, kernels, first-call code paths; not eval questions
        ws.retriever.search(question, 5)
        if ask:
            ask(question, [])
    rss_ready = common.peak_rss_mib()
    search_s: list[float] = []
    answer_s: list[list[float]] = []
    first_piece_s: list[float] = []
    prepared_s: list[float] = []
    prepare_seconds = None
    ws.index.text_vectors.keep_only([])  # round 1 asks with nothing prepared
    with common.stage(f"{scale}x {rounds} rounds of {len(questions)} searches and answers"):
        for round_no in range(rounds):
            if ask and round_no == 1:
                prepare_seconds, prepared_s = first_asks_prepared(ws, ask, questions)
            answer_s.append([])
            for q in questions:
                ws.embedder.forget_queries()  # every search embeds its question, as a new one would
                start = time.perf_counter()
                ws.retriever.search(q["question"], 5, q.get("history"))
                search_s.append(time.perf_counter() - start)
            if ask:
                for q in questions:
                    if round_no == 0:
                        ws.embedder.forget_queries()
                    first, total = ask(q["question"], q.get("history", []))
                    first_piece_s.append(first)
                    answer_s[-1].append(total)
    tracemalloc.start()
    for q in questions:
        ws.retriever.search(q["question"], 5, q.get("history"))
        if ask:
            ask(q["question"], q.get("history", []))
    heap_peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    files, chunks = ws.index.catalog.count()
    ws.close()
    return {"scale": scale, "files": files, "chunks": chunks, "embedded_before": report.embedded,
            "search_s": common.summary(search_s),
            "answer_s": common.summary(answer_s[0]) if answer_s and answer_s[0] else None,
            "answer_repeat_s": common.summary([t for r in answer_s[1:] for t in r]) if answer_s[1:] else None,
            "answer_first_piece_s": common.summary(first_piece_s) if first_piece_s else None,
            "answer_prepared_s": common.summary(prepared_s) if prepared_s else None,
            "prepare_seconds": prepare_seconds,
            "rss_ready_mib": rss_ready, "peak_rss_mib": common.peak_rss_mib(), "python_heap_peak_mib": round(heap_peak, 1),
            "load": common.load()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100", help="Corpus sizes in copies of the notes (default 1,10,100).")
    parser.add_argument("--rounds", type=int, default=5, help="Passes over the eval questions (default 5).")
    parser.add_argument("--work", type=Path, help="Folder with corpora/indexes from ingest_bench.py (default: temp).")
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    parser.add_argument("--child-scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="notewise-bench-"))
    if args.child_scale:
        common.write_json(args.json, child(args.child_scale, args.rounds, work))
        return
    started = time.perf_counter()
    results = []
    for scale in common.parse_scales(args.scales):
        out = work / f"query-{scale}x.json"
        subprocess.run([sys.executable, __file__, "--child-scale", str(scale), "--rounds", str(args.rounds),
                        "--work", str(work), "--json", str(out)], check=True)
        results.append(json.loads(out.read_text(encoding="utf-8")))
    common.write_json(args.json, {"machine": common.machine_facts(), "scales": results, "seconds": time.perf_counter() - started})
    for r in results:
        line = (f"{r['scale']:>4}x {r['chunks']:>6} chunks  search p50 {r['search_s']['median'] * 1000:.1f} ms "
                f"p95 {r['search_s']['p95'] * 1000:.1f} ms")
        if r["answer_s"]:
            line += (f"  answer (first ask) p50 {r['answer_s']['median'] * 1000:.1f} ms "
                     f"p95 {r['answer_s']['p95'] * 1000:.1f} ms")
        if r.get("answer_prepared_s"):
            line += f"  answer (first ask, prepared) p50 {r['answer_prepared_s']['median'] * 1000:.1f} ms"
        if r.get("answer_repeat_s"):
            line += f"  answer (repeat) p50 {r['answer_repeat_s']['median'] * 1000:.1f} ms"
        print(line + f"  peak RSS {r['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
