"""What a sync did, file by file, and how a sync stops on request."""

from __future__ import annotations

from dataclasses import dataclass, field


class SyncCancelled(RuntimeError):
    """A sync stopped on request before its commit: the index reads as it did before the sync began (vectors
    embedded so far are kept for the next sync, and search ignores them until the catalog names them)."""


@dataclass(frozen=True)
class FileStatus:
    source: str
    status: str  # new | changed | unchanged | removed | failed | empty (a vault note with no text: skipped)
    chunks: int = 0
    message: str = ""


@dataclass
class SyncReport:
    files: list[FileStatus] = field(default_factory=list)
    chunks_added: int = 0
    chunks_unchanged: int = 0
    chunks_removed: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> list[FileStatus]:
        return [f for f in self.files if f.status == "failed"]

    def lines(self) -> list[str]:
        """One line per file that is not simply unchanged: what happened to it and why."""
        out = []
        for f in self.files:
            if f.status == "failed":
                out.append(f"  {f.status:9} {f.source}: {f.message}")
            elif f.status not in ("unchanged", "empty") or f.message:  # empty notes: counted, not listed
                out.append(f"  {f.status:9} {f.source} ({f.chunks} chunks)" + (f" [{f.message}]" if f.message else ""))
        return out

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("new", "changed", "unchanged", "removed", "failed", "empty")
                 if self.count(s)]
        return (f"{len(self.files)} files ({', '.join(parts) or 'none'}); chunks: {self.chunks_added} added, "
                f"{self.chunks_unchanged} unchanged, {self.chunks_removed} removed; {self.embedded} embedded; "
                f"{self.seconds:.2f} s")
