"""The statement pipeline: extractors on their own, curation as an overlay, and what a
build without curation finds (measured against the curated build).

Builds here run in-process on copies of the curation folder, so each test can add or
break a curated file without touching the real one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF

from graph.extract.base import Context
from graph.extract.registered import EXTRACTORS
from graph.extract.themes import ThemeTagger
from graph.model.iris import Minter
from graph.model.namespaces import MKG
from graph.pipeline.build import Extraction, extract
from graph.settings import Settings
from graph.sources.corpus import Document, ManifestEntry, load_corpus
from graph.sources.registry import Registry
from tests.conftest import CALENDAR_DOC, FIXTURES, RunMkg

REJECTED_PLAN = 'will pursue its "Key Migration Issues" Workshop Series in 2007'


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    """The corpus extracted with curation off."""
    settings = Settings(store=tmp_path_factory.mktemp("machine") / "store", curation=False)
    return extract(settings)


@pytest.fixture
def curation_copy(tmp_path: Path) -> Path:
    """A private copy of graph/curation/."""
    target = tmp_path / "curation"
    shutil.copytree(Settings().curation_dir, target)
    return target


def _context() -> Context:
    settings = Settings()
    minter = Minter(settings.base_iri)
    themes = Graph().parse(settings.ontology_dir / "themes.ttl", format="turtle")
    return Context(minter, Registry.load(settings.registry_dir), ThemeTagger.from_graph(themes))


def _document(text: str, name: str = "note") -> Document:
    entry = ManifestEntry(id=name, file=f"{name}.txt", title=name, date="2013-05-01",
                          publisher="unknown")  # fmt: skip
    return Document(entry, Path(f"{name}.txt"), text, "0" * 64)


def test_without_curation_the_trace_of_ares_60_227_is_not_empty(machine: Extraction) -> None:
    paragraphs = {str(p).rsplit("/", 1)[-1] for p in _subjects(machine, MKG.Paragraph)
                  if "A-RES-60-227/op/" in str(p)}  # fmt: skip
    # Box 2 of the first document names these operative paragraphs
    assert paragraphs >= {"15", "16", "17", "18", "19", "20", "21", "24"}
    linked = {link.paragraph for link in machine.inferred}
    assert any("A-RES-60-227/op/17" in str(p) for p in linked)
    assert machine.facts.curated_links == set()


def test_an_event_two_documents_tell_is_one_node_without_curation(machine: Extraction) -> None:
    """The 2013 Dialogue, told by 001 and again by 004 under another name, is one event
    with both documents' quotes; the retelling adds its quote, not a node."""
    retold = [f for f in machine.facts.admitted if f.subject in machine.facts.same_as]
    assert retold, "no finding retells an event"
    for finding in retold:
        node = machine.facts.same_as[finding.subject]
        assert finding.subject not in _subjects(machine, MKG.Event)
        assert finding.doc in _documents_of(machine, node), (finding.doc, node)
    dialogues = {
        s
        for s in _subjects(machine, MKG.Event)
        if "2013" in str(s) and "dialogue-on-international-migration" in str(s)
    }
    assert len(dialogues) == 1, dialogues


def _documents_of(machine: Extraction, node: object) -> set[str]:
    """The documents that quote a node, directly or through a further quote."""
    docs = {str(d) for _, _, d, _ in machine.dataset.quads((node, PROV.wasDerivedFrom, None, None))}
    for _, _, derivation, _ in machine.dataset.quads((node, PROV.qualifiedDerivation, None, None)):
        docs |= {
            str(d) for _, _, d, _ in machine.dataset.quads((derivation, PROV.entity, None, None))
        }
    return {d.rsplit("/", 1)[-1] for d in docs}


def test_every_claim_quotes_the_characters_at_its_offsets(machine: Extraction) -> None:
    texts = {doc.id: doc.text for doc in load_corpus(Settings().corpus)}
    checked = 0
    for g in machine.dataset.graphs():
        for node, quote in g.subject_objects(MKG.evidence):
            start, end = g.value(node, MKG.charStart), g.value(node, MKG.charEnd)
            doc = str(g.value(node, PROV.wasDerivedFrom)).rsplit("/", 1)[-1]
            assert isinstance(start, Literal) and isinstance(end, Literal)
            assert texts[doc][start.toPython() : end.toPython()] == str(quote)
            checked += 1
    assert checked > 100


def test_extracted_claims_carry_method_extractor_and_confidence(machine: Extraction) -> None:
    methods = set()
    for g in machine.dataset.graphs():
        for node in g.subjects(MKG.evidence, None):
            methods.add(str(g.value(node, MKG.method)))
            if str(g.value(node, MKG.method)) == "curated":
                continue
            confidence = g.value(node, MKG.confidence)
            assert confidence is not None and 0 <= float(confidence) <= 1, node
            assert g.value(node, MKG.extractor) is not None, node
    assert methods == {"extracted", "inferred"}


def _reject_event(curation_dir: Path, evidence: str, reason: str) -> None:
    """Add a rejection of the calendar's event quoted by `evidence` to rejections.yaml."""
    path = curation_dir / "rejections.yaml"
    path.write_text(
        path.read_text()
        + f"""
  - kind: event
    doc: {CALENDAR_DOC}
    evidence: "{evidence}"
    reason: "{reason}"
"""
    )


