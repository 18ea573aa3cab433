"""End to end: a review file becomes a validated named graph; bad input changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from conftest import SAMPLES
from filmgraph.errors import ExtractionError, InputError, ValidationFailed
from filmgraph.ingest import Ingestor
from filmgraph.store import SelectResult, Store
from golden_support import location_free
from schema_vocab import schema_terms_missing

BASE = "https://w3id.org/filmgraph/id/"
PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX fg: <https://w3id.org/filmgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def select(store: Store, body: str, **bindings: object) -> list[dict[str, str]]:
    result = store.query(PREFIXES + body, bindings)  # type: ignore[arg-type]
    assert isinstance(result, SelectResult)
    return [{k: str(v) for k, v in row.items()} for row in result]


def ask(store: Store, body: str) -> bool:
    result = store.query(PREFIXES + body)
    assert isinstance(result, bool)
    return result


@pytest.fixture
def seeded(ingestor: Ingestor, seed_path: Path) -> Store:
    outcome = ingestor.ingest(seed_path)
    assert outcome.status == "ingested", outcome.message
    return ingestor.store


def test_seed_film_facts(seeded: Store) -> None:
    film = URIRef(BASE + "film/ballerina-2023")
    rows = select(seeded, """SELECT ?p ?o WHERE { ?film ?p ?o }""", film=film)
    facts = {(r["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1], r["o"]) for r in rows}
    assert ("name", "Ballerina") in facts
    assert ("alternateName", "발레리나") in facts
    assert ("inLanguage", "ko") in facts
    assert ("duration", "PT1H33M") in facts
    assert ("datePublished", "2023-10") in facts
    assert ("contentRating", "18+") in facts
    assert {o for p, o in facts if p == "genre"} == {BASE + f"genre/{g}" for g in ("action", "mystery", "thriller")}
    assert ask(seeded, f"""ASK {{ <{film}> schema:alternateName "발레리나"@ko ;
        schema:datePublished "2023-10"^^<{XSD.gYearMonth}> ; schema:duration "PT1H33M"^^<{XSD.duration}> }}""")


def test_seed_people_and_characters(seeded: Store) -> None:
    film = URIRef(BASE + "film/ballerina-2023")
    crew = select(seeded, """SELECT ?role ?name WHERE {
        VALUES ?role { schema:director schema:author } ?film ?role ?p . ?p schema:name ?name }""", film=film)
    assert {(r["role"].rsplit("/", 1)[-1], r["name"]) for r in crew} == {
        ("director", "Lee Chung-Hyeon"), ("author", "Lee Chung-Hyeon")}
    cast = select(seeded, """SELECT ?actor ?character WHERE {
        ?film schema:character ?c . ?c schema:name ?character ; fg:portrayedBy ?a . ?a schema:name ?actor .
        ?film schema:actor ?a }""", film=film)
    assert {(r["actor"], r["character"]) for r in cast} == {
        ("Jeon Jong-Seo", "Ok-ju"), ("Kim Ji-hoon", "Pro Choi"), ("Park Yu-rim", "Min-hee")}


def test_seed_spellings_merge_into_one_node(seeded: Store) -> None:
    people = select(seeded, """SELECT ?p WHERE { ?p a schema:Person ; schema:name ?n .
        FILTER(CONTAINS(LCASE(?n), "jeon")) }""")
    assert len({r["p"] for r in people}) == 1
    assert ask(seeded, 'ASK { ?p schema:name "Jeon Jong-Seo" ; skos:altLabel "Jeon Jong-seo" }')
    characters = select(seeded, """SELECT ?c WHERE { ?c a fg:Character ; schema:name ?n .
        FILTER(CONTAINS(LCASE(?n), "min")) }""")
    assert len({r["c"] for r in characters}) == 1
    assert ask(seeded, 'ASK { ?c a fg:Character ; schema:name "Min-hee" ; skos:altLabel "Minhee" }')


def test_seed_review_rating_publisher_and_mentions(seeded: Store) -> None:
    rows = select(seeded, """SELECT ?publisher ?value ?best ?mentioned ?tagline WHERE {
        ?r a schema:Review ; schema:itemReviewed ?film ; schema:publisher/schema:name ?publisher ;
           schema:reviewRating [ schema:ratingValue ?value ; schema:bestRating ?best ] ;
           schema:mentions/schema:name ?mentioned .
        ?film fg:tagline ?tagline }""", film=URIRef(BASE + "film/ballerina-2023"))
    # the review names Kill Boksoon, and the John Wick Ballerina it tells its film apart from
    assert {(r["publisher"], float(r["value"]), float(r["best"]), r["mentioned"]) for r in rows} == {
        ("Focus Magazine", 3.5, 5.0, "Kill Boksoon"), ("Focus Magazine", 3.5, 5.0, "Ballerina")}
    assert {r["tagline"] for r in rows} == {
        "One Thing I Had to Protect.", "Merciless and Ruthless, To Hell.",
        "I will hunt you down, all the way to hell.", "Does it look like, I am joking to you?"}


def test_seed_namesake_is_a_distinct_john_wick_film(seeded: Store) -> None:
    rows = select(seeded, """SELECT ?other ?series WHERE {
        ?film fg:namesakeOf ?other . ?other fg:namesakeOf ?film ; schema:name "Ballerina" ;
              schema:isPartOf/schema:name ?series .
        ?film owl:differentFrom ?other . ?other owl:differentFrom ?film }""",
                  film=URIRef(BASE + "film/ballerina-2023"))
    assert [r["series"] for r in rows] == ["John Wick"]
    assert rows[0]["other"] != BASE + "film/ballerina-2023"
    assert not ask(seeded, f"ASK {{ <{BASE}film/ballerina-2023> schema:isPartOf ?s }}")


def test_seed_provenance(seeded: Store, seed_path: Path) -> None:
    rows = select(seeded, """SELECT ?g ?source ?hash ?time WHERE { GRAPH ?g {
        ?g a schema:Review ; prov:wasDerivedFrom ?source ; fg:contentHash ?hash ; prov:generatedAtTime ?time } }""")
    assert len(rows) == 1
    assert rows[0]["g"] == BASE + "review/000-e60a94f7ba5846fc"
    assert rows[0]["source"] == seed_path.resolve().as_uri()
    assert len(rows[0]["hash"]) == 64
    assert rows[0]["time"].startswith("2026-01-01T12:00:00")


def test_every_schema_term_emitted_exists_in_schema_org(seeded: Store, ingestor: Ingestor) -> None:
    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    for outcome in ingestor.ingest_many([samples]):
        assert outcome.status in {"ingested", "replaced"}, outcome.message
    missing = schema_terms_missing(location_free(seeded))
    assert missing == set()


def test_reingesting_the_same_review_leaves_the_store_isomorphic(ingestor: Ingestor, seed_path: Path) -> None:
    ingestor.ingest(seed_path)
    before = location_free(ingestor.store)
    again = ingestor.ingest(seed_path)
    assert again.status == "unchanged"
    assert isomorphic(before, location_free(ingestor.store))


def test_a_changed_review_replaces_its_graph(ingestor: Ingestor, tmp_path: Path, seed_path: Path) -> None:
    copy = tmp_path / "review.txt"
    text = seed_path.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    assert ingestor.ingest(copy).status == "ingested"
    copy.write_text(text.replace("FM’s rating3.50/5", "FM’s rating4.00/5"), encoding="utf-8")
    assert ingestor.ingest(copy).status == "replaced"
    values = select(ingestor.store, "SELECT ?v WHERE { ?r schema:reviewRating/schema:ratingValue ?v }")
    assert [float(r["v"]) for r in values] == [4.0]


BAD_INPUTS = {
    "empty.txt": b"",
    "blank.txt": b"   \n\n\t  \n",
    "binary.txt": bytes(range(256)) * 4,
    "latin1.txt": "Caf\u00e9 review: Amélie (2001), directed by Jean-Pierre Jeunet".encode("latin-1"),
    "nofilm.txt": b"Shopping list\n\nmilk, eggs, bread\nremember to call the bank\n",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_refused_by_name_and_changes_nothing(ingestor: Ingestor, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    with pytest.raises((InputError, ExtractionError)) as info:
        ingestor.ingest(path)
    assert name in str(info.value)
    assert len(ingestor.store) == 0


def test_missing_path_is_refused(ingestor: Ingestor, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothing-here\.txt"):
        ingestor.ingest(tmp_path / "nothing-here.txt")
    outcomes = list(ingestor.ingest_many([tmp_path / "nothing-here.txt", SAMPLES / "oldboy_2003_glued.txt"]))
    assert [o.status for o in outcomes] == ["refused", "ingested"]
    assert "no such file" in outcomes[0].message


def test_invalid_data_is_refused_with_a_report_and_nothing_is_written(
        ingestor: Ingestor, tmp_path: Path, seed_path: Path) -> None:
    path = tmp_path / "overrated.txt"
    text = seed_path.read_text(encoding="utf-8").replace("FM’s rating3.50/5", "FM’s rating7/5")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        ingestor.ingest(path)
    assert "overrated.txt" in str(info.value)
    assert "rating" in info.value.report.lower()
    assert len(ingestor.store) == 0


def test_dry_run_writes_nothing(ingestor: Ingestor, seed_path: Path) -> None:
    outcome = ingestor.ingest(seed_path, dry_run=True)
    assert outcome.status == "validated" and outcome.triples > 50
    assert len(ingestor.store) == 0


def test_retract_removes_only_what_no_other_source_supports(ingestor: Ingestor, seed_path: Path,
                                                            tmp_path: Path) -> None:
    ingestor.ingest(seed_path)
    other = tmp_path / "second-opinion.txt"
    other.write_text("Ballerina (2023) review\n\nDirector: Lee Chung-Hyeon\nCast: Jeon Jong-seo (Ok-ju)\n"
                     "Release date: October 6, 2023\nRating: 3/5\nPublication: Second Opinion Weekly\n",
                     encoding="utf-8")
    assert ingestor.ingest(other).status == "ingested"
    ingestor.retract("000-e60a94f7ba5846fc")
    store = ingestor.store
    assert ask(store, 'ASK { ?p a schema:Person ; schema:name ?n . FILTER(CONTAINS(?n, "Jeon")) }')
    assert not ask(store, 'ASK { ?p schema:name "Kim Ji-hoon" }')
    assert not ask(store, 'ASK { ?o schema:name "Focus Magazine" }')
    assert ask(store, f'ASK {{ <{BASE}film/ballerina-2023> schema:director ?d }}')


def test_literal_helpers_keep_datatypes() -> None:
    from filmgraph.graph.build import date_literal, duration_literal, number_literal

    assert date_literal("2023") == Literal("2023", datatype=XSD.gYear)
    assert date_literal("2023-10") == Literal("2023-10", datatype=XSD.gYearMonth)
    assert date_literal("2023-10-25") == Literal("2023-10-25", datatype=XSD.date)
    assert date_literal("October 2023") is None
    assert str(duration_literal(93)) == "PT1H33M"
    assert str(duration_literal(120)) == "PT2H"
    assert str(duration_literal(45)) == "PT45M"
    assert str(number_literal(3.5)) == "3.5" and str(number_literal(5.0)) == "5.0"
