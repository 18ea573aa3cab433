"""The page around the review: the publication (masthead, footer, copyright line, 'From …', a site's URL),
the byline and the review's own rating (stars, 'out of', letter grades, words), never a widget or an aggregate.
"""

from __future__ import annotations

import re

from filmgraph.extract import names as nm
from filmgraph.extract.page import Page
from filmgraph.extract.title_match import find_title
from filmgraph.extract.values import parse_rating
from filmgraph.models import Rating

_COPYRIGHT = re.compile(r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]?\s*(?:\d{4})?\s*)?(?P<p>[^|]+?)"
                        r"(?:\.?\s*(?:all\s+rights\s+reserved\.?|\|.*)?)?\s*$", re.I)
_FROM = re.compile(r"^(?i:from|via|source:|originally\s+published\s+(?:in|by|on))\s+(?P<p>[A-Z][\w.&'’ -]{1,50}?)\.?$")
_PUBLISHED_BY = re.compile(r"^(?P<p>[A-Z][\w.&'’ -]{1,50}?)\s+is\s+(?:published|owned|part\s+of)\b")
_SIGNATURE = re.compile(r"^[—–-]\s*(?P<p>\S.{0,50})$")
_SECTION = re.compile(r"\s*[|»:]\s*(?:film|films|movies?|reviews?|film\s+reviews?|movie\s+reviews?|arts|"
                      r"entertainment|culture)\b.*$", re.I)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?(?P<d>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|co\.uk|co|uk|"
                     r"io|info|blog|tv|ie|au|ca|in|sg))\b", re.I)
_PUB_NAME = r"[A-Z][\w'’&.-]*(?:\s[A-Z][\w'’&.-]*){0,3}"
#: A site naming itself in its own text: `the LeftLion seal of approval`, `here at Screen Notes`.
_HOUSE_VOICE = re.compile(rf"\bthe\s+(?P<p>{_PUB_NAME})\s+(?:seal|stamp)\s+of\s+approval"
                          rf"|\b(?:here\s+at|we\s+at|us\s+at|the\s+team\s+at|everyone\s+at)\s+(?P<p2>{_PUB_NAME})")
_MAIL_FROM = re.compile(r"^From:\s*(?P<p>[^<@\n]{2,60}?)\s*<[^>\s]+@[^>\s]+>\s*$", re.I)
_MASTHEAD_SPLIT = re.compile(r"\s+[·|›»>—–]\s+|\s{3,}")
_DATE_LIKE = re.compile(r"\b(?:\d{4}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b.*\d", re.I)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "zero": 0, "half": 0.5}
_WORD_RATING = re.compile(
    r"^(?:[A-Z][.:]\s+|(?:my|our)\s+(?:score|verdict|rating)\s*:\s*)?"
    r"(?:(?:i|we)\s+(?:give|gave|rate|rated)\s+(?:it|this|[A-Z][\w:' -]*?)\s+)?(?:a\s+)?"
    r"(?P<v>one|two|three|four|five|six|seven|eight|nine|ten|zero|\d(?:\.5)?)(?:\s+and\s+a\s+half)?\s+"
    r"(?:stars?(?:\s+out\s+of\s+(?P<b2>five|ten|four|\d+))?|out\s+of\s+(?P<b>five|ten|four|\d+)(?:\s+stars?)?)",
    re.I)
_GRADE = re.compile(r"\b(?:we|i)\s+(?:gave|give)\s+it\s+an?\s+(?P<g>[A-DF][+-]?)(?![\w])|^(?:grade|verdict)\s*:\s*"
                    r"(?P<g2>[A-DF][+-]?)\s*$", re.I)
_STAR_LINE = re.compile(r"(?P<s>[★⭐✪✭]+(?:\s*½)?[☆✩]*|[*]{2,5}(?:\s*½)?)\s*$")
_FRACTION = re.compile(r"(?<![\d.])(?P<v>\d+(?:\.\d+)?)(?:\s+(?P<h>1/2|½))?\s*(?:stars?\s*)?(?:\(?\s*(?:/|out\s+of)\s*"
                       r"(?P<b>\d+)\s*\)?)", re.I)
_GIVE = re.compile(r"\b(?:i|we)\s+(?:give|gave|rate|rated|award|score)\b[^.]{0,40}?(?P<v>\d+(?:\.\d+)?)\s*"
                   r"(?:/|out\s+of)\s*(?P<b>\d+)", re.I)
