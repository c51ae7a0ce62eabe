"""The tests ship what they need: the dev questions about the shipped notes are a copy of the suite's."""

from __future__ import annotations

from conftest import DEV_SET, EVAL_DIR, needs_suite


@needs_suite(EVAL_DIR / "dev.jsonl")
def test_the_shipped_dev_set_is_the_suites() -> None:
    assert DEV_SET.read_bytes() == (EVAL_DIR / "dev.jsonl").read_bytes(), (
        f"{DEV_SET} differs from {EVAL_DIR / 'dev.jsonl'}: copy the suite's file over it")


def test_the_dev_set_is_about_the_shipped_notes() -> None:
    assert len(DEV_SET.read_text(encoding="utf-8").splitlines()) == 42
