"""Run every benchmark and write bench/RESULTS.md (the machine's facts, the load it ran under, the figures).

Each benchmark runs as its own process and leaves JSON in WORK; bench/report.py turns them into Markdown,
with bench/FINDINGS.md (hand-written: why a figure misses and what would close it) appended.

    python bench/run_all.py                      # full: 1x, 10x, 100x (about an hour on 2 busy cores)
    python bench/run_all.py --scales 1,10        # quicker
    python bench/run_all.py --gpu-json gpu.json  # include figures gpu_bench.py wrote on a CUDA machine
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from bench.report import render  # noqa: E402

HERE = Path(__file__).resolve().parent


class LoadSampler(threading.Thread):
    """Samples the 1-minute load average every few seconds: the other work the timings shared the CPU with."""

    def __init__(self, every: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self.stop.wait(self.every)

    def summary(self) -> dict[str, float]:
        values = self.samples or [os.getloadavg()[0]]
        return {"min": min(values), "median": statistics.median(values), "max": max(values), "n": len(values)}


def run_step(name: str, script: str, args: list[str], work: Path) -> dict[str, Any]:
    out = work / f"{name}.json"
    sampler = LoadSampler()
    sampler.start()
    start = time.perf_counter()
    with common.stage(f"run_all: {name}"):
        done = subprocess.run([sys.executable, str(HERE / script), *args, "--json", str(out)], cwd=common.PROJECT_ROOT)
    sampler.stop.set()
    result: dict[str, Any] = {"returncode": done.returncode, "seconds": time.perf_counter() - start,
                              "load": sampler.summary()}
    if done.returncode == 0 and out.is_file():
        result["data"] = json.loads(out.read_text(encoding="utf-8"))
    return result


def code_version() -> str:
    """The commit the figures belong to, and whether the working tree had uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=common.PROJECT_ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=common.PROJECT_ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100", help="Corpus sizes for ingest and query (default 1,10,100).")
    parser.add_argument("--runs", type=int, default=5, help="Runs/rounds per figure (default 5).")
    parser.add_argument("--runs-large", type=int, default=1, help="Ingest runs at 100x (default 1).")
    parser.add_argument("--fresh-runs", type=int, default=5, help="App first starts on an empty data folder.")
    parser.add_argument("--skip", default="", help="Comma-separated steps to skip: ingest,query,quality,coldstart,local,gpu.")
    parser.add_argument("--gpu-json", type=Path, help="JSON written by gpu_bench.py on a CUDA machine, to include.")
    parser.add_argument("--work", type=Path, help="Folder for corpora, indexes and JSON (default: a temp folder).")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="Markdown to write (default bench/RESULTS.md).")
    parser.add_argument("--merge-into", type=Path, metavar="RUN_ALL_JSON",
                        help="Run the steps not skipped and put them into an earlier run's run_all.json (the "
                        "report then names the re-run steps), instead of starting a new record.")
    parser.add_argument("--render-only", type=Path, metavar="RUN_ALL_JSON",
                        help="Only rewrite the Markdown from a run_all.json an earlier run left in its WORK folder.")
    args = parser.parse_args()
    if args.render_only:
        saved = json.loads(args.render_only.read_text(encoding="utf-8"))
        write_markdown(saved["meta"], saved["steps"], args.out)
        return
    common.parse_scales(args.scales)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    work = args.work or Path(tempfile.mkdtemp(prefix="notewise-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sampler = LoadSampler(every=10)
    sampler.start()
    steps: dict[str, Any] = {}
    plan = {
        "ingest": ("ingest_bench.py", ["--scales", args.scales, "--runs", str(args.runs), "--runs-large",
                                       str(args.runs_large), "--work", str(work)]),
        "query": ("query_bench.py", ["--scales", args.scales, "--rounds", str(args.runs), "--work", str(work)]),
        "quality": ("quality_bench.py", ["--rounds", str(args.runs)]),
        "coldstart": ("coldstart_bench.py", ["--runs", str(args.runs), "--fresh-runs", str(args.fresh_runs)]),
        "local": ("local_bench.py", ["--n", "10"]),
        "gpu": ("gpu_bench.py", []),
    }
    for name, (script, step_args) in plan.items():
        if name not in skip:
            steps[name] = run_step(name, script, step_args, work)
    if args.gpu_json:
        steps["gpu"] = {"returncode": 0, "data": json.loads(args.gpu_json.read_text(encoding="utf-8")),
                        "from_file": str(args.gpu_json)}
    sampler.stop.set()
    command = "python bench/run_all.py " + " ".join(sys.argv[1:])
    meta = {"command": command.strip(), "code": code_version(), "seconds": time.perf_counter() - started, "load": sampler.summary(),
            "machine": common.machine_facts(), "finished": time.strftime("%Y-%m-%d %H:%M %Z"),
            "scales": common.parse_scales(args.scales), "runs": args.runs, "runs_large": args.runs_large}
    if args.merge_into:
        saved = json.loads(args.merge_into.read_text(encoding="utf-8"))
        for step in steps.values():
            step["rerun"] = f"{meta['finished']} at commit {meta['code']}: {meta['command']}"
        saved["steps"].update(steps)
        meta = saved["meta"]
        steps = saved["steps"]
        args.merge_into.write_text(json.dumps(saved, indent=2, default=str))
    else:
        (work / "run_all.json").write_text(json.dumps({"meta": meta, "steps": steps}, indent=2, default=str))
    write_markdown(meta, steps, args.out)
    print(f"raw JSON in {work}")


def write_markdown(meta: dict[str, Any], steps: dict[str, Any], out: Path) -> None:
    findings = HERE / "FINDINGS.md"
    out.write_text(render(meta, steps, findings.read_text(encoding="utf-8") if findings.is_file() else ""),
                   encoding="utf-8")
    print(f"wrote {out} (run took {meta['seconds'] / 60:.1f} min)")


if __name__ == "__main__":
    main()
