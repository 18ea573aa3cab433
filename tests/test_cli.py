"""The command line as a user meets it: batches, reports, exit codes, and the lifecycle commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from conftest import SAMPLES
from filmgraph.cli import main


@pytest.fixture
def store_dir(tmp_path: Path) -> str:
    return str(tmp_path / "store")


def run(store: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", store, *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("oldboy_2003_glued.txt", "handmaiden_2016_infobox.txt", "decision_to_leave_2022_colon.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Critique: Amélie (2001)".encode("latin-1"))
    return folder


def test_a_batch_with_bad_files_ingests_the_good_ones_and_reports_the_rest(
        store_dir: str, batch: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, output = run(store_dir, "ingest", str(batch), "--report", str(report))
    assert code != 0
    assert "3 ingested" in output and "2 refused" in output
    data = json.loads(report.read_text())
    assert data["counts"] == {"ingested": 3, "refused": 2}
    reasons = {Path(r["input"]).name: r["reason"] for r in data["refused"]}
    assert "is empty" in reasons["empty.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    code, output = run(store_dir, "ingest", str(batch))
    assert "3 unchanged" in output


def test_an_export_a_stray_script_and_json_ld_in_a_folder(store_dir: str, batch: Path, tmp_path: Path) -> None:
    """RDF (what export writes) and files of other types are refused by name, not read as reviews of films
    named after their first lines; schema.org JSON-LD is read like a page's markup."""
    run(store_dir, "ingest", str(batch / "oldboy_2003_glued.txt"))
    folder = tmp_path / "mixed"
    folder.mkdir()
    assert run(store_dir, "export", "--format", "nquads", "-o", str(folder / "dump.nq"))[0] == 0
    (folder / "dump.txt").write_bytes((folder / "dump.nq").read_bytes())  # RDF behind a text suffix
    (folder / "notes.py").write_text('"""Title: a helper"""\nprint("hello")\n', encoding="utf-8")
    (folder / "burning.jsonld").write_text(json.dumps({
        "@context": "https://schema.org", "@type": "Review", "reviewBody": "Patient and unsettling.",
        "itemReviewed": {"@type": "Movie", "name": "Burning", "dateCreated": "2018",
                         "director": {"@type": "Person", "name": "Lee Chang-dong"}}}), encoding="utf-8")
    fresh = str(tmp_path / "fresh")
    report = tmp_path / "report.json"
    code, output = run(fresh, "ingest", str(folder), "--report", str(report))
    assert code != 0
    data = json.loads(report.read_text())
    assert data["counts"] == {"ingested": 1, "refused": 3}
    reasons = {Path(r["input"]).name: r["reason"] for r in data["refused"]}
    assert "is RDF (N-Quads)" in reasons["dump.nq"]
    assert "is RDF (N-Triples or N-Quads)" in reasons["dump.txt"]
    assert "unknown file type '.py'" in reasons["notes.py"]
    code, output = run(fresh, "stats")
    assert "│ Movie                │     1 │" in output  # Burning alone: nothing came of the refused files


def test_validate_is_a_dry_run(store_dir: str, batch: Path) -> None:
    code, output = run(store_dir, "validate", str(batch / "oldboy_2003_glued.txt"))
    assert code == 0 and "validated" in output
    code, output = run(store_dir, "stats")
    assert "│ triples (all graphs) │     0 │" in output


@pytest.mark.parametrize(("args", "message", "exit_code"), [
    (["ingest", "no/such/file.txt"], "no such file or folder", 2),
    (["retract", "never-ingested"], "no stored review", 6),
    (["ingest", "--format", "kmdb", str(SAMPLES / "oldboy_2003_glued.txt")], "oldboy_2003_glued.txt", 2),
])
def test_errors_name_the_input_and_exit_non_zero(store_dir: str, args: list[str], message: str,
                                                 exit_code: int) -> None:
    code, output = run(store_dir, *args)
    assert code == exit_code
    assert message in output


def test_reviews_retract_and_export(store_dir: str, batch: Path, tmp_path: Path) -> None:
    run(store_dir, "ingest", str(batch / "oldboy_2003_glued.txt"), str(batch / "handmaiden_2016_infobox.txt"))
    code, output = run(store_dir, "reviews", "--format", "json")
    listing = json.loads(output)
    assert {Path(r["graph"]).name for r in listing} == {"oldboy-2003-glued", "handmaiden-2016-infobox"}
    assert all(len(r["hash"]) == 64 for r in listing)
    code, output = run(store_dir, "retract", "oldboy-2003-glued")
    assert code == 0
    turtle, trig = tmp_path / "out.ttl", tmp_path / "out.trig"
    assert run(store_dir, "export", "-o", str(turtle))[0] == 0
    assert run(store_dir, "export", "--format", "trig", "-o", str(trig))[0] == 0
    graph = Graph().parse(turtle)
    names = {str(o) for o in graph.objects(None, None) if str(o) in {"Oldboy", "The Handmaiden"}}
    assert names == {"The Handmaiden"}
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    assert {str(g.identifier).rsplit("/", 1)[-1] for g in dataset.graphs() if len(g)} >= {"handmaiden-2016-infobox"}


def test_conflicting_sources_are_reported(store_dir: str, tmp_path: Path) -> None:
    for name, minutes in (("first.txt", 120), ("second.txt", 122)):
        (tmp_path / name).write_text(
            f"Oldboy (2003) review\n\nDirector: Park Chan-wook\nRuntime: {minutes} minutes\n"
            f"Cast: Choi Min-sik (Oh Dae-su)\nRating: 4/5\nPublication: Paper {name}\n", encoding="utf-8")
    code, output = run(store_dir, "ingest", str(tmp_path / "first.txt"), str(tmp_path / "second.txt"))
    assert code == 0, output
    code, output = run(store_dir, "conflicts", "--format", "json")
    rows = json.loads(output)
    assert [(r["property"].rsplit("/", 1)[-1], sorted([r["value"], r["other value"]])) for r in rows] == [
        ("duration", ["PT2H", "PT2H2M"])]


def test_links_report_lists_a_merged_spelling(store_dir: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Oldboy (2003) review\n\nDirector: Park Chan-wook\nCast: Choi Min-sik (Oh Dae-su)\n"
                                    "Rating: 4/5\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Oldboy (2003) review\n\nDirector: Chan-wook Park\nCast: Min-sik Choi (Oh Dae-su)\n"
                                    "Rating: 4/5\n", encoding="utf-8")
    assert run(store_dir, "ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))[0] == 0
    code, output = run(store_dir, "links", "--format", "json")
    assert code == 0
    decisions = json.loads(output)
    merged = {d["spelling"]: d["evidence"] for d in decisions if d["decision"] == "merged"}
    assert "order" in merged["Chan-wook Park"] and "order" in merged["Min-sik Choi"]
