"""Audience ratings: MovieLens ratings.csv becomes rating reviews, and related films learn who liked what.

tests/data/movielens/ is a hand-made folder: users 1-3 like both The Handmaiden and Decision to Leave,
user 5's rating of 7 and a rating of the unknown movie 999 are bad rows. The real ml-latest-small is
ingested once when ../shared is beside the checkout (slow: 100k ratings, each validated).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from conftest import FIXED_TIME, SHARED
from filmgraph.cli import main
from filmgraph.config import Settings
from filmgraph.discover.related import find_related
from filmgraph.errors import ValidationFailed
from filmgraph.graph.build_ratings import RatingRow
from filmgraph.ingest import Ingestor, IngestOutcome, pipeline, ratings
from filmgraph.store import SelectResult, Store, open_store

ID = "https://w3id.org/filmgraph/id/"
FOLDER = Path(__file__).parent / "data" / "movielens"
IMDB = "https://www.imdb.com/title/"
PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX fg: <https://w3id.org/filmgraph/ontology#>
"""


def select(store: Store, query: str, **bindings: object) -> list[dict[str, object]]:
    result = store.query(PREFIXES + query, bindings)  # type: ignore[arg-type]
    assert isinstance(result, SelectResult)
    return [dict(row) for row in result]


def film_by_imdb(store: Store, tt: str) -> URIRef:
    rows = select(store, "SELECT ?film WHERE { ?film schema:sameAs ?id }", id=URIRef(f"{IMDB}{tt}/"))
    assert len(rows) == 1, rows
    film = rows[0]["film"]
    assert isinstance(film, URIRef)
    return film


@pytest.fixture(scope="module")
def rated() -> Iterator[tuple[Store, IngestOutcome]]:
    store = open_store("memory")
    ingestor = Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME)
    outcome = ingestor.ingest(FOLDER)
    yield store, outcome
    store.close()


def test_ratings_land_in_their_own_graph(rated: tuple[Store, IngestOutcome]) -> None:
    store, outcome = rated
    assert outcome.status == "ingested"
    assert "12 ratings" in outcome.film
    graphs = {str(g) for g in store.graph_names()}
    assert {f"{ID}source/movielens", f"{ID}source/movielens-ratings"} <= graphs
    rows = select(store, "SELECT (COUNT(?r) AS ?n) WHERE { GRAPH ?g { ?r a schema:Review } }",
                  g=URIRef(f"{ID}source/movielens-ratings"))
    assert int(rows[0]["n"]) == 12  # type: ignore[call-overload]


def test_a_review_has_the_right_film_author_rating_and_date(rated: tuple[Store, IngestOutcome]) -> None:
    store, _ = rated
    review = URIRef(f"{ID}review/movielens-u1-m2")
    rows = select(store, """SELECT ?film ?author ?name ?key ?value ?best ?worst ?date WHERE {
        ?review a schema:Review ; schema:itemReviewed ?film ; schema:author ?author ;
                schema:reviewRating ?rating ; schema:datePublished ?date .
        ?author a schema:Person ; schema:name ?name ; fg:matchKey ?key .
        ?rating a schema:Rating ; schema:ratingValue ?value ; schema:bestRating ?best ; schema:worstRating ?worst .
    }""", review=review)
    assert len(rows) == 1
    row = rows[0]
    assert row["film"] == film_by_imdb(store, "tt12477480")  # Decision to Leave, through its IMDb id
    assert row["author"] == URIRef(f"{ID}person/movielens-user-1")
    assert row["name"] == Literal("MovieLens user 1")
    assert float(row["value"]) == 4.5  # type: ignore[arg-type]
    assert float(row["best"]) == 5.0 and float(row["worst"]) == 0.5  # type: ignore[arg-type]
    assert row["date"] == Literal("2017-07-14", datatype=XSD.date)
    assert URIRef(f"{review}#rating") in {r["rating"] for r in select(
        store, "SELECT ?rating WHERE { ?review schema:reviewRating ?rating }", review=review)}


