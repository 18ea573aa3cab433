"""The plain-text review reader: a page cut into its parts, then each fact read from the part that prints it.

segment (page) -> structured credits (credits) -> which film (titles) -> prose roles (roles) -> publication
and rating (masthead) -> one ReviewRecord whose `evidence` lists every fact with its line and cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from filmgraph.errors import ExtractionError
from filmgraph.extract import names as nm
from filmgraph.extract import roles
from filmgraph.extract.credits import Credit, CreditReader, Credits
from filmgraph.extract.masthead import find_publisher, find_rating
from filmgraph.extract.page import Page, Paragraph, segment
from filmgraph.extract.statements import film_origin, find_namesakes, origin_from_words, sentences
from filmgraph.extract.title_match import find_title
from filmgraph.extract.titles import (
    NON_LATIN,
    YEAR,
    TitleGuess,
    article_key,
    best_spelling,
    clean_title,
    facts_line,
    fuller_form,
    heading_text,
    headline_guesses,
    split_parenthetical,
    trailing_title,
    url_title,
)
from filmgraph.extract.values import demonym, language_code, parse_countries, parse_date, script_language
from filmgraph.link.naming import match_key
from filmgraph.models import CastCredit, Evidence, FilmRecord, ReviewRecord

KnownPerson = Callable[[str], bool]
_SOURCE_WORK = re.compile(r"\b(?:novel|book|books|story|stories|play|comic|manga|series|show|tv|memoir|album|"
                          r"song|collection|graphic\s+novel|short\s+story|trilogy)\W*$", re.I)
_FILM_WORD = r"(?:film|movie|picture|feature|drama|thriller|comedy|horror|documentary|production|release|flick)"
_PROSE_RUNTIME = re.compile(
    r"\b(?:runs?(?:\s+(?:for|just|only|about|nearly|almost|a\s+tight|a\s+lean))?|running\s+time\s+(?:is|of)|"
    r"clocks?\s+in\s+at|lasts?|at|the)\s+(?P<m>\d{2,3})\s*(?:minutes|mins?)\b", re.I)
_ORIGINAL_TITLE_LABEL_PROSE = re.compile(r"\b(?i:original\s+title)\s*:\s*(?P<t>[^.;()\n]{1,40}?)\s*(?:\(|[.;]|$)")
_ORIGINAL_TITLE_PROSE = re.compile(
    r"\b(?:the\s+)?(?:original|korean|japanese|chinese|french|native|local)\s+title,?\s+(?:is\s+)?[“\"‘]?"
    r"(?P<t>[^,”\"’.]{1,40})[”\"’]?,", re.I)
_OPENS = re.compile(r"\b(?:opens|opening|in\s+(?:theaters|theatres|cinemas))\s+(?:on\s+)?(?:\w+day,?\s+)?"
                    r"(?P<d>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2})\b(?!,?\s*\d{4})",
                    re.I)
_FRANCHISE = re.compile(
    r"\bthe\s+(?:original\s+)?[“\"‘]?(?P<n>[A-Z][\w'’:-]*(?:\s+(?:[A-Z][\w'’:-]*|of|the|and))*?)[”\"’]?\s+"
    r"(?P<k>franchise|series|saga|trilogy|films|movies|universe|cinematic\s+universe)\b")
_NTH = re.compile(r"\b(?:his|her|their|its)\s+(?:first|second|third|fourth|fifth|sixth|seventh|latest|new|next)\s+"
                  r"[“\"‘]?(?P<n>[A-Z][\w'’:-]*(?:\s+[A-Z][\w'’:-]*){0,3})[”\"’]?\s+"
                  r"(?:picture|film|movie|instalment|installment|entry|outing|chapter)\b")
_QUOTED_TITLE = re.compile(r"[“\"‘](?P<t>[A-Z0-9][^“”\"‘’\n]{0,60}?)[,.!?]?[”\"’](?![\w])")
_CAPS_TITLE = re.compile(r"(?<![\w])(?P<t>[A-Z0-9][A-Z0-9'’:&.-]*(?:\s+[A-Z0-9][A-Z0-9'’:&.-]*)+|[A-Z]{4,}(?=\s*\())"
                         r"(?![\w])")
_WORD = r"[A-Z0-9][\w'’:-]*(?:\.(?=\w)[\w'’:-]*|(?<=\d)/\d+)*(?:(?<=Mr|Dr|St|No|Ms)\.|(?<=Mrs)\.)?"
_TITLE_WORDS = rf"{_WORD}(?:(?:\s+(?:of|the|and|for|in|to|a|an|on|with|from|at|by|no))*\s+{_WORD})*"
_TITLE_YEAR_PROSE = re.compile(rf"(?P<t>{_TITLE_WORDS})\s*\(\s*(?P<y>{YEAR})\s*\)")
_POSSESSIVE_FILM = re.compile(rf"(?P<a>{nm.NAME}|[A-Z][\w-]+)(?:['’]s|(?<=s)['’])\s+(?:(?:\d{{4}}|new|latest|classic|"
                              rf"earlier|own)\s+)?(?P<t>(?:The|A|An)\s+{_TITLE_WORDS}|{_TITLE_WORDS})")
_APPOSITIVE_FILM = re.compile(
    rf"(?P<t>{_TITLE_WORDS}),\s+(?:the|his|her|their|its|{nm.NAME}['’]s)\s+(?:(?P<y>{YEAR})\s+)?(?:[a-z-]+\s+){{0,2}}"
    r"(?:follow-up|sequel|prequel|remake|film|movie|debut|feature|predecessor|original)\b")
_OWN_DIRECTOR = re.compile(rf"(?P<a>{nm.NAME})['’]s?\s+(?:[a-z][\w-]*,?\s+){{0,3}}(?P<t>[A-Z][^,.;]{{0,60}})")
_FILM_NOUN_DIRECTOR = re.compile(
    rf"(?P<a>{nm.NAME})['’]s?\s+(?:[a-z][\w-]*\s+){{0,2}}(?:latest|new|film|picture|movie|staging|direction|"
    r"franchise|remake|adaptation|drama|thriller|epic|debut)\b")
_HIS_NTH_FILM = re.compile(
    r"\b(?:his|her|their)\s+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|latest|new|last)\s+"
    r"(?:[“\"‘]?[A-Z][\w'’:-]*(?:\s+[A-Z][\w'’:-]*){0,3}[”\"’]?\s+)?(?:[a-z-]+\s+)?"
    rf"{_FILM_WORD},?\s+[“\"‘]?(?P<t>[A-Z0-9][^“”\"‘’.;]{{0,60}})")
_DATE_WORDS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s"
                         r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}", re.I)
_BYLINE_START = re.compile(r"^(?:by|words|photos?|credit|(?:directed|written|produced)\s+by|dir\.)\s", re.I)
_HEADING_TAIL = re.compile(
    r"\b(?:from|of|on|about|revisiting|rewatching|inside|behind|watching)\s+(?P<t>[A-Z0-9][^,;:]*)$")
_TOP_LINE_DIRECTOR = re.compile(rf"(?:[—–,(]|\s-)\s*(?i:dir\.|directed\s+by|director)\s+(?P<a>{nm.NAME})")
_RUNTIME_ONLY = re.compile(r"(?P<m>\d{2,3})\s*(?:mins?|minutes)\.?")  # a runtime alone: `96 min`
_SENTENCE_RUNTIME = re.compile(
    r"(?:^|(?<=[.;!?]\s))(?P<m>\d{2,3})\s+minutes\b(?!\s+(?:of|into|later|before|after|ago)\b)")
#: Cues that name the film by themselves, whether or not the text repeats the title.
_SELF_EVIDENT_CUES = frozenset({"title (year) in the headline", "title (year) in a title line", "headline column",
                                "credits line (title · country · year · runtime)", "title line above its facts line",
                                "title with its rating"})
_PROSE_FILM_SUBJECT = re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\band\s))(?P<t>{_TITLE_WORDS}) is (?:the|a|an) "
                                 rf"(?:[a-z-]+,? ){{0,3}}{_FILM_WORD}\b(?!['’])")
_SEEN_FILM = re.compile(rf"\b(?:saw|seen|watched|loved)\s+(?P<t>{_TITLE_WORDS})(?:\s+(?:or|and)\s+"
                        rf"(?P<t2>{_TITLE_WORDS}))?|\bfrom\s+(?P<t3>{_TITLE_WORDS})\s+to\s+(?P<t4>{_TITLE_WORDS})")
_CONTEXT_FILM = re.compile(
    rf"\b(?:director|star|stars|maker|makers|creator|sequel|prequel|remake|follow-up|spin-off|stars)\s+(?:of|to)\s+"
    rf"(?:the\s+)?(?P<t>{_TITLE_WORDS})|\b(?i:comparisons?|compared)\s+(?:(?:have|has|had)\s+been\s+|are\s+|were\s+)?(?:made\s+|drawn\s+)?"
    rf"(?:with|to)\s+(?P<t3>{_TITLE_WORDS})"
    rf"|\b(?:since|after|before|off|like|than|unlike|with)\s+(?P<t2>(?:The\s+)?{_TITLE_WORDS})"
    r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bMs)(?<!\bSt)(?<!\bNo)(?=\s*(?:,|\.|and\b|\)|;|$))")
_AWARD_FOR = re.compile(rf"\b(?:won|wins|winning|nominated|nomination|Oscar|award|prize)\b[^.;]{{0,40}}?\bfor\s+"
                        rf"(?P<t>{_TITLE_WORDS})(?=\s*(?:,|\.|;|\)|$|and\b))")
_PRIZE_NAME = re.compile(r"(?:Best|Outstanding|Most|Academy|Oscars?|Golden|Palme|Grand|Special|Jury|His|Her|It|"
                         r"Their)\b")
_LIST_ITEM = rf"(?:the\s+)?{_TITLE_WORDS}(?:\s+(?:films|movies|series|trilogy))?"
_FILM_LIST = re.compile(
    r"\b(?:films|pictures|movies|features|credits|thrillers|dramas|comedies)\b,?\s+(?:among\s+them|including|such\s+as)"
    rf"\s+(?P<list>{_LIST_ITEM}(?:,\s+{_LIST_ITEM})*(?:,?\s+and\s+{_LIST_ITEM})?)")
#: `his 1997 gangster comedy No. 3`: a year and a kind of film before a title.
_YEAR_KIND_FILM = re.compile(rf"\b{YEAR}\s+(?:[a-z][\w-]*\s+){{0,2}}{_FILM_WORD}\s+(?P<t>{_TITLE_WORDS})")
#: `…, or The Modern Prometheus as …`: what follows a title and its alternate title.
_OR_ALTERNATE = re.compile(r",?\s+or\s+(?P<t>[A-Z][\w' ]{1,40}?)\s+as\b")
# the checks of the reader's steps, compiled once
_SENTENCE_END = re.compile(r"[.!?]$")
_LINE_END = re.compile(r"[.!?…]$")
_DIGIT_OR_COLON = re.compile(r"\d|:")
_REVIEW_WORD = re.compile(r"\breview", re.I)
_LETTER_OR_DIGIT = re.compile(r"[A-Za-z0-9\u0080-\uffff]")
_ONE_WORD = re.compile(r"[A-Z][\w'’-]+")
_REVIEW_NOTE = re.compile(r"\s*\((?:film|movie)?\s*review\)\s*$", re.I)
_SENTENCE_LINE = re.compile(r"[a-z]{2}[.!?]$")
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")
_LETTER = re.compile(r"[^\W\d_]")
_DIRECTOR_YEAR_LINE = re.compile(rf"(?P<n>{nm.NAME})\s*\(\s*(?P<y>{YEAR})\s*\)")
_COUNTRY_YEAR_LINE = re.compile(rf"(?P<c>[A-Z][\w. ]{{1,20}}?)\W*\s*(?P<y>{YEAR})")
_NOT_A_NAME = re.compile(rf"{YEAR}|\d+|[\W\d]+")
_HANGUL_OR_LATER = re.compile(r"[\u1100-\uffff]")
_POSSESSIVE_PHRASE = re.compile(r"\w['’]s?\s")
_YEAR_OR_QUOTE = re.compile(rf"\(\s*{YEAR}\s*\)|[“\"]")
_SHORT_SENTENCE = re.compile(r"[a-z]{3,}.*[.!?]$")
_NAMESAKE_WORDS = re.compile(r"same\s+(?:title|name)|namesake|remake", re.I)
_COMPARISON_WORDS = re.compile(r"\b(?:than|unlike|alternative\s+to|compared|like\s+the|rival)\b", re.I)
_ITALICS = re.compile(r"(?<![\w*])\*(?P<t>[A-Z0-9][^*\n]{0,60}?)\*(?![\w*])")
_OWNER_PREFIX = re.compile(r"^(?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*['’]s\s+")
_ORIGINAL_PREFIX = re.compile(r"^(?:the\s+)?(?:original\s+)")
_AND_LOWER = re.compile(r"\band\s+[a-z]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_YEAR_AND_WORD = re.compile(r"\d{4}\s+\S+")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
_NON_WORD = re.compile(r"\W")
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_NUMBERS = re.compile(r"[\d\s.,:]+")
_YEAR_AFTER = re.compile(rf"\s*\(\s*(?P<y>{YEAR})\s*\)")
_NEXT_OWNER = re.compile(r"\s+and\s+(?=(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*['’]s\b)")
_DIGIT_OR_LINK_WORD = re.compile(r"\d|\b(?:of|for|to|and)\b")
_DIGITS_ONLY = re.compile(r"[\d\s]+")
_TITLE_WORD = re.compile(r"[\w'’-]+")
_REPEATED_WORD = re.compile(r"\b([a-z]+)\s+\1\b")
_PARENTHESIS_AFTER = re.compile(r"\s*\((?P<o>[^()]{1,40})\)")
_COLON_AND_MORE = re.compile(r"\s*:\s*.+$")
_FACT_PARTS = re.compile(r"\s+[·•|]\s+|\s*\|\s*")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]


class PageReader:
    """Reads one page into a ReviewRecord."""

    def __init__(self, text: str, source: str, is_known_person: KnownPerson | None = None) -> None:
        self.page: Page = segment(text, source)
        self.source = source
        self.known = is_known_person or (lambda _name: False)
        self.headline_line = next((i for i, line in enumerate(self.page.lines) if line.strip()), -1)

    # -- the whole page --------------------------------------------------------------------------
    def read(self, content_hash: str = "") -> ReviewRecord:
        page = self.page
        if self.headline_line < 0:
            raise ExtractionError("the file is empty: there is no review to read", source=self.source)
        credits = CreditReader(page).read()
        if self.headline_line >= 0 and page.kinds[self.headline_line] != "label":
            page.kinds[self.headline_line] = "headline"
        for i in credits.prose_labels:
            page.kinds[i] = "prose"
        title, year, original, guess = self._title(credits)
        film = FilmRecord(title=title, year=year, original_title=original)
        film.original_title_lang = (credits.original_title_lang if original == credits.original_title else None) or (
            script_language(original) if original else None)
        paragraphs = self._paragraphs()
        body = self._body()
        if year is None:
            film.year = self._year_from_page(title, body, credits)
        film.release_date = credits.release_date if credits.release_date and (
            film.year is None or credits.release_date.startswith(str(film.year))) else None
        if film.year is None and credits.release_date:
            film.year = int(credits.release_date[:4])
            page.note("year", film.year, 0, "year of the labelled release date")
        if film.year is None:
            film.year = self._year_from_opening(body, credits)
        if film.release_date is None and film.year is not None:
            film.release_date = str(film.year)
        film.runtime_minutes = credits.runtime or self._prose_runtime(paragraphs)
        texts = [s for p in paragraphs if page.kinds[p.first_line] == "prose" for s in sentences(p.text)]
        origin_year, origin_langs, origin_countries = film_origin(texts, title)
        if film.year is None and origin_year:
            film.year = origin_year
            film.release_date = film.release_date or str(origin_year)
            page.note("year", origin_year, 0, "'Title is a YEAR … film'")
        film.genres = credits.genres
        film.taglines = credits.taglines
        head_langs, head_countries = origin_from_words(guess.title and page.lines[self.headline_line].replace(
            guess.title, " ")) if guess else ([], [])
        film.languages = credits.languages or origin_langs or head_langs
        film.countries = credits.countries or origin_countries or head_countries
        film.content_rating = credits.content_rating or (guess.certificate if guess else None)
        if film.original_title is None:
            film.original_title = self._prose_original_title(title, paragraphs)
            film.original_title_lang = script_language(film.original_title) if film.original_title else None
        self._people(film, credits, paragraphs)
        film.franchise = self._franchise(title, paragraphs)
        for alternate in self._alternate_titles(title, body):
            self.page.note("alternate title", alternate, 0, "'Title, or Other Title as …'")
            if film.franchise is None:
                m = re.match(r"^(?P<f>.+?)\s+(?:part|chapter|vol\.?)\s+\w+$", alternate, re.I)
                film.franchise = m.group("f") if m and match_key(m.group("f")) == match_key(title) else None
        record = ReviewRecord(source=self.source, film=film, content_hash=content_hash,
                              headline=page.lines[self.headline_line].strip())
        record.author = credits.author
        record.date_published = credits.date_published
        record.url = credits.url
        record.summary = credits.summary
        record.publisher = find_publisher(page, title, credits.author, credits.publisher)
        record.rating = find_rating(page, credits.rating_text, [(p.text, p.first_line) for p in paragraphs])
        record.namesakes = find_namesakes(texts, film)
        for namesake in record.namesakes:
            page.note("namesake", f"{namesake.title} ({namesake.year or 'year not given'})", 0,
                      "'same title' / 'remake' statement")
        self.year_namesakes: list[FilmRecord] = []
        sentence_like = [p for p in paragraphs if page.kinds[p.first_line] in {"prose", "caption"} or (
            page.kinds[p.first_line] == "short" and _SHORT_SENTENCE.search(p.text))]
        record.mentions = self._mentions(film, sentence_like, cast_table=_has_cast_table(credits))
        for extra in self.year_namesakes:
            same = next((n for n in record.namesakes if n.year in (None, extra.year)), None)
            if same is None:
                record.namesakes.append(extra)
            elif same.year is None:
                same.year, same.release_date = extra.year, extra.release_date
        record.warnings = list(page.warnings)
        record.evidence = [Evidence(f.field, f.value, f.line, f.cue) for f in page.facts]
        return record

    # -- which film ------------------------------------------------------------------------------
    def _body(self) -> str:
        return "\n".join(line for i, line in enumerate(self.page.lines) if i != self.headline_line)

    def _title(self, credits: Credits) -> tuple[str, int | None, str | None, TitleGuess | None]:
        page = self.page
        body = self._body()
        guesses: list[TitleGuess] = []
        if credits.title:
            guesses.append(TitleGuess(credits.title, credits.title_line, "title label", year=credits.year,
                                      priority=10))
        headline = page.lines[self.headline_line].strip() if self.headline_line >= 0 else ""
        if headline:
            guesses += self._line_guesses(headline, self.headline_line, first=True)
        for rank, i in enumerate(page.nonblank()[1:12]):
            if page.kinds[i] in {"short", "label"}:
                guesses += self._line_guesses(page.lines[i], i, first=False)
            elif rank < 3 and page.kinds[i] == "prose" and not _LINE_END.search(page.lines[i].strip()):
                guesses += [g for g in self._line_guesses(page.lines[i], i, first=False) if "(year)" in g.cue]
        guesses += self._facts_line_guesses()
        credited = {match_key(c.actor) for c in credits.cast} | {match_key(n) for n, _, _ in credits.directors}
        for p in self._paragraphs():
            if page.kinds[p.first_line] == "prose":
                for subject in _PROSE_FILM_SUBJECT.finditer(p.text):
                    t = clean_title(subject.group("t"))
                    if t and not self.known(t) and match_key(t) not in credited:
                        guesses.append(TitleGuess(t, p.line_at(subject.start()), "'Title is the film …' in the prose",
                                                  priority=2))
        for i in page.nonblank()[1:8]:
            line = page.lines[i].strip()
            if page.kinds[i] == "short" and len(line.split()) <= 8 and not _SENTENCE_END.search(line):
                t, y, orig, cert = split_parenthetical(line)
                if t and nm.looks_like_person(t) and not find_title(t, headline):
                    continue
                if t and (y or orig or match_key(t) == match_key(headline) or any(
                        article_key(t) == article_key(g.title) for g in guesses)):
                    guesses.append(TitleGuess(t, i, "title line", year=y, original=orig, certificate=cert,
                                              priority=7))
                elif t and len(t.split()) <= 5 and t[0].isupper() and len(find_title(t, body)) >= 2 and \
                        find_title(t, headline) and not _DIGIT_OR_COLON.search(t):
                    guesses.append(TitleGuess(t, i, "title line", priority=5))
        for g in guesses:
            g.title, g.country = self._strip_country(g.title), None  # type: ignore[attr-defined]
        scored = []
        reviewish = bool(_REVIEW_WORD.search(headline))
        generic = {"review", "reviews", "film", "movie", "films", "movies", "film review", "movie review", "home"}
        guesses = [g for g in guesses if g.title.lower().strip() not in generic]
        def repeats(g: TitleGuess) -> int:
            count = len(find_title(g.title, body))
            if g.line != self.headline_line and "prose" not in g.cue:  # a title line does not repeat itself
                count -= len(find_title(g.title, page.lines[g.line]))
            return count

        any_count = any(repeats(g) for g in guesses if g.title and _title_shaped(g.title))
        for g in guesses:
            if not g.title or not _LETTER_OR_DIGIT.search(g.title):
                continue
            dated_word = "(year)" in g.cue and _ONE_WORD.fullmatch(g.title)  # `Golden (1994)`
            if g.cue != "title label" and not _title_shaped(g.title) and not dated_word:
                continue
            count = repeats(g)
            if g.cue == "title label":
                count += 5
            named = count > 0 or g.cue in _SELF_EVIDENT_CUES or (
                not any_count and reviewish and ("quoted" in g.cue or "review" in g.cue))
            scored.append(((named, g.priority + min(count, 3), count, len(g.title)), g))
        if not scored or not (credits.title or credits.cast or credits.directors or any(
                s[0][0] for s in scored)):
            raise ExtractionError(
                "no film title found: the text names no film in a headline, a title line, a 'Film:' label or a "
                "credits block, and its prose repeats no title", source=self.source)
        scored.sort(key=lambda s: s[0], reverse=True)
        best = scored[0][1]
        if not scored[0][0][0] and not (credits.cast or credits.directors or credits.title):
            raise ExtractionError(
                "no film title found: the headline is not repeated anywhere in the text and the page has no "
                "credits, so it does not review an identifiable film", source=self.source)
        title = best.title
        year = best.year or next((g.year for g in guesses if g.year and article_key(g.title) == article_key(title)),
                                 None) or credits.year
        same_film = [g for g in guesses if g.original and article_key(g.title) == article_key(best.title)]
        original = best.original or next((g.original for g in same_film), None) or credits.original_title
        fuller = fuller_form(title, body)
        if fuller is None and _subtitled(title, headline):
            for occ in re.finditer(re.escape(title) + r":\s[A-Z][\w'’ ]{1,40}?(?=[,.;)!?]|\s[a-z]|$)", body):
                cand = occ.group(0).strip()
                if article_key(headline).startswith(article_key(cand)):
                    fuller = cand
                    break
        if fuller:
            title = fuller
        title = best_spelling(title, body)
        page.note("title", title, best.line, best.cue)
        if year:
            page.note("year", year, best.line, best.cue if best.year else "year beside the title")
        return title, year, original, best

    def _line_guesses(self, line: str, i: int, *, first: bool) -> list[TitleGuess]:
        """Title readings of one line at the top of the page (the headline, a deck, a title line)."""
        address = url_title(line)
        if address:
            return [TitleGuess(address, i, "the page's address", priority=3)]
        heading = heading_text(line)
        if heading is None:
            return []
        text, rated = heading
        text = _REVIEW_NOTE.sub("", text)
        dateline = len(text.split()) <= 5 and bool(_DATE_WORDS.search(text)) and bool(parse_date(text))
        sentence = bool(_SENTENCE_LINE.search(text))
        if not first and (dateline or sentence or _BYLINE_START.match(text)):
            return []  # a dateline or a byline under the headline
        guesses = headline_guesses(text, i)
        tail = _HEADING_TAIL.search(text)
        if tail and trailing_title(tail.group("t")) == clean_title(tail.group("t")) and _LOWER_WORD.search(
                text[:tail.start()]):
            guesses.append(TitleGuess(clean_title(tail.group("t")), i, "title ending a heading ('frames from X')",
                                      priority=5))
        if not first:  # `Bong Joon-ho (2003)` under the title is its director; `3` a subtitle's number
            guesses = [g for g in guesses if (not nm.looks_like_person(g.title) or "ending" in g.cue)
                       and _LETTER.search(g.title)]
        for g in guesses:
            if rated and g.cue == "headline":
                g.cue, g.priority = "title with its rating", 7
            elif not first:
                g.cue = g.cue.replace("in the headline", "in a title line")
                g.priority -= 0 if "(year)" in g.cue else 2
        return guesses

    def _facts_line_guesses(self) -> list[TitleGuess]:
        """`LA HAINE (HATE) · FRANCE · 1995 · 98 MINUTES`, or a title line above `Japan 1954 · 207 min.`."""
        page = self.page
        out: list[TitleGuess] = []
        lines = page.nonblank()
        for k, i in enumerate(lines):
            facts = facts_line(page.lines[i])
            if facts is None:
                continue
            head, year = facts
            if head:
                t, _y, _orig, _cert = split_parenthetical(head)
                out.append(TitleGuess(t, i, "credits line (title · country · year · runtime)", year=year, priority=9))
                continue
            above = [j for j in lines[max(0, k - 3):k] if page.kinds[j] == "short" and len(page.lines[j].split()) <= 8]
            if not above:
                continue
            original = page.lines[above[-1]].strip() if len(above) >= 2 else None
            title_line = above[-2] if original else above[-1]
            t, _y, orig, _cert = split_parenthetical(page.lines[title_line])
            if original and (not t.isupper() or original.isupper() or re.search(r"\d", original)):
                original, t = None, split_parenthetical(page.lines[above[-1]])[0]
                title_line = above[-1]
            if t and not nm.looks_like_person(t):
                out.append(TitleGuess(t, title_line, "title line above its facts line", year=year,
                                      original=orig or original, priority=9))
        return out

    @staticmethod
    def _strip_country(text: str) -> str:
        words = text.split()
        for n in (2, 1):
            lead = " ".join(words[:n])
            if len(words) > n and (len(lead) > 3 or lead.isupper()) and parse_countries(lead):
                return " ".join(words[n:])
        return text

    def _year_from_page(self, title: str, body: str, credits: Credits) -> int | None:
        page = self.page
        if credits.year:
            return credits.year
        m: re.Match[str] | None
        for i in page.nonblank()[1:8]:
            line = page.lines[i].strip()
            m = _DIRECTOR_YEAR_LINE.fullmatch(line)
            if m:
                page.note("year", m.group("y"), i, "'Director (YEAR)' under the title")
                return int(m.group("y"))
        for i in page.nonblank()[1:12]:
            line = page.lines[i].strip()
            m = _COUNTRY_YEAR_LINE.fullmatch(line)
            if m and parse_countries(m.group("c")):
                page.note("year", m.group("y"), i, "'COUNTRY YEAR' line in the credits")
                return int(m.group("y"))
        if credits.release_date:
            return None  # the labelled release date gives the year
        for occ in find_title(title, body):
            after = body[occ.end():occ.end() + 12]
            before = body[max(0, occ.start() - 40):occ.start()]
            ym = re.match(rf"\W{{0,3}}\(\s*(?P<y>{YEAR})\s*\)(?!\s*[-–])", after) or re.match(
                rf"\s+(?P<y>{YEAR})\b(?![-–/])", after)
            if ym and not _SOURCE_WORK.search(before) and "(" + ym.group("y") + "- " not in after:
                page.note("year", ym.group("y"), self._line_of(occ.start() + 1), "title followed by its year")
                return int(ym.group("y"))
            ym = re.search(rf"\bthe\s+(?P<y>{YEAR})\s+(?:\w+\s+){{0,2}}{_FILM_WORD}\W*$", before, re.I)
            if ym:
                page.note("year", ym.group("y"), self._line_of(occ.start() + 1), "'the YEAR film “Title”'")
                return int(ym.group("y"))
        m = re.search(rf"\b(?:is|was)\s+an?\s+(?P<y>{YEAR})\s+(?:[A-Z][\w-]*\s+){{0,3}}{_FILM_WORD}", body)
        if m:
            return int(m.group("y"))
        return None

    def _year_from_opening(self, body: str, credits: Credits) -> int | None:
        if not credits.date_published:
            return None
        m = _OPENS.search(body)
        if not m:
            return None
        year = int(credits.date_published[:4])
        month = next((n for n, name in enumerate(_MONTHS, 1) if m.group("d").lower().startswith(name[:3])), None)
        published_month = int(credits.date_published[5:7]) if len(credits.date_published) >= 7 else None
        if month and published_month and month < published_month - 1:
            year += 1
        self.page.note("year", year, self._line_of(m.start()), "opening date in the year the review is dated")
        return year

    def _line_of(self, body_offset: int) -> int:
        text = self._body()
        line = text.count("\n", 0, body_offset)
        return line + 1 if line >= self.headline_line else line

    # -- prose -----------------------------------------------------------------------------------
    def _paragraphs(self) -> list[Paragraph]:
        return self.page.paragraphs(frozenset({"prose", "short", "caption", "headline"}))

    def _prose_runtime(self, paragraphs: list[Paragraph]) -> int | None:
        for i in self.page.nonblank()[1:14]:
            m = _RUNTIME_ONLY.fullmatch(self.page.lines[i].strip())
            if m:
                self.page.note("runtime", m.group("m"), i, "runtime line in the credits")
                return int(m.group("m"))
        for i in self.page.nonblank():  # `Japan 1954 · 207 min. · b/w`, `| Runtime | 96 min |`, `115 min · in cinemas`
            if self.page.kinds[i] == "prose" and not facts_line(self.page.lines[i]):
                continue
            for part in _FACT_PARTS.split(self.page.lines[i].strip()):
                m = _RUNTIME_ONLY.fullmatch(part.strip().lower())
                if m and 40 <= int(m.group("m")) <= 400:
                    self.page.note("runtime", m.group("m"), i, "runtime in a line of facts")
                    return int(m.group("m"))
        for p in paragraphs:
            for m in _PROSE_RUNTIME.finditer(p.text):
                minutes = int(m.group("m"))
                if 60 <= minutes <= 300:
                    self.page.note("runtime", minutes, p.line_at(m.start()), "'runs N minutes' in prose")
                    return minutes
        for p in paragraphs:  # `… Chung Seo-kyung. 144 minutes in the cinema cut`
            for m in _SENTENCE_RUNTIME.finditer(p.text):
                minutes = int(m.group("m"))
                if 60 <= minutes <= 300:
                    self.page.note("runtime", minutes, p.line_at(m.start()), "'N minutes.' opening a sentence")
                    return minutes
        return None

    def _prose_original_title(self, title: str, paragraphs: list[Paragraph]) -> str | None:
        for p in paragraphs:
            m = _ORIGINAL_TITLE_PROSE.search(p.text) or _ORIGINAL_TITLE_LABEL_PROSE.search(p.text)
            if m:
                return m.group("t").strip()
            for occ in find_title(title, p.text):
                after = _PARENTHESIS_AFTER.match(p.text[occ.end():])
                if after and NON_LATIN.search(after.group("o")):  # `Solaris (Солярис)`
                    return after.group("o").split(",")[0].strip()
        return None

    def _alternate_titles(self, title: str, body: str) -> list[str]:
        out: list[str] = []
        if not _OR_ALTERNATE.search(body):  # the pattern of this title would find nothing either
            return out
        for m in re.finditer(rf"{re.escape(title)}{_OR_ALTERNATE.pattern}", body):
            out.append(m.group("t"))
        return out

    # -- people ----------------------------------------------------------------------------------
    def _people(self, film: FilmRecord, credits: Credits, paragraphs: list[Paragraph]) -> None:
        page = self.page
        cast_table = _has_cast_table(credits)
        full_names: set[str] = set()
        for c in credits.cast:
            full_names.add(c.actor)
        full_names |= {n for n, _, _ in credits.directors} | {n for n, _, _ in credits.writers}
        full_names |= {n for _, n, _ in credits.crew}
        cues: list[tuple[roles.Cue, Paragraph]] = []
        for p in paragraphs:
            if self.page.kinds[p.first_line] not in {"prose", "caption"}:
                continue
            for cue in roles.pairs(p.text) + roles.actor_cues(p.text) + roles.crew_cues(p.text):
                cues.append((cue, p))
        cues.sort(key=lambda cp: (cp[1].first_line, cp[0].offset))
        self._orientations = self._pair_orientations(cues)
        for p in paragraphs:
            for m in nm.NAME_RE.finditer(p.text):
                name = nm.family_case(m.group(0))
                if nm.looks_like_person(name):
                    full_names.add(name)
        resolver = _NameResolver(full_names, film.title, singles={c.actor for c in credits.cast
                                                                  if len(c.actor.split()) == 1})

        acting = {match_key(c.actor) for c in credits.cast}
        acting |= {match_key(resolver.full(c.name) or c.name) for c, _ in cues if c.kind in {"actor", "cast-list"}}
        directors = [n for n, _, _ in credits.directors]
        writers = [n for n, _, _ in credits.writers]
        prose_directors: list[str] = []
        prose_writers: list[str] = []
        for p in paragraphs:
            if self.page.kinds[p.first_line] != "prose":
                continue
            for m in _OWN_DIRECTOR.finditer(p.text):
                hits = find_title(film.title, p.text[m.start("t"):m.start("t") + len(film.title) + 10])
                if hits and hits[0].start() == 0:  # `Ang Lee's Crouching Tiger, Hidden Dragon`: a title with a comma
                    cues.append((roles.Cue("director", m.group("a"), None, m.start(), "'NAME's … Title'"), p))
            for m in _HIS_NTH_FILM.finditer(p.text):  # `Miller …, thanks to his fourth "Mad Max" picture, Title`
                start = roles.sentence_start(p.text, m.start(), (". ", ": ", "; "))
                subject = next((full for n in roles.NAME_AT.finditer(p.text, start, m.start())
                                if (full := resolver.full(n.group(0))) and nm.looks_like_person(full)
                                and not p.text.startswith(("'s", "’s"), n.end())), None)
                if subject and match_key(subject) in acting:
                    continue  # `Reeves … his fourth film`: the star's film, not a director credit
                hits = find_title(film.title, m.group("t"))
                if subject and hits and hits[0].start() == 0:
                    cues.append((roles.Cue("director", subject, None, start, "'NAME … his fourth film, Title'"), p))
            for m in _FILM_NOUN_DIRECTOR.finditer(p.text):
                sentence = p.text[m.start():m.start() + 160].split(". ")[0]
                if find_title(film.title, sentence) and not re.search(r"\b(?:remaking|unlike|like|than)\b",
                                                                       p.text[max(0, m.start() - 20):m.start()]):
                    cues.append((roles.Cue("director", m.group("a"), None, m.start(), "'NAME's film … Title'"), p))
        for cue, p in cues:
            if cue.kind not in {"director", "writer"}:
                continue
            found = resolver.full(cue.name, prefer={match_key(n) for n in directors + prose_directors})
            if found is None or match_key(found) == match_key(film.title):
                continue
            target = prose_directors if cue.kind == "director" else prose_writers
            if all(match_key(found) != match_key(n) for n in target):
                target.append(found)
                page.note(cue.kind, found, p.line_at(cue.offset), cue.cue)
        if not directors and not prose_directors:  # `3. The Wailing (2016) — dir. Na Hong-jin` at the top
            for i in page.nonblank()[:12]:
                top = _TOP_LINE_DIRECTOR.search(page.lines[i]) if page.kinds[i] != "prose" else None
                if top and nm.looks_like_person(nm.family_case(top.group("a"))):
                    prose_directors.append(nm.family_case(top.group("a")))
                    page.note("director", prose_directors[-1], i, "'— dir. NAME' beside the title")
                    break
        film.directors = directors or prose_directors
        film.writers = writers or prose_writers
        crew_keys = {match_key(n) for n in [*film.directors, *film.writers]}
        crew_keys |= {match_key(n) for _, n, _ in credits.crew}
        crew_keys |= {match_key(resolver.full(c.name) or c.name) for c, _ in cues if c.kind == "crew"}

        cast: list[CastCredit] = []
        characters: set[str] = set()

        def add(actor: str, character: str | None, line: int, cue: str, *, structured: bool = False) -> None:
            actor = nm.family_case(nm.clean(actor))
            if _POSSESSIVE_PHRASE.search(actor):
                return  # `Lee Chang-dong's Burning`: a possessive phrase, not a name
            if not structured and (match_key(actor) in crew_keys or roles.starts_with_title(actor)
                                   or match_key(actor) in characters):
                return
            if character:
                character = nm.clean(character) or None
            if character and match_key(character) == match_key(actor):
                character = None
            if character and match_key(character) == match_key(film.title) and not structured:
                character = character if len(character.split()) <= 2 else None
            for existing in cast:
                if match_key(existing.actor) == match_key(actor) or _typo(existing.actor, actor):
                    if existing.character is None and character:
                        existing.character = character
                        page.note("character", f"{character} (played by {existing.actor})", line, cue)
                    elif character and existing.character and match_key(character) != match_key(
                            existing.character) and not _same_character(character, existing.character):
                        cast.append(CastCredit(existing.actor, character))
                        page.note("character", f"{character} (played by {existing.actor})", line, cue)
                    return
            cast.append(CastCredit(actor, character))
            page.note("actor", actor + (f" as {character}" if character else ""), line, cue)
            if character:
                characters.add(match_key(character))

        flip = self._table_orientation(credits, cues, resolver)
        prose_actors = {match_key(resolver.full(c.name) or c.name) for c, _ in cues if c.kind in {"actor", "cast-list"}}
        in_prose = lambda name: match_key(name) in prose_actors or self.known(name)  # noqa: E731
        def wants_flip(c: Credit) -> bool:
            return bool(c.character) and self._actor_score(c.character or "", in_prose) > self._actor_score(
                c.actor, in_prose) + (0 if in_prose(c.character or "") else 1)

        by_line: dict[int, list[bool]] = {}
        for c in credits.cast:
            if c.character and c.cue.startswith("label"):
                by_line.setdefault(c.line, []).append(wants_flip(c))
        for c in credits.cast:
            credited, character = c.actor, c.character
            labelled = bool(character) and c.cue.startswith("label")
            flipped = flip and len(c.actor.split()) >= 2
            votes = by_line.get(c.line, [])
            list_says_no = len(votes) >= 3 and votes.count(True) * 2 < len(votes) and not in_prose(character or "")
            if labelled and character and (flipped or (wants_flip(c) and not list_says_no)):
                credited, character = character, credited  # `Rufus (Raphaël Poulain)` stays as the list prints it
            add(credited, character, c.line, c.cue, structured=True)
        known_actor = lambda name: match_key(name) in {match_key(c.actor) for c in cast} or self.known(name)  # noqa: E731
        for cue, p in cues:
            line = p.line_at(cue.offset)
            sentence_start = roles.sentence_start(p.text, cue.offset)
            if cue.kind in {"actor", "cast-list", "possessive"} and _YEAR_OR_QUOTE.search(
                    p.text[sentence_start:cue.offset]):
                continue  # the sentence is about another film named before the cue
            if cue.kind == "pair" and cue.context == "character" and re.search(
                    r"title\s+character\s*$", p.text[max(0, cue.offset - 30):cue.offset + 1]):
                played = resolver.full(cue.other)
                if played:
                    add(played, film.title, line, "'the title character (Actor)'")
                continue
            if cue.kind == "pair":
                self._pair(cue, line, resolver, known_actor, add, characters)
            elif cue.kind in {"actor", "possessive"}:
                actor = resolver.full(cue.name)
                if actor is None or (match_key(actor) in {match_key(d) for d in film.directors} and cue.kind == \
                        "possessive"):
                    continue
                if cue.kind == "possessive" and (match_key(cue.other or "") == match_key(film.title) or
                                                 len((cue.other or "").split()) > 3):
                    continue
                if cue.kind == "possessive" and cast_table and not known_actor(actor):
                    continue  # beside a cast table, `Name's Word` names a credited actor's role or another film
                add(actor, cue.other, line, cue.cue)
            elif cue.kind == "cast-list":
                if self._other_film_context(cue.context, film.title):
                    continue
                actor = resolver.full(cue.name)
                if actor is not None:
                    add(actor, None, line, cue.cue)
            elif cue.kind == "filmography":
                continue
        film.cast = [c for c in cast if nm.looks_like_person(c.actor, single_ok=True)]
        jobs = {"camera": "cinematographer", "cinematography": "cinematographer", "cinematographers": "cinematographer",
                "director of photography": "cinematographer", "score": "composer", "music": "composer",
                "editing": "editor", "production design": "production designer", "sets": "production designer",
                "costumes": "costume designer"}
        cast_keys = {match_key(c.actor) for c in film.cast}
        crew: list[tuple[str, str]] = [(job, name) for job, name, _ in credits.crew if len(name.split()) >= 2]
        for cue, _p in cues:
            if cue.kind == "crew" and cue.other and cue.other != "crew":
                member = resolver.full(cue.name)
                job = jobs.get(cue.other.lower(), cue.other.lower())
                if member and nm.looks_like_person(member) and match_key(member) not in cast_keys:
                    crew.append((job, member))
        film.crew = []
        for job, member in crew:
            if all((job, match_key(member)) != (j, match_key(n)) for j, n in film.crew):
                film.crew.append((job, member))
        film.person_aliases = {}

    def _table_orientation(self, credits: Credits, cues: list[tuple[roles.Cue, Paragraph]],
                           resolver: _NameResolver) -> bool:
        """True when a labelled two-name table prints `Character Actor` (the prose names the right column)."""
        rows = [c for c in credits.cast if c.character and c.cue.startswith("label")
                and len(c.character.split()) >= 2 and len(c.actor.split()) >= 2]
        if len(rows) < 2:
            return False
        prose_names = {match_key(resolver.full(c.name) or c.name) for c, _ in cues if c.kind in {
            "actor", "cast-list", "possessive"}}
        prose_names |= {match_key(c.other or "") for c, _ in cues if c.kind == "pair"}
        left = sum(1 for r in rows if match_key(r.actor) in prose_names)
        right = sum(1 for r in rows if match_key(r.character or "") in prose_names)
        titled = sum(1 for r in rows if roles.starts_with_title(r.actor))
        return right > left or (right == left and titled > 0)

    def _pair_orientations(self, cues: list[tuple[roles.Cue, Paragraph]]) -> dict[int, str]:
        """The way round clear `A (B)` pairs are printed, per line and for the page (key -1)."""
        votes: dict[int, list[str]] = {}
        never = lambda _n: False  # noqa: E731
        for cue, p in cues:
            if cue.kind != "pair" or not cue.name or not cue.other:
                continue
            a, b = self._actor_score(cue.name, never), self._actor_score(cue.other, never)
            if a != b:
                way = "actor-first" if a > b else "character-first"
                votes.setdefault(p.line_at(cue.offset), []).append(way)
                votes.setdefault(-1, []).append(way)
        out = {k: v[0] for k, v in votes.items() if len(set(v)) == 1}
        page_votes = votes.get(-1, [])
        if page_votes.count("actor-first") > page_votes.count("character-first"):
            out[-1] = "actor-first"
        else:
            out.pop(-1, None)
        return out

    def _pair(self, cue: roles.Cue, line: int, resolver: _NameResolver, known_actor: Callable[[str], bool],
              add: Callable[..., None], characters: set[str]) -> None:
        a = (cue.name or "").strip()
        b = (cue.other or "").strip()
        if not b or _NOT_A_NAME.fullmatch(b) or _HANGUL_OR_LATER.search(b):
            return
        if b.isupper() and len(b.split()) >= 2:
            return
        b_is_title = bool(re.match(r"^[“\"‘'].*[”\"’']$", b)) or "“" in b
        if b_is_title:
            return
        a = re.sub(r"^[A-Za-z]+['’]\s+", "", a)
        keep_the = bool(re.match(r"^The\s+[A-Z]\w*\s+of\s", a))
        a = re.sub(r"^(?:(?:Then|When|While|And|But|As|In|On|At|So|With|After|Before|Meanwhile|Here|There|"
                   r"Now|Even|Only|Our|His|Her|Their|Young|Little)\s+)+(?=[A-Z])", "", a) if a else a
        if a and not keep_the:
            a = re.sub(r"^The\s+(?=[A-Z])", "", a)
        if a and a.split()[0].lower() in {"father", "mother", "son", "daughter", "grandma", "grandpa",
                                          "granddaughter", "grandson", "brother", "sister", "wife", "husband"}:
            a = " ".join(a.split()[1:])
        b_full = resolver.full(b)
        if not a:
            if b_full and nm.looks_like_person(b_full):
                add(b_full, None, line, "(actor) after a description in prose")
            return
        a_full = resolver.full(a) if len(a.split()) == 1 else nm.family_case(a)
        a_score = self._actor_score(a, known_actor)
        b_score = self._actor_score(b, known_actor)
        if cue.context in {"daughter", "son", "wife", "husband", "mother", "father", "brother", "sister", "friend",
                           "boyfriend", "girlfriend", "partner", "uncle", "aunt", "grandfather", "grandmother",
                           "passenger", "player", "executive", "girl", "boy", "man", "woman", "chef", "driver",
                           "detective", "stranger", "cheerleader", "brother-in-law", "actor", "actress"}:
            a_score -= 2
        para, page_wide = self._orientations.get(line), self._orientations.get(-1)
        lean = para if para is not None else page_wide
        lean_free = lean is None
        if a_score == b_score and lean == "actor-first":
            a_score += 1
        if len(b.split()) == 1 and b_full and b_full != b and known_actor(b_full):
            b_score += 4  # `Kris Kelvin (Banionis)`: the surname of a credited actor
        if len(a.split()) == 1 and a_full and a_full != a and known_actor(a_full):
            a_score += 4
        if a_score == b_score and len(a.split()) != len(b.split()) and lean_free:
            a_score += 1 if len(a.split()) > len(b.split()) else -1  # `Tony Leung Chiu-Wai (Broken Sword)`
        if match_key(a) in characters:
            a_score -= 3
        if match_key(b) in characters:
            b_score -= 3
        # the line's later pairs lean the same way (`A (X) and B (Y)`)
        self._orientations.setdefault(line, "character-first" if b_score >= a_score else "actor-first")
        if b_score >= a_score:
            if b_full and nm.looks_like_person(b_full, single_ok=True) and (len(b.split()) >= 2 or b_full != b):
                add(b_full, a, line, "Character (Actor) in prose")
        elif a_full and nm.looks_like_person(a_full):
            add(a_full, b, line, "Actor (Character) in prose")

    @staticmethod
    def _actor_score(name: str, known_actor: Callable[[str], bool]) -> int:
        score = 0
        if known_actor(name):
            score += 3
        if roles.starts_with_title(name):
            score -= 2
        words = name.split()
        if len(words) == 1:
            score -= 1
        elif len(words) >= 2 and not roles.starts_with_title(name):
            score += 1
        if any(w.isupper() and len(w) > 1 for w in words):
            score += 1
        return score

    def _other_film_context(self, context: str, title: str) -> bool:
        """`…Sympathy for Mr. Vengeance, starring …`: a starring list that belongs to another film."""
        tail = context.rstrip(" ,")
        m = re.search(rf"(?P<t>{_TITLE_WORDS})\s*(?:\(\s*{YEAR}\s*\))?$", tail)
        if not m:
            return False
        named = m.group("t")
        if match_key(title) in match_key(named):
            return False
        return not nm.looks_like_person(named)

    # -- films named -----------------------------------------------------------------------------
    def _franchise(self, title: str, paragraphs: list[Paragraph]) -> str | None:
        m = re.match(r"^(?P<f>.+?)\s*:?\s+(?:chapter|part|vol\.?|volume)\s+(?:\d+|[ivx]+|one|two|three|four)\b", title,
                     re.I) or re.match(r"^(?P<f>.+?)\s+\d{1,2}$", title) or re.match(
            r"^.+?:\s+an?\s+(?P<f>.+?)\s+saga$", title, re.I)
        if m:
            self.page.note("franchise", m.group("f"), 0, "title numbers an instalment")
            return m.group("f").strip()
        for p in paragraphs:
            if _NAMESAKE_WORDS.search(p.text):
                continue
            if _COMPARISON_WORDS.search(p.text):
                texts = re.split(r"(?<=[.!?])\s+", p.text)
                texts = [t for t in texts if not re.search(r"\b(?:than|unlike|alternative\s+to|compared|like\s+the)\b",
                                                          t, re.I)]
            else:
                texts = [p.text]
            for text in texts:
                for m2 in _FRANCHISE.finditer(text):
                    name = m2.group("n").strip(" :")
                    if m2.group("k") in {"films", "movies"} and not match_key(title).startswith(match_key(name)):
                        continue
                    if nm.looks_like_person(name) and m2.group("k") in {"films", "movies"}:
                        continue
                    self.page.note("franchise", name, p.first_line, f"'the … {m2.group('k')}'")
                    return name
                m3 = _NTH.search(text)
                if m3:
                    self.page.note("franchise", m3.group("n"), p.first_line, "'his fourth … picture'")
                    return m3.group("n").strip()
        return None

    def _mentions(self, film: FilmRecord, paragraphs: list[Paragraph], *, cast_table: bool) -> list[FilmRecord]:
        people = {match_key(c.actor) for c in film.cast} | {match_key(c.character or "") for c in film.cast}
        people |= {match_key(n) for n in [*film.directors, *film.writers]}
        own = match_key(film.title)
        found: dict[str, FilmRecord] = {}

        surnames = {match_key(part) for c in film.cast for part in c.actor.split()}
        surnames |= {match_key(part) for n in [*film.directors, *film.writers] for part in n.split()}

        def add(title: str, year: int | None, line: int, cue: str, director: str | None = None) -> None:
            title = _ORIGINAL_PREFIX.sub("", title.strip(" ,.;:!?'\"“”‘’")).strip()
            title = _OWNER_PREFIX.sub("", title)
            if " and " in title and cue != "quoted title" and not _AND_LOWER.search(title):
                parts = title.split(" and ")
                joint_owners = len(parts) == 2 and re.search(r"['’]s\s", parts[1]) and nm.looks_like_person(parts[0])
                for part in parts[1:] if joint_owners else parts:  # `Howard Hawks and Christian Nyby's …`
                    add(part, None, line, cue)
                return
            if not _LATIN_LETTER.search(title) or match_key(title) in surnames or _YEAR_AND_WORD.fullmatch(title):
                return
            if _POSSESSIVE_END.search(title) or (" " not in title and (demonym(title) or language_code(title))):
                return  # `Dario Argento's` (classic), `the Korean` (thriller): not a title
            if not title or len(title) > 70 or not _LATIN_OR_DIGIT.search(title):
                return
            if title.isupper() and len(title) > 3:
                title = nm.title_case_title(title)
            key = match_key(title)
            if not key or key in people or len(key) < 2:
                return
            if key == own and (year is None or year == film.year or film.year is None):
                return
            if key == own:  # the same title in another year: a namesake, not a mention
                if all(n.year != year for n in self.year_namesakes):
                    self.year_namesakes.append(FilmRecord(title=film.title, year=year, release_date=str(year)))
                return
            if key in found:
                if year and found[key].year is None:
                    found[key].year, found[key].release_date = year, str(year)
                return
            record = FilmRecord(title=title, year=year, release_date=str(year) if year else None)
            if director:
                record.directors = [director]
            found[key] = record
            self.page.note("mention", f"{title}" + (f" ({year})" if year else ""), line, cue)

        for p in paragraphs:
            text = p.text
            for m in _TITLE_YEAR_PROSE.finditer(text):
                before = text[max(0, m.start() - 40):m.start()]
                if _SOURCE_WORK.search(before):
                    continue
                t = _OWNER_PREFIX.sub("", m.group("t"))
                t = re.sub(r"^(?:See|Watch|Read|Try|Skip|Rewatch|Revisit|Like|Unlike|Also)\s+", "", t)
                t = re.split(r"\s+(?:from|in|and|of|at|by|with|on)\s+the\s+|\s+and\s+", t)[-1]
                t = re.sub(r"^(?:In|With|And|But|Like|From|After|Since|Unlike|The\s+(?=[A-Z]{2}))\s+", "", t) \
                    if not t.startswith(("In the", "In Time")) else t
                add(t, int(m.group("y")), p.line_at(m.start()), "Title (YEAR)")
            for m in _ITALICS.finditer(text):
                if not nm.looks_like_person(m.group("t")):
                    add(m.group("t"), None, p.line_at(m.start()), "title in italics")
            for m in _QUOTED_TITLE.finditer(text):
                t = m.group("t").strip(" ,.")
                if re.fullmatch(r"[\dP][\dTHMS:+\-/]*|\d.*", t):
                    continue
                words = t.split()
                caps = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
                if (len(words) <= 7 and caps >= max(1, (len(words) + 1) // 2) and not nm.looks_like_person(t)) or (
                        len(words) <= 4 and caps == len(words)):
                    before = text[max(0, m.start() - 25):m.start()].lower()
                    if _SOURCE_WORK.search(before):
                        continue
                    if re.search(r"\b(?:calls?|called|named|credited\s+to|becomes|nicknamed|says|said|word)\W*$",
                                 before):
                        continue
                    add(t, None, p.line_at(m.start()), "quoted title")
            for m in _CAPS_TITLE.finditer(text):
                t = m.group("t")
                if len(_NON_WORD.sub("", t)) < 4 or (_ACRONYM.fullmatch(t.split()[0]) and len(t.split()) == 1):
                    continue
                if t.split()[0] in {"I", "A"} or _NUMBERS.fullmatch(t) or t.isdigit():
                    continue
                if not t.isupper():
                    continue
                year_after = _YEAR_AFTER.match(text[m.end():])
                add(t, int(year_after.group("y")) if year_after else None, p.line_at(m.start()), "title in capitals")
            for m in _POSSESSIVE_FILM.finditer(text):
                # `A's Winston and B's Charon`: the second possessive starts a new phrase
                t = self._trim_title(_NEXT_OWNER.split(m.group("t"))[0])
                single_owner = len(m.group("a").split()) == 1
                if single_owner and match_key(m.group("a")) in surnames:
                    continue  # `Shimura's Kambei`: a credited actor's role
                outsider = cast_table and match_key(m.group("a")) not in people  # not this film's
                if t and (t.split()[0] in {"The", "A", "An"} or _DIGIT_OR_LINK_WORD.search(t)
                          or single_owner or outsider) and match_key(t) not in people:
                    owner = m.group("a")
                    add(t, None, p.line_at(m.start()), "'Director's Title'",
                        director=owner if not single_owner else None)
            for m in _APPOSITIVE_FILM.finditer(text):
                t = re.sub(r"^(?:[A-Z][a-z]+\s+)?(?:seen|watched|of|saw)\s+", "", m.group("t"))
                words = t.split()
                while words and not nm.is_name_word(words[0]) and not words[0][0].isdigit():
                    words.pop(0)
                if words:
                    add(" ".join(words), int(m.group("y")) if m.group("y") else None, p.line_at(m.start()),
                        "'Title, the YEAR follow-up'")
            for m in _SEEN_FILM.finditer(text):
                for group in ("t", "t2", "t3", "t4"):
                    t = self._trim_title(m.group(group) or "")
                    if t and not nm.looks_like_person(t) and match_key(t) not in people and len(t) > 2:
                        add(t, None, p.line_at(m.start()), "'saw X or Y', 'from X to Y'")
            for m in _AWARD_FOR.finditer(text):  # `nominated for four Oscars and won one, for Happy Feet`
                t = self._trim_title(re.split(r"\s+and\s+(?:for\s+)?", m.group("t"))[0])
                if t and match_key(t) not in people and not _PRIZE_NAME.match(t):
                    add(t, None, p.line_at(m.start()), "'won … for Title'")
            for m in _FILM_LIST.finditer(text):  # `several pictures, among them Constantine and Point Break`
                for item in re.split(r",\s+(?:and\s+)?|\s+and\s+", m.group("list")):
                    item = re.sub(r"^the\s+(?=[A-Z])", "", item.strip())
                    if item and match_key(item) not in people and not re.search(r"\bfilms?$|\bmovies?$", item):
                        add(item, None, p.line_at(m.start()), "'films, among them X and Y'")
            for cue in roles.pairs(text):  # `(Eve Axén, LUDWIG)`: an actor with another film of theirs
                tail = (cue.other or "").strip() if cue.kind == "filmography" else ""
                if tail and not _DIGITS_ONLY.fullmatch(tail) and _title_shaped(tail) and len(tail.split()) <= 6 \
                        and not nm.looks_like_person(tail):
                    add(tail, None, p.line_at(cue.offset), "'(actor, OTHER FILM)'")
            for m in _CONTEXT_FILM.finditer(text):
                strong = m.group("t") or m.group("t3")  # `director of X`, `comparisons with X` say X is a film
                t = self._trim_title(strong or m.group("t2") or "")
                weak_ok = not nm.looks_like_person(t) and not _actor_and_role(t, people)
                if t and (strong or weak_ok) and match_key(t) not in people:
                    add(t, None, p.line_at(m.start()), "film context ('director of', 'since', 'like')")
            for m in _YEAR_KIND_FILM.finditer(text):
                t = self._trim_title(m.group("t"))
                if t and match_key(t) not in people:
                    add(t, None, p.line_at(m.start()), "'YEAR kind-of-film Title'")
        return list(found.values())

    @staticmethod
    def _trim_title(text: str) -> str:
        words = text.split()
        while words and words[-1].lower() in {"of", "the", "and", "for", "in", "to", "a", "an", "on", "with"}:
            words.pop()
        return " ".join(words).strip(" ,.:;")


def _has_cast_table(credits: Credits) -> bool:
    """A cast table that gives five or more characters lists the film's people: a name outside it is not one."""
    return sum(1 for c in credits.cast if c.character) >= 5


