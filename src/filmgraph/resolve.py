"""Mentions become canonical entities with stable IRIs.

Names are matched on `naming.match_key` inside one review and against what the store already
holds; a stored node keeps its name and a new spelling becomes an alternative label. Films that
share a title are told apart by year, franchise, director, language and country, and linked as
namesakes. IRIs are deterministic slugs under the configured base.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from .authority import Authority
from .models import FilmRecord, ReviewRecord
from .naming import match_key, slugify
from .queries import load_query
from .store import SelectResult, Store
from .vocab import SCHEMA, IriMinter

log = logging.getLogger(__name__)


@dataclass
class Entity:
    """One resolved node: its IRI, canonical name, and the other spellings seen for it."""

    iri: URIRef
    name: str
    kind: str
    key: str
    spellings: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    existing: bool = False

    @property
    def alt_labels(self) -> list[str]:
        return sorted(s for s in self.spellings if s != self.name)


@dataclass
class FilmEntity(Entity):
    record: FilmRecord | None = None


@dataclass
class Resolution:
    """Where every name in one record went."""

    films: list[FilmEntity] = field(default_factory=list)
    persons: dict[str, Entity] = field(default_factory=dict)
    characters: dict[tuple[str, str], Entity] = field(default_factory=dict)
    series: dict[str, Entity] = field(default_factory=dict)
    orgs: dict[str, Entity] = field(default_factory=dict)
    namesakes: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    stored_names: dict[URIRef, str] = field(default_factory=dict)

    def film_for(self, record: FilmRecord) -> FilmEntity:
        for entity in self.films:
            if entity.record is record:
                return entity
        raise KeyError(record.title)

    def person(self, name: str) -> Entity:
        return self.persons[match_key(name)]

    def character(self, film: URIRef, name: str) -> Entity:
        return self.characters[(str(film), match_key(name))]


@dataclass(frozen=True)
class _StoredFilm:
    iri: URIRef
    name: str
    year: int | None
    series_keys: frozenset[str]
    director_keys: frozenset[str]
    languages: frozenset[str]
    countries: frozenset[str]


@dataclass
class _FilmFacts:
    key: str
    name: str
    year: int | None = None
    series: set[str] = field(default_factory=set)
    directors: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)


def _year_of(record: FilmRecord) -> int | None:
    if record.year is not None:
        return record.year
    if record.release_date and record.release_date[:4].isdigit():
        return int(record.release_date[:4])
    return None


def _lower(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v and v.strip())


def compatibility(record: FilmRecord, stored: _StoredFilm) -> int | None:
    """How strongly a record matches a stored film of the same title; None when they must differ."""
    score = 0
    year = _year_of(record)
    directors = frozenset(match_key(d) for d in record.directors)
    if year is not None and stored.year is not None:
        if year == stored.year:
            score += 2
        elif abs(year - stored.year) == 1 and directors & stored.director_keys:
            score += 1  # festival premiere vs release year
        else:
            return None
    series = frozenset({match_key(record.franchise)}) if record.franchise else frozenset()
    if series and stored.series_keys:
        if not series & stored.series_keys:
            return None
        score += 2
    if directors and stored.director_keys:
        if not directors & stored.director_keys:
            return None
        score += 3
    languages = _lower(record.languages)
    if languages and stored.languages:
        if not languages & stored.languages:
            return None
        score += 1
    countries = _lower(record.countries)
    if countries and stored.countries:
        if not countries & stored.countries:
            return None
        score += 1
    return score


def _film_slug(record: FilmRecord) -> str:
    base = slugify(record.title)
    year = _year_of(record)
    if year is not None:
        return f"{base}-{year}"
    if record.franchise:
        return f"{base}-{slugify(record.franchise)}"
    return base


class Resolver:
    """Resolves the names of one record against itself and the store."""

    def __init__(self, store: Store, minter: IriMinter, authority: Authority | None = None) -> None:
        self.store = store
        self.minter = minter
        self.authority = authority or Authority.empty()
        self._taken: set[URIRef] = set()

    # -- store look-ups ----------------------------------------------------------------------------
    def _select(self, name: str, bindings: dict[str, object]) -> SelectResult:
        result = load_query(name).run(self.store, bindings)  # type: ignore[arg-type]
        assert isinstance(result, SelectResult)
        return result

    def known_person(self, name: str) -> bool:
        """Does the store hold a person with this name (any spelling with the same key)?"""
        key = match_key(name)
        if not key:
            return False
        rows = self._select("internal/entities-by-key", {"key": [Literal(key)]})
        return any(row.get("type") == SCHEMA.Person for row in rows)

    def _stored_by_key(self, keys: set[str], type_: URIRef) -> dict[str, tuple[URIRef, str]]:
        if not keys:
            return {}
        rows = self._select("internal/entities-by-key", {"key": [Literal(k) for k in sorted(keys)]})
        found: dict[str, tuple[URIRef, str]] = {}
        for row in sorted(rows, key=lambda r: (str(r["node"]), str(r["name"]))):
            if row.get("type") != type_:
                continue
            key = str(row["key"])
            found.setdefault(key, (URIRef(row["node"]), str(row["name"])))
        return found

    def _stored_films(self, keys: set[str]) -> dict[str, list[_StoredFilm]]:
        if not keys:
            return {}
        rows = self._select("internal/film-candidates", {"key": [Literal(k) for k in sorted(keys)]})
        grouped: dict[URIRef, _FilmFacts] = {}
        for row in rows:
            iri = URIRef(row["film"])
            facts = grouped.setdefault(iri, _FilmFacts(str(row["key"]), str(row["name"])))
            if "date" in row and str(row["date"])[:4].isdigit():
                facts.year = int(str(row["date"])[:4])
            if "seriesKey" in row:
                facts.series.add(str(row["seriesKey"]))
            if "directorKey" in row:
                facts.directors.add(str(row["directorKey"]))
            if "language" in row:
                facts.languages.add(str(row["language"]).lower())
            if "country" in row:
                facts.countries.add(str(row["country"]).lower())
        films: dict[str, list[_StoredFilm]] = {}
        for iri, f in sorted(grouped.items()):
            films.setdefault(f.key, []).append(_StoredFilm(
                iri, f.name, f.year, frozenset(f.series), frozenset(f.directors),
                frozenset(f.languages), frozenset(f.countries)))
        return films

    def _existing(self, iris: set[URIRef]) -> set[URIRef]:
        if not iris:
            return set()
        rows = self._select("internal/existing-nodes", {"node": sorted(iris)})
        return {URIRef(row["node"]) for row in rows}

    def _mint(self, kind: str, slug: str, existing_ok: set[URIRef] | None = None) -> URIRef:
        """A fresh IRI: the slug, or slug-2, slug-3 ... when the slug is taken by another node."""
        candidate = self.minter(kind, slug)
        n = 1
        while candidate in self._taken or (candidate not in (existing_ok or set())
                                           and self._existing({candidate})):
            n += 1
            candidate = self.minter(kind, f"{slug}-{n}")
        self._taken.add(candidate)
        return candidate

    # -- resolution --------------------------------------------------------------------------------
    def resolve(self, record: ReviewRecord, spellings: dict[str, set[str]] | None = None) -> Resolution:
        """Resolve every film, person, character, series and publisher named by `record`."""
        spellings = spellings or {}
        resolution = Resolution()
        self._taken = set()
        self._resolve_films(record, resolution)
        self._resolve_persons(record, resolution, spellings)
        self._resolve_characters(record, resolution, spellings)
        self._resolve_named(
            {r.franchise for r in self._all_films(record) if r.franchise}, "series", SCHEMA.MovieSeries,
            resolution.series)
        if record.publisher:
            self._resolve_named({record.publisher}, "org", SCHEMA.Organization, resolution.orgs)
        return resolution

    @staticmethod
    def _all_films(record: ReviewRecord) -> list[FilmRecord]:
        return [record.film, *record.namesakes, *record.mentions]

    def _resolve_films(self, record: ReviewRecord, resolution: Resolution) -> None:
        films = self._all_films(record)
        stored = self._stored_films({match_key(f.title) for f in films})
        main = self._resolve_film(record.film, stored.get(match_key(record.film.title), []), set())
        resolution.films.append(main)
        for namesake in record.namesakes:
            entity = self._resolve_film(namesake, stored.get(match_key(namesake.title), []), {main.iri})
            resolution.films.append(entity)
            resolution.namesakes.add((main.iri, entity.iri))
        for mention in record.mentions:
            if match_key(mention.title) == main.key and _year_of(mention) in (None, _year_of(record.film)):
                resolution.films.append(FilmEntity(main.iri, main.name, "film", main.key, record=mention))
                continue
            exclude = {main.iri}
            resolution.films.append(self._resolve_film(mention, stored.get(match_key(mention.title), []), exclude))
        # every other stored film with a resolved film's title is a namesake of it
        for entity in list(resolution.films):
            for other in stored.get(entity.key, []):
                if other.iri != entity.iri and entity.record is not None and entity.record in (
                        record.film, *record.namesakes):
                    resolution.namesakes.add((entity.iri, other.iri))
                    resolution.stored_names[other.iri] = other.name
        resolution.namesakes = {tuple(sorted(pair)) for pair in resolution.namesakes  # type: ignore[misc]
                                if pair[0] != pair[1]}

    def _resolve_film(self, record: FilmRecord, candidates: list[_StoredFilm],
                      exclude: set[URIRef]) -> FilmEntity:
        key = match_key(record.title)
        ids = set(record.identifiers) | self.authority.film_ids(key, _year_of(record))
        scored = [(score, c) for c in candidates if c.iri not in exclude
                  and (score := compatibility(record, c)) is not None]
        if scored:
            scored.sort(key=lambda sc: (-sc[0], str(sc[1].iri)))
            best = scored[0][1]
            self._taken.add(best.iri)
            return FilmEntity(best.iri, best.name, "film", key, {record.title}, ids, True, record=record)
        iri = self._mint("film", _film_slug(record))
        return FilmEntity(iri, record.title, "film", key, {record.title}, ids, False, record=record)

    def _person_names(self, record: ReviewRecord) -> list[str]:
        names: list[str] = []
        for film in self._all_films(record):
            names += film.directors + film.writers + [c.actor for c in film.cast]
        if record.author:
            names.append(record.author)
        return names

    def _resolve_persons(self, record: ReviewRecord, resolution: Resolution,
                         spellings: dict[str, set[str]]) -> None:
        first_spelling: dict[str, str] = {}
        for name in self._person_names(record):
            key = match_key(name)
            if key:
                first_spelling.setdefault(key, name)
        stored = self._stored_by_key(set(first_spelling), SCHEMA.Person)
        for key, name in first_spelling.items():
            seen = {name} | spellings.get(key, set())
            seen |= {n for n in self._person_names(record) if match_key(n) == key}
            ids = self.authority.person_ids(key)
            for film in self._all_films(record):
                for spelled, person_ids in film.person_identifiers.items():
                    if match_key(spelled) == key:
                        ids |= set(person_ids)
            if key in stored:
                iri, stored_name = stored[key]
                resolution.persons[key] = Entity(iri, stored_name, "person", key, seen | {stored_name}, ids, True)
            else:
                iri = self._mint("person", slugify(name))
                resolution.persons[key] = Entity(iri, name, "person", key, seen, ids, False)

    def _resolve_characters(self, record: ReviewRecord, resolution: Resolution,
                            spellings: dict[str, set[str]]) -> None:
        for film_entity in resolution.films:
            film = film_entity.record
            if film is None or not any(c.character for c in film.cast):
                continue
            stored: dict[str, tuple[URIRef, str]] = {}
            if film_entity.existing:
                rows = self._select("internal/film-characters", {"film": film_entity.iri})
                for row in sorted(rows, key=lambda r: str(r["character"])):
                    stored.setdefault(str(row["key"]), (URIRef(row["character"]), str(row["name"])))
            film_slug = self.minter.split(str(film_entity.iri))
            prefix = film_slug[1] if film_slug else slugify(film.title)
            for credit in film.cast:
                if not credit.character:
                    continue
                key = match_key(credit.character)
                slot = (str(film_entity.iri), key)
                if not key:
                    continue
                seen = {credit.character} | spellings.get(key, set())
                if slot in resolution.characters:
                    resolution.characters[slot].spellings |= seen
                elif key in stored:
                    iri, name = stored[key]
                    resolution.characters[slot] = Entity(iri, name, "character", key, seen | {name},
                                                         existing=True)
                else:
                    iri = self._mint("character", f"{prefix}--{slugify(credit.character)}")
                    resolution.characters[slot] = Entity(iri, credit.character, "character", key, seen)

    def _resolve_named(self, names: set[str], kind: str, type_: URIRef, into: dict[str, Entity]) -> None:
        by_key = {match_key(n): n for n in sorted(names) if match_key(n)}
        stored = self._stored_by_key(set(by_key), type_)
        for key, name in by_key.items():
            if key in stored:
                iri, stored_name = stored[key]
                into[key] = Entity(iri, stored_name, kind, key, {name, stored_name}, existing=True)
            else:
                into[key] = Entity(self._mint(kind, slugify(name)), name, kind, key, {name})
