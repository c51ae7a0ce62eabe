"""The embedder's fast paths give the vectors plain SentenceTransformer.encode gives, in the caller's order."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from embed.embedder import ONE_THREAD_CHARS, Embedder
from embed.gpu_feed import PipelinedEncoder
from settings import DEFAULT_NOTES_DIR, load_settings
from workspace import shared_embedder

NOTE_LINES = [line for line in (DEFAULT_NOTES_DIR / "aws-study-notes.txt").read_text().splitlines() if len(line) > 20]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return shared_embedder(load_settings(embed_device="cpu"))


def plain(embedder: Embedder, texts: list[str]) -> np.ndarray:
    return embedder.model.encode(texts, batch_size=64, normalize_embeddings=True)


def test_gpu_feeder_matches_plain_encode_in_input_order(embedder: Embedder) -> None:
    """The pipelined feeder (run here on the CPU) sorts, batches and scatters back without mixing texts up."""
    texts = NOTE_LINES[:150] + ["", "ok", "word " * 600]  # empty, tiny, and one past the 256-token cut
    feeder = PipelinedEncoder(embedder.model, "cpu", workers=2)
    got = feeder.encode(texts)
    want = plain(embedder, texts)
    assert got.shape == want.shape and got.dtype == np.float32
    assert float(np.min(np.sum(got * want, axis=1))) > 0.9999


def test_feeder_batches_cover_every_text_once_within_the_token_budget(embedder: Embedder) -> None:
    feeder = PipelinedEncoder(embedder.model, "cpu")
    lengths = sorted((len(t) for t in NOTE_LINES * 20), reverse=True)
    spans = feeder.batches(lengths)
    assert spans[0] == (0, 64) and spans[-1][1] == len(lengths)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_query_and_small_batches_use_one_thread_and_leave_the_callers_threads_alone(embedder: Embedder) -> None:
    before = torch.get_num_threads()
    question = "Which AWS services does a VPC gateway endpoint support?"
    vector = embedder.encode_query(question)
    assert torch.get_num_threads() == before
    assert float(vector @ plain(embedder, [question])[0]) > 0.9999
    lines = NOTE_LINES[:40]
    assert sum(map(len, lines)) <= ONE_THREAD_CHARS
    assert float(np.min(np.sum(embedder.encode(lines) * plain(embedder, lines), axis=1))) > 0.999


def test_large_batches_stay_within_float32_vectors(embedder: Embedder) -> None:
    """Where the CPU has AMX, big batches run under bfloat16 autocast; the vectors must not drift."""
    texts = NOTE_LINES[:400]
    assert sum(map(len, texts)) > ONE_THREAD_CHARS
    got = embedder.encode(texts)
    assert float(np.min(np.sum(got * plain(embedder, texts), axis=1))) > 0.999


def test_a_question_is_encoded_once_and_a_long_one_is_cut_like_plain_encode(embedder: Embedder) -> None:
    embedder.forget_queries()
    question = "What does the default KMS key policy allow? " * 60  # past the model's 256-token window
    first = embedder.encode_query(question)
    assert embedder.encode_query(question) is first  # retrieval and the answer share one encode
    assert not first.flags.writeable  # a shared vector cannot be changed by one of its users
    assert float(first @ plain(embedder, [question])[0]) > 0.9999
    embedder.forget_queries()
    assert embedder.encode_query(question) is not first
