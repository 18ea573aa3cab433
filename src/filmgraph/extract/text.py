"""The plain-text review reader: label/value blocks, headline and prose into one ReviewRecord."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from filmgraph.errors import ExtractionError
from filmgraph.extract import cast as castmod
from filmgraph.extract import prose
from filmgraph.extract.labels import LabelHit, looks_like_caption, parse_label_lines
from filmgraph.extract.values import (
    GRADE,
    language_code,
    parse_content_rating,
    parse_countries,
    parse_date,
    parse_languages,
    parse_rating,
    parse_runtime,
    script_language,
    split_list,
)
from filmgraph.link.naming import match_key
from filmgraph.models import CastCredit, FilmRecord, Rating, ReviewRecord

log = logging.getLogger(__name__)

_STAR_GLYPHS = "★⭐☆✩✪✭½"
_RATING_LINE = re.compile(
    r"^\s*(?:[★⭐☆✩✪✭]+\s*(?:½|1/2)?[☆✩]*(?:\s*\(?(?:out\s+of|/)\s*\w+\)?)?|\d+(?:[.,]\d+)?\s*(?:/|out\s+of)\s*\d+"
    r"(?:\s*stars?)?|\d(?:\.5)?\s+stars?(?:\s+out\s+of\s+\w+)?)\s*$", re.I)
_GIVE_RATING = re.compile(
    r"\b(?:give|gave|giving|award|awards|awarded|rate|rates|rated|score|scores|verdict)\b",
                          re.I)
_PROSE_RUNTIME = re.compile(
    r"\b(?:runs?|running\s+time\s+(?:is|of)|clocks?\s+in\s+at|lasts?)\s+(?:a\s+|for\s+|just\s+|only\s+|about\s+)?"
    r"(?:\w+\s+)?(?P<d>\d+\s*(?:minutes|mins?)\b|\d+\s*h(?:ours?|rs?)?\s*(?:(?:and\s+)?\d+\s*m(?:inutes|ins?)?)?)",
    re.I)
_BYLINE = re.compile(
    rf"^\s*(?:(?:Posted|Reviewed|Review|Words)\s+by|By)\s+(?P<n>{castmod.NAME})", re.M)
_NOT_AUTHOR = frozenset({"our", "the", "my"})


@dataclass
class _Facts:
    """What the label lines said, before it is merged with the headline and prose."""

    title: str | None = None
    year: int | None = None
    film: FilmRecord = field(default_factory=lambda: FilmRecord(title=""))
    cast_values: list[tuple[str, str]] = field(default_factory=list)
    rating: Rating | None = None
    summary: str | None = None
    publisher: str | None = None
    author: str | None = None
    date_published: str | None = None
    url: str | None = None
    owners: list[str] = field(default_factory=list)
    used_lines: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """NFC, `\\n` newlines, no-break and zero-width spaces replaced, trailing space stripped per line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u200b", "").replace("\ufeff", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _names(value: str) -> list[str]:
    out: list[str] = []
    for item in castmod.split_credits(value):
        item = castmod.clean_name(item)
        if item and len(item.split()) <= 5 and not item[0].islower() and \
                all(match_key(item) != match_key(n) for n in out):
            out.append(item)
    return out


def _add_names(target: list[str], names: list[str]) -> None:
    for name in names:
        if all(match_key(name) != match_key(n) for n in target):
            target.append(name)


def _original_title(value: str) -> tuple[str, str | None]:
    value = value.split("\n")[0].strip()
    lang: str | None = None
    m = re.match(r"^(?P<t>.+?)\s*(?:\(\s*)?\bin\s+(?P<l>[A-Z][a-z]+)\s*\)?\s*\.?$", value)
    if m and language_code(m.group("l")):
        value, lang = m.group("t"), language_code(m.group("l"))
    else:
        m = re.match(r"^(?P<t>.+?)\s*[(\[](?P<p>[^)\]]+)[)\]]\s*$", value)
        if m:
            value = m.group("t")
            lang = language_code(m.group("p").split(",")[0])
    value = value.strip(" \"“”‘’'*_,;")
    return value, lang or script_language(value)


