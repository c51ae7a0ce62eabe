"""The evaluation suite, in one process, on indexes kept between runs: for choosing constants.

    python bench/suite_tune.py [--work /tmp/notewise-tune] [--only NAME ...] [--features OUT.jsonl]

Runs what ``../shared/eval/suite.py`` runs (search --batch and ask --batch contracts, scored by the shared
scorers) but keeps each corpus's index in ``--work`` (re-syncing only what changed) and writes each
question's refusal evidence (coverage, similarity) to ``--features``, so the refusal cut-offs can be
chosen on all four corpora together and checked leave-one-corpus-out (``bench/refusal_loo.py``).
The product's figures in docs/quality.md come from ``suite.py`` itself, never from here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from indexing import sync_index

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"


def score(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, str(EVAL / script), *args, "--json"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def run_corpus(name: str, corpus: dict, work: Path, features: list[dict]) -> dict:
    from answer import Answerer
    from lines.prepare import prepare_answers
    from retrieval.evaluate import load_questions
    from settings import load_settings
    from workspace import open_workspace

    notes = (EVAL / corpus["notes"]).resolve()
    questions = load_questions(EVAL / corpus["questions"])
    ws = open_workspace(load_settings(notes_dir=notes, data_dir=work / name))
    try:
        started = time.perf_counter()
        sync_index(ws.index, ws.embedder)
        if not ws.index.is_empty():  # as `ingest` does: every quotable line has its vector before questions,
            prepare_answers(ws.index, ws.embedder)  # so windows and quotes see the state a user's app is in
        synced = time.perf_counter() - started
        answerer = Answerer(ws, "extractive")
        hits_path, answers_path = work / f"{name}.hits.jsonl", work / f"{name}.answers.jsonl"
        with hits_path.open("w") as hits_out, answers_path.open("w") as answers_out:
            for q in questions:
                history = q.get("history") or []
                result = ws.retriever.search(q["question"], 5, history)
                hits_out.write(json.dumps({"id": q["id"], "hits": [h.to_json() for h in result.hits]}) + "\n")
                turns = [{"role": "user", "content": h} for h in history]
                answer = answerer.ask(q["question"], turns)
                answers_out.write(json.dumps({"id": q["id"], **answer.to_json()}) + "\n")
                features.append({"corpus": name, "id": q["id"], "kind": q["kind"], "refused": answer.refused,
                                 "coverage": round(answer.coverage, 4), "similarity": round(answer.similarity, 4),
                                 "answer": answer.text[:160]})
    finally:
        ws.close()
    hits = score("score_hits.py", str(EVAL / corpus["questions"]), str(hits_path))
    answers = score("score_answers.py", str(EVAL / corpus["questions"]), str(answers_path), str(notes))
    return {"sync_s": round(synced, 1), "hit@1": hits["all"]["hit@1"], "hit@5": hits["all"]["hit@5"],
            "mrr": hits["all"]["mrr"], "recall": answers["all"]["answer_recall"],
            "cit_prec": answers["citation_precision"]["precision"],
            "focused": answers["citation_precision"]["focused_answers"],
            "refused": answers["refusal"]["unanswerable_refused"],
            "wrong_ref": answers["refusal"]["answerable_wrongly_refused"], "valid": answers["citations"]["valid"],
            "misses": hits["_meta"]["misses"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/notewise-tune"))
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--features", type=Path)
    args = parser.parse_args()
    suite = json.loads((EVAL / "suite.json").read_text())
    features: list[dict] = []
    cols = ["sync_s", "hit@1", "hit@5", "mrr", "recall", "cit_prec", "focused", "refused", "wrong_ref", "valid"]
    print(f"{'corpus':<24}" + "".join(f"{c:>9}" for c in cols))
    for name, corpus in suite["corpora"].items():
        if args.only and name not in args.only:
            continue
        row = run_corpus(name, corpus, args.work, features)
        print(f"{name:<24}" + "".join(f"{row[c]:>9}" for c in cols) + f"  misses {row['misses']}", flush=True)
    if args.features:
        args.features.write_text("".join(json.dumps(f) + "\n" for f in features))


if __name__ == "__main__":
    main()
