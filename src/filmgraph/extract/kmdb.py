"""Reader for KMDb (Korean Movie Database / Korean Film Archive) film lists in JSON.

The input is a JSON list of film objects as the KMDb open API's extract gives them: `title` (Korean),
`titleEng` (`"The Host (Goe-mool)"`), `prodYear`, `directorNm`/`directorEnNm`, `actor` (a list of
`{actorNm, actorEnNm, actorId}`), `nation`, `runtime`, `rating` (the Korean age grade), `genre` (Korean,
comma-separated) and `plots`. Every value may carry stray spaces.

Decisions:

* `title` is the English title with the parenthesised romanisation of the Korean title removed
  (`"The Host (Goe-mool)"` -> `"The Host"`). The romanisation is dropped: it is neither the title as
  published nor the original title, and the Hangul original is kept as `original_title` (lang `ko`). When
  the English title is nothing but a romanisation (`"(Dajjimawa Ri)"`) the romanisation becomes the title;
  when there is no English title at all, the Korean title does.
* People are credited by their English (romanised, family-name-first) name when KMDb has one, otherwise by
  the Hangul name. The Hangul spelling goes into `FilmRecord.person_aliases`, the KMDb person id into
  `FilmRecord.person_identifiers` as `https://www.kmdb.or.kr/info/people/<actorId>`.
* The age grade is kept as given (`"15세관람가"`); genres are mapped to English where the table knows them
  and kept in Korean otherwise; `nation` is mapped to ISO codes; a film from 대한민국 gets language `ko`.
* The English plot, or else the Korean one, is the description.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from filmgraph.errors import InputError
from filmgraph.extract.source import read_text_file
from filmgraph.link.naming import clean_text
from filmgraph.models import CastCredit, CatalogueRecord, FilmRecord

log = logging.getLogger(__name__)

__all__ = ["GENRES", "NATIONS", "kmdb_person_iri", "read_kmdb", "split_english_title"]

#: Korean genre names as KMDb writes them -> English.
GENRES: dict[str, str] = {
    "드라마": "Drama", "스릴러": "Thriller", "범죄": "Crime", "액션": "Action", "코미디": "Comedy",
    "코메디": "Comedy", "멜로/로맨스": "Romance", "멜로": "Romance", "로맨스": "Romance",
    "멜로드라마": "Melodrama", "공포(호러)": "Horror", "공포": "Horror", "호러": "Horror",
    "SF": "Science Fiction", "판타지": "Fantasy", "미스터리": "Mystery", "전쟁": "War", "가족": "Family",
    "어드벤처": "Adventure", "모험": "Adventure", "사극": "Period", "시대극/사극": "Period", "시대극": "Period",
    "애니메이션": "Animation", "다큐멘터리": "Documentary", "뮤지컬": "Musical", "서부극(웨스턴)": "Western",
    "서부극": "Western", "웨스턴": "Western", "전기": "Biography", "역사": "History", "스포츠": "Sport",
    "재난": "Disaster", "청춘영화": "Coming-of-age", "사회물(경향)": "Social Drama", "음악": "Music",
    "무협": "Martial Arts", "느와르": "Film Noir", "갱스터": "Gangster", "에로": "Erotic", "아동": "Children",
    "하이틴(고교)": "Teen", "인물": "Biography",
}

#: Korean country names -> ISO 3166-1 alpha-2.
NATIONS: dict[str, str] = {
    "대한민국": "KR", "한국": "KR", "북한": "KP", "미국": "US", "영국": "GB", "일본": "JP", "중국": "CN",
    "홍콩": "HK", "대만": "TW", "프랑스": "FR", "독일": "DE", "이탈리아": "IT", "스페인": "ES",
    "캐나다": "CA", "호주": "AU", "뉴질랜드": "NZ", "인도": "IN", "러시아": "RU", "태국": "TH",
    "베트남": "VN", "필리핀": "PH", "인도네시아": "ID", "체코": "CZ", "헝가리": "HU", "폴란드": "PL",
    "스웨덴": "SE", "덴마크": "DK", "노르웨이": "NO", "핀란드": "FI", "네덜란드": "NL", "벨기에": "BE",
    "멕시코": "MX", "브라질": "BR", "아르헨티나": "AR", "이란": "IR", "터키": "TR", "몽골": "MN",
}

_TRAILING_PARENS = re.compile(r"\s*\(([^()]*)\)\s*$")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([:;,!?])")
_COMMA_NAME = re.compile(r"^([^,\s]+)\s*,\s*(\S.*)$")
_ENGLISH_PLOT = {"영어", "english", "en"}


def kmdb_person_iri(person_id: str) -> str:
    """The KMDb page of a person: `00000776` -> `https://www.kmdb.or.kr/info/people/00000776`."""
    return f"https://www.kmdb.or.kr/info/people/{person_id}"


def split_english_title(value: str) -> tuple[str, list[str]]:
    """Split KMDb's `titleEng` into the English title and the parenthesised groups after it.

    `"The Host (Goe-mool)"` -> `("The Host", ["Goe-mool"])`; `"(Dajjimawa Ri)"` -> `("", ["Dajjimawa Ri"])`.
    """
    text = clean_text(value)
    groups: list[str] = []
    while True:
        m = _TRAILING_PARENS.search(text)
        if not m:
            break
        groups.insert(0, clean_text(m.group(1)))
        text = text[:m.start()].rstrip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return text, [g for g in groups if g]


def _text(value: Any) -> str:
    return clean_text(value) if isinstance(value, str) else ""


def _person_name(value: str) -> str:
    """`Lim, Geunah` -> `Lim Geunah` (KMDb writes family name first; a comma only separates)."""
    name = clean_text(value)
    m = _COMMA_NAME.match(name)
    return f"{m.group(1)} {m.group(2)}" if m else name


def _names(value: Any) -> list[str]:
    return [n for n in (_person_name(p) for p in _text(value).split(",")) if n]


def _add_alias(film: FilmRecord, name: str, alias: str) -> None:
    aliases = getattr(film, "person_aliases", None)
    if aliases is None or not alias or alias == name:
        return
    spellings = aliases.setdefault(name, [])
    if alias not in spellings:
        spellings.append(alias)


def _int(value: Any) -> int | None:
    text = _text(value) if not isinstance(value, int) else str(value)
    m = re.match(r"^\d+", text)
    return int(m.group(0)) if m else None


def _description(plots: Any) -> str | None:
    items = plots.get("plot") if isinstance(plots, dict) else plots
    if not isinstance(items, list):
        return None
    by_lang: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict):
            text = _text(item.get("plotText"))
            lang = _text(item.get("plotLang")).lower()
            if text:
                by_lang.setdefault("en" if lang in _ENGLISH_PLOT else lang or "ko", text)
    return by_lang.get("en") or next(iter(by_lang.values()), None)


def _film(item: dict[str, Any]) -> FilmRecord | None:
    korean_title = _text(item.get("title"))
    english, groups = split_english_title(_text(item.get("titleEng")))
    title = english or (groups[-1] if groups else "") or korean_title
    if not title:
        return None
    film = FilmRecord(title=title)
    if korean_title and korean_title != title:
        film.original_title, film.original_title_lang = korean_title, "ko"
    year = _int(item.get("prodYear"))
    if year and 1880 <= year <= 2100:
        film.year, film.release_date = year, str(year)
    runtime = _int(item.get("runtime"))
    film.runtime_minutes = runtime if runtime else None
    film.content_rating = _text(item.get("rating")) or None
    for genre in _text(item.get("genre")).split(","):
        genre = genre.strip()
        label = GENRES.get(genre, genre)
        if label and label not in film.genres:
            film.genres.append(label)
    for nation in _text(item.get("nation")).split(","):
        nation = nation.strip()
        code = NATIONS.get(nation, nation)
        if code and code not in film.countries:
            film.countries.append(code)
    if "KR" in film.countries:
        film.languages.append("ko")

    english_directors, korean_directors = _names(item.get("directorEnNm")), _names(item.get("directorNm"))
    paired = len(english_directors) == len(korean_directors)
    for i, name in enumerate(english_directors or korean_directors):
        film.directors.append(name)
        if english_directors and paired:
            _add_alias(film, name, korean_directors[i])

    actors = item.get("actor")
    for actor in actors if isinstance(actors, list) else []:
        if not isinstance(actor, dict):
            continue
        english_name = _person_name(_text(actor.get("actorEnNm")))
        korean_name = _text(actor.get("actorNm"))
        name = english_name or korean_name
        if not name:
            continue
        if all(c.actor != name for c in film.cast):
            film.cast.append(CastCredit(actor=name))
        _add_alias(film, name, korean_name)
        person_id = _text(actor.get("actorId"))
        if person_id:
            iris = film.person_identifiers.setdefault(name, [])
            iri = kmdb_person_iri(person_id)
            if iri not in iris:
                iris.append(iri)
    film.description = _description(item.get("plots"))
    return film


def read_kmdb(path: str | Path) -> CatalogueRecord:
    """Read a KMDb JSON film list into a catalogue.

    Raises InputError (naming the file) when it is missing, empty, not JSON (with the error position) or
    not a list of film objects; entries that cannot be read become warnings with their index.
    """
    source = str(path)
    text, digest = read_text_file(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno} (char {exc.pos})",
                         source=source) from exc
    if not isinstance(data, list):
        raise InputError(f"not a KMDb film list: expected a JSON list of films, found a {type(data).__name__}",
                         source=source)
    catalogue = CatalogueRecord(source=source, name="kmdb", content_hash=digest)
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            catalogue.warnings.append(f"entry {index}: not a JSON object; skipped")
            continue
        film = _film(item)
        if film is None:
            catalogue.warnings.append(f"entry {index}: no title or titleEng; skipped")
            continue
        catalogue.films.append(film)
    log.debug("%s: %d films, %d warnings", source, len(catalogue.films), len(catalogue.warnings))
    return catalogue
