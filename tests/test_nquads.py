"""Bulk loads of N-Quads fill the union view in the same pass: the default-graph copy of each line, and the
whole store afterwards, agree with Oxigraph's own parser."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from filmgraph.store import OxigraphStore
from filmgraph.store.nquads import NotSimpleNQuads, default_copy

G = "<https://w3id.org/filmgraph/id/source/x>"


@pytest.mark.parametrize(("line", "copy"), [
    (f'<http://a/s> <http://a/p> <http://a/o> {G} .', "<http://a/s> <http://a/p> <http://a/o> ."),
    ('<http://a/s> <http://a/p> <http://a/o> .', None),
    (f'<http://a/s> <http://a/p> "a <http://a/b> c" {G} .', '<http://a/s> <http://a/p> "a <http://a/b> c" .'),
    ('<http://a/s> <http://a/p> "a <http://a/b>" .', None),
    ('<http://a/s> <http://a/p> "x y"^^<http://a/dt> .', None),
    (f'<http://a/s> <http://a/p> "x y"^^<http://a/dt> {G} .', '<http://a/s> <http://a/p> "x y"^^<http://a/dt> .'),
    (f'_:b1 <http://a/p> "발레리나"@ko {G} .', '_:b1 <http://a/p> "발레리나"@ko .'),
    ('<http://a/s> <http://a/p> "ends with _:b"@en .', None),
    ('<http://a/s> <http://a/p> "tab\there" _:g .', '<http://a/s> <http://a/p> "tab\there" .'),
    ("<http://a/s>\t<http://a/p>\t<http://a/o>\t<http://a/g>\t.", "<http://a/s>\t<http://a/p>\t<http://a/o> ."),
    ("", None), ("   ", None), ("# a comment", None),
])
def test_default_copy(line: str, copy: str | None) -> None:
    got = default_copy((line + "\n").encode())
    assert got == (None if copy is None else (copy + "\n").encode())


@pytest.mark.parametrize("line", [
    "<http://a/s> <http://a/p> <http://a/o> <http://a/g> . # why",  # a comment after the statement
    "<http://a/s> <http://a/p> <http://a/o><http://a/g> .",  # graph glued to an IRI object
    '<http://a/s> <http://a/p> "x"<http://a/g> .',  # ... to a literal
    '<http://a/s> <http://a/p> "x"@en<http://a/g> .',  # ... to a language tag
    "<http://a/s> <http://a/p> _:o<http://a/g> .",  # ... to a blank node
    "<http://a/s><http://a/p> <http://a/o> <http://a/g> .",  # subject glued to the predicate
    "_:s<http://a/p> <http://a/o> <http://a/g> .",
    '<http://a/s> <http://a/p> "5"^^ <http://a/dt> .',  # a datatype apart from its literal, no graph
    '<http://a/s> <http://a/p> "x" @en <http://a/g> .',
    "<http://a/s> <http://a/p> <http://a/o> <http://a/g> .\r<http://a/s> <http://a/p> <http://a/o> <http://a/g> .",
    "<http://a/s_:x> <http://a/p> <http://a/o> .",  # "_:" inside an IRI: not worth telling apart
])
def test_lines_it_cannot_split_for_sure_are_not_simple(line: str) -> None:
    with pytest.raises(NotSimpleNQuads):
        default_copy((line + "\n").encode())


IRIS = st.sampled_from(["http://a/s", "http://a/p", "https://w3id.org/filmgraph/id/film/x-2023", "urn:x:y"])
NODES = st.one_of(IRIS.map(ox.NamedNode), st.sampled_from(["b1", "b2"]).map(ox.BlankNode))
LITERALS = st.one_of(
    st.text(max_size=20).map(ox.Literal),
    st.builds(lambda t, lang: ox.Literal(t, language=lang), st.text(max_size=10),
              st.sampled_from(["en", "ko", "de-CH"])),
    st.builds(lambda t: ox.Literal(t, datatype=ox.NamedNode("http://a/dt")), st.text(max_size=10)))
QUADS = st.builds(ox.Quad, NODES, IRIS.map(ox.NamedNode), st.one_of(NODES, LITERALS),
                  st.one_of(st.just(ox.DefaultGraph()), IRIS.map(ox.NamedNode), NODES.filter(
                      lambda n: isinstance(n, ox.BlankNode))))


@settings(max_examples=200)
@given(QUADS)
def test_the_copy_is_the_quads_triple_as_oxigraph_reads_it(quad: ox.Quad) -> None:
    line = ox.serialize([quad], format=ox.RdfFormat.N_QUADS)
    assert line is not None
    assert_copy_of(quad, default_copy(line))


def assert_copy_of(quad: ox.Quad, copy: bytes | None) -> None:
    """`copy` is None for a default-graph quad, else a line Oxigraph reads as the quad's default-graph triple."""
    if isinstance(quad.graph_name, ox.DefaultGraph):
        assert copy is None
        return
    assert copy is not None
    [read] = list(ox.parse(copy, format=ox.RdfFormat.N_QUADS))
    assert read.graph_name == ox.DefaultGraph()
    assert read.triple == quad.triple