_WIDGET = re.compile(r"\b(?:votes?|vote\s+count|user|users|readers?|audience|imdb|metascore|tomatometer|"
                     r"average)\b", re.I)


def _words_value(token: str) -> float:
    return float(_NUMBER_WORDS.get(token.lower(), token) if token.lower() in _NUMBER_WORDS else token)


def rating_from_text(text: str) -> Rating | None:
    """The review's rating as printed, with its scale only when the page prints one.

    `Five out of five stars` -> 5/5; `3 1/2 Stars (out of 4)` -> 3.5/4; `4.5/5 dogs` -> 4.5/5; `Four stars`,
    `****`, `★★★★½`, `Rated 4.0`, `3.5 Moons` -> the value alone; `We gave it an A` -> the grade alone.
    """
    text = text.strip()
    if not text or _WIDGET.search(text):
        return None
    m = _GRADE.search(text) or re.fullmatch(r"(?P<g>[A-F][+-]?)", text)
    if m and isinstance(m.groupdict().get("g2"), str) is False and not m.groupdict().get("g"):
        m = None
    if m:
        return Rating(value=(m.group("g") or m.group("g2")).upper(), best=None, worst=None)
    m = _FRACTION.search(text)
    if m:
        value = float(m.group("v")) + (0.5 if m.group("h") else 0.0)
        best = float(m.group("b"))
        if 0 < best <= 100 and 0 <= value <= best:
            return Rating(value=value, best=best, worst=0.0)
    m = _WORD_RATING.search(text)
    if m:
        spoken = _words_value(m.group("v")) + (0.5 if "half" in m.group(0).lower() else 0.0)
        printed_best = m.group("b") or m.group("b2")
        scale = _words_value(printed_best) if printed_best else None
        return Rating(value=spoken, best=scale, worst=0.0 if scale else None)
    m = _STAR_LINE.search(text)
    if m:
        stars = m.group("s")
        full = sum(1 for ch in stars if ch in "★⭐✪✭*")
        empty = sum(1 for ch in stars if ch in "☆✩")
        value = full + (0.5 if "½" in stars else 0.0)
        if empty:
            return Rating(value=value, best=float(full + empty + (1 if "½" in stars else 0)), worst=0.0)
        return Rating(value=value, best=None, worst=None)
    m = re.fullmatch(r"(?:rated\s+|rating\s*:?\s*)?(?P<v>\d+(?:\.\d+)?)(?:\s+[A-Za-z]+)?\.?", text, re.I)
    if m and float(m.group("v")) <= 100 and not re.search(r"certificate|cert\b|min|year|\bvotes?", text, re.I) \
            and (re.match(r"(?i)rated|rating", text) or "." in m.group("v") or re.search(r"[A-Za-z]+s\.?$", text)):
        return Rating(value=float(m.group("v")), best=None, worst=None)
    parsed = parse_rating(text)
    if parsed is not None and parsed.best is not None and re.search(r"/|out\s+of|[☆✩]", text):
        return parsed
    return None


