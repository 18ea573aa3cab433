"""Reading running prose: headlines, origin, franchises, namesakes, mentions, publication and credits.

Everything here is found by the shape of the sentence (cue words, quotes, a year in brackets), never by
looking names up in a list of known films or people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmgraph.extract.cast import FUNCTION_WORDS, NAME, name_shape
from filmgraph.extract.values import country_code, demonym
from filmgraph.link.naming import match_key
from filmgraph.models import FilmRecord

SMALL_WORDS = frozenset([
    "of", "the", "a", "an", "and", "to", "in", "on", "for", "from", "with", "at", "by", "or", "no", "nor",
    "vs", "de", "la", "le",
])
_LEAD_WORDS = FUNCTION_WORDS | {"like", "unlike", "read", "watch", "see"}
_TITLE_WORD = r"(?:[A-Z0-9\u00C0-\u00DE][\w'’:&!?.\-]*|of|the|a|an|and|to|in|on|for|from|with|at|by|or|no|vs)"
_TITLE_YEAR = re.compile(rf"(?P<t>{_TITLE_WORD}(?:\s+{_TITLE_WORD}){{0,8}})\s*\((?P<y>(?:18|19|20)\d{{2}})\)")
_QUOTED = re.compile(r"[“\"‘«](?P<t>[^“”\"‘’«»\n]{1,80})[”\"’»]")
_ITALIC = re.compile(r"(?<![\w*])[*_](?P<t>[A-Z0-9][^*_\n]{0,80}?)[*_](?![\w*])")
_FILM_CUE = re.compile(
    r"\b(?:films?|movies?|reviews?|article|watch(?:ed)?|sequel|prequel|remake|fans\s+of|starring|directed|"
    r"like|loved|enjoyed|thriller|drama|classic|also\s+see|see\s+also|picture)\b", re.I)
_FUTURE = re.compile(
    r"\b(?:will|likely|to\s+be|expected|due|slated|set\s+to|upcoming|coming|scheduled|planned|next\s+year|"
    r"forthcoming|announced)\b", re.I)
_NAMESAKE = re.compile(
    r"\b(?:same\s+(?:title|name)|shares?\s+(?:its|the|a|his|her)\s+(?:title|name)|sharing\s+(?:its|the)\s+"
    r"(?:title|name)|namesake|not\s+to\s+be\s+confused\s+with|identically\s+titled|also\s+titled|"
    r"remake\s+of|remade)\b", re.I)
_FRANCHISE = re.compile(
    r"\b(?:part\s+of|belongs?\s+to|belonging\s+to|in|of|from|to|within|into|joins?|extends?|expands?)\s+"
    r"the\s+(?P<name>(?:[A-Z0-9][\w'’:&.\-]*\s+)(?:(?:[A-Z0-9][\w'’:&.\-]*|of|the|and)\s+){0,4}?)"
    r"(?:film\s+|movie\s+)?(?P<kind>franchisee?|franchises|series|saga|universe|cinematic\s+universe)\b")
_ORIGIN = re.compile(
    r"\b(?:is|was|'s|’s)\s+an?\s+(?:(?P<y>(?:18|19|20)\d{2})\s+)?(?P<adj>(?:[A-Z][\w-]*\s+){1,3})"
    r"(?:[\w-]+\s+){0,3}?(?:film|movie|drama|thriller|picture|feature|production|k-drama|flick)\b"
    r"(?:\s+(?:from|made\s+in|produced\s+in)\s+(?P<country>(?:the\s+)?[A-Z][\w]*(?:\s+[A-Z][\w]*){0,2}))?")
_ABOUT_FILM = r"^(?:It|This\s+film|The\s+film|This\s+movie)\b"
_FROM_COUNTRY = re.compile(r"\bfrom\s+(?P<c>(?:the\s+)?[A-Z][\w]*(?:\s+[A-Z][\w]*){0,2})")
_HEAD_REVIEW = re.compile(r"^(?:(?:film|movie|tv)\s+)?review\s*[:\-–—|]\s*(?P<rest>.+)$", re.I)
_HEAD_YEAR = re.compile(r"^(?P<t>.+?)\s*\((?P<y>(?:18|19|20)\d{2})\)(?P<after>.*)$")
_HEAD_TITLE_REVIEW = re.compile(r"^(?P<t>.+?)\s+(?:(?:film|movie)\s+)?review\b", re.I)
_HEAD_QUOTED = re.compile(r"^[‘“\"'*_]+(?P<t>[^’”\"'*_]+)[’”\"'*_]+")
_WRITTEN_DIRECTED_BY = re.compile(
    rf"\b(?i:written\s+and\s+directed|directed\s+and\s+written|written\s*&\s*directed)\s+by\s+(?P<n>{NAME})")
_NAME_WROTE_DIRECTED = re.compile(
    rf"(?P<n>{NAME})\s+(?:has\s+|had\s+)?(?:both\s+)?(?:written\s+and\s+directed|wrote\s+and\s+directed|"
    rf"directed\s+and\s+wrote|directed\s+and\s+written)")
_DIRECTED_BY = re.compile(rf"\b(?i:directed)\s+by\s+(?P<n>{NAME})")
_WRITTEN_BY = re.compile(rf"\b(?i:written|scripted|penned)\s+by\s+(?P<n>{NAME})")
_BY_NAME = re.compile(rf"\bby\s+(?P<n>{NAME})")


@dataclass
class Sentence:
    """One sentence of prose and the paragraph it belongs to."""

    text: str
    paragraph: int


def split_sentences(prose: str) -> list[Sentence]:
    """Split prose into sentences; paragraphs are separated by blank lines."""
    out: list[Sentence] = []
    for p_no, para in enumerate(re.split(r"\n\s*\n", prose)):
        text = re.sub(r"\s+", " ", para).strip()
        if not text:
            continue
        for part in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9“\"‘'(*_])", text):
            if part.strip():
                out.append(Sentence(part.strip(), p_no))
    return out


def strip_title(title: str) -> str:
    """Clean a title: quotes, italics marks, a leading `Name's` possessive of a full personal name."""
    title = re.sub(r"\s+", " ", title).strip(" \t\"“”‘’'*_«»#:–—-,.")
    m = re.match(r"^(?P<who>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){1,3})['’]s\s+(?P<rest>.+)$", title)
    if m and name_shape(m.group("who")) > 0:
        title = m.group("rest")
    tokens = title.split()
    while len(tokens) > 1 and tokens[0].lower() in _LEAD_WORDS:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[0].lower() in SMALL_WORDS - {"the", "a", "an", "no"}:
        tokens = tokens[1:]
    while tokens and tokens[0].lower() in {"the", "a", "an"} and len(tokens) > 1 and tokens[1][:1].islower():
        tokens = tokens[1:]
    return " ".join(tokens).strip(" :–—-")


def parse_headline(headline: str) -> tuple[str | None, int | None, str]:
    """(title, year, text after the title) from a headline, or (None, None, '') when it names no film.

    Handles `Ballerina (2023) Korean Film: ...`, `Review: Decision to Leave (2022)`, `Oldboy review – ...`
    and a quoted title at the start.
    """
    h = re.sub(r"^#+\s*", "", headline.strip())
    m = _HEAD_REVIEW.match(h)
    if m:
        h = m.group("rest").strip()
    m = _HEAD_YEAR.match(h)
    if m:
        title = strip_title(re.split(r"\s+[–—|]\s+|:\s", m.group("t"))[-1])
        if title:
            return title, int(m.group("y")), m.group("after")
    m = _HEAD_TITLE_REVIEW.match(h)
    if m:
        title = strip_title(m.group("t"))
        if title:
            return title, None, h[m.end():]
    m = _HEAD_QUOTED.match(h)
    if m:
        return strip_title(m.group("t")), None, h[m.end():]
    return None, None, ""


def plain_title_line(line: str) -> str | None:
    """A headline that is only a title (infobox pages): short, no sentence punctuation."""
    text = re.sub(r"^#+\s*", "", line.strip())
    text = re.split(r"\s+[–—|]\s+|:\s", text)[0].strip()
    if not text or len(text.split()) > 8 or re.search(r"[.!?]$", text) or text[0].islower():
        return None
    return strip_title(text) or None


def origin_from_words(text: str) -> tuple[list[str], list[str]]:
    """Languages and countries from adjectives of origin in `text` (`South Korean`, `Hollywood`)."""
    languages: list[str] = []
    countries: list[str] = []
    words = re.findall(r"[A-Za-z][\w-]*", text)
    i = 0
    while i < len(words):
        found = None
        if i + 1 < len(words):
            found = demonym(f"{words[i]} {words[i + 1]}") if words[i][0].isupper() else None
            if found:
                i += 1
        if found is None and words[i][0].isupper():
            found = demonym(words[i])
        if found:
            lang, country = found
            if lang and lang not in languages:
                languages.append(lang)
            if country and country not in countries:
                countries.append(country)
        i += 1
    return languages, countries


def film_origin(sentences: list[Sentence], title: str) -> tuple[int | None, list[str], list[str]]:
    """(year, languages, countries) from `<title> is a 2023 Korean movie from South Korea`."""
    tkey = match_key(title)
    for s in sentences:
        if _NAMESAKE.search(s.text):
            continue
        head = s.text.split(" is ")[0] if " is " in s.text else ""
        about = (tkey and tkey in match_key(head)) or re.match(_ABOUT_FILM, s.text)
        if not about:
            continue
        m = _ORIGIN.search(s.text)
        if not m:
            continue
        languages, countries = origin_from_words(m.group("adj"))
        if m.group("country"):
            code = country_code(m.group("country"))
            if code and code not in countries:
                countries.insert(0, code)
        if languages or countries or m.group("y"):
            return (int(m.group("y")) if m.group("y") else None), languages, countries
    return None, [], []


def _years_stated(text: str, exclude: int | None) -> list[int]:
    """Years a sentence states as facts (not `likely to be released in 2024`)."""
    out = []
    for m in re.finditer(r"(?<!\d)((?:18|19|20)\d{2})(?!\d)", text):
        year = int(m.group(1))
        before = text[max(0, m.start() - 45):m.start()]
        if _FUTURE.search(before) or year == exclude:
            continue
        out.append(year)
    return out


def find_namesakes(sentences: list[Sentence], film: FilmRecord) -> tuple[list[FilmRecord], set[int]]:
    """Films said to share the reviewed film's title; returns them and the indices of their sentences."""
    out: list[FilmRecord] = []
    where: set[int] = set()
    for i, s in enumerate(sentences):
        if not _NAMESAKE.search(s.text):
            continue
        text = s.text
        years = _years_stated(text, film.year)
        languages, countries = origin_from_words(text)
        if film.countries and len(countries) > 1:
            countries = [c for c in countries if c not in film.countries] or countries
        if film.languages and len(languages) > 1:
            languages = [x for x in languages if x not in film.languages] or languages
        namesake = FilmRecord(title=film.title, year=years[0] if years else None,
                              languages=languages, countries=countries)
        if namesake.year:
            namesake.release_date = str(namesake.year)
        m = _DIRECTED_BY.search(text) or _BY_NAME.search(text)
        if m and name_shape(m.group("n")) > 0:
            namesake.directors = [m.group("n")]
        same = next((n for n in out if namesake.year in (None, n.year) or n.year is None), None)
        if same is not None:
            same.year = same.year or namesake.year
            same.release_date = same.release_date or namesake.release_date
            same.languages = same.languages or namesake.languages
            same.countries = same.countries or namesake.countries
            same.directors = same.directors or namesake.directors
        else:
            out.append(namesake)
        where.add(i)
    return out, where


