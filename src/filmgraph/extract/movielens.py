"""Reader for MovieLens data sets (`ml-latest-small` and its relatives).

`movies.csv` (`movieId,title,genres`) joined with `links.csv` (`movieId,imdbId,tmdbId`); optionally
`ratings.csv` (`userId,movieId,rating,timestamp`) as one `ReviewRecord` per rating.

Titles carry the year and alternative titles in parentheses and move leading articles to the end:
`"Host, The (Gwoemul) (2006)"` is the film "The Host" of 2006, also known as "Gwoemul". The last
alternative title that is not marked `a.k.a.` (usually the original-language title) becomes
`original_title` (language unknown, so `original_title_lang` stays None); `a.k.a.` titles are English
alternatives and are not kept. A year range `(2007-)` (a TV series) gives its first year.

Raters are MovieLens user numbers; they become opaque pseudonymous authors `movielens-user-<userId>`.
Ratings are 0.5 to 5 in half stars (`Rating(value, best=5, worst=0.5)`), dated (UTC) from the timestamp.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from filmgraph.errors import InputError
from filmgraph.extract.imdb5000 import imdb_title_iri
from filmgraph.extract.source import read_text_file
from filmgraph.link.naming import clean_text
from filmgraph.models import CatalogueRecord, FilmRecord, Rating, ReviewRecord

log = logging.getLogger(__name__)

__all__ = [
    "ARTICLES",
    "MovieLensTitle",
    "format_movielens_title",
    "move_article_back",
    "move_article_front",
    "parse_movielens_title",
    "read_movielens",
    "read_movielens_films",
    "read_movielens_ratings",
    "tmdb_movie_iri",
]

#: Leading articles MovieLens moves to the end of a title (English, French, German, Spanish, Italian,
#: Portuguese, Dutch, Scandinavian). `L'` is written without a following space.
ARTICLES = (
    "The", "A", "An", "Les", "La", "Le", "L'", "Der", "Die", "Das", "Ein", "Eine", "El", "Los", "Las",
    "Un", "Una", "Une", "Il", "Lo", "I", "Gli", "O", "Os", "As", "De", "Het", "Den", "Det", "En", "Et",
)
_ARTICLE_END = re.compile(r"^(?P<rest>.+?),\s(?P<article>" + "|".join(re.escape(a) for a in ARTICLES) + r")$")
_ARTICLE_START = re.compile(
    r"^(?:(?P<apos>L')(?P<rest1>\S.*)|(?P<article>" + "|".join(re.escape(a) for a in ARTICLES if a != "L'")
    + r")\s(?P<rest2>\S.*))$")
_YEAR = re.compile(r"\s*\((?P<year>\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)$")
_GROUP = re.compile(r"\s*\((?P<alt>[^()]*)\)$")
_AKA = re.compile(r"^a\.?k\.?a\.?\s+", re.I)
NO_GENRES = "(no genres listed)"


def move_article_front(title: str) -> str:
    """`Host, The` -> `The Host`; `Avventura, L'` -> `L'Avventura`; other titles unchanged."""
    m = _ARTICLE_END.match(title)
    if not m:
        return title
    article = m.group("article")
    return f"{article}{m.group('rest')}" if article.endswith("'") else f"{article} {m.group('rest')}"


def move_article_back(title: str) -> str:
    """The inverse of `move_article_front`: `The Host` -> `Host, The`."""
    m = _ARTICLE_START.match(title)
    if not m:
        return title
    if m.group("apos"):
        return f"{m.group('rest1')}, {m.group('apos')}"
    return f"{m.group('rest2')}, {m.group('article')}"


@dataclass
class MovieLensTitle:
    """A MovieLens title taken apart: the title as published, the year, alternative titles in order."""

    title: str
    year: int | None = None
    alternates: list[str] = field(default_factory=list)

    @property
    def original_title(self) -> str | None:
        """The last alternative not marked a.k.a. (usually the original-language title)."""
        plain = [a for a in self.alternates if not _AKA.match(a)]
        return plain[-1] if plain else None


def parse_movielens_title(raw: str) -> MovieLensTitle:
    """`Host, The (Gwoemul) (2006)` -> MovieLensTitle("The Host", 2006, ["Gwoemul"])."""
    text = clean_text(raw)
    year = None
    m = _YEAR.search(text)
    if m and m.start() > 0:
        year = int(m.group("year"))
        text = text[:m.start()]
    alternates: list[str] = []
    while True:
        m = _GROUP.search(text)
        if not m or m.start() == 0 or not m.group("alt").strip():
            break
        alternates.insert(0, m.group("alt").strip())
        text = text[:m.start()]
    alternates = [f"a.k.a. {move_article_front(_AKA.sub('', a))}" if _AKA.match(a) else move_article_front(a)
                  for a in alternates]
    return MovieLensTitle(title=move_article_front(text.strip()), year=year, alternates=alternates)


def format_movielens_title(title: str, year: int | None = None, alternates: list[str] | None = None) -> str:
    """The inverse of `parse_movielens_title`: `("The Host", 2006, ["Gwoemul"])` -> `Host, The (Gwoemul) (2006)`."""
    parts = [move_article_back(title)]
    for alt in alternates or []:
        if _AKA.match(alt):
            parts.append(f"(a.k.a. {move_article_back(_AKA.sub('', alt))})")
        else:
            parts.append(f"({move_article_back(alt)})")
    if year is not None:
        parts.append(f"({year})")
    return " ".join(parts)


def tmdb_movie_iri(tmdb_id: str) -> str:
    return f"https://www.themoviedb.org/movie/{tmdb_id}"


def _read_large(path: Path) -> tuple[str, str]:
    """Like `read_text_file`, with a cheaper binary check for large CSV files (ratings.csv)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=str(path)) from exc
    if not data.strip():
        raise InputError("is empty", source=str(path))
    if b"\x00" in data:
        raise InputError("is a binary file (NUL byte)", source=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 (byte {exc.start})", source=str(path)) from exc
    return text, hashlib.sha256(data).hexdigest()


def _csv_rows(path: Path, required: tuple[str, ...]) -> tuple[csv.DictReader[str], str, list[str]]:
    text, digest = _read_large(path) if path.stat().st_size > 1_000_000 else read_text_file(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"not a MovieLens {path.name}: header lacks required column(s) {', '.join(missing)} "
                         f"(found: {', '.join(header) or 'none'})", source=str(path))
    return reader, digest, header


def _locate(folder_or_movies_csv: str | Path) -> Path:
    path = Path(folder_or_movies_csv)
    folder = path if path.is_dir() else path.parent
    if not path.exists():
        raise InputError("no such file or folder", source=str(path))
    if not (folder / "movies.csv").is_file():
        raise InputError("not a MovieLens folder: no movies.csv", source=str(folder))
    return folder


def _links(folder: Path, warnings: list[str]) -> tuple[dict[str, tuple[str, str]], str]:
    path = folder / "links.csv"
    if not path.is_file():
        warnings.append(f"{path}: missing; films have no IMDb or TMDb ids")
        return {}, ""
    reader, digest, _ = _csv_rows(path, ("movieId", "imdbId", "tmdbId"))
    links: dict[str, tuple[str, str]] = {}
    for row in reader:
        movie_id = (row.get("movieId") or "").strip()
        if not movie_id:
            warnings.append(f"{path.name} line {reader.line_num}: no movieId; skipped")
            continue
        links[movie_id] = ((row.get("imdbId") or "").strip(), (row.get("tmdbId") or "").strip())
    return links, digest


def _film(row: dict[str, str], link: tuple[str, str] | None) -> FilmRecord | None:
    parsed = parse_movielens_title(row.get("title") or "")
    if not parsed.title:
        return None
    film = FilmRecord(title=parsed.title, year=parsed.year,
                      release_date=str(parsed.year) if parsed.year else None,
                      original_title=parsed.original_title)
    genres = (row.get("genres") or "").strip()
    if genres and genres != NO_GENRES:
        film.genres = [g for g in (clean_text(x) for x in genres.split("|")) if g]
    if link:
        imdb, tmdb = link
        if imdb.isdigit():
            film.identifiers.append(imdb_title_iri(f"tt{int(imdb):07d}"))
        tmdb = tmdb.split(".")[0]
        if tmdb.isdigit():
            film.identifiers.append(tmdb_movie_iri(str(int(tmdb))))
    return film


def _films(folder: Path, warnings: list[str]) -> tuple[dict[str, FilmRecord], str]:
    links, links_digest = _links(folder, warnings)
    path = folder / "movies.csv"
    reader, digest, _ = _csv_rows(path, ("movieId", "title"))
    films: dict[str, FilmRecord] = {}
    for row in reader:
        movie_id = (row.get("movieId") or "").strip()
        film = _film(row, links.get(movie_id)) if movie_id else None
        if film is None:
            warnings.append(f"{path.name} line {reader.line_num}: no movieId or title; skipped")
            continue
        if movie_id in films:
            warnings.append(f"{path.name} line {reader.line_num}: movieId {movie_id} repeated; kept the first")
            continue
        films[movie_id] = film
    return films, hashlib.sha256(f"{digest}{links_digest}".encode()).hexdigest()


def read_movielens_films(folder: str | Path, warnings: list[str] | None = None) -> tuple[dict[str, FilmRecord], str]:
    """The catalogue's films keyed by MovieLens movieId, and the catalogue's content hash."""
    return _films(_locate(folder), warnings if warnings is not None else [])


def read_movielens_ratings(folder: str | Path, films: dict[str, FilmRecord] | None = None,
                           warnings: list[str] | None = None) -> list[ReviewRecord]:
    """One ReviewRecord per line of `ratings.csv`, its `film` the catalogue's own FilmRecord object.

    `films` maps MovieLens movieIds to films (read from the folder when not given); ratings of unknown
    films and unreadable lines are counted into `warnings`.
    """
    base = _locate(folder)
    notes = warnings if warnings is not None else []
    if films is None:
        films, _ = _films(base, notes)
    path = base / "ratings.csv"
    if not path.is_file():
        raise InputError("no ratings.csv in the MovieLens folder", source=str(base))
    dict_reader, _, header = _csv_rows(path, ("userId", "movieId", "rating", "timestamp"))
    reader = dict_reader.reader  # plain rows by column index: about twice as fast as dicts
    user_i, movie_i, rating_i, time_i = (header.index(c) for c in ("userId", "movieId", "rating", "timestamp"))
    width = max(user_i, movie_i, rating_i, time_i) + 1
    source = str(path)
    dates: dict[int, str] = {}
    reviews: list[ReviewRecord] = []
    unknown_films = 0
    bad_lines: list[int] = []
    append = reviews.append
    # 100k small objects set off many full garbage collections that find nothing to free: pause them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for row in reader:
            if len(row) < width:
                if any(cell.strip() for cell in row):
                    bad_lines.append(reader.line_num)
                continue
            film = films.get(row[movie_i])
            if film is None:
                unknown_films += 1
                continue
            try:
                value = float(row[rating_i])
                timestamp = int(float(row[time_i]))
            except ValueError:
                bad_lines.append(reader.line_num)
                continue
            if not 0.5 <= value <= 5.0:
                bad_lines.append(reader.line_num)
                continue
            day = timestamp // 86400
            date = dates.get(day)
            if date is None:
                date = dates[day] = datetime.fromtimestamp(day * 86400, tz=timezone.utc).strftime("%Y-%m-%d")
            append(ReviewRecord(source=source, film=film, author=f"movielens-user-{row[user_i].strip()}",
                                rating=Rating(value, 5.0, 0.5), date_published=date))
    finally:
        if gc_was_enabled:
            gc.enable()
    if unknown_films:
        notes.append(f"{path.name}: {unknown_films} rating(s) of films not in movies.csv; skipped")
    if bad_lines:
        shown = ", ".join(str(n) for n in bad_lines[:5]) + (" ..." if len(bad_lines) > 5 else "")
        notes.append(f"{path.name}: {len(bad_lines)} unreadable rating line(s) (line {shown}); skipped")
    return reviews


def read_movielens(folder_or_movies_csv: str | Path, *, include_ratings: bool = False) -> CatalogueRecord:
    """Read a MovieLens folder (or its movies.csv) into a catalogue; ratings too when asked.

    Raises InputError naming the file when movies.csv is missing, empty or lacks its columns.
    """
    folder = _locate(folder_or_movies_csv)
    warnings: list[str] = []
    films, digest = _films(folder, warnings)
    catalogue = CatalogueRecord(source=str(folder), name="movielens", films=list(films.values()),
                                content_hash=digest, warnings=warnings)
    if include_ratings:
        catalogue.reviews = read_movielens_ratings(folder, films, warnings)
    log.debug("%s: %d films, %d ratings", folder, len(catalogue.films), len(catalogue.reviews))
    return catalogue
