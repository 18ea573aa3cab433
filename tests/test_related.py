"""Related-film discovery on the fixture graph: the right films, for the right reasons, namesakes apart."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from filmgraph.cli import main
from filmgraph.config import RELATION_WEIGHTS
from filmgraph.discover.lookup import resolve_film
from filmgraph.discover.neighbourhood import Neighbourhood
from filmgraph.discover.related import _best_first, find_related, related_films
from filmgraph.errors import AmbiguousReference, NotFound
from filmgraph.store import Store, Triple, open_store
from graph_fixture import ID, load_fixture


def film(slug: str) -> URIRef:
    return URIRef(f"{ID}film/{slug}")


@pytest.fixture(scope="module")
def graph() -> Iterator[Store]:
    store = load_fixture(open_store("memory"))
    yield store
    store.close()


def texts(suggestion: object) -> list[str]:
    return [r.text for r in suggestion.reasons]  # type: ignore[attr-defined]


def test_decision_to_leave_tops_the_handmaiden(graph: Store) -> None:
    suggestions = related_films(graph, film("the-handmaiden-2016"), top=5)
    top = suggestions[0]
    assert top.film == film("decision-to-leave-2022")
    assert top.name == "Decision to Leave" and top.year == 2022
    assert "shares director Park Chan-wook" in texts(top)
    assert any(r.via_name == "Park Chan-wook" and r.kind == "director" for r in top.reasons)
    assert "liked by 2 of the same reviewers" in texts(top)
    assert suggestions[1].film == film("oldboy-2003")
    assert top.score > suggestions[1].score > 0
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_korean_ballerina_lists_the_john_wick_one_as_namesake_only(graph: Store) -> None:
    result = find_related(graph, film("ballerina-2023"), top=10)
    assert film("ballerina-2025") not in {s.film for s in result.suggestions}
    assert [n.film for n in result.namesakes] == [film("ballerina-2025")]
    namesake = result.namesakes[0]
    assert namesake.namesake and texts(namesake) == ["same title, different film"]
    assert namesake.year == 2025
    top = result.suggestions[0]
    assert top.film == film("kill-boksoon-2023")
    assert "mentioned together in a Focus Magazine review" in texts(top)


def test_john_wick_ballerina_suggests_john_wick(graph: Store) -> None:
    result = find_related(graph, film("ballerina-2025"), top=10)
    top = result.suggestions[0]
    assert top.film == film("john-wick-2014")
    assert "both in the John Wick series" in texts(top)
    assert "same actor Keanu Reeves (John Wick / John Wick)" in texts(top)
    assert film("ballerina-2023") not in {s.film for s in result.suggestions}
    assert [n.film for n in result.namesakes] == [film("ballerina-2023")]


def test_namesake_related_by_a_real_link_is_flagged(graph: Store) -> None:
    # Oldboy (2013) shares no person with Oldboy (2003); give it one through a review that names both.
    from filmgraph.vocab import RDF, SCHEMA

    store = load_fixture(open_store("memory"))
    review = URIRef(f"{ID}review/test-remake")
    store.replace_graph(review, [(review, RDF.type, SCHEMA.Review),
                                 (review, SCHEMA.itemReviewed, film("oldboy-2013")),
                                 (review, SCHEMA.mentions, film("oldboy-2003"))])
    result = find_related(store, film("oldboy-2003"), top=10)
    flagged = [s for s in result.suggestions if s.film == film("oldboy-2013")]
    assert flagged and flagged[0].namesake
    assert "same title, different film" in texts(flagged[0])
    assert "mentioned together in a review" in texts(flagged[0])
    assert [n.film for n in result.namesakes] == [film("oldboy-2013")]
    store.close()


def test_genre_only_namesake_is_not_suggested(graph: Store) -> None:
    result = find_related(graph, film("oldboy-2003"), top=10)
    assert film("oldboy-2013") not in {s.film for s in result.suggestions}


def test_reason_of_a_lead_actor_names_the_characters(graph: Store) -> None:
    top = related_films(graph, film("john-wick-2014"), top=1)[0]
    assert top.film == film("ballerina-2025")
    assert any(r.kind == "lead-actor" and r.text == "same actor Ian McShane (Winston / Winston)" for r in top.reasons)


def test_ambiguous_title_lists_both(graph: Store) -> None:
    with pytest.raises(AmbiguousReference) as info:
        resolve_film(graph, "Ballerina")
    slugs = {c["slug"] for c in info.value.candidates}
    assert slugs == {"ballerina-2023", "ballerina-2025"}
    assert {c["year"] for c in info.value.candidates} == {"2023", "2025"}
    assert "ballerina-2023" in str(info.value) and "ballerina-2025" in str(info.value)


@pytest.mark.parametrize(("ref", "slug"), [
    ("ballerina-2023", "ballerina-2023"),
    ("Ballerina (2025)", "ballerina-2025"),
    ("Oldboy (2003)", "oldboy-2003"),
    ("the handmaiden", "the-handmaiden-2016"),
    ("Kill Bok-soon", "kill-boksoon-2023"),
    (f"{ID}film/john-wick-2014", "john-wick-2014"),
])
def test_resolve_film(graph: Store, ref: str, slug: str) -> None:
    assert resolve_film(graph, ref) == film(slug)


@pytest.mark.parametrize("ref", [
    "Parasite", "Oldboy (1999)", "", "no-such-film-2020", f"{ID}film/parasite-2019",
    'Ballerina") } } DROP ALL #', "ballerina-2023> } DROP ALL", "x\" . ?s ?p ?o", "' OR 1=1 --",
    "https://example.org/x> } DELETE WHERE { ?s ?p ?o }", "<script>",
])
def test_unknown_or_hostile_reference_is_not_found(graph: Store, ref: str) -> None:
    size = len(graph)
    with pytest.raises(NotFound):
        resolve_film(graph, ref)
    assert len(graph) == size


def test_unknown_film_iri_is_not_found(graph: Store) -> None:
    with pytest.raises(NotFound):
        related_films(graph, film("parasite-2019"))


def test_filters(graph: Store) -> None:
    base = related_films(graph, film("ballerina-2023"), top=10)
    assert {s.film for s in base} >= {film("kill-boksoon-2023"), film("john-wick-2014"), film("oldboy-2003")}
    korean = related_films(graph, film("ballerina-2023"), top=10, language="ko")
    assert korean and all("ko" in s.languages for s in korean)
    assert film("john-wick-2014") not in {s.film for s in korean}
    recent = related_films(graph, film("ballerina-2023"), top=10, min_year=2020)
    assert recent and all(s.year is not None and s.year >= 2020 for s in recent)
    thrillers = related_films(graph, film("ballerina-2023"), top=10, genre="thriller")
    assert thrillers and all("Thriller" in s.genres for s in thrillers)
    assert film("kill-boksoon-2023") not in {s.film for s in thrillers}
    unseen = related_films(graph, film("the-handmaiden-2016"), top=10, exclude_seen=True)
    rated = {film("decision-to-leave-2022"), film("oldboy-2003"), film("john-wick-2014"), film("ballerina-2023")}
    assert unseen and not rated & {s.film for s in unseen}


def test_top_limits_and_scores_are_deterministic(graph: Store) -> None:
    for slug in ("the-handmaiden-2016", "ballerina-2023", "ballerina-2025", "oldboy-2013", "kill-boksoon-2023"):
        first = related_films(graph, film(slug), top=3)
        assert len(first) <= 3
        for _ in range(3):
            again = related_films(graph, film(slug), top=3)
            assert [(s.film, s.score) for s in again] == [(s.film, s.score) for s in first]
        assert film(slug) not in {s.film for s in first}


def test_every_suggestion_explains_itself(graph: Store) -> None:
    for slug in ("the-handmaiden-2016", "ballerina-2025", "kill-boksoon-2023"):
        for s in related_films(graph, film(slug), top=10):
            assert s.reasons and s.name
            assert abs(sum(r.weight for r in s.reasons) - s.score) < 1e-9


# -- CLI ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("related-store") / "db"
    load_fixture(open_store(str(path))).close()
    return str(path)


def invoke(store_dir: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--store", store_dir, "related", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_related_table(store_dir: str) -> None:
    code, out, _ = invoke(store_dir, "The Handmaiden", "--top", "2")
    assert code == 0
    assert "Decision to Leave" in out and "Park Chan-wook" in out


def test_cli_related_json(store_dir: str) -> None:
    code, out, _ = invoke(store_dir, "ballerina-2023", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["namesakes"][0]["film"] == str(film("ballerina-2025"))
    assert str(film("ballerina-2025")) not in {s["film"] for s in data["suggestions"]}
    assert data["suggestions"][0]["reasons"][0]["text"] == "mentioned together in a Focus Magazine review"


def test_cli_related_ambiguous(store_dir: str) -> None:
    code, _, err = invoke(store_dir, "Ballerina")
    assert code == AmbiguousReference.exit_code
    assert "ballerina-2023" in err and "ballerina-2025" in err


def test_cli_related_unknown(store_dir: str) -> None:
    code, _, err = invoke(store_dir, "Parasite")
    assert code == NotFound.exit_code
    assert "Parasite" in err


def test_cli_related_filters(store_dir: str) -> None:
    code, out, _ = invoke(store_dir, "ballerina-2023", "--format", "json", "--language", "ko", "--min-year", "2020",
                          "--genre", "Action", "--exclude-seen")
    assert code == 0
    data = json.loads(out)
    assert [s["film"] for s in data["suggestions"]] == [str(film("kill-boksoon-2023"))]


# -- every backend ------------------------------------------------------------------------------------

def _portable(triple: Triple) -> bool:
    """Not the xsd:duration literals Virtuoso refuses (see test_store_backends)."""
    return not (isinstance(triple[2], Literal) and triple[2].datatype == XSD.duration)


def test_every_backend_gives_the_same_suggestions(any_store: Store) -> None:
    reference = load_fixture(open_store("memory"), _portable)
    load_fixture(any_store, _portable)
    for slug in ("the-handmaiden-2016", "ballerina-2023", "ballerina-2025", "oldboy-2003", "john-wick-2014"):
        expected = find_related(reference, film(slug), 5).as_dict()
        assert find_related(any_store, film(slug), 5).as_dict() == expected, slug
        filtered = find_related(reference, film(slug), 5, min_year=2015, exclude_seen=True).as_dict()
        assert find_related(any_store, film(slug), 5, min_year=2015, exclude_seen=True).as_dict() == filtered, slug


@pytest.mark.parametrize("slug", ["the-handmaiden-2016", "ballerina-2023", "ballerina-2025", "oldboy-2003",
                                  "john-wick-2014", "decision-to-leave-2022", "kill-boksoon-2023"])
def test_strong_scores_add_up_the_strong_terms(graph: Store, slug: str) -> None:
    hood = Neighbourhood(graph, str(film(slug)), RELATION_WEIGHTS)
    hood.gather()
    summed: dict[str, float] = {}
    for other, _kind, weight in hood.strong_terms():
        summed[other] = summed.get(other, 0.0) + weight
    assert hood.strong_scores() == summed  # the same floats: the same terms in the same order
    assert summed, "every fixture film has a strong link"


@given(st.dictionaries(st.text(alphabet="abcdef", min_size=1, max_size=4),
                       st.one_of(st.floats(0, 10, allow_nan=False), st.sampled_from([0.5, 1.0, 1.0 + 1e-12])),
                       max_size=60), st.integers(1, 70))
def test_best_first_orders_the_head_and_keeps_the_rest_below_it(scores: dict[str, float], count: int) -> None:
    head, rest = _best_first(scores, count)
    full = sorted(scores, key=lambda o: (-round(scores[o], 9), o))
    assert [o for o, _ in head] + sorted(rest, key=lambda o: (-round(scores[o], 9), o)) == full
    assert all(score == scores[o] for o, score in head)
