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

import heapq
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rdflib import URIRef

from ..config import RELATION_WEIGHTS
from ..errors import NotFound
from ..link.naming import match_key
from ..store import Store
from .memo import Memo
from .neighbourhood import WEAK_KINDS, Neighbourhood, Reason, cyclic_gc_paused, rows

#: Candidates whose genres and keywords are looked up in the first round when filters are set (without
#: filters: twice `top`); each further round takes twice as many.
BATCH = 64


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


class _Details(NamedTuple):
    """What a suggestion shows of a film (a tuple of atoms: memoised by the thousand, never traced by the GC)."""

    name: str
    year: int | None
    languages: tuple[str, ...]
    genres: tuple[str, ...]


def _year(value: str | None) -> int | None:
    text = value or ""
    return int(text) if text[:4].isdigit() and len(text) == 4 else None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(sorted({v for v in (value or "").split("|") if v}))


#: film -> its details (None: the film has no name), memoised per store content version.
DETAILS: Memo[_Details | None] = Memo(200_000)


def details_of(store: Store, films: Iterable[str]) -> dict[str, _Details]:
    """Name, year, languages and genre labels of each film, by IRI text (absent when the film has no name)."""
    held, missing = DETAILS.get_many(store, sorted(set(films)))
    if missing:
        asked: dict[str, _Details] = {}
        for row in rows(store, "related/films", {"film": [URIRef(f) for f in missing]}):
            if "name" in row:
                asked[row["film"]] = _Details(row["name"], _year(row.get("year")), _split(row.get("languages")),
                                              _split(row.get("genres")))
        for film in missing:
            held[film] = asked.get(film)
            DETAILS.put(store, film, held[film])
    return {film: info for film, info in held.items() if info is not None}


def film_details(store: Store, films: Iterable[URIRef]) -> dict[URIRef, _Details]:
    """Name, year, languages and genre labels of each film (absent when the film has no name)."""
    return {URIRef(film): info for film, info in details_of(store, (str(f) for f in films)).items()}


def _passes(details: _Details, filters: Filters, seen: set[str], film: str) -> bool:
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


def _rated(store: Store, films: list[str]) -> set[str]:
    if not films:
        return set()
    return {r["film"] for r in rows(store, "related/rated", {"film": [URIRef(f) for f in films]})}


def _rank_key(score: float, film: str) -> tuple[float, str]:
    """The order of suggestions: best score first (rounded, so float noise never decides), then by IRI."""
    return -round(score, 9), film


