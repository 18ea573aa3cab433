"""One film's neighbourhood for related-film discovery: gathered by SPARQL, held in networkx, scored.

The neighbourhood is a bipartite networkx graph: the film, the links it has (people, franchises, reviews that
name it), and every film those links touch, each edge carrying the kinds of link it stands for as bits of
`BIT` (``BIT["actor"] | BIT["character"]``). Genres and keywords are not in it (a genre touches thousands
of films): they are "weak links", scored only for the candidates the strong links bring (see `related`).

Scoring is a weighted Adamic–Adar index: each link ``v`` shared with a candidate adds
``weight(kind) / log(1 + hub(v))``, ``hub(v)`` being the number of films ``v`` touches (its degree in the
neighbourhood graph). `Neighbourhood.strong_terms` yields those terms as numbers for every candidate
(`strong_scores` adds them up), which is all ranking needs; `Neighbourhood.strong_reasons` turns the terms
of one candidate into worded reasons, and is called only for the few candidates that can make the list.

Everything here works on IRIs as plain strings (`Store.select_strings`): a neighbourhood of a busy film holds
thousands of edges, and building rdflib terms for them cost more than the queries.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import math
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
from rdflib import Literal, URIRef

from ..config import CO_LIKED_DAMPING
from ..store import Bindings, Store
from .memo import Memo, intern_all, memoisable
from .queries import load_query

_S = "http://schema.org/"
#: The kind of link each predicate of related/links and related/people makes.
KIND_OF = {f"{_S}director": "director", f"{_S}author": "author", f"{_S}actor": "actor",
           f"{_S}isPartOf": "franchise", f"{_S}genre": "genre", f"{_S}keywords": "keyword",
           "https://w3id.org/filmgraph/ontology#namesakeOf": "namesake"}
#: Kinds that are too weak to relate a namesake or to be enough on their own when strong links exist.
WEAK_KINDS = frozenset({"genre", "keyword"})
#: Each kind of strong link as a bit: an edge of the neighbourhood carries the kinds it stands for as one int.
BIT = {"director": 1, "author": 2, "actor": 4, "character": 8, "franchise": 16, "mentioned-together": 32}
_ACTING = BIT["actor"] | BIT["character"]


@functools.cache
def shared_kinds(mine: int, theirs: int, plays_in_mine: bool, plays_in_theirs: bool) -> tuple[str, ...]:
    """The kinds of term one link makes between the film and another, from the kinds of link each has to it
    (bits of `BIT`) and whether the person plays a named character in each film."""
    common = mine & theirs
    if common & BIT["franchise"]:
        return ("franchise",)
    if common & BIT["mentioned-together"]:
        return ("mentioned-together",)
    kinds = []
    if common & BIT["director"]:
        kinds.append("director")
    if common & BIT["author"]:
        kinds.append("author")
    if mine & _ACTING and theirs & _ACTING:
        kinds.append("lead-actor" if plays_in_mine and plays_in_theirs else
                     "character-actor" if plays_in_mine or plays_in_theirs else "actor")
    return tuple(kinds)

Credits = tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]]
#: person -> ((kind of credit, films), ...) and the films where they play a character. Busy people recur in
#: many neighbourhoods, and their film lists are most of a lookup's rows (100k films: 94 % of them come from
#: people with over 50 films).
PEOPLE: Memo[Credits] = Memo()
#: genre or keyword -> the films that carry it (a genre's films are asked for once, then every candidate's
#: genres are set membership).
WEAK_FILMS: Memo[frozenset[str]] = Memo(1_000_000)
#: At most this many genres and keywords of a film rank genre- and keyword-only suggestions (2^n combinations).
MAX_WEAK_LINKS = 10


@dataclass(frozen=True)
class Reason:
    """One shared link and what it adds to the score."""

    kind: str
    via: str
    via_name: str
    text: str
    weight: float = 0.0


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one lookup (and restore it as it was).

    A neighbourhood is thousands of small dicts, built and dropped in one call, with no reference cycles:
    reference counting frees them. Collections that ran while one was alive promoted it to older
    generations and set off full collections, which cost 1.8 ms per lookup on average and up to 37 ms
    each (100k-film graph, 300 lookups).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rows(store: Store, name: str, bindings: Bindings) -> list[dict[str, str]]:
    """The rows of a named SELECT query, as strings."""
    return load_query(name).strings(store, bindings)


def is_iri(text: str) -> bool:
    return text.startswith(("http://", "https://", "urn:", "file:"))


def as_term(text: str) -> URIRef | Literal:
    """An IRI's or a plain literal's text back as the term to bind (genres are IRIs, keywords literals)."""
    return URIRef(text) if is_iri(text) else Literal(text)


def _iris(texts: Iterator[str] | set[str] | list[str]) -> list[URIRef]:
    return [URIRef(t) for t in sorted(texts)]


def _article(name: str) -> str:
    """The article before a publication's name: none for `The ...`, `an` before a vowel, else `a`."""
    if name.lower().startswith("the "):
        return ""
    return "an " if name[:1].lower() in "aeiou" else "a "


