"""First ingest of every notes folder of the evaluation suite, beside the textbook pipeline's index build.

    python bench/suite_ingest.py [--json OUT.json] [--only NAME ...]

For each corpus of ../shared/eval/suite.json, in one process with one loaded model: the textbook index
(RecursiveCharacterTextSplitter 1000/200, MiniLM, a Chroma collection; ``quality_bench.textbook_pipeline``)
and this project's first ingest into an empty data folder, answer preparation included (what
``cli.py ingest`` does). Printed as seconds and as the ratio ours / textbook, which holds on a busy machine
better than either figure (issue 11 asks for a ratio of at most 3).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from bench.quality_bench import textbook_pipeline  # noqa: E402
from indexing import sync_index

common.setup_path()
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def ours(notes: Path, data: Path, embedder) -> tuple[float, int]:
    from lines.prepare import prepare_answers
    from settings import Settings
    from store.index import NoteIndex

    start = time.perf_counter()
    index = NoteIndex(Settings(notes_dir=notes, data_dir=data))
    try:
        sync_index(index, embedder)
        prepare_answers(index, embedder)
        return time.perf_counter() - start, index.catalog.count()[1]
    finally:
        index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    from embed.embedder import Embedder
    from settings import DEFAULT_EMBED_MODEL

    embedder = Embedder(DEFAULT_EMBED_MODEL, "cpu")
    embedder.encode(["warm up"])
    suite = json.loads((EVAL / "suite.json").read_text())
    rows = {}
    print(f"{'corpus':<24}{'textbook s':>12}{'chunks':>8}{'ours s':>10}{'chunks':>8}{'ratio':>8}  load")
    for name, corpus in suite["corpora"].items():
        if args.only and name not in args.only:
            continue
        notes = (EVAL / corpus["notes"]).resolve()
        _, textbook_s, textbook_chunks = textbook_pipeline(notes, embedder.model)
        with tempfile.TemporaryDirectory(prefix="notewise-ingest-") as data:
            ours_s, our_chunks = ours(notes, Path(data), embedder)
        rows[name] = {"textbook_s": round(textbook_s, 1), "textbook_chunks": textbook_chunks,
                      "ours_s": round(ours_s, 1), "chunks": our_chunks, "ratio": round(ours_s / textbook_s, 2),
                      "load": common.load()}
        r = rows[name]
        print(f"{name:<24}{r['textbook_s']:>12}{textbook_chunks:>8}{r['ours_s']:>10}{our_chunks:>8}{r['ratio']:>8}"
              f"  {r['load'][0]:.1f}", flush=True)
    common.write_json(args.json, {"machine": common.machine_facts(), "rows": rows})


if __name__ == "__main__":
    main()
