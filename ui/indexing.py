"""What the app says about the index: progress of a sync, its outcome, and the index's facts."""

from __future__ import annotations

from dataclasses import dataclass

from indexing.report import SyncReport
from workspace import Workspace

#: Share of the progress bar each sync stage fills (scanning is quick, embedding is the slow part).
_STAGES = {"scan": (0.0, 0.1), "embed": (0.1, 1.0)}


@dataclass(frozen=True)
class Outcome:
    level: str  # success | info | warning
    text: str


def progress_fraction(stage: str, done: int, total: int) -> tuple[float, str]:
    """Where the bar stands (0..1) and its label, for one progress callback of ``indexing.sync_index``."""
    low, high = _STAGES.get(stage, (0.0, 1.0))
    share = done / total if total else 1.0
    if stage == "scan" and done >= total:  # the first batch of passages may take a while to report
        return high, f"Read {total} {'note' if total == 1 else 'notes'}; embedding what is new or changed…"
    verb = "Embedding passages" if stage == "embed" else "Reading notes"
    return min(1.0, low + (high - low) * share), f"{verb}: {done} of {total}"


@dataclass
class SyncProgress:
    """A running sync's counts, fed by its progress callback ``(stage, done, total)`` (``indexing.sync_index``), and
    what the page shows of them: files read and passages embedded out of their totals, and the time left
    (estimated from the embedding rate so far; unknown until the first batch is in). Times are
    ``time.monotonic()`` seconds, passed in so the arithmetic is testable."""

    started: float
    files_done: int = 0
    files_total: int = 0
    chunks_done: int = 0
    chunks_total: int = 0
    stage: str = "scan"
    scan_ended: float | None = None
    embed_started: float | None = None

    def update(self, stage: str, done: int, total: int, now: float) -> None:
        self.stage = stage
        if stage == "scan":
            self.files_done, self.files_total = done, total
        else:
            if self.embed_started is None:  # the first batch's report: embedding began when reading ended
                self.embed_started = self.scan_ended if self.scan_ended is not None else self.started
            self.chunks_done, self.chunks_total = done, total
        if stage == "scan" and done >= total:
            self.scan_ended = now

    def seconds_left(self, now: float) -> float | None:
        """Time left at the embedding rate so far; None before the first batch is in."""
        if self.embed_started is None or not self.chunks_done or now <= self.embed_started:
            return None
        rate = self.chunks_done / (now - self.embed_started)
        return max(0.0, (self.chunks_total - self.chunks_done) / rate)

    def fraction(self) -> float:
        if self.stage == "scan":
            return progress_fraction("scan", self.files_done, self.files_total)[0]
        return progress_fraction("embed", self.chunks_done, self.chunks_total)[0]

    def text(self, now: float) -> str:
        """E.g. "Files read: 7 of 7 · passages embedded: 256 of 480 · about 2 min left"."""
        parts = [f"Files read: {self.files_done} of {self.files_total}"]
        if self.stage == "embed":
            parts.append(f"passages embedded: {self.chunks_done} of {self.chunks_total}")
            left = self.seconds_left(now)
            parts.append(f"about {_duration(left)} left" if left is not None else "estimating the time left")
        elif self.files_total and self.files_done >= self.files_total:
            parts.append("embedding the new and changed passages (the time left shows after the first batch)")
        return " · ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


def sync_outcome(report: SyncReport, empty: bool, notes_dir: str) -> Outcome:
    """One line on what a sync did, or the guidance when there is nothing to answer from."""
    failed = report.failed
    problems = "; ".join(f"{f.source}: {f.message}" for f in failed[:3])
    if empty:
        why = f" ({problems})" if problems else ""
        return Outcome("warning", f"No notes to answer from in {notes_dir}{why}. Add .txt or .md files "
                       "to that folder, or upload notes in the sidebar, then press Re-index.")
    if failed:
        more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
        said = f"{problems}{more}"
        return Outcome("warning", f"Indexed, but some files were skipped: {said}"
                       + ("" if said.endswith((".", "?", "!", ")")) else "."))
    counts = {status: report.count(status) for status in ("new", "changed", "removed", "unchanged")}
    if counts["new"] or counts["changed"] or counts["removed"]:
        files = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        return Outcome("success", f"Index updated in {report.seconds:.1f} s: files {files}; "
                       f"{report.embedded} passages embedded.")
    return Outcome("info", f"Index up to date ({len(report.files)} files).")


def index_facts(ws: Workspace) -> dict[str, str]:
    """Files, passages and model of the open index, for the sidebar."""
    stats = ws.index.stats()
    return {"Files": str(stats["files"]), "Passages": str(stats["chunks"]), "Model": str(stats["model"])}
