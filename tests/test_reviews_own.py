"""Our own reviews (data/reviews-own/): 24 pages in layouts the development set does not have.

Two checks:

* The shared scorer (../shared/tools/score_reviews.py) on `tune` and on `heldout`, with floors at the figures
  the reader reaches, so no change quietly loses them. Skipped without ../shared. The heldout figures are
  asserted from the scorer's last line only: its misses are not printed here, because heldout is not for
  tuning (data/reviews-own/README.md).
* A self-contained check that needs nothing outside the checkout: every page of a folder is ingested with the
  CLI into one fresh store, the store is exported, and for each case the film must be one node (with the
  year when the page prints one), each gold director must be credited on it, and a review of it must be
  published by the gold publication. Cases the current reader misses are strict expected failures, so a
  fix shows up as an XPASS that asks for the mark to go.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

REPO = Path(__file__).resolve().parents[1]
OWN = REPO / "data" / "reviews-own"
FOLDERS = ("tune", "heldout")
SCORER = REPO.parent / "shared" / "tools" / "score_reviews.py"
SCHEMA = "http://schema.org/"

# Measured on 2026-12-02 (first at 66de624: tune 0.025, 12 refused; heldout 0.037). Raise them as the reader
# improves; never lower them. Heldout's 5 "spurious" people are the 1922 Nosferatu's cast: that page's film has
# no printed year, the 2024 page is refused, so the scorer judges the yearless 1922 node against the 2024 film.
FLOORS: dict[str, dict[str, float]] = {
    "tune": {"recall": 0.74, "spurious": 0, "cross": 11, "refused": 0},
    "heldout": {"recall": 0.25, "spurious": 5, "cross": 4, "refused": 2},
}

# Cases the current reader misses, per check. A reason names the symptom for tune cases; heldout cases
# only say that they fail, so that nobody tunes the reader on them.
HELDOUT = "missed by the current reader (heldout: not for tuning)"


def _heldout(*cases: str) -> dict[tuple[str, str], str]:
    return {("heldout", case): HELDOUT for case in cases}


XFAIL_FILM: dict[tuple[str, str], str] = {
    ("tune", "kaijuledger_godzilla-1954"): "the Markdown headline's original title (Gojira) is taken for the title",
    ("tune", "paperlanterns_tokyo-story"): "the year, printed only in a caption, is not read",
    **_heldout("ascentreels_free-solo", "bellwether_funny-games-1997", "discverdicts_spirited-away",
               "fotogramalento_pather-panchali", "screenwise_funny-games-2007",
               "silentscreenjournal_nosferatu-1922"),
}
XFAIL_DIRECTORS: dict[tuple[str, str], str] = {
    ("tune", "kaijuledger_godzilla-1954"): "the film is not found (see above)",
    ("tune", "lacquerbox_hero"): "the director alone on the line under the title ('Zhang Yimou (2002)') is "
                                 "not credited",
    ("tune", "northgatecourier_perfect-days"): "the director is named only in prose without a directing cue",
    ("tune", "paperlanterns_tokyo-story"): "the director is named only as 'Ozu's camera' in a caption",
    ("tune", "pocketcritic_minari"): "'NAME's semi-autobiographical drama' without the title is no cue",
    ("tune", "quietframe_the-handmaiden"): "the Q&A names the director only in its questions",
    **_heldout("ascentreels_free-solo", "bellwether_funny-games-1997", "discverdicts_spirited-away",
               "fotogramalento_pather-panchali", "midnightmatinee_nosferatu-2024",
               "screenwise_funny-games-2007", "silentscreenjournal_nosferatu-1922"),
}
XFAIL_PUBLICATION: dict[tuple[str, str], str] = {
    ("tune", "kaijuledger_godzilla-1954"): "the film is not found (see above)",
    ("tune", "paperlanterns_tokyo-story"): "the film is not found (see above)",
    **_heldout("ascentreels_free-solo", "bellwether_funny-games-1997", "discverdicts_spirited-away",
               "fotogramalento_pather-panchali", "midnightmatinee_nosferatu-2024",
               "screenwise_funny-games-2007", "silentscreenjournal_nosferatu-1922"),
}


def fold(text: str) -> str:
    """Compare names loosely: accents dropped, case folded, only letters and digits kept (any script)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def spellings(canonical: str | None, variants: list[str] | None) -> set[str]:
    return {fold(x) for x in [canonical, *(variants or [])] if x and fold(x)}


def load_case(folder: str, case: str) -> dict[str, Any]:
    return json.loads((OWN / folder / case / "expected.json").read_text(encoding="utf-8"))


def case_names(folder: str) -> list[str]:
    root = OWN / folder
    return sorted(p.name for p in root.iterdir() if (p / "review.txt").is_file() and (p / "expected.json").is_file())


def filmgraph_command() -> str:
    return shutil.which("filmgraph") or str(Path(sys.executable).with_name("filmgraph"))


