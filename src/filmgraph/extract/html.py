"""Reader for web pages: schema.org markup (JSON-LD, microdata, RDFa), with the visible text as a fallback.

JSON-LD blocks are parsed here, leniently (`jsonld_repair`), so that one broken block does not hide the
others; microdata and RDFa come from extruct (`uniform=True`). All three are normalised to one shape, a
*node*: a dict with `@type` (a list of schema.org local names), `@id` and each property as a list of values
(strings, numbers or nodes). `@id` references are resolved within the page.

The page's film is, in order: the `itemReviewed` of the page's Review; the first named Movie that is not
nested inside another Movie; any named Movie. A Review nested under a Movie (`"review": {...}`) counts when
the page has no review of its own. Only a Review's own `reviewRating` becomes the rating (never an
`aggregateRating`). Other named Movies on the page become `mentions`.

Messy markup handled: `@graph` arrays, `@id` references, strings where objects are expected
(`"director": "Rob Marshall"`), numbers as strings, durations in minutes (`"137"`, `"137 min"`) or ISO 8601
(`PT2H17M`), dates in several forms, `http`/`https`/`schema:` spellings of the vocabulary, relative IMDb
links, and JSON that does not parse (repaired where possible, else reported in `warnings`).

When the markup is missing or thin (no named film; or no review and no credits), the visible text goes
through the plain-text reader and the two are merged: markup wins, text fills gaps.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from filmgraph.errors import ExtractionError, FilmgraphError, InputError
from filmgraph.extract.imdb5000 import country_code, imdb_title_iri, language_tag
from filmgraph.extract.jsonld_repair import parse_jsonld
from filmgraph.extract.source import read_text_file
from filmgraph.extract.values import script_language
from filmgraph.link.naming import clean_text, match_key
from filmgraph.models import CastCredit, FilmRecord, Rating, ReviewRecord

log = logging.getLogger(__name__)

__all__ = ["find_nodes", "normalise_date", "parse_duration", "read_html", "read_jsonld"]

Node = dict[str, Any]

_SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "http://www.schema.org/",
                    "https://www.schema.org/", "schema:")
_FILM_TYPES = {"Movie"}
_SERIES_TYPES = {"MovieSeries", "CreativeWorkSeries"}
_NEUTRAL_ITEM_TYPES = {"Movie", "CreativeWork", "Thing", "VideoObject", "MediaObject"}
_PERSON_TYPES = {"Person"}
_ORG_TYPES = {"Organization", "NewsMediaOrganization", "Corporation", "OnlineBusiness"}
_JSONLD_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?\s*application/(?:ld\+json|json\+ld)[^>]*>(?P<body>.*?)</script\s*>",
    re.I | re.S)
_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>(?:18|19|20)\d{2})\)$")
_BCP47 = re.compile(r"^[a-zA-Z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_IMDB_TITLE = re.compile(r"(?:imdb\.com)?/title/(?P<id>tt\d{7,8})\b")
_IMDB_NAME = re.compile(r"(?:imdb\.com)?/name/(?P<id>nm\d{7,8})\b")
_WIKIDATA = re.compile(r"wikidata\.org/(?:wiki|entity)/(?P<id>Q\d+)\b")
_EIDR = re.compile(r"^(?:https?://doi\.org/)?(?P<id>10\.5240/[0-9A-Z-]+)$", re.I)
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.I | re.S)


# ---------------------------------------------------------------------------------------------- values

def _local(term: str) -> str:
    for prefix in _SCHEMA_PREFIXES:
        if term.startswith(prefix):
            return term[len(prefix):]
    return term


_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$", re.I)
_HUMAN_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hours?)\.?)?\s*(?:(?P<m>\d+)\s*(?:m|min|mins|minutes?)?\.?)?$", re.I)


def parse_duration(value: Any) -> int | None:
    """Minutes from `PT2H17M`, `P0DT2H17M0S`, `137`, `"137 min"`, `2h 17m`, `2 hours 17 minutes`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return round(value) if value > 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    m = _ISO_DURATION.match(text)
    if m and any(m.groupdict().values()):
        minutes = (float(m.group("d") or 0) * 1440 + float(m.group("h") or 0) * 60 + float(m.group("m") or 0)
                   + float(m.group("s") or 0) / 60)
        return round(minutes) or None
    m = _HUMAN_DURATION.match(text)
    if m and (m.group("h") or m.group("m")):
        minutes = float(m.group("h") or 0) * 60 + int(m.group("m") or 0)
        return round(minutes) or None
    return None


