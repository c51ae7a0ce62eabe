"""The index's first step: read the notes that changed, embed their new chunks and commit them to the store
(``indexing.sync``), again whenever the folder changes (``indexing.watch``). ``service.indexing`` runs it,
then the second step (``lines``)."""

from indexing.report import FileStatus, SyncCancelled, SyncReport
from indexing.sync import sync_index

__all__ = ["FileStatus", "SyncCancelled", "SyncReport", "sync_index"]
