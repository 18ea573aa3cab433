"""The prose finders of `extract.roles` skip a paragraph without a word their pattern needs; the cues they
give must be exactly those of scanning every paragraph (issue 13: the scans were a fifth of reading a page)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, SHARED
from filmgraph.extract import roles
from filmgraph.extract.roles import Cue


def cues(text: str) -> tuple[list[Cue], list[Cue]]:
    return roles.actor_cues(text), roles.crew_cues(text)


def unguarded_cues(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Cue], list[Cue]]:
    """The cues with every finder scanning (each word check answers yes)."""
    with monkeypatch.context() as patch:
        patch.setattr(roles, "holds", lambda text, *words: True)
        patch.setattr(roles, "holds_match", lambda pattern, text: True)
        return cues(text)


def paragraphs() -> Iterator[str]:
    """Every paragraph of our samples and, where ../shared/ is beside the checkout, of the dev set's pages."""
    files = sorted(SAMPLES.glob("*.txt")) + sorted((SHARED / "data" / "reviews-dev").glob("*/review.txt"))
    for path in files:
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            if paragraph.strip():
                yield paragraph


def test_skipping_changes_no_cue_of_any_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = list(paragraphs())
    assert len(texts) >= 60  # the samples' paragraphs alone; the dev set adds hundreds where it is present
    actors = crew = 0
    for text in texts:
        got = cues(text)
        assert got == unguarded_cues(text, monkeypatch), text
        actors, crew = actors + len(got[0]), crew + len(got[1])
    assert actors >= 20 and crew >= 5  # the paragraphs do give cues of both kinds


@pytest.mark.parametrize("text", [
    "Kim Tae-ri plays Sook-hee, a pickpocket.",
    "Song Kang-ho, who also stars as Ki-taek, is superb.",
    "Lee Jung-jae is Seong Gi-hun, a gambler.",
    "And Ben is Steven Yeun.",
    "Chaney, the operator, is played by Samuel L. Jackson.",
    "Directed by Park Chan-wook and written by Jeong Seo-kyeong.",
    "DIRECTED by Bong Joon-ho.",
    "Celine Song wrote and directed it; cinematographer Shabier Kirchner shot it.",
    "Park's camera and Jo Yeong-wook's score carry the film.",
    "An adaptation of Sarah Waters's novel, with a screenplay by Park Chan-wook.",
    "Greta Gerwig directs, and her co-writer Noah Baumbach keeps pace.",
    "Brolin gives a fearless performance, and he turns in a fine turn.",
    "It stars Ma Dong-seok, Gong Yoo and Jung Yu-mi.",
])
def test_each_finder_still_finds_its_cue(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    got = cues(text)
    assert got == unguarded_cues(text, monkeypatch)
    assert got[0] or got[1]


WORDS = ["plays", "played", "portrays", "voices", "embodies", "is", "cast", "as", "stars", "starring", "features",
         "by", "directed", "Directed", "DIRECTED", "helmed", "directs", "helms", "written", "and", "wrote",
         "script", "screenplay", "Screenplay", "penned", "writer", "co-writer", "director", "Director", "filmmaker",
         "cinematographer", "composer", "editor", "production", "designer", "adaptation", "of", "based", "on",
         "adapted", "from", "novel", "gives", "lends", "brings", "a", "the", "fine", "performance", "turn", "he",
         "she", "his", "her", "who", "also", "Kim", "Lee", "Song Kang-ho", "Jeon Jong-seo", "Min-hee", "Ok-ju",
         "Park Chan-wook", "Celine Song", "Sook-hee", "Dr. Kwon", "Ben", "Steven Yeun", "’s", "'s"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "; ", " (", ") ", " – ", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=30))
def test_skipping_changes_no_cue_of_generated_prose(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in parts)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert cues(text) == unguarded_cues(text, monkeypatch)


def test_a_paragraph_without_the_needed_words_gives_no_cue_of_those_finders() -> None:
    assert roles.holds("Kim Tae-ri plays Sook-hee", "play")
    assert not roles.holds("Kim Tae-ri is superb", "play", "star")
    assert roles.holds_match(roles._DIRECTED_WORD, "DIRECTED BY BONG")
    assert not roles.holds_match(roles._AS_WORD, "It was a fast film")
