"""``ingest`` (index the notes folder once) and ``watch`` (keep the index in step with it)."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

import service
from commands.common import workspace_options
from indexing.report import SyncReport
from settings import load_settings
from store import IndexBusy
from workspace import Workspace, open_workspace


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--notes", "notes", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Notes folder (same as PATH).")
@click.option("--data-dir", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the index lives.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--prepare/--no-prepare", "prepare", default=None,
              help="Also embed the quotable lines indexing did not (the shortest ones), so that no answer has "
              "to (default: NOTEWISE_PREPARE_ANSWERS, on); Ctrl-C skips it and keeps the index.")
def ingest(path: Path | None, notes: Path | None, data_dir: Path | None, as_json: bool,
           prepare: bool | None) -> None:
    """Index the notes folder PATH incrementally: only new and changed files are read and embedded."""
    from tqdm import tqdm

    try:
        ws = open_workspace(load_settings(notes_dir=path or notes, data_dir=data_dir))
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if as_json:
            return
        bar = bars.get(stage)
        if bar is None:
            unit = {"scan": "file", "answers": "line"}.get(stage, "chunk")
            bar = bars[stage] = tqdm(total=total, desc=stage, unit=unit, file=sys.stderr, leave=False,
                                     disable=None)  # a bar on a terminal only: no stray "scan: 0%" in a log
        bar.update(done - bar.n)

    try:
        synced = service.sync(ws, progress, prepare=prepare, interruptible=True)
    except IndexBusy as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        for bar in bars.values():
            bar.close()
        ws.close()
    if as_json:
        click.echo(json.dumps(_report_json(synced)))
        return
    _echo_report(synced.report)
    if synced.prepared is not None:
        click.echo(synced.prepared.summary())
    if synced.stopped:
        click.echo("Answer preparation stopped: the index is complete, and answers embed the lines they need as "
                   "they go (run `ingest` again to finish preparing).")


def _report_json(synced: service.Synced) -> dict:
    """``ingest --json``: the index's report, and the prepared answers' (null when none were prepared)."""
    report, prepared = synced.report, synced.prepared
    return {"files": [f.__dict__ for f in report.files], "chunks_added": report.chunks_added,
            "chunks_unchanged": report.chunks_unchanged, "chunks_removed": report.chunks_removed,
            "embedded": report.embedded, "seconds": round(report.seconds, 3),
            "answer_vectors": prepared and {"texts": prepared.texts, "embedded": prepared.embedded,
                                            "dropped": prepared.dropped, "seconds": round(prepared.seconds, 3)}}


def _echo_report(report: SyncReport) -> None:
    for line in report.lines():
        click.echo(line)
    click.echo(report.summary())


@click.command()
@click.option("--debounce", default=1.0, show_default=True, type=click.FloatRange(0.1, 60),
              help="Seconds the folder must be quiet before a re-sync.")
@click.option("--poll", is_flag=True, help="Poll for changes (network drives, where file events do not arrive).")
@workspace_options
def watch(ws: Workspace, debounce: float, poll: bool) -> None:
    """Sync the index now, then again whenever notes are added, changed or removed (Ctrl-C stops)."""
    from indexing.watch import NotesWatcher

    def on_synced(synced: service.Synced) -> None:
        _echo_report(synced.report)
        if synced.prepared is not None:
            click.echo(synced.prepared.summary())

    try:
        on_synced(service.sync(ws))
    except IndexBusy as exc:
        raise click.ClickException(str(exc)) from exc
    watcher = NotesWatcher(ws.index, functools.partial(service.sync, ws), on_synced,
                           lambda message: click.echo(message, err=True), debounce=debounce, poll=poll)
    watcher.start()
    click.echo(f"Watching {ws.settings.notes_dir} (Ctrl-C to stop)...", err=True)
    try:
        watcher.run()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
