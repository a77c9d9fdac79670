"""The pipeline: corpus -> extract -> RDF -> SHACL validation -> a new store version, swapped in.

Nothing is written to the store until the whole graph is extracted and valid, so any
error leaves the graph that was being served untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from graph import linker
from graph.corpus import Document, load_corpus
from graph.curation import Curation, load_curation
from graph.errors import CorpusError, StoreError, ValidationFailed
from graph.extract import calendar
from graph.extract.records import EventRecord, Span
from graph.extract.themes import ThemeTagger
from graph.facts import Facts, FactWriter, Found, find_all
from graph.iris import Minter, slug
from graph.linker import Inferred
from graph.mandates_rdf import add_resolutions
from graph.namespaces import MKG
from graph.rdf import (
    ORGANIZER_ROLES,
    BuildContext,
    add_document,
    add_events,
    add_registry,
    load_ontology,
    new_dataset,
)
from graph.registry import Registry
from graph.settings import Settings
from graph.store import (
    DATA_DIR,
    GraphInfo,
    Source,
    StoreLayout,
    content_version,
    load_merged,
    merged_size,
    open_store,
    write_version,
)
from graph.validate import check, check_or_raise, load_shapes

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""A progress callback: (task, done, total)."""

RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}
QUAD_FORMATS = {ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS}


@dataclass(frozen=True)
class Extraction:
    """The extracted dataset before it is stored, and what the build noticed."""

    dataset: Dataset
    ontology: Graph
    warnings: list[str]
    events: int
    documents: int
    facts: Facts = field(default_factory=Facts)
    inferred: list[Inferred] = field(default_factory=list)


def _silent(task: str, done: int, total: int) -> None:
    return None


@dataclass
class _Linkable:
    """Events the linker may tie to paragraphs, and where each one's evidence stands."""

    events: list[linker.Event] = field(default_factory=list)
    sources: dict[URIRef, tuple[str, Span]] = field(default_factory=dict)

    def add(self, event: linker.Event, doc_id: str, evidence: Span) -> None:
        self.events.append(event)
        self.sources[event.iri] = (doc_id, evidence)


def extract(settings: Settings, progress: Progress = _silent) -> Extraction:
    """Read the corpus, registry and curation and make the RDF dataset (nothing is stored).

    Three passes: the tables of each document (and the automatic extractors over its
    prose), the curated facts, and the automatic linker over everything.
    """
    documents = load_corpus(settings.corpus)
    registry = Registry.load(settings.registry_dir)
    minter = Minter(settings.base_iri)
    dataset = new_dataset()
    ontology = load_ontology(dataset, settings.ontology_dir, minter)
    curation = load_curation(settings.curation_dir)
    ctx = BuildContext(minter=minter, registry=registry, themes=ThemeTagger.from_graph(ontology))
    add_registry(dataset, ctx)
    linkable = _Linkable()
    calendar_rows, found = _tables(dataset, documents, ctx, curation, linkable, progress)
    writer = FactWriter(dataset, ctx, documents, calendar_rows, curation, found)
    for write in (writer.instruments, writer.events, writer.links, writer.memberships,
                  writer.works, writer.observations, writer.unmatched_candidates):  # fmt: skip
        write()
    for event in writer.facts.events:
        linkable.add(
            linker.Event(event.iri, event.label, event.organizers, event.start.first_day()),
            event.doc,
            event.evidence,
        )
    inferred = _infer_links(dataset, writer, registry, linkable)
    events = len({s for g in dataset.graphs() for s in g.subjects(RDF.type, MKG.Event)})
    return Extraction(
        dataset, ontology, ctx.warnings, events, len(documents), writer.facts, inferred
    )


def _tables(
    dataset: Dataset,
    documents: list[Document],
    ctx: BuildContext,
    curation: Curation,
    linkable: _Linkable,
    progress: Progress,
) -> tuple[dict[int, list[URIRef]], dict[str, Found]]:
    """Each document's node and table events; the extractors' findings in its prose."""
    calendar_rows: dict[int, list[URIRef]] = {}
    found: dict[str, Found] = {}
    for done, doc in enumerate(documents, start=1):
        add_document(dataset, doc, ctx)
        for node, record in add_events(dataset, doc, _events_of(doc, ctx.registry), ctx):
            if record.position is not None:
                calendar_rows.setdefault(record.position, []).append(node)
            organizers = tuple(
                ctx.registry.resolve_org(m.text).key
                for m in record.mentions
                if m.role in ORGANIZER_ROLES
            )
            linkable.add(linker.Event(node, record.label, organizers, record.start), doc.id,
                         record.evidence)  # fmt: skip
        found[doc.id] = find_all(doc, ctx, curation)
        add_resolutions(dataset, doc, ctx, curation)
        progress("extract", done, len(documents))
    return calendar_rows, found


def _infer_links(
    dataset: Dataset, writer: FactWriter, registry: Registry, linkable: _Linkable
) -> list[Inferred]:
    """The automatic linker's guesses, into their own named graph (reviewed links win)."""
    paragraphs = writer.facts.paragraphs
    inferred = linker.Linker(registry, linkable.events).infer(
        linker.Paragraph(p.iri, p.addressees, p.text, p.anchor) for p in paragraphs
    )
    reviewed = writer.facts.curated_links
    instrument_of = {p.iri: p.instrument for p in paragraphs}
    inferred_graph = dataset.graph(writer.minter.inferred_graph)
    for link in linker.explain_away(inferred, reviewed, instrument_of):
        if (link.event, link.paragraph) in reviewed:
            continue
        node = writer.add_link(
            link.event, link.paragraph, "inferred", None, link.score, inferred_graph, link.rationale
        )
        doc_id, span = linkable.sources[link.event]
        writer.evidence_at(inferred_graph, node, doc_id, span, "inferred")
    return inferred


