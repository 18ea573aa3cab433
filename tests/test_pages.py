"""The browser pages over HTTP (issue 15), without a browser: what each address answers by Accept, that
/docs and every page name only this server's files, and what the explorer pages say.

The same pages in a real Chromium: tests/test_pages_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest

from filmgraph.service.pages.routes import wants_html
from http_server import FilmgraphServer
from pages_support import BROWSER_ACCEPT, pages_server

HTML = {"Accept": BROWSER_ACCEPT}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FilmgraphServer]:
    with pages_server(tmp_path_factory) as srv:
        yield srv


def get(server: FilmgraphServer, path: str, **headers: str) -> httpx.Response:
    return httpx.get(server.url + path, headers=headers, timeout=30)


class _Refs(HTMLParser):
    """Every URL a page makes the browser load (src, stylesheet and icon links) or links to (a href)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("src"):
            self.loads.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.loads.append(str(values["href"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))


def refs(text: str) -> _Refs:
    parser = _Refs()
    parser.feed(text)
    return parser


@pytest.mark.parametrize(("accept", "html"), [
    (None, False), ("*/*", False), ("application/json", False), ("text/html", True), (BROWSER_ACCEPT, True),
    ("application/json, text/html", False), ("text/html;q=0.5, application/json", False),
    ("text/*, application/json;q=0.5", True), ("text/html;q=0", False),
])
def test_html_only_when_the_client_prefers_it_to_json(accept: str | None, html: bool) -> None:
    assert wants_html(accept) is html


@pytest.mark.parametrize("path", ["/films/oldboy-2003", "/films/oldboy-2003/related", "/people/park-chan-wook",
                                  "/films?title=Oldboy"])
def test_the_same_address_serves_json_or_a_page_by_accept(server: FilmgraphServer, path: str) -> None:
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "application/json"}):
        answer = get(server, path, **headers)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        assert answer.json()
        assert "Accept" in answer.headers["vary"]
    page = get(server, path, **HTML)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers["vary"]
    assert page.headers["cache-control"] == "no-cache"
    assert "etag" not in page.headers  # the JSON's ETag never validates the page


def test_docs_and_every_page_load_only_this_servers_files(server: FilmgraphServer) -> None:
    for path in ("/docs", "/", "/query", "/films/oldboy-2003", "/films?title=Oldboy", "/people/park-chan-wook"):
        page = get(server, path, **HTML)
        assert page.status_code == 200, (path, page.text)
        assert "default-src 'self'" in page.headers["content-security-policy"]
        loads = refs(page.text).loads
        assert loads, path
        for url in loads:
            assert url.startswith("/") and not url.startswith("//"), (path, url)
            assert get(server, url).status_code == 200, (path, url)
    docs = get(server, "/docs").text
    assert "/vendor/docs/swagger-ui-bundle.js" in docs and "/openapi.json" in docs
    assert get(server, "/redoc").status_code == 404  # ReDoc's page would load its logo from a CDN


def test_the_openapi_document_lists_the_json_operations_but_not_the_pages(server: FilmgraphServer) -> None:
    paths = get(server, "/openapi.json").json()["paths"]
    assert {"/films", "/films/{slug}", "/films/{slug}/related", "/people/{slug}", "/sparql", "/health"} <= set(paths)
    assert not any(p.startswith("/_pages") or p in ("/", "/query", "/docs") for p in paths)


def test_a_search_lists_each_namesake_on_its_own(server: FilmgraphServer) -> None:
    page = get(server, "/films?title=oldboy", **HTML).text
    assert page.count('class="card match"') == 2
    assert "2 different films share this title" in page
    cards = page.split('class="card match"')[1:]
    for own, other in (("oldboy-2003", "oldboy-2013"), ("oldboy-2013", "oldboy-2003")):
        (card,) = [c for c in cards if f'data-slug="{own}"' in c]
        namesakes = card.split('class="namesakes"', 1)[1]
        assert "Same title, different film" in namesakes and f'href="/films/{other}"' in namesakes
    assert "Park Chan-Wook" in page and "Spike Lee" in page  # each told apart by its director