def find_franchises(sentences: list[Sentence]) -> list[tuple[int, str]]:
    """(sentence index, franchise name) for each `part of the X franchise/series/saga` statement."""
    out = []
    for i, s in enumerate(sentences):
        for m in _FRANCHISE.finditer(s.text):
            name = strip_title(m.group("name"))
            if name and name[0].isupper():
                out.append((i, name))
    return out


def sentence_names_film(sentence: str, title: str, year: int | None) -> bool:
    """Does the sentence name this film with its year (`Ballerina (2025)`, `the 2025 Ballerina`)?"""
    if year is None:
        return False
    for m in _TITLE_YEAR.finditer(sentence):
        if match_key(strip_title(m.group("t"))) == match_key(title) and int(m.group("y")) == year:
            return True
    return bool(re.search(rf"\b{year}\b[^.]{{0,40}}\b{re.escape(title)}\b|\b{re.escape(title)}\b[^.]{{0,10}}"
                          rf"\b{year}\b", sentence))


# quoted values that are no titles: a date (`2023-10`), an ISO 8601 duration (`PT1H33M`), an age rating (`18+`)
_NOT_A_TITLE = re.compile(r"^(?:\d{4}-\d{2}(?:-\d{2})?|P(?:\d+[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?|\d{1,2}\+)$")