_MONTHS = {name: i + 1 for i, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_ISO_DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?(?:[T ].*)?$")
_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_MONTH_FIRST = re.compile(r"^(?P<mon>[A-Za-z]{3,9})\.?\s+(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+)?(?P<y>\d{4})")
_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})")
_SLASHED = re.compile(r"^(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})$")


def _date(year: int, month: int | None, day: int | None) -> str | None:
    if not 1800 <= year <= 2200:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None


def normalise_date(value: Any) -> str | None:
    """`2006-07-27T10:00:00Z`, `2006-07`, `20060727`, `July 27, 2006`, `27 Jul 2006`, `2006/07/27` -> ISO,
    as precise as given. Ambiguous forms such as `07/08/2006` are refused (None)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _date(value, None, None)
    if not isinstance(value, str):
        return None
    text = clean_text(value)
    for pattern in (_ISO_DATE, _COMPACT_DATE, _SLASHED):
        m = pattern.match(text)
        if m:
            return _date(int(m.group("y")), int(m.group("m")) if m.group("m") else None,
                         int(m.group("d")) if m.group("d") else None)
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        m = pattern.match(text)
        if m:
            month = _MONTHS.get(m.group("mon")[:3].lower())
            if month is None:
                continue
            return _date(int(m.group("y")), month, int(m.group("d")) if m.group("d") else None)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        m = re.search(r"-?\d+(?:[.,]\d+)?", value)
        if m:
            return float(m.group(0).replace(",", "."))
    return None


# ----------------------------------------------------------------------------------------------- nodes

class _Document:
    """All schema.org nodes of one page, normalised, with `@id` references resolvable."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.index: dict[str, Node] = {}
        self.parents: dict[int, list[tuple[Node, str]]] = {}

    def add(self, data: Any) -> None:
        """Add what one JSON-LD block, or one syntax of extruct's output, holds."""
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and "@graph" in item:
                self.add(item["@graph"])
                if any(not k.startswith("@") for k in item):
                    self._node(item)
            elif isinstance(item, dict):
                self._node(item)

    def _value(self, value: Any) -> Any:
        if isinstance(value, dict):
            if "@value" in value:
                return value["@value"]
            if "@graph" in value:
                self.add(value["@graph"])
                return None
            return self._node(value)
        if isinstance(value, str):
            return value.strip()
        return value

    def _node(self, data: dict[str, Any]) -> Node:
        types = data.get("@type") or []
        node: Node = {"@type": [_local(t) for t in (types if isinstance(types, list) else [types])
                                if isinstance(t, str)]}
        node_id = data.get("@id")
        node["@id"] = node_id if isinstance(node_id, str) else None
        for key, raw in data.items():
            if key.startswith("@") or not isinstance(key, str):
                continue
            values = [self._value(v) for v in (raw if isinstance(raw, list) else [raw])]
            node[_local(key)] = [v for v in values if v not in (None, "")]
        is_reference = len(node) == 2 and not node["@type"]
        if node["@id"] and not is_reference:
            kept = self.index.get(node["@id"])
            if kept is None:
                self.index[node["@id"]] = node
            else:  # the same node described twice: merge
                for key, values in node.items():
                    if key == "@type":
                        kept["@type"].extend(t for t in values if t not in kept["@type"])
                    elif not key.startswith("@"):
                        kept.setdefault(key, []).extend(v for v in values if v not in kept.get(key, []))
                return kept
        if not is_reference:
            self.nodes.append(node)
        return node

    def resolve(self, value: Any) -> Any:
        """A reference `{"@id": x}` (or a bare string id known in the page) becomes its node."""
        if isinstance(value, dict) and value.get("@id") and len(value) <= 2 and not value.get("@type"):
            return self.index.get(value["@id"], value)
        if isinstance(value, str) and value in self.index:
            return self.index[value]
        return value

    def link_parents(self) -> None:
        for node in self.nodes:
            for key, values in node.items():
                if key.startswith("@"):
                    continue
                for value in values:
                    child = self.resolve(value)
                    if isinstance(child, dict):
                        self.parents.setdefault(id(child), []).append((node, key))

    def values(self, node: Node, *keys: str) -> Iterator[Any]:
        for key in keys:
            for value in node.get(key, []):
                yield self.resolve(value)

    def text(self, node: Node, *keys: str) -> str | None:
        for value in self.values(node, *keys):
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                text = clean_text(str(value))
                if text:
                    return text
            if isinstance(value, dict):
                name = self.text(value, "name")
                if name:
                    return name
        return None

    def parent_keys(self, node: Node) -> list[tuple[Node, str]]:
        return self.parents.get(id(node), [])


