"""HTML for the browser pages, from the same dicts the JSON lookups return.

Plain functions from data to text: every value is escaped here (`esc`), links are plain URLs
(``/films/{slug}``, ``/people/{slug}``) under the request's root path, and the page shell is the package file
``templates/base.html``. Nothing here touches the store.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from ...link.naming import match_key

Data = Mapping[str, Any]


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@cache
def _template(name: str) -> Template:
    return Template((resources.files(__package__) / "templates" / name).read_text(encoding="utf-8"))


def page(title: str, body: str, *, root: str = "", search: str = "", scripts: Sequence[str] = ()) -> str:
    """A whole page: the shell with its header (search box, navigation), `body`, and script files."""
    tags = "\n".join(f'<script src="{esc(root)}/static/{esc(s)}" defer></script>' for s in scripts)
    return _template("base.html").substitute(title=esc(title), body=body, root=esc(root), search=esc(search),
                                             scripts=tags)


# --- small pieces -------------------------------------------------------------------------------------------

def year_text(ref: Data) -> str:
    return f' <span class="year">({esc(ref["year"])})</span>' if ref.get("year") else ""


def film_link(ref: Data, root: str = "") -> str:
    name = esc(ref.get("name") or ref.get("slug") or ref.get("iri"))
    if ref.get("slug"):
        return f'<a href="{esc(root)}/films/{esc(ref["slug"])}">{name}</a>{year_text(ref)}'
    return f'<span title="{esc(ref.get("iri"))}">{name}</span>{year_text(ref)}'


def person_link(ref: Data, root: str = "") -> str:
    name = esc(ref.get("name") or ref.get("slug") or ref.get("iri"))
    if ref.get("slug"):
        return f'<a href="{esc(root)}/people/{esc(ref["slug"])}">{name}</a>'
    return f'<span title="{esc(ref.get("iri"))}">{name}</span>'


def sentence(text: str) -> str:
    """'shares director Park Chan-wook' -> 'Shares director Park Chan-wook.'"""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def joined(parts: Iterable[str], empty: str = "—") -> str:
    items = [p for p in parts if p]
    return ", ".join(items) if items else empty


_DURATION = re.compile(r"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")


def duration_text(value: str | None) -> str:
    """'PT1H33M' -> '1 h 33 min (PT1H33M)'; anything else as it is."""
    if not value:
        return ""
    match = _DURATION.match(value)
    if not match or not any(match.groups()):
        return esc(value)
    days, hours, minutes, _ = match.groups()
    total = int(days or 0) * 24 * 60 + int(hours or 0) * 60 + int(minutes or 0)
    words = f"{total // 60} h {total % 60} min" if total >= 60 else f"{total} min"
    return f"{esc(words)} <span class=\"note\">({esc(value)})</span>"


def short_graph(iri: str) -> str:
    """'…/id/review/oldboy-2003-glued' -> 'review/oldboy-2003-glued'."""
    parts = iri.rstrip("/").rsplit("/", 2)
    return "/".join(parts[-2:]) if len(parts) >= 2 else iri


_IRI_IN_TEXT = re.compile(r"<(https?://[^<>\s]+)>")


def evidence(text: str, *, root: str = "", base: str = "") -> str:
    """A decision's evidence as a sentence, escaped; a film IRI in it (`<…/film/slug>`) becomes a link."""
    out, last = [], 0
    words = sentence(text)
    for match in _IRI_IN_TEXT.finditer(words):
        out.append(esc(words[last:match.start()]))
        iri = match.group(1)
        rest = iri[len(base):] if base and iri.startswith(base) else ""
        kind, _, slug = rest.partition("/")
        if kind == "film" and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
            out.append(f'<a href="{esc(root)}/films/{esc(slug)}">{esc(slug)}</a>')
        else:
            out.append(f"<code>{esc(iri)}</code>")
        last = match.end()
    out.append(esc(words[last:]))
    return "".join(out)


def _section(title: str, body: str, anchor: str) -> str:
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>\n{body}\n</section>'


# --- the front page -----------------------------------------------------------------------------------------

