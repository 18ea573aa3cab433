"""The plain-text review reader's entry point (the reading itself is in `reader`)."""

from __future__ import annotations

from filmgraph.extract.page import normalise_text
from filmgraph.extract.reader import parse_review_text

__all__ = ["normalise_text", "parse_review_text"]