def test_a_rejected_finding_stays_out_with_its_reason(curation_copy: Path, tmp_path: Path) -> None:
    treaty_event = "/event/2006-09-13-new-york-treaty-event-focus-2006-crossing-borders"
    before = extract(Settings(store=tmp_path / "s", curation_dir=curation_copy))
    [subject] = [s for s in _subjects(before, MKG.Event) if str(s).endswith(treaty_event)]
    _reject_event(
        curation_copy,
        "Treaty Event Focus 2006: Crossing Borders",
        "A treaty-signing event, not a meeting on migration (a reviewer's call).",
    )
    after = extract(Settings(store=tmp_path / "s", curation_dir=curation_copy))
    rejected = {str(f.subject): reason for f, reason in after.facts.rejected}
    assert rejected[str(subject)].startswith("A treaty-signing event")
    assert not _typed(after, str(subject))
    assert after.events == before.events - 1


def test_a_rejection_that_rejects_nothing_is_reported(curation_copy: Path, tmp_path: Path) -> None:
    _reject_event(
        curation_copy,
        "These initiatives are taking place at different levels.",
        "No event is said here; this entry is stale.",
    )
    extraction = extract(Settings(store=tmp_path / "s", curation_dir=curation_copy))
    [line] = [w for w in extraction.warnings if "rejects nothing" in w]
    assert CALENDAR_DOC in line and "\n" not in line


def test_the_confidence_threshold_decides_what_enters_on_its_own(tmp_path: Path) -> None:
    def admitted(threshold: float) -> set[str]:
        settings = Settings(store=tmp_path / "s", curation=False, min_confidence=threshold)
        return {str(f.subject) for f in extract(settings).facts.admitted}

    strict, loose = admitted(0.95), admitted(0.0)
    assert strict < loose
    assert all("/event/" in s for s in strict)  # only calendar rows are that sure


def test_a_text_without_facts_yields_no_findings() -> None:
    ctx = _context()
    for text in (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n\nSed do eiusmod tempor.",
        "移民与发展问题高级别对话。",
        "Ã©migration et dÃ©veloppement: rÃ©union prÃ©vue.",
        "\n\n\t\n",
    ):
        doc = _document(text)
        assert [f for e in EXTRACTORS for f in e.find(doc, ctx)] == [], text


def test_findings_quote_their_own_text() -> None:
    ctx = _context()
    text = (FIXTURES / "ingest" / "regional_followup.txt").read_text()
    doc = _document(text, "regional_followup")
    findings = [f for e in EXTRACTORS for f in e.find(doc, ctx)]
    assert {f.kind for f in findings} >= {"event", "citation", "paragraph"}
    for finding in findings:
        for statement in finding.statements:
            if statement.span is not None:
                assert statement.span.of(text) == text[statement.span.start : statement.span.end]
                assert 0 <= statement.span.start < statement.span.end <= len(text)


def test_build_without_curation_from_the_cli(run_mkg: RunMkg, fresh_settings: Settings) -> None:
    done = run_mkg("build", "--without-curation", settings=fresh_settings)
    assert done.returncode == 0, done.stderr
    assert "in on their own" in done.stderr and "0 curated facts" in done.stderr
    traced = run_mkg("trace", "A/RES/60/227", "17", "--format", "json", settings=fresh_settings)
    assert traced.returncode == 0, traced.stderr
    assert "inferred" in traced.stdout
    asked = run_mkg(
        "query", "--format", "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { ?x mkg:method 'curated' ; mkg:evidence ?e }",
        settings=fresh_settings,
    )  # fmt: skip
    assert asked.stdout.splitlines()[1] == "0"
    [version] = [p for p in (fresh_settings.store.parent).rglob("build.json")]
    review = json.loads(version.read_text())["review"]
    assert review and {r["status"] for r in review} == {"candidate"}
    for item in review:
        text = (fresh_settings.corpus / f"{item['doc']}.txt").read_text(encoding="utf-8")
        assert text[item["char_start"] : item["char_end"]].startswith(item["evidence"])
        assert item["confidence"] < Settings().min_confidence or item["kind"] == "event"


def test_accept_puts_the_extracted_facts_in_the_graph(
    run_mkg: RunMkg, fresh_settings: Settings
) -> None:
    done = run_mkg(
        "ingest", str(FIXTURES / "ingest" / "regional_followup.txt"), "--accept",
        settings=fresh_settings,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    asked = run_mkg(
        "query", "--format", "json",
        """SELECT ?start ?method ?confidence WHERE {
             ?e a mkg:Event ; rdfs:label "Regional Consultation on Migration and Development" ;
                schema:startDate ?start ; mkg:method ?method ; mkg:confidence ?confidence }""",
        settings=fresh_settings,
    )  # fmt: skip
    [row] = json.loads(asked.stdout)["results"]["bindings"]
    assert row["start"]["value"] == "2012-12-04" and row["method"]["value"] == "extracted"
    assert 0.6 <= float(row["confidence"]["value"]) <= 1


def _subjects(extraction: Extraction, cls: object) -> set[object]:
    return {s for g in extraction.dataset.graphs() for s in g.subjects(RDF.type, cls)}


def _typed(extraction: Extraction, subject: str) -> bool:
    return any(
        str(s) == subject for g in extraction.dataset.graphs() for s in g.subjects(RDF.type, None)
    )