def _apply(hit: LabelHit, facts: _Facts, text_cues: castmod.CastCues) -> bool:
    """Put one label's value into `facts`; False when the value does not fit the field (then it is prose)."""
    film = facts.film
    value = hit.value.strip()
    first = hit.values[0] if hit.values else ""
    name = hit.field
    if name == "cast" and any(ch in _STAR_GLYPHS for ch in value):
        name = "rating"  # `Stars: ★★★★`
    if not value:
        return name == "other"
    if name == "title":
        facts.title = facts.title or prose.strip_title(first) or None
        m = re.search(r"\((?P<y>(?:18|19|20)\d{2})\)", first)
        if m and facts.year is None:
            facts.year = int(m.group("y"))
            facts.title = prose.strip_title(first[:m.start()])
        return facts.title is not None
    if name == "original_title":
        film.original_title, film.original_title_lang = _original_title(value)
        return bool(film.original_title)
    if name == "year":
        m = re.search(r"\b(?:18|19|20)\d{2}\b", value)
        if m:
            facts.year = int(m.group(0))
        return m is not None
    if name == "release_date":
        date = parse_date(value)
        if date:
            film.release_date = film.release_date or date
        return date is not None
    if name == "runtime":
        minutes = parse_runtime(first)
        if minutes:
            film.runtime_minutes = minutes
        return minutes is not None
    if name == "genres":
        genres = [g for g in split_list(value.replace("\n", ",")) if len(g.split()) <= 4]
        _add_names(film.genres, genres)
        return bool(genres)
    if name == "content_rating":
        age = parse_content_rating(first)
        if age:
            film.content_rating = age
        return age is not None
    if name in {"directors", "writers", "writer_director"}:
        names = _names(value)
        if name in {"directors", "writer_director"}:
            _add_names(film.directors, names)
        if name in {"writers", "writer_director"}:
            _add_names(film.writers, names)
        return bool(names)
    if name in {"cast", "characters"}:
        facts.cast_values.append((name, value))
        return True
    if name == "languages":
        langs = parse_languages(value.replace("\n", ","))
        _add_names(film.languages, langs)
        return bool(langs)
    if name == "countries":
        countries = parse_countries(value.replace("\n", ","))
        _add_names(film.countries, countries)
        return bool(countries)
    if name == "taglines":
        film.taglines.extend(v for v in hit.values if v not in film.taglines)
        return True
    if name in {"rating", "verdict"}:
        rating = parse_rating(value, strict=False)
        if rating is not None and not rating.worst <= rating.value <= rating.best:
            facts.warnings.append(f"line {hit.line_no + 1}: rating {value!r} is outside its own scale")
        if rating is not None and facts.rating is None:
            facts.rating = rating
        if name == "verdict":
            rest = re.sub(r"^[\s★⭐☆✩✪✭½\d./]+(?:\s*(?:out\s+of\s+\w+|stars?))*[\s:–—-]*", "", value)
            if rating is not None and GRADE.match(value):
                rest = re.sub(r"^\s*[A-DF][+-]?\s*[:–—,|-]?\s*", "", value)
            rest = re.sub(r"^\((.*)\)$", r"\1", rest.strip()).strip()
            if len(rest.split()) >= 3:
                facts.summary = facts.summary or rest.strip()
            return rating is not None or len(rest.split()) >= 3
        if rating is not None and hit.owner and hit.owner.lower() not in _NOT_AUTHOR:
            facts.owners.append(hit.owner)
        return rating is not None
    if name == "summary":
        facts.summary = facts.summary or re.sub(r"\s+", " ", value)
        if hit.owner and hit.owner.lower() not in _NOT_AUTHOR:
            facts.owners.append(hit.owner)
        return True
    if name == "publisher":
        facts.publisher = facts.publisher or first.strip(" .")
        return True
    if name == "author":
        author = re.sub(r"^(?:by)\s+", "", first, flags=re.I).strip(" .,")
        author = re.split(r"\s*[|,–—]\s*|\s+-\s+", author)[0]
        if not author or castmod.name_shape(author) < 0 or len(author.split()) > 5:
            return False
        facts.author = facts.author or author
        return True
    if name == "date_published":
        date = parse_date(value)
        facts.date_published = facts.date_published or date
        return date is not None
    if name == "url":
        if re.match(r"https?://\S+$", first):
            facts.url = first
            return True
        return False
    if name == "franchise":
        bare = re.sub(r"\b(?:film\s+)?(?:franchise|series|saga)\b", "", first, flags=re.I)
        franchise = prose.strip_title(bare)
        if franchise and hit.label not in {"followed by", "preceded by"}:
            film.franchise = franchise
        return bool(franchise)
    return name == "other"