def _is(node: Any, types: set[str]) -> bool:
    return isinstance(node, dict) and any(t in types for t in node.get("@type", []))


def _is_review(node: Any) -> bool:
    return isinstance(node, dict) and any(t.endswith("Review") for t in node.get("@type", []))


def find_nodes(html: str, *, base_url: str | None = None) -> tuple[list[Node], list[str]]:
    """Every schema.org node of a page (normalised) and warnings about markup that could not be read."""
    doc, warnings = _document(html, base_url)
    return doc.nodes, warnings


def _document(html: str, base_url: str | None) -> tuple[_Document, list[str]]:
    doc = _Document()
    warnings: list[str] = []
    for number, m in enumerate(_JSONLD_SCRIPT.finditer(html), start=1):
        body = m.group("body")
        if not body.strip():
            continue
        value, notes = parse_jsonld(body)
        for note in notes:
            warnings.append(f"JSON-LD block {number}: {note}")
        if value is not None:
            doc.add(value)
    try:
        import extruct
    except ImportError:  # pragma: no cover - extruct is a dependency
        warnings.append("extruct is not installed: microdata and RDFa were not read")
        return doc, warnings
    # lxml refuses a str that declares its encoding; the text is decoded already.
    markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    for syntax in ("microdata", "rdfa"):
        try:
            data = extruct.extract(markup, base_url=base_url, syntaxes=[syntax], uniform=True)
        except Exception as exc:  # extruct raises many kinds of parser errors
            warnings.append(f"{syntax}: could not be read ({type(exc).__name__}: {exc})")
            continue
        doc.add(data.get(syntax, []))
    doc.link_parents()
    return doc, warnings


# ----------------------------------------------------------------------------------------------- films

def _absolute(value: str, base_url: str | None) -> str:
    if base_url and not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I):
        return urljoin(base_url, value)
    return value


