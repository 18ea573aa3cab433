"""Which film a page reviews: title candidates from the label block, the headline and title lines, checked
against how often the page's own text repeats them; the year, original title and certificate beside them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from filmgraph.extract.names import title_case_title
from filmgraph.extract.title_match import TITLE_TOKEN, find_title
from filmgraph.link.naming import match_key

YEAR = r"(?:18|19|20)\d{2}"
_QUOTES = "'\"‘’“”«»"
_QUOTED = re.compile(r"[‘“\"'«](?P<t>[^‘’“”\"«»\n]{1,90}?)[’”\"'»](?![\w])")
_REVIEW_PREFIX = re.compile(
    r"^(?:(?:new\s+release|film|movie|tv|dvd|blu-ray|cinema)\s+)*review(?:ed)?\s*(?:[:\-–—|»]|\s-\s)\s*", re.I)
_REVIEW_SUFFIX = re.compile(
    r"\s*(?:[:\-–—|(]\s*)?(?:\b(?:(?:film|movie)\s+)?review\b)(?:\s*\)|\s*[:\-–—|].*|\s*$)", re.I)
_TITLE_REVIEW = re.compile(r"^(?P<t>.+?)\s+(?:(?:film|movie)\s+)?review\b", re.I)
_TITLE_YEAR = re.compile(rf"(?P<t>[^()\n]{{1,80}}?)\s*\(\s*(?P<y>{YEAR})\s*\)")
_PAREN = re.compile(r"\((?P<p>[^()]{1,40})\)")
_CERT = re.compile(r"^(?:U|PG|12A?|15|18|R18|M|MA15\+|M18|NC-?16|NC-?17|R21|R|PG-13|G|NR|[0-9]{1,2}\+?)$", re.I)
#: A letter of a script other than Latin: Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, Hangul, kana, CJK.
NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f\u1100-\u11ff"
                       r"\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3]")
_EDITION = re.compile(r"\b(?:blu-?ray|dvd|4k|uhd|edition|collector'?s|box\s+set|steelbook|disc)\b.*$", re.I)
_DISAMBIGUATOR = re.compile(rf"\s*\((?:(?P<y>{YEAR})\s+)?(?:[A-Z][\w.]*\s+)*(?:film|movie)\)\s*$", re.I)
_YEAR = re.compile(YEAR)
_SPACES = re.compile(r"\s+")
_TRAILING_PUNCTUATION = re.compile(r"[\s,;:.!?\-–—|]+$")
_COLUMNS = re.compile(r"\s{3,}|\t")
_SPACE = re.compile(r"\s")
_SENTENCE_DASH_OR_COLON = re.compile(r"(?<=\w)[.!?]\s+|\s[–—-]\s|:\s")
_DASH_OR_BAR = re.compile(r"\s[–—-]\s|\|\s")
_DASH_OR_COLON = re.compile(r"\s[–—-]\s|:\s")
_HEADLINE_PARTS = re.compile(r"\s[–—|-]\s|:\s")
_SPACED_YEAR = re.compile(rf"(?P<t>[^()\d]{{1,80}}?)(?:\s{{2,}}|\s+[·|•–—-]\s+|(?<=[A-Z])\s)(?P<y>{YEAR})")
_POSSESSIVE_WORD = re.compile(r"\w['’]s?\s")
_ARTICLE = re.compile(r"\b(?:the|a|an)\b", re.I)


@dataclass
class TitleGuess:
    """A candidate title with where it came from."""

    title: str
    line: int
    cue: str
    year: int | None = None
    original: str | None = None
    certificate: str | None = None
    priority: int = 0


def strip_disambiguator(title: str) -> tuple[str, int | None]:
    """`Ballerina (2023 film)` -> (`Ballerina`, 2023); `The Call (2020 South Korean film)` -> (`The Call`, 2020)."""
    m = _DISAMBIGUATOR.search(title)
    if not m:
        return title, None
    return title[:m.start()].strip(), int(m.group("y")) if m.group("y") else None


def clean_title(text: str) -> str:
    """A title without quotes, trailing punctuation and markup."""
    text = _SPACES.sub(" ", text).strip()
    text = text.strip(" *_" + _QUOTES)
    text = _TRAILING_PUNCTUATION.sub("", text)
    return text.strip(" *_" + _QUOTES)


def split_parenthetical(text: str) -> tuple[str, int | None, str | None, str | None]:
    """`DECISION TO LEAVE (헤어질 결심) (2022)` -> title, year, original title, certificate."""
    year: int | None = None
    original: str | None = None
    cert: str | None = None
    title = text
    for m in list(_PAREN.finditer(text)):
        inner = m.group("p").strip()
        if _YEAR.fullmatch(inner):
            year = year or int(inner)
        elif _CERT.match(inner):
            cert = cert or inner
        elif NON_LATIN.search(inner) or (inner.isupper() and text[:m.start()].strip().isupper()):
            original = original or inner.split(",")[0].strip()  # `Hero (英雄, Yingxiong)`
        else:
            continue
        title = title.replace(m.group(0), " ")
    title, dis_year = strip_disambiguator(title)
    return clean_title(title), year or dis_year, original, cert


def headline_guesses(headline: str, line: int) -> list[TitleGuess]:
    """Every reading of a headline as a title: quoted, before 'review', after 'Review:', the whole line."""
    out: list[TitleGuess] = []
    text = headline.strip()
    columns = [c for c in _COLUMNS.split(text) if c.strip()]
    if len(columns) >= 3 and any(_YEAR.fullmatch(c.strip()) for c in columns):
        column_year = next(int(c) for c in columns if _YEAR.fullmatch(c.strip()))
        others = [c.strip() for c in columns if not _YEAR.fullmatch(c.strip())]
        for c in others:
            rest = [o for o in others if o != c]
            out.append(TitleGuess(c, line, "headline column", year=column_year, priority=5,
                                  original=rest[0] if rest and not _SPACE.search(rest[0]) else None))
        return out
    m: re.Match[str] | None
    for m in _QUOTED.finditer(text):
        out.append(TitleGuess(clean_title(m.group("t")), line, "quoted title in the headline", priority=6))
    body = _REVIEW_PREFIX.sub("", text)
    if body != text:
        first = _SENTENCE_DASH_OR_COLON.split(body)[0]
        out.append(TitleGuess(clean_title(first), line, "headline after 'Review:'", priority=6))
        body = first
    m = _TITLE_REVIEW.match(text) if body == text else None
    if m and m.group("t").strip().lower() not in {"film", "movie", "new release", "dvd", "blu-ray"}:
        cand = _DASH_OR_BAR.split(m.group("t"))[-1]
        out.append(TitleGuess(clean_title(cand), line, "headline before 'review'", priority=6))
    m = _SPACED_YEAR.fullmatch(text)
    if m:  # `THE CHASER  2008`, `Solaris · 1972`
        out.append(TitleGuess(clean_title(m.group("t")), line, "title (year) in the headline", year=int(m.group("y")),
                              priority=8))
    m = _TITLE_YEAR.search(text)
    if m:
        t, y, orig, _cert = split_parenthetical(m.group(0))
        t = _DASH_OR_COLON.split(t)[-1] if not _QUOTED.search(t) else t
        if any(w[:1].islower() and w.lower() not in _FUNCTION for w in t.split()) or _POSSESSIVE_WORD.search(t):
            t = trailing_title(t) or t  # `Rewatched Gareth Edwards' GODZILLA (2014)`
        out.append(TitleGuess(clean_title(t), line, "title (year) in the headline", year=y, original=orig,
                              priority=8))
    whole, whole_year, original, cert = split_parenthetical(_EDITION.sub("", text))
    out.append(TitleGuess(whole, line, "headline", year=whole_year, original=original, certificate=cert,
                          priority=4 if len(whole.split()) <= 6 else 1))
    for part in _HEADLINE_PARTS.split(whole):
        if part.strip() and part.strip() != whole:
            out.append(TitleGuess(clean_title(part), line, "part of the headline", priority=2))
    return [g for g in out if g.title and len(g.title) <= 90]


def best_spelling(title: str, text: str) -> str:
    """The title as the text prints it most often in mixed case (`BROKER` -> `Broker`)."""
    counts: dict[str, int] = {}
    for m in find_title(title, text):
        found = m.group(0)
        if found.isupper() and len(found) > 3:
            continue
        counts[found] = counts.get(found, 0) + 1
    if counts:
        best = max(counts.items(), key=lambda kv: (kv[1], ":" in kv[0], kv[0][:1].isupper()))[0]
        if best[:1].isupper() or not title[:1].isupper():
            return best
    return title_case_title(title) if title.isupper() and len(title) > 3 else title


def article_key(title: str) -> str:
    """A title key that ignores articles (`Furiosa: The Mad Max Saga` ~ `Furiosa: A Mad Max Saga`)."""
    return match_key(_ARTICLE.sub(" ", title))


def fuller_form(title: str, text: str) -> str | None:
    """A longer form of a short title printed in the text: `John Wick 4` -> `John Wick: Chapter 4`."""
    tokens = [t.lower() for t in TITLE_TOKEN.findall(title)]
    if not tokens:
        return None
    for m in _fuller_pattern(title.split()[0]).finditer(text):
        cand = m.group(0).strip()
        words = [t.lower() for t in TITLE_TOKEN.findall(cand)]
        it = iter(words)
        if all(tok in it for tok in tokens) and words[-1] == tokens[-1] and len(words) > len(tokens):
            return cand
    return None


@functools.lru_cache(maxsize=256)
def _fuller_pattern(first_word: str) -> re.Pattern[str]:
    """A title that starts with `first_word` and goes on past a colon: `John Wick: Chapter 4`."""
    return re.compile(r"(?<![\w])" + re.escape(first_word)
                      + r"[\w'’ ]{0,40}?:\s[\w'’ ]{1,40}?(?=[,.;)!?]|\s[a-z]|$)")


def certificate_of(text: str) -> str | None:
    """A certificate in a short line: `Rated R`, `15 Certificate`, `Nationwide, 12A`, `MPAA Rating: R`."""
    m = re.search(r"\b(?:rated|certificate|cert\.?|mpaa(?:\s+rating)?|rating)\s*[:»]?\s*"
                  r"(?P<c>NC-17|PG-13|PG|G|R|NR|U|12A|12|15|18|M18|R21|NC16|MA15\+|M)\b", text, re.I)
    if m:
        return m.group("c").upper()
    m = re.search(r"\b(?P<c>12A|15|18|PG|U)\s+certificate\b", text, re.I)
    if m:
        return m.group("c").upper()
    m = re.search(r"(?:^|,\s*)(?P<c>12A|PG-13|NC-17|15A|16)\s*$", text)
    return m.group("c").upper() if m else None


_FUNCTION = {"of", "the", "and", "for", "in", "to", "a", "an", "on", "with", "from", "at", "by", "no", "or", "de",
             "la", "le", "du", "des", "et", "&"}
_BREADCRUMB = re.compile(r"\s+[›»>]\s+|\s+/\s+")
_LINE_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s+|\d{1,3}[.)]\s+|#\d{1,4}\s*[—–:-]\s*|\[[^\]]{1,24}\]\s*|"
                          r"(?:subject|thread|topic|title|re|fwd?)\s*:\s*)+", re.I)
_TRAILING_RATING = re.compile(r"\s*(?:[★⭐✪✭☆✩]+\s*½?|[*]{2,5}\s*½?)\s*$")
_NAVIGATION = re.compile(r"^\s*[←‹«]|[→›»]\s*$|^\s*(?:previous|next|prev)\b", re.I)
_URL_LINE = re.compile(r"^(?:https?://|www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)+(?P<path>/\S*)?$"
                       r"|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?P<path2>/\S*)$", re.I)  # an address, not a file name
#: `LA HAINE (HATE) · FRANCE · 1995 · 98 MINUTES`, `Japan 1954 · 207 min. · b/w`: a line of a film's facts.
_FACTS = re.compile(rf"(?=.*\b(?P<y>{YEAR})\b)(?=.*\b\d{{2,3}}\s*(?:min|mins|minutes)\b)", re.I)
_FACT_SEGMENT = re.compile(r"\s+[·|•]\s+|\s{3,}")
_YEAR_OR_MINUTES = re.compile(rf"\b{YEAR}\b|\bmin", re.I)
_POSSESSIVE_END = re.compile(r"['’]s?$")
_WORD_POSSESSIVE_END = re.compile(r"\w['’]s?$")


def heading_text(line: str) -> tuple[str, bool] | None:
    """A top-of-page line as a headline (markup, numbering, tags and a breadcrumb trail taken off), and
    whether a star rating followed it; None for a navigation link or an address."""
    text = line.strip()
    if not text or _NAVIGATION.search(text) or _URL_LINE.match(text):
        return None
    parts = [p for p in _BREADCRUMB.split(text) if p.strip()]
    if len(parts) >= 3:
        text = parts[-1]
    text = _LINE_PREFIX.sub("", text).strip(" *_")
    rated = bool(_TRAILING_RATING.search(text))
    text = _TRAILING_RATING.sub("", text).strip(" *_")
    return (text, rated) if text else None


def trailing_title(text: str) -> str:
    """The title-shaped words that end a phrase: `Rewatched Gareth Edwards' GODZILLA` -> `GODZILLA`."""
    words = text.split()
    run: list[str] = []
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        bare = word.strip(",:;")
        owner_named = k > 0 and words[k - 1][:1].isupper() and not _POSSESSIVE_END.search(words[k - 1])
        if _WORD_POSSESSIVE_END.search(bare) and run and owner_named:
            break  # `Gareth Edwards' GODZILLA`; `Schindler's List` stays whole
        if bare[:1].isupper() or bare[:1].isdigit() or (bare.lower() in _FUNCTION and run):
            run.insert(0, word)
            continue
        break
    while run and run[0].lower() in _FUNCTION - {"the", "a", "an"}:
        run.pop(0)
    return clean_title(" ".join(run))


def url_title(line: str) -> str | None:
    """The title a page's address spells in its last path segment: `…/film/the-chaser/` -> `the chaser`."""
    m = _URL_LINE.match(line.strip())
    path = (m.group("path") or m.group("path2")) if m else None
    if not path:
        return None
    segments = [s for s in path.split("/") if s and not s.isdigit()]
    if not segments:
        return None
    slug = re.sub(r"\.(?:html?|php|aspx?)$", "", segments[-1])
    slug = re.sub(r"[-_](?:review|film|movie)s?$|^(?:review|film|movie)s?[-_]", "", slug, flags=re.I)
    words = [w for w in re.split(r"[-_]+", slug) if w]
    return " ".join(words) if 1 <= len(words) <= 8 and not any(len(w) > 20 for w in words) else None


def facts_line(line: str) -> tuple[str | None, int] | None:
    """A credits line of facts, `TITLE · COUNTRY · YEAR · N MINUTES`: its leading title (None when it starts
    with a country) and year."""
    m = _FACTS.match(line)
    segments = [s.strip() for s in _FACT_SEGMENT.split(line) if s.strip()]
    if not m or len(segments) < 3:
        return None
    head = segments[0]
    if _YEAR_OR_MINUTES.search(head):
        return None, int(m.group("y"))
    return head, int(m.group("y"))
