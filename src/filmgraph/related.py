"""Related films that explain themselves.

SPARQL gathers one film's neighbourhood (the `queries/related/*.rq` named queries, one simple pattern per
relation, so it works on every backend and stays fast on Oxigraph); networkx holds that neighbourhood as a
bipartite film–link graph, and each candidate is scored by a weighted Adamic–Adar index over the links it
shares with the film:

    score(film, candidate) = sum over shared links v of  weight(kind of v) / log(1 + hub(v))
                           + weight("co-liked") * shared likers / (sqrt(likers(film)) * likers(candidate) ** d)

`hub(v)` is the number of films the link touches (a director of 3 films, a genre of 5000), so a link shared
by many films counts less. `d` is `config.CO_LIKED_DAMPING` (0.5 gives the cosine). The weights are
`config.RELATION_WEIGHTS`. Each term of the sum is a `Reason`.

Only the neighbourhood is ever loaded, never the whole graph. Genres and keywords are weak links: they
are scored for the candidates strong links find (only for those that can still reach the top), they
fill the list only when strong links give too few films, and they never make a namesake a suggestion.

A namesake (a different film with the same title, `fg:namesakeOf`) is reported in `Related.namesakes`
with the reason "same title, different film"; it appears among the suggestions only when a strong link
relates it too, and then it is flagged `namesake=True` and carries that reason as well.

Filters: `min_year` (films with a known year at least that), `language` (BCP 47 tag or its prefix:
`ko` matches `ko-KR`), `genre` (a genre label, matched on its match key), and `exclude_seen`, which leaves
out films that any review in the store rates (a review with `schema:reviewRating`): the store keeps no
notion of "the current user", so "seen" means "already rated by a reviewer we hold".
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Literal, URIRef

from .config import CO_LIKED_DAMPING, RELATION_WEIGHTS
from .errors import NotFound
from .naming import match_key
from .queries import load_query
from .store import SelectResult, Store

log = logging.getLogger(__name__)

#: Kinds that are too weak to relate a namesake or to be enough on their own when strong links exist.
WEAK_KINDS = frozenset({"genre", "keyword"})
_S = "http://schema.org/"
#: The kind of link each predicate of related/links and related/people makes.
_KIND_OF = {f"{_S}director": "director", f"{_S}author": "author", f"{_S}actor": "actor",
            f"{_S}isPartOf": "franchise", f"{_S}genre": "genre", f"{_S}keywords": "keyword",
            "https://w3id.org/filmgraph/ontology#namesakeOf": "namesake"}
#: At most this many co-liked films are considered (the query orders them by shared likers).
CO_LIKED_LIMIT = 500
#: Candidates scored per round of detail look-ups.
BATCH = 64


@dataclass(frozen=True)
class Reason:
    """One shared link and what it adds to the score."""

    kind: str
    via: str
    via_name: str
    text: str
    weight: float = 0.0


@dataclass
class Suggestion:
    """A related film, its score, and why."""

    film: URIRef
    name: str
    year: int | None
    score: float
    reasons: list[Reason] = field(default_factory=list)
    namesake: bool = False
    languages: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "film": str(self.film), "name": self.name, "year": self.year, "score": round(self.score, 4),
            "namesake": self.namesake, "languages": self.languages, "genres": self.genres,
            "reasons": [{"kind": r.kind, "via": r.via, "via_name": r.via_name, "text": r.text,
                         "weight": round(r.weight, 4)} for r in self.reasons],
        }


@dataclass
class Related:
    """Suggestions for one film, and its namesakes reported apart."""

    film: URIRef
    name: str
    year: int | None
    suggestions: list[Suggestion]
    namesakes: list[Suggestion]

    def as_dict(self) -> dict[str, object]:
        return {"film": str(self.film), "name": self.name, "year": self.year,
                "suggestions": [s.as_dict() for s in self.suggestions],
                "namesakes": [s.as_dict() for s in self.namesakes]}


@dataclass(frozen=True)
class Filters:
    """What a suggestion must satisfy."""

    min_year: int | None = None
    language: str | None = None
    genre: str | None = None
    exclude_seen: bool = False


@dataclass
class _Details:
    name: str
    year: int | None
    languages: list[str]
    genres: list[str]


def _select(store: Store, name: str, bindings: dict[str, object]) -> SelectResult:
    result = load_query(name).run(store, bindings)  # type: ignore[arg-type]
    assert isinstance(result, SelectResult)
    return result


def _year(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text[:4].isdigit() and len(text) == 4 else None


def _split(value: object) -> list[str]:
    return sorted({v for v in str(value or "").split("|") if v})


def film_details(store: Store, films: Iterable[URIRef]) -> dict[URIRef, _Details]:
    """Name, year, languages and genre labels of each film (absent when the film has no name)."""
    films = sorted(set(films))
    details: dict[URIRef, _Details] = {}
    if not films:
        return details
    for row in _select(store, "related/films", {"film": films}):
        if "name" not in row:
            continue
        details[URIRef(row["film"])] = _Details(str(row["name"]), _year(row.get("year")),
                                                _split(row.get("languages")), _split(row.get("genres")))
    return details


class _Neighbourhood:
    """The film, its links, the films those links touch, and the scores that follow."""

    def __init__(self, store: Store, film: URIRef, weights: dict[str, float]) -> None:
        self.store = store
        self.film = film
        self.weights = weights
        self.graph = nx.Graph()
        self.graph.add_node(film, part="film")
        self.labels: dict[str, str] = {}
        self.hub: dict[str, int] = {}
        self.characters: dict[tuple[URIRef, str], set[str]] = defaultdict(set)
        self.review_names: dict[str, str] = {}
        self.namesakes: set[URIRef] = set()
        self.weak_links: dict[str, str] = {}  # via -> kind, for genres and keywords of the film
        self.co_liked: dict[URIRef, float] = {}
        self.co_liked_shared: dict[URIRef, int] = {}

    # -- gathering -----------------------------------------------------------------------------------
    def _link(self, film: URIRef, via: str, kind: str) -> None:
        if self.graph.has_edge(film, via):
            self.graph.edges[film, via]["kinds"].add(kind)
        else:
            self.graph.add_node(film, part="film")
            self.graph.add_node(via, part="link")
            self.graph.add_edge(film, via, kinds={kind})

    def gather(self) -> None:
        persons: set[URIRef] = set()
        series: set[URIRef] = set()
        reviews: set[URIRef] = set()
        for row in _select(self.store, "related/links", {"film": self.film}):
            kind, via = _KIND_OF[str(row["property"])], row["via"]
            key = str(via)
            if "label" in row:
                self.labels.setdefault(key, str(row["label"]))
            if kind == "namesake":
                self.namesakes.add(URIRef(via))
            elif kind in WEAK_KINDS:
                self.weak_links[key] = kind
                self.labels.setdefault(key, key)
            elif kind == "franchise":
                series.add(URIRef(via))
            else:
                persons.add(URIRef(via))
        for row in _select(self.store, "related/roles", {"film": self.film}):
            persons.add(URIRef(row["via"]))
            if "label" in row:
                self.labels.setdefault(str(row["via"]), str(row["label"]))
        for row in _select(self.store, "related/review-links", {"film": self.film}):
            reviews.add(URIRef(row["via"]))
        if persons:
            people = sorted(persons)
            for row in _select(self.store, "related/people", {"via": people}):
                self._link(URIRef(row["other"]), str(row["via"]), _KIND_OF[str(row["property"])])
            for row in _select(self.store, "related/portrayals", {"via": people}):
                other, person = URIRef(row["other"]), str(row["via"])
                self._link(other, person, "character")
                if "character" in row:
                    self.characters[(other, person)].add(str(row["character"]))
        if series:
            for row in _select(self.store, "related/series", {"via": sorted(series)}):
                self._link(URIRef(row["other"]), str(row["via"]), "franchise")
        if reviews:
            for row in _select(self.store, "related/reviews", {"via": sorted(reviews)}):
                review = str(row["via"])
                self._link(URIRef(row["other"]), review, "mentioned-together")
                publisher, author = row.get("publisherName"), row.get("authorName")
                if publisher is not None:
                    self.review_names[review] = f"{_article(publisher)}{publisher} review"
                elif author is not None:
                    self.review_names.setdefault(review, f"a review by {author}")
        for via in list(self.graph.neighbors(self.film)):
            self.hub[via] = sum(1 for _ in self.graph.neighbors(via))
        self.hub.update(_weak_hub_sizes(self.store, sorted(self.weak_links)))
        self._gather_co_liked()

    @staticmethod
    def _is_iri(text: str) -> bool:
        return text.startswith(("http://", "https://", "urn:", "file:"))

    def _gather_co_liked(self) -> None:
        rows = _select(self.store, "related/co-liked", {"film": self.film})
        shared = {URIRef(r["other"]): int(r["shared"]) for r in rows}
        if not shared:
            return
        films = [self.film, *sorted(shared)]
        likers = {URIRef(r["film"]): int(r["likers"]) for r in _select(self.store, "related/likers",
                                                                        {"film": films})}
        mine = likers.get(self.film, 0)
        for other, n in shared.items():
            theirs = likers.get(other, 0)
            if mine and theirs:
                self.co_liked[other] = n / (math.sqrt(mine) * theirs ** CO_LIKED_DAMPING)
                self.co_liked_shared[other] = n

    # -- scoring -------------------------------------------------------------------------------------
    def candidates(self) -> set[URIRef]:
        found = {n for via in self.graph.neighbors(self.film) for n in self.graph.neighbors(via)}
        found |= set(self.co_liked)
        found.discard(self.film)
        return found

    def _damp(self, kind: str, via: str) -> float:
        return self.weights.get(kind, 0.0) / math.log(1 + max(self.hub.get(via, 2), 2))

    def _person_reasons(self, other: URIRef, via: str, mine: set[str], theirs: set[str]) -> list[Reason]:
        name = self.labels.get(via, via.rsplit("/", 1)[-1])
        reasons = []
        if "director" in mine and "director" in theirs:
            reasons.append(Reason("director", via, name, f"shares director {name}", self._damp("director", via)))
        if "author" in mine and "author" in theirs:
            reasons.append(Reason("author", via, name, f"shares writer {name}", self._damp("author", via)))
        my_roles = self.characters.get((self.film, via), set())
        their_roles = self.characters.get((other, via), set())
        acts_mine = "actor" in mine or "character" in mine
        acts_theirs = "actor" in theirs or "character" in theirs
        if acts_mine and acts_theirs:
            if my_roles and their_roles:
                kind = "lead-actor"
            elif my_roles or their_roles:
                kind = "character-actor"
            else:
                kind = "actor"
            roles = " / ".join(r for r in (", ".join(sorted(my_roles)), ", ".join(sorted(their_roles))) if r)
            text = f"same actor {name} ({roles})" if roles else f"same actor {name}"
            reasons.append(Reason(kind, via, name, text, self._damp(kind, via)))
        return reasons

    def strong_reasons(self, other: URIRef) -> list[Reason]:
        reasons: list[Reason] = []
        if other in self.graph:
            for via in sorted(nx.common_neighbors(self.graph, self.film, other)):
                mine = self.graph.edges[self.film, via]["kinds"]
                theirs = self.graph.edges[other, via]["kinds"]
                if "franchise" in mine & theirs:
                    name = self.labels.get(via, via.rsplit("/", 1)[-1])
                    reasons.append(Reason("franchise", via, name, f"both in the {name} series",
                                          self._damp("franchise", via)))
                elif "mentioned-together" in mine & theirs:
                    where = self.review_names.get(via, "a review")
                    reasons.append(Reason("mentioned-together", via, where, f"mentioned together in {where}",
                                          self._damp("mentioned-together", via)))
                else:
                    reasons += self._person_reasons(other, via, mine, theirs)
        if other in self.co_liked:
            n = self.co_liked_shared[other]
            reasons.append(Reason("co-liked", "", f"{n} reviewers", f"liked by {n} of the same reviewers",
                                  self.weights.get("co-liked", 0.0) * self.co_liked[other]))
        return reasons

    def weak_reasons(self, features: dict[URIRef, list[tuple[str, str]]], other: URIRef) -> list[Reason]:
        reasons = []
        for kind, via in features.get(other, []):
            if self.weak_links.get(via) != kind:
                continue
            label = self.labels.get(via, via)
            text = f"shares genre {label}" if kind == "genre" else f"shares keyword {label}"
            reasons.append(Reason(kind, via, label, text, self._damp(kind, via)))
        return reasons

    def weak_ceiling(self) -> float:
        """The most genres and keywords together can add to any candidate's score."""
        return sum(self._damp(kind, via) for via, kind in self.weak_links.items())

    def features(self, films: list[URIRef]) -> dict[URIRef, list[tuple[str, str]]]:
        found: dict[URIRef, list[tuple[str, str]]] = defaultdict(list)
        if not films or not self.weak_links:
            return found
        for row in _select(self.store, "related/features", {"film": films}):
            found[URIRef(row["film"])].append((str(row["kind"]), str(row["via"])))
        return found

    def weak_only_candidates(self, limit: int) -> list[URIRef]:
        """Films sharing the film's genres or keywords (for when strong links give too few)."""
        weak = [URIRef(v) if self._is_iri(v) else Literal(v) for v in sorted(self.weak_links)]
        if not weak:
            return []
        query = load_query("related/by-feature")
        result = query.run(self.store, {"via": weak})
        assert isinstance(result, SelectResult)
        films = [URIRef(r["other"]) for r in result if URIRef(r["other"]) != self.film]
        return films[:limit]


