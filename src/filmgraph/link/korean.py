"""Korean personal names: one key for their orders and romanisations.

A Korean name is a family name of one syllable and a given name of (usually) two. Reviews write it family
name first or last (`Song Kang-ho`, `Kang-ho Song`), in several romanisations (`Byun`/`Byeon`, `Jo`/`Cho`,
`Go`/`Ko`, `Jeong`/`Jung`) and with or without the hyphen in the given name (`Jae-il`/`Jaeil`, `Du-na`/
`Doona`). The key folds all of these; a name of another shape gets none.
"""

from __future__ import annotations

import functools
import re

from unidecode import unidecode

from .naming import clean_text

# The family names that cover nearly all Koreans, in the romanisations reviews use (Revised, McCune-Reischauer
# and the spellings people choose for themselves).
KOREAN_FAMILY_NAMES = frozenset({
    "ahn", "an", "bae", "baek", "bak", "bang", "byeon", "byun", "cha", "chae", "chang", "cheon", "cheong", "cho",
    "choe", "choi", "chon", "choo", "chu", "chun", "chung", "do", "eom", "gang", "gi", "gil", "gim", "go", "gong",
    "gu", "gwak", "gwon", "ha", "han", "heo", "ho", "hong", "huh", "hwang", "hyun", "hyeon", "im", "jang", "jeon",
    "jeong", "ji", "jin", "jo", "joo", "joung", "ju", "jun", "jung", "kang", "kim", "ko", "kong", "koo", "ku",
    "kwak", "kwon", "lee", "lim", "ma", "min", "moon", "mun", "na", "nam", "no", "noh", "oh", "pae", "paek", "pak",
    "park", "pyo", "rhee", "roh", "ryu", "seo", "seol", "seong", "shim", "shin", "sim", "sin", "sohn", "son",
    "song", "suh", "sung", "tak", "um", "won", "woo", "yang", "yeo", "yeom", "yeon", "yi", "yim", "yoo", "yoon",
    "yu", "yun",
})

# One romanised Korean syllable: an optional initial, a vowel, an optional final consonant.
_SYLLABLE = (r"(?:kk|tt|pp|ss|jj|ch|sh|[gkndtrlmbpsjhyw])?"
             r"(?:yae|yeo|wae|ae|ya|yo|yu|ye|eo|eu|ui|oe|wa|wo|we|wi|oo|ee|a|e|i|o|u)"
             r"(?:ng|[kntlmpgb])?")
_TWO_SYLLABLES = re.compile(f"{_SYLLABLE}{_SYLLABLE}")
_HYPHENATED = re.compile(r"[a-z]+-[a-z]+")

_SKELETON = [("oo", "u"), ("eo", "u"), ("ee", "i"), ("ie", "i"), ("sh", "s"), ("ch", "j"), ("rh", "l"), ("r", "l"),
             ("k", "g")]


def _skeleton(part: str) -> str:
    syllables = re.split(r"[^a-z]+", part)
    text = "".join(re.sub(r"(?<=[aeiou])h$", "", s) for s in syllables)
    for old, new in _SKELETON:
        text = text.replace(old, new)
    return text


def _is_family_name(part: str) -> bool:
    return part in KOREAN_FAMILY_NAMES


def _is_given_name(part: str) -> bool:
    """A hyphenated given name of any two parts, or an unhyphenated one that reads as two Korean syllables."""
    return bool(_HYPHENATED.fullmatch(part)) or bool(_TWO_SYLLABLES.fullmatch(part))


@functools.lru_cache(maxsize=1 << 16)
def korean_name_key(name: str) -> str | None:
    """One key for the romanisations and orders of a Korean name (family name + given name).

    `Song Kang-ho`, `Kang-ho Song`; `Byun Hee-bong`, `Hie-bong Byeon`; `Go Ah-sung`, `Ah-sung Ko`;
    `Jung Jae-il`, `Jaeil Jung`; `Bae Doona`, `Doona Bae` share a key; `Choi Min-sik` and `Choi Woo-shik` do
    not. A hyphenated given name goes with any short family name (`Wong Kar-wai`); an unhyphenated one only
    with a Korean family name, and only when the order is not in doubt. None for a name of another shape.
    """
    parts = [unidecode(p).lower() for p in clean_text(name).split(" ")]
    if len(parts) != 2 or not all(re.fullmatch(r"[a-z]+(?:-[a-z]+)?", p) for p in parts):
        return None
    hyphenated = [p for p in parts if "-" in p]
    if len(hyphenated) == 1:
        given = hyphenated[0]
        family = parts[1] if parts[0] == given else parts[0]
        if len(family) > 5:
            return None
    elif hyphenated:
        return None
    else:
        readings = [(family, given) for family, given in (parts, parts[::-1])
                    if _is_family_name(family) and _is_given_name(given) and not _is_family_name(given)]
        if len(readings) != 1:
            return None
        family, given = readings[0]
    return "ko:" + _skeleton(family) + _skeleton(given)