class Store:
    """The exported union graph of one folder, read with plain rdflib."""

    def __init__(self, dump: Path) -> None:
        ds = Dataset()
        with warnings.catch_warnings():  # rdflib's own N-Quads parser uses a deprecated Dataset attribute
            warnings.simplefilter("ignore", DeprecationWarning)
            ds.parse(dump, format="nquads")
        self.g = Graph()
        for s, p, o, _graph in ds.quads((None, None, None, None)):
            self.g.add((s, p, o))

    def term(self, local: str) -> URIRef:
        return URIRef(SCHEMA + local)

    def labels(self, node: Node) -> set[str]:
        out: set[str] = set()
        for prop in ("name", "alternateName"):
            out |= {fold(str(o)) for o in self.g.objects(node, self.term(prop)) if isinstance(o, Literal)}
        return out

    def years(self, node: Node) -> set[int]:
        found = set()
        for o in self.g.objects(node, self.term("datePublished")):
            m = re.match(r"\s*(\d{4})", str(o))
            if m:
                found.add(int(m.group(1)))
        return found

    def films_for(self, expected: dict[str, Any]) -> set[Node]:
        film, ident = expected["film"], expected["film_identity"]
        titles = spellings(film["title"], [ident["title"], *(film.get("alternate_titles") or [])])
        named = {n for n in self.g.subjects(RDF.type, self.term("Movie")) if self.labels(n) & titles}
        if film.get("year") is not None:  # the page prints the year: the node must carry it
            return {n for n in named if film["year"] in self.years(n)}
        # no year printed: a node without a year, or one the reader dated correctly from other evidence
        return {n for n in named if not self.years(n) or ident["year"] in self.years(n)}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One fresh store per folder, filled lazily: each page ingested with the CLI under a neutral name."""

    @cache
    def get(folder: str) -> Store:
        work = tmp_path_factory.mktemp(f"own-{folder}")
        store, cmd = work / "store", filmgraph_command()
        for i, case in enumerate(case_names(folder), 1):
            page = work / f"page-{i}.txt"  # the text alone must say everything
            shutil.copyfile(OWN / folder / case / "review.txt", page)
            # one call per page: a refused or crashing page must not take the folder's other pages with it
            subprocess.run([cmd, "--store", str(store), "ingest", str(page)], capture_output=True, timeout=120)
        dump = work / "dump.nq"
        subprocess.run([cmd, "--store", str(store), "export", "--format", "nquads", "-o", str(dump)],
                       check=True, capture_output=True, timeout=120)
        return Store(dump)

    return get


def params(xfails: dict[tuple[str, str], str]) -> list[Any]:
    out = []
    for folder in FOLDERS:
        for case in case_names(folder):
            reason = xfails.get((folder, case))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(folder, case, marks=marks, id=f"{folder}/{case}"))
    return out


def the_film(stores: Any, folder: str, case: str) -> tuple[Store, dict[str, Any], Node]:
    store, expected = stores(folder), load_case(folder, case)
    films = store.films_for(expected)
    assert len(films) == 1, f"{expected['film']['title']} ({expected['film'].get('year')}): {sorted(films)}"
    return store, expected, next(iter(films))


@pytest.mark.parametrize(("folder", "case"), params(XFAIL_FILM))
def test_film_is_one_node(stores: Any, folder: str, case: str) -> None:
    the_film(stores, folder, case)


@pytest.mark.parametrize(("folder", "case"), params({**XFAIL_FILM, **XFAIL_DIRECTORS}))
def test_gold_directors_are_credited(stores: Any, folder: str, case: str) -> None:
    store, expected, film = the_film(stores, folder, case)
    credited = [store.labels(p) for p in store.g.objects(film, store.term("director"))]
    missing = [d["name"] for d in expected["directors"]
               if not any(labels & spellings(d["name"], d.get("variants")) for labels in credited)]
    assert not missing, f"directors not credited on {film}: {missing}"


@pytest.mark.parametrize(("folder", "case"), params({**XFAIL_FILM, **XFAIL_PUBLICATION}))
def test_publication_is_found(stores: Any, folder: str, case: str) -> None:
    store, expected, film = the_film(stores, folder, case)
    wanted = spellings(expected["publication"], expected.get("publication_variants"))
    publishers = [store.labels(pub) for review in store.g.subjects(store.term("itemReviewed"), film)
                  for pub in store.g.objects(review, store.term("publisher"))]
    assert any(labels & wanted for labels in publishers), \
        f"no review of {film} published by {expected['publication']}: {publishers}"


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.skipif(not SCORER.is_file(), reason="../shared/tools/score_reviews.py is not present")
@pytest.mark.parametrize("folder", FOLDERS)
def test_scorer_figures_stay_above_their_floors(folder: str) -> None:
    verbose = ["-v"] if folder == "tune" else []  # heldout misses are not shown, even on failure
    run = subprocess.run([sys.executable, str(SCORER), "--filmgraph", filmgraph_command(), *verbose,
                          str(OWN / folder)], capture_output=True, text=True, timeout=900)
    lines = run.stdout.strip().splitlines()
    last = lines[-1] if lines else ""
    shown = run.stdout if folder == "tune" else last
    m = re.search(r"recall (?P<r>[\d.]+) \(\d+/\d+\), spurious people (?P<s>\d+), cross-case (?P<c>\d+)/\d+, "
                  r"refused (?P<f>\d+)/\d+", last)
    assert m, shown + run.stderr[-2000:]
    floor = FLOORS[folder]
    assert float(m["r"]) >= floor["recall"], shown
    assert int(m["s"]) <= floor["spurious"], shown
    assert int(m["c"]) >= floor["cross"], shown
    assert int(m["f"]) <= floor["refused"], shown
