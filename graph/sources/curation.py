"""Curated facts (graph/curation/*.yaml): the reviewed truth, each with a verbatim quote.

See graph/curation/README.md for the file formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from graph.errors import CurationError
from graph.extract.base import symbol_key_of
from graph.extract.dates import PartialDate, parse_partial
from graph.model import vocab
from graph.model.statements import Span
from graph.sources.yamlio import read_yaml


def _controlled(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return value


def _role(value: str) -> str:
    return _controlled(value, vocab.roles(), "role")


Role = Annotated[str, AfterValidator(_role)]
"""A role of the ontology's list (graph.model.vocab.roles())."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quote(_Model):
    """Where a fact stands: a document and a verbatim quote from it."""

    doc: str
    evidence: str = Field(min_length=3)
    occurrence: int = Field(default=1, ge=1)
    note: str | None = None


class Citation(Quote):
    """A document citing an instrument, with the date it claims for it, if any."""

    issued: str | None = None


class ActivitySpec(_Model):
    """What a paragraph mandates."""

    label: str
    assigned_to: tuple[str, ...] = ()


class ParagraphSpec(Quote):
    """One paragraph of an instrument."""

    number: str
    kind: Annotated[
        str, AfterValidator(lambda v: _controlled(v, vocab.paragraph_kinds(), "paragraph kind"))
    ]
    verb: str | None = None
    addressees: tuple[str, ...] = ()
    activities: tuple[ActivitySpec, ...] = ()


class InstrumentSpec(_Model):
    """A resolution, decision or constitution, with its citations and paragraphs."""

    symbol: str
    label: str
    kind: Literal["resolution", "decision", "constitution"]
    adopted_by: str | None = None
    adopts: str | None = None
    """The named document the instrument adopted, where a text tells the instrument by it
    ("IOM Migration Crisis Operational Framework")."""
    aliases: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    paragraphs: tuple[ParagraphSpec, ...] = ()
    note: str | None = None


class ActivityDef(Quote):
    """An activity that implements something without being mandated text itself."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    assigned_to: tuple[str, ...] = ()


class Implementer(_Model):
    """What implements: a calendar row of seed 000, a prose event or an activity."""

    calendar: int | None = Field(default=None, ge=1)
    event: str | None = None
    activity: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Implementer:
        if sum(x is not None for x in (self.calendar, self.event, self.activity)) != 1:
            raise ValueError("an implementer names exactly one of calendar, event, activity")
        return self


class LinkSpec(Quote):
    """An implementation link, stated by a document or curated by a reviewer."""

    instrument: str
    paragraph: str | None = None
    implementer: Implementer
    basis: Annotated[
        str,
        AfterValidator(
            lambda v: _controlled(
                v, tuple(b for b in vocab.link_bases() if b != "inferred"), "link basis"
            )
        ),
    ]
    """Any basis but `inferred`, which only the linker gives."""


class InvolvementSpec(_Model):
    """An organization's role in an event or work."""

    org: str
    role: Role


class TopicSpec(Quote):
    """A topic a series announced, quoted where it is announced, and the part covering it."""

    label: str
    part: str | None = None


class EventSpec(Quote):
    """A meeting, series or session described in prose."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    start: str | None = None
    end: str | None = None
    venue: str | None = None
    kind: str | None = None
    part_of: str | None = None
    calendar: int | None = Field(default=None, ge=1)
    involvements: tuple[InvolvementSpec, ...] = ()
    sources: tuple[Quote, ...] = ()
    topics: tuple[TopicSpec, ...] = ()

    @model_validator(mode="after")
    def _dated_unless_series(self) -> EventSpec:
        if self.start is None and not self.is_series:
            raise ValueError(f"event {self.id}: start is required (only a series may omit it)")
        return self

    @property
    def is_series(self) -> bool:
        """A series of events (schema:EventSeries) rather than one event."""
        return self.kind == "series"

    @property
    def start_date(self) -> PartialDate | None:
        """The start as a PartialDate."""
        return parse_partial(self.start) if self.start else None

    @property
    def end_date(self) -> PartialDate | None:
        """The end as a PartialDate (the start when not given)."""
        return parse_partial(self.end) if self.end else self.start_date


class MembershipSpec(Quote):
    """A member of a body, with its role."""

    body: str
    member: str
    role: Role
    start: str | None = None


class WorkSpec(Quote):
    """A publication, programme, fund or database tied to actors."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    type: Literal["publication", "programme", "fund", "database", "project"]
    label: str
    date: str | None = None
    involvements: tuple[InvolvementSpec, ...] = ()


