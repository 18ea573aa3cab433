"""Which reader an input needs: `text`, `html`, `jsonld`, `imdb5000`, `kmdb` or `movielens`.

Decided by file type and a look at the content (never the whole of a large file):

* a folder holding `movies.csv` and `links.csv` (or such a `movies.csv` itself) -> `movielens`;
* a `.csv`/`.tsv` whose header has `movie_imdb_link` -> `imdb5000`;
* a `.json` that is a list of objects with `titleEng` or `prodYear` -> `kmdb`;
* a `.jsonld`, or JSON with `@context` -> `jsonld` (schema.org markup without a page around it);
* `.html`/`.htm`/`.xhtml`, or text that starts like an HTML document -> `html`;
* `.txt`, `.text`, `.md`, `.markdown` or no suffix -> `text`.

Anything else is an `InputError` naming the file: a CSV or JSON file of another layout, an RDF file
(Turtle, N-Triples, N-Quads, TriG, RDF/XML: what `filmgraph export` writes, not a review), and a file of
another type (`.py`, `.pdf`), so that a folder's stray files are refused one by one rather than read as
reviews of films named after their first lines. Guessing would only move the failure further from its
cause; `--format` reads a file as the format named.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from filmgraph.errors import InputError
from filmgraph.extract.html import looks_like_html

__all__ = ["FORMATS", "detect_format"]

FORMATS = ("text", "html", "jsonld", "imdb5000", "kmdb", "movielens")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_CSV_SUFFIXES = {".csv", ".tsv"}
_JSONLD_SUFFIXES = {".jsonld", ".json-ld"}
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
_RDF_SUFFIXES = {".nq": "N-Quads", ".nquads": "N-Quads", ".nt": "N-Triples", ".ntriples": "N-Triples",
                 ".ttl": "Turtle", ".turtle": "Turtle", ".trig": "TriG", ".n3": "N3", ".rdf": "RDF/XML",
                 ".owl": "RDF/XML"}
_HEAD_BYTES = 65536
# the first statement of an RDF file: a Turtle/TriG/N3 directive, an N-Triples/N-Quads line, RDF/XML
_RDF_START = (
    ("Turtle", re.compile(r"^(?:@prefix\s|@base\s|prefix\s+[\w.-]*:\s*<|base\s+<)", re.I)),
    ("N-Triples or N-Quads", re.compile(r"^(?:<[A-Za-z][\w+.-]*:[^>\s]*>|_:\S+)\s*<[A-Za-z][\w+.-]*:[^>\s]*>"
                                        r"\s*(?:<|_:|\")")),
    ("RDF/XML", re.compile(r"^<\?xml[^>]*>\s*(?:<!--.*?-->\s*)*<rdf:RDF\b", re.S)),
)
_INPUTS = ("reviews as plain text (.txt, .text, .md or no suffix), HTML pages (.html, .htm, .xhtml), "
           "schema.org JSON-LD (.jsonld), and catalogues (IMDb 5000 .csv, KMDb .json, a MovieLens folder)")


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=str(path)) from exc
    return data.decode("utf-8-sig", errors="replace")


def _is_movielens_folder(folder: Path) -> bool:
    return (folder / "movies.csv").is_file() and (folder / "links.csv").is_file()


def _csv_format(path: Path) -> str:
    header = _head(path).lstrip().split("\n", 1)[0].lower()
    columns = {c.strip().strip('"') for c in header.replace(";", ",").replace("\t", ",").split(",")}
    if "movie_imdb_link" in columns:
        return "imdb5000"
    if path.name == "movies.csv" and {"movieid", "title"} <= columns and _is_movielens_folder(path.parent):
        return "movielens"
    if not header.strip():
        raise InputError("is empty: no CSV header to recognise", source=str(path))
    raise InputError(
        "unknown CSV layout: expected an IMDb 5000 header (with movie_imdb_link) or a MovieLens movies.csv "
        f"beside links.csv; the header is {header.strip()[:200]!r}", source=str(path))


def _rdf_kind(head: str) -> str | None:
    """The RDF syntax a text starts in, or None: comments and blank lines before the first statement skipped."""
    lines = (line.strip() for line in head.splitlines())
    first = next((line for line in lines if line and not line.startswith("#")), "")
    if first.startswith("<?xml"):
        first = head.lstrip()
    return next((kind for kind, start in _RDF_START if start.match(first)), None)


def _refuse_rdf(kind: str, path: Path) -> InputError:
    return InputError(f"is RDF ({kind}), not a review or a catalogue: filmgraph reads {_INPUTS}; RDF is what "
                      "`filmgraph export` writes", source=str(path))


def _is_jsonld(data: Any) -> bool:
    items = data if isinstance(data, list) else [data]
    return any(isinstance(item, dict) and ("@context" in item or "@graph" in item) for item in items[:20])


def _json_format(path: Path) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 (byte {exc.start})", source=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         source=str(path)) from exc
    films = [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
    if films and any("titleEng" in item or "prodYear" in item for item in films[:20]):
        return "kmdb"
    if _is_jsonld(data):
        return "jsonld"
    raise InputError("unknown JSON layout: expected a KMDb list of films (objects with titleEng/prodYear) "
                     "or schema.org JSON-LD (with @context)", source=str(path))


def detect_format(path: str | Path) -> str:
    """One of `FORMATS` for a file or folder; raises InputError for a missing input or an unknown layout."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file or folder", source=str(path))
    if p.is_dir():
        if _is_movielens_folder(p):
            return "movielens"
        raise InputError("a folder, but not a MovieLens one (needs movies.csv and links.csv)", source=str(path))
    suffix = p.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return _csv_format(p)
    if suffix == ".json":
        return _json_format(p)
    if suffix in _JSONLD_SUFFIXES:
        return "jsonld"
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _RDF_SUFFIXES:
        raise _refuse_rdf(_RDF_SUFFIXES[suffix], p)
    head = _head(p)
    if looks_like_html(head):
        return "html"
    if head.lstrip().startswith(("{", "[")) and '"@context"' in head:
        return "jsonld"
    kind = _rdf_kind(head)
    if kind is not None:
        raise _refuse_rdf(kind, p)
    if suffix not in _TEXT_SUFFIXES:
        raise InputError(f"unknown file type {suffix!r}: filmgraph reads {_INPUTS}; --format text reads it as "
                         "a plain-text review", source=str(path))
    return "text"
