"""Roles from running prose: who plays whom, who directed and wrote, and which films a review names.

Each finder reads one paragraph and returns cues with the offset they were found at; the reader decides,
with the credits block and the rest of the page as evidence, which cues describe the reviewed film.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmgraph.extract.names import NAME, ROLE_TITLES
from filmgraph.extract.values import demonym

#: A person in a cue: a full name, or one capitalised word the reader resolves to a full name on the page.
PNAME = rf"(?:{NAME}|[A-Z][\w'’-]+)"
_CONNECT = r"(?:\s+(?:de|of|the|von|van|da|le|la)\s+|\s+)"
#: A character name: capitalised words, possibly with a rank or honorific (`Dr. Dementus`, `Captain Seo`).
CHAR = rf"(?:(?:Dr|Mr|Mrs|Ms|St)\.\s+)?[A-Z][\w'’-]*(?:{_CONNECT}[A-Z][\w'’-]*){{0,3}}"
_PAIR = re.compile(rf"(?P<a>(?:(?:Dr|Mr|Mrs|Ms)\.\s+)?[A-Z][\w'’.-]*(?:{_CONNECT}[A-Z][\w'’.-]*){{0,4}})?"
                   r"(?P<gap>\s*)\((?P<b>[^()]{1,90})\)")
_DESCRIBED = re.compile(rf"(?:^|(?<=[\s(]))(?P<c>{CHAR}),\s+(?:the|a|an|his|her|their)\s+[^()\[\],;.]{{1,80}}$")
_LOWER_BEFORE = re.compile(r"(?P<w>[a-z][\w-]*),?\s*$")
_AS_EXCLUDE = re.compile(r"\b(?:such|well|much|many|soon|far|long|same|known|just|so|regarded|seen|described|"
                         r"billed|credited|referred|thought\s+of|treated|dismissed|serve[sd]?|serving|act(?:s|ed)?"
                         r"|works?|worked)\s*$", re.I)
_CREW_CONTEXT = re.compile(r"\b(?:cinematography|cinematographer|camera|score|music|editing|editor|design|"
                           r"designer|costumes?|photography|shot|sound|effects|producer|produced|lensed)\W*$",
                           re.I)
_PLAYS = re.compile(
    r"(?:,[^,.;()]{1,80},)?\s+(?:who\s+)?(?:also\s+|again\s+|here\s+)?"
    r"(?:plays|played|portrays|portrayed|voices|voiced|embodies|is\s+cast\s+as|stars\s+as|starring\s+as)\s+(?!by\b)"
    rf"(?P<desc>(?:(?:the|a|an|his|her|their|[a-z][\w-]*,?|[A-Z][\w]*['’]s?)\s+){{0,6}})(?P<c>{CHAR})?")
_SUBJECT = re.compile(rf"(?:^|(?<=[.;:!?]\s)|(?<=,\s)|(?<=\band\s)|(?<=\bwhile\s)|(?<=\bwith\s))(?P<a>{PNAME})")
NAME_AT = re.compile(PNAME)
_FULL_NAME = re.compile(rf"(?P<a>{NAME})(?!['’\w])")
_AS = re.compile(
    r"(?P<mid>(?:,[^,.;()]{1,80},)?(?:,?\s+[\w'’-]+,?){0,12}?),?\s+as\s+"
    rf"(?P<desc>(?:(?:the|a|an|his|her|their|its|one\s+of|another|[a-z][\w'’-]*,?|[A-Z][\w]*['’]s?)\s+){{0,7}})"
    rf"(?P<c>{CHAR})?")
_AS_ATTRIBUTION = re.compile(r"\s+(?:put|puts|said|says|writes|wrote|noted|notes|observed|observes|explains|"
                             r"explained|argued|argues|reminds|reminded|told|tells)\b")
_PLAYED_BY = re.compile(
    rf"(?P<c>{CHAR})(?:,\s+(?:a|an|the|his|her)\s+[^,.;()]{{1,60}})?,?\s+(?:is\s+|was\s+)?(?:played|portrayed|voiced)"
    rf"\s+(?:[a-z][\w-]*\s+){{0,4}}by\s+(?P<a>{PNAME})")
#: `And Ben is Steven Yeun.`: a character's one name, `is`, a full name.
_CHARACTER_IS = re.compile(rf"(?:^|(?<=[.;:!?]\s)|(?<=\band\s)|(?<=\bAnd\s))(?P<c>[A-Z][\w'’-]+)\s+is\s+(?P<a>{NAME})"
                           r"(?=\s*[,.;!?])")
_POSSESSIVE = re.compile(rf"(?P<pre>\b\w+\s+)?(?P<a>{NAME})['’]s?\s+(?P<c>{CHAR})")
_STARS = re.compile(
    rf"\b(?:stars|starring|co-stars|also\s+stars|features|featuring)\s+(?P<list>{PNAME}(?:,\s+(?:and\s+)?{PNAME})*"
    rf"(?:,?\s+(?:and|&)\s+{PNAME})?)")
_LENDS = re.compile(rf"(?P<a>{NAME})\s+(?:lends|gives|brings)\s+(?P<c>{CHAR})\s+(?:a|an|real|some|his|her)\s")
#: `Brolin gives a fearless performance`, `… and in Oldboy he turns in a fine performance`.
_PERFORMANCE = re.compile(r"\s+(?:gives|delivers|turns\s+in|offers)\s+(?:a|an|the|his|her)\s+(?:[\w-]+,?\s+){0,4}?"
                          r"(?:performance|turn)\b")
#: `Kurt Russell is MacReady, the pilot …`, `Keith David is Childs.`: a full name, `is`, a character's name.
_IS_CHARACTER = re.compile(
    rf"(?:^|(?<=[.;:]\s)|(?<=,\s)|(?<=\band\s))(?P<a>{NAME})\s+is\s+(?P<c>{CHAR})(?=\s*[,.;]|\s+[–—])")
_AND_PRONOUN = re.compile(r"(?<=,\sand\s)(?:he|she)\b(?:\s+also)?")
_PLAY_TWO = re.compile(
    rf"\s+(?:play|portray|voice|star\s+as)\s+(?:the\s+)?(?P<c1>{CHAR}),?\s+and\s+(?:the\s+)?(?P<c2>{CHAR})")
_ASIDE = re.compile(r"\([^()]*\)|\s[–—]\s[^–—]*?\s[–—](?=\s)|\s--\s.*?\s--(?=\s)")
_TWO_SUBJECTS = re.compile(
    rf"(?P<a>{NAME})\s*,?\s+and\s+(?:(?:a|an|the)\s+)?(?:[a-z][\w-]*\s+){{0,2}}(?P<b>{NAME})\s*$")
_DIRECTED_BY = re.compile(rf"\b(?i:directed|helmed|co-directed)\s+by\s+(?P<a>{PNAME})(?:\s+and\s+(?P<b>{PNAME}))?")
_WROTE_DIRECTED = re.compile(
    rf"(?P<a>{PNAME}),?\s+(?:who\s+)?(?:both\s+|also\s+)?(?:wrote\s+and\s+directed|writes\s+and\s+directs|"
    r"directed\s+and\s+(?:co-)?wrote|directs\s+and\s+(?:co-)?writes|has\s+written\s+and\s+directed)")
_WRITTEN_DIRECTED_BY = re.compile(rf"\b(?i:written\s+and\s+directed|directed\s+and\s+written)\s+by\s+(?P<a>{PNAME})")
_DIRECTOR_TITLE = re.compile(
    rf"(?<![\w-])(?P<t>[Dd]irectors?|[Ff]ilmmaker|[Ww]riter[/-][Dd]irector|[Dd]irector[/-][Ww]riter)\s+"
    rf"(?P<a>{NAME})(?:\s+and\s+(?P<b>{NAME}))?(?P<after>,\s+whose|\s+\()?")
_DIRECTS = re.compile(rf"(?P<a>{PNAME})(?:,\s[^.;]{{1,140}}?,)?\s+(?:directs|co-directs|helms)\b")
_NAME_LIST = rf"{PNAME}(?:,\s+{PNAME})*(?:,?\s+(?:and|&)\s+{PNAME})?"
_SCRIPT_BY = re.compile(
    rf"\b(?i:screenplay|script|written|co-written|scripted|penned)\s+by\s+(?:writers?\s+)?(?P<list>{_NAME_LIST})")
_SCRIPT_POSSESSIVE = re.compile(rf"(?P<a>{NAME})['’]s?\s+(?:script|screenplay)\b")
_COWRITER = re.compile(rf"(?P<a>{PNAME})\s+and\s+(?:his|her|their)\s+co-?writer\s+(?P<b>{PNAME})")
_WROTE_WITH = re.compile(
    rf"(?P<a>{PNAME}),?\s+(?:who\s+)?(?:also\s+)?(?:adapted|co-?wrote|wrote)\s+(?:it|the\s+(?:script|screenplay))"
    r"(?:\s+(?:himself|herself|alone|themselves))?"
    rf"(?:\s+with\s+(?:(?:his|her|their)\s+(?:[\w-]+\s+){{0,2}}(?:collaborator|co-?writer|partner|wife|husband)\s+)?"
    rf"(?P<list>{_NAME_LIST}))?")
_SOURCE_WORK = (r"(?:[a-z-]+\s+){0,2}"
                r"(?:novel|book|bestseller|memoir|play|manga|comic|graphic\s+novel|short\s+story|story)\b")
_SOURCE_AUTHOR = re.compile(
    rf"\b(?:adaptation|version|retelling|telling)\s+of\s+(?P<a>{NAME})['’]s?\s+{_SOURCE_WORK}"
    rf"|\b(?:based\s+on|adapted\s+from)\s+(?:the\s+)?(?P<b>{NAME})['’]s?\s+{_SOURCE_WORK}")
_WRITER_TITLE = re.compile(rf"(?<![\w-])(?:co-?writer|screenwriter|writer)\s+(?P<a>{NAME})")
_CREW_POSSESSIVE = re.compile(
    rf"(?P<a>{NAME})['’]s?\s+(?:[a-z]+\s+){{0,2}}(?P<r>camera|cinematography|score|music|editing|production\s+design|"
    r"sets|costumes)\b")
_CREW_TITLE = re.compile(
    rf"\b(?P<r>[Cc]inematographers?|[Cc]omposer|[Ee]ditor|[Pp]roduction\s+designer|[Dd]irector\s+of\s+photography)"
    rf"\s+(?P<a>{NAME})(?:\s+and\s+(?P<b>{NAME}))?")
_POSSESSIVE_S = re.compile(r"['’]s$")
_OPEN_DESCRIPTION = re.compile(r"\b(?:and|or)\s*$|\b(?:a|an)\s+$")
_NOT_A_ROLE = re.compile(r"\b(?:as|if|like|who\s+was)\b")
_ASIDE_START = re.compile(r"^,[^,]*,")
_CAPITALISED_WORD = re.compile(r"\b[A-Z][a-z]+\b(?!['’])")
_NOT_A_CHARACTER = re.compile(r"(?:The|A|An|Not|Also|Back|Here|There|Now)\b")
_NAME_ENDING = re.compile(rf"(?P<a>{PNAME})(?:,[^,.;()]{{1,80}},)?$")
_PRONOUN_ENDING = re.compile(r"\b(?:he|she)$")
_NAMES_SEPARATOR = re.compile(r",\s+(?:and\s+)?|\s+(?:and|&)\s+")
#: Words the finders need, with the finders' own case rules (see `holds`).
_AS_WORD = re.compile(r"\sas\s")
_IS_WORD = re.compile(r"\sis\s")
_DIRECTED_WORD = re.compile(r"(?i:directed|helmed)")
_SCRIPT_WORD = re.compile(r"(?i:screenplay|script|written|penned)")


@dataclass(frozen=True)
class Cue:
    """A role some words of a paragraph give a name: `actor`, `director`, `writer`, `crew:<job>`, `pair`."""

    kind: str
    name: str
    other: str | None  # the character (actor cues), the other side of a pair, or the crew job
    offset: int
    cue: str
    context: str = ""  # the word before a pair's left side (`daughter Su-an (Kim Su-an)`)


def holds(text: str, *words: str) -> bool:
    """Does `text` hold one of `words` (case as given)? A finder whose pattern cannot match without one of
    them skips a paragraph that has none: its scan tries every capitalised word (a fifth of reading a page)."""
    return any(word in text for word in words)


def holds_match(pattern: re.Pattern[str], text: str) -> bool:
    """Does `pattern` (a word a finder needs, with the finder's own case rule) occur in `text`?"""
    return pattern.search(text) is not None


def sentence_start(text: str, at: int, marks: tuple[str, ...] = (". ", "; ")) -> int:
    """Where the sentence (or clause, with `marks`) that holds offset `at` begins."""
    found = [(text.rfind(mark, 0, at), mark) for mark in marks]
    return max((i + len(mark) for i, mark in found if i >= 0), default=0)


def _strip_char(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip(" ,.;:")
    text = _POSSESSIVE_S.sub("", text)
    return text or None


def _char(m: re.Match[str]) -> str | None:
    desc = m.group("desc") or ""
    if _OPEN_DESCRIPTION.search(desc):
        return None
    return _strip_char(m.group("c"))


def pairs(text: str) -> list[Cue]:
    """`A (B)`: a character and an actor in brackets, either way round, or a name with its other film."""
    out: list[Cue] = []
    for m in _PAIR.finditer(text):
        a = (m.group("a") or "").strip()
        inner = m.group("b").strip()
        before = text[:m.start("a") if m.group("a") else m.start()]
        lower = _LOWER_BEFORE.search(before)
        context = lower.group("w") if lower else ""
        if _CREW_CONTEXT.search(before + (a and " ")) and not a:
            head = inner.split(",")[0].strip()
            out.append(Cue("crew", head, "crew", m.start(), "name in brackets after a crew word"))
            continue
        head, _, tail = inner.partition(",")
        described = _DESCRIBED.search(before) if not a else None
        if described:  # `Chaney, the smirking operator of the jail (Samuel L. Jackson, …)`
            a, context = described.group("c"), ""
        out.append(Cue("pair", a, head.strip(), m.start(), "name (name) in prose", context=context))
        if tail.strip():
            out.append(Cue("filmography", head.strip(), tail.strip(), m.start(), "(actor, OTHER FILM)"))
    return out


def actor_cues(text: str) -> list[Cue]:
    """`A plays B`, `A and B play C and D`, `A is superb as B`, `B, played by A`, `A's B`, `stars A, B and C`."""
    out: list[Cue] = []
    plays = holds(text, "play", "portray", "voice", "embodies", "cast", "star")
    for n in NAME_AT.finditer(text) if plays else ():
        m = _PLAYS.match(text, n.end())
        if m:
            out.append(Cue("actor", n.group(0), _char(m), n.start(), "'plays'"))
    as_ = holds_match(_AS_WORD, text)
    for n in _SUBJECT.finditer(text) if as_ else ():
        m = _AS.match(text, n.end())
        if not m:
            continue
        mid = m.group("mid") or ""
        if _AS_EXCLUDE.search(text[:m.end("mid")]) or _NOT_A_ROLE.search(mid):
            continue
        if _CAPITALISED_WORD.search(_ASIDE_START.sub("", mid)):
            continue
        if _AS_ATTRIBUTION.match(text, m.end()):
            continue  # `as Priya put it`: a quotation's speaker, not a role
        out.append(Cue("actor", n.group("a"), _char(m), n.start(), "'… as …'"))
    is_ = holds_match(_IS_WORD, text)
    for m in _CHARACTER_IS.finditer(text) if is_ else ():
        if m.group("c").lower() not in {"this", "that", "it", "he", "she", "here", "there", "who", "what", "and", "but",
                                        "the", "director", "writer", "star"}:
            out.append(Cue("actor", m.group("a"), m.group("c"), m.start("c"), "'Character is A.'"))
    for m in _IS_CHARACTER.finditer(text) if is_ else ():
        char = _strip_char(m.group("c"))
        if m.group("a").split()[0] in {"And", "But", "So", "Then", "Now", "Yet", "Or", "Also"}:
            continue  # `And Ben is Steven Yeun`: the character comes first (above)
        nationality = char and all(demonym(part) for part in char.split("-"))  # `… is Korean-American.`
        if char and not nationality and not _NOT_A_CHARACTER.match(char):
            out.append(Cue("actor", m.group("a"), char, m.start("a"), "'A is Character,'"))
    for m in _LENDS.finditer(text) if holds(text, "lends", "gives", "brings") else ():
        out.append(Cue("actor", m.group("a"), _strip_char(m.group("c")), m.start(), "'A lends C a quiet dignity'"))
    for m in _PERFORMANCE.finditer(text) if holds(text, "turn", "performance") else ():
        start = sentence_start(text, m.start())
        before = text[start:m.start()]
        named = _NAME_ENDING.search(before)
        pronoun = _PRONOUN_ENDING.search(before)
        subject = _FULL_NAME.search(before)  # the sentence's first full name, not a possessive
        if named:
            out.append(Cue("actor", named.group("a"), None, start + named.start(), "'A gives a … performance'"))
        elif pronoun and subject:
            out.append(Cue("actor", subject.group("a"), None, start, "'A …, and he gives a … performance'"))
    for p in _AND_PRONOUN.finditer(text) if as_ else ():
        m = _AS.match(text, p.end())
        start = sentence_start(text, p.start())
        earlier = [c for c in out if start <= c.offset < p.start() and c.kind == "actor"]
        if m and earlier and not re.search(r"\b[A-Z][a-z]+\b", m.group("mid") or "") and _char(m):
            out.append(Cue("actor", earlier[-1].name, _char(m), earlier[-1].offset, "'A … as X, and she … as Y'"))
    for m in _PLAY_TWO.finditer(text) if plays else ():
        start = sentence_start(text, m.start())
        subjects = _TWO_SUBJECTS.search(_ASIDE.sub(" ", text[start:m.start()]))
        if subjects:
            for name, char in ((subjects.group("a"), m.group("c1")), (subjects.group("b"), m.group("c2"))):
                out.append(Cue("actor", name, _strip_char(char), start, "'A and B play X and Y'"))
    for m in _PLAYED_BY.finditer(text) if holds(text, "played", "portrayed", "voiced") else ():
        out.append(Cue("actor", m.group("a"), _strip_char(m.group("c")), m.start(), "'played by'"))
    for m in _POSSESSIVE.finditer(text) if holds(text, "'", "’") else ():
        pre = (m.group("pre") or "").strip().lower()
        char = _strip_char(m.group("c"))
        if pre in {"since", "like", "from", "in", "of", "than", "unlike", "after", "before", "with"}:
            continue
        if re.match(r"\s*[\d/(]|\s+(?:novels?|books?|story|stories|play|plays|films?|movies?|classic|comedy|drama|"
                    r"thriller|series|collection|trilogy|epic|remake|adaptation|source|memoir)\b", text[m.end():]):
            continue
        if not char or re.search(r"\d|\s(?:of|the|and|to|for)\s", char) or char.split()[0] in {"The", "A", "An"}:
            continue
        out.append(Cue("possessive", m.group("a"), char, m.start(), "'Actor's Character'"))
    for m in _STARS.finditer(text) if holds(text, "star", "featur") else ():
        names = _NAMES_SEPARATOR.split(m.group("list"))
        before = text[max(0, m.start() - 80):m.start()]
        for name in names:
            out.append(Cue("cast-list", name.strip(), None, m.start(), "'starring …'", context=before))
    return out


def _names(listed: str) -> list[str]:
    """`A, B and C` -> [A, B, C]."""
    return [n.strip() for n in _NAMES_SEPARATOR.split(listed) if n.strip()]


def crew_cues(text: str) -> list[Cue]:
    """Directors, writers and crew named in prose."""
    out: list[Cue] = []
    directed = holds_match(_DIRECTED_WORD, text)
    for m in _DIRECTED_BY.finditer(text) if directed else ():
        out += [Cue("director", n, None, m.start(), "'directed by'") for n in (m.group("a"), m.group("b")) if n]
    for m in _WROTE_DIRECTED.finditer(text) if holds(text, "direct") else ():
        out += [Cue("director", m.group("a"), None, m.start(), "'wrote and directed'"),
                Cue("writer", m.group("a"), None, m.start(), "'wrote and directed'")]
    for m in _WRITTEN_DIRECTED_BY.finditer(text) if directed else ():
        out += [Cue("director", m.group("a"), None, m.start(), "'written and directed by'"),
                Cue("writer", m.group("a"), None, m.start(), "'written and directed by'")]
    for m in _DIRECTOR_TITLE.finditer(text) if holds(text, "irector", "ilmmaker") else ():
        if m.group("after") and "whose" in m.group("after"):
            continue
        before = text[max(0, m.start() - 30):m.start()].lower()
        if re.search(r"\b(?:is|was|the|her|his|their)\s+$", before) and "the" not in before[-5:]:
            continue
        both = "writer" in m.group("t").lower()
        for n in (m.group("a"), m.group("b")):
            if n:
                out.append(Cue("director", n, None, m.start(), f"'{m.group('t')} NAME'"))
                if both:
                    out.append(Cue("writer", n, None, m.start(), f"'{m.group('t')} NAME'"))
    for m in _DIRECTS.finditer(text) if holds(text, "directs", "helms") else ():
        out.append(Cue("director", m.group("a"), None, m.start(), "'NAME directs'"))
    for m in _SCRIPT_BY.finditer(text) if holds_match(_SCRIPT_WORD, text) else ():
        out += [Cue("writer", n, None, m.start(), "'script by'") for n in _names(m.group("list"))]
    for m in _SCRIPT_POSSESSIVE.finditer(text) if holds(text, "script", "screenplay") else ():
        out.append(Cue("writer", m.group("a"), None, m.start(), "'NAME's script'"))
    writer = holds(text, "writer")
    for m in _COWRITER.finditer(text) if writer else ():
        out += [Cue("writer", m.group("a"), None, m.start(), "'and his co-writer'"),
                Cue("writer", m.group("b"), None, m.start(), "'and his co-writer'")]
    for m in _WROTE_WITH.finditer(text) if holds(text, "wrote", "adapted") else ():
        out += [Cue("writer", n, None, m.start(), "'NAME wrote the script (with …)'")
                for n in [m.group("a"), *_names(m.group("list") or "")]]
    source = holds(text, "adaptation", "version", "telling", "based", "adapted")
    for m in _SOURCE_AUTHOR.finditer(text) if source else ():
        out.append(Cue("writer", m.group("a") or m.group("b"), None, m.start(), "'adaptation of NAME's novel'"))
    for m in _WRITER_TITLE.finditer(text) if writer else ():
        out.append(Cue("writer", m.group("a"), None, m.start(), "'writer NAME'"))
    for m in _CREW_POSSESSIVE.finditer(text) if holds(text, "'", "’") else ():
        out.append(Cue("crew", m.group("a"), m.group("r"), m.start(), "'NAME's camera/score'"))
    crew = holds(text, "inematographer", "omposer", "ditor", "roduction", "irector")
    for m in _CREW_TITLE.finditer(text) if crew else ():
        out += [Cue("crew", n, m.group("r").lower(), m.start(), "'cinematographer NAME'")
                for n in (m.group("a"), m.group("b")) if n]
    return out


def starts_with_title(name: str) -> bool:
    """`Detective Lee`, `Young Furiosa`, `Dr. Dementus`: a character's rank or description leads the name."""
    first = name.split()[0].lower().rstrip(".") if name.split() else ""
    return first in ROLE_TITLES or first + "." in ROLE_TITLES
