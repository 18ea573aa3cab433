"""A deterministic corpus of plain-text film reviews in the layouts of the sample reviews, for benchmarks.

    from review_corpus import write_corpus
    paths = write_corpus(folder, 1000, bad=1)        # 1,000 review files, one of them invalid

Each review is of a generated film (title, year, director, writers, three to five actors with their
characters, runtime, release date, country, language, genres), by one of 40 publications, written in one of
seven layouts modelled on `data/samples` and the seed review: a colon credit block, a dash list, a
tab-separated infobox, "played by" credits, "actor – character" credits, credits told in prose with a star
rating, and the glued "key details" block of a magazine page. People come from a shared pool with a Zipf-like
skew, so reviews link to each other's people; about one film in eight is reviewed twice, by two
publications. The real sample reviews (and the seed, when `../shared` is present) are included once each.

`bad` reviews carry a rating above the scale (7/5), which the shapes refuse (sch:ratingValue <= bestRating).
Run `python bench/review_corpus.py DIR --reviews 1000` to write the files and list the layouts used.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_e60a94f7ba5846fc.txt"

WORDS = ["Night", "River", "Last", "City", "Silent", "Red", "House", "Summer", "Wolf", "Secret", "Blue", "Road",
         "Winter", "Garden", "Storm", "King", "Little", "Dark", "Paper", "Moon", "Glass", "Iron", "Lost", "Golden",
         "Shadow", "Heart", "Empire", "Train", "Island", "Mirror", "Fire", "Long", "Harbour", "Salt", "Quiet"]
GIVEN = ["Anna", "Bora", "Chen", "Dara", "Elif", "Femi", "Goran", "Hana", "Ivo", "Junho", "Kofi", "Lena", "Mina",
         "Nico", "Oren", "Quinn", "Rosa", "Sami", "Taeyang", "Uma", "Vera", "Willem", "Xiu", "Yara", "Zeno",
         "Marta", "Pavel", "Ines", "Tomas", "Leila"]
FAMILY = ["Abernathy", "Berglund", "Castellano", "Dimitrov", "Eze", "Fairbanks", "Gallagher", "Hartmann",
          "Ishikawa", "Jovanovic", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okonkwo", "Petrov",
          "Quintero", "Rossi", "Sandoval", "Takahashi", "Ueda", "Varga", "Whitaker", "Yilmaz", "Zielinski"]
KOREAN_FAMILY = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Han", "Seo", "Shin"]
KOREAN_GIVEN = ["Ji-hoon", "Min-seo", "Seo-yeon", "Do-hyun", "Ha-eun", "Jae-won", "Yu-na", "Tae-min", "Soo-ah",
                "Eun-ji", "Hyun-woo", "Na-rae"]
CHARACTER_GIVEN = ["Mara", "Tobias", "Iris", "Felix", "Greta", "Hugo", "Nadia", "Oskar", "Lucia", "Rafael",
                   "Selma", "Viktor", "Clara", "Anton", "Edith", "Matteo", "Ok-ju", "Dae-su", "Hae-mi", "Jun-ho"]
CHARACTER_FAMILY = ["Vance", "Hale", "Crane", "Morrow", "Sterling", "Blackwood", "Ashford", "Kessler", "Lowe"]
GENRES = ["Drama", "Comedy", "Thriller", "Action", "Romance", "Horror", "Crime", "Mystery", "Adventure",
          "Fantasy", "War", "Western"]
PLACES = [("United States", "English"), ("South Korea", "Korean"), ("France", "French"), ("Japan", "Japanese"),
          ("Germany", "German"), ("Italy", "Italian"), ("United Kingdom", "English"), ("Spain", "Spanish")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
PUBLICATION_WORDS = ["Reel", "Frame", "Screen", "Lantern", "Celluloid", "Projector", "Matinee", "Balcony"]
PUBLICATION_KINDS = ["Weekly", "Review", "Journal", "Quarterly", "Magazine"]
PROSE = [
    "The first act is patient, almost slow, and the film trusts its audience to keep up.",
    "The camera stays close to the faces, and the editing never hurries a scene that needs room.",
    "The score is sparse and the sound design does most of the work in the long night sequences.",
    "Some of the dialogue is stiff, but the set pieces are staged with real care and wit.",
    "It is a story about families and the debts they pass on, told without easy answers.",
    "By the final act the tension is close to unbearable, and the ending lands with quiet force.",
    "The middle stretch sags a little, and a subplot about a missing letter goes nowhere.",
    "The production design is lavish without ever distracting from the people at its centre.",
]


@dataclass
class Credit:
    actor: str
    character: str


@dataclass
class Film:
    title: str
    year: int
    month: int
    day: int
    runtime: int
    country: str
    language: str
    genres: list[str]
    director: str
    writers: list[str]
    cast: list[Credit]


@dataclass
class Review:
    film: Film
    publication: str
    author: str
    score: float  # on a 0-1 scale
    bad: bool = False
    prose: list[str] = field(default_factory=list)


class _Zipf:
    def __init__(self, n: int, offset: int = 20) -> None:
        self.cumulative = list(itertools.accumulate(1.0 / (k + offset) for k in range(n)))

    def draw(self, rng: random.Random) -> int:
        return min(len(self.cumulative) - 1, bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1]))


def _people(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        if rng.random() < 0.3:
            names.add(f"{rng.choice(KOREAN_FAMILY)} {rng.choice(KOREAN_GIVEN)}")
        else:
            names.add(f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}")
    return sorted(names)


def _films(rng: random.Random, count: int) -> list[Film]:
    actors = _people(rng, max(60, count))
    crew = _people(rng, max(30, count // 3))
    actor_pick, crew_pick = _Zipf(len(actors)), _Zipf(len(crew))
    titles: set[str] = set()
    films: list[Film] = []
    while len(films) < count:
        title = " ".join(rng.sample(WORDS, 1 + rng.randrange(3)))
        if title in titles:
            continue
        titles.add(title)
        cast: list[Credit] = []
        names: set[str] = set()
        characters: set[str] = set()
        while len(cast) < 3 + rng.randrange(3):
            actor = actors[actor_pick.draw(rng)]
            character = f"{rng.choice(CHARACTER_GIVEN)} {rng.choice(CHARACTER_FAMILY)}"
            if actor in names or character in characters:
                continue
            names.add(actor)
            characters.add(character)
            cast.append(Credit(actor, character))
        director = crew[crew_pick.draw(rng)]
        writers = sorted({director if rng.random() < 0.3 else crew[crew_pick.draw(rng)]
                          for _ in range(1 + rng.randrange(2))})
        country, language = rng.choice(PLACES)
        films.append(Film(title, 1960 + rng.randrange(64), 1 + rng.randrange(12), 1 + rng.randrange(28),
                          80 + rng.randrange(80), country, language, sorted(rng.sample(GENRES, 1 + rng.randrange(3))),
                          director, writers, cast))
    return films


def _date(f: Film) -> str:
    return f"{MONTHS[f.month - 1]} {f.day}, {f.year}"


def _paragraphs(r: Review) -> str:
    f = r.film
    lead, second = f.cast[0], f.cast[1]
    opening = (f"{f.title} follows {lead.character} ({lead.actor}), whose life comes apart over one long "
               f"season, and {second.character}, played by {second.actor}, who has reasons of their own to help.")
    return "\n\n".join([opening, *r.prose])


def _colon(r: Review) -> str:
    f = r.film
    cast = ", ".join(f"{c.character} ({c.actor})" for c in f.cast)
    return (f"Review: {f.title} ({f.year})\n\nBy {r.author}\n\nDirector: {f.director}\n"
            f"Writers: {', '.join(f.writers)}\nCast: {cast}\nGenre: {', '.join(f.genres)}\n"
            f"Runtime: {f.runtime} minutes\nPremiere date: {_date(f)}\nCountry: {f.country}\n"
            f"Language: {f.language}\n\n{_paragraphs(r)}\n\nOur rating: {_score(r, 10)}/10\n\n— {r.publication}\n")


def _dashlist(r: Review) -> str:
    f = r.film
    cast = "; ".join(f"{c.actor} as {c.character}" for c in f.cast)
    return (f"{f.title} review – {f.director}'s film keeps its nerve\n\n- Title: {f.title}\n"
            f"- Directed by: {f.director}\n- Written by: {', '.join(f.writers)}\n- Cast: {cast}\n"
            f"- Running time: {f.runtime} min\n- Release date: {_date(f)}\n- Country: {f.country}\n"
            f"- Language: {f.language}\n- Source: {r.publication}\n- Author: {r.author}\n\n{_paragraphs(r)}\n\n"
            f"Rating: {_score(r, 4)} out of 4\n")


def _infobox(r: Review) -> str:
    f = r.film
    writers = "\n".join(f.writers)
    starring = "\n".join(c.actor for c in f.cast)
    return (f"{f.title}\n\nFrom {r.publication}, the film archive issue\n\nDirected by\t{f.director}\n"
            f"Screenplay by\n{writers}\nStarring\n{starring}\nRunning time\t{f.runtime} minutes\n"
            f"Country\t{f.country}\nLanguage\t{f.language}\nRelease date\t{f.day} {MONTHS[f.month - 1]} {f.year}\n\n"
            f"{_paragraphs(r)}\n\nRating: {_score(r, 5)}/5\n\nPublished in {r.publication}\n")


def _played_by(r: Review) -> str:
    f = r.film
    characters = "\n".join(f"- {c.character} (played by {c.actor})" for c in f.cast)
    return (f"{f.title} ({f.year}) review: {f.cast[0].actor} carries a {f.genres[0].lower()} of the old kind\n\n"
            f"Publication: {r.publication}\nAuthor: {r.author}\n\nCredits\n- Director: {f.director}\n"
            f"- Writer: {f.writers[0]}\n- Characters:\n{characters}\n- Running time: {f.runtime // 60} hrs "
            f"{f.runtime % 60} mins\n- Released: {_date(f)}\n- Country: {f.country}\n- Language: {f.language}\n\n"
            f"{_paragraphs(r)}\n\nRating: {_score(r, 5)} stars\n")


def _dash_credits(r: Review) -> str:
    f = r.film
    starring = "\n".join(f"{c.actor} – {c.character}" for c in f.cast)
    return (f"{f.title} ({f.year}): {f.director}'s {f.genres[0].lower()} about a family that keeps its secrets\n\n"
            f"{r.publication} | review\n\n{f.title} is a {f.year} film directed by {f.director}.\n\n"
            f"Starring:\n{starring}\n\nRunning time: {f.runtime} minutes\n\n{_paragraphs(r)}\n\n"
            f"Our score: {_score(r, 10)} out of 10\n\nPublished in {r.publication}\n")


def _prose_stars(r: Review) -> str:
    f = r.film
    full = int(r.score * 5)
    stars = "★" * full + ("½" if r.score * 5 - full >= 0.5 else "")
    lines = [f"{c.actor} as {c.character} is {PROSE[i % len(PROSE)][4:].rstrip('.').lower()}."
             for i, c in enumerate(f.cast[:3])]
    return (f"{f.title} ({f.year}) – a {f.genres[0].lower()} with a long memory\n\n{stars or '½'}\n\n"
            f"{f.title} ({f.year}) is a film that does its job well.\n\n{' '.join(lines)}\n\n"
            f"Written by {' and '.join(f.writers)} and directed by {f.director}, the film runs {f.runtime} minutes.\n\n"
            f"{_paragraphs(r)}\n\nPosted by {r.author} on the {r.publication}\n\nDiscover more from {r.publication}\n")


def _glued(r: Review) -> str:
    f = r.film
    cast = ", ".join(f"{c.actor} ({c.character})" for c in f.cast)
    initials = "".join(w[0] for w in r.publication.split())
    return (f"{f.title} ({f.year}) Film: A {f.genres[0]} Story\n\nHome » Movie Review » {f.title} ({f.year})\n\n"
            f"{f.title} is a {f.year} movie from {f.country}.\n\n{_paragraphs(r)}\n\n"
            f"Key details of this {f.year} Film\n\nGenre{', '.join(f.genres)}\nOriginal language{f.language}\n"
            f"Released in{MONTHS[f.month - 1]}, {f.year}\nDuration{f.runtime // 60} hours {f.runtime % 60} minutes\n"
            f"Director{f.director}\nCast{cast}, etc.\nAbout – {f.title} ({f.year}) Film.\n\n"
            f"{initials}’s rating of this {f.year} Film\n\n{initials}’s rating{_score(r, 5)}/5\n\n"
            f"Discover more from {r.publication}\n")


LAYOUTS: dict[str, Callable[[Review], str]] = {
    "colon": _colon, "dashlist": _dashlist, "infobox": _infobox, "played-by": _played_by,
    "dash-credits": _dash_credits, "prose-stars": _prose_stars, "glued": _glued,
}


def _score(r: Review, best: int) -> str:
    if r.bad:
        return str(best + 2)  # above the scale: the shapes refuse it
    value = round(r.score * best * 2) / 2
    return f"{value:g}"


def reviews(total: int, *, bad: int = 0, seed: int = 13) -> list[tuple[str, str]]:
    """(file name, text) for `total` generated reviews; `bad` of them (spread through the corpus) are invalid."""
    rng = random.Random(seed)
    films = _films(rng, max(1, total * 7 // 8))
    publications = sorted({f"{a} {b} {c}" for a, b, c in itertools.product(
        PUBLICATION_WORDS, ["Harbour", "Lane", "Street", "Hill", "Square"], PUBLICATION_KINDS)})
    publications = rng.sample(publications, 40)
    authors = _people(rng, 60)
    bad_at = {total * (k + 1) // (bad + 1) for k in range(bad)}
    out = []
    layouts = sorted(LAYOUTS)
    for i in range(total):
        film = films[i % len(films)] if i < len(films) else films[rng.randrange(len(films))]
        review = Review(film, rng.choice(publications), rng.choice(authors), 0.3 + 0.7 * rng.random(),
                        bad=i in bad_at, prose=rng.sample(PROSE, 2 + rng.randrange(3)))
        layout = layouts[(i * 5 + rng.randrange(2)) % len(layouts)]
        slug = "-".join(w.lower() for w in film.title.split())
        out.append((f"{i:05d}-{layout}-{slug}-{film.year}{'-bad' if review.bad else ''}.txt", LAYOUTS[layout](review)))
    return out


def write_corpus(folder: Path, total: int, *, bad: int = 0, samples: bool = True) -> list[Path]:
    """Write `total` review files into `folder` (the real samples and the seed among them when `samples`)."""
    folder.mkdir(parents=True, exist_ok=True)
    real = sorted((REPO / "data" / "samples").glob("*.txt")) + ([SEED] if SEED.exists() else []) if samples else []
    paths = []
    for source in real[:total]:
        target = folder / f"sample-{source.name}"
        shutil.copyfile(source, target)
        paths.append(target)
    for name, text in reviews(total - len(paths), bad=bad):
        target = folder / name
        target.write_text(text, encoding="utf-8")
        paths.append(target)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--bad", type=int, default=1)
    args = parser.parse_args()
    paths = write_corpus(args.folder, args.reviews, bad=args.bad)
    layouts = Counter(p.name.split("-")[1] if p.name[0].isdigit() else "sample" for p in paths)
    print(f"{len(paths)} reviews in {args.folder}: " + ", ".join(f"{n} {k}" for k, n in sorted(layouts.items())))


if __name__ == "__main__":
    main()