def _credits(facts: _Facts, cues: castmod.CastCues, is_known_person: Callable[[str], bool] | None,
             prose_text: str) -> list[CastCredit]:
    credits: list[CastCredit] = []
    for label_field, value in facts.cast_values:
        for credit in castmod.parse_cast(value, label_field=label_field, cues=cues,
                                         is_known_person=is_known_person):
            _merge_credit(credits, credit, fill_only=False)
    list_cues = castmod.CastCues(actors=cues.actors | {c.actor for c in credits},
                                 characters=cues.characters | {c.character for c in credits if c.character})
    for credit in castmod.find_prose_credits(prose_text, cues=list_cues, is_known_person=is_known_person):
        _merge_credit(credits, credit, fill_only=True)
    return credits


def _merge_credit(credits: list[CastCredit], credit: CastCredit, *, fill_only: bool) -> None:
    akey = match_key(credit.actor)
    ckey = match_key(credit.character) if credit.character else None
    for existing in credits:
        if match_key(existing.actor) == akey:
            if existing.character is None and credit.character:
                existing.character = credit.character
            return
        if fill_only and ckey and existing.character and match_key(existing.character) == ckey:
            return
        if fill_only and ckey and ckey == match_key(existing.actor):
            return
    if fill_only and ckey and any(match_key(c.actor) == ckey for c in credits):
        return
    credits.append(credit)


def _headline(lines: list[str], used: set[int]) -> str | None:
    for i, line in enumerate(lines):
        if line.strip():
            return None if i in used else line.strip()
    return None


def _rating_from_prose(lines: list[str], used: set[int], sentences: list[prose.Sentence]) -> Rating | None:
    for i, line in enumerate(lines):
        if i not in used and _RATING_LINE.match(line):
            rating = parse_rating(line)
            if rating is not None:
                used.add(i)
                return rating
    for s in sentences:
        if _GIVE_RATING.search(s.text):
            rating = parse_rating(s.text)
            if rating is not None:
                return rating
    return None


def _named_mention(sentence: str, mentions: list[FilmRecord]) -> FilmRecord | None:
    """The mentioned film a sentence names with its year, if any."""
    named = (m for m in mentions if m.year and prose.sentence_names_film(sentence, m.title, m.year))
    return next(named, None)


