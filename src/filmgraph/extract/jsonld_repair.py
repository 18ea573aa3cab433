"""Lenient parsing of JSON-LD blocks found in web pages.

Real pages carry JSON that `json.loads` refuses: IMDb's title pages have had unescaped double quotes inside
string values (`"name": "The "Dark" Knight"`), others wrap the block in HTML comments or CDATA markers, end
it with a semicolon, leave trailing commas, or put raw line breaks inside strings.

`parse_jsonld` tries, in order: plain `json.loads`; the same after removing wrappers and allowing raw control
characters; and finally `repair_json`, a small state machine that walks the text once, tracking whether it
is inside a string and whether that string is an object key, an object value or an array element. A double
quote inside a string closes it only when what follows can follow a complete string in that position (`:`
after a key; `,` + next key + `:`, or `}` after an object value; `,` + a value, or `]` in an array; the end
of the text at the top level). Any other quote is escaped. Valid JSON passes through `repair_json` unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["parse_jsonld", "repair_json", "strip_wrappers"]

_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")

# What may follow the closing quote of a string, by position of the string.
_AFTER_KEY = re.compile(r"\s*:")
_AFTER_OBJECT_VALUE = re.compile(r'\s*(?:\}|,\s*"(?:[^"\\\n]|\\.)*"\s*:|,\s*\}|$)')
_AFTER_ARRAY_ITEM = re.compile(r'\s*(?:\]|,\s*(?:["{\[\]\-0-9]|true\b|false\b|null\b)|$)')
_AFTER_TOP = re.compile(r"\s*;?\s*$")

_ESCAPABLE = set('"\\/bfnrtu')
_CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def strip_wrappers(text: str) -> str:
    """Remove HTML comment / CDATA markers around a script's JSON and a trailing semicolon or comma."""
    text = text.strip()
    previous = None
    while previous != text:
        previous = text
        text = _WRAPPERS.sub("", text).strip()
        if text.endswith((";", ",")):
            text = text[:-1].rstrip()
    return text


def _closes_string(text: str, pos: int, stack: list[str], is_key: bool) -> bool:
    """Whether a quote at `pos - 1` can end the current string, judged by what follows it."""
    if is_key:
        return _AFTER_KEY.match(text, pos) is not None
    if not stack:
        return _AFTER_TOP.match(text, pos) is not None
    pattern = _AFTER_OBJECT_VALUE if stack[-1] == "{" else _AFTER_ARRAY_ITEM
    return pattern.match(text, pos) is not None


def repair_json(text: str) -> str:
    """Escape stray quotes, bad backslashes and raw control characters inside strings; drop trailing commas.

    Returns the text unchanged when it is valid JSON. The result is not guaranteed to parse.
    """
    out: list[str] = []
    stack: list[str] = []
    expect_key = False
    in_string = False
    string_is_key = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if in_string:
            if ch == "\\":
                nxt = text[i + 1] if i + 1 < n else ""
                if nxt in _ESCAPABLE and nxt:
                    out.append(text[i:i + 2])
                    i += 2
                else:  # a lone backslash: keep it as a literal backslash
                    out.append("\\\\")
                    i += 1
                continue
            if ch == '"':
                if _closes_string(text, i + 1, stack, string_is_key):
                    in_string = False
                    out.append(ch)
                else:
                    out.append('\\"')
            elif ch in _CONTROL_ESCAPES:
                out.append(_CONTROL_ESCAPES[ch])
            elif ord(ch) < 0x20:
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
            i += 1
            continue
        if ch == '"':
            in_string = True
            string_is_key = bool(stack) and stack[-1] == "{" and expect_key
        elif ch == "{":
            stack.append("{")
            expect_key = True
        elif ch == "[":
            stack.append("[")
            expect_key = False
        elif ch in "}]":
            # A trailing comma before a closing bracket: drop it.
            j = len(out) - 1
            while j >= 0 and out[j] in (" ", "\n", "\r", "\t"):
                j -= 1
            if j >= 0 and out[j] == ",":
                del out[j]
            if stack:
                stack.pop()
            expect_key = False
        elif ch == ":":
            expect_key = False
        elif ch == ",":
            expect_key = bool(stack) and stack[-1] == "{"
        out.append(ch)
        i += 1
    return "".join(out)


def _error_text(exc: json.JSONDecodeError) -> str:
    return f"{exc.msg}: line {exc.lineno} column {exc.colno} (char {exc.pos})"


def parse_jsonld(text: str) -> tuple[Any | None, list[str]]:
    """Parse one JSON-LD block leniently: (value or None, notes on what was repaired or why it failed)."""
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        first_error = _error_text(exc)
    cleaned = strip_wrappers(text)
    if not cleaned:
        return None, ["empty JSON-LD block"]
    try:
        return json.loads(cleaned, strict=False), ["removed wrapper characters or allowed raw line breaks"]
    except json.JSONDecodeError:
        pass
    repaired = repair_json(cleaned)
    try:
        value = json.loads(repaired, strict=False)
    except json.JSONDecodeError as exc:
        return None, [f"invalid JSON ({first_error}); repair failed ({_error_text(exc)})"]
    return value, [f"repaired invalid JSON ({first_error})"]
