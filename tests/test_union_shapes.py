"""The union of every source conforms to ontology/shapes.ttl (issue 12 item 6).

Where sources disagree on a film's release date or running time, the union carries each source's claim
(shapes.ttl has no sh:maxCount on them), the disagreement stays in the sources' named graphs and in
`filmgraph conflicts`, and one value per film within one source is still checked on every input
(ontology/shapes-per-source.ttl)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from conftest import FIXED_TIME, SAMPLES, shared_path
from filmgraph.config import Settings
from filmgraph.discover.queries import load_query
from filmgraph.errors import ValidationFailed
from filmgraph.graph import validate
from filmgraph.ingest import Ingestor
from filmgraph.resources import ontology_dir
from filmgraph.store import SelectResult, open_store

SCHEMA = "http://schema.org/"


def imdb_slice(folder: Path, titles: set[str], first: int = 150) -> Path:
    """The IMDb 5000 rows of the films the other sources name, and the first `first` rows."""
    source = shared_path("data/imdb5000_movie_metadata.csv")
    reader = csv.reader(io.StringIO(source.read_text(encoding="utf-8")))
    header = next(reader)
    title = header.index("movie_title")
    rows = [row for n, row in enumerate(reader)
            if n < first or (len(row) > title and row[title].replace("\xa0", " ").strip().lower() in titles)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path = folder / "imdb5000_movie_metadata.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_union_of_every_source_conforms_to_the_shapes(tmp_path: Path) -> None:
    store = open_store("memory")
    ingestor = Ingestor(store, Settings(store="memory"), clock=lambda: FIXED_TIME)
    first = [*sorted(SAMPLES.iterdir()), shared_path("seeds/000_e60a94f7ba5846fc.txt"),
             shared_path("data/kmdb_korean_films_56.json")]
    outcomes = list(ingestor.ingest_many(first))
    names = store.query(f"SELECT DISTINCT ?n WHERE {{ ?f a <{SCHEMA}Movie> ; <{SCHEMA}name> ?n }}")
    assert isinstance(names, SelectResult)
    titles = {str(row["n"]).lower() for row in names}
    outcomes += list(ingestor.ingest_many([imdb_slice(tmp_path, titles)]))
    assert [o.source for o in outcomes if o.status == "refused"] == []

    union = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(union, Graph)
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(union, shacl_graph=shapes, inference="none", allow_warnings=False)
    assert conforms, text[:3000]

    # the sources' disagreements are kept: claims side by side in the union, each in its source's graph
    dated = [film for film in set(union.subjects(RDF.type, URIRef(SCHEMA + "Movie")))
             if len(set(union.objects(film, URIRef(SCHEMA + "datePublished")))) > 1]
    timed = [film for film in set(union.subjects(RDF.type, URIRef(SCHEMA + "Movie")))
             if len(set(union.objects(film, URIRef(SCHEMA + "duration")))) > 1]
    assert dated and timed
    conflicts = load_query("source-conflicts").run(store)
    assert isinstance(conflicts, SelectResult)
    assert {row["film"] for row in conflicts if row["property"] == URIRef(SCHEMA + "duration")} >= set(timed)
    store.close()


def test_one_source_still_gives_a_film_one_release_date_and_one_running_time() -> None:
    film = URIRef("https://w3id.org/filmgraph/id/film/oldboy-2003")
    XSD = "http://www.w3.org/2001/XMLSchema#"
    for prop, values in (("datePublished", [("2003", "gYear"), ("2003-11", "gYearMonth")]),
                         ("duration", [("PT2H", "duration"), ("PT1H59M", "duration")])):
        graph = Graph()
        graph.add((film, RDF.type, URIRef(SCHEMA + "Movie")))
        graph.add((film, URIRef(SCHEMA + "name"), Literal("Oldboy")))
        for value, datatype in values:
            graph.add((film, URIRef(SCHEMA + prop), Literal(value, datatype=URIRef(XSD + datatype))))
        with pytest.raises(ValidationFailed, match="one source gives a film at most one"):
            validate.check(graph, source=f"two {prop}")
