"""Which reader an input needs: `text`, `html`, `imdb5000`, `kmdb` or `movielens`.

Decided by file type and a look at the content (never the whole of a large file):

* a folder holding `movies.csv` and `links.csv` (or such a `movies.csv` itself) -> `movielens`;
* a `.csv`/`.tsv` whose header has `movie_imdb_link` -> `imdb5000`;
* a `.json` that is a list of objects with `titleEng` or `prodYear` -> `kmdb`;
* `.html`/`.htm`/`.xhtml`, or text that starts like an HTML document -> `html`;
* anything else -> `text`.

A CSV or JSON file of another layout is an `InputError` naming the file: guessing would only move the
failure further from its cause.
"""

from __future__ import annotations

import json
from pathlib import Path

from filmgraph.errors import InputError
from filmgraph.extract.html import looks_like_html

__all__ = ["FORMATS", "detect_format"]

FORMATS = ("text", "html", "imdb5000", "kmdb", "movielens")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_CSV_SUFFIXES = {".csv", ".tsv"}
_HEAD_BYTES = 65536


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
    raise InputError("unknown JSON layout: expected a KMDb list of films (objects with titleEng/prodYear)",
                     source=str(path))


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
    if suffix in _HTML_SUFFIXES:
        return "html"
    return "html" if looks_like_html(_head(p)) else "text"
