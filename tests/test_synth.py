"""The synthetic corpus of the benchmarks: deterministic, valid, and read by our own code
as the file says (organizer counts, implementation links, a skewed popularity)."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from benchmarks.synth import generate
from graph.model.iris import Minter
from graph.pipeline.build import load, union_of, validate_store
from graph.pipeline.validate import check, load_shapes
from graph.read import analytics, trace
from graph.read.projection import projection as projection_of
from graph.settings import PROJECT_ROOT, Settings
from graph.sources.rdf import load_ontology
from graph.store.embedded import OxigraphStore, StoreLayout

MKG = "https://w3id.org/migration-kg/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EVENTS, ORGS, INSTRUMENTS = 300, 40, 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic corpus, written once for the module."""
    out = tmp_path_factory.mktemp("synth") / "synth.nq"
    generate(EVENTS, ORGS, INSTRUMENTS, 1, out)
    return out


@pytest.fixture(scope="module")
def quads(corpus: Path) -> list[ox.Quad]:
    """The corpus as pyoxigraph parses it, independently of anything the project does."""
    return list(ox.parse(path=str(corpus), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(store=tmp_path_factory.mktemp("synth-store") / "store")


@pytest.fixture(scope="module")
def store(settings: Settings, corpus: Path) -> Iterator[OxigraphStore]:
    """The corpus bulk-loaded by the project's loader into an empty store."""
    load(settings, [corpus])
    opened = StoreLayout(settings.store).open()
    yield opened
    opened.close()


def _typed(quads: list[ox.Quad], cls: str) -> set[str]:
    return {q.subject.value for q in quads if q.predicate.value == TYPE and q.object.value == cls}


def _objects(quads: list[ox.Quad], predicate: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for q in quads:
        if q.predicate.value == MKG + predicate:
            found[q.subject.value].append(q.object.value)
    return found


def test_same_seed_same_bytes_and_another_seed_other_bytes(tmp_path: Path) -> None:
    first, again, elsewhere, other = (tmp_path / f"{n}.nq" for n in ("1", "2", "3", "4"))
    written = generate(2500, 100, 5, 7, first)
    assert generate(2500, 100, 5, 7, again) == written
    assert written == len(first.read_bytes().splitlines())
    assert again.read_bytes() == first.read_bytes()
    # another process, another str hash seed: nothing may depend on set or hash order
    script = str(PROJECT_ROOT / "benchmarks" / "synth.py")
    command = [sys.executable, script, "--events", "2500", "--orgs", "100", "--instruments", "5",
               "--seed", "7", "--out", str(elsewhere)]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=PROJECT_ROOT)
    assert elsewhere.read_bytes() == first.read_bytes()
    generate(2500, 100, 5, 8, other)
    assert other.read_bytes() != first.read_bytes()


def test_a_document_graph_per_thousand_events(tmp_path: Path) -> None:
    out = tmp_path / "synth.nq"
    generate(2500, 100, 5, 1, out)
    graphs = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)}
    base = Settings().base_iri
    assert graphs == {
        f"{base}graph/{name}"
        for name in ("ontology", "registry", *(f"doc/synthetic-00{i}" for i in range(3)))
    }


def test_the_small_corpus_passes_the_shapes_with_the_real_ontology(corpus: Path) -> None:
    settings = Settings()
    dataset = Dataset()
    dataset.parse(corpus, format="nquads")
    ontology = load_ontology(dataset, settings.ontology_dir, Minter(settings.base_iri))
    report = check(union_of(dataset), load_shapes(settings.ontology_dir), ontology)
    assert report.conforms, report.text()


def test_a_store_loaded_with_the_file_alone_validates(
    settings: Settings, store: OxigraphStore
) -> None:
    assert validate_store(settings) == "conforms: no SHACL violations"


def test_events_look_like_calendar_rows(quads: list[ox.Quad]) -> None:
    events = _typed(quads, MKG + "Event")
    concepts = _typed(quads, "http://www.w3.org/2004/02/skos/core#Concept")
    organizers, themes = _objects(quads, "organizer"), defaultdict(list)
    starts: dict[str, dt.date] = {}
    for q in quads:
        if q.predicate.value == "http://purl.org/dc/terms/subject":
            themes[q.subject.value].append(q.object.value)
        if q.predicate.value == "https://schema.org/startDate":
            starts[q.subject.value] = dt.date.fromisoformat(q.object.value)
    assert len(events) == EVENTS
    assert all(1 <= len(organizers[e]) <= 7 for e in events)
    assert all(1 <= len(themes[e]) <= 2 and set(themes[e]) <= concepts for e in events)
    assert all(dt.date(1990, 1, 1) <= starts[e] <= dt.date(2025, 12, 31) for e in events)
    assert 10 <= len(quads) / EVENTS <= 20  # the small corpus carries the fixed graphs too


def test_cosponsor_ranking_counts_the_organizer_statements_of_the_file(
    quads: list[ox.Quad], store: OxigraphStore
) -> None:
    organizers = _objects(quads, "organizer")
    events = Counter(org for orgs in organizers.values() for org in orgs)
    joint = Counter(org for orgs in organizers.values() if len(orgs) > 1 for org in orgs)
    minter = Minter(Settings().base_iri)
    ranking = analytics.cosponsors(store, minter)
    assert {c.iri: c.events for c in ranking} == dict(events)
    assert {c.iri: c.joint_events for c in ranking if c.joint_events} == dict(joint)
    projection = projection_of(store, minter)
    assert {e.iri: e.organizers for e in projection.events.values()} == {
        event: frozenset(orgs) for event, orgs in organizers.items()
    }


def test_a_few_organizations_organize_most_events(quads: list[ox.Quad]) -> None:
    organizers = _objects(quads, "organizer")
    counts = Counter(org for orgs in organizers.values() for org in orgs)
    top = {org for org, _ in counts.most_common(math.ceil(0.05 * ORGS))}
    reached = sum(1 for orgs in organizers.values() if top & set(orgs))
    assert reached / len(organizers) > 0.4  # 5% of organizations are in over 40% of events
    assert counts.most_common()[-1][1] * 10 < counts.most_common(1)[0][1]


def test_trace_of_a_paragraph_returns_the_events_the_file_says_implement_it(
    quads: list[ox.Quad], store: OxigraphStore
) -> None:
    implementers: dict[str, set[str]] = defaultdict(set)
    for event, targets in _objects(quads, "implements").items():
        for target in targets:
            implementers[target].add(event)
    paragraph = max(sorted(implementers), key=lambda p: len(implementers[p]))
    parts = _objects(quads, "paragraph")
    (instrument,) = (i for i in _typed(quads, MKG + "Instrument") if paragraph in parts[i])
    (symbol,) = _objects(quads, "symbol")[instrument]
    (number,) = _objects(quads, "number")[paragraph]
    traced = trace.trace(store, symbol, number)
    (found,) = traced.paragraphs
    assert found.iri == paragraph
    assert {link.implementer for link in found.implementations} == implementers[paragraph]
    assert {link.basis for link in found.implementations} == {"stated"}
    assert all(link.sources for link in found.implementations)
    assert found.addressees and found.sources
