"""Find every spelling of a name that a text uses (`Jeon Jong-Seo`, `Jeon Jong-seo`; `Min-hee`, `Minhee`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from .naming import clean_text, match_key

_PARTS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013]+")
#: Between two parts of a name: a space, a hyphen or nothing. The text searched is `clean_text`'s, in which
#: every dash is a hyphen, so the other dashes need no place here (a set of them costs a lot to compile).
_JOINER = r"[ \-]?"


@functools.lru_cache(maxsize=4096)
def _pattern(name: str) -> re.Pattern[str] | None:
    """The pattern of a name's spellings (kept: compiling it cost more than the search, and names recur)."""
    parts = [p for p in _PARTS.split(clean_text(name)) if p]
    if not parts:
        return None
    body = _JOINER.join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.IGNORECASE)


def find_spellings(text: str, names: Iterable[str]) -> dict[str, set[str]]:
    """For each name's match key, the distinct spellings of it found in `text`."""
    text = clean_text(text) if "\n" not in text else "\n".join(clean_text(line) for line in text.splitlines())
    found: dict[str, set[str]] = {}
    for name in names:
        key = match_key(name)
        pattern = _pattern(name)
        if not key or pattern is None or key in found:
            continue
        spellings = {m.group(0) for m in pattern.finditer(text)}
        found[key] = {s for s in spellings if match_key(s) == key}
    return found
