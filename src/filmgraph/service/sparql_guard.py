"""Look at a SPARQL request before it runs: its form, and what it would reach outside the store.

`inspect(text)` tokenizes the query the way a SPARQL lexer does: comments, string literals (all four quote
styles, with escapes), IRIs, variables, blank-node labels and prefixed names are single tokens, so a
keyword inside a literal (``"SERVICE"``), an IRI (``<http://x/SERVICE>``), a comment, a variable
(``?service``) or a prefixed name (``ex:from``) is never mistaken for the keyword. It reads the prologue
(``PREFIX`` / ``BASE``), so ``FROM ex:g`` and ``FROM <g>`` are resolved to full IRIs, and unescapes
``\\uXXXX`` inside IRIs as Oxigraph does. It does not validate the grammar: the store's parser does that, and its
message is what the client sees for a malformed query.

`check(inspection, ...)` raises `QueryRefused` (HTTP 400) for what the service does not do by default:

* ``SERVICE`` (a federated query would make this server call any URL a client names; pyoxigraph 0.5 really
  does send those HTTP requests), unless `allow_service`;
* ``LOAD`` (fetches a URL), unless `allow_remote_from`;
* an update sent as a query or a query sent as an update.

FROM / FROM NAMED / USING graphs are listed in `Inspection.dataset_graphs`; the executor refuses those the store
does not hold (it never dereferences a graph IRI), unless `allow_remote_from`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..errors import QueryError

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})
UPDATE_VERBS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
#: Longest query or update text accepted, in characters.
MAX_QUERY_LENGTH = 100_000

_IRIREF = re.compile(r"<((?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_VAR = re.compile(r"[?$][A-Za-z0-9_\u00B7-\uFFFF]*")
_WORD = re.compile(r"[A-Za-z0-9_:\-.%\\\u00B7-\uFFFF]+")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")


class QueryRefused(QueryError):
    """The request is valid SPARQL that this service will not run (SERVICE, LOAD, a graph outside the store)."""

    http_status = 400


class LimitExceeded(QueryError):
    """A query exceeded the result-size limit (or a request its size limit)."""

    http_status = 413

    def __init__(self, message: str, *, limit: float, source: str | None = None) -> None:
        self.limit = limit
        super().__init__(message, source=source)


class QueryTimeout(QueryError):
    """A query ran past the time limit and was stopped."""

    http_status = 503

    def __init__(self, message: str, *, limit: float, source: str | None = None) -> None:
        self.limit = limit
        super().__init__(message, source=source)


class Forbidden(QueryError):
    """The request needs a permission this server or this client does not have (updates)."""

    http_status = 403


@dataclass(frozen=True)
class Token:
    kind: str  # word | pname | iri | var | string | bnode | punct
    text: str


@dataclass
class Inspection:
    """What a query or update text is and what it names."""

    form: str | None = None  # SELECT / CONSTRUCT / ASK / DESCRIBE, or the first update verb
    is_update: bool = False
    service: list[str] = field(default_factory=list)  # endpoints named by SERVICE (or '?var')
    loads: list[str] = field(default_factory=list)  # URLs named by LOAD
    from_graphs: list[str] = field(default_factory=list)  # FROM / USING
    from_named: list[str] = field(default_factory=list)  # FROM NAMED / USING NAMED
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None

    @property
    def dataset_graphs(self) -> list[str]:
        return [*self.from_graphs, *self.from_named]

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def _unescape(text: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokenize(text: str) -> list[Token]:
    """SPARQL tokens, with comments dropped and literals, IRIs, variables and names kept whole."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if len(quote) == 1 and text[j] in "\r\n":
                    break  # an unterminated short string: the parser will say so
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(quote))
            tokens.append(Token("string", text[i:j]))
            i = j
            lang = _LANGTAG.match(text, i)
            if lang:
                i = lang.end()
            continue
        if ch == "<":
            iri = _IRIREF.match(text, i)
            if iri:
                tokens.append(Token("iri", _unescape(iri.group(1))))
                i = iri.end()
                continue
            tokens.append(Token("punct", ch))
            i += 1
            continue
        if ch in "?$":
            var = _VAR.match(text, i)
            assert var is not None
            tokens.append(Token("var", var.group()))
            i = var.end()
            continue
        if text.startswith("_:", i):
            word = _WORD.match(text, i + 2)
            i = word.end() if word else i + 2
            tokens.append(Token("bnode", "_:"))
            continue
        word = _WORD.match(text, i)
        if word:
            value = word.group().rstrip(".")  # a trailing '.' ends a triple, it is not part of a name
            if not value:
                tokens.append(Token("punct", "."))
                i += 1
                continue
            tokens.append(Token("pname" if ":" in value else "word", value))
            i += len(value)
            continue
        tokens.append(Token("punct", ch))
        i += 1
    return tokens


