"""Reader for the "IMDB 5000 Movie Dataset" CSV (`movie_metadata.csv`).

One row per film with 28 columns (and a trailing empty one: every line ends with a comma). Quirks handled:

* titles end with U+00A0 (cleaned with `naming.clean_text`);
* `genres` and `plot_keywords` are `|`-separated;
* 120-odd films occur on more than one row: rows are merged by IMDb id (the first row wins, later rows only
  fill gaps);
* one row has an unquoted comma inside the title, which shifts every later column; such rows are repaired
  when the IMDb link turns up a few columns to the right, with a warning;
* a row cut short, a field the csv module cannot read, a row without a title: a warning with the line
  number, the row is skipped;
* copies of the file with semicolons, an added index column or reordered columns read the same (columns
  are found by name); a header without the required columns is an `InputError`.

Names are kept as the file gives them: Korean names are given-name-first here ("Joon-ho Bong"); the
resolver decides whether that is the same person as "Bong Joon-ho".
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections import defaultdict
from pathlib import Path

from filmgraph.errors import InputError
from filmgraph.extract import _tables
from filmgraph.extract.source import read_text_file
from filmgraph.link.naming import clean_text
from filmgraph.models import CastCredit, CatalogueRecord, FilmRecord

log = logging.getLogger(__name__)

__all__ = ["REQUIRED_COLUMNS", "imdb_id", "imdb_title_iri", "read_imdb5000"]

#: Columns without which a file is not this catalogue.
REQUIRED_COLUMNS = ("movie_title", "movie_imdb_link", "title_year", "director_name")

_TT = re.compile(r"\btt\d{7,8}\b")

#: Values in the language column that mean "no spoken language" (silent or wordless films).
_NO_LANGUAGE = {"none", "no language", "silent"}


def imdb_id(text: str) -> str | None:
    """The `tt` id in an IMDb link or string (`http://www.imdb.com/title/tt0468492/?ref_=...` -> `tt0468492`)."""
    m = _TT.search(text)
    return m.group(0) if m else None


def imdb_title_iri(tt: str) -> str:
    """The canonical IMDb IRI of a title id."""
    return f"https://www.imdb.com/title/{tt}/"


def language_tag(name: str) -> str | None:
    """BCP 47 tag for a language name (langcodes and the kept names), or None."""
    return _tables.language_tag(clean_text(name))


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name (pycountry and the kept names), or None."""
    return _tables.country_code(clean_text(name))


def _split(value: str) -> list[str]:
    out: list[str] = []
    for part in value.split("|"):
        part = clean_text(part)
        if part and part not in out:
            out.append(part)
    return out


def _int(value: str, low: int, high: int) -> int | None:
    try:
        number = int(float(value))
    except ValueError:
        return None
    return number if low <= number <= high else None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _merge(kept: FilmRecord, other: FilmRecord) -> None:
    """Fill the gaps of `kept` from a duplicate row of the same film."""
    for name in ("year", "release_date", "runtime_minutes", "content_rating"):
        if getattr(kept, name) is None and getattr(other, name) is not None:
            setattr(kept, name, getattr(other, name))
    for name in ("languages", "countries", "genres", "directors", "keywords", "identifiers"):
        values: list[str] = getattr(kept, name)
        values.extend(v for v in getattr(other, name) if v not in values)
    known = {c.actor for c in kept.cast}
    kept.cast.extend(c for c in other.cast if c.actor not in known)


