"""``quiz``: an interactive quiz in the terminal, the topic list, progress, and the JSONL export."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from commands.common import ensure_index, make_scope, scope_options, workspace_options
from quiz.chatintent import choice_prompt, command_word, resolve_choice
from quiz.chatreplies import hint_for
from quiz.export import anki_package, csv_bytes, deck_name
from quiz.generate import generate_questions
from quiz.grade import Judge
from quiz.model import EXACT_KINDS, Grade, Question
from quiz.odd import screen
from quiz.plan import exam_plan, save_exam
from quiz.session import QuizSession, questions_on, topics
from quiz.store import ProgressStore
from workspace import Workspace

_QUIT = {"q", "quit", "exit", ":q"}


@click.command(name="quiz")
@click.option("--topic", "-t", default="", help="Only questions on this topic (a heading or term; partial, "
              "any case), e.g. --topic kms.")
@click.option("--n", "n", default=10, show_default=True, type=click.IntRange(1, 500), help="Questions to ask.")
@click.option("--weakest", is_flag=True, help="Weakest topics first (by your past answers).")
@click.option("--export", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write every generated question (with its source lines) to FILE.jsonl and exit.")
@click.option("--export-anki", "export_anki", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the questions (all, or those of --topic) as an Anki deck FILE.apkg named after the notes "
              "folder, and exit. Re-exporting updates the cards in Anki instead of duplicating them.")
@click.option("--deck", "deck_title", default="", help="The Anki deck's name (default: the notes folder's name, or "
              "its one file's name when the folder is only called notes).")
@click.option("--export-csv", "export_csv", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the questions as CSV (front, back, source, tags) for Quizlet and other apps, and exit.")
@click.option("--topics", "list_topics", is_flag=True, help="List the topics questions can be drawn from.")
@click.option("--stats", is_flag=True, help="Show your progress per topic.")
@click.option("--exam", "exam", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Your exam date (YYYY-MM-DD): shows a daily plan (cards a day, weakest topics first, what a "
              "skipped day costs) and saves the date, so \"quiz me\" in the chat follows the plan.")
@click.option("--judge", is_flag=True, help="Let the generative backend (NOTEWISE_BACKEND=openai/local) "
              "judge borderline free-text answers.")
@click.option("--seed", type=int, default=None, hidden=True, help="Fix the order of new questions (tests).")
@scope_options
@workspace_options
def quiz(ws: Workspace, topic: str, n: int, weakest: bool, export: Path | None, export_anki: Path | None,
         deck_title: str, export_csv: Path | None, list_topics: bool, stats: bool, exam: datetime | None,
         judge: bool, seed: int | None, tags: tuple[str, ...], folder: str) -> None:
    """Quiz yourself on your notes: questions from the notes, graded answers with the lines they come
    from, and spaced repetition (questions you miss come back first)."""
    ensure_index(ws, quiet=bool(export or export_anki or export_csv))
    scope = make_scope(ws, tags, folder)
    chunks = ws.index.catalog.all_chunks()
    if scope:
        inside = ws.index.catalog.sources_in(scope.folder, scope.tags)
        chunks = [c for c in chunks if c.source in inside]
    questions = generate_questions(chunks)
    if not questions:
        raise click.ClickException("No quiz questions could be made from these notes: they need lines like "
                                   "'term : definition' or bulleted lists under a heading.")
    if export or export_anki or export_csv:
        chosen = questions if not topic else questions_on(questions, topic)
        if not chosen:
            raise click.ClickException(f'No questions match the topic "{topic}".')
        if export:
            _export(chosen, export)
        if export_anki:
            deck = deck_name(ws.settings.notes_dir, deck_title)
            note_tags = {s: n.tags for s, n in ws.index.catalog.notes().items()}
            _write(export_anki, anki_package(chosen, deck, note_tags), f'{len(chosen)} cards (deck "{deck}")')
        if export_csv:
            note_tags = {s: n.tags for s, n in ws.index.catalog.notes().items()}
            _write(export_csv, csv_bytes(chosen, note_tags), f"{len(chosen)} cards")
        return
    if list_topics:
        for name, count in topics(questions if not topic else questions_on(questions, topic)):
            click.echo(f"{count:4}  {name}")
        return
    store = ProgressStore(ws.settings.quiz_db_path)
    try:
        if stats:
            _show_stats(store)
            return
        if exam is not None:
            save_exam(store, exam.date())
            click.echo(exam_plan(questions, store, exam.date()).text)
            return
        try:
            session = QuizSession.start(questions, store, topic, n, weakest, ws.embedder, seed,
                                        judge=_judge(ws) if judge else None)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        _run(session)
    finally:
        store.close()


def _judge(ws: Workspace) -> Judge:
    from quiz.judge import judge_for

    return judge_for(ws.settings)


def _write(path: Path, data: bytes, what: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    click.echo(f"Wrote {what} to {path}.", err=True)


def _export(questions: list[Question], path: Path) -> None:
    try:
        with path.open("w", encoding="utf-8") as out:
            for q in questions:
                out.write(json.dumps(q.to_json(), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise click.ClickException(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    headings = len({q.heading for q in questions})
    click.echo(f"Wrote {len(questions)} questions ({headings} headings) to {path}.", err=True)


def _show_stats(store: ProgressStore) -> None:
    rows = store.progress_by_topic()
    if not rows:
        click.echo("No answers yet. Run `quiz` to start.")
        return
    totals: dict[str, list[int]] = {}
    for row in rows:
        total = totals.setdefault(row.topic, [0, 0])
        total[0] += row.answered
        total[1] += row.correct
    strength = store.topic_strength()
    click.echo(f"{'topic':40} {'answered':>8} {'right':>6} {'strength':>8}")
    for name, (answered, right) in sorted(totals.items(), key=lambda t: strength[t[0]]):
        click.echo(f"{name[:40]:40} {answered:8} {right:6} {strength[name]:8.2f}")


def _ask(question: Question, number: int, total: int) -> None:
    first, *options = question.prompt_text().split("\n")
    click.secho(f"\n[{number}/{total}] {first}", bold=True)
    for option in options:
        click.echo(f"   {option}")


def _read_answer(question: Question) -> tuple[str, str] | None:
    """(command, text): the typed answer ("answer", text), or hint / skip / why (the chat's words, read by
    :func:`quiz.chatintent.command_word`); None to stop. Choice questions ask again until the input is a
    choice (by letter, number or its words)."""
    while True:
        try:
            text = click.prompt("Your answer", default="", show_default=False)
        except click.Abort:
            return None
        command = command_word(text)
        if text.strip().lower() in _QUIT or command == "stop":
            return None
        if command is not None:
            return command, text
        if question.kind not in EXACT_KINDS or screen(text).reply:  # empty, "no idea", emoji: graded as such
            return "answer", text
        if (chosen := resolve_choice(question, text)) is not None:
            return "answer", chosen
        click.echo(f"   {choice_prompt(question)}")


def _show_grade(question: Question, result: Grade) -> None:
    """The verdict, the expected answer and the cited lines, numbered as in the file."""
    if result.feedback:
        click.secho(result.feedback, fg={"correct": "green", "partly": "yellow"}.get(result.verdict, "red"))
    lines = result.quote.split("\n")
    numbers = range(question.start_line, question.start_line + len(lines))
    for number, line in zip(numbers, lines, strict=True):
        click.echo(f"  {number:5} | {line}")


def _show_why(last: tuple[Question, Grade] | None) -> None:
    """why?: the notes' lines the last graded question came from, with its heading."""
    if last is None:
        click.echo("   Answer the question first; then why? shows what the notes say about it. Say hint for a clue.")
        return
    question, _ = last
    where = f' under "{question.heading}"' if question.heading else ""
    click.echo(f"   The notes ({question.reference}){where}:")
    _show_grade(question, replace(last[1], feedback=""))


def _run(session: QuizSession) -> None:
    total = len(session.questions)
    about = f' on "{session.topic}"' if session.topic else ""
    click.echo(f"Quiz: {total} questions{about}. Type your answer; empty = don't know; hint, skip, why? or "
               "stop (q) at any time.")
    last: tuple[Question, Grade] | None = None
    hints = 0
    asked = None
    while (question := session.current) is not None:
        if asked is not question:
            _ask(question, len(session.grades) + 1, total)
            asked, hints = question, 0
        read = _read_answer(question)
        if read is None:
            break
        command, text = read
        if command == "hint":
            click.echo(f"   {hint_for(question, hints)}")
            hints += 1
        elif command == "why":
            _show_why(last)
        else:
            result = session.skip() if command == "skip" else session.answer(text)
            _show_grade(question, result)
            last = (question, result)
    right, answered = session.score
    click.secho(f"\nScore: {right}/{answered}" + (f" ({right / answered:.0%})" if answered else ""), bold=True)
    if due := session.store.due_summary().text:
        click.echo(due)