def _events_of(doc: Document, registry: Registry) -> list[EventRecord]:
    if not calendar.has_calendar(doc.text):
        return []
    year = calendar.calendar_year(doc.text, doc.entry.date.year)
    return calendar.extract_events(
        doc.text,
        doc.id,
        _display(doc.path),
        year,
        is_known=lambda name: registry.lookup_org(name) is not None,
    )


def union_of(dataset: Dataset) -> Graph:
    """All named graphs merged into one graph (what SHACL validates)."""
    union = Graph()
    for named in dataset.graphs():
        for triple in named:
            union.add(triple)
    return union


def build(settings: Settings, progress: Progress = _silent) -> tuple[GraphInfo, Extraction]:
    """Extract, validate and publish the corpus as the new current graph (atomic)."""
    extraction = extract(settings, progress)
    progress("validate", 0, 1)
    check_or_raise(
        union_of(extraction.dataset), load_shapes(settings.ontology_dir), extraction.ontology
    )
    progress("validate", 1, 1)
    nquads = extraction.dataset.serialize(format="nquads", encoding="utf-8")
    if settings.remote:
        from graph import remote

        progress("store", 0, 1)
        info = remote.publish(
            settings,
            [(nquads, ox.RdfFormat.N_QUADS, None)],
            lambda triples, _: GraphInfo(
                version=content_version(nquads),
                triples=triples,
                created=_now(),
                source=str(settings.corpus),
                warnings=extraction.warnings,
            ),
        )
        progress("store", 1, 1)
        return info, extraction
    layout = StoreLayout(settings.store)
    with layout.writing() as work:
        progress("store", 0, 1)
        store = write_version(work, nquads)
        info = GraphInfo(
            version=content_version(nquads),
            triples=merged_size(store),
            created=_now(),
            source=str(settings.corpus),
            warnings=extraction.warnings,
        )
        del store
        layout.publish(work, info)
        progress("store", 1, 1)
    return info, extraction


def load(settings: Settings, files: Sequence[Path], progress: Progress = _silent) -> GraphInfo:
    """Bulk-load RDF files on top of the current graph, as a new version (atomic).

    Triples from Turtle and N-Triples files go into a named graph of their own,
    <base>graph/load/{file stem}; quads keep their graphs.
    """
    for path in files:
        if not path.is_file():
            raise CorpusError(path, "file not found")
        if path.suffix.lower() not in RDF_FORMATS:
            raise CorpusError(path, f"unknown RDF format; use one of {', '.join(RDF_FORMATS)}")
    if settings.remote:
        return _load_remote(settings, files, progress)
    layout = StoreLayout(settings.store)
    current = layout.current()
    minter = Minter(settings.base_iri)
    digest = hashlib.sha256()
    with layout.writing() as work:
        if current is not None:
            old = layout.open()
            old.raw.backup(str(work / DATA_DIR))
            digest.update(old.info.version.encode())
            old.close()
        store = ox.Store(str(work / DATA_DIR))
        for path in files:
            digest.update(_file_digest(path))
        loaded = sources(minter, files)
        load_merged(store, loaded, lambda done, total: progress("load", done, total))
        info = GraphInfo(
            version=digest.hexdigest()[:16],
            triples=merged_size(store),
            created=_now(),
            source=", ".join(str(p) for p in files),
        )
        del store
        layout.publish(work, info)
    return info


def sources(minter: Minter, files: Sequence[Path]) -> list[Source]:
    """What to load from each file: quads keep their graphs; triples go to a graph of
    their own, <base>graph/load/{file stem}."""
    found: list[Source] = []
    for path in files:
        fmt = RDF_FORMATS[path.suffix.lower()]
        graph = (
            None
            if fmt in QUAD_FORMATS
            else ox.NamedNode(str(minter.base) + f"graph/load/{slug(path.stem)}")
        )
        found.append((path, fmt, graph))
    return found


def _load_remote(settings: Settings, files: Sequence[Path], progress: Progress) -> GraphInfo:
    """`load` on a remote store: the files on top of its current version, as a new one."""
    from graph import remote

    loaded = sources(Minter(settings.base_iri), files)

    def describe(triples: int, previous: GraphInfo | None) -> GraphInfo:
        digest = hashlib.sha256()
        if previous is not None:
            digest.update(previous.version.encode())
        for path in files:
            digest.update(_file_digest(path))
        return GraphInfo(
            version=digest.hexdigest()[:16],
            triples=triples,
            created=_now(),
            source=", ".join(str(p) for p in files),
        )

    return remote.publish(
        settings,
        loaded,
        describe,
        on_top=True,
        progress=lambda done, total: progress("load", done, total),
    )


def validate_store(settings: Settings) -> str:
    """SHACL report of the graph in the store, as text; raises ValidationFailed if it fails."""
    store = open_store(settings)
    try:
        dataset = Dataset()
        dataset.parse(data=store.dump(), format="nquads")
    finally:
        store.close()
    minter = Minter(settings.base_iri)
    ontology = dataset.graph(minter.ontology_graph)
    if len(ontology) == 0:
        raise StoreError("the store holds no ontology graph; was it built by `mkg build`?")
    report = check(union_of(dataset), load_shapes(settings.ontology_dir), ontology)
    if not report.conforms:
        raise ValidationFailed(report.text(), len(report.lines))
    return report.text()


def _file_digest(path: Path) -> bytes:
    """The SHA-256 of a file, read in chunks (loaded files can be gigabytes)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
