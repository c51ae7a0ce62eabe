"""Make sure every quotable text of the notes has a vector before the first question.

Composing an answer compares the question with each unit of the retrieved passages (``ingest.units``).
Ingest already stores a vector for every unit of 15 characters or more, in the same model call that
serves search (``indexing.embedding``); what is left here is the shorter units and indexes written before that,
so a first answer never waits for the model. Only texts the persisted cache lacks are embedded, and
vectors of lines that left the notes are dropped."""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from embed import Embedder
from embed.embedder import EXIT_WAIT_S
from ingest.model import Chunk
from lines.quotable import chunk_candidates
from lines.vectors import LineVectors
from store.index import NoteIndex

log = logging.getLogger(__name__)
BATCH = 256  # texts per model call: big enough to batch well, small enough to stop promptly
Progress = Callable[[int, int], None]  # (texts done, texts in all)
_EXITING = threading.Event()  # set at interpreter exit: background preparation stops at its next batch
_THREAD_NAME = "prepare-answers-"


@dataclass
class PrepareReport:
    texts: int  # quotable texts in the notes
    embedded: int  # of which had no stored vector yet (embedded now, or taken from memory)
    dropped: int  # vectors of texts no longer in the notes
    seconds: float
    finished: bool = True  # False when stopped early

    def summary(self) -> str:
        return (f"Answers prepared: {self.embedded} new line vectors, {self.texts - self.embedded} kept, "
                f"{self.dropped} dropped ({self.seconds:.1f} s).")


def quotable_texts(chunks: Iterable[Chunk]) -> list[str]:
    """Every text the composer may embed for these chunks: candidates and their neighbourhoods."""
    texts: dict[str, None] = {}
    for chunk in chunks:
        for candidate in chunk_candidates(chunk.heading, chunk.text):
            texts[candidate.embed_text] = None
    return list(texts)


def prepare_answers(index: NoteIndex, embedder: Embedder, progress: Progress | None = None,
                    stop: threading.Event | None = None) -> PrepareReport:
    """Embed, with ``embedder``, every quotable text of ``index``'s notes its text-vector cache lacks, and
    drop those of texts gone; ``progress(done, total)`` after each batch; ``stop``: set to stop early."""
    start = time.perf_counter()
    vectors = LineVectors(embedder, index.text_vectors)
    texts = quotable_texts(index.catalog.all_chunks())
    todo = sorted(vectors.unpersisted(texts), key=len)  # similar lengths batch with little padding
    for i in range(0, len(todo), BATCH):
        if (stop is not None and stop.is_set()) or index.text_vectors.closed:
            return PrepareReport(len(texts), i, 0, time.perf_counter() - start, finished=False)
        vectors.persist(todo[i:i + BATCH])
        if progress:
            progress(min(i + BATCH, len(todo)), len(todo))
    dropped = index.text_vectors.keep_only(texts)
    return PrepareReport(len(texts), len(todo), dropped, time.perf_counter() - start)


_LOCK = threading.Lock()  # guards every index's ``memo.preparing``, ``prepare_again`` and ``prepared``


def _notes_state(index: NoteIndex) -> frozenset:
    return frozenset((source, record.digest) for source, record in index.catalog.files().items())


def prepare_in_background(index: NoteIndex, embedder: Embedder) -> threading.Thread | None:
    """Prepare answers in a daemon thread (the app does this after each sync, so the page never waits).

    One thread per index: a call while one runs makes it go over the notes once more when it finishes,
    so lines added by a sync in the meantime are not missed. Returns None when this process already
    prepared the notes as they are (every new browser session syncs; at 11,000 chunks merely listing
    the quotable texts again would cost ~8 s of CPU)."""
    memo = index.memo  # shared by every index opened on the folder: one thread per folder
    with _LOCK:
        running = memo.preparing
        if running is not None and running.is_alive():
            memo.prepare_again = True
            return running
        if memo.prepared == _notes_state(index):
            return None

        def work() -> None:
            while True:
                try:
                    with index.in_use:  # the index is not closed under this thread's reads
                        if index.closed:
                            report = None
                        else:
                            state = _notes_state(index)
                            report = prepare_answers(index, embedder, stop=_EXITING)
                    if report is not None:
                        log.info("%s", report.summary())
                    if report is not None and report.finished:
                        with _LOCK:
                            memo.prepared = state
                except Exception:  # a background nicety: never take the app down
                    log.exception("Preparing answers failed; answers will embed their lines as they go")
                with _LOCK:
                    if not memo.prepare_again or index.closed or _EXITING.is_set():
                        memo.preparing = None
                        return
                    memo.prepare_again = False

        thread = threading.Thread(target=work, name=f"{_THREAD_NAME}{index.dir.name}", daemon=True)
        memo.preparing = thread
        thread.start()
        return thread


@atexit.register
def _stop_preparing() -> None:
    """Stop background preparation at its next batch and give it, in all, :data:`EXIT_WAIT_S` to end."""
    _EXITING.set()
    deadline = time.monotonic() + EXIT_WAIT_S
    for thread in threading.enumerate():
        if thread.name.startswith(_THREAD_NAME):
            thread.join(max(0.0, deadline - time.monotonic()))
