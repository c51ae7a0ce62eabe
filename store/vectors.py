"""The Chroma vector store: one collection per embedding model, embedded or client/server."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np


class StoreError(RuntimeError):
    """The vector store cannot be opened or used; the message names the fix."""


def make_client(chroma_dir: Path, chroma_url: str | None = None, chroma_token=None):
    """An embedded ``PersistentClient`` in ``chroma_dir``, or an ``HttpClient`` when ``chroma_url`` is set.

    ``chroma_token`` (a pydantic ``SecretStr``, from ``NOTEWISE_CHROMA_TOKEN``) is sent with every request to
    the server as ``Authorization: Bearer <token>``, through chromadb's own client auth settings."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if chroma_url:
        url = urlparse(chroma_url)
        if not url.hostname:
            raise StoreError(f"NOTEWISE_CHROMA_URL '{chroma_url}' is not a URL like http://127.0.0.1:8000")
        if chroma_token is not None:
            chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True,
                                             **_token_settings(chroma_token.get_secret_value()))
        try:
            return chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https",
                                       settings=chroma_settings)
        except Exception as exc:  # chromadb raises plain Exception/ValueError for connection problems
            if _refused_credentials(exc):
                told = ("refused the token in NOTEWISE_CHROMA_TOKEN" if chroma_token is not None
                        else "requires a token and NOTEWISE_CHROMA_TOKEN is not set")
                raise StoreError(f"The Chroma server at {chroma_url} {told} ({_first_line(exc)}). Set "
                                 "NOTEWISE_CHROMA_TOKEN to the token the server expects.") from None
            raise StoreError(f"Cannot reach the Chroma server at {chroma_url} ({exc}). Start it with "
                             "`chroma run --path DIR --host 127.0.0.1 --port PORT` or unset NOTEWISE_CHROMA_URL.") from exc
    chroma_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(chroma_dir), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(f"The vector store in {chroma_dir} cannot be opened ({exc}). Fix: delete that folder "
                         "and run `python cli.py ingest` to rebuild it.") from exc


def _token_settings(token: str) -> dict[str, str]:
    """chromadb's client settings that send ``token`` as a bearer token with each request."""
    if not token or not all(33 <= ord(c) < 127 for c in token):
        raise StoreError("NOTEWISE_CHROMA_TOKEN must be ASCII letters, digits and punctuation (no spaces).")
    return {"chroma_client_auth_provider": "chromadb.auth.token_authn.TokenAuthClientProvider",
            "chroma_client_auth_credentials": token, "chroma_auth_token_transport_header": "Authorization"}


def _refused_credentials(exc: Exception) -> bool:
    """An answer of 401/403 from the server (or the proxy in front of it)."""
    from chromadb.errors import AuthorizationError, ChromaAuthError

    text = str(exc)
    return isinstance(exc, AuthorizationError | ChromaAuthError) or any(
        marker in text for marker in ("401", "403", "Unauthorized", "Forbidden"))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def collection_name(model_name: str, namespace: str = "") -> str:
    """A valid Chroma collection name unique to (namespace, model); switching models switches collections."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", model_name.rsplit("/", 1)[-1]).strip("-")[:32] or "model"
    digest = hashlib.sha1(f"{namespace}\x1f{model_name}".encode()).hexdigest()[:8]
    return f"nw-{slug}-{digest}"


#: HNSW's search breadth. Chroma's default (100) is approximate for the few hundred neighbours a
#: question's line ranking asks for: the same question then got other passages from one process to the
#: next (a graph rebuilt from the log at load differs). 1,000 returns the same, exact-or-nearly, neighbours
#: every time on notes folders of ten thousand lines; bench/query_bench.py measures its cost.
SEARCH_EF = 1000


class VectorStore:
    """``add / query / delete / drop`` over one Chroma collection (cosine space, explicit embeddings)."""

    def __init__(self, client, model_name: str, namespace: str = "") -> None:
        self.client = client
        self.model_name = model_name
        self.name = collection_name(model_name, namespace)
        self._collection = None

    @property
    def collection(self):
        if self._collection is None:
            # No embedding function: every vector is computed by our Embedder (Chroma's default one
            # would try to download a model).
            collection = self.client.get_or_create_collection(
                self.name, embedding_function=None,
                metadata={"hnsw:space": "cosine", "model": self.model_name})
            hnsw = (getattr(collection, "configuration_json", None) or {}).get("hnsw") or {}
            if hnsw.get("ef_search", SEARCH_EF) < SEARCH_EF:  # a collection from before, or Chroma's default
                collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
            self._collection = collection
        return self._collection

    def check_dimension(self, dim: int) -> None:
        meta = self.collection.metadata or {}
        if meta.get("dim") not in (None, dim):
            raise StoreError(f"Collection {self.name} holds {meta['dim']}-d vectors but the model gives {dim}-d; "
                             "delete the data folder's index and re-ingest.")

    def ids(self) -> set[str]:
        result = self.collection.get(include=[])
        return set(result["ids"])

    def add(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict], documents: Sequence[str],
            batch: int = 2000) -> None:
        for i in range(0, len(ids), batch):
            self.collection.upsert(ids=list(ids[i:i + batch]), embeddings=vectors[i:i + batch],
                                   metadatas=list(metadatas[i:i + batch]), documents=list(documents[i:i + batch]))

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict], batch: int = 2000) -> None:
        for i in range(0, len(ids), batch):
            self.collection.update(ids=list(ids[i:i + batch]), metadatas=list(metadatas[i:i + batch]))

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(id, cosine similarity) best first; fewer when the collection holds fewer (none when empty).
        ``where``: only vectors whose metadata matches (Chroma's filter)."""
        result = self.collection.query(query_embeddings=[vector], n_results=n, include=["distances"],
                                       **({"where": where} if where else {}))
        return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        result = self.collection.get(ids=list(ids), include=["embeddings"])
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(result["ids"], result["embeddings"], strict=True)}

    def delete(self, ids: Sequence[str], batch: int = 2000) -> None:
        for i in range(0, len(ids), batch):
            self.collection.delete(ids=list(ids[i:i + batch]))

    def close(self) -> None:
        """Release the client; an embedded store's files are let go when its last client closes."""
        close = getattr(self.client, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):  # already closed, or a server that went away
                close()
        self._collection = None

    def drop(self) -> None:
        with contextlib.suppress(Exception):  # already gone
            self.client.delete_collection(self.name)
        self._collection = None
