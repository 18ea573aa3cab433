"""Ingestion: each input read -> linked -> built -> validated -> stored, whole or not at all."""

from .outcome import IngestOutcome
from .pipeline import FORMATS, Ingestor, expand_paths

__all__ = ["FORMATS", "IngestOutcome", "Ingestor", "expand_paths"]