def _actor_and_role(text: str, people: set[str]) -> bool:
    """`Ian McShane's Winston`: a person's role, not a film (`Jordan Peele's Us` needs a stronger cue)."""
    owner = re.match(r"^(?P<o>.+?)['’]s\s+(?P<rest>.+)$", text)
    if owner is None:
        return False
    return match_key(owner.group("o")) in people or (
        nm.looks_like_person(owner.group("o")) and not re.match(r"\d|(?:The|A|An)\s", owner.group("rest")))


def _subtitled(title: str, headline: str) -> bool:
    """The headline prints the title with a subtitle after a colon (`Title: subtitle`)."""
    at = headline.find(title)
    while at >= 0:
        if _COLON_AND_MORE.match(headline, at + len(title)):
            return True
        at = headline.find(title, at + 1)
    return False


def _title_shaped(title: str) -> bool:
    """Every significant word capitalised (`Decision to Leave`, `BROKER`), or a non-Latin title."""
    small = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from", "vs", "no"}
    words = [w for w in _TITLE_WORD.findall(title) if w.lower() not in small or w is title.split()[0]]
    if not words or all(w.lower() in small or w.lower() in nm.FUNCTION_WORDS for w in words):
        return False
    last = _TITLE_WORD.findall(title)[-1:]
    if last and last[0] in small and len(title.split()) > 1:
        return False  # `Cooking of the a`: a title does not end on a lower-case article or preposition
    if _REPEATED_WORD.search(title):
        return False  # `Cooking the the the`: a word twice over is a slip, not a title
    if not _LATIN_LETTER.search(title):
        return True
    return all(w[0].isupper() or w[0].isdigit() or not w[0].isascii() for w in words)


