"""Parsers for single values: dates, runtimes, ratings, age ratings, languages, countries, scripts."""

from __future__ import annotations

import re

from filmgraph.extract import _tables
from filmgraph.extract._tables import CJK_RANGE, COUNTRIES, DEMONYMS, SCRIPT_LANGUAGES
from filmgraph.models import Rating

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})(?:-(?P<day>\d{1,2}))?\b"),
    re.compile(rf"\b{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE},?\s+(?P<year>\d{{4}})\b",
               re.I),
    re.compile(rf"\b{_MONTH_RE},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"(?<![\d/])(?P<year>(?:18|19|20)\d{2})(?![\d/])"),
]


def parse_date(text: str) -> str | None:
    """Return the first date in `text` as precise as given: `2023`, `2023-10` or `2023-03-30`."""
    best: tuple[int, str] | None = None
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        year = int(groups["year"])
        month = _MONTHS[groups["month"].lower()] if groups.get("month") else None
        if groups.get("mnum"):
            month = int(groups["mnum"])
        day = int(groups["day"]) if groups.get("day") else None
        if month is not None and not 1 <= month <= 12:
            continue
        if day is not None and not 1 <= day <= 31:
            continue
        value = f"{year:04d}"
        if month:
            value += f"-{month:02d}"
            if day:
                value += f"-{day:02d}"
        # Earliest match in the text wins; among equals, the first (most precise) pattern.
        if best is None or m.start() < best[0]:
            best = (m.start(), value)
    return best[1] if best else None


_ISO_DURATION = re.compile(r"\bP(?:T)?(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:\d+S)?\b", re.I)
_HOURS = re.compile(r"(?P<h>\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h)\b\.?", re.I)
_MINUTES = re.compile(r"(?P<m>\d+)\s*(?:minutes?|mins?|m)\b\.?", re.I)
_CLOCK = re.compile(r"^\s*(?P<h>\d{1,2}):(?P<m>[0-5]\d)\s*$")
_HM_GLUED = re.compile(r"\b(?P<h>\d+)\s?h\s*(?P<m>\d+)(?:m|min)?\b", re.I)  # `1h 33m`, `2 h 03`


def parse_runtime(text: str) -> int | None:
    """Minutes from `1 hour 33 minutes`, `1h 33m`, `93 min`, `2 hrs 17 mins`, `PT2H17M`, `2:17`."""
    text = text.strip()
    m = _ISO_DURATION.search(text)
    if m and (m.group("h") or m.group("m")):
        return int(m.group("h") or 0) * 60 + int(m.group("m") or 0)
    m = _CLOCK.match(text)
    if m:
        return int(m.group("h")) * 60 + int(m.group("m"))
    m = _HM_GLUED.search(text)
    if m:
        return int(m.group("h")) * 60 + int(m.group("m"))
    hours = _HOURS.search(text)
    minutes = _MINUTES.search(text)
    if not hours and not minutes:
        return None
    total = 0.0
    if hours:
        total += float(hours.group("h")) * 60
    if minutes:
        total += int(minutes.group("m"))
    return round(total) if total > 0 else None


def format_number(value: float) -> str:
    """`3.5` -> `3.5`, `4.0` -> `4` (for writing ratings back as text)."""
    return f"{value:g}"


_NUM = r"(?P<v>\d+(?:[.,]\d+)?)"
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10, "hundred": 100}
_SCALE = r"(?P<b>\d+|" + "|".join(_NUMBER_WORDS) + ")"
_SLASH = re.compile(rf"(?<![\d.]){_NUM}\s*/\s*(?P<b>\d+)(?![\d/])")
_OUT_OF = re.compile(rf"(?<![\d.]){_NUM}\s*(?:stars?\s+)?out\s+of\s+{_SCALE}\b", re.I)
_N_STARS = re.compile(rf"(?<![\d.]){_NUM}\s*(?:-\s*)?stars?\b(?:\s+out\s+of\s+{_SCALE})?", re.I)
_STAR_CHARS = re.compile(r"[★⭐✪✭☆✩]+\s*(?:½|1/2|\.5)?[☆✩]*|½[☆✩]*")
_STAR_SCALE = re.compile(rf"(?:out\s+of|/)\s*{_SCALE}", re.I)
#: A letter grade alone, or leading a verdict (`A- (a cruel puzzle box)`); never the article `A` of a
#: sentence.
GRADE = re.compile(r"^\s*(?:grade:?\s*)?(?P<g>[A-DF])(?P<s>[+-]?)(?:\s*$|(?<=[+-])\s|\s*[(\[–—:,|])")
_GRADE_ORDER = "FDCBA"


def _scale(token: str) -> float:
    return float(_NUMBER_WORDS.get(token.lower(), 0) or token)


def _num(token: str) -> float:
    return float(token.replace(",", "."))


