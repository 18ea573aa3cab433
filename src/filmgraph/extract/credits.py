"""Structured credits, in every shape real pages print them.

`Label: value` lines (glued, abbreviated `D:`/`W:`/`DP:`, value on the next line, several labels glued in one
line), a parenthesised credits block (`(director/writer: …; cast: A (Role), …; Runtime: 129; …)`), a credit
sentence (`2013-South Korea. 126 min. Directed by … Cast: …`), `Name ... Role` tables, `Character Actor`
tables under a `Cast` heading and unlabelled `Actor (Character), …` lines.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from filmgraph.extract import names as nm
from filmgraph.extract.labels import LabelHit, looks_like_name_list, match_label, parse_label_lines
from filmgraph.extract.page import Page
from filmgraph.extract.titles import YEAR, certificate_of, split_parenthetical
from filmgraph.extract.values import (
    language_code,
    parse_content_rating,
    parse_countries,
    parse_date,
    parse_languages,
    parse_runtime,
)
from filmgraph.link.naming import match_key

CREW_WORDS = {
    "cinematographer": "cinematographer", "cinematography": "cinematographer", "director of photography":
    "cinematographer", "dp": "cinematographer", "camera": "cinematographer", "composer": "composer",
    "music": "composer", "music by": "composer", "mus": "composer", "original music": "composer",
    "editor": "editor", "edited by": "editor", "editing": "editor", "ed": "editor",
    "producer": "producer", "producers": "producer", "produced by": "producer", "prod": "producer",
    "production design": "production designer", "production designer": "production designer",
    "pd": "production designer", "costume design": "costume designer", "cos": "costume designer",
    "costumes": "costume designer",
}
NOT_CHARACTERS = frozenset({"additional voices", "voice", "voices", "uncredited", "cameo", "extra", "extras",
                            "himself", "herself", "themselves", "self", "narrator (voice)"})
_GLUED_LABEL = re.compile(r"(?<=[A-Za-z0-9.)])(?=[A-Z][a-z]+(?:\s[a-z]+){0,2}:\s)")
_DOTS_ROW = re.compile(r"^(?P<a>[^.]+?)\s+\.{2,}\s*(?P<b>.*)$")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_STORY_BY = re.compile(r"^(?:from|based\s+on)\s+(?:a|an|the)?\s*(?:original\s+)?(?:story|novel|book|comic|"
                       r"manga|play|graphic\s+novel)\s+by\s+", re.I)
_CREDIT_SEGMENT = re.compile(r"(?<=[a-z0-9)”\"’])\.\s+(?=[A-Z0-9])|…\s*")
#: What `split_items` looks at: a bracket, or a separator (counted only outside brackets).
_ITEM_MARK = re.compile(r"[()\[\],;\n…]| and | & ")
_LEADING_AND = re.compile(r"^\s*(?:and|&)\s+")
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
_SPACES = re.compile(r"\s+")
_PLAYED_BY = re.compile(r"^(?P<c>.+?)\s*\(\s*(?:played|portrayed|voiced)\s+by\s+(?P<a>[^)]+)\)$", re.I)
_NAME_PARENTHESIS = re.compile(r"^(?P<a>[^()]+?)\s*\((?P<b>[^()]*)\)$")
_NAME_AS_NAME = re.compile(r"^(?P<a>.+?)\s+(?:as|\.{2,}|–|—|-)\s+(?P<b>.+)$")
_SPACED_DOTS = re.compile(r"\s\.{2,}\s")
_DOTS_AFTER_SPACE = re.compile(r"\s\.{2,}")
_CHARACTER_WORD = re.compile(r"\bcharacters?\b", re.I)
_YEAR_BLOCK = re.compile(rf"^\(\s*{YEAR}\s*,")
_DASHES_START = re.compile(r"^[-–—\s]+")
_AUTHOR_END = re.compile(r"\s*[|,–—•]\s*|\s+-\s+|\s+for\s+|\s+on\s+")


@dataclass
class Credit:
    """One cast credit as printed, with its line and cue."""

    actor: str
    character: str | None
    line: int
    cue: str


@dataclass
class Credits:
    """Everything the structured parts of a page say."""

    title: str | None = None
    title_line: int = -1
    year: int | None = None
    original_title: str | None = None
    original_title_lang: str | None = None
    directors: list[tuple[str, int, str]] = field(default_factory=list)
    writers: list[tuple[str, int, str]] = field(default_factory=list)
    cast: list[Credit] = field(default_factory=list)
    crew: list[tuple[str, str, int]] = field(default_factory=list)
    runtime: int | None = None
    genres: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    content_rating: str | None = None
    release_date: str | None = None
    rating_text: tuple[str, int] | None = None
    author: str | None = None
    date_published: str | None = None
    publisher: str | None = None
    url: str | None = None
    summary: str | None = None
    taglines: list[str] = field(default_factory=list)
    prose_labels: list[int] = field(default_factory=list)


def split_items(value: str) -> list[str]:
    """Split a credit list on commas, semicolons, slashes and a final `and`, never inside brackets."""
    items: list[str] = []
    depth = 0
    start = 0
    for m in _ITEM_MARK.finditer(value):
        mark = m.group(0)
        if mark in {"(", "["}:
            depth += 1
        elif mark in {")", "]"}:
            depth = max(0, depth - 1)
        elif depth == 0:
            items.append(value[start:m.start()])
            start = m.end()
    items.append(value[start:])
    out = []
    for item in items:
        item = _LEADING_AND.sub("", item.strip())
        if item:
            out.append(item)
    return out


def person_names(value: str) -> list[str]:
    """The people named in a director/writer value (`Hwang Jo-yun, …, from a story by Garon Tsuchiya`)."""
    value = _BRACKETS.sub("", value)
    out: list[str] = []
    for item in split_items(value):
        item = _STORY_BY.sub("", item.strip())
        item = _TRAILING_PARENTHESIS.sub("", item)
        item = nm.family_case(nm.clean(item))
        if nm.looks_like_person(item, single_ok=True) and item not in out:
            out.append(item)
    return out


def parse_cast_item(item: str, *, character_first: bool = False) -> tuple[str, str | None] | None:
    """(`Actor`, `Character`) from `A (B)`, `A as B`, `A – B`, `A ... B`, `B (played by A)` or `A`."""
    item = _SPACES.sub(" ", item).strip(" .")
    m = _PLAYED_BY.match(item)
    if m:
        return nm.clean(m.group("a")), nm.clean(m.group("c"))
    m = _NAME_PARENTHESIS.match(item)
    if m:
        a, b = nm.clean(m.group("a")), nm.clean(m.group("b"))
        if not b:
            return a, None
        return (b, a) if character_first else (a, b)
    m = _NAME_AS_NAME.match(item)
    if m:
        a, b = nm.clean(m.group("a")), nm.clean(m.group("b"))
        return (b, a) if character_first else (a, b)
    return nm.clean(item), None


@functools.lru_cache(maxsize=512)
def _label_start(label: str) -> re.Pattern[str]:
    """A line that opens with `label` and a colon: a label line even inside prose."""
    return re.compile(rf"^\W*{re.escape(label)}\s*[:»]", re.I)


def _name_ok(name: str) -> bool:
    return nm.looks_like_person(nm.family_case(name), single_ok=True) and len(name) <= 40


class CreditReader:
    """Reads the structured parts of one page into `Credits`, marking the lines it used."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.credits = Credits()

    # -- entry point -----------------------------------------------------------------------------
    def read(self) -> Credits:
        page = self.page
        lines = [self._unglue(line) for line in page.lines]
        hits = parse_label_lines(["" if page.kinds[i] == "furniture" else line for i, line in enumerate(lines)])
        for hit in hits:
            short = len(page.lines[hit.line_no].split()) < 25
            dated = hit.glued or (hit.field in {"date_published", "author"} and short)
            listed = hit.field == "cast" and looks_like_name_list(hit.value)
            if page.kinds[hit.line_no] == "prose" and not dated and not listed and not _label_start(
                    hit.label).match(page.lines[hit.line_no].strip()):
                continue
            for part in self._split_multi(hit):
                self._apply(part)
        for i, line in enumerate(page.lines):
            if page.kinds[i] in {"furniture", "label"} or not line.strip():
                continue
            stripped = line.strip()
            j = i
            while stripped.startswith("(") and stripped.count("(") > stripped.count(")") and j + 1 < len(
                    page.lines) and page.lines[j + 1].strip() and j < i + 6:
                j += 1
                stripped += " " + page.lines[j].strip()
            if j > i:
                page.mark(range(i + 1, j + 1), "label")
            if (stripped.startswith("(") and stripped.endswith(")") and ":" in stripped) or _YEAR_BLOCK.match(
                    stripped):
                self._block(stripped[1:-1], i, ";" if ";" in stripped else ",")
            elif page.kinds[i] == "prose" and len(_CREDIT_SEGMENT.split(stripped)) >= 3 and sum(
                    1 for seg in _CREDIT_SEGMENT.split(stripped) if match_label(seg.strip())) >= 2:
                self._sentence_block(stripped, i)
        self._tables()
        self._unlabelled_lists()
        return self.credits

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _unglue(line: str) -> str:
        """`Korean +subtitlesColourTheatrical distributor: X` -> labels on their own (tab-separated)."""
        return _GLUED_LABEL.sub("\t", line) if line.count(":") >= 2 else line

    def _split_multi(self, hit: LabelHit) -> list[LabelHit]:
        if "\t" not in hit.value:
            return [hit]
        first, *rest = hit.value.split("\t")
        out = [LabelHit(hit.field, hit.label, first.strip(), hit.line_no, hit.owner, hit.glued, hit.lines)]
        for chunk in rest:
            sub = match_label(chunk.strip())
            if sub is not None:
                sub.line_no, sub.lines = hit.line_no, [hit.line_no]
                out.append(sub)
        return out

    def _mark(self, hit: LabelHit, kind: str = "label") -> None:
        self.page.mark(hit.lines, kind)

    def _block(self, inner: str, line: int, sep: str) -> None:
        self.page.mark([line], "label")
        for segment in inner.split(sep):
            segment = segment.strip()
            if not segment:
                continue
            hit = match_label(segment)
            if hit is not None:
                hit.line_no, hit.lines = line, [line]
                self._apply(hit)
            else:
                self._loose_segment(segment, line)

    def _sentence_block(self, text: str, line: int) -> None:
        self.page.mark([line], "label")
        segments = _CREDIT_SEGMENT.split(text)
        current: LabelHit | None = None
        for segment in segments:
            segment = segment.strip().rstrip(".")
            if not segment:
                continue
            hit = match_label(segment)
            if hit is not None:
                hit.line_no, hit.lines = line, [line]
                if current is not None:
                    self._apply(current)
                current = hit
            elif current is not None and current.field == "cast":
                current.value += ", " + segment
            else:
                if current is not None:
                    self._apply(current)
                    current = None
                self._loose_segment(segment, line)
        if current is not None:
            self._apply(current)

    def _loose_segment(self, segment: str, line: int) -> None:
        """An unlabelled piece of a credits block: a year, a runtime, `dir. X`, a country."""
        c = self.credits
        m = re.match(rf"^(?P<y>{YEAR})\b(?:\s*[-–,]\s*(?P<rest>.*))?$", segment)
        if m:
            c.year = c.year or int(m.group("y"))
            self.page.note("year", m.group("y"), line, "year in the credits block")
            rest = m.group("rest") or ""
            countries = parse_countries(re.sub(r"\bS\.\s*Korea\b", "South Korea", rest.split("-")[0]))
            for code in countries:
                if code not in c.countries:
                    c.countries.append(code)
            langs = re.search(r"\bin\s+([A-Z][a-z]+)", rest)
            if langs:
                for code in parse_languages(langs.group(1)):
                    if code not in c.languages:
                        c.languages.append(code)
            return
        minutes = parse_runtime(segment) if re.search(r"\d\s*(?:min|hr|hour|h\b)", segment, re.I) else None
        if minutes and c.runtime is None:
            c.runtime = minutes
            self.page.note("runtime", minutes, line, "runtime in the credits block")
            return
        m = re.match(r"^dir(?:ected\s+by|\.)?\s+(?P<n>.+)$", segment, re.I)
        if m:
            for name in person_names(m.group("n")):
                self._add("directors", name, line, "dir. in the credits block")

    def _add(self, role: str, name: str, line: int, cue: str) -> None:
        target = self.credits.directors if role == "directors" else self.credits.writers
        if all(match_key(n) != match_key(name) for n, _, _ in target):
            target.append((name, line, cue))
            self.page.note(role[:-1], name, line, cue)

    # -- one label -------------------------------------------------------------------------------
    def _apply(self, hit: LabelHit) -> None:
        c = self.credits
        value = hit.value.strip()
        line = hit.line_no
        kind = hit.field
        label = hit.label
        if kind == "other" and label in CREW_WORDS:
            for name in person_names(value):
                c.crew.append((CREW_WORDS[label], name, line))
                self.page.note("crew", f"{name} ({CREW_WORDS[label]})", line, f"label '{label}'")
            self._mark(hit)
            return
        if kind in {"other"}:
            if label in {"synopsis", "plot", "storyline", "trivia"}:
                if label != "trivia":
                    c.summary = c.summary or value
                    c.prose_labels.append(line)
                else:
                    self._mark(hit, "furniture")
                return
            self._mark(hit, "caption" if label in {"credit", "photo", "photo credit", "image", "picture",
                                                   "caption", "photograph"} else "label")
            return
        if not value and kind not in {"cast", "directors", "writers"}:
            self._mark(hit)
            return
        if kind == "title":
            title, year, original, _cert = split_parenthetical(value.split("\n")[0])
            if title and c.title is None:
                c.title, c.title_line = title, line
                self.page.note("title", title, line, f"label '{label}'")
            c.year = c.year or year
            c.original_title = c.original_title or original
            self._mark(hit)
        elif kind == "original_title":
            first = value.split("\n")[0].strip()
            lang = None
            m = re.match(r"^(?P<t>.+?)\s*(?:\(\s*)?\bin\s+(?P<l>[A-Z][a-z]+)\s*\)?\.?$", first) or re.match(
                r"^(?P<t>.+?)\s*[(\[](?P<l>[A-Z][a-z]+)[)\]]$", first)
            if m and language_code(m.group("l")):
                first, lang = m.group("t"), language_code(m.group("l"))
            romanised = re.match(r"^(?P<t>[^\x00-\u024f(]+?)\s*\((?P<r>[A-Za-z][^()]*)\)$", first)
            if romanised:  # `곡성 (Goksung)`: the title in its script, its romanisation beside it
                first = romanised.group("t")
            if c.original_title is None:
                c.original_title, c.original_title_lang = first.strip(" \"“”‘’'"), lang
            self._mark(hit)
        elif kind == "year":
            m = re.search(YEAR, value)
            if m:
                c.year = c.year or int(m.group(0))
                self._mark(hit)
        elif kind == "release_date":
            date = parse_date(value)
            if date:
                c.release_date = c.release_date or date
                self.page.note("release date", date, line, f"label '{label}'")
            self._mark(hit)
        elif kind == "runtime":
            minutes = parse_runtime(value.split("\n")[0])
            if minutes is None and re.fullmatch(r"\s*\d{2,3}\s*", value):
                minutes = int(value)
            if minutes:
                c.runtime = c.runtime or minutes
                self.page.note("runtime", minutes, line, f"label '{label}'")
            self._mark(hit)
        elif kind == "genres":
            for g in re.split(r"\s*[,/|;]\s*", value.replace("\n", ",")):
                g = g.strip(" .")
                if g and len(g.split()) <= 3 and g not in c.genres:
                    c.genres.append(g)
            self._mark(hit)
        elif kind == "content_rating" or kind == "rating":
            self._rating_or_certificate(hit)
        elif kind in {"directors", "writers", "writer_director"}:
            first, *more = value.split("\n")
            found = person_names(first) + [n for part in more for n in person_names(part) if len(n.split()) >= 2]
            for name in found:
                if kind in {"directors", "writer_director"}:
                    self._add("directors", name, line, f"label '{label}'")
                if kind in {"writers", "writer_director"}:
                    self._add("writers", name, line, f"label '{label}'")
            self._mark(hit)
        elif kind in {"cast", "characters"}:
            self._cast_value(value, hit)
        elif kind == "languages":
            for code in parse_languages(re.sub(r"\s+(?:with|\+).*$", "", value.split("\n")[0])):
                if code not in c.languages:
                    c.languages.append(code)
            self._mark(hit)
        elif kind == "countries":
            for code in parse_countries(value.replace("\n", ",")):
                if code not in c.countries:
                    c.countries.append(code)
            self._mark(hit)
        elif kind == "author":
            author = _AUTHOR_END.split(_DASHES_START.sub("", value))[0]
            author = nm.clean(author)
            date = parse_date(value)
            if nm.looks_like_person(author):
                c.author = c.author or author
                self.page.note("author", author, line, f"label '{label}'")
            if date:
                c.date_published = c.date_published or date
            m = re.search(r"\bfor\s+(?P<p>[A-Z][\w.&'’ -]{2,40})$", value)
            if m:
                c.publisher = c.publisher or m.group("p").strip(" .")
            self._mark(hit, "byline")
        elif kind == "date_published":
            date = parse_date(value)
            if date:
                c.date_published = c.date_published or date
            self._mark(hit, "byline")
        elif kind == "publisher":
            c.publisher = c.publisher or value.split("\n")[0].strip(" .")
            self._mark(hit)
        elif kind == "url":
            if re.match(r"https?://\S+$", value):
                c.url = value
            self._mark(hit)
        elif kind in {"summary", "verdict"}:
            grade = re.match(r"^(?P<g>[A-F][+-]?)(?=\s|$|[(:–—])", value)
            if kind == "verdict" and c.rating_text is None and (grade or re.match(r"^[\d★⭐*]", value)):
                lead = re.match(r"^[\d★⭐☆*½./ ]+(?:\s*(?:out\s+of\s+\d+|stars?))?", value)
                c.rating_text = (grade.group("g") if grade else (lead.group(0) if lead else value).strip(), line)
                rest = re.sub(r"^[\s★⭐☆*½\d./]+(?:out\s+of\s+\d+|stars?)?[\s:–—-]*|^[A-F][+-]?\s*[:–—-]?\s*", "",
                              value.split("\n")[0])
                value = rest.strip(" ()")
                self._mark(hit)
            if value and len(value.split()) >= 3:
                c.summary = c.summary or value
            if kind == "summary":
                c.prose_labels.append(line)
        elif kind == "taglines":
            c.taglines.extend(v for v in hit.values if v not in c.taglines)
            self._mark(hit)
        elif kind == "franchise":
            self._mark(hit)

    def _rating_or_certificate(self, hit: LabelHit) -> None:
        c = self.credits
        value = hit.value.strip().split("\n")[0]
        owner = (hit.owner or "").lower()
        self._mark(hit)
        if owner in {"imdb", "user", "users", "audience", "readers", "reader", "critics", "metascore"} or re.search(
                r"\bvotes?\b", value, re.I):
            return
        cert = certificate_of(f"rating: {value}") if not re.match(r"^\d+(?:\.\d+)?\s*(?:/|out|$|stars?|\w+s$)",
                                                                    value) else None
        if cert is None and hit.field == "content_rating":
            if re.fullmatch(r"\d+\.\d+", value) or re.fullmatch(r"[★*⭐½]+", value):
                cert = None
            else:
                cert = parse_content_rating(value)
        if cert:
            c.content_rating = c.content_rating or cert
            self.page.note("content rating", cert, hit.line_no, f"label '{hit.label}'")
            return
        if value and c.rating_text is None:
            c.rating_text = (value, hit.line_no)

    def _cast_value(self, value: str, hit: LabelHit) -> None:
        character_first = hit.field == "characters"
        lines = value.split("\n")
        taken = False
        for offset, part in enumerate(lines):
            line = hit.lines[offset] if offset < len(hit.lines) else hit.line_no
            if match_label(part) is not None:
                continue
            row = _DOTS_ROW.match(part)
            items = [part] if row else split_items(part)
            for item in items:
                if _SPACED_DOTS.search(item):
                    self._dots_row(item, line)
                    taken = True
                    continue
                parsed = parse_cast_item(item, character_first=character_first)
                if parsed is None:
                    continue
                actor, character = parsed
                actor = nm.family_case(actor)
                if character is None and len(actor.split()) >= 4:
                    two = split_two_names(actor)
                    if two is not None:
                        character, actor = two
                if _CHARACTER_WORD.search(actor):
                    continue
                if not _name_ok(actor) and character and _name_ok(character):
                    actor, character = character, actor
                if not _name_ok(actor):
                    two = split_two_names(item)
                    if two is None:
                        continue
                    character, actor = two
                self.credits.cast.append(Credit(actor, character or None, line, f"label '{hit.label}'"))
                taken = True
        if taken or not value:
            self._mark(hit)

    def _dots_row(self, text: str, line: int) -> None:
        m = _DOTS_ROW.match(text.strip())
        if not m:
            return
        left, role = m.group("a").strip(), m.group("b").strip()
        bare = role.strip("() ").lower()
        self.page.mark([line], "label")
        if bare in {"director", "directors"}:
            for name in person_names(left):
                self._add("directors", name, line, "'Name ... (Director)' row")
            return
        if bare in {"writer", "writers", "screenplay", "written by"}:
            for name in person_names(left):
                self._add("writers", name, line, "'Name ... (Writer)' row")
            return
        if bare in CREW_WORDS:
            for name in person_names(left):
                self.credits.crew.append((CREW_WORDS[bare], name, line))
            return
        names = person_names(left)
        if len(names) != 1:
            return
        character: str | None = None
        if role and bare not in NOT_CHARACTERS:
            character = re.split(r"\s+(?=[a-z])", role, maxsplit=1)[0].strip(" ,.")
            if not character or not character[0].isupper():
                character = None
        self.credits.cast.append(Credit(names[0], character, line, "'Name ... Role' row"))

    # -- tables and lists without labels ---------------------------------------------------------
    def _tables(self) -> None:
        page = self.page
        for i, line in enumerate(page.lines):
            if page.kinds[i] in {"furniture", "prose", "label"}:
                continue
            if _DOTS_ROW.match(line.strip()) and _DOTS_AFTER_SPACE.search(line):
                self._dots_row(line, i)

    def _unlabelled_lists(self) -> None:
        """A line that is nothing but `Actor (Character), Actor (Character), …` is a cast list."""
        page = self.page
        for i, line in enumerate(page.lines):
            if page.kinds[i] in {"furniture", "label", "byline", "caption"} or not line.strip():
                continue
            items = split_items(line.strip().rstrip("."))
            pairs = [parse_cast_item(it) for it in items]
            good = [p for p in pairs if p and p[1] and _name_ok(p[0]) and len(p[1].split()) <= 6]
            if len(items) >= 3 and len(good) >= len(items) - 1 and len(good) >= 3:
                for actor, character in good:
                    self.credits.cast.append(Credit(nm.family_case(actor), character, i,
                                                    "unlabelled 'Actor (Character)' list"))
                page.mark([i], "label")



def split_two_names(text: str) -> tuple[str, str] | None:
    """`Detective Park Doo-man Song Kang-ho` -> (`Detective Park Doo-man`, `Song Kang-ho`): two names glued."""
    parts = text.split()
    if len(parts) < 4 or not all(p[0].isupper() for p in parts):
        return None
    right = " ".join(parts[-2:])
    left = " ".join(parts[:-2])
    if nm.looks_like_person(right):
        return left, right
    return None
