"""What readers extract: plain dataclasses, no rdflib.

Readers fill these in from what a source says; the resolver turns names into nodes and the
builder turns records into triples. Every field is optional except what identifies the thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CastCredit:
    """An actor, optionally with the character they play in the film the credit belongs to."""

    actor: str
    character: str | None = None


@dataclass
class Rating:
    """A rating on its own scale: `value` between `worst` and `best` (3.5 of 5, 7 of 10, 3 of 4).

    A rating printed without a scale (`Four stars`, `Rated 4.0`, a letter grade `A`) keeps `best` and
    `worst` None: the scale is never invented. A letter grade's value is the grade itself.
    """

    value: float | str
    best: float | None = 5.0
    worst: float | None = 0.0

    @property
    def normalised(self) -> float | None:
        """The value on a 0-1 scale, or None when the page printed no scale."""
        if self.best is None or isinstance(self.value, str):
            return None
        worst = self.worst or 0.0
        span = self.best - worst
        return (self.value - worst) / span if span else 0.0


@dataclass
class FilmRecord:
    """One film as a source describes it.

    `release_date` is as precise as the source: `"2023"`, `"2023-10"` or `"2023-10-25"`.
    `languages` are BCP 47 tags (`"ko"`), `countries` ISO 3166 alpha-2 codes or names as given.
    `original_title_lang` is the BCP 47 tag of `original_title`.
    `identifiers` are full IRIs the film is known by (Wikidata, IMDb, TMDb ...).
    `person_identifiers` and `person_aliases` map a credited name to that person's identifier IRIs
    and to other spellings the source gives (e.g. the Hangul name beside the romanised one).
    """

    title: str
    year: int | None = None
    release_date: str | None = None
    original_title: str | None = None
    original_title_lang: str | None = None
    languages: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    runtime_minutes: int | None = None
    genres: list[str] = field(default_factory=list)
    content_rating: str | None = None
    directors: list[str] = field(default_factory=list)
    writers: list[str] = field(default_factory=list)
    cast: list[CastCredit] = field(default_factory=list)
    crew: list[tuple[str, str]] = field(default_factory=list)  # (job, name): cinematographer, composer, ...
    franchise: str | None = None
    taglines: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    description: str | None = None
    identifiers: list[str] = field(default_factory=list)
    person_identifiers: dict[str, list[str]] = field(default_factory=dict)
    person_aliases: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ReviewRecord:
    """One review (or catalogue entry) of one film, with what else it says about other films.

    `mentions` are other films the text names; `namesakes` are films said to share the reviewed
    film's title but to be different films (their own franchise, year or origin distinguish them).
    `related` are further films described in the same source (e.g. the franchise's other films).
    """

    source: str
    film: FilmRecord
    content_hash: str = ""
    headline: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    rating: Rating | None = None
    summary: str | None = None
    date_published: str | None = None
    language: str | None = None
    mentions: list[FilmRecord] = field(default_factory=list)
    namesakes: list[FilmRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    """Why a reader took a fact: the field, the value, the 1-based line of the source and the cue."""

    field: str
    value: str
    line: int
    cue: str


@dataclass
class CatalogueRecord:
    """A structured film catalogue (IMDb 5000 CSV, KMDb JSON, MovieLens ...) read as a whole.

    `name` is a stable identifier of the catalogue (`imdb5000`, `kmdb`, `movielens`); each
    catalogue lands in its own named graph. `reviews` carries audience ratings when the
    catalogue has them (MovieLens `ratings.csv`).
    """

    source: str
    name: str
    films: list[FilmRecord] = field(default_factory=list)
    reviews: list[ReviewRecord] = field(default_factory=list)
    content_hash: str = ""
    warnings: list[str] = field(default_factory=list)