def test_bad_rows_are_warnings_not_crashes(rated: tuple[Store, IngestOutcome]) -> None:
    store, outcome = rated
    text = " | ".join(outcome.warnings)
    assert "1 rating(s) of films not in movies.csv" in text  # movie 999
    assert "1 unreadable rating line(s) (line 14)" in text  # the rating of 7
    assert not select(store, "SELECT ?r WHERE { ?r schema:author ?a }", a=URIRef(f"{ID}person/movielens-user-5"))


def test_reingesting_unchanged_ratings_is_a_no_op(rated: tuple[Store, IngestOutcome]) -> None:
    store, _ = rated
    size = len(store)
    again = Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME).ingest(FOLDER)
    assert again.status == "unchanged"
    assert len(store) == size


def test_changed_ratings_replace_the_graph(tmp_path: Path) -> None:
    folder = tmp_path / "movielens"
    folder.mkdir()
    for name in ("movies.csv", "links.csv", "ratings.csv"):
        (folder / name).write_bytes((FOLDER / name).read_bytes())
    store = open_store("memory")
    ingestor = Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME)
    assert ingestor.ingest(folder).status == "ingested"
    with (folder / "ratings.csv").open("a") as handle:
        handle.write("6,3,4.0,1550000000\n")
    outcome = ingestor.ingest(folder)
    assert outcome.status == "replaced" and "13 ratings" in outcome.film
    rows = select(store, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a schema:Review }")
    assert int(rows[0]["n"]) == 13  # type: ignore[call-overload]
    store.close()


def test_no_ratings_option_imports_the_catalogue_only(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    result = CliRunner().invoke(main, ["--store", str(store_dir), "ingest", "--no-ratings", str(FOLDER)])
    assert result.exit_code == 0, result.output
    store = open_store(str(store_dir))
    try:
        graphs = {str(g) for g in store.graph_names()}
        assert f"{ID}source/movielens" in graphs and f"{ID}source/movielens-ratings" not in graphs
    finally:
        store.close()


def test_dry_run_validates_ratings_and_writes_nothing() -> None:
    store = open_store("memory")
    outcome = Ingestor(store, Settings(store="memory")).ingest(FOLDER, dry_run=True)
    assert outcome.status == "validated" and "12 ratings" in outcome.film
    assert len(store) == 0
    store.close()


def test_related_films_say_liked_by_the_same_reviewers(rated: tuple[Store, IngestOutcome]) -> None:
    store, _ = rated
    handmaiden, decision = film_by_imdb(store, "tt4016934"), film_by_imdb(store, "tt12477480")
    result = find_related(store, handmaiden, top=5)
    top = result.suggestions[0]
    assert top.film == decision
    assert "liked by 3 of the same reviewers" in [r.text for r in top.reasons]
    co_liked = next(r for r in top.reasons if r.kind == "co-liked")
    assert co_liked.weight > 0
    # Oldboy is liked by one of the same reviewers only: not enough to count
    oldboy = film_by_imdb(store, "tt0364569")
    assert all(r.kind != "co-liked" for s in result.suggestions if s.film == oldboy for r in s.reasons)


@pytest.mark.shared
def test_the_real_movielens_ratings(tmp_path: Path) -> None:
    """The real catalogue with the first 2,000 real ratings (all of them take minutes to validate)."""
    folder = SHARED / "data" / "ml-latest-small"
    if not (folder / "ratings.csv").is_file():
        pytest.skip(f"{folder} is not available")
    sample = tmp_path / "ml-latest-small"
    sample.mkdir()
    for name in ("movies.csv", "links.csv"):
        shutil.copyfile(folder / name, sample / name)
    with (folder / "ratings.csv").open(encoding="utf-8") as source:
        head = [next(source) for _ in range(2001)]
    (sample / "ratings.csv").write_text("".join(head), encoding="utf-8")
    store = open_store("memory")
    try:
        outcome = Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME).ingest(sample)
        assert outcome.status == "ingested", outcome.message
        rows = select(store, "SELECT (COUNT(?r) AS ?n) WHERE { GRAPH ?g { ?r a schema:Review } }",
                      g=URIRef(f"{ID}source/ml-latest-small-ratings"))
        assert int(rows[0]["n"]) == 2000  # type: ignore[call-overload]
        # user 1 rated Dangerous Minds (movie 31, tt0112792) 2.5 on 2009-12-14
        review = URIRef(f"{ID}review/movielens-u1-m31")
        rows = select(store, """SELECT ?film ?value ?date WHERE { ?review schema:itemReviewed ?film ;
            schema:reviewRating/schema:ratingValue ?value ; schema:datePublished ?date }""", review=review)
        assert len(rows) == 1 and float(rows[0]["value"]) == 2.5  # type: ignore[arg-type]
        assert rows[0]["film"] == film_by_imdb(store, "tt0112792")
        assert str(rows[0]["date"]) == "2009-12-14"
        again = Ingestor(store, Settings(store="memory")).ingest(sample)
        assert again.status == "unchanged"
    finally:
        store.close()


