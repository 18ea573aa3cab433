"""Cast credits: split a credit list, and decide which side of each credit is the actor.

Credits come as `Actor (Character)`, `Character (Actor)`, `Actor as Character`, `Character (played by Actor)`,
`Actor – Character` or a bare name. Explicit words (`as`, `played by`, `plays`) decide at once. Otherwise the
evidence is weighed, per credit and then for the list as a whole (lists are written one way):

* cues from the prose: `actor X`, `actress X`, `X plays ...`, `played by X` (actor);
  `character named Y` (character);
* the resolver's `is_known_person` hook (a name the graph already holds as a person);
* the label: `Cast`/`Starring` lists name actors first by convention, `Characters` lists the reverse;
* name shape: a full personal name (`Park Yu-rim`, `Tom Hardy`) against a single given name (`Min-hee`) or a
  name led by a role word (`Detective Park`, `The Bride`, `Pro Choi`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from filmgraph.link.naming import match_key
from filmgraph.models import CastCredit

KnownPerson = Callable[[str], bool]

#: Words that lead a character's designation rather than a personal name.
ROLE_WORDS = frozenset([
    "the", "a", "an", "detective", "det", "pro", "mr", "mrs", "ms", "miss", "dr", "doctor", "count",
    "countess", "lady", "lord", "sir", "madame", "madam", "captain", "capt", "agent", "officer",
    "inspector", "sergeant", "sgt", "lieutenant", "lt", "president", "king", "queen", "prince",
    "princess", "uncle", "aunt", "grandma", "grandpa", "grandmother", "grandfather", "young", "old",
    "little", "big", "boss", "chief", "professor", "prof", "father", "mother", "sister", "brother",
    "general", "colonel", "major", "judge", "reverend", "pastor", "priest", "nurse", "teacher", "coach",
    "master", "mister", "baby",
])
#: Name particles that may sit in lower case inside a personal name.
PARTICLES = frozenset([
    "de", "da", "del", "della", "van", "von", "der", "den", "le", "la", "di", "du", "dos", "das", "bin",
    "al", "el", "y",
])
#: Capitalised words that start a sentence or a phrase, not a name.
FUNCTION_WORDS = frozenset([
    "then", "and", "but", "so", "when", "while", "after", "before", "also", "in", "on", "at", "as",
    "her", "his", "their", "its", "our", "with", "from", "for", "both", "even", "still", "this", "that",
    "these", "those", "it", "he", "she", "they", "we", "i", "you", "if", "because", "since", "though",
    "although", "meanwhile", "however", "here", "there", "what", "who", "where", "why", "how", "yes",
    "no", "not", "only", "just", "about", "meet", "enter", "see", "watch",
])
PRONOUNS = frozenset([
    "he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "this", "that", "who",
])

_TOKEN = r"(?:[A-Z]\.|[A-Z\u00C0-\u00DE][\w'’\-]*)"  # `Samuel L. Jackson`; a full stop ends other words
_GAP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"  # white space that may wrap a line but never spans a blank line
NAME = rf"{_TOKEN}(?:{_GAP}(?:(?:{'|'.join(sorted(PARTICLES))}){_GAP})?{_TOKEN}){{0,3}}"
_NAME_RE = re.compile(NAME)
_TRAILING = re.compile(r"(?:,?\s*(?:etc\.?|and\s+more|and\s+others|among\s+others|\.\.\.|…))+\s*$", re.I)
_AS = re.compile(r"^(?P<a>.+?)\s+(?:as|plays|playing|is)\s+(?P<b>.+)$")
_PLAYED_BY = re.compile(
    r"^(?P<b>.+?)\s*[(\[,–—-]?\s*(?:played|portrayed|voiced|performed)\s+by\s+"
    r"(?P<a>[^)\]]+?)\s*[)\]]?$", re.I)
_PAREN = re.compile(r"^(?P<l>[^()]+?)\s*[(\[](?P<r>[^()\[\]]+)[)\]]\s*$")
_DASH = re.compile(r"^(?P<l>.+?)\s+(?:[–—-]{1,2}|\.{3,}|…|:|\|)\s+(?P<r>.+)$")


@dataclass
class CastCues:
    """Names the prose says are actors or characters (full names or surnames)."""

    actors: set[str] = field(default_factory=set)
    characters: set[str] = field(default_factory=set)

    def is_actor(self, name: str) -> bool:
        return _matches(name, self.actors)

    def is_character(self, name: str) -> bool:
        return _matches(name, self.characters)


@dataclass
class RawCredit:
    """A credit split into its two sides; `actor_first` is True/False when words decide, else None."""

    left: str
    right: str | None = None
    actor_first: bool | None = None


def _matches(name: str, cues: set[str]) -> bool:
    key = match_key(name)
    if not key:
        return False
    tokens = [match_key(t) for t in name.split()]
    for cue in cues:
        ckey = match_key(cue)
        if ckey == key:
            return True
        if " " not in cue.strip() and len(tokens) > 1 and ckey in (tokens[0], tokens[-1]):
            return True
    return False


def clean_name(name: str) -> str:
    """Strip quotes, bullets, trailing punctuation and white space from a name."""
    name = re.sub(r"\s+", " ", name).strip()
    name = name.strip(" \t\"“”‘’'*_•·-–—,;:")
    name = re.sub(r"\s*[.]$", "", name) if not re.search(r"\b(?:Jr|Sr|St)\.$", name) else name
    return name.strip()


def split_credits(value: str) -> list[str]:
    """Split a credit list on commas, semicolons, new lines and a final `and`, never inside brackets."""
    value = _TRAILING.sub("", value.strip())
    items: list[str] = []
    depth = 0
    current = ""
    i = 0
    while i < len(value):
        ch = value[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        if depth == 0 and ch in ",;\n":
            items.append(current)
            current = ""
        elif depth == 0 and (m := re.match(r"\s+(?:and|&)\s+", value[i:])) and current.strip():
            items.append(current)
            current = ""
            i += m.end()
            continue
        else:
            current += ch
        i += 1
    items.append(current)
    out = []
    for item in items:
        item = clean_name(_TRAILING.sub("", item))
        if item and item.lower() not in {"etc", "and more", "others", "more"}:
            out.append(item)
    return out


def parse_credit(item: str) -> RawCredit:
    """Split one credit into its sides, reading explicit words (`as`, `played by`) when present."""
    item = clean_name(item)
    m = _PLAYED_BY.match(item)
    if m:
        return RawCredit(clean_name(m.group("a")), clean_name(m.group("b")), actor_first=True)
    m = _AS.match(item)
    if m and _NAME_RE.match(m.group("a")):
        return RawCredit(clean_name(m.group("a")), clean_name(m.group("b")), actor_first=True)
    m = _PAREN.match(item)
    if m:
        return RawCredit(clean_name(m.group("l")), clean_name(m.group("r")))
    m = _DASH.match(item)
    if m:
        return RawCredit(clean_name(m.group("l")), clean_name(m.group("r")))
    return RawCredit(item)


def name_shape(name: str) -> float:
    """How much `name` looks like a person's full name (positive) rather than a character's (negative)."""
    tokens = name.split()
    if not tokens:
        return -2.0
    if tokens[0].lower().strip(".") in ROLE_WORDS:
        return -2.0
    if any(ch.isdigit() for ch in name):
        return -2.0
    words = [t for t in tokens if t.lower() not in PARTICLES]
    if any(not t[:1].isupper() for t in words):
        return -1.0
    if len(tokens) == 1:
        return -1.0
    if len(words) <= 4:
        return 1.0
    return 0.0


def _evidence(name: str, cues: CastCues, is_known_person: KnownPerson | None) -> float:
    score = 0.0
    if cues.is_actor(name):
        score += 4.0
    if cues.is_character(name):
        score -= 4.0
    if is_known_person is not None and is_known_person(name):
        score += 3.0
    return score


def label_prior(label_field: str) -> float:
    """+1 when the label's convention is actor first (`Cast`, `Starring`), -1 when character first."""
    return -1.0 if label_field == "characters" else 1.0


