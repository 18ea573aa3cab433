"""Every named query parses, documents itself, and gives a known answer on the fixture graph; the CLI runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from filmgraph.cli import main
from filmgraph.discover.lookup import run_named
from filmgraph.discover.queries import NamedQuery, named_queries, parse_query_file
from filmgraph.errors import QueryError
from filmgraph.link.naming import match_key
from filmgraph.resources import queries_dir
from filmgraph.store import SelectResult, Store, open_store
from graph_fixture import ID, load_fixture

SCHEMA = "http://schema.org/"
QUERY_FILES = sorted(p for p in queries_dir().rglob("*.rq") if "internal" not in p.relative_to(queries_dir()).parts)


def film(slug: str) -> URIRef:
    return URIRef(f"{ID}film/{slug}")


def person(slug: str) -> URIRef:
    return URIRef(f"{ID}person/{slug}")


def short(value: object) -> str:
    return str(value).replace(ID, "")


@pytest.fixture(scope="module")
def graph() -> Iterator[Store]:
    store = load_fixture(open_store("memory"))
    yield store
    store.close()


# name -> (bindings, variables compared, expected rows as tuples of short strings)
EXPECTED: dict[str, tuple[dict[str, object], tuple[str, ...], AbstractSet[tuple[str, ...] | bool]]] = {
    "stats": ({}, ("type", "count"), {
        ("http://schema.org/Movie", "8"), ("http://schema.org/Person", "39"),
        ("https://w3id.org/filmgraph/ontology#Character", "18"), ("http://schema.org/MovieSeries", "1"),
        ("http://schema.org/Organization", "1"), ("http://schema.org/Review", "7")}),
    "film-by-title": ({"title": Literal(match_key("OLD-boy"))}, ("film", "year", "namesake"), {
        ("film/oldboy-2003", "2003", "film/oldboy-2013"), ("film/oldboy-2013", "2013", "film/oldboy-2003")}),
    "film-cast": ({"film": film("oldboy-2003")}, ("personName", "characterName"), {
        ("Choi Min-sik", "Oh Dae-su"), ("Yoo Ji-tae", "Lee Woo-jin"), ("Kang Hye-jung", "Mi-do")}),
    "person-filmography": ({"person": person("park-chan-wook")}, ("filmName", "year", "role"), {
        ("Oldboy", "2003", "director"), ("Oldboy", "2003", "writer"),
        ("The Handmaiden", "2016", "director"), ("The Handmaiden", "2016", "writer"),
        ("Decision to Leave", "2022", "director"), ("Decision to Leave", "2022", "writer")}),
    "person-costars": ({"person": person("keanu-reeves")}, ("costarName", "films"), {
        ("Ian McShane", "2"), ("Alfie Allen", "1"), ("Ana de Armas", "1"), ("Anjelica Huston", "1"),
        ("Michael Nyqvist", "1")}),
    "franchise-films": ({"series": URIRef(f"{ID}series/john-wick")}, ("seriesName", "name", "year"), {
        ("John Wick", "John Wick", "2014"), ("John Wick", "Ballerina", "2025")}),
    "film-namesakes": ({"film": film("ballerina-2023")}, ("namesake", "year", "directors"), {
        ("film/ballerina-2025", "2025", "Len Wiseman")}),
    "film-reviews": ({"film": film("the-handmaiden-2016")}, ("authorName", "normalised"), {
        ("MovieLens user 1", "1.0"), ("MovieLens user 2", "0.777777777777777777")}),
    "review-mentions": ({}, ("publisherName", "reviewed", "film"), {
        ("Focus Magazine", "film/ballerina-2023", "film/kill-boksoon-2023")}),
    "directors-who-write": ({}, ("name", "films"), {
        ("Park Chan-wook", "3"), ("Byun Sung-hyun", "1"), ("Lee Chung-hyeon", "1")}),
    "source-conflicts": ({}, ("film", "property", "value1", "graph1", "value2", "graph2"), {
        ("film/the-handmaiden-2016", "http://schema.org/duration", "PT2H25M", "source/imdb", "PT2H48M",
         "source/kmdb")}),
    "related-candidates": ({"film": film("ballerina-2025")}, ("kind", "via", "hubSize"), {
        ("actor", "person/ian-mcshane", "2"), ("actor", "person/keanu-reeves", "2"),
        ("character", "person/ian-mcshane", "2"), ("character", "person/keanu-reeves", "2"),
        ("franchise", "series/john-wick", "2"), ("genre", "genre/action", "6"), ("genre", "genre/thriller", "6"),
        ("keyword", "hitman", "2"), ("keyword", "revenge", "5")}),
    "related/links": ({"film": film("oldboy-2003")}, ("property", "via"), {
        (f"{SCHEMA}director", "person/park-chan-wook"), (f"{SCHEMA}author", "person/park-chan-wook"),
        (f"{SCHEMA}author", "person/hwang-jo-yoon"), (f"{SCHEMA}author", "person/lim-joon-hyung"),
        (f"{SCHEMA}actor", "person/choi-min-sik"), (f"{SCHEMA}actor", "person/yoo-ji-tae"),
        (f"{SCHEMA}actor", "person/kang-hye-jung"), (f"{SCHEMA}genre", "genre/action"),
        (f"{SCHEMA}genre", "genre/mystery"), (f"{SCHEMA}genre", "genre/thriller"), (f"{SCHEMA}keywords", "revenge"),
        ("https://w3id.org/filmgraph/ontology#namesakeOf", "film/oldboy-2013")}),
    "related/roles": ({"film": film("oldboy-2003")}, ("via", "label", "character"), {
        ("person/choi-min-sik", "Choi Min-sik", "Oh Dae-su"), ("person/yoo-ji-tae", "Yoo Ji-tae", "Lee Woo-jin"),
        ("person/kang-hye-jung", "Kang Hye-jung", "Mi-do")}),
    "related/review-links": ({"film": film("kill-boksoon-2023")}, ("via",), {("review/focus-ballerina-2023",)}),
    "related/people": ({"via": [person("keanu-reeves"), person("park-chan-wook")]}, ("via", "property", "films"), {
        ("person/keanu-reeves", f"{SCHEMA}actor", "film/ballerina-2025 film/john-wick-2014"),
        ("person/park-chan-wook", f"{SCHEMA}director",
         "film/decision-to-leave-2022 film/oldboy-2003 film/the-handmaiden-2016"),
        ("person/park-chan-wook", f"{SCHEMA}author",
         "film/decision-to-leave-2022 film/oldboy-2003 film/the-handmaiden-2016")}),
    "related/portrayals": ({"via": [person("keanu-reeves"), person("choi-min-sik")]}, ("via", "films"), {
        ("person/keanu-reeves", "film/ballerina-2025 film/john-wick-2014"),
        ("person/choi-min-sik", "film/oldboy-2003")}),
    "related/characters": ({"film": [film("john-wick-2014"), film("oldboy-2003")]}, ("film", "via", "character"), {
        ("film/john-wick-2014", "person/keanu-reeves", "John Wick"),
        ("film/john-wick-2014", "person/ian-mcshane", "Winston"),
        ("film/oldboy-2003", "person/choi-min-sik", "Oh Dae-su"),
        ("film/oldboy-2003", "person/yoo-ji-tae", "Lee Woo-jin"),
        ("film/oldboy-2003", "person/kang-hye-jung", "Mi-do")}),
    "related/series": ({"via": [URIRef(f"{ID}series/john-wick")]}, ("other",), {
        ("film/john-wick-2014",), ("film/ballerina-2025",)}),
    "related/reviews": ({"via": [URIRef(f"{ID}review/focus-ballerina-2023")]}, ("other", "publisherName"), {
        ("film/ballerina-2023", "Focus Magazine"), ("film/kill-boksoon-2023", "Focus Magazine")}),
    "related/hub-sizes": ({"via": [URIRef(f"{ID}genre/action"), Literal("revenge")]}, ("via", "films"), {
        ("genre/action", "6"), ("revenge", "5")}),
    "related/features": ({"film": [film("john-wick-2014")]}, ("kind", "via"), {
        ("genre", "genre/action"), ("genre", "genre/thriller"), ("keyword", "revenge"), ("keyword", "hitman")}),
    "related/films": ({"film": [film("the-handmaiden-2016"), film("oldboy-2013")]},
                      ("film", "name", "year", "languages"), {
        ("film/the-handmaiden-2016", "The Handmaiden", "2016", "ko"), ("film/oldboy-2013", "Oldboy", "2013", "en")}),
    "related/rated": ({"film": [film("oldboy-2013"), film("oldboy-2003"), film("kill-boksoon-2023")]}, ("film",), {
        ("film/oldboy-2003",)}),
    "related/co-liked": ({"film": film("the-handmaiden-2016")}, ("other", "shared"), {
        ("film/decision-to-leave-2022", "2")}),
    "related/has-audience": ({}, (), {True}),
    "related/likers": ({}, ("film", "likers"), {
        ("film/the-handmaiden-2016", "2"), ("film/decision-to-leave-2022", "2"), ("film/john-wick-2014", "1")}),
    "related/feature-films": ({"via": [Literal("hitman"), URIRef(f"{ID}genre/action")]}, ("via", "films"), {
        ("hitman", "film/ballerina-2025 film/john-wick-2014"), ("genre/action",
        "film/ballerina-2023 film/ballerina-2025 film/john-wick-2014 film/kill-boksoon-2023 film/oldboy-2003 "
        "film/oldboy-2013")}),
    "bench/films-sharing-people": ({"film": film("oldboy-2003")}, ("other", "shared"), {
        ("film/decision-to-leave-2022", "1"), ("film/the-handmaiden-2016", "1")}),
}


def rows_as_set(result: SelectResult, variables: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Rows as short strings; a `films` list (space-separated IRIs, in no set order) is sorted."""
    def value(row: Mapping[str, object], name: str) -> str:
        text = short(row.get(name, ""))
        return " ".join(sorted(text.split())) if name == "films" else text
    return {tuple(value(row, v) for v in variables) for row in result}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.relative_to(queries_dir()).as_posix())
