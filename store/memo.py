"""What this process remembers about one index folder, beyond what it stores on disk.

Work done once per state of the notes (preparing answers, reading the notes' words) is kept here, so every
:class:`store.index.NoteIndex` opened on the folder shares it: the app opens a folder again after a failed
or cancelled load, or once its loader is evicted, and must not redo that work or run it twice at once."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class FolderMemo:
    preparing: threading.Thread | None = None  # lines.prepare: the thread preparing answers, if one was started
    prepare_again: bool = False  # lines.prepare: notes synced while it ran, so it goes over them once more
    prepared: frozenset | None = None  # lines.prepare: the notes' digests when last fully prepared
    notes_text: tuple[tuple, Any] | None = None  # answer.evidence: (the files' digests, the notes' words and text)
    section_bounds: dict[tuple, Any] = field(default_factory=dict)  # retrieval.sections: a section -> its bounds
    questions: tuple[tuple, Any] | None = None  # quiz.questions_for: (the chunks' count and digest, the questions)


_MEMOS: dict[str, FolderMemo] = {}  # index folder -> its memo
_LOCK = threading.Lock()


def folder_memo(index_dir: Path) -> FolderMemo:
    """The memo of the index in ``index_dir``: one per folder per process."""
    with _LOCK:
        return _MEMOS.setdefault(str(index_dir), FolderMemo())
