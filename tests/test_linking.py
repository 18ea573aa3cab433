"""Linking across sources: the three catalogues, the sample reviews and the seed land on one node per thing.

Reads the real catalogues under ../shared/data (skipped when absent); they are imported once per module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import URIRef

from conftest import FIXED_TIME, SAMPLES, SHARED
from filmgraph.config import Settings
from filmgraph.ingest import Ingestor
from filmgraph.store import SelectResult, Store, open_store

ID = "https://w3id.org/filmgraph/id/"
PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX fg: <https://w3id.org/filmgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
INPUTS = ["data/kmdb_korean_films_56.json", "data/imdb5000_movie_metadata.csv", "data/ml-latest-small"]


@pytest.fixture(scope="module")
def linked() -> Iterator[Store]:
    paths = [SHARED / p for p in INPUTS] + [SAMPLES, SHARED / "seeds" / "000_e60a94f7ba5846fc.txt"]
    if not all(p.exists() for p in paths):
        pytest.skip("the shared catalogues are not available")
    store = open_store("memory")
    # ratings.csv (100k audience ratings) is tests/test_ratings.py's business, not linking's
    ingestor = Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME, ratings=False)
    for outcome in ingestor.ingest_many(paths):
        assert outcome.status == "ingested", f"{outcome.source}: {outcome.message}"
    yield store
    store.close()


def rows(store: Store, query: str, **bindings: object) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query, bindings)  # type: ignore[arg-type]
    assert isinstance(result, SelectResult)
    return [{k: str(v) for k, v in row.items()} for row in result]


def films_titled(store: Store, key: str) -> dict[str, set[str]]:
    """film IRI -> its years, for every film whose title has this match key."""
    found: dict[str, set[str]] = {}
    for row in rows(store, """SELECT ?film ?date WHERE { ?film a schema:Movie ; fg:matchKey ?key .
                              OPTIONAL { ?film schema:datePublished ?date } }""", key=_lit(key)):
        found.setdefault(row["film"], set()).add(row.get("date", "")[:4])
    return found


def _lit(value: str) -> object:
    from rdflib import Literal

    return Literal(value)


def test_the_host_2006_is_one_film_across_all_three_catalogues(linked: Store) -> None:
    hosts = films_titled(linked, "thehost")
    assert len(hosts) == 2, hosts
    (host_2006,) = [f for f, years in hosts.items() if "2006" in years]
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?film a schema:Movie } }"
    graphs = {r["g"].rsplit("/", 1)[-1] for r in rows(linked, query, film=URIRef(host_2006))}
    assert {"kmdb-korean-films-56", "imdb5000-movie-metadata", "ml-latest-small"} <= graphs
    ids = {r["id"] for r in rows(linked, "SELECT ?id WHERE { ?film schema:sameAs ?id }", film=URIRef(host_2006))}
    assert "https://www.imdb.com/title/tt0468492/" in ids


def test_namesakes_stay_apart_and_are_linked(linked: Store) -> None:
    for key, years in (("thehost", {"2006", "2013"}), ("oldboy", {"2003", "2013"}),
                       ("ballerina", {"2023", "2025"})):
        films = films_titled(linked, key)
        wanted = {f for f, ys in films.items() if ys & years}
        assert len(wanted) == 2, (key, films)
        a, b = sorted(wanted)
        linked_pairs = rows(linked, "SELECT ?x WHERE { ?a fg:namesakeOf ?b }", a=URIRef(a), b=URIRef(b))
        assert linked_pairs, f"{a} and {b} are not linked as namesakes"


def test_no_two_film_nodes_share_an_imdb_id(linked: Store) -> None:
    duplicates = rows(linked, """SELECT ?id (COUNT(DISTINCT ?film) AS ?n) WHERE {
        ?film a schema:Movie ; schema:sameAs ?id . FILTER(STRSTARTS(STR(?id), "https://www.imdb.com/title/")) }
        GROUP BY ?id HAVING (COUNT(DISTINCT ?film) > 1)""")
    assert duplicates == []


@pytest.mark.parametrize("spellings", [
    ("Bong Joon-ho", "Joon-ho Bong", "봉준호"),
    ("Park Chan-wook", "Chan-wook Park", "Park Chan-Wook", "박찬욱"),
    ("Hwang Jung-min", "Jung-min Hwang"),
])
def test_a_person_is_one_node_across_name_orders_and_scripts(linked: Store, spellings: tuple[str, ...]) -> None:
    from rdflib import Literal

    nodes = rows(linked, """SELECT DISTINCT ?person WHERE { ?person a schema:Person .
        { ?person schema:name ?label } UNION { ?person skos:altLabel ?label } }""",
                 label=[Literal(s) for s in spellings])
    assert len({r["person"] for r in nodes}) == 1, nodes


def test_burning_from_kmdb_and_a_review_is_one_film_with_jeon_jong_seo_one_person(linked: Store) -> None:
    films = films_titled(linked, "burning")
    burning = [f for f, years in films.items() if "2018" in years]
    assert len(burning) == 1, films
    graphs = {r["g"].rsplit("/", 1)[-1] for r in rows(
        linked, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?film a schema:Movie ; schema:actor ?a } }",
        film=URIRef(burning[0]))}
    assert {"kmdb-korean-films-56", "burning-2018-dash-credits"} <= graphs
    people = rows(linked, """SELECT DISTINCT ?p WHERE { ?p a schema:Person ; fg:matchKey "jeonjongseo" }""")
    assert len(people) == 1
    roles = rows(linked, "SELECT ?film WHERE { ?film schema:actor ?p }", p=URIRef(people[0]["p"]))
    assert {burning[0], ID + "film/ballerina-2023"} <= {r["film"] for r in roles}


def test_the_links_report_lists_merges_and_near_misses_with_evidence(linked: Store) -> None:
    decisions = rows(linked, """SELECT ?spelling ?decision ?evidence WHERE { ?d a fg:LinkDecision ;
        fg:spelling ?spelling ; fg:decision ?decision ; fg:evidence ?evidence }""")
    merged = {(d["spelling"], d["evidence"]) for d in decisions if d["decision"] == "merged"}
    assert any(s == "Joon-ho Bong" and ("shared film" in e or "Korean name" in e) for s, e in merged)
    kept = [d for d in decisions if d["decision"] == "kept-apart"]
    reasons = ("no shared film or identifier", "same title, but no agreeing")
    assert kept and all(any(r in d["evidence"] for r in reasons) for d in kept)


def test_reimporting_an_unchanged_catalogue_is_a_no_op(linked: Store) -> None:
    ingestor = Ingestor(linked, Settings(store="memory"), clock=lambda: FIXED_TIME)
    before = len(linked)
    outcome = ingestor.ingest(SHARED / "data" / "kmdb_korean_films_56.json")
    assert outcome.status == "unchanged"
    assert len(linked) == before
