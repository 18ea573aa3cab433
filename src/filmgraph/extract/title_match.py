"""Finding a title in text without compiling a regex per title.

`title_pattern` is the definition: the title's tokens, in order and case folded, with up to three non-word
characters (or underscores) between them, not inside a longer word. Compiling that regex costs about half a
millisecond, once for every distinct candidate title a run meets (thousands in a thousand reviews), so
`find_title` finds the same matches by scanning instead whenever the scan is provably the same:

- the title is ASCII (curly apostrophes allowed), so each of its letters matches under `re.IGNORECASE` only its
  two ASCII cases and the four non-ASCII letters in `ASCII_CASE_PARTNERS`;
- the text holds none of those four, so folding the text's ASCII capitals is the whole of the case folding.

Otherwise it falls back to the regex. The scan backtracks the way the regex engine does (longest gap first),
so it returns the very spans `finditer` returns.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["ASCII_CASE_PARTNERS", "TITLE_TOKEN", "Occurrence", "find_title", "title_pattern"]

#: A title's tokens: word characters and apostrophes (the gaps between them are free punctuation).
TITLE_TOKEN = re.compile(r"[\w'’]+")
_WORD_CHAR = re.compile(r"\w")
_GAP_CHAR = re.compile(r"[\W_]")
#: Characters beyond ASCII that `re.IGNORECASE` matches to ASCII letters: long s, dotted capital I, Kelvin sign
#: and dotless i (a test checks the list against every code point).
ASCII_CASE_PARTNERS = "\u017f\u0130\u212a\u0131"
_HAS_PARTNER = re.compile(f"[{ASCII_CASE_PARTNERS}]")
_SAFE_TITLE = re.compile(r"[\x00-\x7f‘’]*")
_FOLD_ASCII = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_MAX_GAP = 3


class Occurrence(NamedTuple):
    """Where a title occurs in a text, with the `re.Match` methods callers use."""

    begin: int
    finish: int
    found: str

    def start(self) -> int:
        """Offset of the first character."""
        return self.begin

    def end(self) -> int:
        """Offset just past the last character."""
        return self.finish

    def group(self, index: int = 0) -> str:
        """The text as printed (only the whole match, group 0, exists)."""
        if index != 0:
            raise IndexError(f"an occurrence has only group 0, not {index}")
        return self.found


@functools.lru_cache(maxsize=1024)
def title_pattern(title: str) -> re.Pattern[str]:
    """A regex that finds a title in text whatever its punctuation and case (`John Wick: Chapter 4`)."""
    tokens = [re.escape(t) for t in TITLE_TOKEN.findall(title)]
    return re.compile(r"(?<![\w])" + r"[\W_]{0,3}".join(tokens) + r"(?![\w])", re.I)


def find_title(title: str, text: str) -> list[Occurrence]:
    """Every occurrence of `title` in `text`, as `title_pattern(title).finditer(text)` finds them."""
    if not _WORD_CHAR.search(title):
        return []
    folded = _folded(text) if _SAFE_TITLE.fullmatch(title) else None
    if folded is None:
        return [Occurrence(m.start(), m.end(), m.group(0)) for m in title_pattern(title).finditer(text)]
    tokens = _tokens(title)
    first, out, pos = tokens[0], [], 0
    while (i := folded.find(first, pos)) >= 0:
        end = None if i and _WORD_CHAR.match(text, i - 1) else _rest(tokens, 1, i + len(first), text, folded)
        if end is None:
            pos = i + 1
        else:
            out.append(Occurrence(i, end, text[i:end]))
            pos = end
    return out


def _rest(tokens: tuple[str, ...], k: int, at: int, text: str, folded: str) -> int | None:
    """Where a match whose tokens before `k` end at `at` ends, trying the longest gap first; None if none."""
    if k == len(tokens):
        return None if _WORD_CHAR.match(text, at) else at
    gap = 0
    while gap < _MAX_GAP and _GAP_CHAR.match(text, at + gap):
        gap += 1
    token = tokens[k]
    for width in range(gap, -1, -1):
        if folded.startswith(token, at + width):
            end = _rest(tokens, k + 1, at + width + len(token), text, folded)
            if end is not None:
                return end
    return None


@functools.lru_cache(maxsize=4096)
def _tokens(title: str) -> tuple[str, ...]:
    return tuple(t.translate(_FOLD_ASCII) for t in TITLE_TOKEN.findall(title))


@functools.lru_cache(maxsize=64)
def _folded(text: str) -> str | None:
    """The text with its ASCII capitals folded, or None if it holds a letter that folds onto ASCII."""
    return None if _HAS_PARTNER.search(text) else text.translate(_FOLD_ASCII)
