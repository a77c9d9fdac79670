"""Response models of the API: the JSON shapes DESIGN.md gives.

Each model reads the read models of graph/ (their dataclasses) by pydantic's own means,
`model_validate(record)` over attributes (`from_attributes`), so a field added to a read
model and to its schema needs no copying code. Where the JSON arranges what a record holds
otherwise (an organization's detail beside its names, a link's implementer nested), a
validator says how, once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from graph.read import trace
from graph.read.catalog import key_of

T = TypeVar("T")


class Schema(BaseModel):
    """A response model that validates from a read model's attributes."""

    model_config = ConfigDict(from_attributes=True)


class Merged:
    """Several records read as one: an attribute comes from the first that has it (a
    mapping's keys count as attributes). For a JSON object that puts side by side what
    the read model nests."""

    def __init__(self, *records: object, **values: object) -> None:
        self._records: tuple[object, ...] = (values, *records)

    def __getattr__(self, name: str) -> Any:
        for record in self._records:
            if isinstance(record, Mapping):
                if name in record:
                    return record[name]
            elif hasattr(record, name):
                return getattr(record, name)
        raise AttributeError(name)


class Organization(Schema):
    """An organization in any answer."""

    id: str = Field(examples=["IOM"])
    iri: str = Field(examples=["https://w3id.org/migration-kg/id/org/IOM"])
    label: str = Field(examples=["International Organization for Migration"])
    acronym: str | None = Field(default=None, examples=["IOM"])


class Page(Schema, Generic[T]):
    """A page of a list."""

    items: list[T]
    total: int = Field(examples=[95], description="items in the whole list")
    limit: int = Field(examples=[20])
    offset: int = Field(examples=[0])


class CosponsorItem(Schema):
    """An organization with the events it organized."""

    org: Organization
    events: int = Field(examples=[30])
    joint_events: int = Field(examples=[28])
    rows: int = Field(
        examples=[29],
        description="source rows its events come from, where a document is a table (two side "
        "events of one calendar row count once); an event found in prose is one row",
    )
    joint_rows: int = Field(examples=[27])


class PairItem(Schema):
    """Two organizations and the events they organized together."""

    orgs: list[Organization]
    shared_events: int = Field(examples=[9])
    events: Annotated[list[str], BeforeValidator(lambda found: [key_of(e) for e in found])] = Field(
        description="event ids"
    )


class ScoreItem(Schema):
    """An organization's centrality score."""

    org: Organization
    score: float = Field(examples=[0.67])


class CommunityItem(Schema):
    """A community of organizations, named after its most central member."""

    id: int = Field(examples=[0])
    label: str = Field(examples=["IOM"])
    members: list[Organization]


class EventRef(Schema):
    """An event named in an answer."""

    id: str = Field(
        examples=["2006-07-18-madrid-ibero-american-encounter-on-international-migration"]
    )
    iri: str = Field(
        examples=[
            "https://w3id.org/migration-kg/id/event/2006-07-18-madrid-ibero-american-encounter-on-international-migration"
        ]
    )
    label: str = Field(examples=["Ibero-American Encounter on International Migration"])


class HopItem(Schema):
    """One step of a collaboration path."""

    source: Organization
    target: Organization
    events: list[EventRef]


class PathAnswer(Schema):
    """The strongest shortest collaboration path between two organizations."""

    source: Organization
    target: Organization
    hops: list[HopItem]


class Health(Schema):
    """What the server serves."""

    status: str = Field(examples=["ok"])
    triples: int = Field(examples=[8337])
    graph_version: str = Field(examples=["3f9c2a7d51e0"])
    served_from: str = Field(
        description="Where queries are answered: memory, disk or remote.", examples=["memory"]
    )


class ErrorBody(Schema):
    """Every error answer."""

    error: str = Field(examples=["NotFound"])
    detail: str = Field(examples=["no organization 'XYZ' in the graph"])
    request_id: str | None = Field(
        default=None,
        description="The id of the request (its X-Request-ID header), on its every log line.",
        examples=["4c1f0f8e2f6a4d0b9d1c2b7a5e3f6a10"],
    )


_ERROR_JSON: dict[str, Any] = {
    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
}
REFUSED_TARGET: dict[int | str, dict[str, Any]] = {
    414: {
        "description": "A request target (path and query string) longer than "
        "MKG_MAX_REQUEST_BYTES (refused before routing)",
        "content": _ERROR_JSON,
    },
}
"""What api.guards answers on any route besides 404 (documented for every route by the
app): every router documents it."""
PAGE_ERROR_CONTENT: dict[str, Any] = {
    "text/html": {"schema": {"type": "string"}},
    **_ERROR_JSON,
}
"""What a page's error answer holds: the page saying what is wrong, or the JSON error
body for a client whose Accept prefers application/json."""


