"""The HTTP service through real HTTP: every endpoint, every content type, SPARQLWrapper as a real client."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from http_server import UPDATE_TOKEN, FilmgraphServer, prepared_store

ID = "https://w3id.org/filmgraph/id/"
SCHEMA = "http://schema.org/"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
FILMS_QUERY = (f"PREFIX schema: <{SCHEMA}> SELECT DISTINCT ?film ?name WHERE "
               "{ ?film a schema:Movie ; schema:name ?name } ORDER BY ?film")
DIRECTOR_QUERY = (f"PREFIX schema: <{SCHEMA}> SELECT DISTINCT ?name WHERE "
                  f"{{ <{ID}film/the-handmaiden> schema:director/schema:name ?name }}")
CONSTRUCT_QUERY = (f"PREFIX schema: <{SCHEMA}> CONSTRUCT {{ ?film schema:name ?name }} WHERE "
                   "{ ?film a schema:Movie ; schema:name ?name }")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FilmgraphServer]:
    with FilmgraphServer(tmp_path_factory.mktemp("http"), prepared_store(tmp_path_factory),
                         "--cors-origin", "https://example.org") as running:
        yield running


@pytest.fixture(scope="module")
def client(server: FilmgraphServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def sparql(client: httpx.Client, query: str, accept: str, method: str = "GET") -> httpx.Response:
    headers = {"Accept": accept}
    if method == "GET":
        return client.get("/sparql", params={"query": query}, headers=headers)
    if method == "FORM":
        return client.post("/sparql", data={"query": query}, headers=headers)
    return client.post("/sparql", content=query.encode(), headers={**headers,
                                                                    "Content-Type": "application/sparql-query"})


# --- JSON API ---------------------------------------------------------------------------------------------

def test_health(client: httpx.Client) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["backend"] == "disk"
    assert body["triples"] > 300 and body["updates"] is False


def test_films_by_title_lists_namesakes(client: httpx.Client) -> None:
    response = client.get("/films", params={"title": "OLD-boy"})
    assert response.status_code == 200
    matches = response.json()["matches"]
    assert [(m["slug"], m["year"]) for m in matches] == [("oldboy-2003", 2003), ("oldboy-2013", 2013)]
    assert matches[0]["namesakes"][0]["slug"] == "oldboy-2013"
    assert client.get("/films", params={"title": "no such film at all"}).json()["matches"] == []


def test_film_details(client: httpx.Client) -> None:
    film = client.get("/films/the-handmaiden").json()
    assert film["name"] == "The Handmaiden" and film["year"] == 2016
    assert [d["slug"] for d in film["directors"]] == ["park-chan-wook"]
    assert film["directors"][0]["name"].lower() == "park chan-wook"
    assert "park-chan-wook" in [w["slug"] for w in film["writers"]]
    characters = {c["name"] for m in film["cast"] for c in m["characters"]}
    assert {"Lady Hideko", "Count Fujiwara"} <= characters
    oldboy = client.get("/films/oldboy-2003").json()
    assert [n["film"]["slug"] for n in oldboy["namesakes"]] == ["oldboy-2013"]
    for slug in ("oldboy-2003", "the-handmaiden", "decision-to-leave-2022", "john-wick-2014", "burning-2018"):
        body = client.get(f"/films/{slug}").json()
        for review in body["reviews"]:
            if review["rating"]:
                assert 0.0 <= review["rating"]["normalised"] <= 1.0
        if any(r["rating"] for r in body["reviews"]):
            assert 0.0 <= body["average_rating"] <= 1.0


def test_film_by_title_slug_and_ambiguity(client: httpx.Client) -> None:
    assert client.get("/films/decision-to-leave").json()["slug"] == "decision-to-leave-2022"
    ambiguous = client.get("/films/oldboy")
    assert ambiguous.status_code == 409
    assert {c["slug"] for c in ambiguous.json()["candidates"]} == {"oldboy-2003", "oldboy-2013"}
    missing = client.get("/films/no-such-film-1999")
    assert missing.status_code == 404 and "no film" in missing.json()["error"]


def test_related(client: httpx.Client) -> None:
    body = client.get("/films/the-handmaiden/related", params={"top": 3}).json()
    assert body["film"]["slug"] == "the-handmaiden" and body["top"] == 3
    top = body["suggestions"][0]
    assert top["film"]["slug"] == "decision-to-leave-2022"
    assert any(r["kind"] == "director" and r["via"].endswith("/park-chan-wook") for r in top["reasons"])
    assert len(body["suggestions"]) <= 3
    assert all(s["score"] > 0 for s in body["suggestions"])
    oldboy = client.get("/films/oldboy-2003/related").json()
    assert [n["slug"] for n in oldboy["namesakes"]] == ["oldboy-2013"]


def test_person(client: httpx.Client) -> None:
    person = client.get("/people/park-chan-wook").json()
    films = {(c["film"]["slug"], c["role"]) for c in person["filmography"]}
    assert {("oldboy-2003", "director"), ("the-handmaiden", "director"), ("decision-to-leave-2022", "writer")} <= films
    assert client.get("/people/nobody-at-all").status_code == 404


@pytest.mark.parametrize("path", ["/films/Bad_Slug", "/films/a--b", "/films/the-handmaiden/related?top=0",
                                  "/films/the-handmaiden/related?top=101", "/films/the-handmaiden/related?top=x",
                                  "/films", "/films?title=", "/people/-x"])
def test_bad_parameters_are_422_json(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["error"].startswith("invalid parameters")


def test_etag_and_cache_control(client: httpx.Client) -> None:
    first = client.get("/films/the-handmaiden/related")
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    again = client.get("/films/the-handmaiden/related", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    other = client.get("/films/the-handmaiden/related?top=3", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_cors(client: httpx.Client) -> None:
    allowed = client.get("/health", headers={"Origin": "https://example.org"})
    assert allowed.headers.get("access-control-allow-origin") == "https://example.org"
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_openapi_and_docs(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/films", "/films/{slug}", "/films/{slug}/related", "/people/{slug}", "/health", "/sparql"):
        assert path in schema["paths"]
    assert client.get("/docs").status_code == 200


def test_unknown_route_is_json(client: httpx.Client) -> None:
    response = client.get("/nothing-here")
    assert response.status_code == 404 and "error" in response.json()


# --- /sparql: every content type ---------------------------------------------------------------------------

def _films_from(media: str, body: bytes) -> set[str]:
    text = body.decode()
    if media == "application/sparql-results+json":
        return {b["name"]["value"] for b in json.loads(text)["results"]["bindings"]}
    if media == "application/sparql-results+xml":
        root = ET.fromstring(text)
        return {lit.text or "" for b in root.iter(f"{RESULTS_NS}binding") if b.get("name") == "name"
                for lit in b.iter(f"{RESULTS_NS}literal")}
    if media == "text/csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        return {r["name"] for r in rows}
    cells = [line.split("\t") for line in text.splitlines()]
    assert cells[0] == ["?film", "?name"]
    return {Literal(r[1].strip('"')).toPython() for r in cells[1:]}


@pytest.mark.parametrize("method", ["GET", "FORM", "DIRECT"])
@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
def test_select_every_format(client: httpx.Client, media: str, method: str) -> None:
    response = sparql(client, FILMS_QUERY, media, method)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    names = _films_from(media, response.content)
    assert {"Oldboy", "The Handmaiden", "Decision to Leave", "John Wick", "Burning"} <= names


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_every_format(client: httpx.Client, media: str) -> None:
    yes = sparql(client, f"ASK {{ <{ID}film/the-handmaiden> a <{SCHEMA}Movie> }}", media)
    no = sparql(client, f"ASK {{ <{ID}film/the-handmaiden> a <{SCHEMA}Person> }}", media)
    assert yes.status_code == no.status_code == 200
    if media.endswith("json"):
        assert yes.json()["boolean"] is True and no.json()["boolean"] is False
    else:
        assert ET.fromstring(yes.text).find(f"{RESULTS_NS}boolean").text == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize("media", ["text/csv", "text/tab-separated-values"])
def test_ask_is_not_served_as_csv_or_tsv(client: httpx.Client, media: str) -> None:
    """The SPARQL 1.1 CSV/TSV results formats cover SELECT only: an ASK wanting only them gets 406 (issue 12
    item 8), naming the formats a boolean has; offered beside them, JSON or XML is chosen."""
    ask = f"ASK {{ <{ID}film/the-handmaiden> a <{SCHEMA}Movie> }}"
    refused = sparql(client, ask, media)
    assert refused.status_code == 406
    assert refused.json()["acceptable"] == ["application/sparql-results+json", "application/sparql-results+xml"]
    chosen = sparql(client, ask, f"{media}, application/sparql-results+xml;q=0.5")
    assert chosen.status_code == 200
    assert chosen.headers["content-type"].split(";")[0] == "application/sparql-results+xml"
    assert sparql(client, FILMS_QUERY, media).status_code == 200  # SELECT still has both


def test_repeated_query_parameters_are_refused_on_get_as_on_post(client: httpx.Client) -> None:
    """W3C protocol test bad_multiple_queries (issue 12 item 3)."""
    params = httpx.QueryParams([("query", "ASK {}"), ("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")])
    get = client.get("/sparql", params=params)
    post = client.post("/sparql", data={"query": ["ASK {}", "SELECT * {}"]})
    assert get.status_code == post.status_code == 400
    assert "query" in get.json()["error"]


def test_relative_iris_resolve_against_the_endpoint(client: httpx.Client, server: FilmgraphServer) -> None:
    """W3C protocol test query_content_type_construct: CONSTRUCT { <s> <p> 1 } WHERE {} (issue 12 item 2)."""
    endpoint = server.url + "/sparql"
    for method in ("GET", "FORM", "POST"):
        response = sparql(client, "CONSTRUCT { <s> <p> 1 } WHERE {}", "application/n-triples", method)
        assert response.status_code == 200, response.text
        assert set(Graph().parse(data=response.text, format="nt")) == {
            (URIRef(server.url + "/s"), URIRef(server.url + "/p"), Literal(1))}
    selected = sparql(client, "SELECT (<film> AS ?x) (STR(<#me>) AS ?y) WHERE {}", "application/sparql-results+json")
    binding = selected.json()["results"]["bindings"][0]
    assert binding["x"]["value"] == server.url + "/film" and binding["y"]["value"] == endpoint + "#me"
    own_base = sparql(client, "BASE <http://example.org/a/> SELECT (<b> AS ?x) WHERE {}",
                      "application/sparql-results+json")
    assert own_base.json()["results"]["bindings"][0]["x"]["value"] == "http://example.org/a/b"
    broken = sparql(client, "SELECT * WHERE { ?s ?p }", "application/sparql-results+json")
    assert broken.status_code == 400 and "2:" not in broken.json()["error"]  # still line 1


@pytest.mark.parametrize(("media", "rdflib_format"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                      ("application/ld+json", "json-ld"),
                                                      ("application/rdf+xml", "xml")])
def test_construct_every_format(client: httpx.Client, media: str, rdflib_format: str) -> None:
    response = sparql(client, CONSTRUCT_QUERY, media)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert (URIRef(f"{ID}film/the-handmaiden"), URIRef(f"{SCHEMA}name"), Literal("The Handmaiden")) in graph
    describe = sparql(client, f"DESCRIBE <{ID}film/the-handmaiden>", media)
    assert len(Graph().parse(data=describe.text, format=rdflib_format)) > 5


@pytest.mark.parametrize(("accept", "expected"), [
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/json", "application/sparql-results+json"),
    ("text/*", "text/csv"),
    ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
])
def test_q_values(client: httpx.Client, accept: str, expected: str) -> None:
    response = sparql(client, FILMS_QUERY, accept)
    assert response.headers["content-type"].split(";")[0] == expected
    construct = sparql(client, CONSTRUCT_QUERY, "*/*")
    assert construct.headers["content-type"].split(";")[0] == "text/turtle"


def test_406_lists_acceptable(client: httpx.Client) -> None:
    response = sparql(client, FILMS_QUERY, "image/png")
    assert response.status_code == 406
    assert "text/csv" in response.json()["acceptable"]
    graph = sparql(client, CONSTRUCT_QUERY, "text/csv")
    assert graph.status_code == 406 and "text/turtle" in graph.json()["acceptable"]


def test_400_with_parser_message(client: httpx.Client) -> None:
    response = sparql(client, "SELECT * WHERE { ?s ?p ", "application/sparql-results+json")
    assert response.status_code == 400
    assert "malformed SPARQL" in response.json()["error"] and "error at" in response.json()["error"]
    assert client.get("/sparql").status_code == 400
    assert client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415


def test_dataset_parameters(client: httpx.Client) -> None:
    graphs = sparql(client, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json")
    names = [b["g"]["value"] for b in graphs.json()["results"]["bindings"]]
    review = next(g for g in names if "/review/" in g)
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    one = client.get("/sparql", params={"query": count, "default-graph-uri": review})
    everything = client.get("/sparql", params={"query": count})
    n_one = int(one.json()["results"]["bindings"][0]["n"]["value"])
    n_all = int(everything.json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_one < n_all
    from_clause = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{review}> {{ ?s ?p ?o }}"})
    assert int(from_clause.json()["results"]["bindings"][0]["n"]["value"]) == n_one
    outside = client.get("/sparql", params={"query": count, "default-graph-uri": "http://example.org/remote"})
    assert outside.status_code == 400 and "not in the store" in outside.json()["error"]


def test_updates_are_refused_by_default(client: httpx.Client, server: FilmgraphServer) -> None:
    before = server.triples()
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    assert client.post("/sparql", data={"update": update}).status_code == 403
    response = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update",
                                                               "Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert response.status_code == 403 and "disabled" in response.json()["error"]
    assert client.get("/sparql", params={"update": update}).status_code == 400
    assert client.get("/sparql", params={"query": update}).status_code == 400
    assert server.triples() == before


# --- SPARQLWrapper, a real third-party client ----------------------------------------------------------------

def test_sparqlwrapper(server: FilmgraphServer) -> None:
    from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

    endpoint = SPARQLWrapper(server.url + "/sparql")
    endpoint.setQuery(DIRECTOR_QUERY)
    endpoint.setReturnFormat(JSON)
    answer: Any = endpoint.query().convert()
    rows = answer["results"]["bindings"]
    assert [r["name"]["value"].lower() for r in rows] == ["park chan-wook"]
    endpoint.setMethod(POST)
    endpoint.setReturnFormat(XML)
    endpoint.setQuery(f"ASK {{ <{ID}film/decision-to-leave-2022> a <{SCHEMA}Movie> }}")
    document = endpoint.query().convert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
    endpoint.setMethod("GET")
    endpoint.setReturnFormat(TURTLE)
    endpoint.setQuery(CONSTRUCT_QUERY)
    data = endpoint.query().convert()
    assert isinstance(data, str | bytes)
    graph = Graph().parse(data=data, format="turtle")
    assert (URIRef(f"{ID}film/burning-2018"), URIRef(f"{SCHEMA}name"), Literal("Burning")) in graph


# --- updates on a server started with --allow-update ----------------------------------------------------------

def test_allowed_update_with_token(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    env = {"FILMGRAPH_UPDATE_TOKEN": UPDATE_TOKEN}
    with FilmgraphServer(tmp_path / "srv", prepared_store(tmp_path_factory), "--allow-update", env=env) as srv, \
            httpx.Client(base_url=srv.url, timeout=60) as c:
        assert c.get("/health").json()["updates"] is True
        before = srv.triples()
        etag = c.get("/films/the-handmaiden").headers["etag"]
        update = (f"INSERT DATA {{ GRAPH <{ID}review/http-test> "
                  f"{{ <{ID}film/the-handmaiden> <{SCHEMA}keywords> 'gothic' }} }}")
        assert c.post("/sparql", data={"update": update}).status_code == 401
        assert c.post("/sparql", data={"update": update},
                      headers={"Authorization": "Bearer wrong"}).status_code == 403
        done = c.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
        assert done.status_code == 204, done.text
        assert srv.triples() == before + 1
        film = c.get("/films/the-handmaiden", headers={"If-None-Match": etag})
        assert film.status_code == 200 and film.json()["keywords"] == ["gothic"]
        refused = c.post("/sparql", content="LOAD <http://example.org/data.ttl>",
                         headers={"Content-Type": "application/sparql-update",
                                  "Authorization": f"Bearer {UPDATE_TOKEN}"})
        assert refused.status_code == 400
        bad = c.post("/sparql", data={"update": "INSERT DATA { oops"},
                     headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
        assert bad.status_code == 400 and "malformed" in bad.json()["error"]
        assert srv.triples() == before + 1
        assert c.get("/films/the-handmaiden/related").json()["suggestions"][0]["film"]["slug"] == \
            "decision-to-leave-2022"
        # W3C protocol test update_base_uri (issue 12 item 2): relative IRIs resolve against the endpoint
        relative = c.post("/sparql", data={"update": "INSERT DATA { GRAPH <g/base-test> { <s> <p> 'o' } }"},
                          headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
        assert relative.status_code == 204, relative.text
        found = c.get("/sparql", params={"query": f"ASK {{ GRAPH <{srv.url}/g/base-test> "
                                                  f"{{ <{srv.url}/s> <{srv.url}/p> 'o' }} }}"},
                      headers={"Accept": "application/sparql-results+json"})
        assert found.json()["boolean"] is True