def _iri(value: Any) -> str | None:
    """A link as a string: a plain string, or the `@id` of a reference (RDFa and microdata links)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict) and isinstance(value.get("@id"), str) and not value["@id"].startswith("_:"):
        return str(value["@id"])
    return None


def _is_authority(iri: str) -> bool:
    return re.match(r"^https?://(?:[a-z]+\.)?(?:imdb\.com|wikidata\.org|themoviedb\.org|doi\.org|kmdb\.or\.kr)/",
                    iri) is not None


def _film_identifier(value: str, base_url: str | None) -> str | None:
    m = _IMDB_TITLE.search(value)
    if m and ("imdb.com" in value or value.startswith("/title/")):
        return imdb_title_iri(m.group("id"))
    m = _WIKIDATA.search(value)
    if m:
        return f"http://www.wikidata.org/entity/{m.group('id')}"
    m = _EIDR.match(value)
    if m:
        return f"https://doi.org/{m.group('id').upper()}"
    value = _absolute(value, base_url)
    if value.startswith("www."):
        value = "https://" + value
    return value if re.match(r"^https?://[^/\s]+\.[^/\s]+", value) else None


def _person_identifier(value: str, base_url: str | None) -> str | None:
    m = _IMDB_NAME.search(value)
    if m and ("imdb.com" in value or value.startswith("/name/")):
        return f"https://www.imdb.com/name/{m.group('id')}/"
    m = _WIKIDATA.search(value)
    if m:
        return f"http://www.wikidata.org/entity/{m.group('id')}"
    value = _absolute(value, base_url)
    return value if re.match(r"^https?://", value) and not value.startswith(base_url or "\0") else None


def _add_unique(target: list[str], value: str | None) -> None:
    if value and value not in target:
        target.append(value)


class _FilmReader:
    def __init__(self, doc: _Document, base_url: str | None, warnings: list[str]) -> None:
        self.doc = doc
        self.base_url = base_url
        self.warnings = warnings

    def person(self, film: FilmRecord, value: Any, *, organisations: bool = False) -> str | None:
        """The name of a person (node or string); records their identifiers and other spellings."""
        value = self.doc.resolve(value)
        if isinstance(value, str):
            return clean_text(value) or None
        if not isinstance(value, dict):
            return None
        if _is(value, _ORG_TYPES) and not organisations:
            return None
        name = self.doc.text(value, "name")
        if not name:
            given, family = self.doc.text(value, "givenName"), self.doc.text(value, "familyName")
            name = " ".join(p for p in (given, family) if p) or None
        if not name:
            return None
        for key in ("@id", "url", "sameAs"):
            refs = [value.get("@id")] if key == "@id" else list(self.doc.values(value, key))
            for ref in refs:
                link = _iri(ref)
                iri = _person_identifier(link, self.base_url) if link else None
                if iri and (key == "sameAs" or _is_authority(iri)):
                    _add_unique(film.person_identifiers.setdefault(name, []), iri)
        for alias in self.doc.values(value, "alternateName"):
            if isinstance(alias, str) and clean_text(alias) and clean_text(alias) != name:
                _add_unique(film.person_aliases.setdefault(name, []), clean_text(alias))
        return name

    def credits(self, film: FilmRecord, node: Node) -> None:
        for value in self.doc.values(node, "director", "directors"):
            _add_unique(film.directors, self.person(film, value))
        for value in self.doc.values(node, "author", "creator"):
            _add_unique(film.writers, self.person(film, value))
        for value in self.doc.values(node, "actor", "actors"):
            if _is(value, {"PerformanceRole", "Role"}):
                character = self.doc.text(value, "characterName", "roleName")
                for actor in self.doc.values(value, "actor", "actors", "performer"):
                    self.credit(film, self.person(film, actor), character)
            else:
                self.credit(film, self.person(film, value), None)

    @staticmethod
    def credit(film: FilmRecord, actor: str | None, character: str | None) -> None:
        if not actor:
            return
        for credit in film.cast:
            if credit.actor == actor and (credit.character in (None, character)):
                credit.character = credit.character or character
                return
        film.cast.append(CastCredit(actor=actor, character=character))

    def film(self, node: Node) -> FilmRecord | None:
        doc = self.doc
        title = doc.text(node, "name", "headline", "alternativeHeadline")
        if not title:
            return None
        film = FilmRecord(title=title)
        m = _TITLE_YEAR.match(title)
        if m:
            film.title, film.year = m.group("title"), int(m.group("year"))
        for value in doc.values(node, "datePublished", "dateCreated", "copyrightYear", "releasedEvent"):
            if isinstance(value, dict):
                value = doc.text(value, "startDate")
            date = normalise_date(value)
            if date:
                film.release_date, film.year = date, int(date[:4])
                break
        if film.release_date is None and film.year is not None:
            film.release_date = str(film.year)
        for value in doc.values(node, "alternateName", "alternativeHeadline"):
            alt = clean_text(value) if isinstance(value, str) else None
            if alt and alt != film.title:
                lang = script_language(alt)
                if film.original_title is None or (lang and film.original_title_lang is None):
                    film.original_title, film.original_title_lang = alt, lang
        for value in doc.values(node, "inLanguage"):
            name = doc.text(value, "alternateName") if isinstance(value, dict) else None
            name = name or (doc.text(value, "name") if isinstance(value, dict) else value)
            if isinstance(name, str):
                tag = language_tag(name) or (name if _BCP47.match(name.strip()) else None)
                _add_unique(film.languages, tag.strip().lower() if tag and "-" not in tag else tag)
        for value in doc.values(node, "countryOfOrigin", "countriesOfOrigin"):
            name = doc.text(value, "name", "identifier") if isinstance(value, dict) else value
            if isinstance(name, str) and clean_text(name):
                _add_unique(film.countries, country_code(name) or clean_text(name))
        for value in doc.values(node, "duration", "timeRequired"):
            minutes = parse_duration(value)
            if minutes:
                film.runtime_minutes = minutes
                break
        for value in doc.values(node, "genre"):
            label = doc.text(value, "name") if isinstance(value, dict) else value
            if isinstance(label, str):
                for part in label.split(",") if not label.startswith("http") else [label.rstrip("/").rsplit("/")[-1]]:
                    _add_unique(film.genres, clean_text(part))
        rating = doc.values(node, "contentRating")
        for value in rating:
            text = doc.text(value, "ratingValue", "name") if isinstance(value, dict) else value
            if isinstance(text, (str, int)) and clean_text(str(text)):
                film.content_rating = clean_text(str(text))
                break
        self.credits(film, node)
        for value in doc.values(node, "isPartOf", "partOfSeries"):
            if isinstance(value, str) and not value.startswith("http"):
                film.franchise = clean_text(value)
            elif isinstance(value, dict) and (_is(value, _SERIES_TYPES) or not value["@type"]):
                film.franchise = doc.text(value, "name")
            if film.franchise:
                break
        for value in doc.values(node, "keywords"):
            if isinstance(value, str):
                for part in value.split(","):
                    _add_unique(film.keywords, clean_text(part))
        film.description = doc.text(node, "description", "abstract")
        # sameAs states identity; an @id or url counts only when it is an authority's (IMDb, Wikidata ...).
        for key in ("@id", "url", "sameAs", "titleEIDR"):
            refs = [node.get("@id")] if key == "@id" else list(doc.values(node, key))
            for ref in refs:
                link = _iri(ref)
                iri = _film_identifier(link, self.base_url) if link else None
                if iri and (key in ("sameAs", "titleEIDR") or _is_authority(iri)):
                    _add_unique(film.identifiers, iri)
        for work in doc.values(node, "exampleOfWork"):
            # The work this edition is an example of is the same film for linking purposes.
            if isinstance(work, dict) and doc.text(work, "name") in (None, film.title):
                for value in doc.values(work, "sameAs", "titleEIDR"):
                    link = _iri(value)
                    _add_unique(film.identifiers, _film_identifier(link, self.base_url) if link else None)
        return film


# ---------------------------------------------------------------------------------------------- review

def _pick(doc: _Document, warnings: list[str]) -> tuple[Node | None, Node | None]:
    """(review node, film node) of the page."""
    reviews = [n for n in doc.nodes if _is_review(n)]
    own = [r for r in reviews if not any(_is(p, _FILM_TYPES) and k == "review" for p, k in doc.parent_keys(r))]
    candidates = own or reviews
    review: Node | None = None
    film: Node | None = None
    for candidate in candidates:
        item = next(iter(doc.values(candidate, "itemReviewed")), None)
        if isinstance(item, str) and clean_text(item):
            item = {"@type": [], "@id": None, "name": [item]}
        if not isinstance(item, dict) or not doc.text(item, "name"):
            # A nested review without itemReviewed reviews the film that holds it.
            holder = next((p for p, k in doc.parent_keys(candidate) if k == "review" and _is(p, _FILM_TYPES)), None)
            if holder is None:
                continue
            item = holder
        review, film = candidate, item
        break
    if review is not None and len(candidates) > 1:
        warnings.append(f"the page has {len(candidates)} reviews; read the first that names its item")
    if film is not None:
        types = [t for t in film.get("@type", []) if t not in _NEUTRAL_ITEM_TYPES]
        if types and not _is(film, _FILM_TYPES):
            warnings.append(f"itemReviewed is a {', '.join(types)}, not a Movie")
        return review, film
    movies = [n for n in doc.nodes if _is(n, _FILM_TYPES) and doc.text(n, "name")]
    top = [n for n in movies if not any(_is(p, _FILM_TYPES) for p, _ in doc.parent_keys(n))]
    chosen: Node | None = (top or movies)[0] if (top or movies) else None
    if chosen is not None and review is None:
        nested = [r for r in reviews if any(p is chosen for p, _ in doc.parent_keys(r))]
        review = nested[0] if len(nested) == 1 else None
    return review, chosen


def _rating(doc: _Document, review: Node) -> Rating | None:
    for value in doc.values(review, "reviewRating"):
        if not isinstance(value, dict):
            number = _number(value)
            return Rating(number, 5.0, 0.0) if number is not None and 0 <= number <= 5 else None
        number = _number(next(iter(doc.values(value, "ratingValue")), None))
        if number is None:
            continue
        best = _number(next(iter(doc.values(value, "bestRating")), None)) or 5.0
        worst = _number(next(iter(doc.values(value, "worstRating")), None))
        if worst is None:  # schema.org: 1 when omitted; a lower value says the scale starts lower
            worst = 1.0 if number >= 1 else 0.0
        if worst <= number <= best and worst < best:
            return Rating(number, best, worst)
    return None


def _review_fields(doc: _Document, node: Node, record: ReviewRecord, base_url: str | None) -> None:
    record.headline = doc.text(node, "headline", "name")
    for value in doc.values(node, "author", "creator"):
        name = doc.text(value, "name") if isinstance(value, dict) else (clean_text(value)
                                                                         if isinstance(value, str) else None)
        if not name:
            continue
        if _is(value, _ORG_TYPES):
            record.publisher = record.publisher or name
        else:
            record.author = record.author or name
    publisher = doc.text(node, "publisher", "sourceOrganization")
    if publisher:
        record.publisher = publisher
    record.rating = _rating(doc, node)
    for value in doc.values(node, "datePublished", "dateCreated", "dateModified"):
        date = normalise_date(value)
        if date:
            record.date_published = date
            break
    url = doc.text(node, "url")
    record.url = _absolute(url, base_url) if url else None
    record.summary = doc.text(node, "description", "reviewBody", "text")
    language = doc.text(node, "inLanguage")
    if language:
        record.language = language_tag(language) or (language if _BCP47.match(language) else None)


# ---------------------------------------------------------------------------------------------- merging

def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _merge_film(markup: FilmRecord, text: FilmRecord) -> None:
    """Fill the gaps of the markup's film from the text's (markup wins)."""
    for f in dataclasses.fields(FilmRecord):
        mine, theirs = getattr(markup, f.name), getattr(text, f.name)
        if _empty(mine) and not _empty(theirs):
            setattr(markup, f.name, theirs)
    by_actor = {match_key(c.actor): c for c in markup.cast}
    for credit in text.cast:
        own = by_actor.get(match_key(credit.actor))
        if own is not None and own.character is None:
            own.character = credit.character
    for mapping in ("person_identifiers", "person_aliases"):
        target: dict[str, list[str]] = getattr(markup, mapping)
        for name, values in getattr(text, mapping).items():
            for value in values:
                _add_unique(target.setdefault(name, []), value)


def _merge_review(markup: ReviewRecord, text: ReviewRecord) -> None:
    for name in ("headline", "publisher", "author", "url", "rating", "summary", "date_published", "language"):
        if _empty(getattr(markup, name)) and not _empty(getattr(text, name)):
            setattr(markup, name, getattr(text, name))
    if match_key(markup.film.title) == match_key(text.film.title):
        _merge_film(markup.film, text.film)
    else:
        markup.warnings.append(f"the text reviews {text.film.title!r}, the markup {markup.film.title!r}: "
                               "kept the markup's film")
    known = {match_key(m.title) for m in markup.mentions}
    markup.mentions.extend(m for m in text.mentions if match_key(m.title) not in known)
    if not markup.namesakes:
        markup.namesakes = list(text.namesakes)
    markup.warnings.extend(f"text: {w}" for w in text.warnings)


def _visible_text(html: str) -> str:
    """The page's visible body text (the <head>, with its <title>, left out)."""
    html = re.sub(r"(?is)<head\b.*?</head\s*>", " ", html)
    try:
        import html_text

        return str(html_text.extract_text(html, guess_layout=True))
    except Exception:  # html_text is an extruct dependency; fall back to stripping tags
        text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", html)
        text = re.sub(r"(?s)<[^>]+>", "\n", text)
        import html as html_module

        return html_module.unescape(text)


