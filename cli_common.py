"""Pieces every CLI command shares: the --notes/--data-dir options and first-use indexing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from settings import load_settings
from workspace import Workspace, open_workspace


def workspace_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --notes/--data-dir and hand the command an opened :class:`Workspace` as ``ws``."""

    @click.option("--notes", "notes", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Notes folder (default: NOTEWISE_NOTES_DIR, config file, or the shipped notes).")
    @click.option("--data-dir", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Where the index lives (default: NOTEWISE_DATA_DIR or ~/.local/share/notewise).")
    @functools.wraps(func)
    def wrapper(notes: Path | None, data_dir: Path | None, **kwargs: Any) -> Any:
        try:
            ws = open_workspace(load_settings(notes_dir=notes, data_dir=data_dir))
        except (FileNotFoundError, ValueError, RuntimeError) as exc:
            raise click.ClickException(str(exc)) from exc
        try:
            return func(ws=ws, **kwargs)
        finally:
            ws.close()

    return wrapper


def ensure_index(ws: Workspace, quiet: bool = False, prepare_answers: bool = False) -> None:
    """Build the index on first use so search/ask work straight away (and, for ask, prepare answers)."""
    if ws.index.is_empty() or ws.index.vectors_missing():
        if not quiet:
            click.echo("Building the index of your notes...", err=True)
        report = ws.index.sync()
        if ws.index.is_empty():
            raise click.ClickException(f"No notes could be indexed in {ws.settings.notes_dir}: "
                                       + (report.failed[0].message if report.failed else "the folder has no "
                                          ".txt/.md files. Add some notes and run `python cli.py ingest`."))
        if prepare_answers and ws.settings.prepare_answers:
            from answer.prepare import prepare_answers as prepare

            prepare(ws.index)