def parse_rating(text: str, *, strict: bool = True) -> Rating | None:
    """A rating on any scale: `3.50/5`, `7/10`, `3 out of 4`, `★★★½`, `★★☆☆`, `4 stars`, `B+`.

    Stars are out of 5 unless the text gives the scale (`out of 4`) or empty stars (`☆`) pad to the best.
    Letter grades map F..A+ to 0..12. With `strict=False` (a labelled rating line) a value above its scale
    (`7/5`) is reported as written, for validation to refuse; strict parsing ignores it.
    """
    text = text.strip()
    if not text:
        return None
    m = _STAR_CHARS.search(text)
    if m:
        stars = m.group(0)
        full = sum(1 for ch in stars if ch in "★⭐✪✭")
        empty = sum(1 for ch in stars if ch in "☆✩")
        half = 0.5 if re.search(r"½|1/2|\.5", stars) else 0.0
        value = full + half
        best = float(full + empty + (1 if half else 0)) if empty else 5.0
        scale = _STAR_SCALE.search(text[m.end():])
        if scale:
            best = _scale(scale.group("b"))
        best = max(best, value)
        if value > 0 or empty:
            return Rating(value=value, best=best, worst=0.0)
    for pattern in (_SLASH, _OUT_OF):
        m = pattern.search(text)
        if m:
            value, best = _num(m.group("v")), _scale(m.group("b"))
            if 0 < best <= 100 and value >= 0 and (value <= best or not strict):
                return Rating(value=value, best=best, worst=0.0)
    m = _N_STARS.search(text)
    if m:
        value = _num(m.group("v"))
        best = _scale(m.group("b")) if m.group("b") else 5.0
        if value >= 0 and (value <= best or not strict):
            return Rating(value=value, best=best, worst=0.0)
    m = GRADE.match(text)
    if m:
        letter = m.group("g").upper()
        base = 0 if letter == "F" else _GRADE_ORDER.index(letter) * 3 - 1
        if letter != "F":
            base += {"-": -1, "": 0, "+": 1}[m.group("s")]
        return Rating(value=float(max(base, 0)), best=12.0, worst=0.0)
    return None


_AGE_PLUS = re.compile(r"(?<!\d)(?P<n>\d{1,2})\s*\+")
_KOREAN_AGE = re.compile(r"(?P<n>\d{1,2})\s*세")
_US_RATING = re.compile(
    r"(?<![\w-])(?P<r>NC-17|PG-13|PG|G|R|TV-MA|TV-14|TV-PG|TV-Y7|TV-Y|TV-G|NR|U/A|UA|U)(?![\w-])")
_UK_RATING = re.compile(r"(?:certificate|cert\.?|rated|bbfc)\s*(?P<n>12A|12|15|18|U|PG)\b", re.I)


def parse_content_rating(text: str) -> str | None:
    """Age rating as a short string: `A (18+)` -> `18+`, `15+`, `Rated R` -> `R`, `PG-13`."""
    text = text.strip()
    if not text:
        return None
    m = _AGE_PLUS.search(text)
    if m:
        return f"{int(m.group('n'))}+"
    if "청소년 관람불가" in text or "청소년관람불가" in text:
        return "18+"
    if "전체 관람가" in text or "전체관람가" in text:
        return "All"
    m = _KOREAN_AGE.search(text)
    if m:
        return f"{int(m.group('n'))}+"
    m = _UK_RATING.search(text)
    if m:
        return m.group("n").upper()
    m = _US_RATING.search(re.sub(r"^\s*rated\s+", "", text, flags=re.I))
    if m:
        return m.group("r")
    m = re.fullmatch(r"\s*(?P<n>\d{1,2})\s*", text)
    if m:
        return m.group("n")
    return None


def language_code(name: str) -> str | None:
    """BCP 47 tag for a language name (`Korean` -> `ko`); a tag passes through."""
    return _tables.language_tag(name)
_LEADING_THE = re.compile(r"^the\s+")
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;|/•·]|\band\b|&)\s*")


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 for a country name the reader trusts in prose (`South Korea` -> `KR`); a code passes
    through."""
    key = _LEADING_THE.sub("", name.strip().strip(".").lower())
    if key in COUNTRIES:
        return COUNTRIES[key]
    if len(key) == 2 and key.upper() in COUNTRIES.values():
        return key.upper()
    return None


def demonym(word: str) -> tuple[str | None, str | None] | None:
    """(language, country) for an adjective of origin: `Korean`, `Hollywood`, `South Korean`."""
    return DEMONYMS.get(word.strip().lower())


def script_language(text: str) -> str | None:
    """Guess a language from the script: Hangul -> ko, kana -> ja, Han alone -> zh."""
    has_cjk = False
    for ch in text:
        cp = ord(ch)
        for lo, hi, lang in SCRIPT_LANGUAGES:
            if lo <= cp <= hi:
                return lang
        if CJK_RANGE[0] <= cp <= CJK_RANGE[1]:
            has_cjk = True
    return "zh" if has_cjk else None


def split_list(value: str) -> list[str]:
    """Split a list value on commas, semicolons, slashes, pipes, bullets and a final `and`."""
    parts = _LIST_SEPARATOR.split(value)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def parse_languages(value: str) -> list[str]:
    """Language names in a list value -> BCP 47 tags, in order, without repeats."""
    out: list[str] = []
    for part in split_list(value):
        code = language_code(part)
        if code and code not in out:
            out.append(code)
    return out


def parse_countries(value: str) -> list[str]:
    """Country names in a list value -> ISO alpha-2 codes, in order, without repeats."""
    out: list[str] = []
    for part in split_list(value):
        code = country_code(part)
        if code is None:
            origin = demonym(part)
            code = origin[1] if origin else None
        if code and code not in out:
            out.append(code)
    return out
