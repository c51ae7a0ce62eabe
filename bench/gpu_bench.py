"""The GPU path: chunks per second for the 100x corpus through the real ingest on CUDA against the CPU,
with plain ``SentenceTransformer.encode`` (half precision) beside it. Needs a CUDA machine; elsewhere it
exits with status 2 and says so.

Measured, in order: plain fp16 ``model.encode`` and ``Embedder.encode`` (the pipelined GPU feeder) on the
100x corpus's chunk texts and on 300-character texts (the issue's reference point); the real ingest
(``indexing.sync_index``) of the 100x corpus on CUDA, split into time inside the embedder and the rest
(scan, chunking, catalog, Chroma writes); and the same ingest on the CPU at ``--cpu-scale`` (default 10x,
so the run fits a 10-minute slot; chunks per second are comparable across scales).

    python bench/gpu_bench.py --json gpu.json        # on the GPU machine, from the repository root
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from bench.corpus import build_corpus  # noqa: E402
from bench.ingest_bench import EncodeClock  # noqa: E402
from indexing import sync_index

common.setup_path()


def cuda_or_exit(dry_run: bool) -> Any:
    try:
        import torch
    except ImportError:
        sys.exit("gpu_bench: torch is not installed.")
    if not torch.cuda.is_available() and not dry_run:
        print("gpu_bench: no CUDA device here (torch.cuda.is_available() is False); run it on a CUDA machine. "
              "Nothing was measured.", file=sys.stderr)
        sys.exit(2)
    return torch


def chunk_texts(notes: Path) -> list[str]:
    from ingest import chunk_document, load_document, scan_folder

    files, _ = scan_folder(notes)
    return [c.embed_text for f in files for c in chunk_document(load_document(f.path, f.source))]


def rate(torch: Any, func: Any, n: int, repeats: int) -> dict[str, float]:
    """Texts per second of ``func()`` over ``n`` texts: median of ``repeats`` synchronised runs."""
    sync = torch.cuda.synchronize if torch.cuda.is_available() else (lambda: None)
    times = []
    for _ in range(repeats):
        sync()
        start = time.perf_counter()
        func()
        sync()
        times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "per_s": n / statistics.median(times)}


def encode_rates(torch: Any, embedder: Any, texts: list[str], repeats: int) -> dict[str, Any]:
    model = embedder.model
    out: dict[str, Any] = {"texts": len(texts), "mean_chars": sum(map(len, texts)) / len(texts)}
    for batch in (128, 512):
        out[f"plain_fp16_b{batch}"] = rate(torch, lambda b=batch: model.encode(
            texts, batch_size=b, normalize_embeddings=True, show_progress_bar=False), len(texts), repeats)
    out["pipelined"] = rate(torch, lambda: embedder.encode(texts), len(texts), repeats)
    out["pipelined_over_plain_b512"] = out["pipelined"]["per_s"] / out["plain_fp16_b512"]["per_s"]
    return out


def ingest_rate(notes: Path, data: Path, device: str) -> dict[str, Any]:
    from settings import Settings
    from workspace import open_workspace

    if data.exists():
        shutil.rmtree(data)
    ws = open_workspace(Settings(notes_dir=notes, data_dir=data, embed_device=device))
    ws.embedder.encode(["warm up"] * 200)
    with EncodeClock(ws.embedder) as clock:
        start = time.perf_counter()
        report = sync_index(ws.index, ws.embedder)
        seconds = time.perf_counter() - start
    ws.close()
    return {"device": device, "chunks": report.chunks_added, "texts_encoded": len(clock.texts), "seconds": seconds,
            "chunks_per_s": report.chunks_added / seconds, "encode_s": clock.seconds,
            "rest_s": seconds - clock.seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100, help="Corpus size for the GPU ingest (default 100).")
    parser.add_argument("--cpu-scale", type=int, default=10, help="Corpus size for the CPU ingest (0 skips it).")
    parser.add_argument("--repeats", type=int, default=5, help="Repeats of each encode timing (default 5).")
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    parser.add_argument("--dry-run-on-cpu", action="store_true",
                        help="Run every step on the CPU (to check the script itself; the figures mean nothing).")
    parser.add_argument("--short-texts", type=int, default=20_000, help="300-character texts to encode (default 20000).")
    args = parser.parse_args()
    torch = cuda_or_exit(args.dry_run_on_cpu)
    device = "cpu" if args.dry_run_on_cpu else "cuda"
    from embed.embedder import Embedder

    work = Path(tempfile.mkdtemp(prefix="notewise-gpu-"))
    started = time.perf_counter()
    notes = work / f"corpus-{args.scale}x"
    build_corpus(args.scale, notes)
    texts = chunk_texts(notes)
    notes_text = (common.DEFAULT_NOTES / "aws-study-notes.txt").read_text(encoding="utf-8")
    short = [notes_text[i:i + 300] for i in range(0, len(notes_text) - 300, 7)][:args.short_texts]
    embedder = Embedder("all-MiniLM-L6-v2", device)
    embedder.encode(short[:200])  # CUDA context, kernels, the feeder's threads
    data: dict[str, Any] = {"machine": common.machine_facts(), "scale": args.scale}
    with common.stage("encode rates, 300-character texts"):
        data["encode_300_chars"] = encode_rates(torch, embedder, short, args.repeats)
    with common.stage(f"encode rates, {args.scale}x chunk texts"):
        data["encode_chunks"] = encode_rates(torch, embedder, texts, args.repeats)
    with common.stage(f"real ingest on {device}, {args.scale}x"):
        data["ingest_cuda"] = ingest_rate(notes, work / "data-cuda", device)
    data["ingest_cuda"]["over_plain_encode"] = (data["ingest_cuda"]["chunks_per_s"]
                                                / data["encode_chunks"]["plain_fp16_b512"]["per_s"])
    if args.cpu_scale:
        cpu_notes = work / f"corpus-{args.cpu_scale}x"
        build_corpus(args.cpu_scale, cpu_notes)
        with common.stage(f"real ingest on CPU, {args.cpu_scale}x"):
            data["ingest_cpu"] = ingest_rate(cpu_notes, work / "data-cpu", "cpu")
        data["gpu_over_cpu"] = data["ingest_cuda"]["chunks_per_s"] / data["ingest_cpu"]["chunks_per_s"]
    data["seconds"] = time.perf_counter() - started
    common.write_json(args.json, data)
    shutil.rmtree(work, ignore_errors=True)
    for name in ("encode_300_chars", "encode_chunks"):
        e = data[name]
        print(f"{name:17} plain fp16 b512 {e['plain_fp16_b512']['per_s']:,.0f}/s  pipelined {e['pipelined']['per_s']:,.0f}/s "
              f"({e['pipelined_over_plain_b512']:.2f}x)")
    for name in ("ingest_cuda", "ingest_cpu"):
        if name in data:
            r = data[name]
            print(f"{name:17} {r['chunks']} chunks in {r['seconds']:.2f} s = {r['chunks_per_s']:,.0f} chunks/s "
                  f"(embedder {r['encode_s']:.2f} s, rest {r['rest_s']:.2f} s)")


if __name__ == "__main__":
    main()