def parse_review_text(
    text: str,
    source: str,
    *,
    is_known_person: Callable[[str], bool] | None = None,
    content_hash: str = "",
) -> ReviewRecord:
    """Read one plain-text review into a ReviewRecord.

    `is_known_person(name)` says whether the graph already holds a person of that name; it helps decide which
    side of a cast credit is the actor. Raises ExtractionError (naming `source`) when no film title is found.
    """
    text = normalise_text(text)
    lines = text.split("\n")
    facts = _Facts()
    hits = parse_label_lines(lines)
    prose_lines = [line for i, line in enumerate(lines)
                   if not any(i in h.lines for h in hits)]
    cues = castmod.find_cast_cues("\n".join(prose_lines))
    for hit in hits:
        if _apply(hit, facts, cues):
            facts.used_lines.update(hit.lines)
        elif hit.field != "other" and not looks_like_caption(hit.value):
            facts.warnings.append(f"line {hit.line_no + 1}: could not read {hit.field} from {hit.value!r}")

    prose_text = "\n".join("" if i in facts.used_lines else line for i, line in enumerate(lines))
    sentences = prose.split_sentences(prose_text)
    headline = _headline(lines, facts.used_lines)

    title, year = facts.title, facts.year
    head_title, head_year, head_rest = prose.parse_headline(headline) if headline else (None, None, "")
    if title is None:
        title = head_title
    if year is None and head_title and title and match_key(head_title) == match_key(title):
        year = head_year
    if title is None and headline and (facts.cast_values or facts.film.directors):
        title = prose.plain_title_line(headline)
    if title is None:
        for s in sentences:
            m = prose._TITLE_YEAR.search(s.text)
            if m and re.search(r"\b(?:review|film|movie)\b", s.text, re.I):
                title, year = prose.strip_title(m.group("t")) or None, int(m.group("y"))
                if title:
                    break
    if not title:
        raise ExtractionError(
            "no film title found: the text does not review an identifiable film "
            "(expected a headline such as 'Title (2023) ...' or a 'Title:' label)", source=source)

    film = facts.film
    film.title = title
    if year is None and film.release_date:
        year = int(film.release_date[:4])
    origin_year, origin_langs, origin_countries = prose.film_origin(sentences, title)
    if year is None:
        year = origin_year
    film.year = year
    if film.release_date is None and year is not None:
        film.release_date = str(year)
    if not film.languages:
        film.languages = origin_langs or prose.origin_from_words(head_rest)[0]
    if not film.countries:
        film.countries = origin_countries or prose.origin_from_words(head_rest)[1]
    if film.original_title and film.original_title_lang is None:
        film.original_title_lang = script_language(film.original_title)

    namesakes, namesake_idx = prose.find_namesakes(sentences, film)
    mentions, year_namesakes = prose.find_mentions(sentences, film)
    for extra in year_namesakes:
        same = next((n for n in namesakes if n.year in (None, extra.year)), None)
        if same is None:
            namesakes.append(extra)
        elif same.year is None:
            same.year, same.release_date = extra.year, extra.release_date

    for idx, name in prose.find_franchises(sentences):
        s = sentences[idx]
        if prose.sentence_names_film(s.text, film.title, film.year):
            film.franchise = name
        elif namesakes and (idx in namesake_idx or (idx - 1 in namesake_idx
                                                    and sentences[idx - 1].paragraph == s.paragraph)):
            namesakes[-1].franchise = namesakes[-1].franchise or name
        elif (other := _named_mention(s.text, mentions)) is not None:
            other.franchise = other.franchise or name
        elif film.franchise is None:
            film.franchise = name

    own_text = "\n".join(s.text for i, s in enumerate(sentences)
                         if i not in namesake_idx and not re.search(r"\((?:18|19|20)\d{2}\)", s.text))
    p_directors, p_writers = prose.find_directors_writers(own_text)
    if not film.directors:
        _add_names(film.directors, p_directors)
    if not film.writers:
        _add_names(film.writers, p_writers)
    both = [n for n in p_directors if any(match_key(n) == match_key(w) for w in p_writers)]
    _add_names(film.directors, both)
    _add_names(film.writers, both)

    if film.runtime_minutes is None:
        m = _PROSE_RUNTIME.search(own_text)
        film.runtime_minutes = parse_runtime(m.group("d")) if m else None
    film.cast = _credits(facts, cues, is_known_person, prose_text)
    credited = {match_key(n) for n in [*film.directors, *film.writers, *(c.actor for c in film.cast)]}
    mentions = [m for m in mentions if m.year is not None or match_key(m.title) not in credited]  # quoted names
    if facts.author is None:
        m = _BYLINE.search(prose_text)
        facts.author = m.group("n") if m else None

    rating = facts.rating or _rating_from_prose(lines, facts.used_lines, sentences)
    publisher = facts.publisher or prose.find_publisher(prose_text, facts.owners)

    record = ReviewRecord(
        source=source,
        film=film,
        content_hash=content_hash,
        headline=headline,
        publisher=publisher,
        author=facts.author,
        url=facts.url,
        rating=rating,
        summary=facts.summary,
        date_published=facts.date_published,
        mentions=mentions,
        namesakes=namesakes,
        warnings=facts.warnings,
    )
    log.debug("%s: %s (%s), %d credits", source, film.title, film.year, len(film.cast))
    return record