def orient(
    pairs: list[tuple[str, str]],
    *,
    prior: float = 0.0,
    cues: CastCues | None = None,
    is_known_person: KnownPerson | None = None,
) -> list[bool | None]:
    """For each (left, right) pair: True if left is the actor, False if right is, None if undecided.

    Strong evidence (cues, the hook) decides a credit by itself; otherwise the whole list follows the sum
    of all evidence, name shape and the label's convention.
    """
    cues = cues or CastCues()
    strong = [_evidence(left, cues, is_known_person) - _evidence(right, cues, is_known_person)
              for left, right in pairs]
    weak = [name_shape(left) - name_shape(right) for left, right in pairs]
    total = sum(strong) + sum(weak) + 1.5 * prior
    out: list[bool | None] = []
    for s in strong:
        if s:
            out.append(s > 0)
        elif total:
            out.append(total > 0)
        else:
            out.append(None)
    return out


def parse_cast(
    value: str,
    *,
    label_field: str = "cast",
    cues: CastCues | None = None,
    is_known_person: KnownPerson | None = None,
) -> list[CastCredit]:
    """Parse a credit list (the value of a `Cast`, `Starring` or `Characters` label) into CastCredits."""
    raws = [parse_credit(item) for item in split_credits(value)]
    ambiguous = [(r.left, r.right) for r in raws if r.right is not None and r.actor_first is None]
    sides = iter(orient(ambiguous, prior=label_prior(label_field), cues=cues,
                        is_known_person=is_known_person))
    credits: list[CastCredit] = []
    for raw in raws:
        if raw.right is None:
            if label_field == "characters" or name_shape(raw.left) < -1:
                continue  # a bare character name: no actor to credit
            credits.append(CastCredit(actor=raw.left))
            continue
        actor_first = raw.actor_first if raw.actor_first is not None else next(sides)
        if actor_first is None:
            actor_first = label_field != "characters"
        actor, character = (raw.left, raw.right) if actor_first else (raw.right, raw.left)
        if actor:
            credits.append(CastCredit(actor=actor, character=character or None))
    return credits


