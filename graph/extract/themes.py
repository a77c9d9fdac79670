"""Theme tagging by the patterns that ontology/themes.ttl attaches to each SKOS concept."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from graph.model.namespaces import MKG


class ThemeTagger:
    """Tags a text with every theme one of whose patterns it matches."""

    def __init__(self, patterns: dict[URIRef, list[re.Pattern[str]]]) -> None:
        self.patterns = dict(sorted(patterns.items()))

    @classmethod
    def from_graph(cls, themes: Graph) -> ThemeTagger:
        """Read the patterns of every skos:Concept in a theme graph."""
        patterns: dict[URIRef, list[re.Pattern[str]]] = {}
        for concept in themes.subjects(SKOS.inScheme, None):
            assert isinstance(concept, URIRef)
            patterns[concept] = [
                re.compile(str(p), re.IGNORECASE)
                for p in sorted(str(o) for o in themes.objects(concept, MKG.titlePattern))
            ]
        return cls(patterns)

    @classmethod
    def load(cls, path: Path) -> ThemeTagger:
        """Read themes.ttl."""
        return cls.from_graph(Graph().parse(path, format="turtle"))

    def tag(self, text: str) -> list[URIRef]:
        """The themes of a text, in a stable order."""
        return [theme for theme, pats in self.patterns.items() if any(p.search(text) for p in pats)]
