"""Abuse of the HTTP service: injection attempts change nothing, runaway queries are cut off while lookups keep
answering, limits give clear errors, and schemathesis finds no 5xx."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from filmgraph.link.naming import match_key
from http_server import FilmgraphServer, prepared_store

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIMIT_S = 1.0
ROWS = 100

PAYLOADS = [
    "Oldboy\" } ; DROP ALL ; SELECT * { \"", "Oldboy' } INSERT DATA { <a:b> <a:c> <a:d> } #", "}", "#", "{",
    "\\", "\\\"", "> <http://evil/>", "?film", "$x", "SELECT * WHERE { ?s ?p ?o }", "DELETE WHERE { ?s ?p ?o }",
    "SERVICE <http://127.0.0.1:1/> { }", "Old\nboy", "\u0000", "Oldboy\u0000", "올드보이", "🎬🎬", "ǅungla",
    "x" * 299, "../../../etc/passwd", "%27%22", "<script>alert(1)</script>", "\u202eoldboy", "\\u0022 }",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FilmgraphServer]:
    with FilmgraphServer(tmp_path_factory.mktemp("http-abuse"), prepared_store(tmp_path_factory),
                         "--timeout", str(LIMIT_S), "--result-limit", str(ROWS)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: FilmgraphServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def triples_before(server: FilmgraphServer) -> int:
    return server.triples()


def _clean(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    if response.status_code >= 400:
        assert isinstance(body["error"], str) and body["error"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_title_injection(client: httpx.Client, payload: str) -> None:
    response = client.get("/films", params={"title": payload})
    _clean(response)
    if response.status_code == 200:  # only a payload whose match key is a stored title finds anything
        for match in response.json()["matches"]:
            assert match_key(payload) in ("oldboy", "올드보이"), (payload, match)


def test_title_too_long(client: httpx.Client) -> None:
    response = client.get("/films", params={"title": "x" * 5000})
    assert response.status_code == 422


@pytest.mark.parametrize("payload", [*PAYLOADS, "oldboy-2003%22", "the-handmaiden%7D", "a" * 121, "..", "%2e%2e",
                                     "..%2f..%2fetc%2fpasswd", "oldboy-2003%00", "OLDBOY-2003", "the-handmaiden "])
def test_slug_injection(client: httpx.Client, payload: str) -> None:
    for template in ("/films/{}", "/films/{}/related", "/people/{}"):
        raw = template.format(payload if "%" in payload else quote(payload, safe=""))
        response = client.get(raw)
        if response.request.url.path == "/":  # the client resolved "/films/.." to "/": the explorer's front page
            assert response.headers["content-type"].startswith("text/html")
            continue
        assert response.status_code in (404, 405, 409, 422), (raw, response.status_code, response.text)
        _clean(response)


def test_path_traversal(server: FilmgraphServer) -> None:
    for raw in (b"/films/../../etc/passwd", b"/films/%2e%2e%2f%2e%2e%2fetc%2fpasswd", b"/people/..%5c..%5cwin.ini"):
        with httpx.Client(base_url=server.url, timeout=30) as c:
            request = c.build_request("GET", server.url)
            request.url = request.url.copy_with(raw_path=raw)
            response = c.send(request)
        assert response.status_code in (404, 422), (raw, response.status_code)
        assert "root:" not in response.text


@pytest.mark.parametrize("top", ["0", "-1", "101", "1e3", "10; DROP", "\"", "}", "99999999999999999999", "", "NaN"])
def test_top_injection(client: httpx.Client, top: str) -> None:
    response = client.get("/films/the-handmaiden/related", params={"top": top})
    assert response.status_code == 422
    _clean(response)


def test_nothing_changed(client: httpx.Client, server: FilmgraphServer, triples_before: int) -> None:
    for payload in PAYLOADS:
        client.get("/films", params={"title": payload})
        client.post("/sparql", data={"update": f"INSERT DATA {{ <urn:a> <urn:b> \"{payload}\" }}"})
        client.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert server.triples() == triples_before
    assert client.get("/films/the-handmaiden/related").json()["suggestions"][0]["film"]["slug"] == \
        "decision-to-leave-2022"


@pytest.mark.parametrize("query", [
    'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/> { }" AS ?x) }',
    "SELECT ?service WHERE { BIND(1 AS ?service) } # SERVICE <http://127.0.0.1:1/>",
    "PREFIX from: <http://example.org/> SELECT ?x WHERE { BIND(from:SERVICE AS ?x) }",
    "SELECT ?x WHERE { BIND(<http://example.org/SERVICE/FROM> AS ?x) }",
    "SELECT ?x WHERE { BIND('''FROM <http://example.org/elsewhere>''' AS ?x) }",
])
def test_keywords_inside_literals_are_not_refused(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "PREFIX e: <http://127.0.0.1:1/> SELECT * WHERE { SERVICE e:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "BASE <http://example.org/> SELECT * FROM <remote.ttl> WHERE { ?s ?p ?o }",
])
def test_service_and_outside_graphs_refused(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400, response.text
    assert "SERVICE" in response.json()["error"] or "not in the store" in response.json()["error"]


def test_result_limit(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 413
    assert response.json()["limit"] == ROWS and "LIMIT" in response.json()["error"]
    graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert graph.status_code == 413
    fits = client.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {ROWS}"})
    assert fits.status_code == 200 and len(fits.json()["results"]["bindings"]) == ROWS, fits.text


def test_query_too_long(client: httpx.Client) -> None:
    text = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    assert client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-query"}
                       ).status_code == 413


def test_runaway_query_is_cut_off_while_lookups_answer(server: FilmgraphServer) -> None:
    outcomes: list[tuple[int, dict[str, object], float]] = []

    def runaway() -> None:
        started = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=120) as c:
            response = c.get("/sparql", params={"query": RUNAWAY})
        outcomes.append((response.status_code, response.json(), time.monotonic() - started))

    threads = [threading.Thread(target=runaway) for _ in range(3)]  # more runaways than SPARQL workers
    for t in threads:
        t.start()
    lookups = []
    with httpx.Client(base_url=server.url, timeout=30) as c:
        deadline = time.monotonic() + 2.5
        while time.monotonic() < deadline:
            started = time.monotonic()
            assert c.get("/health").status_code == 200
            assert c.get("/films/the-handmaiden/related").json()["suggestions"][0]["film"]["slug"] == \
                "decision-to-leave-2022"
            lookups.append(time.monotonic() - started)
    for t in threads:
        t.join(120)
    assert len(outcomes) == 3
    for status, body, elapsed in outcomes:
        assert status == 503, body
        assert body["limit"] == LIMIT_S and "time limit" in str(body["error"])
        assert elapsed < 30  # cut off (a generous bound: the query alone would run for hours)
    assert lookups and max(lookups) < 5.0  # lookups kept answering while the runaways ran
    with httpx.Client(base_url=server.url, timeout=30) as c:  # and the SPARQL pool recovered
        deadline = time.monotonic() + 60
        while True:
            response = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert response.json()["boolean"] is True


def test_schemathesis_finds_no_server_errors(server: FilmgraphServer, tmp_path: Path) -> None:
    command = [str(Path(sys.executable).with_name("schemathesis")), "run", server.url + "/openapi.json",
               "--checks", "not_a_server_error", "--max-examples", "30", "--phases", "examples,coverage,fuzzing",
               "--request-timeout", "30", "--workers", "1", "--suppress-health-check", "all",
               "--seed", "1", "--report-dir", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "Tested: 7" in done.stdout and " passed" in done.stdout, done.stdout[-3000:]  # every operation ran
