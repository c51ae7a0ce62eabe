"""Retrieval quality side by side: this project against the textbook LangChain pipeline, in one run.

Textbook pipeline: RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) from
langchain-text-splitters, all-MiniLM-L6-v2 (the packaged copy, float32, as HuggingFaceEmbeddings would
run it), a plain Chroma collection (default L2 space), similarity top 5, follow-ups sent without their
history. This project: ``Retriever.search(question, 5, history)`` over its own index. Both run on the
same notes with the same loaded model, are scored with ``retrieval.evaluate.score_hits`` and cross-checked
with ../shared/eval/score_hits.py. Also timed side by side: index build and warm query latency.

    python bench/quality_bench.py --json /tmp/quality.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from indexing import sync_index

common.setup_path()
K = 5
Search = Callable[[dict], list[str]]


def textbook_pipeline(notes: Path, model: Any) -> tuple[Search, float, int]:
    """Build the textbook index; returns (search, seconds to build, chunk count)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    start = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    texts = [piece for path in sorted(notes.rglob("*")) if path.suffix in (".txt", ".md")
             for piece in splitter.split_text(path.read_text(encoding="utf-8"))]
    vectors = model.encode(texts, batch_size=32, show_progress_bar=False)
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True))
    collection = client.create_collection(f"textbook-{int(time.time() * 1000)}", embedding_function=None)
    collection.add(ids=[str(i) for i in range(len(texts))], embeddings=vectors, documents=texts)
    seconds = time.perf_counter() - start

    def search(item: dict) -> list[str]:  # follow-ups go without history, as in the textbook chain
        vector = model.encode([item["question"]], show_progress_bar=False)
        return collection.query(query_embeddings=vector, n_results=K, include=["documents"])["documents"][0]

    return search, seconds, len(texts)


def project_pipeline(notes: Path, data: Path) -> tuple[Search, float, int, Any]:
    from settings import Settings
    from workspace import open_workspace

    ws = open_workspace(Settings(notes_dir=notes, data_dir=data))
    ws.embedder.encode(["warm up"] * 8)
    start = time.perf_counter()
    sync_index(ws.index, ws.embedder)
    seconds = time.perf_counter() - start

    def search(item: dict) -> list[str]:
        return [h.chunk.text for h in ws.retriever.search(item["question"], K, item.get("history")).hits]

    return search, seconds, ws.index.catalog.count()[1], ws


def run_questions(search: Search, questions: list[dict], rounds: int) -> tuple[dict[str, list[str]], list[float]]:
    hits: dict[str, list[str]] = {}
    times: list[float] = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            hits[q["id"]] = search(q)
            times.append(time.perf_counter() - start)
    return hits, times


def official_score(questions_path: Path, hits: dict[str, list[str]], work: Path, name: str) -> str:
    """The eval set's own scorer on the same hits (its printout, kept as evidence)."""
    path = work / f"hits-{name}.jsonl"
    path.write_text("".join(json.dumps({"id": i, "hits": [{"text": t} for t in texts]}) + "\n"
                            for i, texts in hits.items()), encoding="utf-8")
    scorer = questions_path.parent / "score_hits.py"
    if not scorer.is_file():
        return "score_hits.py not found"
    done = subprocess.run([sys.executable, str(scorer), str(questions_path), str(path), "--k", str(K)],
                          capture_output=True, text=True)
    return (done.stdout or done.stderr).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, default=common.DEV_SET, help="Eval questions (JSONL).")
    parser.add_argument("--notes", type=Path, default=common.DEFAULT_NOTES, help="Notes folder (default: shipped).")
    parser.add_argument("--rounds", type=int, default=5, help="Passes over the questions for latency (default 5).")
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    args = parser.parse_args()
    from retrieval.evaluate import load_questions, score_hits

    questions = load_questions(args.questions)
    work = Path(tempfile.mkdtemp(prefix="notewise-quality-"))
    with common.stage("this project: index and questions"):
        ours, ours_build, ours_chunks, ws = project_pipeline(args.notes, work / "data")
        ours_hits, ours_times = run_questions(ours, questions, args.rounds)
    with common.stage("textbook LangChain pipeline: index and questions"):
        textbook, book_build, book_chunks = textbook_pipeline(args.notes, ws.embedder.model)
        book_hits, book_times = run_questions(textbook, questions, args.rounds)
    ours_scores = score_hits(questions, ours_hits, K)
    book_scores = score_hits(questions, book_hits, K)
    ws.close()
    ratios = {kind: {m: (ours_scores[kind][m] / book_scores[kind][m] if book_scores[kind][m] else None)
                     for m in ("hit@1", f"hit@{K}", "mrr")}
              for kind in book_scores if not kind.startswith("_")}
    data = {
        "machine": common.machine_facts(), "questions": str(args.questions), "k": K,
        "project": {"scores": ours_scores, "chunks": ours_chunks, "build_s": ours_build,
                    "query_s": common.summary(ours_times), "official": official_score(args.questions, ours_hits, work, "project")},
        "textbook": {"scores": book_scores, "chunks": book_chunks, "build_s": book_build,
                     "query_s": common.summary(book_times), "official": official_score(args.questions, book_hits, work, "textbook")},
        "ratios": ratios,
        "latency_ratio": statistics.median(ours_times) / statistics.median(book_times),
    }
    common.write_json(args.json, data)
    for name in ("project", "textbook"):
        s = data[name]["scores"]["all"]
        print(f"{name:9} hit@1 {s['hit@1']:.3f}  hit@{K} {s[f'hit@{K}']:.3f}  MRR {s['mrr']:.3f}  "
              f"build {data[name]['build_s']:.1f} s  query p50 {data[name]['query_s']['median'] * 1000:.1f} ms")
    print(f"ratio     hit@1 {ratios['all']['hit@1']:.2f}  hit@{K} {ratios['all'][f'hit@{K}']:.2f}  MRR "
          f"{ratios['all']['mrr']:.2f}  query latency {data['latency_ratio']:.2f}")


if __name__ == "__main__":
    main()
