"""Notewise command line: ingest, search, ask, quiz, eval. Run ``python cli.py --help``.

Every command takes ``--notes DIR`` and ``--data-dir DIR`` (they win over NOTEWISE_* and the config file).
Batch contracts (stable; documented in the README):
  search --batch FILE.jsonl  ->  {"id", "hits": [{"rank", "text", "source", "start_line", "end_line", "heading", "score"}]}
  ask --batch FILE.jsonl     ->  {"id", "answer", "refused", "citations": [{"source", "start_line", "end_line", "quote"}]}

The commands live in ``commands/``; this file only gathers them.
"""

from __future__ import annotations

import os

import click

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from commands.ask import ask  # noqa: E402
from commands.indexing import ingest, watch  # noqa: E402
from commands.quiz import quiz  # noqa: E402
from commands.search import evaluate, search, show  # noqa: E402


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Notewise: answers from your own notes, with the exact lines they came from."""


for command in (ingest, search, evaluate, ask, watch, show, quiz):
    main.add_command(command)


if __name__ == "__main__":
    main()
