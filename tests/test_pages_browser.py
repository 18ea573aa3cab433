"""The browser pages in a real headless Chromium (Debian's chromium + chromium-driver, driven by selenium).

`filmgraph serve` runs on 127.0.0.1 and a free port over data/samples (plus the seed review when ../shared is
present, and tests/data/pages). The tests use the pages as a person would: read the API docs, search a title
from the box, follow the links to a film and a person, run an example query and a bad one. The browser's
network log (Chrome's performance log) records every request it made; the last test checks they all went to
the server. Screenshots go to $FILMGRAPH_SCREENSHOTS, else to a folder in pytest's temporary directory.

Skipped when chromium, chromedriver or selenium is absent (`.ci/install-chromium` installs the first two).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from http_server import FilmgraphServer
from pages_support import SEED, pages_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("chromium and chromedriver are not installed (.ci/install-chromium installs them)",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
                  "--disable-features=Translate,OptimizationHints,MediaRouter", "--window-size=1280,1000")
WAIT_S = 20.0


class Browser:
    """One Chromium for the module: the driver, where screenshots go, and every request seen so far."""

    def __init__(self, driver: Any, shots: Path, url: str) -> None:
        self.driver, self.shots, self.url = driver, shots, url
        self.requests: list[str] = []
        self.console: list[dict[str, Any]] = []

    def open(self, path: str) -> None:
        self.driver.get(self.url + path)

    def wait(self, condition: Callable[[Any], Any], what: str, timeout: float = WAIT_S) -> Any:
        try:
            return WebDriverWait(self.driver, timeout).until(condition)
        except TimeoutException:
            self.shot("timeout-" + what.replace(" ", "-"))
            raise AssertionError(f"timed out waiting for {what} on {self.driver.current_url}") from None

    def find(self, css: str) -> list[WebElement]:
        return list(self.driver.find_elements(By.CSS_SELECTOR, css))

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def drain_logs(self) -> None:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
            elif message.get("method") == "Network.webSocketCreated":
                self.requests.append(message["params"]["url"])
        self.console += self.driver.get_log("browser")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FilmgraphServer]:
    with pages_server(tmp_path_factory) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser(server: FilmgraphServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    from selenium.webdriver.chrome.service import Service

    shots = Path(os.environ.get("FILMGRAPH_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(shots / "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    b = Browser(driver, shots, server.url)
    try:
        yield b
    finally:
        driver.quit()


@pytest.fixture(autouse=True)
def _record_requests(browser: Browser) -> Iterator[None]:
    yield
    browser.drain_logs()  # the performance log is read once: keep what each test made the browser do


def test_the_docs_page_lists_the_operations(browser: Browser) -> None:
    browser.open("/docs")
    browser.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= 7, "the Swagger UI operations")
    operations = {(block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text,
                   block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute("data-path"))
                  for block in browser.find(".opblock")}
    assert {("GET", "/films"), ("GET", "/films/{slug}"), ("GET", "/films/{slug}/related"),
            ("GET", "/people/{slug}"), ("GET", "/health"), ("GET", "/sparql"), ("POST", "/sparql")} <= operations
    assert "filmgraph" in browser.find(".info .title")[0].text
    assert not browser.find(".errors-wrapper")  # "Failed to load API definition" and the like
    browser.shot("01-docs")


@pytest.mark.parametrize(("title", "one", "other"), [
    ("Oldboy", "oldboy-2003", "oldboy-2013"),
    pytest.param("Ballerina", "ballerina-2023", "ballerina-2025",
                 marks=pytest.mark.skipif(not SEED.exists(), reason="Ballerina (2023) is in ../shared's seed")),
])
def test_a_search_from_the_box_lists_each_namesake_apart(browser: Browser, title: str, one: str,
                                                         other: str) -> None:
    browser.open("/")
    box = browser.wait(lambda d: d.find_element(By.CSS_SELECTOR, "input[name=title]"), "the search box")
    assert browser.find("#films a[href$='/films/oldboy-2003']")  # the front page lists the films
    if title == "Oldboy":
        browser.shot("00-home")
    box.send_keys(title)
    box.submit()
    browser.wait(lambda d: "/films?title=" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".card.match"),
                 "the search results")
    cards = {card.get_attribute("data-slug"): card for card in browser.find(".card.match")}
    assert set(cards) == {one, other}
    assert "different films share this title" in browser.find("#namesake-note")[0].text
    for own, namesake in ((one, other), (other, one)):
        apart = cards[own].find_element(By.CSS_SELECTOR, ".namesakes")
        assert "Same title, different film" in apart.text
        links = [a.get_attribute("href") for a in apart.find_elements(By.TAG_NAME, "a")]
        assert links == [f"{browser.url}/films/{namesake}"]
    browser.shot(f"02-search-{title.lower()}")


def test_a_film_page_lists_related_films_with_reasons(browser: Browser) -> None:
    browser.open("/films?title=Oldboy")
    link = browser.wait(lambda d: d.find_element(By.CSS_SELECTOR, '.card.match[data-slug="oldboy-2003"] h2 a'),
                        "the link to Oldboy (2003)")
    link.click()  # a plain URL: the page, at the JSON's address
    browser.wait(lambda d: d.current_url.endswith("/films/oldboy-2003") and d.find_elements(By.ID, "suggestions"),
                 "the film page")
    assert browser.find("h1")[0].text == "Oldboy (2003)"
    cast = browser.find("#cast")[0].text
    assert "Choi Min-sik as Oh Dae-su" in cast
    suggestions = browser.find("#suggestions li.suggestion")
    assert suggestions
    reasons = {s.find_element(By.TAG_NAME, "a").text: s.find_element(By.CSS_SELECTOR, ".reasons").text
               for s in suggestions}
    assert "Shares director Park Chan-Wook." in reasons["Decision to Leave"]
    assert all(text.endswith(".") for text in reasons.values())  # reasons read as sentences
    assert "Oldboy" in browser.find("#namesakes")[0].text and "Spike Lee" in browser.find("#namesakes")[0].text
    browser.shot("03-film-top")
    browser.driver.execute_script("document.getElementById('sources').scrollIntoView()")
    browser.shot("04-film-sources-related")


def test_a_person_page_lists_films_roles_and_spellings_with_why(browser: Browser) -> None:
    browser.open("/films/decision-to-leave-2022")
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '#facts a[href$="/people/park-chan-wook"]'),
                 "the director link")
    browser.find('#facts a[href$="/people/park-chan-wook"]')[0].click()
    browser.wait(lambda d: d.current_url.endswith("/people/park-chan-wook") and d.find_elements(By.ID, "spellings"),
                 "the person page")
    films = browser.find("#filmography")[0].text
    assert "Decision to Leave (2022) — directed, wrote" in films and "Oldboy (2003) — directed" in films
    spellings = browser.find("#spelling-list")[0].text
    assert "Chan-wook Park — merged: " in spellings
    assert "Known variant" in spellings  # the later review's spelling joins the same person
    browser.shot("05-person")


def _run_query(browser: Browser, text: str) -> None:
    box = browser.find("#query")[0]
    box.clear()
    box.send_keys(text)
    browser.find("#run")[0].click()
    browser.wait(lambda d: not d.find_element(By.ID, "status").text.startswith("Running")
                 and d.find_element(By.ID, "status").text, "the query to finish")


def test_the_query_page_runs_a_named_example_as_a_table(browser: Browser) -> None:
    browser.open("/query")
    picker = browser.wait(lambda d: d.find_element(By.ID, "example"), "the examples")
    Select(picker).select_by_value("film-cast")
    assert "film-cast" in str(browser.find("#query")[0].get_attribute("value"))
    assert "the film IRI" in browser.find("#example-doc")[0].text
    browser.find("#run")[0].click()
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#results-table tbody tr"), "the results table")
    heads = [th.text for th in browser.find("#results-table th")]
    assert heads == ["?person", "?personName", "?character", "?characterName"]
    rows = browser.find("#results-table tbody tr")
    assert any("Choi Min-sik" in r.text and "Oh Dae-su" in r.text for r in rows)
    assert browser.find("#results-table a[href$='/people/choi-min-sik']")  # our IRIs link to their pages
    assert "rows in" in browser.find("#status")[0].text
    assert not browser.find("#error")[0].is_displayed()
    browser.shot("06-query-table")


@pytest.mark.parametrize(("query", "words"), [
    ("SELEC ?film WHERE { ?film ?p ?o }", "malformed SPARQL"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "more than 10,000 rows"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "this is an update (INSERT), not a query"),
])
def test_a_bad_query_shows_its_error_in_words(browser: Browser, query: str, words: str) -> None:
    browser.open("/query")
    browser.wait(lambda d: d.find_element(By.ID, "query"), "the query box")
    _run_query(browser, query)
    error = browser.wait(lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed()
                         else None, "the error")
    assert error.text.startswith("The query was not run (4")
    assert words in error.text
    assert not browser.find("#results-table")
    if words == "malformed SPARQL":
        browser.shot("07-query-error")


def test_json_is_still_at_the_same_address(browser: Browser) -> None:
    browser.open("/films/oldboy-2003")
    answer = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/films/oldboy-2003', {headers: {Accept: 'application/json'}})
          .then(r => r.json().then(body => done({type: r.headers.get('content-type'), name: body.name,
                                                 year: body.year})));""")
    assert answer == {"type": "application/json", "name": "Oldboy", "year": 2003}


def test_no_request_goes_to_any_host_but_the_server(browser: Browser) -> None:
    stats = "/query?query=" + quote("SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }")
    for path in ("/docs", "/", "/films?title=Oldboy", "/films/oldboy-2013", "/people/spike-lee", stats):
        browser.open(path)
        browser.wait(lambda d: d.execute_script("return document.readyState") == "complete", f"{path} to load")
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#results-table tbody tr"), "the stats query")
    time.sleep(1.0)  # anything a page starts after it has loaded
    browser.drain_logs()
    server = urlsplit(browser.url).netloc
    network = [u for u in browser.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss", "ftp")]
    assert any(u.endswith("/vendor/docs/swagger-ui-bundle.js") for u in network)  # the log did record them
    assert any(u.endswith("/openapi.json") for u in network)
    assert any(u.endswith("/sparql") for u in network)
    elsewhere = sorted({u for u in network if urlsplit(u).netloc != server})
    assert elsewhere == [], f"the browser asked other hosts: {elsewhere}"
    blocked = [e["message"] for e in browser.console if "Content Security Policy" in e.get("message", "")]
    assert blocked == [], blocked  # nothing even tried to load from elsewhere