def home(films: Sequence[Data], health: Data, *, root: str = "", limit: int = 0) -> str:
    triples = health.get("triples")
    count = f"{len(films)}{'+' if limit and len(films) >= limit else ''}"
    intro = (f'<h1>Film explorer</h1>\n<p class="subtitle">A linked film graph of reviews and catalogues'
             f'{f" ({int(triples):,} triples)" if isinstance(triples, int) else ""}. Search a title above, open a '
             f'film for its cast, crew, reviews, sources and related films, or ask your own question on the '
             f'<a href="{esc(root)}/query">query page</a>.</p>')
    if not films:
        return intro + '<p class="note">The store holds no films yet: <code>filmgraph ingest</code> some reviews.</p>'
    items = "\n".join(f"<li>{film_link(f, root)}</li>" for f in films)
    return (intro + f'\n<h2>Films <span class="note">({esc(count)}, by title)</span></h2>\n'
            f'<ul class="film-grid" id="films">\n{items}\n</ul>')


# --- search ---------------------------------------------------------------------------------------------------

def search(title: str, matches: Sequence[Data], details: Mapping[str, Data], *, root: str = "") -> str:
    """Each matching film on its own card; its namesakes (same title, different film) listed apart."""
    head = f'<h1>Films titled “{esc(title)}”</h1>'
    if not matches:
        return head + ('<p id="no-match">No film with that title (or a stored spelling of it). Titles are compared '
                       'ignoring case, accents, spacing and dashes.</p>')
    note = ""
    if len(matches) > 1:
        note = (f'<p class="subtitle" id="namesake-note">{len(matches)} different films share this title. They are '
                'namesakes: linked to each other, never merged into one.</p>')
    cards = []
    for match in matches:
        film = details.get(match["iri"], {})
        facts = []
        if match.get("language"):
            facts.append(f'language {esc(match["language"])}')
        directors = film.get("directors") or []
        if directors:
            facts.append("directed by " + joined(person_link(d, root) for d in directors))
        if film.get("franchise"):
            facts.append("part of " + joined(esc(f["label"]) for f in film["franchise"]))
        namesakes = ""
        if match.get("namesakes"):
            items = "\n".join(f"<li>{film_link(n, root)}</li>" for n in match["namesakes"])
            namesakes = (f'<div class="namesakes"><h3>Same title, different film</h3>'
                         f'<ul class="plain">{items}</ul></div>')
        cards.append(f'<article class="card match" data-slug="{esc(match.get("slug"))}">'
                     f'<h2>{film_link(match, root)}</h2><p>{"; ".join(facts) or "&nbsp;"}</p>{namesakes}</article>')
    return head + note + '<div id="matches">' + "\n".join(cards) + "</div>"


# --- a film -----------------------------------------------------------------------------------------------------

def _lang_string(value: Data) -> str:
    lang = f' <span class="note">({esc(value["lang"])})</span>' if value.get("lang") else ""
    return esc(value["value"]) + lang


def _rating(rating: Data | None) -> str:
    if not rating:
        return '<span class="note">no rating</span>'
    value, best = rating["value"], rating["best"]
    return (f'{esc(f"{value:g}")} / {esc(f"{best:g}")} '
            f'<span class="note">({round(100 * float(rating["normalised"]))}% on a common 0–100 scale)</span>')


