"""The pydantic response models of the JSON lookups and errors (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    error: str = Field(description="What went wrong, in words.")
    candidates: list[FilmRef] | None = Field(None, description="The films an ambiguous title names (409).")
    limit: float | None = Field(None, description="The limit that was exceeded (seconds or rows).")
    acceptable: list[str] | None = Field(None, description="Media types this request can be answered in (406).")


class FilmRef(BaseModel):
    iri: str
    slug: str | None = Field(None, description="Use it in /films/{slug}; absent for a film outside the base.")
    name: str
    year: int | None = None


class PersonRef(BaseModel):
    iri: str
    slug: str | None = None
    name: str


class Labelled(BaseModel):
    iri: str
    label: str


class LangString(BaseModel):
    value: str
    lang: str | None = None


class FilmMatch(FilmRef):
    language: str | None = None
    namesakes: list[FilmRef] = Field(default_factory=list, description="Different films with the same title.")


class FilmSearch(BaseModel):
    title: str
    matches: list[FilmMatch]


class Character(BaseModel):
    iri: str
    name: str


class CastMember(BaseModel):
    person: PersonRef
    characters: list[Character]


class Namesake(BaseModel):
    film: FilmRef
    directors: list[str]


class Rating(BaseModel):
    value: float
    best: float
    worst: float
    normalised: float = Field(description="(value - worst) / (best - worst), 0..1")


class ReviewOut(BaseModel):
    iri: str
    publisher: str | None = None
    author: str | None = None
    rating: Rating | None = None


class Film(BaseModel):
    iri: str
    slug: str | None
    name: str
    year: int | None = None
    date: str | None = None
    alternate_names: list[LangString] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    duration: str | None = None
    content_rating: str | None = None
    genres: list[Labelled] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    directors: list[PersonRef] = Field(default_factory=list)
    writers: list[PersonRef] = Field(default_factory=list)
    cast: list[CastMember] = Field(default_factory=list)
    franchise: list[Labelled] = Field(default_factory=list)
    namesakes: list[Namesake] = Field(default_factory=list)
    reviews: list[ReviewOut] = Field(default_factory=list)
    average_rating: float | None = Field(None, description="Mean normalised rating (0..1) of the rated reviews.")
    same_as: list[str] = Field(default_factory=list)


class ReasonOut(BaseModel):
    kind: str = Field(description="director, author, franchise, lead-actor, actor, co-liked, genre, ...")
    via: str = Field(description="The IRI (or value) the two films share.")
    via_name: str
    text: str
    weight: float


class SuggestionOut(BaseModel):
    film: FilmRef
    score: float
    namesake: bool
    languages: list[str]
    genres: list[str]
    reasons: list[ReasonOut]


class RelatedOut(BaseModel):
    film: FilmRef
    top: int
    suggestions: list[SuggestionOut]
    namesakes: list[FilmRef]


class Credit(BaseModel):
    film: FilmRef
    role: Literal["director", "writer", "actor"] | str
    character: str | None = None


class Person(BaseModel):
    iri: str
    slug: str
    name: str
    alternate_names: list[str] = Field(default_factory=list)
    same_as: list[str] = Field(default_factory=list)
    filmography: list[Credit] = Field(default_factory=list)


class Health(BaseModel):
    status: str
    store: str
    backend: str
    triples: int | None = None
    generation: str
    query_timeout_s: float
    query_result_limit: int
    updates: bool


ErrorBody.model_rebuild()