def _copy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "movielens"
    folder.mkdir()
    for name in ("movies.csv", "links.csv", "ratings.csv"):
        (folder / name).write_bytes((FOLDER / name).read_bytes())
    return folder


def _ratings_quads(store: Store) -> set[tuple[object, ...]]:
    graph = URIRef(f"{ID}source/movielens-ratings")
    return {(s, p, o) for s, p, o, g in store.quads() if g == graph}


@pytest.mark.parametrize("workers", [1, 2])
def test_ratings_in_small_chunks_through_the_text_bulk_path_equal_the_triples_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """Chunks of 4 ratings validated in worker processes and loaded as N-Triples texts into an on-disk store
    give the same graph as the 12 ratings written as triples in one transaction."""
    reference = open_store("memory")
    Ingestor(reference, Settings(store="memory"), clock=lambda: FIXED_TIME).ingest(FOLDER)
    expected = _ratings_quads(reference)
    reference.close()

    monkeypatch.setattr(ratings, "CHUNK", 4)
    monkeypatch.setattr(ratings, "_default_workers", lambda: workers)
    monkeypatch.setattr(pipeline, "BULK_THRESHOLD", 10)
    store = open_store(str(tmp_path / "store"))
    try:
        outcome = Ingestor(store, Settings(store=str(tmp_path / "store")), clock=lambda: FIXED_TIME).ingest(FOLDER)
        assert outcome.status == "ingested" and "12 ratings" in outcome.film, outcome.message
        assert _ratings_quads(store) == expected
        view = select(store, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a schema:Review }")
        assert int(view[0]["n"]) == 12  # type: ignore[call-overload]
    finally:
        store.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bad_chunk_refuses_the_ratings_with_its_report_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """A rating above its scale in the second chunk: the ratings are refused with the report `validate.check`
    gives for that chunk's triples, and the store keeps the catalogue only."""
    folder = _copy_folder(tmp_path)

    def above_scale(user: str, movie: str, film: URIRef, value: float, *scale: object) -> RatingRow:
        return RatingRow(user, movie, film, 9.0 if user == "3" else value, *scale)  # type: ignore[arg-type]

    monkeypatch.setattr(ratings, "RatingRow", above_scale)
    monkeypatch.setattr(ratings, "CHUNK", 4)
    monkeypatch.setattr(ratings, "_default_workers", lambda: workers)
    monkeypatch.setattr(pipeline, "BULK_THRESHOLD", 10)
    store = open_store(str(tmp_path / "store"))
    try:
        ingestor = Ingestor(store, Settings(store=str(tmp_path / "store")), clock=lambda: FIXED_TIME, ratings=False)
        assert ingestor.ingest(folder).status == "ingested"  # the catalogue the ratings link to
        with pytest.raises(ValidationFailed) as refused:
            ratings.ingest_movielens_ratings(ingestor, folder, workers=workers)
        assert "ratings 5-8" in (refused.value.source or "") and "ratingValue" in refused.value.report
        assert f"{ID}source/movielens-ratings" not in {str(g) for g in store.graph_names()}
        assert not select(store, "SELECT ?r WHERE { ?r a schema:Rating }")
    finally:
        store.close()
