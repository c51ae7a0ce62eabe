"""``search`` (the passages that match), ``eval`` (retrieval scored on a question set) and ``show`` (a note's
cited lines in context)."""

from __future__ import annotations

import json
from pathlib import Path

import click

import service
from commands.common import (
    batch_failure,
    batch_output,
    ensure_index,
    make_scope,
    scope_options,
    shown,
    workspace_options,
)
from ingest.limits import Limits
from ingest.notes_view import OutsideNotesError, read_lines
from retrieval.evaluate import load_questions, score_hits
from store import CatalogError, SearchUnavailable, StoreError
from workspace import Workspace


@click.command()
@click.argument("query", required=False)
@click.option("--k", default=None, type=click.IntRange(1, 50), help="Passages to return (default: top_k, 5).")
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON.")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSONL of {id, question, history?}; writes one {id, hits} line per question.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write --batch output here.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid",
              help="Retriever (dense and lexical alone are for comparison).")
@scope_options
@workspace_options
def search(ws: Workspace, query: str | None, k: int | None, as_json: bool, batch: Path | None,
           output: Path | None, mode: str, tags: tuple[str, ...], folder: str) -> None:
    """Find the passages of your notes that match QUERY."""
    if not query and not batch:
        raise click.UsageError("Give a QUERY or --batch FILE.jsonl.")
    ensure_index(ws, quiet=as_json or bool(batch))
    scope = make_scope(ws, tags, folder)
    k = k or ws.settings.top_k
    if batch:
        _search_batch(ws, batch, output, k, mode, scope)
        return
    assert query is not None
    result = service.search(ws, query, k, scope=scope, mode=mode)
    if as_json:
        click.echo(json.dumps({"query": query, "hits": [h.to_json() for h in result.hits]}, indent=2))
        return
    if not result.hits:
        click.echo("No passages found.")
    for hit in result.hits:
        c = hit.chunk
        click.secho(f"[{hit.rank}] {c.reference}" + (f"  § {c.heading}" if c.heading else ""), bold=True)
        for line in shown(ws, c.text).splitlines():
            click.echo(f"    {line}")
        if hit.also:
            click.echo("    also at: " + ", ".join(a.reference for a in hit.also))


def _search_batch(ws: Workspace, path: Path, output: Path | None, k: int, mode: str, scope) -> None:
    """``search --batch``: one ``{id, hits}`` line per question, all or nothing (``batch_output``)."""
    try:
        questions = load_questions(path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    with batch_output(output) as out:
        for q in questions:
            try:
                result = service.search(ws, q["question"], k, q.get("history"), scope=scope, mode=mode)
            except (SearchUnavailable, StoreError, CatalogError) as exc:
                raise batch_failure(q["id"], exc) from exc
            out.write(json.dumps({"id": q["id"], "hits": [h.to_json() for h in result.hits]}) + "\n")


@click.command(name="eval")
@click.argument("questions", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--k", default=5, type=click.IntRange(1, 50), help="Cut-off for hit@k.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical", "all"]), default="hybrid",
              help="Retriever to score; 'all' prints the three side by side.")
@click.option("--json", "as_json", is_flag=True, help="Print scores as JSON.")
@click.option("--answers", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score this `ask --batch` output instead (answer recall, citation validity, refusals).")
@workspace_options
def evaluate(ws: Workspace, questions: Path | None, k: int, mode: str, as_json: bool, answers: Path | None) -> None:
    """Score retrieval on QUESTIONS (JSONL with answer_keys): hit@1, hit@k and MRR per kind.

    With --answers FILE (the output of `ask --batch`), score the answers with ../shared/eval/score_answers.py."""
    if questions is None:
        raise click.UsageError("Give QUESTIONS (e.g. ../shared/eval/dev.jsonl).")
    if answers is not None:
        from commands.ask import print_answer_scores

        return print_answer_scores(questions, answers, ws.settings.notes_dir, as_json)
    ensure_index(ws, quiet=as_json)
    items = load_questions(questions)
    results = {}
    for name in (["dense", "lexical", "hybrid"] if mode == "all" else [mode]):
        hits = {q["id"]: [h.chunk.text for h in service.search(ws, q["question"], k, q.get("history"), mode=name).hits]
                for q in items}
        results[name] = score_hits(items, hits, k)
    if as_json:
        click.echo(json.dumps(results))
        return
    for name, scores in results.items():
        click.secho(f"{name}", bold=True)
        for kind in ("all", "lookup", "paraphrase", "multi", "followup"):
            if kind in scores:
                s = scores[kind]
                click.echo(f"  {kind:11} n={s['n']:<3} hit@1={s['hit@1']:.3f}  hit@{k}={s[f'hit@{k}']:.3f}  "
                           f"MRR={s['mrr']:.3f}")
        if scores.get("_misses"):
            click.echo(f"  misses: {', '.join(scores['_misses'])}")


@click.command()
@click.argument("source")
@click.argument("start", type=click.IntRange(1))
@click.argument("end", required=False, type=click.IntRange(1))
@click.option("--context", default=3, show_default=True, type=click.IntRange(0, 50), help="Lines shown around.")
@workspace_options
def show(ws: Workspace, source: str, start: int, end: int | None, context: int) -> None:
    """Show lines START..END of the note SOURCE (a path inside the notes folder), with context."""
    try:
        lines = read_lines(ws.settings.notes_dir, source, start, end or start, context, Limits.of(ws.settings))
    except (OutsideNotesError, FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    width = max(len(v.location) for v in lines)
    for view in lines:
        click.echo(f"{'>' if view.cited else ' '} {view.location:>{width}} | {view.text}")
