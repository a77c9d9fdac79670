"""A resolution text read by the resolution extractor and written as every finding is:
paragraph IRIs the curation mints (so curated and extracted facts meet), evidence on
every node, lineage to instruments the corpus does not hold, and a graph that passes the
SHACL shapes."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from graph.extract.base import Context
from graph.extract.resolution_texts import ResolutionTexts
from graph.extract.themes import ThemeTagger
from graph.model.iris import Minter
from graph.model.namespaces import MKG
from graph.model.statements import Statements, StatementWriter
from graph.pipeline.build import union_of
from graph.pipeline.validate import check, load_shapes
from graph.settings import get_settings
from graph.sources.corpus import Document, ManifestEntry
from graph.sources.curation import load_curation, normalize_symbol
from graph.sources.rdf import document_statements, load_ontology, new_dataset, registry_statements
from graph.sources.registry import Registry

TEXT = """      61/999. Migration and development

      The General Assembly,

      Recalling its resolution 58/208 of 23 December 2003,

      Reaffirming its resolution A/Res/60/227 of 23 December 2005,

      17.  Also requests the regional commissions to organize a meeting in 2007;

      17.  Invites Member States to take part;
"""


@pytest.fixture(scope="module")
def written() -> tuple[Dataset, Document, Minter, object]:
    settings = get_settings()
    minter = Minter(settings.base_iri)
    dataset = new_dataset()
    ontology = load_ontology(dataset, settings.ontology_dir, minter)
    registry = Registry.load(settings.registry_dir)
    curation = load_curation(settings.curation_dir)
    symbols = {normalize_symbol(name): spec.symbol for spec in curation.instruments
               for name in (spec.symbol, *spec.aliases)}  # fmt: skip
    ctx = Context(minter=minter, registry=registry, themes=ThemeTagger.from_graph(ontology),
                  symbols=symbols)  # fmt: skip
    entry = ManifestEntry(id="res_61_999", file="res_61_999.txt", title="61/999",
                          date=dt.date(2006, 12, 20), publisher="United Nations")  # fmt: skip
    doc = Document(entry, Path("res_61_999.txt"), TEXT, hashlib.sha256(TEXT.encode()).hexdigest())
    out = Statements()
    out.extend(registry_statements(ctx))
    out.extend(document_statements(doc, minter))
    findings = ResolutionTexts().find(doc, ctx)
    assert sum(f.kind == "instrument" for f in findings) == 1
    for finding in findings:
        out.extend(finding.statements)
    StatementWriter(dataset, minter, {doc.id: TEXT}).write(out)
    return dataset, doc, minter, ontology


def test_a_paragraph_has_the_iri_the_curation_mints(
    written: tuple[Dataset, Document, Minter, object],
) -> None:
    dataset, doc, minter, _ = written
    g = dataset.graph(minter.doc_graph(doc.id))
    op17 = minter.paragraph("A/RES/61/999", "17", "op")
    assert (minter.instrument("A/RES/61/999"), MKG.paragraph, op17) in g
    assert set(g.objects(op17, MKG.operativeVerb)) == {Literal("also requests"), Literal("invites")}
    assert (op17, MKG.paragraphId, Literal("para_17")) in g
    assert (op17, MKG.numbering, Literal("repeats")) in g
    assert (op17, MKG.needsReview, Literal(True)) in g
    assert (op17, MKG.addressee, minter.org("UN-REGIONAL-COMMISSIONS")) in g
    group = minter.org("MEMBER-STATES")
    assert (op17, MKG.addressee, group) in g
    assert (group, SKOS.prefLabel, Literal("Member States")) in g


def test_every_statement_keeps_its_quote(written: tuple[Dataset, Document, Minter, object]) -> None:
    dataset, doc, minter, _ = written
    g = dataset.graph(minter.doc_graph(doc.id))
    quoted = set(g.subjects(MKG.evidence, None))
    assert quoted
    for node in quoted:
        start = int(g.value(node, MKG.charStart))  # type: ignore[arg-type]
        end = int(g.value(node, MKG.charEnd))  # type: ignore[arg-type]
        assert str(g.value(node, MKG.evidence)) == TEXT[start:end]
        assert (node, PROV.wasDerivedFrom, minter.doc(doc.id)) in g
        assert 0 < float(g.value(node, MKG.confidence)) <= 1  # type: ignore[arg-type]
    for deliverable in g.subjects(RDF.type, MKG.Deliverable):
        assert (deliverable, MKG.deliverableKind, Literal("meeting")) in g
        assert (deliverable, MKG.due, Literal("2007")) in g


def test_lineage_reaches_instruments_by_their_curated_spelling_or_their_own(
    written: tuple[Dataset, Document, Minter, object],
) -> None:
    dataset, doc, minter, _ = written
    g = dataset.graph(minter.doc_graph(doc.id))
    citing = minter.instrument("A/RES/61/999")
    absent = minter.instrument("A/RES/58/208")
    assert (citing, MKG.recalls, absent) in g
    assert (absent, MKG.symbol, Literal("A/RES/58/208")) in g
    assert str(g.value(absent, DCTERMS.issued)) == "2003-12-23"
    assert (citing, MKG.reaffirms, minter.instrument("A/RES/60/227")) in g
    for citation in g.objects(citing, MKG.qualifiedCitation):
        assert (citation, RDF.type, MKG.Citation) in g
        assert g.value(citation, MKG.citationProperty) in {MKG.recalls, MKG.reaffirms}
        assert "resolution" in str(g.value(citation, MKG.evidence))
    assert (absent, URIRef(str(MKG.refersTo)), None) not in g


def test_the_written_graph_passes_the_shapes(
    written: tuple[Dataset, Document, Minter, object],
) -> None:
    dataset, _, _, ontology = written
    report = check(union_of(dataset), load_shapes(get_settings().ontology_dir), ontology)  # type: ignore[arg-type]
    assert report.conforms, report.text()
