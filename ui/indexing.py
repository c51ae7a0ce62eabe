"""What the app says about the index: progress of a sync, its outcome, and the index's facts."""

from __future__ import annotations

from dataclasses import dataclass

from store import SyncReport
from workspace import Workspace

#: Share of the progress bar each sync stage fills (scanning is quick, embedding is the slow part).
_STAGES = {"scan": (0.0, 0.1), "embed": (0.1, 1.0)}


@dataclass(frozen=True)
class Outcome:
    level: str  # success | info | warning
    text: str


def progress_fraction(stage: str, done: int, total: int) -> tuple[float, str]:
    """Where the bar stands (0..1) and its label, for one progress callback of ``NoteIndex.sync``."""
    low, high = _STAGES.get(stage, (0.0, 1.0))
    share = done / total if total else 1.0
    if stage == "scan" and done >= total:  # the first batch of passages may take a while to report
        return high, f"Read {total} {'note' if total == 1 else 'notes'}; embedding what is new or changed…"
    verb = "Embedding passages" if stage == "embed" else "Reading notes"
    return min(1.0, low + (high - low) * share), f"{verb}: {done} of {total}"


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
