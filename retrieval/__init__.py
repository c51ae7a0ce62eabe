"""Question (+ conversation) -> ranked passages."""

from retrieval.followup import leans_on_history
from retrieval.search import Hit, Retriever, SearchResult

__all__ = ["Hit", "Retriever", "SearchResult", "leans_on_history"]