class Source(Schema):
    """A document, the quote that supports a fact, and where the quote stands in it."""

    document: str = Field(examples=["000_14d2ce0a342a483c"])
    evidence: str = Field(examples=["Brussels Conference on Migration and Development"])
    char_start: int = Field(examples=[1875])
    char_end: int = Field(examples=[1985])
    method: str | None = Field(default=None, examples=["extracted"])


class Implementation(Schema):
    """A paragraph (or whole instrument) an event implements, and on what basis."""

    instrument: str = Field(examples=["A/RES/60/227"])
    paragraph: str | None = Field(examples=["17"])
    basis: str = Field(examples=["curated"], description="stated, curated or inferred")


class Event(EventRef):
    """An event with its organizers, themes, implementation links and sources."""

    start: str | None = Field(examples=["2006-07-18"], description="YYYY, YYYY-MM or YYYY-MM-DD")
    end: str | None = Field(examples=["2006-07-19"])
    venue: str | None = Field(examples=["Madrid"])
    organizers: list[Organization]
    themes: list[str] = Field(examples=[["regional-cooperation"]])
    implements: list[Implementation]
    part_of: str | None = Field(
        default=None, description="IRI of the event this one is part of", examples=[None]
    )
    series: bool = Field(
        default=False,
        description="a series of events (schema:EventSeries), not one event",
        examples=[False],
    )
    sources: list[Source]


class Involved(Schema):
    """An organization's role in an event, series or body, and the quotes that give it."""

    org: Organization
    role: str = Field(examples=["co-chair"])
    sources: list[Source]


class PartRef(EventRef):
    """An event or series that is part of a series."""

    start: str | None = Field(default=None, examples=["2006-03-15"])


class Topic(Schema):
    """A topic a series announced, and the part that covers it (None: no part does)."""

    label: str = Field(examples=["international human trafficking"])
    part: PartRef | None
    sources: list[Source]


class Claim(Schema):
    """A value documents give that cannot be true together with another, and who states it."""

    property: str = Field(examples=["start"])
    value: str = Field(examples=["2006-03"])
    stated_by: list[str] = Field(examples=[["002_701c0046ca42ff1f"]])


class Implementer(EventRef):
    """The event or activity at one end of an implementation link."""

    kind: str = Field(examples=["event"], description="event or activity")
    start: str | None = Field(default=None, examples=["2006-07-18"])


class LinkItem(Schema):
    """An implementation link with its basis and the evidence for it."""

    implementer: Implementer
    target: str = Field(
        description="IRI of the paragraph or instrument implemented",
        examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227/op/17"],
    )
    target_label: str | None = Field(default=None, examples=["A/RES/60/227 OP17"])
    basis: str = Field(examples=["curated"], description="stated, curated or inferred")
    score: float | None = Field(
        default=None, description="the linker's score, for inferred links", examples=[0.42]
    )
    rationale: str | None = Field(default=None, examples=["organizer and title match OP17"])
    sources: list[Source]

    @model_validator(mode="before")
    @classmethod
    def _nest_implementer(cls, data: Any) -> Any:
        """The read model gives the implementer's IRI, label, kind and start side by side
        with the link; the JSON nests them."""
        if isinstance(data, trace.Link):
            implementer = Merged(data, iri=data.implementer, id=key_of(data.implementer))
            return Merged(data, implementer=implementer)
        return data


class EventDetail(Event):
    """One event or series in full: who was involved and how, its parts and announced
    topics (for a series), its links with evidence, and where documents disagree."""

    involvements: list[Involved] = Field(description="every organization involved, every role")
    parts: list[PartRef] = Field(default=[], description="the events a series is made of")
    topics: list[Topic] = Field(
        default=[], description="the topics a series announced, each with the part covering it"
    )
    links: list[LinkItem]
    disputed: list[Claim] = Field(
        description="Values of a property that cannot all be true (a less precise date that "
        "agrees with a more precise one is no dispute), each with the documents stating it"
    )


class OrganizationItem(Organization):
    """An organization in a list, with its type and the events it organized."""

    type: str | None = Field(default=None, examples=["IntergovernmentalOrganization"])
    events: int = Field(examples=[30])


