"""The one interface of an extractor, and what it hands back.

An extractor reads one document and returns findings: one entity it found (an event, a
citation of an instrument, a paragraph, an organization), where the text says it, how
sure it is, and the statements that describe it. `mkg build` and `mkg ingest` run the
extractors listed in `graph.extract.registered`, the same way. Curation then confirms,
corrects or rejects findings (graph/sources/facts.py); what is left enters the graph on its own
when its confidence reaches the setting `MKG_MIN_CONFIDENCE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from rdflib import URIRef

from graph.extract.organizations import NameFinder
from graph.extract.themes import ThemeTagger
from graph.model.iris import Minter
from graph.model.statements import Span, Statement
from graph.sources.corpus import Document
from graph.sources.registry import Registry


def symbol_key_of(symbol: str) -> str:
    """A comparison key for symbols: case and spacing ignored."""
    return "".join(symbol.split()).casefold()


@dataclass
class Context:
    """What extractors share: names, the registry, themes, and the build's warnings."""

    minter: Minter
    registry: Registry
    themes: ThemeTagger
    instrument_names: NameFinder | None = None
    symbols: dict[str, str] = field(default_factory=dict)
    """Symbols as curation spells them, by their comparison key (see canonical_symbol)."""
    warnings: list[str] = field(default_factory=list)

    def canonical_symbol(self, symbol: str) -> str:
        """A symbol as the curation spells it when it knows the instrument, else as given,
        so that curated and extracted facts about one instrument meet on one node."""
        return self.symbols.get(symbol_key_of(symbol), symbol)

    def warn(self, message: str) -> None:
        """Note something a reviewer should see, once."""
        if message not in self.warnings:
            self.warnings.append(message)


@dataclass
class Finding:
    """One entity an extractor found in one document, with the statements about it.

    `record` is the extractor's own typed record (a Meeting, a SymbolMention...), kept so
    that curation can match it and review can show it.
    """

    kind: str
    subject: URIRef
    doc: str
    span: Span
    confidence: float
    extractor: str
    statements: list[Statement]
    record: Any = None

    @property
    def label(self) -> str:
        """A short description for review lists."""
        return f"{self.kind} {self.subject}"


class Extractor(Protocol):
    """Reads one document and says what it found."""

    name: ClassVar[str]
    kinds: ClassVar[tuple[str, ...]]

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """Every finding in the document; none (not junk) in a text without facts."""
        ...
