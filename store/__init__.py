"""Chroma vectors + an SQLite FTS5 lexical index, kept in step with a notes folder by content hash."""

from store.catalog import Catalog, CatalogError, FileRecord
from store.index import FileStatus, IndexBusy, NoteIndex, SearchUnavailable, SyncCancelled, SyncReport
from store.vectors import StoreError, VectorStore, make_client

__all__ = ["Catalog", "CatalogError", "FileRecord", "FileStatus", "IndexBusy", "NoteIndex",
           "SearchUnavailable", "StoreError", "SyncCancelled", "SyncReport", "VectorStore", "make_client"]
