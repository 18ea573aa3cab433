"""Exceptions that own their exit code (CLI) and HTTP status (service).

Every message names the input and the rule that failed, so a person can act on it.
"""

from __future__ import annotations


class FilmgraphError(Exception):
    """Base class: a problem the user can fix, with a CLI exit code and an HTTP status."""

    exit_code: int = 1
    http_status: int = 400

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)

    @property
    def message(self) -> str:
        return str(self)


class InputError(FilmgraphError):
    """An input file or text cannot be read (missing, empty, binary, wrong encoding)."""

    exit_code = 2


class ExtractionError(FilmgraphError):
    """The input was read but does not review or describe a film we can identify."""

    exit_code = 3
    http_status = 422


class ValidationFailed(FilmgraphError):
    """SHACL validation refused the data; nothing was written."""

    exit_code = 4
    http_status = 422

    def __init__(self, message: str, *, source: str | None = None, report: str = "") -> None:
        self.report = report
        super().__init__(message, source=source)


class StoreError(FilmgraphError):
    """The store cannot be opened, is locked, or refused a write."""

    exit_code = 5
    http_status = 503


class StoreLocked(StoreError):
    """Another process holds the embedded store."""


class NotFound(FilmgraphError):
    """A film, person, review or named query that is not there."""

    exit_code = 6
    http_status = 404


class AmbiguousReference(FilmgraphError):
    """A title that names more than one film; `candidates` lists them."""

    exit_code = 7
    http_status = 409

    def __init__(self, message: str, *, candidates: list[dict[str, str]], source: str | None = None) -> None:
        self.candidates = candidates
        super().__init__(message, source=source)


class QueryError(FilmgraphError):
    """A SPARQL query that does not parse, is refused, or exceeds a limit."""

    exit_code = 8
    http_status = 400
