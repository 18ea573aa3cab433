"""The shape of a personal name: what a credited person, a character and a film title look like in text.

A reader finds candidate names by their shape before any cue gives them a role: two to four capitalised
words (`Jeon Jong-Seo`, `Samuel L. Jackson`, `Dino de Laurentiis`), a family name in capitals
(`PARK Hae-il`), or a single word in a credit slot (`IU`, `Zendaya`). Nothing here knows any real name.
"""

from __future__ import annotations

import functools
import re

#: One capitalised word of a name: `Jong-Seo`, `Kore-eda`, `McShane`, `O'Brien`, `Skarsgård`, `ANDERSON`.
WORD = r"(?:[A-ZÀ-ÖØ-ÞĀ-Ž](?:[\w]|['’](?!s\b)(?=\w))*(?:-[\w'’]+)*)"
#: Lower-case particles inside a name (`Dino de Laurentiis`, `Ludwig van Beethoven`).
PARTICLE = r"(?:de|del|della|der|di|da|dos|du|van|von|la|le|bin|al|ter|ten|y)"
INITIAL = r"(?:[A-Z]\.){1,2}"
_NAME_CORE = rf"{WORD}(?:\s+(?:{INITIAL}|{PARTICLE}\s+{WORD}|{WORD})){{1,3}}"
#: A full name as a regex fragment (two to four words, initials and particles allowed).
NAME = _NAME_CORE
NAME_RE = re.compile(rf"(?<![\w'’-]){NAME}(?![\w'’-])")

#: Words that never stand in a personal name, even capitalised at a sentence start or in a headline.
FUNCTION_WORDS = frozenset("""
a an the and or but nor of in on at to for from by with without as is are was were be been being it its it's
this that these those his her hers their theirs our ours my your yours he she they we you i me him them us
who whom whose which what when where why how while after before since until though although because if so
not no yes all any some every each both either neither one two three four five six seven eight nine ten
first second third last next new old more most less least much many such than then there here also only
just even still yet very too really quite about into onto over under again once do does did has have had
can could would shall should may might must let lets get gets got goes went gone see seen saw
film films movie movies review reviews cinema picture director directors writer writers star stars cast
chapter part episode season series saga franchise trilogy sequel prequel remake original version edition
rated rating ratings score verdict certificate runtime minutes mins min hours hour
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday today tonight yesterday tomorrow
mr mrs ms dr sir lady miss madame
oscars award awards festival golden globe palme palm bafta sundance cannes venice berlin
read more share tweet email print comments comment tags tag posted updated published advertisement
photo image credit courtesy source via copyright reserved rights all
north south east west korea korean japan japanese china chinese america american british english french
german italian spanish hollywood netflix youtube instagram twitter facebook imdb blu-ray dvd 4k
""".split())  # noqa: SIM905

#: Words that introduce a character's description rather than a name (`as the drug-addled expert`).
ROLE_TITLES = frozenset("""
detective sergeant officer captain inspector agent doctor dr dr. professor prof prof. father mother son
daughter brother sister uncle aunt grandma grandpa grandfather grandmother elder young old little big
mr mr. mrs mrs. ms ms. miss lady lord sir king queen prince princess duke baron count marquis emperor
general colonel major lieutenant private corporal commander chief judge president senator minister
reverend saint st st. master madame monsieur mister auntie granny
""".split())  # noqa: SIM905

_TITLE_CASE_WORD = re.compile(rf"^{WORD}$")
_POSSESSIVE_BEFORE_WORD = re.compile(r"\w['’]s\s")
_SINGLE_NAME = re.compile(r"[A-ZÀ-Þ][\w'’-]*")
_PARTICLE_WORD = re.compile(rf"^{PARTICLE}$")
_INITIALS_WORD = re.compile(rf"^{INITIAL}$|^[A-Z]{{1,2}}$")



@functools.lru_cache(maxsize=1 << 14)  # pure functions of a string, asked of the same words and names many times
def is_name_word(word: str) -> bool:
    """A capitalised word that may stand in a personal name (not a function word)."""
    bare = word.strip(".,;:!?\"“”‘’'()[]")
    if not bare or not _TITLE_CASE_WORD.match(bare):
        return False
    return bare.lower().rstrip(".") not in FUNCTION_WORDS


@functools.lru_cache(maxsize=1 << 14)
def looks_like_person(name: str, *, single_ok: bool = False) -> bool:
    """Two to five name-shaped words (or one, in a credit slot where `single_ok`), no function word."""
    parts = [p for p in name.split() if p]
    if not parts or len(parts) > 5 or _POSSESSIVE_BEFORE_WORD.search(name):  # `Lee Chang-dong's Burning`
        return False
    if len(parts) == 1:
        word = parts[0].strip(".,")
        return single_ok and bool(_SINGLE_NAME.fullmatch(word)) and word.lower() not in FUNCTION_WORDS
    named = 0
    for i, part in enumerate(parts):
        if _PARTICLE_WORD.match(part) and 0 < i < len(parts) - 1:
            continue
        if _INITIALS_WORD.match(part) and i < len(parts) - 1:
            continue
        if not is_name_word(part):
            return False
        named += 1
    return named >= 2 or (single_ok and named >= 1)


_VERB_FORM = re.compile(r"[A-Z][a-z]{3,}(?:ed|ing)")
_SPACES = re.compile(r"\s+")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_QUOTED_NICKNAMES = re.compile(r"^(?:['‘][A-Za-z]+['’]\s+)+")
_ETC_END = re.compile(r"\s*(?:,?\s*etc\.?|…|\.\.\.)$")
_GIVEN_NAMES_LIKE_VERBS = frozenset({"alfred", "manfred", "winifred", "wilfred", "mildred", "mohammed", "muhammed",
                                     "siegfried", "irving", "sterling", "channing"})


@functools.lru_cache(maxsize=1 << 14)
def clean(name: str) -> str:
    """A name without surrounding quotes, punctuation, footnote marks or trailing `etc.`."""
    name = _SPACES.sub(" ", name).strip()
    name = _POSSESSIVE_END.sub("", name)
    name = _QUOTED_NICKNAMES.sub("", name)
    name = _ETC_END.sub("", name)
    name = name.strip(" \t,;:.\"“”‘’'*_()[]")
    if name.endswith(("Jr", "Sr")):
        name += "."
    words = name.split()
    if len(words) >= 3 and _VERB_FORM.fullmatch(words[0]) and words[0].lower() not in _GIVEN_NAMES_LIKE_VERBS:
        name = " ".join(words[1:])  # `Rewatched Gareth Edwards`: a sentence's verb before the name
    return name


@functools.lru_cache(maxsize=1 << 14)
def family_case(name: str) -> str:
    """`PARK Hae-il` -> `Park Hae-il`: a family name printed in capitals, in ordinary case."""
    parts = name.split()
    out = []
    for part in parts:
        if len(part) > 2 and part.isupper() and any(not p.isupper() for p in parts if p is not part):
            out.append(part[0] + part[1:].lower())
        else:
            out.append(part)
    return " ".join(out)


def title_case_title(text: str) -> str:
    """`DECISION TO LEAVE` -> `Decision to Leave` (small words lower-case except at the start)."""
    small = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from"}
    out = []
    for i, word in enumerate(text.split()):
        low = word.lower()
        out.append(low if i and low in small else low[:1].upper() + low[1:])
    return " ".join(out)
