"""Building the graph: evidence, SHACL, determinism, and what a bad corpus does to the store."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic

from graph.errors import ValidationFailed
from graph.extract import calendar
from graph.model import namespaces
from graph.pipeline.build import build, extract, union_of
from graph.pipeline.validate import check, check_or_raise, load_shapes
from graph.read.terms import rows
from graph.settings import Settings
from graph.sources.registry import Registry
from graph.store.embedded import StoreLayout
from tests.conftest import CALENDAR_DOC, CORPUS, Built, RunMkg

EVIDENCE = """
SELECT ?node ?doc ?evidence ?start ?end WHERE {
  GRAPH ?g {
    ?node mkg:evidence ?evidence ; mkg:charStart ?start ; mkg:charEnd ?end ;
          prov:wasDerivedFrom ?d .
  }
  ?d dcterms:identifier ?doc .
}
"""


def test_every_evidence_string_is_the_document_text_at_its_offsets(built: Built) -> None:
    found = rows(built.store.query(EVIDENCE))
    assert len(found) > 100
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for r in found:
        text = texts[str(r["doc"])]
        assert text[r["start"] : r["end"]] == r["evidence"], r["node"]  # type: ignore[misc]


def test_every_event_carries_its_row_verbatim(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT ?e ?row ?evidence WHERE { GRAPH ?g { ?e a mkg:Event ; schema:position ?row ; "
            "mkg:evidence ?evidence } }"
        )
    )
    assert len(found) == 51
    for r in found:
        assert str(r["evidence"]).startswith(f"{r['row']}. \n\t")


def test_built_graph_conforms_to_the_shapes(built: Built) -> None:
    report = check(
        union_of(built.extraction.dataset),
        load_shapes(built.settings.ontology_dir),
        built.extraction.ontology,
    )
    assert report.conforms, report.text()


def test_an_event_without_its_date_fails_validation_with_a_readable_report(built: Built) -> None:
    union = union_of(built.extraction.dataset)
    event = next(iter(union.subjects(namespaces.SCHEMA.position, Literal(5))))
    union.remove((event, namespaces.SCHEMA.startDate, None))
    with pytest.raises(ValidationFailed) as failure:
        check_or_raise(union, load_shapes(built.settings.ontology_dir), built.extraction.ontology)
    assert failure.value.violations == 1
    assert f"<{event}> (Expert Panel on the Gender Dimensions" in failure.value.report
    assert "[schema:startDate]" in failure.value.report
    assert "needs a start date" in failure.value.report


def test_rebuild_is_deterministic(tmp_path: Path, built: Built) -> None:
    settings = Settings(store=tmp_path / "store")
    info, _ = build(settings)
    assert info.version == built.info.version
    first_quads = Dataset()
    first_quads.parse(data=built.store.dump(), format="nquads")
    second_quads = Dataset()
    second_quads.parse(data=StoreLayout(settings.store).open().dump(), format="nquads")
    assert isomorphic(union_of(first_quads), union_of(second_quads))
    assert sorted(built.store.dump().splitlines()) == sorted(
        StoreLayout(settings.store).open().dump().splitlines()
    )


def test_top_ranks_iom_first_with_counts_from_the_graph(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg(
        "top", "--doc", CALENDAR_DOC, "--limit", "500", "--format", "json", settings=built.settings
    )
    assert done.returncode == 0, done.stderr
    ranking = json.loads(done.stdout)
    assert ranking[0]["id"] == "IOM"
    # An independent count: organizers per row, straight from the parser and registry.
    text = (CORPUS / f"{CALENDAR_DOC}.txt").read_text(encoding="utf-8")
    registry = Registry.load(built.settings.registry_dir)
    expected: Counter[str] = Counter()
    joint: Counter[str] = Counter()
    for record in calendar.extract_events(
        text, CALENDAR_DOC, "000", 2006, lambda n: registry.lookup_org(n) is not None
    ):
        orgs = {registry.resolve_org(m.text).key for m in record.mentions if m.role == "organizer"}
        expected.update(orgs)
        if len(orgs) > 1:
            joint.update(orgs)
    assert {r["id"]: r["events"] for r in ranking} == dict(expected)
    assert {r["id"]: r["joint_events"] for r in ranking} == {k: joint[k] for k in expected}
    assert ranking[0]["events"] == max(expected.values())


def test_top_counts_calendar_rows_with_count_rows(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg(
        "top", "--doc", CALENDAR_DOC, "--limit", "500", "--count", "rows", "--format", "json",
        settings=built.settings,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    ranking = json.loads(done.stdout)
    # An independent count: the rows each organization is named in, from the parser.
    text = (CORPUS / f"{CALENDAR_DOC}.txt").read_text(encoding="utf-8")
    registry = Registry.load(built.settings.registry_dir)
    named_in: dict[str, set[int | None]] = {}
    events: Counter[str] = Counter()
    for record in calendar.extract_events(
        text, CALENDAR_DOC, "000", 2006, lambda n: registry.lookup_org(n) is not None
    ):
        for org in {
            registry.resolve_org(m.text).key for m in record.mentions if m.role == "organizer"
        }:
            named_in.setdefault(org, set()).add(record.position)
            events[org] += 1
    assert {r["id"]: r["rows"] for r in ranking} == {k: len(v) for k, v in named_in.items()}
    assert [r["rows"] for r in ranking] == sorted((r["rows"] for r in ranking), reverse=True)
    assert any(r["rows"] < events[r["id"]] for r in ranking)  # row 17: two side events
    bad = run_mkg("top", "--count", "tables", settings=built.settings)
    assert bad.returncode != 0


def test_top_joint_only_orders_by_shared_events(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg("top", "--joint-only", "--format", "json", settings=built.settings)
    ranking = json.loads(done.stdout)
    counts = [r["joint_events"] for r in ranking]
    assert counts == sorted(counts, reverse=True)
    assert all(c > 0 for c in counts)


def test_top_with_an_unknown_document_is_one_clear_error(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg("top", "--doc", "no-such-doc", settings=built.settings)
    assert done.returncode == 1
    assert done.stderr.strip() == "mkg: error: no source document 'no-such-doc' in the graph"


def test_organization_missing_from_the_registry_becomes_a_flagged_new_one(
    fresh_settings: Settings,
) -> None:
    path = fresh_settings.corpus / f"{CALENDAR_DOC}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\tMIDSA, SAMP, IOM", "\tMIDSA, Windhoek Migration Forum, IOM"))
    info, extraction = build(fresh_settings)
    union = union_of(extraction.dataset)
    new = URIRef(fresh_settings.base_iri + "org/WINDHOEK-MIGRATION-FORUM")
    assert (
        new,
        URIRef("https://w3id.org/migration-kg/ontology#needsReview"),
        Literal(True),
    ) in union
    assert any("'Windhoek Migration Forum' is not in the registry" in w for w in info.warnings)
    assert any("row 18" in w for w in info.warnings)


# --- bad input: one clear line naming the file (and row), non-zero exit, old graph serves ---


def _break_malformed_date(corpus: Path) -> str:
    path = corpus / f"{CALENDAR_DOC}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("\tMar 15-16\n", "\tMar 35-36\n"))
    return f"{CALENDAR_DOC}.txt, row 7: malformed date 'Mar 35-36'"


def _break_undecodable(corpus: Path) -> str:
    (corpus / "002_701c0046ca42ff1f.txt").write_bytes(b"UNITAR \xff\xfe activities")
    return "002_701c0046ca42ff1f.txt: not valid UTF-8 (byte 7: 0xff)"


def _break_empty(corpus: Path) -> str:
    (corpus / "003_3ad2074d6c553691.txt").write_text("  \n\n")
    return "003_3ad2074d6c553691.txt: document is empty"


def _break_missing_file(corpus: Path) -> str:
    (corpus / "004_6339e25530592e73.txt").unlink()
    return "004_6339e25530592e73.txt: listed in manifest.yaml as '004_6339e25530592e73'"


def _break_unlisted_file(corpus: Path) -> str:
    (corpus / "notes.txt").write_text("a stray file\n")
    return "notes.txt: not listed in manifest.yaml"


def _break_malformed_manifest_date(corpus: Path) -> str:
    path = corpus / "manifest.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2006-11-21", "2006-13-21", 1))
    return "manifest.yaml: documents.2.date"


def _break_dropped_document(corpus: Path) -> str:
    """A document taken out of the corpus (file and manifest entry) that curated facts quote."""
    (corpus / "004_6339e25530592e73.txt").unlink()
    manifest = corpus / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[: text.index("  - id: 004_6339e25530592e73")], encoding="utf-8")
    return "curated facts quote documents that are not in the corpus: 004_6339e25530592e73 ("


@pytest.mark.parametrize(
    "breakage",
    [
        _break_malformed_date,
        _break_dropped_document,
        _break_undecodable,
        _break_empty,
        _break_missing_file,
        _break_unlisted_file,
        _break_malformed_manifest_date,
    ],
)
def test_bad_corpus_gives_one_error_line_and_keeps_the_previous_graph(
    breakage: object, fresh_settings: Settings, run_mkg: RunMkg
) -> None:
    first = run_mkg("build", settings=fresh_settings)
    assert first.returncode == 0, first.stderr
    before = StoreLayout(fresh_settings.store).current()
    expected = breakage(fresh_settings.corpus)  # type: ignore[operator]
    failed = run_mkg("build", settings=fresh_settings)
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1, failed.stderr
    assert lines[0].startswith("mkg: error: ")
    assert expected in lines[0]
    assert StoreLayout(fresh_settings.store).current() == before
    still = run_mkg("top", "--limit", "1", "--format", "json", settings=fresh_settings)
    assert still.returncode == 0 and json.loads(still.stdout)[0]["id"] == "IOM"


def test_a_build_that_fails_validation_leaves_the_store_untouched(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    build(fresh_settings)
    before = StoreLayout(fresh_settings.store).current()
    shapes = tmp_path / "ontology"
    shapes.mkdir()
    for name in ("mkg.ttl", "themes.ttl", "shapes.ttl"):
        (shapes / name).write_text((fresh_settings.ontology_dir / name).read_text())
    # A stricter rule the corpus does not meet: every event must have two organizers.
    (shapes / "shapes.ttl").write_text(
        (shapes / "shapes.ttl")
        .read_text()
        .replace("sh:path mkg:organizer ; sh:minCount 1", "sh:path mkg:organizer ; sh:minCount 2")
    )
    strict = fresh_settings.model_copy(update={"ontology_dir": shapes})
    with pytest.raises(ValidationFailed):
        build(strict)
    assert StoreLayout(fresh_settings.store).current() == before
    assert not list(StoreLayout(fresh_settings.store).versions.glob(".work-*"))


def test_extraction_reads_every_document(built: Built) -> None:
    extraction = extract(built.settings)
    assert extraction.documents == 5
    calendar_rows = {
        s for g in extraction.dataset.graphs() for s in g.subjects(namespaces.SCHEMA.position)
    }
    assert len(calendar_rows) == 51
    assert extraction.events > 51
