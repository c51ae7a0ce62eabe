"""Notewise command line: ingest, search, ask, quiz, eval. Run ``python cli.py --help``.

Every command takes ``--notes DIR`` and ``--data-dir DIR`` (they win over NOTEWISE_* and the config file).
Batch contracts (stable; documented in the README):
  search --batch FILE.jsonl  ->  {"id", "hits": [{"rank", "text", "source", "start_line", "end_line", "heading", "score"}]}
  ask --batch FILE.jsonl     ->  {"id", "answer", "refused", "citations": [{"source", "start_line", "end_line", "quote"}]}
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from cli_common import (  # noqa: E402
    batch_failure,
    batch_output,
    ensure_index,
    make_scope,
    scope_options,
    shown,
    workspace_options,
)
from retrieval.evaluate import load_questions, score_hits  # noqa: E402
from settings import load_settings  # noqa: E402
from store import CatalogError, SearchUnavailable, StoreError  # noqa: E402
from workspace import Workspace, open_workspace  # noqa: E402


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Notewise: answers from your own notes, with the exact lines they came from."""


@main.command()
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

    from answer.prepare import prepare_answers
    from store import IndexBusy

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

    prepared = None
    stopped = False
    try:
        report = ws.index.sync(progress=progress)
        if (ws.settings.prepare_answers if prepare is None else prepare) and not ws.index.is_empty():
            try:
                prepared = prepare_answers(ws.index, progress=lambda done, total: progress("answers", done, total))
            except KeyboardInterrupt:  # optional work: the index itself is complete and committed
                stopped = True
    except IndexBusy as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        for bar in bars.values():
            bar.close()
        ws.close()
    if as_json:
        click.echo(json.dumps({"files": [f.__dict__ for f in report.files], "chunks_added": report.chunks_added,
                               "chunks_unchanged": report.chunks_unchanged, "chunks_removed": report.chunks_removed,
                               "embedded": report.embedded, "seconds": round(report.seconds, 3),
                               "answer_vectors": prepared and {"texts": prepared.texts, "embedded": prepared.embedded,
                                                               "dropped": prepared.dropped,
                                                               "seconds": round(prepared.seconds, 3)}}))
        return
    for line in report.lines():
        click.echo(line)
    click.echo(report.summary())
    if prepared is not None:
        click.echo(prepared.summary())
    if stopped:
        click.echo("Answer preparation stopped: the index is complete, and answers embed the lines they need as "
                   "they go (run `ingest` again to finish preparing).")


@main.command()
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
    ws.retriever.mode = mode
    k = k or ws.settings.top_k
    if batch:
        try:
            questions = load_questions(batch)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        with batch_output(output) as out:
            for q in questions:
                try:
                    result = ws.retriever.search(q["question"], k, q.get("history"), scope=scope)
                except (SearchUnavailable, StoreError, CatalogError) as exc:
                    raise batch_failure(q["id"], exc) from exc
                out.write(json.dumps({"id": q["id"], "hits": [h.to_json() for h in result.hits]}) + "\n")
        return
    assert query is not None
    result = ws.retriever.search(query, k, scope=scope)
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


@main.command(name="eval")
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
        from answer.cli import print_answer_scores

        return print_answer_scores(questions, answers, ws.settings.notes_dir, as_json)
    ensure_index(ws, quiet=as_json)
    items = load_questions(questions)
    results = {}
    for name in (["dense", "lexical", "hybrid"] if mode == "all" else [mode]):
        ws.retriever.mode = name
        hits = {q["id"]: [h.chunk.text for h in ws.retriever.search(q["question"], k, q.get("history")).hits]
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


# Commands that live beside their feature register here (one line each).
from answer.cli import ask  # noqa: E402

main.add_command(ask)
from cli_sync import show, watch  # noqa: E402

main.add_command(watch)
main.add_command(show)
from quiz.cli import quiz  # noqa: E402

main.add_command(quiz)


if __name__ == "__main__":
    main()
