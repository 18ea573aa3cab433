"""Readers: each turns one kind of input into records (plain dataclasses, no rdflib)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..models import Evidence, ReviewRecord
from .source import read_text_file
from .text import parse_review_text

__all__ = ["explain_file", "read_review_file", "read_text_file"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def read_review_file(path: str | Path, *, is_known_person: Callable[[str], bool] | None = None
                     ) -> tuple[ReviewRecord, str]:
    """Read one review file into a record; returns the record and the text it was read from."""
    text, digest = read_text_file(path)
    record = parse_review_text(text, str(path), is_known_person=is_known_person, content_hash=digest)
    return record, text


def explain_file(path: str | Path) -> list[Evidence]:
    """Every fact the reader takes from one review file, with its line and the cue that produced it."""
    from .detect import detect_format
    from .html import read_html

    if detect_format(Path(path)) == "html":
        return read_html(Path(path), str(path)).evidence
    record, _ = read_review_file(path)
    return record.evidence