class _Rows:
    """Turns the CSV rows into films, collecting warnings."""

    def __init__(self, header: list[str], source: str) -> None:
        self.header = header
        self.source = source
        self.col = {name: i for i, name in enumerate(header) if name}
        self.width = len(header)
        # Every line of the original file ends with a comma: a trailing unnamed column.
        self.trailing_empty = bool(header) and header[-1] == ""
        self.warnings: list[str] = []
        self.unknown_languages: dict[str, list[int]] = defaultdict(list)

    def get(self, row: list[str], name: str) -> str:
        i = self.col.get(name)
        if i is None or i >= len(row):
            return ""
        return row[i]

    def fix_shift(self, row: list[str], line: int) -> list[str] | None:
        """Repair a row whose title held unquoted commas; None when the row cannot be read."""
        link_i, title_i = self.col["movie_imdb_link"], self.col["movie_title"]
        if link_i < len(row) and imdb_id(row[link_i]):
            return row
        if title_i < link_i:
            for extra in (1, 2, 3):
                j = link_i + extra
                if j < len(row) and imdb_id(row[j]) and len(row) - extra >= self.width - self.trailing_empty:
                    joined = ",".join(row[title_i:title_i + extra + 1])
                    self.warnings.append(
                        f"line {line}: movie_title held {extra} unquoted comma(s); columns joined "
                        f"to {clean_text(joined)!r}")
                    return [*row[:title_i], joined, *row[title_i + extra + 1:]]
        return row

    def film(self, row: list[str], line: int) -> FilmRecord | None:
        minimum = self.width - 1 if self.trailing_empty else self.width
        if len(row) < minimum:
            self.warnings.append(f"line {line}: row cut short ({len(row)} of {minimum} fields); skipped")
            return None
        fixed = self.fix_shift(row, line)
        if fixed is None:
            return None
        row = fixed
        title = clean_text(self.get(row, "movie_title"))
        if not title:
            self.warnings.append(f"line {line}: no movie_title; skipped")
            return None
        film = FilmRecord(title=title)
        tt = imdb_id(self.get(row, "movie_imdb_link"))
        if tt:
            film.identifiers.append(imdb_title_iri(tt))
        else:
            self.warnings.append(f"line {line}: no IMDb id in movie_imdb_link for {title!r}")
        film.year = _int(self.get(row, "title_year"), 1870, 2100)
        if film.year is not None:
            film.release_date = str(film.year)
        film.runtime_minutes = _int(self.get(row, "duration"), 1, 2000)
        film.genres = _split(self.get(row, "genres"))
        film.keywords = _split(self.get(row, "plot_keywords"))
        director = clean_text(self.get(row, "director_name"))
        if director:
            film.directors.append(director)
        for column in ("actor_1_name", "actor_2_name", "actor_3_name"):
            actor = clean_text(self.get(row, column))
            if actor and all(c.actor != actor for c in film.cast):
                film.cast.append(CastCredit(actor=actor))
        language = clean_text(self.get(row, "language"))
        if language and language.lower() not in _NO_LANGUAGE:
            tag = language_tag(language)
            if tag:
                film.languages.append(tag)
            else:
                self.unknown_languages[language].append(line)
        country = clean_text(self.get(row, "country"))
        if country:
            film.countries.append(country_code(country) or country)
        rating = clean_text(self.get(row, "content_rating"))
        film.content_rating = rating or None
        return film


def read_imdb5000(path: str | Path) -> CatalogueRecord:
    """Read the IMDb 5000 CSV into a catalogue of films, one per IMDb id.

    Raises InputError (naming the file) when it is missing, empty, not UTF-8, or its header lacks
    `REQUIRED_COLUMNS`; rows that cannot be read become warnings with their line number.
    """
    source = str(path)
    text, digest = read_text_file(path)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    try:
        header = [clean_text(h).lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError(f"no CSV header could be read ({exc})", source=source) from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"not an IMDb 5000 CSV: header lacks required column(s) {', '.join(missing)} "
            f"(found: {', '.join(h for h in header if h) or 'none'})", source=source)
    rows = _Rows(header, source)
    films: dict[str, FilmRecord] = {}
    duplicates = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows.warnings.append(f"line {line}: unreadable CSV ({exc}); skipped")
            continue
        if not any(cell.strip() for cell in row):
            continue
        film = rows.film(row, line)
        if film is None:
            continue
        key = film.identifiers[0] if film.identifiers else f"{film.title.lower()}|{film.year}"
        if key in films:
            duplicates += 1
            _merge(films[key], film)
        else:
            films[key] = film
    for language, lines in sorted(rows.unknown_languages.items()):
        shown = ", ".join(str(n) for n in lines[:5]) + (" ..." if len(lines) > 5 else "")
        rows.warnings.append(f"language {language!r} has no BCP 47 tag in the tables (line {shown}); left out")
    if not films and not rows.warnings:
        raise InputError("has a header but no film rows", source=source)
    log.debug("%s: %d films, %d duplicate rows merged, %d warnings", source, len(films), duplicates,
              len(rows.warnings))
    return CatalogueRecord(source=source, name="imdb5000", films=list(films.values()), content_hash=digest,
                           warnings=rows.warnings)