def find_rating(page: Page, label_text: tuple[str, int] | None, prose: list[tuple[str, int]]) -> Rating | None:
    """The review's own rating: a labelled value, a rating line of its own, or 'I give it …' in prose."""
    if label_text is not None:
        rating = rating_from_text(label_text[0])
        over = re.fullmatch(r"\s*(?P<v>\d+(?:\.\d+)?)\s*/\s*(?P<b>\d+)\s*", label_text[0])
        if rating is None and over:  # reported as written, for validation to refuse with its reason
            rating = Rating(value=float(over.group("v")), best=float(over.group("b")), worst=0.0)
            page.warnings.append(f"line {label_text[1] + 1}: rating {label_text[0].strip()!r} is outside its own scale")
        if rating is not None:
            page.note("rating", _show(rating), label_text[1], "rating label")
            return rating
    candidates: list[tuple[int, Rating, int]] = []
    for i, line in enumerate(page.lines):
        text = line.strip()
        if not text or page.kinds[i] == "prose" or len(text) > 80:
            continue
        if page.kinds[i] == "label" and not re.match(r"^[\d★⭐*]", text):
            continue
        previous = next((page.lines[j] for j in range(i - 1, -1, -1) if page.lines[j].strip()), "")
        if _WIDGET.search(text) or _WIDGET.search(previous) or re.match(r"^[\w /&]+\s+[-–:]\s+\d", text):
            continue
        rating = rating_from_text(re.sub(r"^[•·*\-]\s+", "", text)) if not re.match(r"^\s*[•·]", line) else None
        if rating is None:
            continue
        rank = 2 if re.match(r"^[\d★⭐*]|^(?:one|two|three|four|five|six|seven|eight|nine|ten)\b|^we\s+gave", text,
                             re.I) else 1
        candidates.append((rank, rating, i))
    if candidates:
        rank, rating, at = max(candidates, key=lambda c: (c[0], -abs(c[2] - len(page.lines) // 3) * 0,
                                                            c[2] if c[0] == 2 else -c[2]))
        page.note("rating", _show(rating), at, "rating line")
        return rating
    for sentence, where in prose:
        m = _GIVE.search(sentence)
        if m:
            value, best = float(m.group("v")), float(m.group("b"))
            if 0 <= value <= best:
                rating = Rating(value=value, best=best, worst=0.0)
                page.note("rating", _show(rating), where, "'I give it N/M' in prose")
                return rating
    return None


def _show(rating: Rating) -> str:
    return f"{rating.value}" + (f"/{rating.best:g}" if rating.best else " (no scale printed)")


def _brand(name: str, text: str) -> str:
    """The shortest leading part of a legal name the page uses alone (`ABC News Internet Ventures` -> `ABC News`)."""
    words = name.split()
    for n in range(1, len(words)):
        part = " ".join(words[:n])
        alone = re.findall(rf"(?<![\w]){re.escape(part)}(?!\s+{re.escape(words[n])})(?![\w])", text)
        functional = all(w.lower() in nm.FUNCTION_WORDS for w in words[:n])
        if (n >= 2 or part.isupper()) and len(part) >= 3 and alone and not functional:
            return part
    return name


def _clean_pub(value: str) -> str:
    value = value.strip().strip("*_").strip()
    value = _SECTION.sub("", value)
    value = re.sub(r"\s+(?:19|20)\d{2}$", "", value)  # `Harbourlight Film Festival 2026`
    value = re.sub(r"\s*[:|]\s*(?:movie|film)\s+reviews?\s+by\s+.*$", "", value, flags=re.I)
    return value.strip(" .,:;|-–—")


def find_publisher(page: Page, title: str, author: str | None, given: str | None) -> str | None:
    """The publication, from the most explicit place the page names it."""
    if given:
        return given
    text = "\n".join(page.lines)
    lines = [(i, line.strip()) for i, line in enumerate(page.lines) if line.strip()]
    for i, line in lines:
        for pattern, cue in ((_COPYRIGHT, "copyright line"), (_FROM, "'From …' line"),
                             (_PUBLISHED_BY, "'… is published by' line")):
            m = pattern.match(line)
            if m and len(line) <= 90:
                name = _brand(_clean_pub(m.group("p")), text)
                if name and not re.match(r"^\d", name):
                    page.note("publisher", name, i, cue)
                    return name
    content = [(i, t) for i, t in lines if page.kinds[i] != "furniture"]
    last_line = content[-1][0] if content else -1
    tail = [(i, t) for i, t in content[-3:] if page.kinds[i] != "prose"]
    for i, line in reversed(tail):
        m = _SIGNATURE.match(line)
        if m and len(m.group("p").split()) <= 6 and re.search(r"[^\W\d_]", m.group("p")):
            signed = m.group("p").strip()
            parts = [p.strip() for p in signed.split(",")]
            if len(parts) == 2 and len(parts[1].split()) >= 2:  # `— Teodor, The Slow Cinema Letter`
                signed = parts[1]
            page.note("publisher", signed, i, "signature line at the end")
            return signed
        candidate = _clean_pub(line)
        if _publication_shaped(candidate, title, author) and i == last_line:
            page.note("publisher", candidate, i, "last line of the page")
            return candidate
        if _DOMAIN.match(line) and len(line.split()) == 1:
            page.note("publisher", line.strip(" ."), i, "site address at the end")
            return line.strip(" .")
    top = _top_masthead(page, lines, title, author)
    if top:
        return top
    nonblank = [i for i, _ in lines]
    if len(nonblank) >= 2:
        i = nonblank[1]
        candidate = _clean_pub(_MASTHEAD_SPLIT.split(page.lines[i].strip().strip("*_"))[0])
        if page.kinds[i] == "short" and _publication_shaped(candidate, title, author):
            page.note("publisher", candidate, i, "masthead under the headline")
            return candidate
    for i, line in lines:
        m = re.search(r"\b(?i:discover\s+more\s+from|published\s+in|in\s+our|for\s+the|from\s+the)\s+"
                      r"(?P<p>[A-Z][\w'’&.-]*(?:\s[A-Z][\w'’&.-]*){0,4})", line)
        if m and re.search(r"\b(?:magazine|quarterly|weekly|journal|review|times|post|news|blog|monthly|daily|"
                           r"tribune|herald|gazette|ledger|telegraph)\b", m.group("p"), re.I):
            name = m.group("p").strip(" .,")
            page.note("publisher", name, i, "'from <publication>' in the text")
            return name
    for i, line in lines:
        m = _HOUSE_VOICE.search(line)
        name = (m.group("p") or m.group("p2")).strip(" .,") if m else ""
        if name and not nm.looks_like_person(name) and name.lower() != title.lower():
            page.note("publisher", name, i, "the site speaking of itself ('the X seal of approval', 'here at X')")
            return name
    for i, line in lines:
        m = re.search(rf"\b(?i:review\s+)?(?i:published|posted)\s+(?:on|in|at|to)\s+(?P<p>{_PUB_NAME})", line)
        if m and not re.match(r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|\d)",
                              m.group("p")):
            page.note("publisher", m.group("p").strip(" .:"), i, "'review published on …'")
            return m.group("p").strip(" .:")
    for i, line in lines:
        m = re.search(r"\breview(?:ed)?\s+by\s+[^,]+?\s+for\s+(?P<p>[A-Z][\w.&'’ -]{2,40})", line)
        if m:
            page.note("publisher", m.group("p").strip(" ."), i, "'review by … for …'")
            return m.group("p").strip(" .")
    for i, line in lines:
        m = _DOMAIN.search(line) if line.startswith(("http://", "https://", "www.")) else None
        if m:
            page.note("publisher", m.group("d"), i, "the page's address")
            return m.group("d")
    return None