def _from_text(html: str, source: str, content_hash: str,
               is_known_person: Callable[[str], bool] | None) -> tuple[ReviewRecord | None, str | None]:
    try:
        from filmgraph.extract.text import parse_review_text
    except ImportError:
        return None, "the plain-text reader is not available"
    visible = _visible_text(html)
    if not visible.strip():
        return None, "the page has no visible text"
    try:
        return parse_review_text(visible, source, is_known_person=is_known_person, content_hash=content_hash), None
    except FilmgraphError as exc:
        return None, f"text: {exc}"


# ------------------------------------------------------------------------------------------------ entry

def _load(path_or_text: str | Path, source: str | None) -> tuple[str, str, str, Path | None]:
    """(html, source name, sha256, path or None) for a path or for HTML given as text."""
    if isinstance(path_or_text, str) and ("<" in path_or_text or "\n" in path_or_text):
        data = path_or_text.encode("utf-8")
        if not path_or_text.strip():
            raise InputError("is empty", source=source or "<html>")
        return path_or_text, source or "<html>", hashlib.sha256(data).hexdigest(), None
    path = Path(path_or_text)
    name = source or str(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "is not a file", source=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=name) from exc
    if not raw.strip():
        raise InputError("is empty", source=name)
    try:
        from w3lib.encoding import html_to_unicode

        _, html = html_to_unicode(None, raw)
    except ImportError:  # pragma: no cover - w3lib is an extruct dependency
        html = raw.decode("utf-8", errors="replace")
    return html, name, hashlib.sha256(raw).hexdigest(), path