def film(data: Data, related_data: Data | None, provenance: Data | None, *, root: str = "",
         related_error: str | None = None) -> str:
    facts: list[tuple[str, str]] = []
    if data.get("date"):
        facts.append(("Released", esc(data["date"])))
    if data.get("alternate_names"):
        facts.append(("Also titled", joined(_lang_string(a) for a in data["alternate_names"])))
    if data.get("languages"):
        facts.append(("Language", joined(esc(x) for x in data["languages"])))
    if data.get("duration"):
        facts.append(("Runtime", duration_text(data["duration"])))
    if data.get("content_rating"):
        facts.append(("Rated", esc(data["content_rating"])))
    if data.get("genres"):
        facts.append(("Genres", " ".join(f'<span class="tag">{esc(g["label"])}</span>' for g in data["genres"])))
    if data.get("keywords"):
        facts.append(("Keywords", " ".join(f'<span class="tag">{esc(k)}</span>' for k in data["keywords"])))
    facts.append(("Directed by", joined(person_link(p, root) for p in data.get("directors", []))))
    facts.append(("Written by", joined(person_link(p, root) for p in data.get("writers", []))))
    if data.get("franchise"):
        facts.append(("Series", joined(esc(f["label"]) for f in data["franchise"])))
    if data.get("average_rating") is not None:
        facts.append(("Average rating", f'{round(100 * float(data["average_rating"]))}% '
                                        f'<span class="note">(mean of the normalised review ratings)</span>'))
    if data.get("same_as"):
        facts.append(("Identifiers", joined(f'<a href="{esc(s)}" rel="external">{esc(s)}</a>'
                                            for s in data["same_as"])))
    facts.append(("IRI", f'<code>{esc(data["iri"])}</code>'))
    rows = "\n".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
    parts = [f'<h1>{esc(data["name"])}{year_text(data)}</h1>', f'<dl class="facts" id="facts">{rows}</dl>']

    if data.get("namesakes"):
        items = "\n".join(
            f'<li>{film_link(n["film"], root)}'
            f'{" — directed by " + esc(", ".join(n["directors"])) if n.get("directors") else ""}</li>'
            for n in data["namesakes"])
        parts.append(f'<div class="namesakes" id="namesakes"><h3>Same title, different film</h3>'
                     f'<ul class="plain">{items}</ul></div>')

    cast = data.get("cast", [])
    if cast:
        items = "\n".join(
            f'<li>{person_link(m["person"], root)}'
            f'{" as " + esc(" / ".join(c["name"] for c in m["characters"])) if m.get("characters") else ""}</li>'
            for m in cast)
        parts.append(_section("Cast", f'<ul class="plain">{items}</ul>', "cast"))

    reviews = data.get("reviews", [])
    if reviews:
        lines: list[str] = []
        for review in reviews:
            who = joined([esc(review.get("publisher")) if review.get("publisher") else "",
                          f'by {esc(review["author"])}' if review.get("author") else ""], "an unnamed publication")
            lines.append(f'<li>{who}: {_rating(review.get("rating"))}'
                         f' <span class="note">{esc(short_graph(review["iri"]))}</span></li>')
        parts.append(_section("Reviews", f'<ul class="plain">{"".join(lines)}</ul>', "reviews"))

    if provenance is not None:
        parts.append(_provenance(provenance, root))

    if related_error:
        parts.append(_section("Related films", f'<p class="error">{esc(related_error)}</p>', "related"))
    elif related_data is not None:
        parts.append(related(related_data, root=root, heading=True))
    return "\n".join(parts)


_CONFLICT_WORDS = {"duration": "Runtime", "datePublished": "Release date", "director": "Director"}


def _provenance(provenance: Data, root: str) -> str:
    sources = provenance.get("sources", [])
    items = []
    for s in sources:
        if not s.get("review"):
            kind = "catalogue"
        elif s.get("of_this_film"):
            kind = "review of this film"
        elif s.get("reviewed"):
            kind = f'review of {film_link(s["reviewed"], root)}, which mentions it or names it as a namesake,'
        else:
            kind = "review"
        where = f' read from <code>{esc(s["source"])}</code>' if s.get("source") else ""
        when = f', ingested {esc(s["time"])}' if s.get("time") else ""
        items.append(f'<li>{kind} <code>{esc(short_graph(s["graph"]))}</code>{where}{when}</li>')
    body = f'<ul class="plain">{"".join(items)}</ul>' if items else '<p class="note">No named graph names it.</p>'
    conflicts = provenance.get("conflicts", [])
    if conflicts:
        rows = []
        for c in conflicts:
            if c["property"] == "duration":
                one, two = duration_text(c["value1"]), duration_text(c["value2"])
            else:
                one = esc(c.get("value1_name") or c["value1"])
                two = esc(c.get("value2_name") or c["value2"])
            label = _CONFLICT_WORDS.get(c["property"], c["property"])
            rows.append(f'<li class="conflict">{esc(label)}: <b>{one}</b> in '
                        f'<code>{esc(short_graph(c["graph1"]))}</code>, but <b>{two}</b> in '
                        f'<code>{esc(short_graph(c["graph2"]))}</code></li>')
        body += f'<h3>Where the sources disagree</h3><ul class="plain" id="conflicts">{"".join(rows)}</ul>'
    else:
        body += '<p class="note" id="conflicts">The sources agree on runtime, release date and director.</p>'
    return _section("Sources", body, "sources")