def _resolve(token: Token, inspection: Inspection) -> str | None:
    if token.kind == "iri":
        return urljoin(inspection.base, token.text) if inspection.base else token.text
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        namespace = inspection.prefixes.get(prefix)
        if namespace is None:
            return None  # an undeclared prefix: the parser refuses the query
        return namespace + re.sub(r"\\(.)", r"\1", local)
    return None


def inspect(text: str, base: str | None = None) -> Inspection:
    """The form of a query or update and the graphs, services and URLs it names (relative IRIs resolved
    against `base`, the endpoint's URL, unless the text declares its own BASE)."""
    tokens = tokenize(text)
    result = Inspection(base=base)
    i = 0
    # the prologue: PREFIX p: <iri> and BASE <iri>
    while i < len(tokens):
        word = tokens[i].text.upper() if tokens[i].kind in ("word", "pname") else ""
        if word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2].kind == "iri":
            name = tokens[i + 1].text
            if name.endswith(":"):
                result.prefixes[name[:-1]] = _resolve(tokens[i + 2], result) or tokens[i + 2].text
            i += 3
            continue
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            result.base = _resolve(tokens[i + 1], result)
            i += 2
            continue
        break
    for j in range(i, len(tokens)):
        token = tokens[j]
        if token.kind != "word":
            continue
        word = token.text.upper()
        if result.form is None and word in QUERY_FORMS:
            result.form = word
        elif result.form is None and word in UPDATE_VERBS:
            result.form, result.is_update = word, True
        if word in ("PREFIX", "BASE") and result.is_update:
            # an update may declare prefixes between its operations
            if word == "PREFIX" and j + 2 < len(tokens) and tokens[j + 1].text.endswith(":"):
                result.prefixes[tokens[j + 1].text[:-1]] = _resolve(tokens[j + 2], result) or tokens[j + 2].text
            elif word == "BASE" and j + 1 < len(tokens):
                result.base = _resolve(tokens[j + 1], result)
        elif word == "SERVICE":
            k = j + 1
            if k < len(tokens) and tokens[k].text.upper() == "SILENT":
                k += 1
            target = tokens[k] if k < len(tokens) else Token("punct", "")
            result.service.append(_resolve(target, result) or target.text)
        elif word == "LOAD":
            k = j + 1
            if k < len(tokens) and tokens[k].text.upper() == "SILENT":
                k += 1
            if k < len(tokens):
                result.loads.append(_resolve(tokens[k], result) or tokens[k].text)
        elif word in ("FROM", "USING"):
            k = j + 1
            named = k < len(tokens) and tokens[k].kind == "word" and tokens[k].text.upper() == "NAMED"
            if named:
                k += 1
            if k < len(tokens):
                iri = _resolve(tokens[k], result)
                if iri is not None:
                    (result.from_named if named else result.from_graphs).append(iri)
    return result


def check(inspection: Inspection, *, update: bool, allow_service: bool = False,
          allow_remote_from: bool = False) -> None:
    """Refuse (QueryRefused) what the service does not run; `update` says which parameter carried the text."""
    if inspection.form is None:
        return  # not recognisably a query or an update: the parser gives the message
    if update and not inspection.is_update:
        raise QueryRefused(f"this is a {inspection.form} query, not an update: send it as 'query', not 'update'")
    if not update and inspection.is_update:
        raise QueryRefused(f"this is an update ({inspection.form}), not a query: send it with POST as 'update' "
                           "(application/x-www-form-urlencoded) or as application/sparql-update")
    if inspection.service and not allow_service:
        raise QueryRefused(f"SERVICE is not allowed on this endpoint (the query names "
                           f"{', '.join(inspection.service)}): federated queries are refused by default")
    if inspection.loads and not allow_remote_from:
        raise QueryRefused(f"LOAD is not allowed on this endpoint (it would fetch {', '.join(inspection.loads)})")


def check_length(text: str, what: str = "query") -> None:
    if len(text) > MAX_QUERY_LENGTH:
        raise LimitExceeded(f"the {what} is {len(text):,} characters long; the limit is {MAX_QUERY_LENGTH:,}",
                            limit=MAX_QUERY_LENGTH)


__all__ = ["MAX_QUERY_LENGTH", "Forbidden", "Inspection", "LimitExceeded", "QueryRefused", "QueryTimeout",
           "check", "check_length", "inspect", "tokenize"]
