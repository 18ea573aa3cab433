"""Cast credits: each written form, and deciding which side is the actor."""

from __future__ import annotations

import pytest

from filmgraph.extract.cast import (
    CastCues,
    find_cast_cues,
    find_prose_credits,
    name_shape,
    orient,
    parse_cast,
    parse_credit,
    split_credits,
)
from filmgraph.models import CastCredit


def pairs(credits: list[CastCredit]) -> list[tuple[str, str | None]]:
    return [(c.actor, c.character) for c in credits]


@pytest.mark.parametrize(
    ("value", "label", "expected"),
    [
        ("Jeon Jong-Seo (Ok-ju), Kim Ji-hoon (Pro Choi), Park Yu-rim (Min-hee), etc.", "cast",
         [("Jeon Jong-Seo", "Ok-ju"), ("Kim Ji-hoon", "Pro Choi"), ("Park Yu-rim", "Min-hee")]),
        ("Hae-jun (Park Hae-il), Seo-rae (Tang Wei)", "cast",
         [("Park Hae-il", "Hae-jun"), ("Tang Wei", "Seo-rae")]),
        ("Josh Brolin as Joe Doucett; Elizabeth Olsen as Marie Sebastian", "cast",
         [("Josh Brolin", "Joe Doucett"), ("Elizabeth Olsen", "Marie Sebastian")]),
        ("Eve Macarro (played by Ana de Armas)\nThe Director (played by Anjelica Huston)", "characters",
         [("Ana de Armas", "Eve Macarro"), ("Anjelica Huston", "The Director")]),
        ("Yoo Ah-in – Jong-su\nSteven Yeun – Ben", "cast", [("Yoo Ah-in", "Jong-su"), ("Steven Yeun", "Ben")]),
        ("Keanu Reeves - John Wick, Ian McShane - Winston", "cast",
         [("Keanu Reeves", "John Wick"), ("Ian McShane", "Winston")]),
        ("Lady Hideko (Kim Min-hee), Count Fujiwara (Ha Jung-woo)", "cast",
         [("Kim Min-hee", "Lady Hideko"), ("Ha Jung-woo", "Count Fujiwara")]),
        ("Detective Park (Song Kang-ho), The Bride (Uma Thurman)", "cast",
         [("Song Kang-ho", "Detective Park"), ("Uma Thurman", "The Bride")]),
        # both sides full names: the Cast convention (actor first) and the list's consistency decide
        ("Choi Min-sik (Oh Dae-su), Yoo Ji-tae (Lee Woo-jin), Kang Hye-jung (Mi-do)", "cast",
         [("Choi Min-sik", "Oh Dae-su"), ("Yoo Ji-tae", "Lee Woo-jin"), ("Kang Hye-jung", "Mi-do")]),
        # a Characters label names characters first
        ("John Wick (Keanu Reeves), Marcus (Willem Dafoe)", "characters",
         [("Keanu Reeves", "John Wick"), ("Willem Dafoe", "Marcus")]),
        ("Kim Min-hee, Kim Tae-ri and Ha Jung-woo … and more", "cast",
         [("Kim Min-hee", None), ("Kim Tae-ri", None), ("Ha Jung-woo", None)]),
    ],
)
def test_cast_forms(value: str, label: str, expected: list[tuple[str, str | None]]) -> None:
    assert pairs(parse_cast(value, label_field=label)) == expected


def test_trailing_etc_dropped() -> None:
    assert split_credits("A B (C), D E (F), etc.") == ["A B (C)", "D E (F)"]
    assert split_credits("A B (C) and more") == ["A B (C)"]
    assert split_credits("A B (C)…") == ["A B (C)"]


def test_explicit_words_decide() -> None:
    assert parse_credit("Keanu Reeves as John Wick").actor_first is True
    raw = parse_credit("Winston (played by Ian McShane)")
    assert (raw.left, raw.right, raw.actor_first) == ("Ian McShane", "Winston", True)
    assert parse_credit("Tom Hardy (Max)").actor_first is None


@pytest.mark.parametrize(
    ("name", "sign"),
    [("Park Yu-rim", 1), ("Tom Hardy", 1), ("Ana de Armas", 1), ("Min-hee", -1), ("Detective Park", -1),
     ("The Bride", -1), ("Pro Choi", -1), ("Winston", -1)],
)
def test_name_shape(name: str, sign: int) -> None:
    assert (name_shape(name) > 0) == (sign > 0)


def test_known_person_hook_decides_against_shape() -> None:
    # Two single names: shape says nothing, the hook knows the person.
    known = {"Yoo"}.__contains__
    assert orient([("Ben", "Yoo")], prior=1.0, is_known_person=known) == [False]


def test_prose_cues_decide_against_label_convention() -> None:
    cues = CastCues(actors={"Jeon"}, characters=set())
    assert orient([("Ok-ju Kim", "Jeon Jong-seo")], prior=1.0, cues=cues) == [False]


def test_consistency_across_the_list() -> None:
    # The first pair is undecidable by shape, the others are character-first: the list follows them.
    credits = parse_cast("Lee Woo-jin (Yoo Ji-tae), Mi-do (Kang Hye-jung), Dae-su (Choi Min-sik)")
    assert pairs(credits)[0] == ("Yoo Ji-tae", "Lee Woo-jin")


def test_find_cast_cues_from_prose() -> None:
    text = ("This revenge drama is led by a female action star Jeon Jong-Seo. She plays the ex-bodyguard "
            "character named Ok-ju in it. The role is convincingly played by actress Jeon. The villain is "
            "played by actor Kim Ji-hoon (Pro Choi).")
    cues = find_cast_cues(text)
    assert cues.is_actor("Jeon Jong-Seo") and cues.is_actor("Kim Ji-hoon")
    assert cues.is_character("Ok-ju")
    assert not cues.is_actor("Ok-ju")


def test_prose_credits() -> None:
    text = "Grieving her friend Minhee (Park Yu-rim), Ok-ju (Jeon Jong-Seo) sets out. Keanu Reeves as John Wick."
    found = pairs(find_prose_credits(text))
    assert ("Park Yu-rim", "Minhee") in found
    assert ("Jeon Jong-Seo", "Ok-ju") in found
    assert ("Keanu Reeves", "John Wick") in found


def test_prose_credits_skip_undecidable_pairs() -> None:
    assert find_prose_credits("We met Tom Hardy (Charlize Theron) there.") == []
