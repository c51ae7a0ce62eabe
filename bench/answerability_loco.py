"""Leave-one-corpus-out table for the constants of the answerability judgement (``answer/tuning.py``):
each constant swept over a grid on the suite's four notes folders, and for each folder left out, the
value the other three choose and what it then gives on the folder left out.

    python bench/answerability_loco.py [--work /tmp/notewise-tune] [--out bench/answerability_loco.md]

Indexes are built once in ``--work`` (as ``bench/suite_tune.py`` does) and kept between runs. A value is
chosen on three folders by: the most unanswerable questions refused, among the values that wrongly refuse
at most 5% of the answerable questions of each of the three; ties go to the higher answer recall, then to
the value in use. The product's own figures come from ``../shared/eval/suite.py``, never from here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from indexing import sync_index

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
MAX_WRONGLY_REFUSED = 0.05  # the suite's floor

#: (field of answer.tuning.AnswerTuning, grid): every value the judgement and the composer's part names read.
GRIDS = [
    ("subject_specificity", [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 1.01]),
    ("subject_min_chars", [2, 3, 4]),
    ("section_name_words", [0, 1, 2, 3, 4, 6]),
    ("min_coverage", [0.1, 0.15, 0.2, 0.25, 0.3]),
    ("min_similarity", [0.1, 0.15, 0.2, 0.25, 0.3]),
    ("rare_zipf", [1.8, 2.0, 2.2, 2.3, 2.5]),
]


def open_corpora(work: Path) -> dict:
    """Each suite corpus's workspace (synced, answers prepared) and questions, by name."""
    from lines.prepare import prepare_answers
    from settings import load_settings
    from workspace import open_workspace

    suite = json.loads((EVAL / "suite.json").read_text())
    corpora = {}
    for name, corpus in suite["corpora"].items():
        notes = (EVAL / corpus["notes"]).resolve()
        ws = open_workspace(load_settings(notes_dir=notes, data_dir=work / name))
        sync_index(ws.index, ws.embedder)
        prepare_answers(ws.index, ws.embedder)
        corpora[name] = (ws, EVAL / corpus["questions"], notes)
    return corpora


def measure(corpora: dict) -> dict[str, dict]:
    """Answer every dev question; the shared scorer's refusal and recall figures per corpus."""
    from answer import Answerer
    from retrieval.evaluate import load_questions

    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (ws, questions, notes) in corpora.items():
            answerer = Answerer(ws, "extractive")
            path = Path(tmp) / f"{name}.jsonl"
            with path.open("w") as out:
                for q in load_questions(questions):
                    turns = [{"role": "user", "content": h} for h in q.get("history") or []]
                    out.write(json.dumps({"id": q["id"], **answerer.ask(q["question"], turns).to_json()}) + "\n")
            scores = json.loads(subprocess.run(
                [sys.executable, str(EVAL / "score_answers.py"), str(questions), str(path), str(notes), "--json"],
                capture_output=True, text=True, check=True).stdout)
            figures[name] = {"refused": scores["refusal"]["unanswerable_refused"],
                             "wrongly": scores["refusal"]["answerable_wrongly_refused"],
                             "recall": scores["all"]["answer_recall"]}
    return figures


@contextmanager
def patched(name: str, value: float):
    """``answer.tuning.ANSWER`` with field ``name`` set to ``value`` for a sweep: the one shared instance is
    changed in place (a frozen dataclass, so through ``object.__setattr__``), as every module reads it."""
    from answer.tuning import ANSWER

    before = getattr(ANSWER, name)
    object.__setattr__(ANSWER, name, value)
    try:
        yield
    finally:
        object.__setattr__(ANSWER, name, before)


def choose(grid: dict, names: list[str], current: float) -> float:
    """The value the corpora ``names`` choose (see the module's docstring)."""
    def key(value: float) -> tuple:
        rows = [grid[value][n] for n in names]
        allowed = all(r["wrongly"] <= MAX_WRONGLY_REFUSED for r in rows)
        return (allowed, sum(r["refused"] for r in rows), sum(r["recall"] for r in rows), value == current)
    return max(grid, key=key)


def table(constant: str, grid: dict, current: float, names: list[str]) -> list[str]:
    lines = [f"### {constant} (answer/tuning.py; in use: {current})", "",
             "| value | " + " | ".join(f"{n} refused / wrongly / recall" for n in names) + " |",
             "|---|" + "---|" * len(names)]
    for value, rows in grid.items():
        cells = [f"{rows[n]['refused']:.3f} / {rows[n]['wrongly']:.3f} / {rows[n]['recall']:.3f}" for n in names]
        lines.append(f"| {value} | " + " | ".join(cells) + " |")
    lines += ["", "| left out | chosen by the other three | left out: refused / wrongly / recall |", "|---|---|---|"]
    for left in names:
        value = choose(grid, [n for n in names if n != left], current)
        row = grid[value][left]
        lines.append(f"| {left} | {value} | {row['refused']:.3f} / {row['wrongly']:.3f} / {row['recall']:.3f} |")
    return lines + [""]


def main(argv: list[str] | None = None, report: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "notewise-tune")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "answerability_loco.md")
    args = parser.parse_args(argv)
    corpora = open_corpora(args.work)
    names = list(corpora)
    out = ["## Answerability: leave-one-corpus-out", "",
           "Written by `bench/answerability_loco.py` on the suite's dev sets; each cell is refused (unanswerable"
           " questions refused) / wrongly (answerable ones refused) / recall (answer recall).", ""]
    from answer.tuning import ANSWER

    for constant, values in GRIDS:
        current = getattr(ANSWER, constant)
        grid = {}
        for value in values:
            with patched(constant, value):
                grid[value] = measure(corpora)
            report(f"{constant}={value}: " + json.dumps(grid[value]))
        out += table(constant, grid, current, names)
    args.out.write_text("\n".join(out))
    report(f"wrote {args.out}")


if __name__ == "__main__":
    main()
