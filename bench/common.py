"""Helpers every benchmark shares: the machine's facts, robust statistics, timing and memory probes.

Benchmarks are plain scripts (``python bench/x.py --help``); :func:`setup_path` makes the project
importable when they are run that way.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_ROOT / "bench"
DEFAULT_NOTES = PROJECT_ROOT / "notes"
EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"
DEV_SET = EVAL_DIR / "dev.jsonl"
PACKAGES = ("torch", "sentence-transformers", "transformers", "tokenizers", "chromadb", "streamlit",
            "langchain-text-splitters", "playwright", "numpy")


def setup_path() -> None:
    """Make ``import settings`` etc. work for ``python bench/x.py`` and keep the tokenizer quiet."""
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def parse_scales(text: str) -> list[int]:
    """``"1,10,100"`` -> ``[1, 10, 100]`` with a one-line error for anything else."""
    try:
        scales = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise SystemExit(f"--scales takes comma-separated whole numbers like 1,10,100, not '{text}'") from exc
    if not scales or any(s < 1 for s in scales):
        raise SystemExit(f"--scales takes positive whole numbers like 1,10,100, not '{text}'")
    return scales


# ---- statistics ------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "median": statistics.median(values), "p95": percentile(values, 95),
            "min": min(values), "max": max(values)}


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


# ---- machine -----------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 ** 2, 1)
    except OSError:
        pass
    return float("nan")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def gpu_name() -> str | None:
    try:
        import torch

        return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except ImportError:
        return None


def machine_facts() -> dict[str, Any]:
    from embed.devices import usable_cores  # the project is importable once setup_path has run

    return {"cpu": cpu_model(), "cores": os.cpu_count(), "usable_cores": usable_cores(), "ram_gib": ram_gib(),
            "os": f"{platform.system()} {platform.release()}", "gpu": gpu_name(), "versions": versions(),
            "loadavg": load()}


def load() -> list[float]:
    """1, 5 and 15 minute load averages: other work on the machine inflates every timing."""
    return [round(x, 2) for x in os.getloadavg()]


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ---- output ------------------------------------------------------------------------------
def write_json(path: Path | None, data: dict[str, Any]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Print a progress line with the time a stage took (benchmarks run for minutes)."""
    start = time.perf_counter()
    print(f"[{time.strftime('%H:%M:%S')}] {name} ...", file=sys.stderr, flush=True)
    yield
    print(f"[{time.strftime('%H:%M:%S')}] {name}: {time.perf_counter() - start:.1f} s (load {load()[0]})",
          file=sys.stderr, flush=True)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