def _title_like(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 8 or re.search(r"[.,!?;]$", text) or _NOT_A_TITLE.match(text):
        return False
    if not words[0][:1].isupper() and not words[0][:1].isdigit():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in SMALL_WORDS for w in words)


def find_mentions(sentences: list[Sentence], film: FilmRecord) -> tuple[list[FilmRecord], list[FilmRecord]]:
    """Other films the text names, conservatively: quoted or italic titles in a sentence about films, and any
    `Title (YYYY)`. A film with the reviewed title but another year is returned as a namesake instead. Quoted
    dates, durations and age ratings are not titles.
    """
    mentions: list[FilmRecord] = []
    namesakes: list[FilmRecord] = []
    fkey = match_key(film.title)
    seen: set[tuple[str, int | None]] = set()

    def add(title: str, year: int | None) -> None:
        title = strip_title(title)
        tokens = title.split()
        for k in range(1, len(tokens)):
            if match_key(" ".join(tokens[k:])) == fkey:  # `Poster from the Ballerina (2023)`
                title = " ".join(tokens[k:])
                break
        key = match_key(title)
        if not key or not _title_like(title):
            return
        if key == fkey:
            if year is not None and film.year is not None and year != film.year:
                namesakes.append(FilmRecord(title=film.title, year=year, release_date=str(year)))
            return
        if (key, year) in seen or (key, None) in seen:
            return
        seen.add((key, year))
        mentions.append(FilmRecord(title=title, year=year, release_date=str(year) if year else None))

    for s in sentences:
        for m in _TITLE_YEAR.finditer(s.text):
            add(m.group("t"), int(m.group("y")))
        if not _FILM_CUE.search(s.text):
            continue
        for pattern in (_QUOTED, _ITALIC):
            for m in pattern.finditer(s.text):
                add(m.group("t"), None)
    return mentions, namesakes