class Partner(Schema):
    """An organization that co-organized events with another."""

    org: Organization
    shared_events: int = Field(examples=[9])

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, data: Any) -> Any:
        """The read model gives a partner as (organization, shared events)."""
        if isinstance(data, tuple):
            org, shared = data
            return {"org": org, "shared_events": shared}
        return data


class Mandate(Schema):
    """A paragraph addressed to an organization, or assigning it an activity."""

    paragraph: str = Field(
        description="IRI of the paragraph",
        examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227/op/17"],
    )
    label: str = Field(examples=["A/RES/60/227 OP17"])
    how: str = Field(examples=["addressee"], description="addressee or assigned activity")


class OrganizationDetail(Organization):
    """One organization with its names, events, partners, mandates and sources."""

    type: str | None = Field(default=None, examples=["IntergovernmentalOrganization"])
    alt_labels: list[str] = Field(examples=[["UN-DESA"]])
    parent: Organization | None = Field(default=None, description="the organization it is part of")
    needs_review: bool = Field(
        examples=[False], description="whether a curator still has to confirm the organization"
    )
    events: list[Event]
    partners: list[Partner]
    mandates: list[Mandate]
    sources: list[Source]
    members: list[Involved] = Field(description="who belongs to it (as a body), in which role")
    member_of: list[Involved] = Field(description="the bodies it belongs to, in which role")
    figures: list[Figure] = Field(description="numbers documents report about it")
    projects: list[Project] = Field(description="programmes, projects and funds it takes part in")
    disputed: list[Claim] = Field(description="figures for the same time that differ")


class Figure(Schema):
    """A number a document reports about an organization."""

    variable: str = Field(examples=["member-states"])
    value: int | float = Field(examples=[146])
    date: str | None = Field(examples=["2011"])
    sources: list[Source]


class Project(Schema):
    """A programme, project or fund, and the organization's role in it."""

    id: str = Field(examples=["mida"])
    iri: str = Field(examples=["https://w3id.org/migration-kg/id/work/mida"])
    label: str = Field(examples=["Migration for Development in Africa (MIDA)"])
    kind: str | None = Field(default=None, examples=["programme"])
    role: str = Field(examples=["implementer"])
    sources: list[Source]


