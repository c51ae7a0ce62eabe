"""Ingest speed at 1x, 10x and 100x the default notes, side by side with encoding alone.

Per scale and run: a full ingest into a fresh index (``indexing.sync_index``); then, over exactly the texts
that ingest encoded (chunks, and lines where the index embeds lines too), ``Embedder.encode`` alone (the
encode the ingest uses) and plain ``SentenceTransformer.encode`` (float32, batch 64: what a textbook
pipeline calls), in alternating order; then a re-ingest of the unchanged folder, and one after 1% of the
files were edited (one line each). Ratios are taken per run, then the median over runs. The last run's
index is kept in WORK/data-<scale>x for query_bench.py.

    python bench/ingest_bench.py --scales 1,10 --runs 5 --json /tmp/ingest.json
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import load, machine_facts, parse_scales, setup_path, stage, summary, timed, write_json  # noqa: E402
from bench.corpus import build_corpus, change_files  # noqa: E402
from indexing import sync_index

setup_path()


class EncodeClock:
    """Counts the seconds an ingest spends inside the embedder and keeps the texts it encoded.

    The rest of the ingest is scanning, chunking, the catalog and the vector store."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self.inner = embedder.encode
        self.seconds = 0.0
        self.texts: list[str] = []

    def __enter__(self) -> EncodeClock:
        def counted(texts: list[str], show_progress: bool = False) -> Any:
            self.texts.extend(texts)
            start = time.perf_counter()
            try:
                return self.inner(texts, show_progress)
            finally:
                self.seconds += time.perf_counter() - start

        self.embedder.encode = counted
        return self

    def __exit__(self, *exc: object) -> None:
        del self.embedder.encode  # back to the class's method


def open_index(notes: Path, data: Path) -> Any:
    from settings import Settings
    from workspace import open_workspace

    return open_workspace(Settings(notes_dir=notes, data_dir=data))


def one_run(notes: Path, data: Path, run: int, plain_encode: bool) -> dict[str, Any]:
    """Full ingest, then encode alone over exactly the texts it encoded, then the two re-ingests."""
    if data.exists():
        shutil.rmtree(data)
    ws = open_index(notes, data)
    embedder = ws.embedder
    result: dict[str, Any] = {"run": run, "load_before": load()[0]}
    with EncodeClock(embedder) as clock:
        start = time.perf_counter()
        report = sync_index(ws.index, ws.embedder)
        result["ingest_s"] = time.perf_counter() - start
    texts = clock.texts
    result.update(chunks=report.chunks_added, files=len(report.files), encode_inside_s=clock.seconds,
                  texts_encoded=len(texts))

    def ours() -> None:
        result["encode_s"] = timed(lambda: embedder.encode(texts))[0]

    def plain() -> None:
        result["plain_encode_s"] = timed(lambda: embedder.model.encode(
            texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False))[0]

    steps = [ours, plain] if run % 2 == 0 else [plain, ours]
    for step in steps if plain_encode else [ours]:
        step()
    result["unchanged_s"] = timed(functools.partial(sync_index, ws.index, ws.embedder))[0]
    changed = change_files(notes, 0.01, seed=100 + run)
    seconds, report = timed(functools.partial(sync_index, ws.index, ws.embedder))
    result.update(incremental_s=seconds, changed_files=len(changed), incremental_embedded=report.embedded,
                  load_after=load()[0])
    ws.close()
    return result


def warm_up(notes: Path, work: Path) -> None:
    """Load the model and run it once, so no timed step pays for either."""
    ws = open_index(notes, work / "warm-up")
    ws.embedder.encode(["warm up the model", "and its kernels for a second batch shape"] * 40)
    ws.embedder.encode_query("warm up")
    ws.close()


def bench_scale(scale: int, runs: int, work: Path, plain_encode: bool) -> dict[str, Any]:
    notes = work / f"corpus-{scale}x"
    info = build_corpus(scale, notes)
    warm_up(notes, work)
    rows = []
    for run in range(runs):
        with stage(f"{scale}x ingest run {run + 1}/{runs}"):
            rows.append(one_run(notes, work / f"data-{scale}x-run", run, plain_encode))
    keep = work / f"data-{scale}x"
    if keep.exists():
        shutil.rmtree(keep)
    (work / f"data-{scale}x-run").rename(keep)
    return {"scale": scale, "files": info.files, "bytes": info.bytes, "runs": rows, **aggregate(rows)}


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def med(key: str) -> float | None:
        values = [r[key] for r in rows if key in r]
        return statistics.median(values) if values else None

    ratio = lambda a, b: [r[a] / r[b] for r in rows if a in r and b in r and r[b] > 0]  # noqa: E731
    out: dict[str, Any] = {
        "chunks": rows[0]["chunks"], "texts_encoded": rows[0]["texts_encoded"],
        "ingest_s": summary([r["ingest_s"] for r in rows]),
        "chunks_per_s": statistics.median(r["chunks"] / r["ingest_s"] for r in rows),
        "encode_s": med("encode_s"), "plain_encode_s": med("plain_encode_s"),
        "encode_share_of_ingest": statistics.median(r["encode_inside_s"] / r["ingest_s"] for r in rows),
        "ingest_over_encode": statistics.median(ratio("ingest_s", "encode_s")),
        "unchanged_s": summary([r["unchanged_s"] for r in rows]),
        "incremental_s": summary([r["incremental_s"] for r in rows]),
        "incremental_over_full": statistics.median(ratio("incremental_s", "ingest_s")),
        "changed_files": rows[0]["changed_files"],
        "incremental_embedded": med("incremental_embedded"),
        "load": [min(r["load_before"] for r in rows), max(r["load_after"] for r in rows)],
    }
    plain = ratio("ingest_s", "plain_encode_s")
    out["ingest_over_plain_encode"] = statistics.median(plain) if plain else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100", help="Corpus sizes in copies of the notes (default 1,10,100).")
    parser.add_argument("--runs", type=int, default=5, help="Runs per scale below 100x (default 5).")
    parser.add_argument("--runs-large", type=int, default=1,
                        help="Runs at 100x and above (default 1: one run takes ~30 min on 2 busy cores).")
    parser.add_argument("--plain-max-scale", type=int, default=1,
                        help="Largest scale that also times plain float32 SentenceTransformer.encode (default 1; "
                        "0 skips it; it is the slowest step).")
    parser.add_argument("--work", type=Path, help="Folder for corpora and indexes (default: a new temp folder).")
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    args = parser.parse_args()
    scales = parse_scales(args.scales)
    work = args.work or Path(tempfile.mkdtemp(prefix="notewise-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = [bench_scale(s, args.runs_large if s >= 100 else args.runs, work, s <= args.plain_max_scale)
               for s in scales]
    data = {"machine": machine_facts(), "scales": results, "seconds": time.perf_counter() - started,
            "work": str(work)}
    write_json(args.json, data)
    for r in results:
        plain = r["ingest_over_plain_encode"]
        print(f"{r['scale']:>4}x {r['chunks']:>6} chunks  ingest {r['ingest_s']['median']:.2f} s "
              f"({r['chunks_per_s']:.1f} chunks/s)  ingest/encode {r['ingest_over_encode']:.2f}"
              + (f"  ingest/plain-encode {plain:.2f}" if plain else "")
              + f"  unchanged {r['unchanged_s']['median']:.3f} s  1% changed {r['incremental_s']['median']:.2f} s "
              f"({r['incremental_over_full']:.1%} of full)")


if __name__ == "__main__":
    main()