_CUE_ACTOR = re.compile(rf"\b(?:actor|actress|actors|actresses|star|co-star|lead|performer)\s+(?P<a>{NAME})")
_CUE_PLAYED_BY = re.compile(
    rf"\b(?:played|portrayed|essayed|voiced)\s+by\s+(?:actor\s+|actress\s+)?(?P<a>{NAME})")
_CUE_PLAYS = re.compile(
    rf"(?P<a>{NAME})\s+(?:plays|portrays|essays|stars\s+as|is\s+cast\s+as)\s+"
    rf"(?:(?:the|a|an|his|her)\s+)?(?:[\w-]+\s+){{0,4}}?(?:character\s+|role\s+)?(?:named\s+|called\s+|of\s+)?"
    rf"(?P<c>{NAME})")
_CUE_CHARACTER = re.compile(rf"\b(?:character|role)\s+(?:named|called|of)\s+(?P<c>{NAME})")
_PROSE_AS = re.compile(rf"(?P<a>{NAME})\s+(?:as|plays|playing|stars\s+as)\s+(?P<c>{NAME})")
_PROSE_PAREN = re.compile(rf"(?P<l>{NAME})\s*\((?P<r>{NAME})\)")


def _strip_lead(name: str) -> str:
    tokens = name.split()
    while len(tokens) > 1 and tokens[0].lower() in FUNCTION_WORDS:
        tokens = tokens[1:]
    return clean_name(" ".join(tokens))


def _person_token_ok(name: str) -> bool:
    return bool(name) and name.split()[0].lower() not in PRONOUNS | FUNCTION_WORDS


def find_cast_cues(text: str) -> CastCues:
    """Collect names the prose marks as actors (`actress Jeon`) or characters (`character named Ok-ju`)."""
    cues = CastCues()
    for m in _CUE_ACTOR.finditer(text):
        cues.actors.add(_strip_lead(m.group("a")))
    for m in _CUE_PLAYED_BY.finditer(text):
        cues.actors.add(_strip_lead(m.group("a")))
    for m in _CUE_PLAYS.finditer(text):
        actor = _strip_lead(m.group("a"))
        if _person_token_ok(actor):
            cues.actors.add(actor)
        cues.characters.add(_strip_lead(m.group("c")))
    for m in _CUE_CHARACTER.finditer(text):
        cues.characters.add(_strip_lead(m.group("c")))
    cues.actors = {a for a in cues.actors if a and _person_token_ok(a)}
    cues.characters = {c for c in cues.characters if c}
    return cues


def find_prose_credits(
    text: str,
    *,
    cues: CastCues | None = None,
    is_known_person: KnownPerson | None = None,
) -> list[CastCredit]:
    """Cast pairs written in running prose: `Minhee (Park Yu-rim)`, `Keanu Reeves as John Wick`.

    Parenthesised pairs are kept only when the evidence decides a side; `as` pairs only when the actor
    side is a full personal name.
    """
    cues = cues or CastCues()
    credits: list[CastCredit] = []
    for m in _PROSE_AS.finditer(text):
        actor, character = _strip_lead(m.group("a")), _strip_lead(m.group("c"))
        if name_shape(actor) > 0 and _person_token_ok(actor) and character:
            credits.append(CastCredit(actor=actor, character=character))
    pairs: list[tuple[str, str]] = []
    for m in _PROSE_PAREN.finditer(text):
        left, right = _strip_lead(m.group("l")), _strip_lead(m.group("r"))
        if left and right and match_key(left) != match_key(right):
            pairs.append((left, right))
    for (left, right), side in zip(pairs, _orient_each(pairs, cues, is_known_person), strict=True):
        if side is None:
            continue
        actor, character = (left, right) if side else (right, left)
        credits.append(CastCredit(actor=actor, character=character))
    return credits


def _orient_each(
    pairs: list[tuple[str, str]], cues: CastCues, is_known_person: KnownPerson | None
) -> list[bool | None]:
    """Each prose pair on its own evidence (prose pairs need not be consistent with one another)."""
    out: list[bool | None] = []
    for left, right in pairs:
        score = (_evidence(left, cues, is_known_person) - _evidence(right, cues, is_known_person)
                 + name_shape(left) - name_shape(right))
        out.append(None if abs(score) < 2 else score > 0)
    return out
