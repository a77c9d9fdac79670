"""The ontology is the contract: the Python namespace, shapes and themes agree with it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from graph.model.namespaces import MKG, THEME
from graph.settings import get_settings

ONTOLOGY = get_settings().ontology_dir
THEMES = [
    "labour-migration", "remittances", "diasporas", "gender", "health", "human-rights",
    "trafficking-and-smuggling", "irregular-migration", "regional-consultative-processes",
    "migration-law", "development-planning", "data-and-research", "environment-and-climate",
    "crises", "integration", "return-and-reintegration",
]  # fmt: skip


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "mkg.ttl")


def _mkg_terms(g: Graph) -> set[str]:
    ns = str(MKG._NS)
    return {str(s)[len(ns) :] for s in g.subjects() if str(s).startswith(ns)}


def test_python_namespace_mirrors_the_ontology(ontology: Graph) -> None:
    declared = set(MKG.__annotations__)
    assert _mkg_terms(ontology) == declared


def test_a_typo_in_a_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = MKG.organiser


def test_organization_classes_reuse_w3c_org(ontology: Graph) -> None:
    assert (MKG.Organization, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
            URIRef("http://www.w3.org/ns/org#Organization")) in ontology  # fmt: skip
    for cls in ("UNEntity", "Government", "Office", "RegionalConsultativeProcess"):
        assert (MKG[cls], RDF.type, OWL.Class) in ontology


def test_shapes_only_use_terms_the_ontology_defines(ontology: Graph) -> None:
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    ns = str(MKG._NS)
    used = {str(o)[len(ns) :] for o in shapes.all_nodes() if str(o).startswith(ns)}
    assert used <= _mkg_terms(ontology)


def test_the_sixteen_themes_with_working_patterns() -> None:
    themes = Graph().parse(ONTOLOGY / "themes.ttl")
    concepts = {str(c) for c in themes.subjects(RDF.type, SKOS.Concept)}
    assert concepts == {str(THEME[t]) for t in THEMES}
    for theme in THEMES:
        assert themes.value(THEME[theme], SKOS.prefLabel) is not None
        patterns = list(themes.objects(THEME[theme], MKG.titlePattern))
        assert patterns, theme
        for pattern in patterns:
            re.compile(str(pattern))


def test_controlled_values_are_read_from_the_ontology() -> None:
    from graph.model import vocab
    from graph.model.iris import PARAGRAPH_LABEL_PREFIXES, PARAGRAPH_SEGMENTS

    assert {"organizer", "co-organizer", "host", "participant"} <= set(vocab.roles())
    assert vocab.organizing_roles() <= set(vocab.roles())
    assert vocab.organizing_roles() == {"organizer", "co-organizer", "host"}
    assert set(vocab.link_bases()) == {"stated", "curated", "inferred"}
    assert set(vocab.methods()) == {"extracted", "curated", "inferred"}
    # every paragraph kind can be minted and named
    assert set(PARAGRAPH_SEGMENTS) == set(PARAGRAPH_LABEL_PREFIXES) == set(vocab.paragraph_kinds())


def test_a_curated_role_outside_the_ontology_is_refused(tmp_path: Path) -> None:

    from graph.errors import CurationError
    from graph.settings import Settings
    from graph.sources.curation import load_curation

    target = tmp_path / "curation"
    shutil.copytree(Settings().curation_dir, target)
    events = target / "events.yaml"
    events.write_text(events.read_text().replace("role: organizer}", "role: mastermind}", 1))
    with pytest.raises(CurationError, match="role 'mastermind' is not one of organizer"):
        load_curation(target)