def _record(doc: _Document, warnings: list[str], name: str, digest: str,
            base_url: str | None) -> tuple[ReviewRecord | None, Node | None]:
    """The record the markup gives (None when it names no film), and the review node it came from."""
    review_node, film_node = _pick(doc, warnings)
    reader = _FilmReader(doc, base_url, warnings)
    film = reader.film(film_node) if film_node is not None else None
    if film is None:
        return None, review_node
    record = ReviewRecord(source=name, film=film, content_hash=digest)
    if review_node is not None:
        _review_fields(doc, review_node, record, base_url)
    seen = {(match_key(film.title), film.year)}
    for node in doc.nodes:
        if node is film_node or not _is(node, _FILM_TYPES):
            continue
        other = reader.film(node)
        if other is not None and (match_key(other.title), other.year) not in seen:
            seen.add((match_key(other.title), other.year))
            record.mentions.append(other)
    record.warnings.extend(warnings)
    return record, review_node


def read_jsonld(path: str | Path, *, base_url: str | None = None) -> ReviewRecord:
    """Read a schema.org JSON-LD document (a Review of a Movie, or a Movie) into a ReviewRecord, as the same
    markup would be read in a web page. Raises InputError for a file `read_text_file` refuses (missing, empty,
    binary, not UTF-8) or that does not parse, and ExtractionError when it names no film."""
    text, digest = read_text_file(path)
    name = str(path)
    value, notes = parse_jsonld(text)
    if value is None:
        raise InputError(f"invalid JSON-LD: {'; '.join(notes)}", source=name)
    doc = _Document()
    doc.add(value)
    doc.link_parents()
    record, _ = _record(doc, list(notes), name, digest, base_url or Path(path).resolve().as_uri())
    if record is None:
        raise ExtractionError("no film found: the JSON-LD has no schema.org Movie or Review naming a film",
                              source=name)
    return record


