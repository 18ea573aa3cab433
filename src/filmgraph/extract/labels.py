"""The one table of label spellings, and a matcher for label/value lines.

Review pages lay facts out as `Label: value`, `Label value` (infobox), `- Label: value` (credit lists) or with
the label glued to its value (`GenreAction, Thriller`, `Duration1 hour 33 minutes`). One table maps each
canonical field to its spellings; labels match case-insensitively at line start, longest spelling first.
"""

from __future__ import annotations

import dataclasses
import re

#: Canonical field -> label spellings (lower case). `other` labels are recognised so that their values are not
#: mistaken for prose or for the continuation of another label, and are otherwise ignored.
LABELS: dict[str, list[str]] = {
    "title": ["title", "film title", "movie title", "english title", "film name", "movie name", "film", "movie",
              "english name", "titre", "titre international", "titre français"],
    "original_title": ["original title", "original name", "native title", "korean title", "japanese title",
                       "chinese title", "hangul", "alternative title", "also known as", "aka", "titre original",
                       "título original", "titulo original", "titolo originale", "originaltitel"],
    "year": ["year", "release year", "year of release"],
    "release_date": ["release date", "release dates", "released in", "released on", "released", "release",
                     "sortie", "sortie en salles", "date de sortie", "estreno", "uscita", "kinostart",
                     "premiere date", "premiere", "premiered", "premiered on", "date of release",
                     "opening date", "in cinemas", "theatrical release", "opening day", "opens", "uk release",
                     "us release"],
    "runtime": ["running time", "runtime", "run time", "run-time", "duration", "length", "durée", "duree",
                "duración", "duracion",
                "durata", "laufzeit", "länge"],
    "genres": ["genre", "genres", "category"],
    "content_rating": ["age-restrictions", "age restrictions", "age restriction", "age rating", "rated",
                       "certificate", "certification", "mpaa rating", "mpaa", "content rating",
                       "classification", "parental rating"],
    "directors": ["director", "directors", "directed by", "direction", "film director", "d", "dir", "dir.",
                  "réalisation", "realisation", "réalisateur", "réalisatrice", "mise en scène", "dirección",
                  "direccion", "regia", "regie"],
    "writers": ["writer", "writers", "written by", "screenplay", "screenplay by", "screenwriter",
                "screenwriters", "script", "script by", "story by", "w", "graphic novel", "original story",
                "novel", "based on a story by", "from a story by", "scénario", "scenario", "scénaristes",
                "scénariste", "scr.", "scr", "guion", "guión", "sceneggiatura", "drehbuch"],
    "writer_director": ["writer & director", "writer and director", "writer/director", "writer-director",
                        "written and directed by", "written & directed by", "director & writer",
                        "director and writer", "director/writer", "writer/directors", "writers & directors"],
    "cast": ["cast", "starring", "stars", "main cast", "actors", "lead cast", "cast & crew", "cast and crew",
             "principal cast", "cast list", "with", "voices", "voice cast", "featuring", "avec", "distribution",
             "interprètes", "interprétation", "reparto", "intérpretes", "interpreti", "darsteller", "besetzung"],
    "characters": ["characters", "character", "roles", "characters (cast)", "who's who"],
    "languages": ["original language", "language", "languages", "spoken language", "spoken languages",
                  "original languages"],
    "countries": ["country", "countries", "country of origin", "origin", "pays", "país", "paese", "land",
                  "production country",
                  "production countries", "nationality"],
    "taglines": ["tagline", "taglines", "tag line", "tag lines", "slogan"],
    "rating": ["rating", "score", "grade", "review score", "star rating", "our score", "rating out of 5",
               "final score", "overall", "note", "show score"],
    "verdict": ["verdict", "final verdict", "the verdict"],
    "summary": ["short comment", "summary", "in short", "bottom line", "the bottom line", "tl;dr", "tldr",
                "our take", "comment", "comments", "remarks", "one-line verdict", "in a nutshell"],
    "publisher": ["publication", "publisher", "source", "published in", "magazine", "outlet", "site",
                  "blog"],
    "author": ["author", "reviewer", "review by", "reviewed by", "by", "critic", "words by", "words",
               "posted by"],
    "date_published": ["published", "published on", "posted on", "posted", "date published", "review date",
                       "reviewed on", "updated", "first published", "last updated", "date"],
    "url": ["url", "link", "permalink"],
    "franchise": ["franchise", "series", "part of", "film series", "saga", "followed by", "preceded by"],
    "other": ["producer", "producers", "produced by", "music", "music by", "composer", "cinematography",
              "photographie", "musique", "montage", "production", "décors", "public", "ph.", "mus.", "prod.",
              "fotografía", "música", "fotografia", "musica", "kamera", "musik",
              "cinematographer", "director of photography", "edited by", "editor", "editing",
              "production company", "production companies", "studio", "distributed by", "distributor",
              "budget", "box office", "based on", "platform", "streaming on", "where to watch",
              "available on", "network", "executive producer", "executive producers", "costume design",
              "production design", "filming location", "filming locations", "awards", "watch on",
              "dp", "ed", "mus", "pd", "cos", "prod", "released by", "official website", "theatrical distributor",
              "imdb rating", "user rating", "user review", "metascore", "post category", "post last modified",
              "credit", "photo", "photo credit", "photograph", "image", "picture", "caption", "colour", "color",
              "where", "when", "trivia", "synopsis", "plot", "storyline", "movie review", "film review",
              "cinematographers", "editors", "sound", "visual effects", "stunts", "casting", "art direction",
              "costumes", "makeup", "choreography", "original music", "music director"],
}

