"""Where and how the embedding model runs on this machine: the device, CPU threads, bfloat16, freed memory.

Each helper imports torch only when it must: an app that encodes its questions with ONNX Runtime never
loads torch on the way to its first answer (see embed/embedder.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import importlib.metadata
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to do
        return None


def release_freed_memory() -> None:
    """Hand memory freed by the model back to the system (glibc keeps it otherwise).

    Batches of varying sequence lengths leave the heap fragmented: preparing answers for 1,100 chunks
    grew the process by 670 MB, 470 MB of it freed but kept. Trimming after each batch held the peak
    at 1.13 instead of 1.44 GB, at no measurable cost in time."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def cuda_possible() -> bool:
    """False where torch certainly finds no GPU (a CPU build of torch, no GPU device node), so that
    ``pick_device("auto")`` need not import torch there."""
    try:
        if importlib.metadata.version("torch").endswith("+cpu"):
            return False
    except importlib.metadata.PackageNotFoundError:
        return False
    if sys.platform == "darwin":
        return False
    if sys.platform.startswith("linux"):  # NVIDIA, AMD ROCm, WSL
        return any(Path(node).exists() for node in ("/dev/nvidiactl", "/dev/kfd", "/dev/dxg"))
    return True


def pick_device(requested: str = "auto") -> str:
    if requested != "auto":
        return requested
    if not cuda_possible():
        return "cpu"
    try:
        import torch

        if torch.cuda.is_available():
            return "cuda"
    except ImportError:  # pragma: no cover
        pass
    return "cpu"


def cpu_has_amx() -> bool:
    """Whether the CPU multiplies bfloat16 matrices in hardware (AMX); elsewhere bfloat16 is slower."""
    try:
        import torch

        return bool(torch.cpu._is_amx_tile_supported())
    except (ImportError, AttributeError, RuntimeError):
        return False


@contextlib.contextmanager
def cpu_threads(n: int) -> Iterator[None]:
    """Run the block with at most ``n`` intra-op threads in the calling thread (other threads keep theirs)."""
    import torch

    before = torch.get_num_threads()
    if before <= n:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's share), at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)
