"""Ingestion: each input read -> linked -> built -> validated -> stored, whole or not at all."""

from .pipeline import FORMATS, Ingestor, IngestOutcome, expand_paths

__all__ = ["FORMATS", "IngestOutcome", "Ingestor", "expand_paths"]