#: Fields whose values are lists that may continue on the following lines (one item per line).
LIST_FIELDS = frozenset({"cast", "characters", "directors", "writers", "writer_director", "genres",
                         "languages", "countries", "other"})

_SPELLINGS: list[tuple[str, str]] = sorted(
    ((spelling, name) for name, spellings in LABELS.items() for spelling in spellings),
    key=lambda item: len(item[0]),
    reverse=True,
)


def _by_initial(spellings: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """The (spelling, field) pairs grouped by the spelling's first letter, in their order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for spelling, name in spellings:
        groups.setdefault(spelling[0], []).append((spelling, name))
    return groups


#: `_SPELLINGS` by first letter: a line's label can only be among those of the line's first letter.
_BY_INITIAL = _by_initial(_SPELLINGS)
_BULLET = re.compile(r"^\s*(?:[-*•·▪►]|\d+[.)])\s+")
_OWNER = re.compile(r"^(?:(?P<owner>[\w.&]{1,20})['’]s|(?P<our>our|my|the))\s+", re.I)
_SEPARATOR = re.compile(r"^\s*(?:[:：=»]|\s[–—-]\s|\t)\s*")
#: Labels that count only with an explicit separator (`D: David Lynch`, never `Dune` or `With his ...`).
COLON_ONLY = frozenset({"d", "w", "dp", "ed", "mus", "pd", "cos", "dir", "dir.", "prod", "scr", "scr.", "ph.",
                        "mus.", "prod.", "with", "film", "movie",
                        "date", "when", "where", "credit", "photo", "image", "picture", "colour", "color",
                        "novel", "words", "voices", "score", "sound", "opens", "plot", "by", "stars",
                        "posted", "source", "site", "blog", "link", "origin", "length", "release",
                        "featuring", "caption", "script", "trivia", "synopsis", "direction", "category",
                        "magazine", "comment", "comments", "remarks", "note", "avec", "pays", "titre", "sortie",
                        "montage", "musique", "public", "production", "reparto", "regia",
                        "regie", "land", "paese", "país", "estreno", "uscita", "kamera", "musik", "musica", "música",
                        "durata", "overall", "casting", "stunts", "makeup",
                        "costumes"})
_STAR = "★⭐☆✩✪✭"
_SPACED_CAPITAL = re.compile(r"^\s+[A-Z]")
_SPACE_CAPITAL = re.compile(r"^ [A-Z]")
_COLON = re.compile(r"^\s*[:：»]")
_MARKDOWN_LABEL = re.compile(r"^(?P<m>\*\*|__)(?P<l>[^*_:]{1,40}?)(?P<sep>\s*:)?(?P=m)(?:\s*:)?")
_RUNNING_WORD = re.compile(r"\b[a-z]{4,}\b")
_NEXT_SENTENCE = re.compile(r"[.!?]\s+[A-Z]")


@dataclasses.dataclass
class LabelHit:
    """One label line: the canonical field, the spelling seen, a possessive owner (`FM` of `FM's rating`)."""

    field: str
    label: str
    value: str
    line_no: int
    owner: str | None = None
    glued: bool = False
    lines: list[int] = dataclasses.field(default_factory=list)

    @property
    def values(self) -> list[str]:
        """The value split into its lines (a multi-line value has one item per line)."""
        return [v for v in (part.strip() for part in self.value.split("\n")) if v]


def match_label(line: str) -> LabelHit | None:
    """Match a label at the start of `line`; None when the line is not a label/value line."""
    text = _BULLET.sub("", line.strip()).strip()
    text = _MARKDOWN_LABEL.sub(r"\g<l>\g<sep>", text)  # `**Director:** Celine Song`
    if not text:
        return None
    owner: str | None = None
    m = _OWNER.match(text)
    if m:
        owner = m.group("owner") or m.group("our")
        hit = _match_at(text[m.end():], owner)
        if hit is not None and (hit.field in {"rating", "verdict", "summary"} or not m.group("our")):
            return hit
    return _match_at(text, None)


def _match_at(text: str, owner: str | None) -> LabelHit | None:
    lower = text.lower()
    for spelling, name in _BY_INITIAL.get(lower[:1], ()):
        if not lower.startswith(spelling):
            continue
        rest = text[len(spelling):]
        bare_byline = spelling == "by" and _SPACED_CAPITAL.match(rest) and len(text.split()) <= 6
        abbreviated = spelling.endswith(".") and _SPACE_CAPITAL.match(rest)  # `Dir. KUROSAWA Akira`
        if spelling in COLON_ONLY and not _COLON.match(rest) and not bare_byline and not abbreviated:
            continue
        if not rest.strip() or rest.strip() in {":", "："}:
            return LabelHit(name, spelling, "", -1, owner)
        sep = _SEPARATOR.match(rest)
        if sep:
            value = rest[sep.end():].strip()
            return LabelHit(name, spelling, value, -1, owner)
        first = rest[0]
        if first.isspace():
            value = rest.strip()
            if _plausible_spaced_value(value):
                return LabelHit(name, spelling, value, -1, owner)
            continue
        if _glue_start(first):
            return LabelHit(name, spelling, rest.strip(), -1, owner, glued=True)
    return None


def _glue_start(ch: str) -> bool:
    """A value glued to its label starts with a capital, a digit, a non-Latin letter or a rating sign."""
    if ch.isdigit() or ch in _STAR or ch in "(\"“‘'«":
        return True
    if ch.isalpha():
        if ch.isascii():
            return ch.isupper()
        return not ch.islower()
    return False


def looks_like_name_list(value: str) -> bool:
    """`MIFUNE Toshiro, SHIMURA Takashi, KIMURA Isao, …`: names and commas, no running words."""
    return value.count(",") >= 3 and not _RUNNING_WORD.search(value)


def _plausible_spaced_value(value: str) -> bool:
    """`Country South Korea` is a label line; `Cast members said ...` is prose."""
    if not value or value[0].islower():
        return False
    if (len(value.split()) > 14 or len(value) > 140) and not looks_like_name_list(value):
        return False
    return not _NEXT_SENTENCE.search(value)


def looks_like_list_item(line: str) -> bool:
    """A short line without sentence punctuation: one name or credit per line after a list label."""
    text = _BULLET.sub("", line.strip()).strip()
    if not text or len(text) > 90 or len(text.split()) > 10:
        return False
    if text.endswith((".", "!", "?", ":")) and not text.lower().endswith(("etc.", "jr.", "sr.")):
        return False
    return not text[0].islower()


def looks_like_caption(line: str) -> bool:
    """Lines such as `About – Ballerina (2023) Korean Film.` that close a tagline block."""
    text = line.strip()
    if re.search(r"\(\s*(?:18|19|20)\d{2}\s*\)", text):
        return True
    if re.match(r"^[\w’']+(?:\s+[\w’']+)?\s+[–—|]\s", text):
        return True
    return len(text) > 160


def parse_label_lines(lines: list[str]) -> list[LabelHit]:
    """Find every label line in `lines`, attaching continuation lines to list labels and taglines."""
    hits: list[LabelHit] = []
    i = 0
    while i < len(lines):
        hit = match_label(lines[i])
        if hit is None:
            i += 1
            continue
        hit.line_no = i
        hit.lines = [i]
        values = [hit.value] if hit.value else []
        j = i + 1
        if not hit.value and hit.field in LIST_FIELDS:  # a heading whose list starts after a blank line
            while j < len(lines) and j <= i + 2 and not lines[j].strip():
                j += 1
        while j < len(lines) and not (len(hit.label) <= 3 and hit.label in COLON_ONLY and hit.value):
            nxt = lines[j]
            if not nxt.strip() or match_label(nxt) is not None:
                break
            if hit.field == "taglines":
                if looks_like_caption(nxt):
                    break
            elif hit.field in {"summary", "verdict"}:
                if values:
                    break
            elif (hit.field not in LIST_FIELDS and values) or not looks_like_list_item(nxt):
                break
            values.append(_BULLET.sub("", nxt.strip()).strip())
            hit.lines.append(j)
            j += 1
        hit.value = "\n".join(values)
        hits.extend(_split_segments(hit))
        i = j
    return hits


_SEGMENT = re.compile(r"\s+[·•|]\s+")
_RUNTIME_SEGMENT = re.compile(r"\d{2,3}\s*(?:min|mins|minutes)\.?|\d\s?h\s?\d{1,2}(?:m|min)?", re.I)


def _split_segments(hit: LabelHit) -> list[LabelHit]:
    """`Original title: 곡성 · 156 min · Starring A, B`: one line holding several labels, cut at the segments
    that start a label of their own (or are a runtime); other segments stay with the value before them."""
    if "\n" in hit.value or not _SEGMENT.search(hit.value):
        return [hit]
    out = [hit]
    kept: list[str] = []
    for segment in _SEGMENT.split(hit.value):
        inner = match_label(segment)
        if _RUNTIME_SEGMENT.fullmatch(segment.strip()):
            inner = LabelHit("runtime", "", segment.strip(), hit.line_no)
        if inner is not None and kept:
            inner.line_no, inner.lines = hit.line_no, [hit.line_no]
            out.append(inner)
            continue
        if len(out) == 1:
            kept.append(segment)
        else:
            out[-1].value += " · " + segment
    hit.value = " · ".join(kept)
    return out
