"""Mentions become canonical entities with stable IRIs.

Names are matched on `naming.match_key` inside one source and against what the store already holds;
a stored node keeps its name and a new spelling becomes an alternative label. A merge needs evidence a
careful editor would accept, and each decision is recorded (`LinkDecision`):

- films: a shared identifier (IMDb, Wikidata ...) decides; otherwise the same title key with no
  disagreement on year, franchise, director, language or country. Films that share a title but
  disagree are namesakes: linked, never merged.
- people: the same name key (a known spelling variant, or an alias the source gives), unless their
  identifiers disagree; a shared identifier; or the same name in the other order (`Joon-ho Bong` /
  `Bong Joon-ho`) only when they share a film or an identifier. Otherwise they stay apart and the
  near-miss is reported.
- characters belong to one film: `Detective Park` in two films is two nodes.

IRIs are deterministic slugs under the configured base; a slug taken by another node gets `-2`, `-3`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..models import FilmRecord, ReviewRecord
from ..vocab import SCHEMA, IriMinter, string_literal
from .authority import Authority
from .korean import korean_name_key
from .naming import match_key, reordered_keys, slugify

log = logging.getLogger(__name__)

Rows = Sequence[Mapping[str, URIRef | Literal | BNode]]  # SELECT rows, as `store.SelectResult` holds them
#: Runs one of the named queries (`queries/internal/*.rq`) with these values bound against what the store
#: already holds, and gives its rows (`discover.queries.row_reader(store)` makes one): linking reads the store
#: only through it.
ReadRows = Callable[[str, Mapping[str, Node | Sequence[Node]]], Rows]

#: Nodes bound per existing-nodes look-up: Oxigraph's time grows faster than a VALUES block (2,000 film ids
#: took 460 times as long as 10), so large look-ups go in blocks of this size.
_VALUES_BATCH = 250
ID_PREFIXES = ("https://www.imdb.com/", "http://www.wikidata.org/entity/", "https://www.themoviedb.org/",
               "https://www.kmdb.or.kr/")


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

    @property
    def keys(self) -> set[str]:
        """Every match key this node answers to (its name and the spellings merged into it)."""
        return {k for k in (match_key(s) for s in self.spellings | {self.name}) if k}


@dataclass
class FilmEntity(Entity):
    record: FilmRecord | None = None


@dataclass(frozen=True)
class LinkDecision:
    """A merge made, or a near-miss kept apart, with the evidence."""

    kind: str  # person | film
    spelling: str
    node: str  # the node the spelling went to
    candidate: str  # the node it was compared with
    decision: str  # merged | kept-apart
    evidence: str


@dataclass
class Resolution:
    """Where every name in one source went."""

    films: list[FilmEntity] = field(default_factory=list)
    persons: dict[str, Entity] = field(default_factory=dict)
    characters: dict[tuple[str, str], Entity] = field(default_factory=dict)
    series: dict[str, Entity] = field(default_factory=dict)
    orgs: dict[str, Entity] = field(default_factory=dict)
    namesakes: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    stored_names: dict[URIRef, str] = field(default_factory=dict)
    decisions: list[LinkDecision] = field(default_factory=list)
    _by_record: dict[int, FilmEntity] = field(default_factory=dict)
    _person_slots: dict[tuple[int, str], Entity] = field(default_factory=dict)

    def add_film(self, entity: FilmEntity) -> None:
        self.films.append(entity)
        if entity.record is not None:
            self._by_record[id(entity.record)] = entity

    def film_for(self, record: FilmRecord) -> FilmEntity:
        return self._by_record[id(record)]

    def person(self, name: str, film: FilmRecord | None = None) -> Entity:
        """The person a name went to (in `film`, when the same spelling went to different people)."""
        key = match_key(name)
        if film is not None and (id(film), key) in self._person_slots:
            return self._person_slots[(id(film), key)]
        return self.persons[key]

    def character(self, film: URIRef, name: str) -> Entity:
        return self.characters[(str(film), match_key(name))]


@dataclass
class _StoredFilm:
    iri: URIRef
    name: str
    year: int | None = None
    series_keys: set[str] = field(default_factory=set)
    director_keys: set[str] = field(default_factory=set)
    actor_keys: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)


@dataclass
class _StoredPerson:
    iri: URIRef
    name: str
    keys: set[str] = field(default_factory=set)
    films: set[URIRef] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    films_loaded: bool = True  # False: the store's credits are not in `films` yet (`Resolver._films_of`)


def _add_fact(film: _StoredFilm, what: str, value: str) -> None:
    """Fold one `film-candidates` fact into what is known of a stored film (the earliest year of its dates)."""
    if what == "date":
        if value[:4].isdigit():
            year = int(value[:4])
            film.year = year if film.year is None else min(film.year, year)
    elif what == "seriesKey":
        film.series_keys.add(value)
    elif what == "directorKey":
        film.director_keys.add(value)
    elif what == "actorKey":
        film.actor_keys.add(value)
    elif what == "language":
        film.languages.add(value.lower())
    elif what == "country":
        film.countries.add(value.lower())
    elif what == "id":
        film.ids.add(value)


def year_of(record: FilmRecord) -> int | None:
    """The film's year, from `year` or the start of `release_date`."""
    if record.year is not None:
        return record.year
    if record.release_date and record.release_date[:4].isdigit():
        return int(record.release_date[:4])
    return None


