"""What extractors produce: plain records with character spans (graph.model.statements.Span),
before any RDF is made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graph.model.statements import Span


@dataclass(frozen=True)
class Mention:
    """An organization named in a document, with the role the text gives it."""

    text: str
    span: Span
    role: str


@dataclass(frozen=True)
class EventRecord:
    """An event found in a document, with the evidence that supports it."""

    doc_id: str
    label: str
    start: dt.date
    end: dt.date
    venue: str
    mentions: tuple[Mention, ...]
    evidence: Span
    position: int | None = None
    parent_hint: str | None = None
    source_row: int | None = None
    extra_labels: tuple[str, ...] = field(default=())