def related(data: Data, *, root: str = "", heading: bool = False) -> str:
    """Suggestions best first, each with its reasons as sentences; namesakes apart, as a different film."""
    suggestions = [s for s in data.get("suggestions", []) if not s.get("namesake")]
    namesakes = [s["film"] for s in data.get("suggestions", []) if s.get("namesake")]
    seen = {n["iri"] for n in namesakes}
    namesakes += [n for n in data.get("namesakes", []) if n["iri"] not in seen]
    items = []
    for s in suggestions:
        reasons = " ".join(esc(sentence(r["text"])) for r in s.get("reasons", []))
        score = f"{float(s['score']):.2f}"
        items.append(f'<li class="suggestion">{film_link(s["film"], root)} '
                     f'<span class="score">score {esc(score)}</span>'
                     f'<p class="reasons">{reasons}</p></li>')
    body = (f'<ol class="plain" id="suggestions">{"".join(items)}</ol>' if items
            else '<p class="note">No related film found: it shares no person, series, review or genre with '
                 'another.</p>')
    if namesakes:
        names = "\n".join(f"<li>{film_link(n, root)}</li>" for n in namesakes)
        body += (f'<div class="namesakes" id="related-namesakes"><h3>Same title, different film</h3>'
                 f'<ul class="plain">{names}</ul></div>')
    if heading:
        return _section("Related films", body, "related")
    own = data["film"]
    return (f'<h1>Films related to {film_link(own, root)}</h1>'
            f'<p class="subtitle">The top {esc(data.get("top"))}, best first, each with why.</p>'
            f'<section id="related">{body}</section>')


# --- a person ---------------------------------------------------------------------------------------------------

_ROLE_WORDS = {"director": "directed", "writer": "wrote", "actor": "acted"}


