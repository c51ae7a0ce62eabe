"""Questions through ONNX Runtime against torch: how closely they agree and how long one takes, warm.

Every question and history turn of the evaluation suite (../shared/eval/suite.json and dev.jsonl, as
tests/test_onnx_query.py reads them) is encoded by both encoders of the same packaged MiniLM weights: the
lowest cosine between the two, and the median (p95) time of one question on each, both warm (one pass
first), each question timed ``--rounds`` times with the embedder's memo emptied. Both run on one thread,
as the embedder runs a question. The ONNX file is the one ``make install`` writes (exported into a temp
folder first if there is none).

    python bench/query_encoder_bench.py --rounds 3 --results bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.setup_path()
MODEL = "all-MiniLM-L6-v2"


def suite_texts() -> list[str]:
    """Every question and history turn of the suite, deduplicated (as tests/test_onnx_query.py reads them)."""
    from retrieval.evaluate import load_questions

    suite = json.loads((common.EVAL_DIR / "suite.json").read_text(encoding="utf-8"))
    files = {(common.EVAL_DIR / c["questions"]).resolve() for c in suite["corpora"].values()} | {common.DEV_SET.resolve()}
    texts: dict[str, None] = {}
    for path in sorted(files):
        for item in load_questions(path):
            texts[item["question"]] = None
            texts.update(dict.fromkeys(t if isinstance(t, str) else t["content"] for t in item.get("history") or []))
    return list(texts)


def encoders(scratch: Path) -> tuple[Any, Any]:
    """(ONNX, torch) embedders of the packaged model; the torch one has no ONNX file to find."""
    from embed.embedder import Embedder
    from embed.onnx_export import export_for

    onnx = Embedder(MODEL, "cpu")
    if onnx.query_encoder() is None:
        onnx = Embedder(MODEL, "cpu", query_encoder_dir=scratch / "onnx")
        export_for(onnx)
    torch = Embedder(MODEL, "cpu", query_encoder_dir=scratch / "none")
    assert onnx.query_encoder() is not None and torch.query_encoder() is None
    return onnx, torch


def time_questions(embedder: Any, texts: list[str], rounds: int) -> list[float]:
    for text in texts:  # warm: the first calls allocate
        embedder.encode_query(text)
    times = []
    for _ in range(rounds):
        for text in texts:
            embedder.forget_queries()
            start = time.perf_counter()
            embedder.encode_query(text)
            times.append(time.perf_counter() - start)
    return times


def measure(rounds: int) -> dict[str, Any]:
    import numpy as np

    texts = suite_texts()
    with tempfile.TemporaryDirectory(prefix="notewise-qenc-") as scratch:
        onnx, torch = encoders(Path(scratch))
        cosines = [float(np.dot(onnx.encode_query(t), torch.encode_query(t))) for t in texts]
        return {"texts": len(texts), "cosine_min": min(cosines), "cosine_median": float(np.median(cosines)),
                "onnx_ms": common.summary([t * 1000 for t in time_questions(onnx, texts, rounds)]),
                "torch_ms": common.summary([t * 1000 for t in time_questions(torch, texts, rounds)]),
                "machine": common.machine_facts()}


def section(data: dict[str, Any]) -> str:
    onnx, torch = data["onnx_ms"], data["torch_ms"]
    load = data["machine"]["loadavg"]
    return (f"## Query encoder (ONNX Runtime vs torch)\n\n`python bench/query_encoder_bench.py {' '.join(sys.argv[1:])}` "
            f"on {time.strftime('%Y-%m-%d %H:%M %Z')} (load average {load[0]} / {load[1]} / {load[2]}): the "
            f"{data['texts']} questions and history turns of the evaluation suite, each encoded on one thread by "
            "both encoders of the packaged MiniLM weights, warm.\n\n"
            "| Encoder | One question, median | p95 | Lowest cosine to torch |\n|---|---|---|---|\n"
            f"| ONNX Runtime + tokenizers (`embed/onnx_query.py`) | {onnx['median']:.1f} ms | {onnx['p95']:.1f} ms "
            f"| {data['cosine_min']:.8f} |\n"
            f"| torch + sentence-transformers (direct forward pass) | {torch['median']:.1f} ms | "
            f"{torch['p95']:.1f} ms | 1 |\n\n")


def splice(results: Path, text: str) -> None:
    """Replace the report's Query encoder section, or put it before the local backend's."""
    report = results.read_text(encoding="utf-8")
    pattern = re.compile(r"^## Query encoder .*?(?=^## )", re.S | re.M)
    if pattern.search(report):
        report = pattern.sub(lambda _: text, report, count=1)
    else:
        report = report.replace("## The local backend", text + "## The local backend", 1)
    results.write_text(report, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="Timed passes over the questions (default 3).")
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    parser.add_argument("--results", type=Path, metavar="RESULTS_MD", help="Write the section into this report.")
    args = parser.parse_args()
    data = measure(args.rounds)
    common.write_json(args.json, data)
    print(section(data))
    if args.results:
        splice(args.results, section(data))


if __name__ == "__main__":
    main()