def _order(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    return sorted(suggestions, key=lambda s: _rank_key(s.score, str(s.film)))


def _first_batch(wanted: int, filters: Filters) -> int:
    """How many candidates to look at first: twice what is wanted, more when filters may turn many away."""
    return max(BATCH, 2 * wanted) if filters != Filters() else 2 * wanted


def _eligible(store: Store, films: list[str], filters: Filters, *, along: str | None = None
              ) -> dict[str, _Details | None]:
    """Each film's details, or None when it has no name or fails the filters (`along`: a film whose details
    are fetched in the same query, for later)."""
    details = details_of(store, [*films, along] if along else films)
    seen = _rated(store, films) if filters.exclude_seen else set()
    found: dict[str, _Details | None] = {}
    for film in films:
        info = details.get(film)
        found[film] = info if info is not None and _passes(info, filters, seen, film) else None
    return found


def _suggestion(other: str, info: _Details, reasons: list[Reason], namesake: bool = False) -> Suggestion:
    reasons.sort(key=lambda r: (-r.weight, r.kind, r.via))
    return Suggestion(URIRef(other), info.name, info.year, sum(r.weight for r in reasons), reasons, namesake,
                      list(info.languages), list(info.genres))


#: Candidates put in order at first (the rest only when the lookup gets that far down, which is rare).
HEAD = 256


def _best_first(scores: dict[str, float], count: int) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """The best `count` or so of `scores` in order (score, rounded to 9 decimals, then IRI), and the rest.

    Every candidate left in the rest scores lower, even rounded, than every one put in order.
    """
    if len(scores) > count:
        cut = heapq.nlargest(count, scores.values())[-1] - 1e-6
        head = {other: score for other, score in scores.items() if score >= cut}
        rest = {other: score for other, score in scores.items() if score < cut}
        if rest and round(max(rest.values()), 9) < round(min(head.values()), 9):
            return _best_first(head, len(head))[0], rest
    ordered = sorted(scores, key=lambda other: _rank_key(scores[other], other))
    return [(other, scores[other]) for other in ordered], {}


class _Ranker:
    """Exact scores (strong + weak links) of the strong candidates, best strong score first, a batch at a time;
    details and filters are looked up only for the candidates that lead."""

    def __init__(self, store: Store, hood: Neighbourhood, filters: Filters, scores: dict[str, float]) -> None:
        self.store, self.hood, self.filters = store, hood, filters
        self.ranked, self._unranked = _best_first(scores, HEAD)
        self.ceiling = hood.weak_ceiling()
        self.position = 0
        self.exact: dict[str, float] = {}
        self.features: dict[str, Sequence[tuple[str, str]]] = {}
        self.details: dict[str, _Details | None] = {}  # None: no name, or filtered out

    def explore(self, size: int) -> None:
        """Add the weak links of the next `size` candidates to their scores."""
        if self.position + size > len(self.ranked) and self._unranked:
            self.ranked += _best_first(self._unranked, len(self._unranked))[0]
            self._unranked = {}
        batch = self.ranked[self.position:self.position + size]
        self.position += len(batch)
        found = self.hood.features([other for other, _ in batch])
        for other, strong in batch:
            self.features[other] = found.get(other, ())
            self.exact[other] = strong + sum(r.weight for r in self.hood.weak_reasons(found, other))

    def bound(self) -> float:
        """The most any candidate not yet explored can score."""
        if self.position < len(self.ranked):
            return self.ranked[self.position][1] + self.ceiling
        return max(self._unranked.values(), default=-math.inf) + self.ceiling

    @property
    def exhausted(self) -> bool:
        return self.position >= len(self.ranked) and not self._unranked

    def leaders(self, top: int) -> list[str]:
        """The best `top` explored candidates that pass the filters, best first."""
        order = sorted(self.exact, key=lambda o: _rank_key(self.exact[o], o))
        chosen: list[str] = []
        position = 0
        while len(chosen) < top and position < len(order):
            chunk = order[position:position + top - len(chosen) + 4]
            position += len(chunk)
            # the film's own details come along (memoised for the answer)
            self.details.update(_eligible(self.store, [o for o in chunk if o not in self.details], self.filters,
                                          along=self.hood.film))
            chosen += [o for o in chunk if self.details[o] is not None]
        return chosen[:top]


def find_related(store: Store, film: URIRef, top: int = 10, *, min_year: int | None = None,
                 language: str | None = None, genre: str | None = None, exclude_seen: bool = False,
                 weights: dict[str, float] | None = None) -> Related:
    """Suggestions for `film` (best first, at most `top`) and its namesakes, each with its reasons."""
    with cyclic_gc_paused():
        return _find_related(store, film, top, Filters(min_year, language, genre, exclude_seen), weights)


def _find_related(store: Store, film: URIRef, top: int, filters: Filters,
                  weights: dict[str, float] | None) -> Related:
    hood = Neighbourhood(store, str(film), RELATION_WEIGHTS if weights is None else weights)
    hood.gather()  # an unknown film has an empty neighbourhood: it is reported below, before any wording

    # every strong candidate's score as a number; genres and keywords, details and words only for the leaders
    scores = hood.strong_scores()
    ranker = _Ranker(store, hood, filters, scores)
    size = _first_batch(top, filters)
    while True:
        ranker.explore(size)
        leaders = ranker.leaders(top)
        if ranker.exhausted:
            break
        if len(leaders) == top and ranker.bound() < ranker.exact[leaders[-1]]:
            break  # nothing further down can overtake the current top
        size *= 2
    own = details_of(store, [str(film)]).get(str(film))  # looked up with the leaders' details, when there were any
    if own is None:
        raise NotFound(f"no film <{film}> in the store")
    characters = hood.characters(leaders)
    kept: list[Suggestion] = []
    for other in leaders:
        info = ranker.details[other]
        assert info is not None
        reasons = hood.strong_reasons(other, characters) + hood.weak_reasons(ranker.features, other)
        namesake = other in hood.namesakes
        if namesake:
            reasons.append(Reason("namesake", other, info.name, "same title, different film"))
        kept.append(_suggestion(other, info, reasons, namesake))
    if len(kept) < top:
        kept += _weak_fill(store, hood, filters, top - len(kept), set(scores))
    suggestions = _order(kept)[:top]

    namesakes = []
    names = details_of(store, hood.namesakes)
    for other in sorted(hood.namesakes):
        info = names.get(other, _Details(other.rsplit("/", 1)[-1], None, (), ()))
        namesakes.append(_suggestion(other, info, [Reason("namesake", other, info.name, "same title, different film")],
                                     True))
    return Related(film, own.name, own.year, suggestions, namesakes)


def _weak_fill(store: Store, hood: Neighbourhood, filters: Filters, wanted: int, taken: set[str]) -> list[Suggestion]:
    """Genre/keyword-only suggestions, for films whose strong links give fewer than `top`."""
    found: list[Suggestion] = []
    pool = hood.weak_only_candidates(taken)
    size = _first_batch(wanted, filters)
    while len(found) < wanted:
        batch = list(itertools.islice(pool, size))
        if not batch:
            break
        size *= 2
        eligible = _eligible(store, batch, filters)
        features = hood.features(batch)
        for other in batch:
            info = eligible[other]
            if info is None:
                continue
            reasons = hood.weak_reasons(features, other)
            if reasons:
                found.append(_suggestion(other, info, reasons))
    return _order(found)[:wanted]


def score_breakdown(store: Store, film_iri: URIRef, candidates: Iterable[URIRef] | None = None, *,
                    weights: dict[str, float] | None = None,
                    features: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> dict[URIRef, dict[str, float]]:
    """What each kind of link adds to each candidate's score: the terms of `find_related`'s sum, by kind.

    Without `candidates`, the films strong links (or co-likes) reach, with their genres and keywords added,
    as `find_related` scores them; with `candidates`, exactly those films (any of them may score on genres
    and keywords alone). `features` (film IRI text -> [(kind, via)] as `related/features` answers) spares the
    look-up of the candidates' genres and keywords when the caller already holds them. No filters, no details,
    no cut-off: for batch use (the evaluation scores every film against many films). A namesake scores only
    when a strong link relates it, as in `find_related`.
    """
    with cyclic_gc_paused():
        return _score_breakdown(store, str(film_iri), candidates, weights, features)


def _score_breakdown(store: Store, film: str, candidates: Iterable[URIRef] | None, weights: dict[str, float] | None,
                     features: Mapping[str, Sequence[tuple[str, str]]] | None) -> dict[URIRef, dict[str, float]]:
    hood = Neighbourhood(store, film, RELATION_WEIGHTS if weights is None else weights)
    hood.gather()
    pool = None if candidates is None else {str(c) for c in candidates} - {hood.film}
    found: dict[str, dict[str, float]] = {}
    for other, kind, weight in hood.strong_terms():
        if pool is None or other in pool:
            terms = found.setdefault(other, {})
            terms[kind] = terms.get(kind, 0.0) + weight
    if hood.weak_links:
        weak_pool = sorted(found if pool is None else pool)
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
    return {URIRef(other): terms for other, terms in found.items()}


def score_candidates(store: Store, film_iri: URIRef, candidates: Iterable[URIRef] | None = None, *,
                     weights: dict[str, float] | None = None,
                     features: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> dict[URIRef, float]:
    """Each candidate's related-film score for `film_iri` (the sum of `score_breakdown`'s terms)."""
    return {other: sum(terms.values()) for other, terms in
            score_breakdown(store, film_iri, candidates, weights=weights, features=features).items()}


def related_films(store: Store, film_iri: URIRef, top: int = 10, *, min_year: int | None = None,
                  language: str | None = None, genre: str | None = None, exclude_seen: bool = False,
                  weights: dict[str, float] | None = None) -> list[Suggestion]:
    """The suggestions of `find_related` alone (namesakes are in `find_related(...).namesakes`)."""
    return find_related(store, film_iri, top, min_year=min_year, language=language, genre=genre,
                        exclude_seen=exclude_seen, weights=weights).suggestions


__all__ = ["Filters", "Reason", "Related", "Suggestion", "details_of", "film_details", "find_related",
           "related_films", "score_breakdown", "score_candidates"]