def find_directors_writers(prose: str) -> tuple[list[str], list[str]]:
    """Directors and writers named in prose: `written and directed by X`, `X wrote and directed`."""
    directors: list[str] = []
    writers: list[str] = []

    def add(target: list[str], name: str) -> None:
        name = strip_title(name)
        if name_shape(name) > 0 and all(match_key(n) != match_key(name) for n in target):
            target.append(name)

    for pattern in (_WRITTEN_DIRECTED_BY, _NAME_WROTE_DIRECTED):
        for m in pattern.finditer(prose):
            add(directors, m.group("n"))
            add(writers, m.group("n"))
    for m in _DIRECTED_BY.finditer(prose):
        add(directors, m.group("n"))
    for m in _WRITTEN_BY.finditer(prose):
        add(writers, m.group("n"))
    return directors, writers


_DISCOVER = re.compile(
    r"\b(?:Discover|Read)\s+more\s+from\s+(?P<p>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})")
_OUR = re.compile(r"\b(?:our|at)\s+(?P<p>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,4})")
_PUBLISHED = re.compile(r"\b(?:Published|First\s+published|Originally\s+published)\s+(?:in|by|on|at)\s+"
                        r"(?:the\s+)?(?P<p>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})")
_DASH_PUB = re.compile(r"^\s*[—–-]{1,2}\s*(?P<p>(?:[A-Z][\w&'’.-]*\s+){0,4}"
                       r"(?:[Mm]agazine|[Ww]eekly|[Jj]ournal|"
                       r"[Bb]log|[Rr]eview|[Tt]imes|[Dd]aily|[Qq]uarterly|[Mm]onthly|[Gg]azette))\b", re.M)
_PUB_WORDS = re.compile(r"\b(?:Magazine|Weekly|Journal|Blog|Review|Times|Daily|Quarterly|Monthly|Gazette|"
                        r"Post|Press|Digest|Club|Cinema|Screen|Films|Movies|Reel|Critic|Critics)\b")


def initials(name: str) -> str:
    """`Focus Magazine` -> `FM` (small words skipped)."""
    return "".join(w[0] for w in name.split() if w.lower() not in SMALL_WORDS and w[:1].isalpha()).upper()


def find_publisher(text: str, abbreviations: list[str]) -> str | None:
    """The publication, from cue phrases; an `XY's rating` abbreviation picks the name with initials XY."""
    candidates: list[str] = []
    for pattern in (_DISCOVER, _PUBLISHED, _DASH_PUB):
        candidates += [m.group("p").strip() for m in pattern.finditer(text)]
    candidates += [m.group("p").strip() for m in _OUR.finditer(text) if _PUB_WORDS.search(m.group("p"))]
    candidates = [c.rstrip(".") for c in candidates if c]
    for abbr in abbreviations:
        abbr = abbr.upper().replace(".", "")
        if not 2 <= len(abbr) <= 6:
            continue
        for c in candidates:
            if initials(c) == abbr:
                return c
        for c in candidates:  # `SR` for `Silver Reel Magazine`
            if initials(_PUB_WORDS.sub("", c)) == abbr:
                return c
        words = r"\s+".join([rf"{ch}[\w&'’-]*" for ch in abbr])
        m = re.search(rf"\b{words}(?:\s+{_PUB_WORDS.pattern})?(?![\w-])", text)
        if m and m.group(0).upper() != abbr:
            return m.group(0)
    return candidates[0] if candidates else None
