"""Catalogue readers: IMDb 5000 CSV, KMDb JSON, MovieLens; and format detection.

Small hand-made fixtures live in tests/data/readers/; the real files are read from ../shared/data/ and
those tests skip when it is absent.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmgraph.errors import InputError
from filmgraph.extract.detect import detect_format
from filmgraph.extract.imdb5000 import read_imdb5000
from filmgraph.extract.kmdb import read_kmdb, split_english_title
from filmgraph.extract.movielens import (
    ARTICLES,
    format_movielens_title,
    move_article_back,
    move_article_front,
    parse_movielens_title,
    read_movielens,
    read_movielens_ratings,
)
from filmgraph.models import CatalogueRecord, FilmRecord

DATA = Path(__file__).resolve().parent / "data" / "readers"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
IMDB_CSV = SHARED_DATA / "imdb5000_movie_metadata.csv"
KMDB_JSON = SHARED_DATA / "kmdb_korean_films_56.json"
MOVIELENS = SHARED_DATA / "ml-latest-small"


def shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared/ only exists beside developer and CI checkouts)")
    return path


def by_imdb(catalogue: CatalogueRecord, tt: str) -> FilmRecord:
    iri = f"https://www.imdb.com/title/{tt}/"
    films = [f for f in catalogue.films if iri in f.identifiers]
    assert len(films) == 1, f"{tt}: {len(films)} films"
    return films[0]


def actors(film: FilmRecord) -> list[str]:
    return [c.actor for c in film.cast]


# ------------------------------------------------------------------------------------------ IMDb 5000

def test_imdb5000_fixture_merges_duplicates_and_reports_a_cut_row() -> None:
    catalogue = read_imdb5000(DATA / "imdb5000_small.csv")
    assert catalogue.name == "imdb5000"
    assert len(catalogue.content_hash) == 64
    assert len(catalogue.films) == 3  # The Host twice -> once; the cut-short row is skipped
    host = by_imdb(catalogue, "tt0468492")
    assert host.title == "The Host"  # the trailing U+00A0 is gone
    assert (host.year, host.release_date, host.runtime_minutes) == (2006, "2006", 110)
    assert host.directors == ["Joon-ho Bong"]  # given-name-first, as the file has it
    assert actors(host) == ["Doona Bae", "Kang-ho Song", "Ah-sung Ko"]
    assert all(c.character is None for c in host.cast)
    assert host.genres == ["Comedy", "Drama", "Horror", "Sci-Fi"]
    assert host.keywords == ["monster", "river", "seoul", "han river"]  # gap filled from the duplicate row
    assert (host.languages, host.countries, host.content_rating) == (["ko"], ["KR"], "R")
    other = by_imdb(catalogue, "tt1517260")
    assert (other.title, other.year) == ("The Host", 2013)
    assert other.languages == [] and other.countries == ["Atlantis"]  # unknown country kept as given
    assert any(w.startswith("line 6:") and "cut short" in w for w in catalogue.warnings)
    assert any("Klingon" in w for w in catalogue.warnings)


def test_imdb5000_wrong_columns_names_them_and_the_file() -> None:
    path = DATA / "imdb5000_wrong_columns.csv"
    with pytest.raises(InputError) as info:
        read_imdb5000(path)
    message = str(info.value)
    assert str(path) in message
    assert "movie_imdb_link" in message and "movie_title" in message


def test_imdb5000_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read_imdb5000(DATA / "empty.csv")
    header_only = tmp_path / "header.csv"
    header_only.write_text("movie_title,movie_imdb_link,title_year,director_name\n", encoding="utf-8")
    with pytest.raises(InputError, match="no film rows"):
        read_imdb5000(header_only)


def test_imdb5000_semicolons_and_unterminated_quote(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text(
        "idx;movie_title;director_name;title_year;movie_imdb_link\n"
        "0;Oldboy\u00a0;Chan-wook Park;2003;http://www.imdb.com/title/tt0364569/\n"
        '1;"Mother;Joon-ho Bong;2009;http://www.imdb.com/title/tt1216496/\n', encoding="utf-8")
    catalogue = read_imdb5000(path)
    oldboy = by_imdb(catalogue, "tt0364569")
    assert (oldboy.title, oldboy.year, oldboy.directors) == ("Oldboy", 2003, ["Chan-wook Park"])
    assert len(catalogue.films) == 1
    assert any(w.startswith("line 3:") for w in catalogue.warnings)


@pytest.mark.shared
def test_imdb5000_real_file() -> None:
    start = time.perf_counter()
    catalogue = read_imdb5000(shared(IMDB_CSV))
    elapsed = time.perf_counter() - start
    # 5,043 rows, 4,919 distinct IMDb ids (the row with an unquoted comma in its title repaired).
    assert len(catalogue.films) == 4919
    assert len({f.identifiers[0] for f in catalogue.films}) == 4919
    host = by_imdb(catalogue, "tt0468492")
    assert (host.title, host.year, host.directors) == ("The Host", 2006, ["Joon-ho Bong"])
    assert "Kang-ho Song" in actors(host)
    oldboy = by_imdb(catalogue, "tt0364569")
    assert (oldboy.title, oldboy.year, oldboy.directors) == ("Oldboy", 2003, ["Chan-wook Park"])
    assert all(not f.title.endswith("\u00a0") for f in catalogue.films)
    sanctuary = by_imdb(catalogue, "tt2049518")
    assert sanctuary.year == 2012 and sanctuary.title.startswith("Sanctuary")
    assert any(w.startswith("line 5033:") for w in catalogue.warnings)
    assert sum(1 for f in catalogue.films if f.countries == ["KR"]) >= 13
    assert elapsed < 5


# ------------------------------------------------------------------------------------------------ KMDb

def test_kmdb_fixture() -> None:
    catalogue = read_kmdb(DATA / "kmdb_small.json")
    assert catalogue.name == "kmdb"
    assert [f.title for f in catalogue.films] == ["Poetry", "Imsi Du Gamdok"]
    assert catalogue.warnings == ["entry 2: not a JSON object; skipped"]
    poetry = catalogue.films[0]
    assert (poetry.original_title, poetry.original_title_lang, poetry.year) == ("시", "ko", 2010)
    assert (poetry.runtime_minutes, poetry.content_rating, poetry.genres) == (139, "15세관람가", ["Drama"])
    assert (poetry.languages, poetry.countries) == (["ko"], ["KR"])
    assert poetry.directors == ["Lee Chang-dong"]
    assert actors(poetry) == ["Yun Jung-hee", "Kim Hee-ra", "단역배우"]
    assert poetry.person_identifiers == {"Yun Jung-hee": ["https://www.kmdb.or.kr/info/people/00000001"]}
    assert poetry.person_aliases == {"Lee Chang-dong": ["이창동"], "Yun Jung-hee": ["윤정희"], "Kim Hee-ra": ["김희라"]}
    assert poetry.description == "A woman in her sixties takes up a poetry class."
    two = catalogue.films[1]
    assert two.directors == ["Yim Pil-sung", "Kim Jee-woon"]
    assert two.person_aliases == {"Yim Pil-sung": ["임필성"], "Kim Jee-woon": ["김지운"]}
    assert two.countries == ["US", "KR"] and two.languages == ["ko"]
    assert two.genres == ["Science Fiction", "Fantasy", "실험영화"]  # unknown genre kept as given
    assert (two.runtime_minutes, two.content_rating) == (None, None)


def test_kmdb_invalid_json_gives_the_position() -> None:
    path = DATA / "kmdb_invalid.json"
    with pytest.raises(InputError) as info:
        read_kmdb(path)
    assert str(path) in str(info.value)
    assert "line 4 column 1" in str(info.value)


def test_kmdb_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "object.json"
    path.write_text('{"titleEng": "The Host"}', encoding="utf-8")
    with pytest.raises(InputError, match="list"):
        read_kmdb(path)


@pytest.mark.parametrize(("raw", "title", "groups"), [
    (" The Host (Goe-mool) ", "The Host", ["Goe-mool"]),
    ("Illang : The Wolf Bridge (Inrang)", "Illang: The Wolf Bridge", ["Inrang"]),
    ("Blades of Blood (Like the Moon that Escaped the Cloud)(Gurumul Beoseosnan Dalcherum)", "Blades of Blood",
     ["Like the Moon that Escaped the Cloud", "Gurumul Beoseosnan Dalcherum"]),
    ("(Dajjimawa Ri)", "", ["Dajjimawa Ri"]),
    ("Mother", "Mother", []),
])
def test_kmdb_english_title(raw: str, title: str, groups: list[str]) -> None:
    assert split_english_title(raw) == (title, groups)


@pytest.mark.shared
def test_kmdb_real_file() -> None:
    catalogue = read_kmdb(shared(KMDB_JSON))
    assert len(catalogue.films) == 56 and catalogue.warnings == []
    burning = next(f for f in catalogue.films if f.original_title == "버닝")
    assert (burning.title, burning.year, burning.directors) == ("BURNING", 2018, ["Lee Chang-dong"])
    assert "Jeon Jong-seo" in actors(burning) and "Yoo Ah-in" in actors(burning)
    assert burning.person_aliases["Jeon Jong-seo"] == ["전종서"]
    assert burning.person_identifiers["Jeon Jong-seo"] == ["https://www.kmdb.or.kr/info/people/00203728"]
    host = next(f for f in catalogue.films if f.original_title == "괴물")
    assert (host.title, host.year, host.directors) == ("The Host", 2006, ["Bong Joon-ho"])
    assert host.genres == ["Drama", "Science Fiction", "Family"]
    assert host.content_rating == "12세관람가"
    assert all(f.title == f.title.strip() and "(" not in f.title for f in catalogue.films)


# ------------------------------------------------------------------------------------------- MovieLens

@pytest.mark.parametrize(("raw", "title", "year", "original"), [
    ("Host, The (Gwoemul) (2006)", "The Host", 2006, "Gwoemul"),
    ("City of Lost Children, The (Cité des enfants perdus, La) (1995)", "The City of Lost Children", 1995,
     "La Cité des enfants perdus"),
    ("Léon: The Professional (a.k.a. The Professional) (Léon) (1994)", "Léon: The Professional", 1994, "Léon"),
    ("Seven (a.k.a. Se7en) (1995)", "Seven", 1995, None),
    ("Avventura, L' (1960)", "L'Avventura", 1960, None),
    ("Cry, the Beloved Country (1995)", "Cry, the Beloved Country", 1995, None),
    ("(500) Days of Summer (2009)", "(500) Days of Summer", 2009, None),
    ("Big Bang Theory, The (2007-)", "The Big Bang Theory", 2007, None),
    ("Rocky VI (1986) ", "Rocky VI", 1986, None),
    ("Hyena Road", "Hyena Road", None, None),
])
def test_movielens_titles(raw: str, title: str, year: int | None, original: str | None) -> None:
    parsed = parse_movielens_title(raw)
    assert (parsed.title, parsed.year, parsed.original_title) == (title, year, original)


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:!?-&'.éü",
                min_size=1, max_size=10)
_TITLE = st.lists(_WORD, min_size=1, max_size=5).map(" ".join).filter(
    lambda t: move_article_back(t) == t and move_article_front(t) == t)


@given(article=st.sampled_from(ARTICLES), rest=_TITLE)
def test_article_moving_round_trip(article: str, rest: str) -> None:
    title = f"{article}{rest}" if article.endswith("'") else f"{article} {rest}"
    moved = move_article_back(title)
    assert moved.endswith(f", {article}")
    assert move_article_front(moved) == title


@given(title=_TITLE, year=st.one_of(st.none(), st.integers(1880, 2030)),
       alternates=st.lists(_TITLE, max_size=2), article=st.sampled_from(("", "The ", "A ", "Les ")))
def test_movielens_title_round_trip(title: str, year: int | None, alternates: list[str], article: str) -> None:
    full = article + title
    parsed = parse_movielens_title(format_movielens_title(full, year, alternates))
    assert (parsed.title, parsed.year, parsed.alternates) == (full, year, alternates)


@given(title=_TITLE, year=st.integers(1880, 2030))
def test_movielens_year_extraction(title: str, year: int) -> None:
    assert parse_movielens_title(f"{title} ({year})").year == year


def test_movielens_fixture_with_ratings() -> None:
    folder = DATA / "movielens"
    catalogue = read_movielens(folder, include_ratings=True)
    assert catalogue.name == "movielens"
    assert [f.title for f in catalogue.films] == ["Old Boy", "The Host", "The Host", "Hyena Road"]
    host = catalogue.films[1]
    assert (host.year, host.original_title, host.original_title_lang) == (2006, "Gwoemul", None)
    assert host.identifiers == ["https://www.imdb.com/title/tt0468492/", "https://www.themoviedb.org/movie/1255"]
    assert catalogue.films[3].genres == [] and catalogue.films[3].year is None
    assert catalogue.films[3].identifiers == ["https://www.imdb.com/title/tt4034452/"]
    assert len(catalogue.reviews) == 3
    first = catalogue.reviews[0]
    assert first.film is host
    assert first.author == "movielens-user-1"
    assert first.rating is not None and (first.rating.value, first.rating.best, first.rating.worst) == (4.5, 5, 0.5)
    assert first.date_published == "2009-12-14"  # 1260759144 = 2009-12-14T02:52:24Z
    assert any("1 rating(s) of films not in movies.csv" in w for w in catalogue.warnings)
    assert any("unreadable rating line" in w and "line 6" in w for w in catalogue.warnings)
    # The movies.csv path works as well as the folder; ratings are left out unless asked for.
    assert read_movielens(folder / "movies.csv").reviews == []


def test_movielens_missing_columns(tmp_path: Path) -> None:
    (tmp_path / "movies.csv").write_text("id,name\n1,Oldboy (2003)\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_movielens(tmp_path)
    assert "movieId" in str(info.value) and "movies.csv" in str(info.value)
    with pytest.raises(InputError):
        read_movielens(tmp_path / "nowhere")


@pytest.mark.shared
def test_movielens_real_folder() -> None:
    folder = shared(MOVIELENS)
    start = time.perf_counter()
    catalogue = read_movielens(folder)
    assert time.perf_counter() - start < 2
    assert len(catalogue.films) == 9125 and catalogue.warnings == []
    host = by_imdb(catalogue, "tt0468492")
    assert (host.title, host.year, host.original_title) == ("The Host", 2006, "Gwoemul")
    assert "https://www.themoviedb.org/movie/1255" in host.identifiers
    assert by_imdb(catalogue, "tt1517260").year == 2013
    assert by_imdb(catalogue, "tt0364569").title == "Old Boy"


@pytest.mark.shared
def test_movielens_real_ratings_fast_and_shared_film_objects() -> None:
    folder = shared(MOVIELENS)
    catalogue = read_movielens(folder)
    films = {str(i): f for i, f in enumerate(catalogue.films)}  # any movieId -> film mapping is accepted
    start = time.perf_counter()
    reviews = read_movielens_ratings(folder, films)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"100k ratings took {elapsed:.2f} s"
    assert reviews and all(r.film in catalogue.films for r in reviews[:100])
    with_ratings = read_movielens(folder, include_ratings=True)
    assert len(with_ratings.reviews) == 100004
    assert all(r.rating is not None and isinstance(r.rating.value, float) and 0.5 <= r.rating.value <= 5
               for r in with_ratings.reviews)
    ids = {id(f) for f in with_ratings.films}
    assert all(id(r.film) in ids for r in with_ratings.reviews)
    host = by_imdb(with_ratings, "tt0468492")
    assert sum(1 for r in with_ratings.reviews if r.film is host) > 0


# ------------------------------------------------------------------------------------------- detection

def test_detect_fixtures(tmp_path: Path) -> None:
    assert detect_format(DATA / "imdb5000_small.csv") == "imdb5000"
    assert detect_format(DATA / "kmdb_small.json") == "kmdb"
    assert detect_format(DATA / "movielens") == "movielens"
    assert detect_format(DATA / "movielens" / "movies.csv") == "movielens"
    assert detect_format(DATA / "graph_refs.html") == "html"
    page = tmp_path / "saved_page.txt"
    page.write_text("<!DOCTYPE html>\n<html><body>Oldboy</body></html>", encoding="utf-8")
    assert detect_format(page) == "html"
    review = tmp_path / "review.txt"
    review.write_text("Oldboy (2003) review\n\nDirector: Park Chan-wook\n", encoding="utf-8")
    assert detect_format(review) == "text"


@pytest.mark.parametrize("name", ["imdb5000_wrong_columns.csv", "kmdb_invalid.json", "empty.csv"])
def test_detect_unknown_layouts(name: str) -> None:
    with pytest.raises(InputError) as info:
        detect_format(DATA / name)
    assert name in str(info.value)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("review.jsonld", '{"@context": "https://schema.org", "@type": "Movie", "name": "Oldboy"}', "jsonld"),
    ("review.json", '{"@context": "https://schema.org", "@type": "Movie", "name": "Oldboy"}', "jsonld"),
    ("graph.json", '[{"@context": "https://schema.org", "@graph": []}]', "jsonld"),
    ("saved", '{"@context": "https://schema.org", "@type": "Review"}', "jsonld"),
    ("review.md", "# Oldboy (2003)\n\nDirector: Park Chan-wook\n", "text"),
    ("review", "Oldboy (2003) review\n", "text"),
    ("review.txt", "<b>Oldboy</b> <i>(2003)</i> is a revenge film.\n", "text"),  # tags, not N-Triples
    ("review.text", "<http://example.org/a> is where I first read about it.\n", "text"),
])
def test_detect_by_type_and_content(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == expected


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("dump.nq", "<http://a/s> <http://a/p> <http://a/o> <http://a/g> .\n", "N-Quads"),
    ("dump.nt", "", "N-Triples"),
    ("dump.ttl", "", "Turtle"),
    ("dump.trig", "", "TriG"),
    ("dump.rdf", "", "RDF/XML"),
    ("dump.txt", "# exported\n\n@prefix schema: <http://schema.org/> .\n", "Turtle"),
    ("dump.txt", "PREFIX schema: <http://schema.org/>\n", "Turtle"),
    ("dump", '_:b0 <http://schema.org/name> "Oldboy" .\n', "N-Triples or N-Quads"),
    ("dump.md", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
     "RDF/XML"),
])
def test_rdf_is_refused_by_name(tmp_path: Path, name: str, content: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        detect_format(path)
    assert f"is RDF ({kind})" in str(info.value) and name in str(info.value)


@pytest.mark.parametrize("name", ["helper.py", "poster.pdf", "notes.docx", "still.png"])
def test_other_file_types_are_refused_by_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Title: not a review\n")
    with pytest.raises(InputError, match=r"unknown file type .*--format text"):
        detect_format(path)


@given(st.from_regex(r"(?:Prefix|Base|[A-Za-z\uac00-\ud7a3])[^\x00<{\\[]{0,200}", fullmatch=True))
def test_prose_that_starts_with_a_word_is_text(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    """Prose is never taken for RDF, even when it opens with 'Prefix' or 'Base'."""
    path = tmp_path_factory.mktemp("prose") / "review.txt"
    path.write_text(text, encoding="utf-8")
    assert detect_format(path) == "text"


def test_detect_unknown_json_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('[{"name": "Oldboy"}]', encoding="utf-8")
    with pytest.raises(InputError, match="unknown JSON layout"):
        detect_format(path)
    with pytest.raises(InputError, match="MovieLens"):
        detect_format(tmp_path)
    with pytest.raises(InputError, match="no such"):
        detect_format(tmp_path / "missing.txt")


@pytest.mark.shared
def test_detect_shared_files() -> None:
    assert detect_format(shared(IMDB_CSV)) == "imdb5000"
    assert detect_format(shared(KMDB_JSON)) == "kmdb"
    assert detect_format(shared(MOVIELENS)) == "movielens"