class Neighbourhood:
    """The film, its links, the films those links touch, and the scores that follow."""

    def __init__(self, store: Store, film: str, weights: Mapping[str, float]) -> None:
        self.store = store
        self.film = film
        self.weights = dict(weights)
        self.graph = nx.Graph()
        self.graph.add_node(film)
        self.labels: dict[str, str] = {}
        self.hub: dict[str, int] = {}
        self.plays: set[tuple[str, str]] = set()  # (film, person): the person plays a named character in it
        self.my_roles: dict[str, set[str]] = defaultdict(set)  # person -> the characters they play in the film
        self.review_names: dict[str, str] = {}
        self.namesakes: set[str] = set()
        self.weak_links: dict[str, str] = {}  # via -> kind, for genres and keywords of the film
        self.co_liked: dict[str, float] = {}
        self.co_liked_shared: dict[str, int] = {}
        self.adjacency: dict[str, dict[str, dict[str, int]]] = {film: {}}

    # -- gathering -----------------------------------------------------------------------------------
    def gather(self) -> None:
        """Ask the store for the film's links and the films they touch; build the graph."""
        persons: set[str] = set()
        series: set[str] = set()
        film = URIRef(self.film)
        for row in rows(self.store, "related/links", {"film": film}):
            kind, via = KIND_OF[row["property"]], row["via"]
            if "label" in row:
                self.labels.setdefault(via, row["label"])
            if kind == "namesake":
                self.namesakes.add(via)
            elif kind in WEAK_KINDS:
                self.weak_links[via] = kind
                self.labels.setdefault(via, via)
            elif kind == "franchise":
                series.add(via)
            else:
                persons.add(via)
        for row in rows(self.store, "related/roles", {"film": film}):
            persons.add(row["via"])
            if "label" in row:
                self.labels.setdefault(row["via"], row["label"])
            if "character" in row:
                self.my_roles[row["via"]].add(row["character"])
        reviews = {row["via"] for row in rows(self.store, "related/review-links", {"film": film})}
        edges: dict[tuple[str, str], int] = defaultdict(int)
        if persons:
            known, missing = PEOPLE.get_many(self.store, sorted(persons))
            if missing:
                known.update(self._credits(missing))
            for via, (credits, plays) in known.items():
                for kind, films in credits:
                    bit = BIT[kind]
                    for other in films:
                        edges[other, via] |= bit
                for other in plays:
                    edges[other, via] |= BIT["character"]
                    self.plays.add((other, via))
        if series:
            for row in rows(self.store, "related/series", {"via": _iris(series)}):
                edges[row["other"], row["via"]] |= BIT["franchise"]
        if reviews:
            for row in rows(self.store, "related/reviews", {"via": _iris(reviews)}):
                review = row["via"]
                edges[row["other"], review] |= BIT["mentioned-together"]
                publisher, author = row.get("publisherName"), row.get("authorName")
                if publisher is not None:
                    self.review_names[review] = f"{_article(publisher)}{publisher} review"
                elif author is not None:
                    self.review_names.setdefault(review, f"a review by {author}")
        data = {kinds: {"kinds": kinds} for kinds in set(edges.values())}  # networkx copies each edge's data
        self.graph.add_edges_from((other, via, data[kinds]) for (other, via), kinds in edges.items())
        self.adjacency = dict(self.graph.adjacency())  # networkx's own dicts, read here without its views
        for via in self.adjacency[self.film]:
            self.hub[via] = len(self.adjacency[via])
        self.hub.update(weak_hub_sizes(self.store, sorted(self.weak_links)))
        self._gather_co_liked()

    def _credits(self, persons: list[str]) -> dict[str, Credits]:
        """Each person's films by kind of credit, and where they play a character (asked of the store)."""
        credits: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        plays: dict[str, tuple[str, ...]] = {}
        people = _iris(persons)
        for row in rows(self.store, "related/people", {"via": people}):
            credits[row["via"]].append((KIND_OF[row["property"]], intern_all(row["films"].split())))
        for row in rows(self.store, "related/portrayals", {"via": people}):
            plays[row["via"]] = intern_all(row["films"].split())
        found: dict[str, Credits] = {}
        for person in persons:
            entry = found[person] = (tuple(credits.get(person, ())), plays.get(person, ()))
            PEOPLE.put(self.store, person, entry, 1 + sum(len(f) for _, f in entry[0]) + len(entry[1]))
        return found

    def _gather_co_liked(self) -> None:
        if not has_audience(self.store):
            return
        found = rows(self.store, "related/co-liked", {"film": URIRef(self.film)})
        shared = {r["other"]: int(r["shared"]) for r in found}
        if not shared:
            return
        likers = {r["film"]: int(r["likers"])
                  for r in rows(self.store, "related/likers", {"film": _iris({self.film, *shared})})}
        mine = likers.get(self.film, 0)
        for other, n in shared.items():
            theirs = likers.get(other, 0)
            if mine and theirs:
                self.co_liked[other] = n / (math.sqrt(mine) * theirs ** CO_LIKED_DAMPING)
                self.co_liked_shared[other] = n

    # -- scoring -------------------------------------------------------------------------------------
    def damp(self, kind: str, via: str) -> float:
        """What one shared link of `kind` adds: its weight, damped by the link's hub size."""
        return self.weights.get(kind, 0.0) / math.log(1 + max(self.hub.get(via, 2), 2))

    def _shared_links(self) -> Iterator[tuple[str, tuple[str, ...], list[float]]]:
        """For each (candidate, link it shares with the film): the kinds of term the link makes, and their
        weights (computed once per link and combination of kinds)."""
        adjacency, film, plays = self.adjacency, self.film, self.plays
        for via, mine_edge in adjacency[film].items():
            mine, in_mine = mine_edge["kinds"], (film, via) in plays
            weights_of: dict[tuple[str, ...], list[float]] = {}
            for other, edge in adjacency[via].items():
                if other == film:
                    continue
                kinds = shared_kinds(mine, edge["kinds"], in_mine, (other, via) in plays)
                if not kinds:
                    continue
                weights = weights_of.get(kinds)
                if weights is None:
                    weights = weights_of[kinds] = [self.damp(kind, via) for kind in kinds]
                yield other, kinds, weights

    def _co_liked_terms(self) -> Iterator[tuple[str, str, float]]:
        factor = self.weights.get("co-liked", 0.0)
        for other, value in self.co_liked.items():
            yield other, "co-liked", factor * value

    def strong_terms(self) -> Iterator[tuple[str, str, float]]:
        """(candidate, kind, weight) for every strong link the film shares with another film, and co-likes."""
        for other, kinds, weights in self._shared_links():
            for kind, weight in zip(kinds, weights, strict=True):
                yield other, kind, weight
        yield from self._co_liked_terms()

    def strong_scores(self) -> dict[str, float]:
        """The sum of `strong_terms` for each candidate (the same terms, added in the same order), faster."""
        scores: dict[str, float] = defaultdict(float)
        for other, _kinds, weights in self._shared_links():
            for weight in weights:
                scores[other] += weight
        for other, _kind, weight in self._co_liked_terms():
            scores[other] += weight
        return scores

    def characters(self, films: list[str]) -> dict[tuple[str, str], set[str]]:
        """(film, person) -> the characters the person plays in it, for `films`."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        if films and self.plays:
            for row in rows(self.store, "related/characters", {"film": _iris(films)}):
                found[row["film"], row["via"]].add(row["character"])
        return found

    def _reason(self, kind: str, via: str, weight: float, theirs: set[str]) -> Reason:
        if kind == "mentioned-together":
            where = self.review_names.get(via, "a review")
            return Reason(kind, via, where, f"mentioned together in {where}", weight)
        name = self.labels.get(via, via.rsplit("/", 1)[-1])
        if kind == "franchise":
            return Reason(kind, via, name, f"both in the {name} series", weight)
        if kind == "director":
            return Reason(kind, via, name, f"shares director {name}", weight)
        if kind == "author":
            return Reason(kind, via, name, f"shares writer {name}", weight)
        roles = " / ".join(r for r in (", ".join(sorted(self.my_roles.get(via, ()))), ", ".join(sorted(theirs))) if r)
        return Reason(kind, via, name, f"same actor {name} ({roles})" if roles else f"same actor {name}", weight)

    def strong_reasons(self, other: str, characters: Mapping[tuple[str, str], set[str]]) -> list[Reason]:
        """The worded strong reasons relating `other` (`characters` as `characters()` answers for it)."""
        reasons: list[Reason] = []
        adjacency = self.adjacency
        if other in adjacency:
            mine_links, their_links = adjacency[self.film], adjacency[other]
            for via in sorted(mine_links.keys() & their_links.keys()):
                for kind in shared_kinds(mine_links[via]["kinds"], their_links[via]["kinds"],
                                         (self.film, via) in self.plays, (other, via) in self.plays):
                    reasons.append(self._reason(kind, via, self.damp(kind, via), characters.get((other, via), set())))
        if other in self.co_liked:
            n = self.co_liked_shared[other]
            reasons.append(Reason("co-liked", "", f"{n} reviewers", f"liked by {n} of the same reviewers",
                                  self.weights.get("co-liked", 0.0) * self.co_liked[other]))
        return reasons

    def weak_reasons(self, features: Mapping[str, Sequence[tuple[str, str]]], other: str) -> list[Reason]:
        """The genres and keywords `other` shares with the film (`features` as `features()` answers)."""
        reasons = []
        for kind, via in features.get(other, ()):
            if self.weak_links.get(via) != kind:
                continue
            label = self.labels.get(via, via)
            text = f"shares genre {label}" if kind == "genre" else f"shares keyword {label}"
            reasons.append(Reason(kind, via, label, text, self.damp(kind, via)))
        return reasons

    def weak_ceiling(self) -> float:
        """The most genres and keywords together can add to any candidate's score."""
        return sum(self.damp(kind, via) for via, kind in self.weak_links.items())

    def features(self, films: list[str]) -> dict[str, tuple[tuple[str, str], ...]]:
        """film -> ((kind, via), ...): the genres and keywords of `films` (at least those the film has too).

        When the store's answers can be memoised, the films of each of the film's genres and keywords are
        asked for once (`weak_members`) and the rest is set membership; otherwise each film's genres and
        keywords are asked for.
        """
        if not films or not self.weak_links:
            return {}
        if memoisable(self.store):
            members = weak_members(self.store, sorted(self.weak_links))
            links = [(kind, via, members[via]) for via, kind in sorted(self.weak_links.items())]
            return {film: tuple((kind, via) for kind, via, held in links if film in held) for film in films}
        asked: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in rows(self.store, "related/features", {"film": _iris(films)}):
            asked[row["film"]].append((row["kind"], row["via"]))
        return {film: tuple(asked.get(film, ())) for film in films}

    def weak_only_candidates(self, exclude: set[str]) -> Iterator[str]:
        """Films that share only genres or keywords with the film, the most shared weight first, then by IRI
        (for when strong links give too few films); `exclude` and the film's namesakes are left out.

        Each genre's or keyword's films come from the store once (memoised); the ranking is set algebra over
        them: for each combination of the film's weak links, heaviest first, the films carrying exactly that
        combination.
        """
        weight = {via: self.damp(kind, via) for via, kind in self.weak_links.items()}
        links = sorted(sorted(weight, key=lambda v: (-weight[v], v))[:MAX_WEAK_LINKS])
        if not links:
            return
        members = weak_members(self.store, links)
        left_out = exclude | self.namesakes | {self.film}
        combos: dict[float, list[tuple[str, ...]]] = defaultdict(list)
        for size in range(1, len(links) + 1):
            for combo in itertools.combinations(links, size):
                combos[round(sum(weight[v] for v in combo), 9)].append(combo)
        for total in sorted(combos, reverse=True):
            tier: set[str] = set()
            for combo in combos[total]:
                exact = frozenset.intersection(*(members[v] for v in combo))
                others = [members[v] for v in links if v not in combo]
                tier |= exact.difference(*others) if others else exact
            yield from sorted(tier - left_out)