class Paragraph(Schema):
    """A paragraph of an instrument."""

    iri: str = Field(examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227/op/17"])
    number: str = Field(examples=["17"])
    kind: str = Field(examples=["operative"], description="operative or preambular")
    verb: str | None = Field(default=None, examples=["encourages"])
    label: str | None = Field(default=None, examples=["A/RES/60/227 OP17"])


class Instrument(Schema):
    """An instrument (resolution, report, constitution...) with its paragraphs."""

    id: str = Field(examples=["A-RES-60-227"])
    iri: str = Field(examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227"])
    symbol: str = Field(examples=["A/RES/60/227"])
    label: str = Field(
        examples=["General Assembly resolution 60/227 on international migration and development"]
    )
    kind: str | None = Field(default=None, examples=["resolution"])
    aliases: list[str]
    paragraphs: list[Paragraph]


class InstrumentDetail(Instrument):
    """One instrument with the documents that cite it, and the dates they disagree on."""

    sources: list[Source]
    disputed: list[Claim] = Field(
        description="Values (the date issued) that cannot all be true, with who states each"
    )


class Part(Schema):
    """An addressee or a mandated activity of a paragraph."""

    iri: str = Field(examples=["https://w3id.org/migration-kg/id/org/UN-REGIONAL-COMMISSIONS"])
    label: str = Field(examples=["UN Regional Commissions"])
    assigned_to: list[str] = Field(default=[], description="who the activity is assigned to")


class ParagraphTrace(Schema):
    """A paragraph, who it addresses, what it mandates and what implements it."""

    iri: str = Field(examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227/op/17"])
    number: str = Field(examples=["17"])
    kind: str = Field(examples=["operative"])
    label: str = Field(examples=["A/RES/60/227 OP17"])
    verb: str | None = Field(default=None, examples=["encourages"])
    addressees: list[Part]
    activities: list[Part]
    implementations: list[LinkItem]
    sources: list[Source]


class TraceAnswer(Schema):
    """An instrument's paragraphs (or one of them) traced to what implements them."""

    iri: str = Field(examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227"])
    symbol: str = Field(examples=["A/RES/60/227"])
    label: str = Field(
        examples=["General Assembly resolution 60/227 on international migration and development"]
    )
    paragraphs: list[ParagraphTrace]
    implementations: list[LinkItem] = Field(
        description="Links to the instrument as a whole (only when no paragraph is asked for)"
    )
    sources: list[Source]


# ---------------------------------------------------------------------- the mandate register


class MandateInstrument(Schema):
    """The instrument a register row belongs to."""

    symbol: str = Field(examples=["A/RES/60/227"])
    iri: str = Field(examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227"])


class MandateParagraph(Schema):
    """A paragraph of the register: its number as printed and its readable id."""

    number: str = Field(examples=["17"])
    id: str = Field(examples=["para_17"], description="Akoma Ntoso-style id: para_8__point_b")
    iri: str = Field(examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227/op/17"])


class Addressee(Schema):
    """An organization or named group a paragraph addresses."""

    id: str = Field(examples=["IOM"])
    label: str = Field(examples=["International Organization for Migration"])


class DeliverableItem(Schema):
    """Something a paragraph asks for."""

    kind: str = Field(
        examples=["report"],
        description="report, note, summary, meeting, round table, panel, hearing or event",
    )
    label: str = Field(examples=["a report on the implementation of the present resolution"])
    due: str | None = Field(examples=["sixty-first session"], description="date or session")


class MandateImplementer(Schema):
    """An event or activity that carries a paragraph out, with the strongest basis."""

    id: str = Field(examples=["2006-07-12-new-york-hld-informal-hearings"])
    label: str = Field(examples=["HLD Informal hearings with NGOs, civil society, private sector"])
    basis: str = Field(examples=["curated"], description="stated, curated or inferred")


class MandateItem(Schema):
    """One paragraph of the register."""

    instrument: MandateInstrument
    paragraph: MandateParagraph
    verb: str | None = Field(examples=["requests"])
    addressees: list[Addressee]
    deliverables: list[DeliverableItem]
    status: str = Field(examples=["implemented"], description="implemented, inferred or untraced")
    implementers: list[MandateImplementer]
    sources: list[Source]


class MandateSummary(Schema):
    """How many paragraphs of the selection are in each status."""

    implemented: int = Field(examples=[16])
    inferred: int = Field(examples=[1])
    untraced: int = Field(examples=[13])


class MandatePage(Schema):
    """A page of the register, with the summary of the whole selection."""

    items: list[MandateItem]
    total: int = Field(examples=[30])
    limit: int = Field(examples=[20])
    offset: int = Field(examples=[0])
    summary: MandateSummary


class ParagraphRef(Schema):
    """A paragraph named in a coverage answer."""

    instrument: str = Field(examples=["A/RES/60/227"])
    number: str = Field(examples=["24"])
    id: str = Field(examples=["para_24"])
    iri: str = Field(examples=["https://w3id.org/migration-kg/id/instrument/A-RES-60-227/op/24"])
    addressees: list[Addressee] = Field(default=[])


class SharedDeliverable(Schema):
    """One kind of deliverable asked by several paragraphs: a candidate for duplication."""

    kind: str = Field(examples=["report"])
    instruments: list[str]
    paragraphs: list[ParagraphRef]


class CoverageItem(Schema):
    """One instrument: what is traced, what implements no paragraph, what is shared."""

    instrument: MandateInstrument
    paragraphs: int = Field(examples=[10])
    summary: MandateSummary
    untraced: list[ParagraphRef] = Field(description="paragraphs nothing carries out")
    unlinked: list[MandateImplementer] = Field(
        description="events and activities that implement the instrument but none of its paragraphs"
    )
    shared: list[ParagraphRef] = Field(description="paragraphs addressed to several entities")
    duplicates: list[SharedDeliverable] = Field(
        description="kinds of deliverable asked by several of its paragraphs"
    )


class CoverageAnswer(Schema):
    """Coverage per instrument, and deliverables asked by several instruments."""

    items: list[CoverageItem]
    across: list[SharedDeliverable] = Field(
        description="kinds of deliverable asked by paragraphs of several instruments"
    )


class CitationItem(Schema):
    """One instrument citing another."""

    citing: MandateInstrument
    cited: MandateInstrument
    property: str = Field(
        examples=["recalls"], description="recalls, reaffirms, followsUp or refersTo"
    )
    citing_year: int | None = Field(examples=[1995])
    cited_year: int | None = Field(examples=[1994])
    sources: list[Source]


class LineageAnswer(Schema):
    """An instrument and every citation reachable from it, in either direction."""

    symbol: str = Field(examples=["A/RES/50/123"])
    citations: list[CitationItem]