def test_a_film_page_has_its_facts_cast_reviews_sources_and_related_films_with_reasons(
        server: FilmgraphServer) -> None:
    page = get(server, "/films/oldboy-2003", **HTML).text
    assert "<h1>Oldboy" in page and "(2003)" in page
    assert 'href="/people/choi-min-sik"' in page and "as Oh Dae-su" in page
    assert 'href="/people/park-chan-wook"' in page
    assert "Silver Reel Magazine" in page and "4.5 / 5" in page and "90%" in page
    assert "review of this film <code>review/oldboy-2003-glued</code>" in page and "oldboy_2003_glued.txt" in page
    assert 'review of <a href="/films/decision-to-leave-2022">Decision to Leave</a>' in page  # it mentions Oldboy
    assert 'id="conflicts"' in page
    related = page.split('id="related"', 1)[1]
    assert 'href="/films/decision-to-leave-2022"' in related
    assert "Shares director Park Chan-Wook." in related  # a reason, as a sentence
    namesakes = page.split('id="namesakes"', 1)[1]
    assert 'href="/films/oldboy-2013"' in namesakes and "Spike Lee" in namesakes


def test_a_film_page_shows_where_its_sources_disagree(server: FilmgraphServer) -> None:
    page = get(server, "/films/the-handmaiden", **HTML).text
    conflicts = page.split('id="conflicts"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r"Runtime: <b>2 h 25 min .*?</b> in <code>review/handmaiden-2016-infobox</code>, but "
                     r"<b>2 h 48 min .*?</b> in <code>review/handmaiden-2016-reordered</code>", conflicts), conflicts


def test_a_person_page_lists_films_roles_and_spellings_with_why(server: FilmgraphServer) -> None:
    page = get(server, "/people/park-chan-wook", **HTML).text
    films = page.split('id="filmography"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/films/oldboy-2003"' in films and "directed" in films
    assert re.search(r"Decision to Leave</a>.*?directed, wrote", films)
    spellings = page.split('id="spelling-list"', 1)[1]
    assert "<b>Park Chan-wook</b> — merged: Same name once case, accents, hyphens and spacing are ignored." in spellings
    assert "<b>Chan-wook Park</b> — merged: " in spellings
    reviews = ("review/handmaiden-2016-reordered", "review/the-truth-beneath-2016-namesake-person")
    assert any(review in spellings for review in reviews)
    # a spelling already merged into a person is that person in a later review too (no second node)
    assert "review/the-truth-beneath-2016-namesake-person" in spellings and "Known variant" in spellings
    assert get(server, "/people/chan-wook-park", **HTML).status_code == 404


def test_unknown_and_ambiguous_addresses_are_pages_in_words(server: FilmgraphServer) -> None:
    missing = get(server, "/films/no-such-film-1999", **HTML)
    assert missing.status_code == 404 and "no film" in missing.text.lower()
    ambiguous = get(server, "/films/oldboy", **HTML)
    assert ambiguous.status_code == 409
    assert 'href="/films/oldboy-2003"' in ambiguous.text and 'href="/films/oldboy-2013"' in ambiguous.text
    assert get(server, "/people/Not%20A%20Slug", **HTML).status_code == 422
    assert get(server, "/films/oldboy-2003/related?top=0", **HTML).status_code == 422
    assert get(server, "/films/no-such-film-1999").json()["error"]  # JSON errors stay JSON


def test_the_query_page_offers_the_named_queries_and_states_the_limits(server: FilmgraphServer) -> None:
    page = get(server, "/query", **HTML).text
    assert '<option value="film-cast">' in page and '<option value="link-decisions">' in page
    assert "internal/" not in page
    assert "10,000 rows" in page and 'src="/static/query.js"' in page
    escaped = get(server, "/query?query=" + httpx.QueryParams({"q": "</script><b>x</b>"})["q"], **HTML).text
    assert "</script><b>x</b>" not in escaped and "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in escaped


def test_the_front_page_lists_films_with_links(server: FilmgraphServer) -> None:
    page = get(server, "/", **HTML).text
    links = refs(page).links
    assert "/films/oldboy-2003" in links and "/films/ballerina-2025" in links
    assert "/query" in links and "/docs" in links
    assert get(server, "/").headers["content-type"].startswith("text/html")  # / has no JSON: always the page
