"""Chroma vectors + an SQLite FTS5 lexical index for one notes folder, and the reads search makes of them."""

from store.catalog import Catalog, CatalogError, FileRecord
from store.index import IndexBusy, NoteIndex, SearchUnavailable
from store.vectors import StoreError, VectorStore, make_client

__all__ = ["Catalog", "CatalogError", "FileRecord", "IndexBusy", "NoteIndex", "SearchUnavailable", "StoreError",
           "VectorStore", "make_client"]