class ObservationSpec(Quote):
    """A number a document states about an actor."""

    about: str
    property: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    value: float
    date: str | None = None


class RejectionSpec(Quote):
    """An extracted finding a reviewer keeps out of the graph: the quote locates it (any
    finding of this kind whose span overlaps the quote), the reason says why."""

    kind: Literal["event", "citation", "paragraph", "organization"]
    reason: str = Field(min_length=3)


class _File(_Model):
    """A curation file: lists of facts; a list written empty (`rejections:`) has none."""

    @field_validator("*", mode="before")
    @classmethod
    def _empty(cls, value: object) -> object:
        return () if value is None else value


class _InstrumentsFile(_File):
    instruments: tuple[InstrumentSpec, ...] = ()


class _LinksFile(_File):
    activities: tuple[ActivityDef, ...] = ()
    links: tuple[LinkSpec, ...] = ()


class _EventsFile(_File):
    events: tuple[EventSpec, ...] = ()


class _BodiesFile(_File):
    memberships: tuple[MembershipSpec, ...] = ()


class _WorksFile(_File):
    works: tuple[WorkSpec, ...] = ()


class _ObservationsFile(_File):
    observations: tuple[ObservationSpec, ...] = ()


class _RejectionsFile(_File):
    rejections: tuple[RejectionSpec, ...] = ()


_FILES: dict[str, type[_Model]] = {
    "instruments.yaml": _InstrumentsFile,
    "links.yaml": _LinksFile,
    "events.yaml": _EventsFile,
    "bodies.yaml": _BodiesFile,
    "works.yaml": _WorksFile,
    "observations.yaml": _ObservationsFile,
    "rejections.yaml": _RejectionsFile,
}


@dataclass(frozen=True)
class Curation:
    """Every curated fact, read and checked."""

    instruments: tuple[InstrumentSpec, ...] = ()
    activities: tuple[ActivityDef, ...] = ()
    links: tuple[LinkSpec, ...] = ()
    events: tuple[EventSpec, ...] = ()
    memberships: tuple[MembershipSpec, ...] = ()
    works: tuple[WorkSpec, ...] = ()
    observations: tuple[ObservationSpec, ...] = ()
    rejections: tuple[RejectionSpec, ...] = ()
    files: dict[str, Path] = field(default_factory=dict)

    def quotes(self) -> list[tuple[str, Quote]]:
        """Every (file name, quote) pair, for checking them against the documents."""
        out: list[tuple[str, Quote]] = []
        for spec in self.instruments:
            out += [("instruments.yaml", q) for q in (*spec.citations, *spec.paragraphs)]
        out += [("links.yaml", q) for q in (*self.activities, *self.links)]
        for event in self.events:
            out += [("events.yaml", q) for q in (event, *event.sources, *event.topics)]
        out += [("bodies.yaml", q) for q in self.memberships]
        out += [("works.yaml", q) for q in self.works]
        out += [("observations.yaml", q) for q in self.observations]
        out += [("rejections.yaml", q) for q in self.rejections]
        return out

    def instrument(self, symbol: str) -> InstrumentSpec | None:
        """The instrument with this symbol or alias."""
        wanted = normalize_symbol(symbol)
        for spec in self.instruments:
            if wanted in {normalize_symbol(s) for s in (spec.symbol, *spec.aliases)}:
                return spec
        return None


def normalize_symbol(symbol: str) -> str:
    """A comparison key for symbols: case and spacing ignored."""
    return symbol_key_of(symbol)


def load_curation(directory: Path) -> Curation:
    """Read every curation file present; a malformed one raises CurationError naming it."""
    parts: dict[str, object] = {}
    files: dict[str, Path] = {}
    for name, model in _FILES.items():
        path = directory / name
        if not path.is_file():
            continue
        files[name] = path
        try:
            raw = read_yaml(path) or {}
            parsed = model.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise CurationError(f"{path}: {where}: {err['msg']}") from exc
        except Exception as exc:
            raise CurationError(f"{path}: not readable YAML ({exc})") from exc
        parts.update(dict(parsed))
    return Curation(**parts, files=files)  # type: ignore[arg-type]


def locate(text: str, quote: Quote) -> Span:
    """Where a quote stands in its document (its n-th occurrence); CurationError if absent."""
    position = -1
    for _ in range(quote.occurrence):
        position = text.find(quote.evidence, position + 1)
        if position < 0:
            break
    if position < 0:
        raise CurationError(
            f"evidence not found verbatim in {quote.doc}"
            + (f" (occurrence {quote.occurrence})" if quote.occurrence > 1 else "")
            + f": {quote.evidence[:80]!r}"
        )
    return Span(position, position + len(quote.evidence))