def _top_masthead(page: Page, lines: list[tuple[int, str]], title: str, author: str | None) -> str | None:
    """The site's name at the very top: an e-mail's sender, or the first segment of a first line that is
    not the headline (`THE NORTHGATE COURIER · Arts & Weekend`, `The Dread Index > Lists > …`)."""
    for i, line in lines[:6]:
        m = _MAIL_FROM.match(line)
        if m and _publication_shaped(m.group("p").strip(" \"'"), title, author):
            name = m.group("p").strip(" \"'")
            page.note("publisher", name, i, "the sender of an e-mail newsletter")
            return name
    if not lines:
        return None
    i, line = lines[0]
    segments = [s for s in _MASTHEAD_SPLIT.split(line) if s.strip()]
    if not segments or find_title(title, segments[0]):
        return None  # the first line is the headline
    if len(segments) < 2 and not (line.isupper() and len(line.split()) <= 4):
        return None
    candidate = _clean_pub(segments[0])
    if candidate.isupper() and len(candidate) > 4 and not _DOMAIN.match(candidate):
        candidate = nm.title_case_title(candidate)
    if _publication_shaped(candidate, title, author):
        page.note("publisher", candidate, i, "site name at the top of the page")
        return candidate
    return None


def _publication_shaped(text: str, title: str, author: str | None) -> bool:
    """A short name line that is not the title, the author, a date, a caption or a sentence."""
    if not text or len(text.split()) > 6 or len(text) > 50:
        return False
    named = text[0].isupper() or text[0].isdigit() or _DOMAIN.match(text) or re.match(r"^[a-z]+[A-Z]", text)
    if not named and not re.fullmatch(r"[a-z0-9.\-]+", text):
        return False
    low = text.lower()
    key_title = re.sub(r"\W+", "", title.lower())
    if key_title and key_title in re.sub(r"\W+", "", low):
        return False
    if author and author.lower() == low:
        return False
    if _DATE_LIKE.search(text) or re.search(r"[.!?]\s|\(|\)|\d/\d|★|\*", text):
        return False
    if re.match(r"^(?:by|rated|rating|posted|review|words|photo|credit|image|directed|starring|with|stills?|"
                r"courtesy|pictures?|issue|vol|volume|episode|page|no)\b", low) or re.search(r":\s", text):
        return False
    small = {"a", "an", "the", "and", "of", "on", "in", "for", "at", "&", "to"}
    if not _DOMAIN.match(text) and any(w[:1].islower() and w not in small and not re.match(r"^[a-z]+[A-Z]", w)
                                       for w in text.split()[1:]):
        return False
    return not re.search(r"\b(?:in|as|and|of)\s+[A-Z]", text) or len(text.split()) <= 3
