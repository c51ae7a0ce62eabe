"""Are the product's batch outputs byte-identical to an earlier run? The gate for refactors (issue #26).

usage (from the project root):
    python bench/batch_identity.py record DIR     # run every batch contract on every suite corpus into DIR
    python bench/batch_identity.py compare BEFORE AFTER   # list each file that differs, exit 1 if any

``record`` runs, per corpus of the suite manifest (``NOTEWISE_SUITE_DIR`` or ``../shared/eval``), in a fresh
data folder: ``ingest``, ``search --batch --k 5``, ``ask --batch`` and ``quiz --export``, the contracts the
product is measured by from outside. ``compare`` names the first differing line of each file and, for a quiz
export, says card by card what changed: cards reworded on the same lines, cards whose fields changed, and for
each card that is gone the card rule of today's ``quiz.quality`` that drops it (or "no rule of quiz.quality":
dropped while the facts are made).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("hits.jsonl", "answers.jsonl", "quiz.jsonl")
sys.path.insert(0, str(ROOT))
_QUOTED = re.compile(r'"[^"]*"')


def suite_manifest() -> Path:
    base = Path(os.environ.get("NOTEWISE_SUITE_DIR", ROOT.parent / "shared" / "eval"))
    return base / "suite.json"


def _run(args: list[str], log: Path) -> None:
    with log.open("a", encoding="utf-8") as err:
        err.write("$ " + " ".join(args) + "\n")
        err.flush()
        subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, stdout=err, stderr=err, check=True)


def record(out: Path, only: list[str]) -> None:
    manifest = suite_manifest()
    suite = json.loads(manifest.read_text(encoding="utf-8"))
    for name, corpus in suite["corpora"].items():
        if only and name not in only:
            continue
        notes = (manifest.parent / corpus["notes"]).resolve()
        questions = (manifest.parent / corpus["questions"]).resolve()
        target = out / name
        target.mkdir(parents=True, exist_ok=True)
        log = target / "log.txt"
        with tempfile.TemporaryDirectory(prefix="notewise-identity-") as data:
            flags = ["--notes", str(notes), "--data-dir", data]
            _run(["ingest", *flags], log)
            _run(["search", "--batch", str(questions), "--k", "5", *flags, "-o", str(target / OUTPUTS[0])], log)
            _run(["ask", "--batch", str(questions), *flags, "-o", str(target / OUTPUTS[1])], log)
            _run(["quiz", "--export", str(target / OUTPUTS[2]), *flags], log)
        print(f"{name}: recorded in {target}")


def compare(before: Path, after: Path) -> int:
    differences = 0
    for corpus in sorted(p.name for p in before.iterdir() if p.is_dir()):
        for name in OUTPUTS:
            old, new = before / corpus / name, after / corpus / name
            if not new.exists():
                print(f"{corpus}/{name}: missing in {after}")
                differences += 1
                continue
            if old.read_bytes() == new.read_bytes():
                continue
            differences += 1
            old_lines, new_lines = old.read_text().splitlines(), new.read_text().splitlines()
            first = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b),
                         min(len(old_lines), len(new_lines)))
            changed = sum(a != b for a, b in zip(old_lines, new_lines, strict=False)) + abs(len(old_lines) - len(new_lines))
            print(f"{corpus}/{name}: {changed} of {len(old_lines)} lines differ; first at line {first + 1}")
            if name == "quiz.jsonl":
                print("\n".join(f"    {line}" for line in quiz_changes(old, new)))
    print("byte-identical" if not differences else f"{differences} file(s) differ")
    return 1 if differences else 0


def _cards(path: Path) -> dict[str, dict]:
    return {row["id"]: row for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def quiz_changes(old: Path, new: Path) -> list[str]:
    """Card by card, what differs between two quiz exports (cards are matched by id)."""
    from quiz.model import Question
    from quiz.quality import why_dropped

    before, after = _cards(old), _cards(new)
    gone = [before[i] for i in before.keys() - after.keys()]
    came = [after[i] for i in after.keys() - before.keys()]
    place = Counter((r["source"], r["start_line"], r["end_line"], r["kind"]) for r in came)
    reasons: Counter[str] = Counter()
    for row in gone:
        key = (row["source"], row["start_line"], row["end_line"], row["kind"])
        if place[key]:
            place[key] -= 1
            reasons["reworded: the same lines and kind under a new question or answer"] += 1
        else:
            rule = why_dropped(Question.from_json(row))
            reasons["dropped: " + _QUOTED.sub('"…"', rule) if rule else "dropped: no rule of quiz.quality"] += 1
    edited = Counter(", ".join(k if k in before[i] and k in after[i] else f"{k} ({'new' if k in after[i] else 'gone'})"
                               for k in dict.fromkeys([*before[i], *after[i]]) if before[i].get(k) != after[i].get(k))
                     for i in before.keys() & after.keys() if before[i] != after[i])
    lines = [f"cards {len(before)} -> {len(after)}: {len(gone)} gone, {len(came)} new, {sum(edited.values())} edited"]
    lines += [f"{n:5d} {why}" for why, n in reasons.most_common()]
    lines += [f"{n:5d} edited fields: {what}" for what, n in edited.most_common()]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--only", nargs="*", default=[])
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.out.resolve(), args.only)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