def _typo(a: str, b: str) -> bool:
    """`Laurance Fishburne` / `Laurence Fishburn`: one letter or two apart in a long name, same initials."""
    from rapidfuzz.distance import Levenshtein

    ka, kb = match_key(a), match_key(b)
    if len(ka) < 10 or ka[0] != kb[0] or len(a.split()) != len(b.split()):
        return False
    return Levenshtein.distance(ka, kb) <= 2 and all(x[0].lower() == y[0].lower() for x, y in zip(
        a.split(), b.split(), strict=True))


def _same_character(a: str, b: str) -> bool:
    ka, kb = match_key(a), match_key(b)
    return ka in kb or kb in ka or bool(set(a.lower().split()) & set(b.lower().split()) - {"the", "mr.", "dr."})


class _NameResolver:
    """Turns a surname or a given name in prose into the one full name the page uses for that person."""

    def __init__(self, full_names: set[str], title: str, singles: set[str] | None = None) -> None:
        self.full_names = {n for n in full_names if len(n.split()) >= 2}
        self.singles = {match_key(n): n for n in singles or set()}
        self.by_part: dict[str, set[str]] = {}
        for name in self.full_names:
            for part in name.split():
                self.by_part.setdefault(match_key(part), set()).add(name)
        self.title_key = match_key(title)

    def full(self, name: str | None, prefer: set[str] | None = None) -> str | None:
        if not name:
            return None
        name = nm.family_case(nm.clean(name))
        if len(name.split()) >= 2:
            return name if nm.looks_like_person(name) else None
        if match_key(name) in self.singles:
            return self.singles[match_key(name)]
        candidates = self.by_part.get(match_key(name), set())
        keys = {match_key(c) for c in candidates}
        if len(keys) > 1 and prefer:
            candidates = {c for c in candidates if match_key(c) in prefer}
            keys = {match_key(c) for c in candidates}
        if len(keys) == 1:
            return sorted(candidates, key=lambda c: (-len(c), c))[0]
        return None


def parse_review_text(text: str, source: str, *, is_known_person: KnownPerson | None = None,
                      content_hash: str = "") -> ReviewRecord:
    """Read one plain-text review into a ReviewRecord (raises ExtractionError naming `source`)."""
    return PageReader(text, source, is_known_person).read(content_hash)


__all__ = ["PageReader", "parse_review_text"]
