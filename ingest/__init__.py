"""Notes folder -> documents -> chunks with exact line spans."""

from ingest.chunker import chunk_document, infer_headings
from ingest.loaders import load_document, supported_suffixes
from ingest.model import Chunk, Document, Heading, IngestError
from ingest.scan import NoteFile, ScanProblem, file_digest, scan_folder

__all__ = ["Chunk", "Document", "Heading", "IngestError", "NoteFile", "ScanProblem", "chunk_document",
           "file_digest", "infer_headings", "load_document", "scan_folder", "supported_suffixes"]