_HUB_CACHE: dict[tuple[int, str], tuple[float, int]] = {}
#: Seconds a genre's or keyword's film count is reused (counting a genre of 30k films costs ~20 ms).
HUB_CACHE_SECONDS = 300.0


def _weak_hub_sizes(store: Store, vias: list[str]) -> dict[str, int]:
    """How many films carry each genre/keyword, remembered per store for `HUB_CACHE_SECONDS`."""
    now = time.monotonic()
    sizes: dict[str, int] = {}
    missing = []
    for via in vias:
        cached = _HUB_CACHE.get((id(store), via))
        if cached is not None and now - cached[0] < HUB_CACHE_SECONDS:
            sizes[via] = cached[1]
        else:
            missing.append(via)
    if missing:
        terms = [URIRef(v) if _Neighbourhood._is_iri(v) else Literal(v) for v in missing]
        for row in _select(store, "related/hub-sizes", {"via": terms}):
            sizes[str(row["via"])] = int(row["films"])
            _HUB_CACHE[(id(store), str(row["via"]))] = (now, int(row["films"]))
    return sizes


def _passes(details: _Details, filters: Filters, seen: set[URIRef], film: URIRef) -> bool:
    if filters.exclude_seen and film in seen:
        return False
    if filters.min_year is not None and (details.year is None or details.year < filters.min_year):
        return False
    if filters.language:
        wanted = filters.language.strip().lower()
        if not any(lang.lower() == wanted or lang.lower().startswith(wanted + "-") for lang in details.languages):
            return False
    if filters.genre:
        wanted_key = match_key(filters.genre)
        if not any(match_key(g) == wanted_key for g in details.genres):
            return False
    return True