#: store content version -> whether it holds ratings by reviewers (a store of critics' reviews alone has none).
AUDIENCE: Memo[bool] = Memo(16)


def has_audience(store: Store) -> bool:
    """Whether any review in the store is a reviewer's rating (memoised per store content version)."""
    held, _ = AUDIENCE.get_many(store, ["audience"])
    if "audience" not in held:
        answer = load_query("related/has-audience").run(store)
        held["audience"] = bool(answer)
        AUDIENCE.put(store, "audience", held["audience"])
    return held["audience"]


def weak_hub_sizes(store: Store, vias: list[str]) -> dict[str, int]:
    """How many films carry each genre/keyword: counted from the memoised film sets when the store's answers
    can be memoised (a lookup needs them anyway), else asked for."""
    if memoisable(store):
        return {via: len(films) for via, films in weak_members(store, vias).items()}
    if not vias:
        return {}
    return {row["via"]: int(row["films"]) for row in rows(store, "related/hub-sizes",
                                                          {"via": [as_term(v) for v in vias]})}


def weak_members(store: Store, vias: list[str]) -> dict[str, frozenset[str]]:
    """The films that carry each genre/keyword (memoised per store content version)."""
    found, missing = WEAK_FILMS.get_many(store, vias)
    if missing:
        asked = {row["via"]: row["films"] for row in rows(store, "related/feature-films",
                                                            {"via": [as_term(v) for v in missing]})}
        for via in missing:
            found[via] = frozenset(intern_all(asked.get(via, "").split()))
            WEAK_FILMS.put(store, via, found[via], 1 + len(found[via]))
    return found
