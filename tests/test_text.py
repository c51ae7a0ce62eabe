"""The shared text rules (text/): one definition each, and the variants that layers need kept apart."""

from __future__ import annotations

import ast
from pathlib import Path

from text.lines import (
    fence_marker,
    in_code,
    is_fence,
    open_fence,
    points_elsewhere,
    sentence_goes_on,
    strip_bullet,
    without_link_marks,
    without_strong,
)
from text.questions import asked_parts, asks_for_a_pointer, compared_things, joins_questions, search_parts
from text.stems import stem, stems
from text.words import answer_words, content_words, has_quotable, has_words, word_pieces, words

ROOT = Path(__file__).resolve().parents[1]


def test_text_imports_nothing_from_the_project() -> None:
    project = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()} | {
        p.stem for p in ROOT.glob("*.py")}
    for path in (ROOT / "text").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                top = name.split(".")[0]
                assert top == "text" or top not in project, f"{path.name} imports {name}"


def test_a_fence_may_open_a_list_item() -> None:
    assert is_fence("```") and is_fence("  ~~~py") and is_fence("- ```") and is_fence("1. ```")
    assert not is_fence("`code`") and not is_fence("text ```")
    assert fence_marker("    - ```python") == "```" and fence_marker("prose") == ""
    lines = ["- Then:", "    - ```", "      a = g(z)", "      ```", "- after"]
    assert in_code(lines) == [False, False, True, False, False]
    assert open_fence(lines, 2) == "    - ```" and open_fence(lines, 4) is None


def test_search_and_answer_checking_keep_their_own_stop_words() -> None:
    assert content_words("How many types of storage class?") == ["many", "storage", "class"]
    assert answer_words("How many kinds of storage class?") == ["many", "types", "storage", "class"]
    assert words("Node.js and C++") == ["node.js", "and", "c++"]
    assert word_pieces("read-write") == ["read", "write"] and word_pieces("read-only") == ["read"]
    assert stem("RNNs") == "rnn" and stems("read-write mode") == {"read-writ", "read", "write", "mode"}


def test_search_and_the_composer_split_a_question_their_own_way() -> None:
    question = "I lost a commit after a reset; how can I find it?"
    assert search_parts(question) == [question.rstrip("?")]
    assert asked_parts(question) == ["how can I find it?"]
    two = "How long are CloudWatch logs kept, and what retention can be set on log groups?"
    assert search_parts(two) == ["How long are CloudWatch logs kept", "what retention can be set on log groups"]
    assert len(asked_parts(two)) == 2 and joins_questions(two.rstrip(" ?"))
    assert compared_things("What is the difference between sharding and federation?") == ["sharding", "federation"]


def test_line_rules() -> None:
    assert strip_bullet("  - Kafka keeps logs") == "Kafka keeps logs"
    assert sentence_goes_on("Kafka keeps the log for", "seven days by default.")
    assert not sentence_goes_on("Kafka keeps logs.", "it is fast")
    assert has_words("a1") and not has_words("---") and has_quotable("``") and not has_words("``")


def test_a_line_that_only_points_elsewhere() -> None:
    """A reading list's row, a bare link, an image's source caption; not a sentence that links its words."""
    assert points_elsewhere("| Design an API rate limiter | [https://stripe.com/blog/](https://stripe.com/blog/r) |")
    assert points_elsewhere("| Design a key-value store (like Dynamo) | [Jane Street](https://youtu.be/x)<br/>"
                            "[Go version](http://b.net/go/) |")
    assert points_elsewhere("- see [this post](https://example.com/post)")
    assert points_elsewhere("<i><a href=http://lethain.com/scale/>Source: Intro to architecting systems</a></i>")
    assert not points_elsewhere("* In some cases, the [query cache](https://dev.mysql.com/q) could lead to "
                                "[performance issues](https://percona.com/p).")
    assert not points_elsewhere("| Design an API rate limiter | Stripe's post on token buckets |")  # no link
    assert not points_elsewhere("A good group that discusses the courses is here: https://example.com/group.")
    assert not points_elsewhere("The [`git bisect`](https://git-scm.com/docs/git-bisect) command is a")  # wrapped
    assert asks_for_a_pointer("Which reference does the guide give for designing an API rate limiter?")
    assert asks_for_a_pointer("Where is a video on consistent hashing?")
    assert not asks_for_a_pointer("How does a token bucket let a rate limiter absorb bursts?")


def test_bold_markers_go_code_and_powers_stay() -> None:
    assert without_strong("**Gibson v Manchester CC (1979)** HL") == "Gibson v Manchester CC (1979) HL"
    assert without_strong("batch normalization**, created by") == "batch normalization, created by"
    assert without_strong("***PCA color augmentation***") == "PCA color augmentation"
    assert without_strong("2**n or x ** 2, `y**2` in **code**") == "2**n or x ** 2, `y**2` in code"
    # a mnemonic's bold first letters close the bold inside the word (heldout18's cards showed "A**bsorption")
    assert without_strong("ADME: **A**bsorption, **D**istribution") == "ADME: Absorption, Distribution"


def test_a_link_reads_as_its_text_and_other_brackets_stay() -> None:
    line = "* **AP** - a good choice if the business needs [eventual consistency](#eventual-consistency) or when"
    assert without_link_marks("needs [eventual consistency]", line) == "needs eventual consistency"  # address cut
    assert without_link_marks("see [the docs](http://x.y/docs)", "see [the docs](http://x.y/docs)") == "see the docs"
    assert without_link_marks("[Ar] 4s1 3d5", "- Cr : [Ar] 4s1 3d5") == "[Ar] 4s1 3d5"  # notation, no link


def test_a_phrase_gives_its_initials_with_and_without_its_joining_words() -> None:
    from text.questions import phrase_initials

    found = phrase_initials("What is the marginal propensity to consume, and the return on investment?")
    assert found["marginal propensity consume"] == "mpc" and found["marginal propensity to consume"] == "mptc"
    assert found["return on investment"] == "roi"
    assert "ri" not in found.values()  # two letters match too much by chance
    assert not [p for p in found if p.split()[0] in ("the", "and") or p.split()[-1] in ("the", "to")]