def _lower(values: Iterable[str]) -> set[str]:
    return {v.strip().lower() for v in values if v and v.strip()}


def _person_keys(names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        keys.add(match_key(name))
        keys |= reordered_keys(name)
        korean = korean_name_key(name)
        if korean:
            keys.add(korean)
    keys.discard("")
    return keys


def _conflicting_ids(ours: set[str], theirs: set[str]) -> bool:
    """Both sides carry an identifier of the same authority, and none is shared."""
    for prefix in ID_PREFIXES:
        mine = {i for i in ours if i.startswith(prefix)}
        other = {i for i in theirs if i.startswith(prefix)}
        if mine and other and not mine & other:
            return True
    return False


def compatibility(record: FilmRecord, stored: _StoredFilm, ids: set[str] | None = None, *,
                  described: bool = True) -> int | None:
    """How strongly a record matches a stored film of the same title; None when they must differ.

    A title alone is never enough to merge a described film into a stored one that has its own people or
    year: the year, a director or a shared actor must agree. A film the store knows only by its title (a
    mention) takes any described film of that title; a mention takes any stored film it does not contradict.
    """
    ids = set(record.identifiers) if ids is None else ids
    if ids & stored.ids:
        return 100
    if _conflicting_ids(ids, stored.ids):
        return None
    score = 0
    year = year_of(record)
    directors = _person_keys(record.directors)
    if year is not None and stored.year is not None:
        if year == stored.year:
            score += 2
        elif abs(year - stored.year) == 1 and directors & stored.director_keys:
            score += 1  # a festival premiere and a release in the next year
        else:
            return None
    series = {match_key(record.franchise)} if record.franchise else set()
    if series and stored.series_keys:
        if not series & stored.series_keys:
            return None
        score += 2
    if directors and stored.director_keys:
        if not directors & stored.director_keys:
            return None
        score += 3
    for mine, theirs in ((_lower(record.languages), stored.languages), (_lower(record.countries), stored.countries)):
        if mine and theirs:
            if not mine & theirs:
                return None
            score += 1
    actors = _person_keys(c.actor for c in record.cast)
    if actors and stored.actor_keys:
        if actors & stored.actor_keys:
            score += 3
        elif len(actors) >= 2 and len(stored.actor_keys) >= 2 and not (directors & stored.director_keys):
            return None
    bare = not stored.director_keys and not stored.actor_keys  # known only by its title (and maybe a year)
    positive = (year is not None and year == stored.year) or bool(directors & stored.director_keys) or bool(
        actors & stored.actor_keys) or bool(series & stored.series_keys)
    if described and not bare and not positive:
        return None
    return score


def _credited_names(films: Iterable[FilmRecord]) -> list[str]:
    """Every name the films credit (directors, writers, cast, crew) and the aliases the source gives them."""
    names = [n for f in films for n in (*f.directors, *f.writers, *(c.actor for c in f.cast),
                                            *(name for _, name in f.crew))]
    names += [a for f in films for values in f.person_aliases.values() for a in values]
    return names


def _character_iris(film: FilmRecord, prefix: str, minter: IriMinter) -> set[URIRef]:
    """The IRIs `_resolve_characters` would mint for the film's characters under the film's slug `prefix`."""
    return {minter("character", f"{prefix}--{slugify(c.character)}")
            for c in film.cast if c.character and match_key(c.character)}


def _characters_of_new_films(films: Iterable[FilmRecord], minter: IriMinter) -> set[URIRef]:
    """`_character_iris` of films that get their own slug (a new film): asked with a review's other look-ups,
    they save most reviews a second query (a stored film asks for its own)."""
    return {iri for f in films for iri in _character_iris(f, film_slug(f), minter)}


def _one_typo_apart(a: str, b: str) -> bool:
    """`Laurance Fishburne` / `Laurence Fishburne`, `Shay Haten` / `Shay Hatten`: a typo, not another person."""
    from rapidfuzz.distance import Levenshtein

    ka, kb = match_key(a), match_key(b)
    if ka == kb or min(len(ka), len(kb)) < 8 or len(a.split()) != len(b.split()):
        return False
    if any(x[:1].lower() != y[:1].lower() for x, y in zip(a.split(), b.split(), strict=True)):
        return False
    return Levenshtein.distance(ka, kb) <= (2 if min(len(ka), len(kb)) >= 12 else 1)


def film_slug(record: FilmRecord) -> str:
    """`decision-to-leave-2022`; without a year, the franchise tells namesakes apart (`ballerina-john-wick`)."""
    base = slugify(record.title)
    year = year_of(record)
    if year is not None:
        return f"{base}-{year}"
    if record.franchise:
        return f"{base}-{slugify(record.franchise)}"
    return base


class Resolver:
    """Resolves the names of one source against itself and the store."""

    def __init__(self, read_rows: ReadRows, minter: IriMinter, authority: Authority | None = None) -> None:
        self.read_rows = read_rows
        self.minter = minter
        self.authority = authority or Authority.empty()
        self._taken: set[URIRef] = set()
        self._films_by_key: dict[str, list[_StoredFilm]] = {}
        self._films_by_id: dict[str, list[_StoredFilm]] = {}
        self._persons_by_key: dict[str, list[_StoredPerson]] = {}
        self._persons_by_id: dict[str, list[_StoredPerson]] = {}
        self._known_iris: dict[URIRef, bool] = {}
        self._key_rows: dict[str, list[Mapping[str, URIRef | Literal | BNode]]] = {}
        self._people_of_film: dict[URIRef, dict[URIRef, _StoredPerson]] = {}

    # -- store look-ups ----------------------------------------------------------------------------
    def _select(self, name: str, bindings: dict[str, Node | Sequence[Node]]) -> Rows:
        return self.read_rows(name, bindings)

    def _rows_by_key(self, keys: Iterable[str]) -> list[Mapping[str, URIRef | Literal | BNode]]:
        """The `entities-by-key` rows of `keys`: the keys not asked yet go in one look-up, answers are kept.

        A resolver serves one source, and the store does not change while it resolves, so a kept answer is
        what asking again would give.
        """
        wanted = sorted({k for k in keys if k})
        missing = [k for k in wanted if k not in self._key_rows]
        if missing:
            for key in missing:
                self._key_rows[key] = []
            for row in self._select("internal/entities-by-key", {"key": [string_literal(k) for k in missing]}):
                self._key_rows.setdefault(str(row["key"]), []).append(row)
        return [row for key in wanted for row in self._key_rows[key]]

    def prefetch_names(self, names: Iterable[str]) -> None:
        """Look up the stored nodes of many names at once (what `known_person` asks, one name at a time)."""
        self._rows_by_key(match_key(n) for n in names)

    def known_person(self, name: str) -> bool:
        """Does the store hold a person with this name (any spelling with the same key)?"""
        key = match_key(name)
        if not key:
            return False
        return any(row.get("type") == SCHEMA.Person for row in self._rows_by_key([key]))

    def _stored_by_key(self, keys: set[str], type_: URIRef) -> dict[str, tuple[URIRef, str]]:
        if not keys:
            return {}
        rows = self._rows_by_key(keys)
        found: dict[str, tuple[URIRef, str]] = {}
        for row in sorted(rows, key=lambda r: (str(r["node"]), str(r["name"]))):
            if row.get("type") == type_:
                found.setdefault(str(row["key"]), (URIRef(row["node"]), str(row["name"])))
        return found

    def _prefetch_films(self, films: Sequence[FilmRecord]) -> None:
        keys = {match_key(f.title) for f in films} | {match_key(f.original_title) for f in films if f.original_title}
        keys.discard("")
        ids = {i for f in films for i in f.identifiers}
        by_iri: dict[URIRef, _StoredFilm] = {}
        rows: list[Mapping[str, URIRef | Literal | BNode]] = []
        if keys:
            rows = list(self._select("internal/film-candidates", {"key": [string_literal(k) for k in sorted(keys)]}))
        if ids:
            id_rows = self._select("internal/films-by-id", {"id": [URIRef(i) for i in sorted(ids)]})
            extra = {str(r["key"]) for r in id_rows} - keys
            if extra:
                rows += self._select("internal/film-candidates", {"key": [string_literal(k) for k in sorted(extra)]})
        for row in rows:
            iri = URIRef(row["film"])
            film = by_iri.setdefault(iri, _StoredFilm(iri, str(row["name"])))
            if "what" in row and "value" in row:
                _add_fact(film, str(row["what"]), str(row["value"]))
            self._register_film_key(str(row["key"]), film)
        for film in by_iri.values():
            for identifier in film.ids:
                self._films_by_id.setdefault(identifier, []).append(film)

    def _register_film_key(self, key: str, film: _StoredFilm) -> None:
        bucket = self._films_by_key.setdefault(key, [])
        if all(f.iri != film.iri for f in bucket):
            bucket.append(film)

    def _prefetch_persons(self, names: Iterable[str]) -> None:
        keys = _person_keys(names) - set(self._persons_by_key)
        if not keys:
            return
        for key in keys:
            self._persons_by_key.setdefault(key, [])
        rows = self._rows_by_key(keys)
        people: dict[URIRef, _StoredPerson] = {}
        for row in rows:
            if row.get("type") != SCHEMA.Person:
                continue
            iri = URIRef(row["node"])
            person = people.setdefault(iri, _StoredPerson(iri, str(row["name"])))
            person.name = min(person.name, str(row["name"]))
            person.keys.add(str(row["key"]))
        if people:
            for row in self._select("internal/person-ids", {"person": sorted(people)}):
                people[URIRef(row["person"])].ids.add(str(row["id"]))
            for person in people.values():
                person.films_loaded = False  # asked for when a decision needs them (`_films_of`)
        for person in sorted(people.values(), key=lambda p: str(p.iri)):
            self._index_person(person)

    def _films_of(self, person: _StoredPerson) -> set[URIRef]:
        """The films a stored person is credited on, with those this source credits them on so far.

        Only a name in the other order needs them, so they are asked for then: a busy actor's films are many
        rows, and the exact-name look-ups that decide most people never read them.
        """
        if not person.films_loaded:
            person.films_loaded = True
            for row in self._select("internal/person-films", {"person": [person.iri]}):
                person.films.add(URIRef(row["film"]))
        return person.films

    def _index_person(self, person: _StoredPerson) -> None:
        for key in person.keys:
            bucket = self._persons_by_key.setdefault(key, [])
            if person not in bucket:
                bucket.append(person)
        for identifier in person.ids:
            bucket = self._persons_by_id.setdefault(identifier, [])
            if person not in bucket:
                bucket.append(person)

    def _existing(self, iris: set[URIRef]) -> set[URIRef]:
        """Which of `iris` are nodes in the store (answers are remembered)."""
        unknown = sorted(i for i in iris if i not in self._known_iris)
        for start in range(0, len(unknown), _VALUES_BATCH):
            chunk = unknown[start:start + _VALUES_BATCH]
            found = {URIRef(row["node"]) for row in self._select("internal/existing-nodes", {"node": chunk})}
            for iri in chunk:
                self._known_iris[iri] = iri in found
        return {i for i in iris if self._known_iris[i]}

    def _mint(self, kind: str, slug: str) -> URIRef:
        """A fresh IRI: the slug, or slug-2, slug-3 ... when the slug is taken by another node."""
        n = 1
        candidate = self.minter(kind, slug)
        while candidate in self._taken or self._existing({candidate}):
            n += 1
            candidate = self.minter(kind, f"{slug}-{n}")
        self._taken.add(candidate)
        return candidate

    # -- films -------------------------------------------------------------------------------------
    def resolve_film(self, record: FilmRecord, exclude: set[URIRef], resolution: Resolution,
                     *, described: bool = True) -> FilmEntity:
        """The node for one film record: a stored film it matches, or a new one."""
        key = match_key(record.title)
        ids = set(record.identifiers) | self.authority.film_ids(key, year_of(record))
        candidates: dict[URIRef, _StoredFilm] = {}
        for identifier in ids:
            for film in self._films_by_id.get(identifier, []):
                candidates[film.iri] = film
        keys = {key} | ({match_key(record.original_title)} if record.original_title else set())
        for k in keys:
            for film in self._films_by_key.get(k, []):
                candidates.setdefault(film.iri, film)
        scored = [(score, film) for film in candidates.values() if film.iri not in exclude
                  and (score := compatibility(record, film, ids, described=described)) is not None]
        spellings = {record.title}
        if not scored and described:
            for other in sorted(candidates.values(), key=lambda f: str(f.iri)):
                if other.iri not in exclude:
                    resolution.decisions.append(LinkDecision(
                        "film", record.title, "", str(other.iri), "kept-apart",
                        "same title, but no agreeing year, director or actor: kept as its own film"))
        if scored:
            scored.sort(key=lambda sf: (-sf[0], str(sf[1].iri)))
            score, best = scored[0]
            self._taken.add(best.iri)
            if best.name != record.title:
                evidence = "shared identifier" if score >= 100 else "same title and no disagreement"
                resolution.decisions.append(LinkDecision("film", record.title, str(best.iri), str(best.iri),
                                                         "merged", evidence))
            entity = FilmEntity(best.iri, best.name, "film", match_key(best.name), spellings | {best.name}, ids,
                                True, record=record)
            self._learn_film(entity, record, ids)
            return entity
        iri = self._mint("film", film_slug(record))
        entity = FilmEntity(iri, record.title, "film", key, spellings, ids, False, record=record)
        self._learn_film(entity, record, ids)
        return entity

    def _learn_film(self, entity: FilmEntity, record: FilmRecord, ids: set[str]) -> None:
        """Remember a resolved film so later records of the same source find it."""
        stored = next((f for f in self._films_by_key.get(entity.key, []) if f.iri == entity.iri), None)
        if stored is None:
            stored = _StoredFilm(entity.iri, entity.name)
        if stored.year is None:
            stored.year = year_of(record)
        if record.franchise:
            stored.series_keys.add(match_key(record.franchise))
        stored.director_keys |= {match_key(d) for d in record.directors}
        stored.actor_keys |= _person_keys(c.actor for c in record.cast)
        stored.languages |= _lower(record.languages)
        stored.countries |= _lower(record.countries)
        stored.ids |= ids
        for k in {entity.key, match_key(record.title)} | ({match_key(record.original_title)}
                                                          if record.original_title else set()):
            if k:
                self._register_film_key(k, stored)
        for identifier in ids:
            bucket = self._films_by_id.setdefault(identifier, [])
            if stored not in bucket:
                bucket.append(stored)

    # -- people ------------------------------------------------------------------------------------
    def resolve_person(self, name: str, film: URIRef | None, resolution: Resolution, *,
                       aliases: Iterable[str] = (), ids: Iterable[str] = (),
                       other_films: Iterable[URIRef] = ()) -> Entity:
        """The node for one credited name, merged only on evidence (see the module docstring).

        `other_films` are further films the same source credits this spelling on: sharing any of them
        with a stored person is evidence too.
        """
        credited = ({film} if film is not None else set()) | set(other_films)
        key = match_key(name)
        aliases = [a for a in aliases if match_key(a)]
        ids = set(ids) | self.authority.person_ids(key)
        exact = {key} | {match_key(a) for a in aliases}
        korean = korean_name_key(name)
        spellings = {name, *aliases}

        def take(person: _StoredPerson, evidence: str) -> Entity:
            if film is not None:
                person.films.add(film)
            person.ids |= ids
            person.keys |= exact
            self._index_person(person)
            if evidence and person.name != name:
                resolution.decisions.append(LinkDecision("person", name, str(person.iri), str(person.iri),
                                                         "merged", evidence))
            return Entity(person.iri, person.name, "person", match_key(person.name), spellings | {person.name},
                          ids, True)

        exact_hits = [p for k in sorted(exact) for p in self._persons_by_key.get(k, [])]
        for person in exact_hits:
            if not _conflicting_ids(ids, person.ids):
                same_spelling = match_key(person.name) == key
                return take(person, "" if same_spelling else "known variant (same name key or a source's alias)")
        for identifier in sorted(ids):
            for person in self._persons_by_id.get(identifier, []):
                return take(person, f"shared identifier {identifier}")
        for other_key in sorted(reordered_keys(name)):
            for person in self._persons_by_key.get(other_key, []):
                shared = sorted(credited & self._films_of(person))
                if shared:
                    return take(person, f"name in the other order, shared film <{shared[0]}>")
        if korean:
            for person in self._persons_by_key.get(korean, []):
                if not _conflicting_ids(ids, person.ids):
                    return take(person, "the same Korean name (family name and given name) in another "
                                        "order or romanisation")
        for other_key in sorted(reordered_keys(name)):
            for person in self._persons_by_key.get(other_key, []):
                if len(other_key) >= 14 and all(len(t) >= 4 for t in name.split()):
                    return take(person, "a long name in the other order (family name first or last)")
        for person in self._film_people(credited):
            if _one_typo_apart(name, person.name):
                return take(person, f"a spelling one or two letters apart on a shared film ({person.name})")
                resolution.decisions.append(LinkDecision(
                    "person", name, "", str(person.iri), "kept-apart",
                    "same name in the other order, but no shared film or identifier"))
        iri = self._mint("person", slugify(name))
        person = _StoredPerson(iri, name, set(exact), {film} if film is not None else set(), set(ids))
        self._index_person(person)
        return Entity(iri, name, "person", key, spellings, ids, False)

    def _film_people(self, films: set[URIRef]) -> list[_StoredPerson]:
        """The stored people credited on any of `films` (asked once per film)."""
        out: list[_StoredPerson] = []
        ask = sorted(f for f in films if f not in self._people_of_film)
        if ask:
            for f in ask:
                self._people_of_film[f] = {}
            for row in self._select("internal/film-people", {"film": ask}):
                film, iri = URIRef(row["film"]), URIRef(row["person"])
                person = self._people_of_film[film].setdefault(iri, _StoredPerson(iri, str(row["name"])))
                person.keys.add(str(row["key"]))
                person.films.add(film)
        for f in sorted(films):
            out.extend(self._people_of_film.get(f, {}).values())
        return out

    # -- whole sources -----------------------------------------------------------------------------
    def resolve(self, record: ReviewRecord, spellings: dict[str, set[str]] | None = None) -> Resolution:
        """Resolve every film, person, character, series and publisher named by one review."""
        spellings = spellings or {}
        resolution = Resolution()
        self._taken = set()
        films = [record.film, *record.namesakes, *record.mentions]
        self._prefetch_review(record, films)
        if record.film.franchise is None:  # a series the store knows by the film's own title (`John Wick`)
            series = self._stored_by_key({match_key(record.film.title)}, SCHEMA.MovieSeries)
            if series:
                record.film.franchise = next(iter(series.values()))[1]
        self._prefetch_films(films)
        main = self.resolve_film(record.film, set(), resolution)
        resolution.add_film(main)
        for namesake in record.namesakes:
            told_apart = bool(namesake.year or namesake.directors or namesake.franchise or namesake.cast)
            entity = self.resolve_film(namesake, {main.iri}, resolution, described=told_apart)
            resolution.add_film(entity)
            resolution.namesakes.add((main.iri, entity.iri))
        for mention in record.mentions:
            if match_key(mention.title) == main.key and year_of(mention) in (None, year_of(record.film)):
                resolution.add_film(FilmEntity(main.iri, main.name, "film", main.key, record=mention))
                continue
            resolution.add_film(self.resolve_film(mention, {main.iri}, resolution, described=False))
        self._link_stored_namesakes(resolution, [record.film, *record.namesakes])
        self._resolve_people(films, resolution, spellings, author=record.author)
        self._resolve_characters(resolution, spellings)
        self._resolve_named({f.franchise for f in films if f.franchise}, "series", SCHEMA.MovieSeries,
                            resolution.series)
        if record.publisher:
            self._resolve_named({record.publisher}, "org", SCHEMA.Organization, resolution.orgs)
        return resolution

    def _prefetch_review(self, record: ReviewRecord, films: Sequence[FilmRecord]) -> None:
        """Ask the store at once what resolving one review will ask name by name: the stored nodes of every
        name key it looks up, and which of the IRIs it may mint are taken (answers are kept, see `_rows_by_key`)."""
        names = _credited_names(films)
        if record.author:
            names.append(record.author)
        named = {f.franchise for f in films if f.franchise} | ({record.publisher} if record.publisher else set())
        self._rows_by_key(_person_keys(names) | {match_key(n) for n in named} | {match_key(record.film.title)})
        self._existing({self.minter("film", film_slug(f)) for f in films}
                       | {self.minter("person", slugify(n)) for n in names}
                       | {self.minter("series", slugify(f.franchise)) for f in films if f.franchise}
                       | ({self.minter("org", slugify(record.publisher))} if record.publisher else set())
                       | _characters_of_new_films(films, self.minter))

    def resolve_films(self, films: Sequence[FilmRecord]) -> Resolution:
        """Resolve a catalogue: many films, each with its people, in one pass with batched look-ups."""
        resolution = Resolution()
        self._taken = set()
        self._prefetch_films(films)
        self._existing({self.minter("film", film_slug(f)) for f in films}
                       | {self.minter("person", slugify(n)) for f in films
                          for n in (*f.directors, *f.writers, *(c.actor for c in f.cast))})
        for film in films:
            resolution.add_film(self.resolve_film(film, set(), resolution))
        self._link_stored_namesakes(resolution, list(films))
        self._resolve_people(films, resolution, {})
        self._resolve_characters(resolution, {})
        self._resolve_named({f.franchise for f in films if f.franchise}, "series", SCHEMA.MovieSeries,
                            resolution.series)
        return resolution

    def _link_stored_namesakes(self, resolution: Resolution, described: Sequence[FilmRecord]) -> None:
        """Every other film with a described film's title is its namesake."""
        described_ids = {id(r) for r in described}
        for entity in list(resolution.films):
            if entity.record is None or id(entity.record) not in described_ids:
                continue
            for other in self._films_by_key.get(match_key(entity.record.title), []):
                if other.iri != entity.iri:
                    resolution.namesakes.add((entity.iri, other.iri))
                    resolution.stored_names.setdefault(other.iri, other.name)
        resolution.namesakes = {(a, b) if str(a) < str(b) else (b, a) for a, b in resolution.namesakes if a != b}

    def _resolve_people(self, films: Sequence[FilmRecord], resolution: Resolution,
                        spellings: dict[str, set[str]], author: str | None = None) -> None:
        names = _credited_names(films)
        if author:
            names.append(author)
        self._prefetch_persons(names)
        credits: dict[str, set[URIRef]] = {}
        for film in films:
            for name in (*film.directors, *film.writers, *(c.actor for c in film.cast), *(n for _, n in film.crew)):
                credits.setdefault(match_key(name), set()).add(resolution.film_for(film).iri)
        for film in films:
            entity = resolution.film_for(film)
            for name in (*film.directors, *film.writers, *(c.actor for c in film.cast), *(n for _, n in film.crew)):
                key = match_key(name)
                if not key or (id(film), key) in resolution._person_slots:
                    continue
                person = self.resolve_person(
                    name, entity.iri, resolution, aliases=film.person_aliases.get(name, ()),
                    ids=film.person_identifiers.get(name, ()), other_films=credits.get(key, ()))
                person.spellings |= spellings.get(key, set())
                known = resolution.persons.get(key)
                if known is not None and known.iri == person.iri:
                    known.spellings |= person.spellings
                    known.identifiers |= person.identifiers
                    person = known
                else:
                    resolution.persons.setdefault(key, person)
                resolution._person_slots[(id(film), key)] = person
        if author:
            key = match_key(author)
            if key and key not in resolution.persons:
                resolution.persons[key] = self.resolve_person(author, None, resolution)

    def _resolve_characters(self, resolution: Resolution, spellings: dict[str, set[str]]) -> None:
        for film_entity in resolution.films:
            film = film_entity.record
            if film is None or not any(c.character for c in film.cast):
                continue
            stored: dict[str, tuple[URIRef, str]] = {}
            if film_entity.existing:
                for row in sorted(self._select("internal/film-characters", {"film": film_entity.iri}),
                                  key=lambda r: str(r["character"])):
                    stored.setdefault(str(row["key"]), (URIRef(row["character"]), str(row["name"])))
            parts = self.minter.split(str(film_entity.iri))
            prefix = parts[1] if parts else slugify(film.title)
            self._existing(_character_iris(film, prefix, self.minter))
            for credit in film.cast:
                key = match_key(credit.character or "")
                if not key:
                    continue
                slot = (str(film_entity.iri), key)
                seen = {credit.character or ""} | spellings.get(key, set())
                if slot in resolution.characters:
                    resolution.characters[slot].spellings |= seen
                elif key in stored:
                    iri, name = stored[key]
                    resolution.characters[slot] = Entity(iri, name, "character", key, seen | {name}, existing=True)
                else:
                    iri = self._mint("character", f"{prefix}--{slugify(credit.character or '')}")
                    resolution.characters[slot] = Entity(iri, credit.character or "", "character", key, seen)

    def _resolve_named(self, names: set[str], kind: str, type_: URIRef, into: dict[str, Entity]) -> None:
        by_key = {match_key(n): n for n in sorted(names) if match_key(n)}
        stored = self._stored_by_key(set(by_key), type_)
        for key, name in by_key.items():
            if key in stored:
                iri, stored_name = stored[key]
                into[key] = Entity(iri, stored_name, kind, key, {name, stored_name}, existing=True)
            else:
                into[key] = Entity(self._mint(kind, slugify(name)), name, kind, key, {name})