def _rated(store: Store, films: list[URIRef]) -> set[URIRef]:
    if not films:
        return set()
    return {URIRef(r["film"]) for r in _select(store, "related/rated", {"film": films})}


def _order(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    return sorted(suggestions, key=lambda s: (-round(s.score, 9), str(s.film)))


def find_related(store: Store, film: URIRef, top: int = 10, *, min_year: int | None = None,
                 language: str | None = None, genre: str | None = None, exclude_seen: bool = False,
                 weights: dict[str, float] | None = None) -> Related:
    """Suggestions for `film` (best first, at most `top`) and its namesakes, each with its reasons."""
    filters = Filters(min_year, language, genre, exclude_seen)
    own = film_details(store, [film]).get(film)
    if own is None:
        raise NotFound(f"no film <{film}> in the store")
    hood = _Neighbourhood(store, film, dict(RELATION_WEIGHTS if weights is None else weights))
    hood.gather()

    # strong links first: score every candidate on them, best first
    scored: list[tuple[float, URIRef, list[Reason]]] = []
    for other in hood.candidates():
        reasons = hood.strong_reasons(other)
        if reasons:
            scored.append((sum(r.weight for r in reasons), other, reasons))
    scored.sort(key=lambda t: (-round(t[0], 9), str(t[1])))
    ceiling = hood.weak_ceiling()
    kept: list[Suggestion] = []
    position = 0
    while position < len(scored):
        if len(kept) >= top:
            kth = _order(kept)[top - 1].score
            if scored[position][0] + ceiling < kth:
                break  # nothing further down can overtake the current top
        batch = scored[position:position + max(BATCH, 2 * top)]
        position += len(batch)
        films = [other for _, other, _ in batch]
        details = film_details(store, films)
        features = hood.features(films)
        seen = _rated(store, films) if exclude_seen else set()
        for _base, other, reasons in batch:
            info = details.get(other)
            if info is None or not _passes(info, filters, seen, other):
                continue
            all_reasons = reasons + hood.weak_reasons(features, other)
            namesake = other in hood.namesakes
            if namesake:
                all_reasons.append(Reason("namesake", str(other), info.name, "same title, different film"))
            all_reasons.sort(key=lambda r: (-r.weight, r.kind, r.via))
            kept.append(Suggestion(other, info.name, info.year, sum(r.weight for r in all_reasons), all_reasons,
                                   namesake, info.languages, info.genres))
    if len(kept) < top:
        kept += _weak_fill(store, hood, filters, top - len(kept), {s.film for s in kept} | {
            other for _, other, _ in scored})
    suggestions = _order(kept)[:top]

    namesakes = []
    names = film_details(store, hood.namesakes)
    for other in sorted(hood.namesakes):
        info = names.get(other, _Details(other.rsplit("/", 1)[-1], None, [], []))
        namesakes.append(Suggestion(other, info.name, info.year, 0.0,
                                    [Reason("namesake", str(other), info.name, "same title, different film")],
                                    True, info.languages, info.genres))
    return Related(film, own.name, own.year, suggestions, namesakes)


def _weak_fill(store: Store, hood: _Neighbourhood, filters: Filters, wanted: int,
               taken: set[URIRef]) -> list[Suggestion]:
    """Genre/keyword-only suggestions, for films whose strong links give fewer than `top`."""
    pool = [f for f in hood.weak_only_candidates(limit=max(200, 20 * wanted))
            if f not in taken and f not in hood.namesakes]
    if not pool:
        return []
    details = film_details(store, pool)
    features = hood.features(pool)
    seen = _rated(store, pool) if filters.exclude_seen else set()
    found = []
    for other in pool:
        info = details.get(other)
        if info is None or not _passes(info, filters, seen, other):
            continue
        reasons = sorted(hood.weak_reasons(features, other), key=lambda r: (-r.weight, r.kind, r.via))
        if reasons:
            found.append(Suggestion(other, info.name, info.year, sum(r.weight for r in reasons), reasons,
                                    False, info.languages, info.genres))
    return _order(found)[:wanted]


def score_breakdown(store: Store, film_iri: URIRef, candidates: Iterable[URIRef] | None = None, *,
                    weights: dict[str, float] | None = None,
                    features: dict[URIRef, list[tuple[str, str]]] | None = None) -> dict[URIRef, dict[str, float]]:
    """What each kind of link adds to each candidate's score: the terms of `find_related`'s sum, by kind.

    Without `candidates`, the films strong links (or co-likes) reach, with their genres and keywords added,
    as `find_related` scores them; with `candidates`, exactly those films (any of them may score on genres
    and keywords alone). `features` (film -> [(kind, via)] as `related/features` answers) spares the look-up
    of the candidates' genres and keywords when the caller already holds them. No filters, no details, no
    cut-off: for batch use (the evaluation scores every film against many films). A namesake scores only
    when a strong link relates it, as in `find_related`.
    """
    hood = _Neighbourhood(store, film_iri, dict(RELATION_WEIGHTS if weights is None else weights))
    hood.gather()
    reached = hood.candidates()
    pool = reached if candidates is None else set(candidates) - {film_iri}
    found: dict[URIRef, dict[str, float]] = {}
    for other in pool & reached:
        for reason in hood.strong_reasons(other):
            terms = found.setdefault(other, {})
            terms[reason.kind] = terms.get(reason.kind, 0.0) + reason.weight
    if hood.weak_links:
        weak_pool = sorted(found if candidates is None else pool)
        known = features if features is not None else hood.features(weak_pool)
        for other in weak_pool:
            if other in hood.namesakes and other not in found:
                continue
            for reason in hood.weak_reasons(known, other):
                terms = found.setdefault(other, {})
                terms[reason.kind] = terms.get(reason.kind, 0.0) + reason.weight
    for other in hood.namesakes:
        if other in found and not any(kind not in WEAK_KINDS for kind in found[other]):
            del found[other]
    return found


def score_candidates(store: Store, film_iri: URIRef, candidates: Iterable[URIRef] | None = None, *,
                     weights: dict[str, float] | None = None,
                     features: dict[URIRef, list[tuple[str, str]]] | None = None) -> dict[URIRef, float]:
    """Each candidate's related-film score for `film_iri` (the sum of `score_breakdown`'s terms)."""
    return {other: sum(terms.values()) for other, terms in
            score_breakdown(store, film_iri, candidates, weights=weights, features=features).items()}


def related_films(store: Store, film_iri: URIRef, top: int = 10, *, min_year: int | None = None,
                  language: str | None = None, genre: str | None = None, exclude_seen: bool = False,
                  weights: dict[str, float] | None = None) -> list[Suggestion]:
    """The suggestions of `find_related` alone (namesakes are in `find_related(...).namesakes`)."""
    return find_related(store, film_iri, top, min_year=min_year, language=language, genre=genre,
                        exclude_seen=exclude_seen, weights=weights).suggestions


__all__ = ["Filters", "Reason", "Related", "Suggestion", "film_details", "find_related", "related_films",
           "score_breakdown", "score_candidates"]


def _article(name: str) -> str:
    """The article before a publication's name: none for `The ...`, `an` before a vowel, else `a`."""
    if name.lower().startswith("the "):
        return ""
    return "an " if name[:1].lower() in "aeiou" else "a "
