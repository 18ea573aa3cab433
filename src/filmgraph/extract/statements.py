"""What a review states about the film as a whole: its origin (`a 2023 Korean movie from South Korea`) and
the namesakes it warns about (`another movie with the same title … the John Wick film franchise`)."""

from __future__ import annotations

import re

from filmgraph.extract import names as nm
from filmgraph.extract.values import country_code, demonym
from filmgraph.link.naming import match_key
from filmgraph.models import FilmRecord

_FUTURE = re.compile(
    r"\b(?:will|likely|to\s+be|expected|due|slated|set\s+to|upcoming|coming|scheduled|planned|next\s+year|"
    r"forthcoming|announced)\b", re.I)
_NAMESAKE = re.compile(
    r"\b(?:same\s+(?:title|name)|shares?\s+(?:its|the|a|his|her)\s+(?:title|name)|sharing\s+(?:its|the)\s+"
    r"(?:title|name)|namesake|not\s+to\s+be\s+confused\s+with|identically\s+titled|also\s+titled|"
    r"remake\s+of|remade)\b", re.I)
_ORIGIN = re.compile(
    r"\b(?:is|was|'s|’s)\s+an?\s+(?:(?P<y>(?:18|19|20)\d{2})\s+)?(?P<adj>(?:[A-Z][\w-]*\s+){1,3})"
    r"(?:[\w-]+\s+){0,3}?(?:film|movie|drama|thriller|picture|feature|production|k-drama|flick)\b"
    r"(?:\s+(?:from|made\s+in|produced\s+in)\s+(?P<country>(?:the\s+)?[A-Z][\w]*(?:\s+[A-Z][\w]*){0,2}))?")
_ABOUT_FILM = re.compile(r"^(?:It|This\s+film|The\s+film|This\s+movie)\b")
_DIRECTED_BY = re.compile(rf"\b(?:(?i:directed|remake|remade)\s+)?by\s+(?P<n>{nm.NAME})|"
                          rf"(?P<p>{nm.NAME})['’]s\s+(?:\w+\s+)?remake")
_SERIES = re.compile(r"\b(?:the|its)\s+(?P<n>[A-Z][\w'’:-]*(?:\s+[A-Z][\w'’:-]*){0,3})\s+(?:film\s+|movie\s+)?"
                     r"(?:franchisee?|series|saga|universe)\b")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"‘(])")
_CAPITALISED = re.compile(r"[A-Za-z][\w-]*")


def sentences(text: str) -> list[str]:
    """A paragraph's sentences."""
    return [s for s in _SENTENCE_BREAK.split(text) if s.strip()]


def origin_from_words(text: str) -> tuple[list[str], list[str]]:
    """Languages and countries from adjectives of origin in `text` (`South Korean`, `Hollywood`)."""
    languages: list[str] = []
    countries: list[str] = []
    words = _CAPITALISED.findall(text)
    i = 0
    while i < len(words):
        found = None
        if i + 1 < len(words) and words[i][0].isupper():
            found = demonym(f"{words[i]} {words[i + 1]}")
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


def film_origin(texts: list[str], title: str) -> tuple[int | None, list[str], list[str]]:
    """(year, languages, countries) from `<title> is a 2023 Korean movie from South Korea`."""
    tkey = match_key(title)
    for text in texts:
        if _NAMESAKE.search(text):
            continue
        head = text.split(" is ")[0] if " is " in text else ""
        if not ((tkey and tkey in match_key(head)) or _ABOUT_FILM.match(text)):
            continue
        m = _ORIGIN.search(text)
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
    out = []
    for m in re.finditer(r"(?<!\d)((?:18|19|20)\d{2})(?!\d)", text):
        year = int(m.group(1))
        if _FUTURE.search(text[max(0, m.start() - 45):m.start()]) or year == exclude:
            continue
        out.append(year)
    return out


def find_namesakes(texts: list[str], film: FilmRecord) -> list[FilmRecord]:
    """Films the review says share the reviewed film's title but are other films (with a series named next)."""
    out: list[FilmRecord] = []
    for i, text in enumerate(texts):
        if not _NAMESAKE.search(text) or (re.search(r"\b(?:original|not\s+the\s+remake)\b", text) and \
                not re.search(r"same\s+(?:title|name)|namesake", text)):
            continue
        years = _years_stated(text, film.year)
        languages, countries = origin_from_words(text)
        if film.countries and len(countries) > 1:
            countries = [c for c in countries if c not in film.countries] or countries
        if film.languages and len(languages) > 1:
            languages = [x for x in languages if x not in film.languages] or languages
        namesake = FilmRecord(title=film.title, year=years[0] if years else None, languages=languages,
                              countries=countries)
        namesake.release_date = str(namesake.year) if namesake.year else None
        m = _DIRECTED_BY.search(text)
        if m and m.group("n") and not (film.directors and m.group("n") in film.directors):
            namesake.directors = [m.group("n")]
        for follow in texts[i:i + 2]:
            s = _SERIES.search(follow)
            own = follow is not text and re.search(rf"{re.escape(film.title)}\s*\(\s*{film.year}\s*\)", follow) \
                if film.year else False
            if s and match_key(s.group("n")) != match_key(film.title) and not own:
                namesake.franchise = s.group("n")
                break
        same = next((n for n in out if namesake.year in (None, n.year) or n.year is None), None)
        if same is None:
            out.append(namesake)
        else:
            same.year = same.year or namesake.year
            same.release_date = same.release_date or namesake.release_date
            same.directors = same.directors or namesake.directors
            same.franchise = same.franchise or namesake.franchise
    return out
