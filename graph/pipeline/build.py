"""The pipeline: corpus -> extract -> RDF -> SHACL validation -> a new store version, swapped in.

Nothing is written to the store until the whole graph is extracted and valid, so any
error leaves the graph that was being served untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from graph.errors import CorpusError, StoreError, ValidationFailed
from graph.extract.base import Context, Finding
from graph.extract.records import EventRecord
from graph.extract.registered import EXTRACTORS
from graph.extract.themes import ThemeTagger
from graph.model.iris import Minter
from graph.model.namespaces import MKG
from graph.model.statements import Span, Statements, StatementWriter
from graph.model.vocab import organizing_roles
from graph.pipeline.validate import check, check_or_raise, load_shapes
from graph.settings import Settings
from graph.sources import linker
from graph.sources.corpus import Document, load_corpus
from graph.sources.curation import Curation, load_curation
from graph.sources.facts import Facts, FactWriter, instrument_names, known_symbols
from graph.sources.linker import Inferred
from graph.sources.rdf import document_statements, load_ontology, new_dataset, registry_statements
from graph.sources.registry import Registry
from graph.store import uploads
from graph.store.backend import GraphInfo, Source
from graph.store.embedded import (
    DATA_DIR,
    StoreLayout,
    content_version,
    load_merged,
    merged_size,
    open_store,
    write_version,
)

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
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    statements: int = 0
    texts: dict[str, str] = field(default_factory=dict)

    def review(self) -> list[dict[str, object]]:
        """Findings kept out of the graph: rejected ones with the reason, then those
        waiting for review (under the confidence threshold or incomplete)."""
        kept_out: list[tuple[Finding, str, str | None]]
        kept_out = [(f, "rejected", reason) for f, reason in self.facts.rejected]
        kept_out += [(f, "candidate", None) for f in self.facts.candidates]
        return [
            {
                "status": status,
                "kind": f.kind,
                "subject": str(f.subject),
                "doc": f.doc,
                "char_start": f.span.start,
                "char_end": f.span.end,
                "evidence": f.span.of(self.texts[f.doc])[:300] if f.doc in self.texts else "",
                "confidence": f.confidence,
                "extractor": f.extractor,
                **({"reason": reason} if reason else {}),
            }
            for f, status, reason in kept_out
        ]


def _silent(task: str, done: int, total: int) -> None:
    return None


def extract(settings: Settings, progress: Progress = _silent) -> Extraction:
    """Read the corpus, registry and curation and make the RDF dataset (nothing is stored).

    Every source speaks in statements: the registered extractors over each document, the
    curation overlay (unless `settings.curation` is off), the linker over the result.
    One writer turns them into RDF.
    """
    documents = load_corpus(settings.corpus)
    registry = Registry.load(settings.registry_dir)
    minter = Minter(settings.base_iri)
    dataset = new_dataset()
    ontology = load_ontology(dataset, settings.ontology_dir, minter)
    curation = load_curation(settings.curation_dir) if settings.curation else Curation()
    ctx = Context(
        minter=minter,
        registry=registry,
        themes=ThemeTagger.from_graph(ontology),
        instrument_names=instrument_names(curation),
        symbols=known_symbols(curation, registry),
    )
    out = Statements()
    out.extend(registry_statements(ctx))
    findings = find_all(documents, ctx, out, progress)
    writer = FactWriter(out, ctx, documents, findings, curation, settings.min_confidence)
    writer.apply()
    inferred = _infer_links(out, writer, registry, _linkable(findings, writer))
    texts = {d.id: d.text for d in documents}
    written = StatementWriter(dataset, minter, texts).write(out)
    events = len({s for g in dataset.graphs() for s in g.subjects(RDF.type, MKG.Event)})
    for warning in ctx.warnings:
        log.warning(warning)
    return Extraction(dataset, ontology, ctx.warnings, events, len(documents), writer.facts,
                      inferred, findings, written, texts)  # fmt: skip


def find_all(
    documents: list[Document], ctx: Context, out: Statements, progress: Progress = _silent
) -> dict[str, list[Finding]]:
    """Each document's node, and what every registered extractor finds in it."""
    findings: dict[str, list[Finding]] = {}
    for done, doc in enumerate(documents, start=1):
        out.extend(document_statements(doc, ctx.minter))
        findings[doc.id] = [f for e in EXTRACTORS for f in e.find(doc, ctx)]
        progress("extract", done, len(documents))
    return findings


@dataclass(frozen=True)
class _Linked:
    """An event the linker may tie to paragraphs, and where its evidence stands."""

    event: linker.Event
    doc: str
    evidence: Span


def _linkable(findings: dict[str, list[Finding]], writer: FactWriter) -> dict[URIRef, _Linked]:
    """Calendar events, and the prose events that are in the graph."""
    linkable: dict[URIRef, _Linked] = {}
    registry = writer.ctx.registry
    for doc_id, doc_findings in findings.items():
        for finding in doc_findings:
            record = finding.record
            if isinstance(record, EventRecord):
                organizers = tuple(
                    registry.resolve_org(m.text).key
                    for m in record.mentions
                    if m.role in organizing_roles()
                )
                event = linker.Event(finding.subject, record.label, organizers, record.start)
                linkable[finding.subject] = _Linked(event, doc_id, record.evidence)
    for node in writer.facts.events:
        event = linker.Event(node.iri, node.label, node.organizers, node.start.first_day())
        linkable[node.iri] = _Linked(event, node.doc, node.evidence)
    return linkable


def _infer_links(
    out: Statements, writer: FactWriter, registry: Registry, linkable: dict[URIRef, _Linked]
) -> list[Inferred]:
    """The automatic linker's guesses, into their own named graph (reviewed links win)."""
    paragraphs = writer.facts.paragraphs
    inferred = linker.Linker(registry, [x.event for x in linkable.values()]).infer(paragraphs)
    reviewed = writer.facts.curated_links
    instrument_of = {p.iri: p.instrument for p in paragraphs}
    graph_iri = writer.minter.inferred_graph
    for link in linker.explain_away(inferred, reviewed, instrument_of):
        if (link.event, link.paragraph) in reviewed:
            continue
        source = linkable[link.event]
        statements = writer.link_statements(
            link.event, link.paragraph, "inferred", link.score, link.rationale,
            (source.doc, source.evidence),
        )  # fmt: skip
        out.extend(
            replace(s, graph=graph_iri, method="inferred", extractor="linker",
                    confidence=link.score)
            for s in statements
        )  # fmt: skip
    return inferred


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
        progress("store", 0, 1)
        info = uploads.publish(
            settings,
            [(nquads, ox.RdfFormat.N_QUADS, None)],
            lambda triples, _: GraphInfo(
                version=content_version(nquads),
                triples=triples,
                created=_now(),
                source=str(settings.corpus),
                warnings=extraction.warnings,
                review=extraction.review(),
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
            review=extraction.review(),
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
        graph = None if fmt in QUAD_FORMATS else ox.NamedNode(str(minter.load_graph(path.stem)))
        found.append((path, fmt, graph))
    return found


def _load_remote(settings: Settings, files: Sequence[Path], progress: Progress) -> GraphInfo:
    """`load` on a remote store: the files on top of its current version, as a new one."""
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

    return uploads.publish(
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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
