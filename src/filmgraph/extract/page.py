"""A review page cut into its parts before any fact is read: headline, label lines, prose, furniture.

Every fact a reader finds is a `Fact` that keeps the line of the page it came from and the cue that
produced it, so `filmgraph validate PAGE --explain` can show why a name became an actor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: Lines that belong to the site around the review, not to the review (share bars, widgets, embeds).
_FURNITURE = re.compile(
    r"^(?:read\s+more|recommended(?:\s+(?:videos?|read(?:ing)?|for\s+you))?|related(?:\s+(?:posts?|articles?))?|"
    r"view\s+this\s+post\s+on\s+\w+|a\s+post\s+shared\s+by|share(?:\s+this)?|tweet|email|print|"
    r"comments?(?!\s*:\s*\S+(?:\s+\S+){4})|"
    r"leave\s+a\s+(?:reply|comment)|what\s+do\s+you\s+think\??|got\s+something\s+to\s+say\??|subscribe|"
    r"sign\s+up|advertisement|continue\s+reading|scroll\s+to\s+top|discover\s+more|see\s+more|show\s+more|"
    r"additional\s+images|image\s+cover|user\s+reviews?|vote\s+count|tags?\s*:|filed\s+under|"
    r"post\s+(?:category|last\s+modified)|home(?=\s*»)|trailer)\b", re.I)


@dataclass(frozen=True)
class Fact:
    """One thing a page says, where it says it, and the cue that made the reader take it."""

    field: str
    value: str
    line: int  # 1-based line of the page
    cue: str


@dataclass
class Paragraph:
    """Consecutive page lines read as one unit (a wrapped paragraph or a single line)."""

    text: str
    first_line: int  # 0-based
    offsets: list[tuple[int, int]]  # (offset in text, 0-based page line)

    def line_at(self, offset: int) -> int:
        """The 0-based page line of a character offset in `text`."""
        line = self.first_line
        for start, no in self.offsets:
            if start > offset:
                break
            line = no
        return line


@dataclass
class Page:
    """The lines of one page and what each line was read as."""

    source: str
    lines: list[str]
    kinds: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def note(self, field_name: str, value: object, line: int, cue: str) -> None:
        """Record a fact found on 0-based `line`."""
        self.facts.append(Fact(field_name, str(value), line + 1, cue))

    def nonblank(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line.strip()]

    def mark(self, lines: list[int] | range, kind: str) -> None:
        for i in lines:
            if 0 <= i < len(self.kinds):
                self.kinds[i] = kind

    def paragraphs(self, kinds: frozenset[str] = frozenset({"prose"})) -> list[Paragraph]:
        """Runs of lines of the given kinds; a hard-wrapped prose paragraph becomes one unit."""
        out: list[Paragraph] = []
        current: Paragraph | None = None
        for i, line in enumerate(self.lines):
            if self.kinds[i] not in kinds or not line.strip():
                current = None
                continue
            bullet = _BULLET_ITEM.match(line)  # `- Bryan Cranston as Joe Brody, …`: every item its own paragraph
            joins = not bullet and ((current is not None and len(self.lines[i - 1]) >= 60 and not re.search(
                r"[.!?:”\"’)]$", self.lines[i - 1].rstrip())) or (
                current is not None and len(self.lines[i - 1]) >= 95))
            text = line[bullet.end():].strip() if bullet else line.strip()
            if current is not None and joins:
                current.offsets.append((len(current.text) + 1, i))
                current.text += " " + text
            else:
                current = Paragraph(text, i, [(0, i)])
                out.append(current)
        return out


def normalise_text(text: str) -> str:
    """NFC, `\\n` newlines, no-break and zero-width spaces replaced, trailing space stripped per line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u200b", "").replace("\ufeff", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


_BULLET_ITEM = re.compile(r"^\s*(?:[-*•·▪►]|\d{1,2}[.)])\s+(?=\S)")
_RULE = re.compile(r"^[\s\-–—_=~•·#+|/\\\u2500-\u257f]+$")  # a drawn line (stars are a rating)
_FURNITURE_LEAD = re.compile(r"^[\s•·*\-–—|>]+")
_THREE_WORDS = re.compile(r"[a-z][a-z,;]*\s+[a-z]+\s+[a-z]+")
_SENTENCE_CLOSE = re.compile(r"[.!?…”\"]$")


def is_furniture(line: str) -> bool:
    """A line of site furniture: share bars, embeds, widgets, 'Read more', a drawn rule."""
    if _RULE.match(line):
        return True
    text = _FURNITURE_LEAD.sub("", line.strip())
    return bool(_FURNITURE.match(text))


def is_prose(line: str) -> bool:
    """A line of running text: a sentence or more of ordinary words."""
    text = line.strip()
    words = text.split()
    if len(words) >= 14:
        return True
    return len(words) >= 7 and bool(_THREE_WORDS.search(text)) and bool(_SENTENCE_CLOSE.search(text))


#: Front-matter keys a blog engine writes, as the label the reader knows (None: the post's headline).
_FRONT_MATTER_KEYS: dict[str, str | None] = {
    "title": None, "author": "Author", "date": "Date", "rating": "Rating", "score": "Rating", "film_year": "Year",
    "year": "Year", "director": "Director", "starring": "Starring", "cast": "Cast", "runtime": "Runtime",
    "publication": "Publication", "site": "Site", "film": "Film", "film_title": "Film", "movie": "Film",
}


def unwrap_front_matter(lines: list[str]) -> list[str]:
    """A `---` block of `key: value` lines opening a Markdown page (Jekyll, Hugo): the post's title becomes its
    headline and known keys their labels; other keys and the fences become blank lines (line numbers hold)."""
    if not lines or lines[0].strip() != "---":
        return lines
    end = next((i for i in range(1, min(len(lines), 60)) if lines[i].strip() in {"---", "..."}), None)
    if end is None:
        return lines
    out = list(lines)
    out[0] = out[end] = ""
    for i in range(1, end):
        m = re.match(r"^\s*(?P<k>[\w-]+)\s*:\s*(?P<v>.*?)\s*$", lines[i])
        key = m.group("k").lower() if m else ""
        value = m.group("v").strip("\"'") if m else ""
        if not m or key not in _FRONT_MATTER_KEYS or not value or value.startswith("["):
            out[i] = ""
        else:
            label = _FRONT_MATTER_KEYS[key]
            out[i] = value if label is None else f"{label}: {value}"
    headline = next((i for i in range(1, end) if lines[i].lower().lstrip().startswith("title:")), None)
    if headline is not None:  # the headline first, as on the rendered page
        out.insert(0, out.pop(headline))
    return out


#: `[00:52:38] OWEN:` opening a transcript's line: the time and the speaker, not the words.
_TRANSCRIPT_CUE = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?\s+"
                             r"(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}\s*:\s+)?")
_SUBTITLE_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*$")


def segment(text: str, source: str) -> Page:
    """Cut a page into lines and give each line a first kind: blank, furniture, prose or short."""
    lines = unwrap_front_matter(normalise_text(text).split("\n"))
    lines = ["" if _SUBTITLE_TIMING.match(line) else _TRANSCRIPT_CUE.sub("", line) for line in lines]
    page = Page(source, lines, ["blank"] * len(lines))
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if is_furniture(line):
            page.kinds[i] = "furniture"
        elif is_prose(line):
            page.kinds[i] = "prose"
        else:
            page.kinds[i] = "short"
    return page