SEPARATORS = st.sampled_from([" ", "\t", "  ", ""])


def _literal_text(literal: ox.Literal, before_suffix: str, after_hats: str) -> str:
    quoted = str(ox.Literal(literal.value))
    if literal.language:
        return f"{quoted}{before_suffix}@{literal.language}"
    if literal.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"{quoted}{before_suffix}^^{after_hats}{literal.datatype}"
    return quoted


@settings(max_examples=400)
@given(QUADS, st.lists(SEPARATORS, min_size=6, max_size=6))
def test_any_spacing_is_split_right_or_left_to_the_slow_path(quad: ox.Quad, gaps: list[str]) -> None:
    """Terms glued together or spread apart, in every legal way: the copy is right, or the line is not simple."""
    obj = (_literal_text(quad.object, gaps[4], gaps[5]) if isinstance(quad.object, ox.Literal)
           else str(quad.object))
    terms = [str(quad.subject), str(quad.predicate), obj]
    if not isinstance(quad.graph_name, ox.DefaultGraph):
        terms.append(str(quad.graph_name))
    line = "".join(term + gap for term, gap in zip(terms, gaps, strict=False)) + ".\n"
    try:
        [read] = list(ox.parse(line.encode(), format=ox.RdfFormat.N_QUADS))
    except SyntaxError:
        assume(False)  # not N-Quads (a blank node label glued to what follows): the loader reports it
    try:
        copy = default_copy(line.encode())
    except NotSimpleNQuads:
        return
    assert_copy_of(read, copy)


def _content(store: OxigraphStore) -> set[ox.Quad]:
    return set(store._store.quads_for_pattern(None, None, None, None))  # every quad, the view too


@pytest.mark.parametrize("edit", [None, (" .\n", " . # noted\n"), ("> <http://a/g1> .", "><http://a/g1> .")],
                         ids=["one pass", "a comment: the slow path", "glued terms: the slow path"])
def test_bulk_load_file_fills_graphs_and_union_view(tmp_path: Path, edit: tuple[str, str] | None) -> None:
    quads = [ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal("a <http://x> b"),
                     ox.NamedNode("http://a/g1")),
             ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal("a <http://x> b"),
                     ox.NamedNode("http://a/g2")),  # the same triple in two graphs: once in the view
             ox.Quad(ox.BlankNode("b"), ox.NamedNode("http://a/p"), ox.NamedNode("http://a/o"),
                     ox.NamedNode("http://a/g1")),
             ox.Quad(ox.NamedNode("http://a/t"), ox.NamedNode("http://a/p"), ox.Literal("5", language="en"),
                     ox.DefaultGraph())]
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert text is not None
    if edit is not None:
        assert edit[0].encode() in text
        text = text.replace(edit[0].encode(), edit[1].encode(), 1)
    path = tmp_path / "in.nq"
    path.write_bytes(text)
    store = OxigraphStore(tmp_path / "db")
    store.bulk_load_file(path, "nquads")
    got = _content(store)
    named = {q for q in got if not isinstance(q.graph_name, ox.DefaultGraph)}
    view = {q.triple for q in got if isinstance(q.graph_name, ox.DefaultGraph)}
    assert {(q.subject.value if isinstance(q.subject, ox.NamedNode) else "_", q.graph_name.value)  # type: ignore[union-attr]
            for q in named} == {("http://a/s", "http://a/g1"), ("http://a/s", "http://a/g2"), ("_", "http://a/g1")}
    assert len(view) == 3  # two distinct named-graph triples and the default-graph one
    assert len(store) == 3  # quads in named graphs
    store.close()