def test_query_file_has_a_header_and_a_known_answer(graph: Store, path: Path) -> None:
    query = parse_query_file(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# name:"), "the header comes first"
    assert query.name == path.relative_to(queries_dir()).with_suffix("").as_posix()
    assert query.answers, "every query says what it answers"
    assert all(doc for doc in query.params.values()), "every parameter is documented"
    if query.name not in EXPECTED:  # another module's query: it must at least run on the fixture
        outcome = query.run(graph)
        assert outcome is not None
        return
    bindings, variables, expected = EXPECTED[query.name]
    assert set(bindings) <= set(query.params)
    result = query.run(graph, bindings)  # type: ignore[arg-type]
    if isinstance(result, bool):  # an ASK query: its expected answer is the set holding it
        assert {result} == expected
        return
    assert isinstance(result, SelectResult)
    assert set(variables) <= set(result.variables)
    assert rows_as_set(result, variables) == expected


def test_every_query_of_this_module_has_a_known_answer() -> None:
    mine = {n for n in named_queries() if n.startswith("related") or n in EXPECTED}
    assert mine <= set(EXPECTED)


def test_every_public_query_is_listed() -> None:
    names = set(named_queries())
    assert {"film-by-title", "film-cast", "person-filmography", "person-costars", "franchise-films",
            "film-namesakes", "film-reviews", "review-mentions", "directors-who-write", "source-conflicts",
            "related-candidates"} <= names
    assert not any(n.startswith("internal/") for n in names)


def test_film_reviews_average_is_the_mean_of_normalised_ratings(graph: Store) -> None:
    result = run_named(graph, "film-reviews", film=str(film("the-handmaiden-2016")))
    assert isinstance(result, SelectResult)
    averages = {round(float(row["average"]), 6) for row in result}
    assert averages == {round((1.0 + 3.5 / 4.5) / 2, 6)}


def test_related_candidates_lists_the_films_each_node_leads_to(graph: Store) -> None:
    result = run_named(graph, "related-candidates", film=str(film("ballerina-2025")))
    assert isinstance(result, SelectResult)
    leads = {(str(r["kind"]), short(r["via"])): {short(c) for c in str(r["candidates"]).split()} for r in result}
    assert leads[("franchise", "series/john-wick")] == {"film/john-wick-2014"}
    assert leads[("keyword", "revenge")] == {"film/ballerina-2023", "film/john-wick-2014", "film/oldboy-2003",
                                             "film/oldboy-2013"}
    assert leads[("genre", "genre/action")] == {"film/ballerina-2023", "film/john-wick-2014",
                                                 "film/kill-boksoon-2023", "film/oldboy-2003", "film/oldboy-2013"}


def test_film_by_title_matches_other_spellings(graph: Store) -> None:
    # an skos:altLabel spelling and an English alternateName, keyed in SPARQL
    for title, slug in (("Ballerina (2023 film)", "ballerina-2023"),
                        ("From the World of John Wick: Ballerina", "ballerina-2025"),
                        ("THE  HANDMAIDEN", "the-handmaiden-2016")):
        result = run_named(graph, "film-by-title", title=title)
        assert isinstance(result, SelectResult)
        assert {short(r["film"]) for r in result} == {f"film/{slug}"}, title


def test_run_named_types_parameters(graph: Store) -> None:
    result = run_named(graph, "film-cast", film=f"{ID}film/john-wick-2014")
    assert isinstance(result, SelectResult)
    assert ("Keanu Reeves", "John Wick") in rows_as_set(result, ("personName", "characterName"))
    several = run_named(graph, "related/rated", film=[f"{ID}film/oldboy-2003", f"{ID}film/john-wick-2014"])
    assert isinstance(several, SelectResult)
    assert len(several) == 2


def test_unknown_parameter_lists_the_query_parameters(graph: Store) -> None:
    with pytest.raises(QueryError, match=r"no parameter\(s\) year.*takes: film"):
        run_named(graph, "film-cast", year=2003)


def test_injection_in_a_parameter_stays_a_value(graph: Store) -> None:
    result = run_named(graph, "film-by-title", title='x") } } DROP ALL #')
    assert isinstance(result, SelectResult)
    assert len(result) == 0
    with pytest.raises(QueryError):
        run_named(graph, "film-cast", film="http://x> } DROP ALL")
    assert len(graph) > 0


def test_named_query_type() -> None:
    assert all(isinstance(q, NamedQuery) for q in named_queries().values())


# -- CLI ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("store") / "db"
    store = load_fixture(open_store(str(path)))
    store.close()
    return str(path)


def run_cli(store_dir: str, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, ["--store", store_dir, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, getattr(result, "stderr", "")


def test_cli_query_table(store_dir: str) -> None:
    code, out, _ = run_cli(store_dir, "query", "film-cast", "--param", f"film={ID}film/oldboy-2003")
    assert code == 0
    assert "Choi Min-sik" in out and "Oh Dae-su" in out and "3 row(s)" in out


def test_cli_query_json(store_dir: str) -> None:
    code, out, _ = run_cli(store_dir, "query", "film-by-title", "-p", "title=oldboy", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert "film" in data["head"]["vars"]
    films = {b["film"]["value"] for b in data["results"]["bindings"]}
    assert films == {str(film("oldboy-2003")), str(film("oldboy-2013"))}
    assert all(b["film"]["type"] == "uri" for b in data["results"]["bindings"])


def test_cli_query_csv(store_dir: str) -> None:
    code, out, _ = run_cli(store_dir, "query", "directors-who-write", "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].strip() == "person,name,films,titles"
    rows = {tuple(line.split(",")[1:3]) for line in lines[1:]}
    assert rows == {("Park Chan-wook", "3"), ("Byun Sung-hyun", "1"), ("Lee Chung-hyeon", "1")}


def test_cli_query_adhoc_file(store_dir: str, tmp_path: Path) -> None:
    path = tmp_path / "count.rq"
    path.write_text("# name: count\n# answers: how many films\n# param: film - a film IRI\n"
                    "PREFIX schema: <http://schema.org/>\n"
                    "SELECT DISTINCT ?name WHERE { ?film schema:name ?name }\n", encoding="utf-8")
    code, out, _ = run_cli(store_dir, "query", str(path), "-p", f"film={ID}film/kill-boksoon-2023",
                           "--format", "csv")
    assert code == 0
    assert out.strip().splitlines() == ["name", "Kill Boksoon"]


def test_cli_query_bad_sparql(store_dir: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("SELECT * WHERE { ?s ?p }\n", encoding="utf-8")
    code, _, err = run_cli(store_dir, "query", str(path))
    assert code == QueryError.exit_code
    assert "malformed SPARQL" in err


def test_cli_query_unknown_param(store_dir: str) -> None:
    code, _, err = run_cli(store_dir, "query", "film-cast", "-p", "year=2003")
    assert code == QueryError.exit_code
    assert "year" in err and "film" in err


def test_cli_query_unknown_query(store_dir: str) -> None:
    code, _, err = run_cli(store_dir, "query", "no-such-query")
    assert code != 0
    assert "film-cast" in err  # the message lists the known queries


def test_cli_query_malformed_param(store_dir: str) -> None:
    code, _, err = run_cli(store_dir, "query", "film-cast", "-p", "film")
    assert code == QueryError.exit_code
    assert "key=value" in err
