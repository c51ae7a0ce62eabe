"""Question (+ conversation) -> ranked passages."""

from retrieval.followup import contextualize, is_followup, leans_on_history
from retrieval.search import Hit, Retriever, SearchResult

__all__ = ["Hit", "Retriever", "SearchResult", "contextualize", "is_followup", "leans_on_history"]
