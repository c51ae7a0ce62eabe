"""Pieces every command shares: the --notes/--data-dir options, first-use indexing, batch output."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import click

import service
from settings import load_settings
from store import CatalogError, SearchUnavailable, StoreError
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
        except (SearchUnavailable, StoreError, CatalogError) as exc:  # one line, exit 1: never an empty answer
            raise click.ClickException(str(exc)) from exc
        finally:
            ws.close()

    return wrapper


@contextlib.contextmanager
def batch_output(output: Path | None) -> Iterator[IO[str]]:
    """Where a batch command writes its lines: stdout, or ``output`` written whole or not at all (the lines
    go to a ``.part`` file that takes the name only once every question is answered). A question that
    cannot be answered (the index cannot be read, the store is unreachable) stops the batch with one line
    naming it and a non-zero exit: a half-written or empty file never passes for the answer."""
    if output is None:
        yield sys.stdout
        return
    part = output.with_name(output.name + ".part")
    try:
        with part.open("w", encoding="utf-8") as out:
            yield out
        os.replace(part, output)
    finally:
        part.unlink(missing_ok=True)


def batch_failure(question_id: str, exc: Exception) -> click.ClickException:
    return click.ClickException(f"question {question_id}: {exc} (no output was written for this batch)")


def ensure_index(ws: Workspace, quiet: bool = False, prepare_answers: bool = False) -> None:
    """Build the index on first use so search/ask work straight away (and, for ask, prepare answers when
    ``settings.prepare_answers`` is on)."""
    if not service.needs_sync(ws):
        return
    if not quiet:
        click.echo("Building the index of your notes...", err=True)
    report = service.sync(ws, prepare=None if prepare_answers else False).report
    if ws.index.is_empty():
        raise click.ClickException(f"No notes could be indexed in {ws.settings.notes_dir}: "
                                   + (report.failed[0].message if report.failed else "the folder has no "
                                      ".txt/.md files. Add some notes and run `python cli.py ingest`."))


def scope_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --tag (repeatable) and --folder; the command gets ``tags`` and ``folder``."""
    func = click.option("--folder", default="", help="Only notes under this folder of the notes folder "
                        "(e.g. Physics or Physics/Optics).")(func)
    return click.option("--tag", "tags", multiple=True, help="Only notes with this tag (an Obsidian vault's "
                        "front matter tags or #tags; nested tags count: --tag physics takes physics/optics). "
                        "Repeat for notes with every one.")(func)


def make_scope(ws: Workspace, tags: tuple[str, ...], folder: str):
    """The scope of --tag/--folder, checked against the index (one-line error for a tag or folder it lacks);
    None without them."""
    from retrieval.scope import Scope, ScopeError, check_scope

    scope = Scope(tuple(t.lstrip("#") for t in tags if t.strip("# ")), folder.strip().strip("/"))
    if not scope:
        return None
    try:
        check_scope(ws.index.catalog, scope)
    except ScopeError as exc:
        raise click.ClickException(str(exc)) from exc
    return scope


def shown(ws: Workspace, text: str) -> str:
    """Note text as a person reads it: in an Obsidian vault, links as their alias (``ingest.vault``)."""
    from ingest.vault import display_text, is_vault

    return display_text(text) if is_vault(ws.settings.notes_dir) else text