def looks_like_html(text: str) -> bool:
    """Whether text starts like an HTML document (`<!doctype html`, `<html`, `<head`, `<body`)."""
    return _HTML_START.match(text[:4096]) is not None


def read_html(
    path_or_text: str | Path,
    source: str | None = None,
    *,
    base_url: str | None = None,
    use_text: bool | None = None,
    is_known_person: Callable[[str], bool] | None = None,
) -> ReviewRecord:
    """Read a web page (a path, or HTML as a string) into a ReviewRecord.

    `source` names the input in messages (default: the path). `base_url` resolves relative links (default:
    the file's URI). `use_text`: None reads the visible text only when the markup is thin, True always
    merges it in, False never. Raises InputError for a missing or empty input and ExtractionError (naming
    the input) when neither the markup nor the text identifies a film.
    """
    html, name, digest, path = _load(path_or_text, source)
    if base_url is None and path is not None:
        base_url = path.resolve().as_uri()
    doc, warnings = _document(html, base_url)
    record, review_node = _record(doc, warnings, name, digest, base_url)
    thin = record is None or (review_node is None and not record.film.directors and not record.film.cast)
    if use_text or (use_text is None and thin):
        text_record, problem = _from_text(html, name, digest, is_known_person)
        if record is None:
            record = text_record
            if record is not None:
                record.warnings[:0] = warnings
        elif text_record is not None:
            _merge_review(record, text_record)
        else:
            log.debug("%s: the visible text added nothing (%s)", name, problem)
    if record is None:
        raise ExtractionError(
            "no film found: the page has no schema.org Movie or Review naming a film (JSON-LD, microdata or "
            "RDFa), and its text names none" + (f" ({'; '.join(warnings)})" if warnings else ""), source=name)
    return record
