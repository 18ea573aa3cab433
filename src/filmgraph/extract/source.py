"""Reading a review file from disk: checked, decoded as UTF-8, newlines normalised, hashed."""

from __future__ import annotations

import hashlib
import logging
import pathlib
import re

from filmgraph.errors import InputError

log = logging.getLogger(__name__)

#: Share of control characters (other than tab, newline, carriage return, form feed) above which a file
#: is binary.
_BINARY_CONTROL_SHARE = 0.10
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below U+0020, but for \t \n \f \r


def read_text_file(path: str | pathlib.Path) -> tuple[str, str]:
    """Return (text, sha256 hex of the bytes) for a UTF-8 text file.

    Raises InputError naming the file when it is missing, a directory, empty or only white space, binary,
    or not valid UTF-8. A UTF-8 byte-order mark is dropped; `\\r\\n` and `\\r` become `\\n`.
    """
    p = pathlib.Path(path)
    name = str(path)
    if not p.exists():
        raise InputError("no such file", source=name)
    if p.is_dir():
        raise InputError("is a directory, not a text file", source=name)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=name) from exc
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise InputError("is empty", source=name)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"is a binary file (NUL byte at offset {nul})", source=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise InputError(
            f"is not UTF-8 (byte 0x{bad:02x} at offset {exc.start}); convert it to UTF-8 first",
            source=name,
        ) from exc
    controls = len(_CONTROL.findall(text))
    if controls > _BINARY_CONTROL_SHARE * len(text):
        raise InputError(f"looks binary ({controls} control characters in {len(text)})", source=name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("contains only white space", source=name)
    log.debug("read %s (%d characters, sha256 %s)", name, len(text), digest[:12])
    return text, digest


def file_digest(path: str | pathlib.Path) -> str:
    """sha256 hex of a file's bytes (the hash `read_text_file` reports); InputError when it cannot be read."""
    p = pathlib.Path(path)
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()
    except FileNotFoundError as exc:
        raise InputError("no such file", source=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=str(path)) from exc
