"""The only place that writes triples: one review's graph, in schema.org terms, with provenance.

Each review's graph restates the type and name of every node it links to, so it is
self-contained: it validates alone, and retracting it leaves no dangling half of a node.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..extract.values import COUNTRIES  # the readers' table of country names
from ..link.korean import korean_name_key
from ..link.naming import clean_text, match_key, slugify
from ..link.resolve import Entity, FilmEntity, LinkDecision, Resolution, year_of
from ..models import FilmRecord, Rating, ReviewRecord
from ..vocab import FG, OWL, PROV, RDF, SCHEMA, SKOS, IriMinter, string_literal
from .triples import Triples, TripleSink

_DATE_PATTERNS = (
    (re.compile(r"^\d{4}$"), XSD.gYear),
    (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
)


_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_COUNTRY_NAMES: dict[str, str] = {}
for _name, _code in COUNTRIES.items():
    if len(_name) > 3:  # skip abbreviations such as "usa"
        _COUNTRY_NAMES.setdefault(_code, _name.title())


def _new_graph() -> Graph:
    """An empty graph without prefix bindings: binding rdflib's default prefixes cost more than building a review.

    Serialisers bind filmgraph's prefixes themselves (`vocab.bind_prefixes`). The store is rdflib's
    SimpleMemory: a graph of its own needs no per-triple context bookkeeping, which was half the time of adding
    a triple (a catalogue adds 200k).
    """
    return Graph(store="SimpleMemory", bind_namespaces="none")


@functools.lru_cache(maxsize=4096)  # rdflib parses a typed literal's text on each build
def date_literal(value: str) -> Literal | None:
    """`2023` -> xsd:gYear, `2023-10` -> xsd:gYearMonth, `2023-10-25` -> xsd:date."""
    for pattern, datatype in _DATE_PATTERNS:
        if pattern.match(value):
            return Literal(value, datatype=datatype)
    return None


@functools.lru_cache(maxsize=4096)  # rdflib parses a typed literal's text on each build
def duration_literal(minutes: int) -> Literal:
    """93 -> "PT1H33M"^^xsd:duration."""
    hours, rest = divmod(minutes, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")
    return Literal(text, datatype=XSD.duration)


@functools.lru_cache(maxsize=4096)  # rdflib parses a typed literal's text on each build
def number_literal(value: float) -> Literal:
    """A rating number as xsd:decimal in canonical form (3.5, 5.0)."""
    text = f"{value:.2f}".rstrip("0")
    text = text + "0" if text.endswith(".") else text
    return Literal(text, datatype=XSD.decimal)


#: A crew job -> the property that credits it on a film.
CREW_PROPERTIES = {"cinematographer": FG.cinematographer, "composer": SCHEMA.musicBy, "editor": FG.editor,
                   "producer": SCHEMA.producer, "production designer": FG.productionDesigner,
                   "costume designer": FG.costumeDesigner}


class GraphBuilder:
    """Builds one record's graph from its resolution."""

    def __init__(self, minter: IriMinter) -> None:
        self.minter = minter

    def _name(self, g: TripleSink, entity: Entity, type_: URIRef) -> None:
        g.add((entity.iri, RDF.type, type_))
        g.add((entity.iri, SCHEMA.name, string_literal(entity.name)))
        g.add((entity.iri, FG.matchKey, string_literal(entity.key)))
        if type_ == SCHEMA.Person:  # every spelling merged into the node, and its Korean-name key, find it again
            for key in sorted(entity.keys | {k for s in entity.spellings | {entity.name}
                                             if (k := korean_name_key(s))}):
                g.add((entity.iri, FG.matchKey, string_literal(key)))
        for label in entity.alt_labels:
            g.add((entity.iri, SKOS.altLabel, string_literal(label)))
        for identifier in sorted(entity.identifiers):
            g.add((entity.iri, SCHEMA.sameAs, URIRef(identifier)))

    def _film(self, g: TripleSink, film: FilmEntity, resolution: Resolution, *, described: bool,
              primary: bool = False) -> None:
        """A film node; `described` films get every fact the record gives, others a name (and a new one its year)."""
        record = film.record
        self._name(g, film, SCHEMA.Movie)
        if record is None:
            return
        if not described:
            year = year_of(record)
            if not film.existing and year is not None:
                g.add((film.iri, SCHEMA.datePublished, Literal(str(year), datatype=XSD.gYear)))
            return
        date = date_literal(record.release_date) if record.release_date else None
        if date is None and record.year is not None:
            date = Literal(str(record.year), datatype=XSD.gYear)
        if date is not None and (primary or not film.existing):
            g.add((film.iri, SCHEMA.datePublished, date))
        if record.original_title and record.original_title != film.name:
            if record.original_title_lang:
                g.add((film.iri, SCHEMA.alternateName, Literal(record.original_title, lang=record.original_title_lang)))
            else:
                g.add((film.iri, SKOS.altLabel, Literal(record.original_title)))
            g.add((film.iri, FG.matchKey, string_literal(match_key(record.original_title))))
        for language in record.languages:
            g.add((film.iri, SCHEMA.inLanguage, string_literal(language)))
        for country in record.countries:
            code = country.strip().upper()
            if not _COUNTRY_CODE.match(code):
                continue  # a name no table maps to a code (e.g. "West Germany") is not a country node
            node = self.minter("country", slugify(code))
            g.add((film.iri, SCHEMA.countryOfOrigin, node))
            g.add((node, RDF.type, SCHEMA.Country))
            g.add((node, SCHEMA.name, string_literal(_COUNTRY_NAMES.get(code, code))))
            g.add((node, SCHEMA.identifier, string_literal(code)))
        if record.runtime_minutes:
            g.add((film.iri, SCHEMA.duration, duration_literal(record.runtime_minutes)))
        for genre in record.genres:
            label = clean_text(genre)
            node = self.minter("genre", slugify(label))
            g.add((film.iri, SCHEMA.genre, node))
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.prefLabel, Literal(label, lang="en")))
        if record.content_rating:
            g.add((film.iri, SCHEMA.contentRating, Literal(record.content_rating)))
        for predicate, names in ((SCHEMA.director, record.directors), (SCHEMA.author, record.writers)):
            for name in names:
                if not match_key(name):
                    continue
                person = resolution.person(name, record)
                g.add((film.iri, predicate, person.iri))
                self._name(g, person, SCHEMA.Person)
        for job, name in record.crew:
            crew_property = CREW_PROPERTIES.get(job)
            if crew_property is None or not match_key(name):
                continue
            person = resolution.person(name, record)
            g.add((film.iri, crew_property, person.iri))
            self._name(g, person, SCHEMA.Person)
        for credit in record.cast:
            if not match_key(credit.actor):
                continue
            actor = resolution.person(credit.actor, record)
            g.add((film.iri, SCHEMA.actor, actor.iri))
            self._name(g, actor, SCHEMA.Person)
            if credit.character:
                character = resolution.character(film.iri, credit.character)
                g.add((film.iri, SCHEMA.character, character.iri))
                self._name(g, character, FG.Character)
                g.add((character.iri, FG.portrayedBy, actor.iri))
                g.add((character.iri, FG.characterIn, film.iri))
        if record.franchise:
            series = next(s for s in resolution.series.values() if s.spellings & {record.franchise})
            g.add((film.iri, SCHEMA.isPartOf, series.iri))
            g.add((series.iri, SCHEMA.hasPart, film.iri))
            self._name(g, series, SCHEMA.MovieSeries)
        for tagline in record.taglines:
            g.add((film.iri, FG.tagline, Literal(tagline)))
        for keyword in record.keywords:
            g.add((film.iri, SCHEMA.keywords, Literal(keyword)))
        if record.description:
            g.add((film.iri, SCHEMA.description, Literal(record.description)))

    @staticmethod
    def _namesakes(g: TripleSink, resolution: Resolution) -> None:
        for a, b in sorted(resolution.namesakes):
            g.add((a, FG.namesakeOf, b))
            g.add((b, FG.namesakeOf, a))
            g.add((a, OWL.differentFrom, b))
            g.add((b, OWL.differentFrom, a))
            for node in (a, b):
                if node in resolution.stored_names:
                    g.add((node, RDF.type, SCHEMA.Movie))
                    g.add((node, SCHEMA.name, string_literal(resolution.stored_names[node])))

    @staticmethod
    def _decisions(g: TripleSink, graph_iri: URIRef, decisions: list[LinkDecision]) -> None:
        """Each merge and near-miss, with its evidence, so `filmgraph links` can report it."""
        for n, d in enumerate(sorted(set(decisions), key=lambda d: (d.kind, d.spelling, d.candidate)), start=1):
            node = URIRef(f"{graph_iri}#link-{n}")
            g.add((node, RDF.type, FG.LinkDecision))
            g.add((node, FG.spelling, Literal(d.spelling)))
            g.add((node, FG.comparedWith, URIRef(d.candidate)))
            if d.node:
                g.add((node, FG.linkedTo, URIRef(d.node)))
            g.add((node, FG.decision, Literal(d.decision)))
            g.add((node, FG.evidence, Literal(d.evidence)))
            g.add((graph_iri, FG.linkDecision, node))

    def catalogue_graphs(self, films: list[FilmRecord], resolution: Resolution, *,
                         chunk: int = 250) -> list[Triples]:
        """A catalogue's films in self-contained chunks (each validates on its own), as `Triples`: an rdflib
        graph's indexes were a third of importing the IMDb 5000 CSV, and nothing reads a chunk back."""
        graphs = []
        for start in range(0, len(films), chunk):
            g = Triples()
            for record in films[start:start + chunk]:
                self._film(g, resolution.film_for(record), resolution, described=True, primary=True)
            graphs.append(g)
        if resolution.namesakes:
            g = Triples()
            self._namesakes(g, resolution)
            for a, b in resolution.namesakes:
                for node in (a, b):
                    if node not in resolution.stored_names:
                        entity = next((f for f in resolution.films if f.iri == node), None)
                        if entity is not None:
                            g.add((node, RDF.type, SCHEMA.Movie))
                            g.add((node, SCHEMA.name, string_literal(entity.name)))
            graphs.append(g)
        return graphs

    def source_graph(self, graph_iri: URIRef, *, name: str, source_iri: URIRef, content_hash: str,
                     decisions: list[LinkDecision], ingested_at: datetime | None = None) -> Graph:
        """What a catalogue graph says about itself: a dataset, where it came from, its link decisions."""
        g = _new_graph()
        g.add((graph_iri, RDF.type, SCHEMA.Dataset))
        g.add((graph_iri, SCHEMA.name, Literal(name)))
        self._decisions(g, graph_iri, decisions)
        self.provenance(g, graph_iri, source_iri, content_hash, ingested_at)
        return g

    def _rating(self, g: TripleSink, node: URIRef, rating: Rating) -> None:
        g.add((node, RDF.type, SCHEMA.Rating))
        if isinstance(rating.value, str):
            g.add((node, SCHEMA.ratingValue, Literal(rating.value)))  # a letter grade, printed without a scale
        else:
            g.add((node, SCHEMA.ratingValue, number_literal(rating.value)))
        if rating.best is not None:  # a scale only when the source printed one
            g.add((node, SCHEMA.bestRating, number_literal(rating.best)))
            g.add((node, SCHEMA.worstRating, number_literal(rating.worst or 0.0)))

    def review_graph(self, record: ReviewRecord, resolution: Resolution, review_iri: URIRef,
                     *, source_iri: URIRef, ingested_at: datetime | None = None) -> Graph:
        """The whole named graph of one review: films, people, characters, review, provenance."""
        return self.review_triples(record, resolution, review_iri, source_iri=source_iri,
                                   ingested_at=ingested_at).graph()

    def review_triples(self, record: ReviewRecord, resolution: Resolution, review_iri: URIRef,
                       *, source_iri: URIRef, ingested_at: datetime | None = None) -> Triples:
        """`review_graph`'s triples, as the pipeline validates and writes them (no rdflib graph is built)."""
        g = Triples()
        main = resolution.films[0]
        described = [record.film, *record.namesakes]
        for film in resolution.films:
            if film.record is record.film or film.iri != main.iri:
                self._film(g, film, resolution, described=any(film.record is d for d in described),
                           primary=film.iri == main.iri)
        self._namesakes(g, resolution)
        self._decisions(g, review_iri, resolution.decisions)
        g.add((review_iri, RDF.type, SCHEMA.Review))
        g.add((review_iri, SCHEMA.itemReviewed, main.iri))
        for mention in [*record.mentions, *record.namesakes]:  # a namesake the review tells apart is named in it
            mentioned = resolution.film_for(mention)
            if mentioned.iri != main.iri:
                g.add((review_iri, SCHEMA.mentions, mentioned.iri))
        if record.publisher and resolution.orgs:
            org = next(iter(resolution.orgs.values()))
            g.add((review_iri, SCHEMA.publisher, org.iri))
            self._name(g, org, SCHEMA.Organization)
        if record.author:
            author = resolution.person(record.author)
            g.add((review_iri, SCHEMA.author, author.iri))
            self._name(g, author, SCHEMA.Person)
        if record.rating is not None:
            rating_node = URIRef(f"{review_iri}#rating")
            g.add((review_iri, SCHEMA.reviewRating, rating_node))
            self._rating(g, rating_node, record.rating)
        if record.headline:
            g.add((review_iri, SCHEMA.headline, Literal(record.headline)))
        if record.summary:
            g.add((review_iri, SCHEMA.description, Literal(record.summary)))
        if record.url:
            g.add((review_iri, SCHEMA.url, URIRef(record.url)))
        if record.date_published and (published := date_literal(record.date_published)) is not None:
            g.add((review_iri, SCHEMA.datePublished, published))
        if record.language:
            g.add((review_iri, SCHEMA.inLanguage, Literal(record.language)))
        self.provenance(g, review_iri, source_iri, record.content_hash, ingested_at)
        return g

    @staticmethod
    def provenance(g: TripleSink, graph_iri: URIRef, source_iri: URIRef, content_hash: str,
                   ingested_at: datetime | None) -> None:
        """The graph was derived from its source, at a time, from bytes with this hash."""
        when = ingested_at or datetime.now(timezone.utc)
        g.add((graph_iri, PROV.wasDerivedFrom, source_iri))
        g.add((graph_iri, PROV.generatedAtTime, Literal(when.isoformat(timespec="seconds"),
                                                        datatype=XSD.dateTime)))
        if content_hash:
            g.add((graph_iri, FG.contentHash, Literal(content_hash)))


def film_summary(record: FilmRecord) -> str:
    """`Ballerina (2023)` for messages."""
    return f"{record.title} ({record.year})" if record.year else record.title
