"""CLI commands for keeping an index in step with its folder (``watch``) and showing cited lines (``show``)."""

from __future__ import annotations

import click

from cli_common import workspace_options
from store.index import IndexBusy, SyncReport
from store.notes_view import OutsideNotesError, read_lines
from workspace import Workspace


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
    from answer.prepare import prepare_answers
    from store.watch import NotesWatcher

    def on_report(report: SyncReport) -> None:
        _echo_report(report)
        if ws.settings.prepare_answers and not ws.index.is_empty():
            click.echo(prepare_answers(ws.index).summary())

    try:
        on_report(ws.index.sync())
    except IndexBusy as exc:
        raise click.ClickException(str(exc)) from exc
    watcher = NotesWatcher(ws.index, on_report, lambda message: click.echo(message, err=True),
                           debounce=debounce, poll=poll)
    watcher.start()
    click.echo(f"Watching {ws.settings.notes_dir} (Ctrl-C to stop)...", err=True)
    try:
        watcher.run()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()


@click.command()
@click.argument("source")
@click.argument("start", type=click.IntRange(1))
@click.argument("end", required=False, type=click.IntRange(1))
@click.option("--context", default=3, show_default=True, type=click.IntRange(0, 50), help="Lines shown around.")
@workspace_options
def show(ws: Workspace, source: str, start: int, end: int | None, context: int) -> None:
    """Show lines START..END of the note SOURCE (a path inside the notes folder), with context."""
    try:
        lines = read_lines(ws.settings.notes_dir, source, start, end or start, context, ws.index.limits)
    except (OutsideNotesError, FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    width = max(len(v.location) for v in lines)
    for view in lines:
        click.echo(f"{'>' if view.cited else ' '} {view.location:>{width}} | {view.text}")