def person(data: Data, links: Sequence[Data], *, root: str = "", base: str = "") -> str:
    parts = [f'<h1>{esc(data["name"])}</h1>']
    facts = [("IRI", f'<code>{esc(data["iri"])}</code>')]
    if data.get("same_as"):
        facts.append(("Identifiers", joined(f'<a href="{esc(s)}" rel="external">{esc(s)}</a>'
                                            for s in data["same_as"])))
    parts.append('<dl class="facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")

    films: dict[str, dict[str, Any]] = {}
    for credit in data.get("filmography", []):
        entry = films.setdefault(credit["film"]["iri"], {"film": credit["film"], "roles": []})
        role = _ROLE_WORDS.get(credit["role"], credit["role"])
        if credit["role"] == "actor" and credit.get("character"):
            role = f'played {credit["character"]}'
        if role not in entry["roles"]:
            entry["roles"].append(role)
    for entry in films.values():  # "acted" says nothing more once a character is named
        if "acted" in entry["roles"] and any(r.startswith("played ") for r in entry["roles"]):
            entry["roles"].remove("acted")
    ordered = sorted(films.values(), key=lambda e: (e["film"].get("year") or 9999, e["film"].get("name") or ""))
    items = "\n".join(f'<li>{film_link(e["film"], root)} — {esc(", ".join(e["roles"]))}</li>' for e in ordered)
    parts.append(_section("Films", f'<ul class="plain" id="filmography">{items}</ul>' if items
                          else '<p class="note">No credits.</p>', "films"))
    parts.append(_section("Spellings", _spellings(data, links, root, base), "spellings"))
    return "\n".join(parts)


def _spellings(data: Data, links: Sequence[Data], root: str, base: str) -> str:
    name, key = data["name"], match_key(data["name"])
    merged = {d["spelling"]: d for d in links if d["decision"] == "merged" and d.get("linked_to") == data["iri"]}
    items = [f'<li><b>{esc(name)}</b> — the name this page uses</li>']
    for spelling in data.get("alternate_names", []):
        if spelling in merged:
            why = evidence(merged[spelling]["evidence"], root=root, base=base) + \
                f' <span class="note">(decided in <code>{esc(short_graph(merged[spelling]["graph"]))}</code>)</span>'
        elif match_key(spelling) == key:
            why = "Same name once case, accents, hyphens and spacing are ignored."
        else:
            why = "An alias a source gives beside the name (or a known variant of it)."
        items.append(f'<li><b>{esc(spelling)}</b> — merged: {why}</li>')
    for spelling, decision in merged.items():
        if spelling not in data.get("alternate_names", []) and spelling != name:
            items.append(f'<li><b>{esc(spelling)}</b> — merged: {evidence(decision["evidence"], root=root, base=base)}'
                         '</li>')
    apart = [d for d in links if d["decision"] == "kept-apart"]
    for d in apart:
        if d["compared_with"] == data["iri"]:
            other = f'<b>{esc(d["spelling"])}</b> (a different person)'
            text = f'{other} — kept apart from {esc(name)}: {evidence(d["evidence"], root=root, base=base)}'
        else:
            text = (f'<b>{esc(d["spelling"])}</b> — kept apart from {person_link(d["compared_with_ref"], root)}: '
                    f'{evidence(d["evidence"], root=root, base=base)}')
        items.append(f'<li class="kept-apart">{text} <span class="note">(in <code>{esc(short_graph(d["graph"]))}'
                     f'</code>)</span></li>')
    return f'<ul class="plain" id="spelling-list">{"".join(items)}</ul>'


# --- the query page ---------------------------------------------------------------------------------------------

def query(examples: Sequence[Data], limits: Data, initial: str, *, root: str = "", base_iri: str = "") -> str:
    options = "\n".join(f'<option value="{esc(e["name"])}">{esc(e["name"])} — {esc(e["answers"])}</option>'
                        for e in examples)
    # the examples as JSON for query.js; "</" is escaped so no text in a query can end the script element
    payload = json.dumps(list(examples), ensure_ascii=False).replace("</", "<\\/")
    rows, seconds = f"{int(limits['rows']):,}", f"{float(limits['seconds']):g}"
    return f"""<h1>SPARQL query</h1>
<p class="subtitle">Ask the graph anything in SPARQL 1.1. Queries run on <code>{esc(root)}/sparql</code> with its
rules: read-only, no <code>SERVICE</code> or remote <code>FROM</code>, at most {esc(rows)} rows
and {esc(seconds)} seconds.</p>
<form class="query-form" id="query-form" method="get" action="{esc(root)}/query" data-endpoint="{esc(root)}/sparql"
      data-base="{esc(base_iri)}" data-root="{esc(root)}">
  <div class="row">
    <label for="example">Examples</label>
    <select id="example"><option value="">— a named query from queries/ —</option>
{options}
    </select>
  </div>
  <p class="note" id="example-doc"></p>
  <textarea id="query" name="query" spellcheck="false" aria-label="SPARQL query">{esc(initial)}</textarea>
  <div class="row">
    <button type="submit" id="run">Run query</button>
    <span id="status" role="status"></span>
  </div>
</form>
<div id="error" class="error" hidden></div>
<div id="results"></div>
<script type="application/json" id="examples">{payload}</script>"""


# --- errors -------------------------------------------------------------------------------------------------------

def error(status: int, message: str, *, candidates: Sequence[Data] = (), root: str = "") -> str:
    heads = {404: "Not found", 409: "Which one?", 422: "Not a valid address", 503: "Busy, try again"}
    body = (f'<h1>{esc(heads.get(status, "Something went wrong"))}</h1>'
            f'<p class="error" id="page-error">{esc(message)}</p>')
    if candidates:
        items = "\n".join(f"<li>{film_link(c, root)}</li>" for c in candidates)
        body += f'<p>The title names several films:</p><ul class="plain" id="candidates">{items}</ul>'
    return body
