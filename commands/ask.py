"""``ask``: answers from the notes in the terminal, one question or a batch; and the answer scorer hook.

Batch contract (stable): ask --batch FILE.jsonl writes one line per question,
  {"id", "answer", "refused", "citations": [{"source", "start_line", "end_line", "quote"}]}
with ``source`` relative to the notes folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

import service
from answer import Answer, Answerer
from answer.strategy import BACKENDS
from commands.common import (
    batch_failure,
    batch_output,
    ensure_index,
    make_scope,
    scope_options,
    shown,
    workspace_options,
)
from retrieval.evaluate import load_questions
from settings import PROJECT_ROOT
from store import CatalogError, SearchUnavailable, StoreError
from workspace import Workspace

SCORER = "score_answers.py"


@click.command()
@click.argument("question", required=False)
@click.option("--backend", type=click.Choice(BACKENDS), default=None,
              help="Answer backend (default: NOTEWISE_BACKEND / config file, else extractive).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer and its citations as JSON.")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSONL of {id, question, history?}; writes one {id, answer, refused, citations} line each.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write --batch output here.")
@scope_options
@workspace_options
def ask(ws: Workspace, question: str | None, backend: str | None, as_json: bool, batch: Path | None,
        output: Path | None, tags: tuple[str, ...], folder: str) -> None:
    """Answer QUESTION from your notes, citing the exact lines (a #tag or in:Folder of the notes in the
    question narrows it, as --tag and --folder do)."""
    if not question and not batch:
        raise click.UsageError("Give a QUESTION or --batch FILE.jsonl.")
    ensure_index(ws, quiet=as_json or bool(batch), prepare_answers=True)
    scope = make_scope(ws, tags, folder)
    answerer = Answerer(ws, backend)
    if batch:
        _batch(answerer, batch, output, scope)
        return
    assert question is not None
    stream = service.ask(answerer, question, scope=scope)
    if as_json:
        answer = stream.collect()
        click.echo(json.dumps({"question": question, **answer.to_json(), "backend": answer.backend,
                               "notice": answer.notice}, indent=2))
        return
    from ingest.vault import display_stream, is_vault

    for piece in display_stream(stream) if is_vault(ws.settings.notes_dir) else stream:
        click.echo(piece, nl=False)
    click.echo()
    assert stream.answer is not None
    _print_sources(stream.answer, ws)


def _batch(answerer: Answerer, path: Path, output: Path | None, scope=None) -> None:
    try:
        questions = load_questions(path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    with batch_output(output) as out:
        for q in questions:
            history = [{"role": "user", "content": h} for h in q.get("history") or []]
            try:
                answer = service.ask(answerer, q["question"], history, scope).collect()
            except (SearchUnavailable, StoreError, CatalogError) as exc:
                raise batch_failure(q["id"], exc) from exc
            if answer.notice:
                click.echo(f"{q['id']}: {answer.notice}", err=True)
            out.write(json.dumps({"id": q["id"], **answer.to_json()}) + "\n")
            out.flush()


def _print_sources(answer: Answer, ws: Workspace) -> None:
    from ingest.vault import obsidian_url

    if answer.notice:
        click.secho(f"note: {answer.notice}", fg="yellow", err=True)
    for c in answer.citations:
        click.secho(f"[{c.n}] {c.source}:{c.location}" + (f"  § {c.heading}" if c.heading else ""), bold=True)
        for line in shown(ws, c.quote).splitlines():
            click.echo(f"    {line}")
        if c.also:
            click.echo("    also at: " + ", ".join(c.also_at()))
        if c.linked_from:
            click.echo("    linked from: " + ", ".join(c.linked_from))
        url = obsidian_url(ws.settings.notes_dir, c.source)
        if url:
            click.echo(f"    open in Obsidian: {url}")


def find_scorer(questions: Path) -> Path:
    """score_answers.py beside the question set, else in the checkout's sibling ../shared/eval."""
    for folder in (questions.resolve().parent, PROJECT_ROOT.parent / "shared" / "eval"):
        if (folder / SCORER).is_file():
            return folder / SCORER
    raise click.ClickException(f"Cannot find {SCORER} next to {questions} or in ../shared/eval.")


def print_answer_scores(questions: Path, answers: Path, notes_dir: Path, as_json: bool) -> None:
    """Run the shared scorer on ANSWERS and print what it prints."""
    command = [sys.executable, str(find_scorer(questions)), str(questions), str(answers), str(notes_dir)]
    done = subprocess.run(command + (["--json"] if as_json else []), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise click.ClickException(f"{SCORER} failed: {done.stderr.strip().splitlines()[-1:]}")
    click.echo(done.stdout, nl=False)
