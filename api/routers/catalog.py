"""Organizations, events, instruments and mandate traces, as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import (
    BLANK_IS_NONE,
    NAME_LENGTH,
    NAMED,
    FiltersDep,
    Limit,
    MinterDep,
    Offset,
    StoreDep,
)
from api.schemas import (
    REFUSED_TARGET,
    ErrorBody,
    Event,
    EventDetail,
    Instrument,
    InstrumentDetail,
    Merged,
    OrganizationDetail,
    OrganizationItem,
    Page,
    TraceAnswer,
)
from graph.read import catalog, trace

router = APIRouter(prefix="/api", tags=["catalog"], responses=REFUSED_TARGET)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Nothing by that name in the graph"}
}


@router.get("/organizations", responses=NOT_FOUND)
def organizations(
    store: StoreDep,
    minter: MinterDep,
    filters: FiltersDep,
    q: Annotated[str | None, Query(max_length=NAME_LENGTH, description="Part of a name or acronym.",
                                   examples=["migration"])] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[OrganizationItem]:  # fmt: skip
    """Organizations by name, acronym or type. With `start`, `end`, `doc` or `theme`, only
    those that organized an event in that selection; `events` counts them."""
    window = filters if (filters.start or filters.end or filters.doc or filters.theme) else None
    found = catalog.organizations(store, minter, q, filters.org_type, window)
    items = [
        OrganizationItem.model_validate(Merged(org, events=count))
        for org, count in found[offset : offset + limit]
    ]
    return Page(items=items, total=len(found), limit=limit, offset=offset)


@router.get("/organizations/{org_id}", responses=NOT_FOUND)
def organization(
    store: StoreDep,
    minter: MinterDep,
    org_id: Annotated[str, Path(max_length=NAME_LENGTH, description="Id, acronym or label.",
                                examples=["IOM"]), NAMED],
) -> OrganizationDetail:  # fmt: skip
    """One organization: its names, the events it organized, its partners (by events
    shared), the paragraphs that address it or assign it activities, its members and the
    bodies it belongs to (with roles), the figures documents report about it, the projects
    it takes part in, and its sources."""
    view = catalog.organization(store, minter, org_id)
    return OrganizationDetail.model_validate(Merged(view, view.org))


@router.get("/events", responses=NOT_FOUND)
def events(
    store: StoreDep,
    minter: MinterDep,
    filters: FiltersDep,
    venue: Annotated[str | None, Query(max_length=NAME_LENGTH, description="A venue, as labelled.",
                                       examples=["Geneva"])] = None,
    org: Annotated[str | None, Query(max_length=NAME_LENGTH, description="An organizer: id, "
                                     "acronym or label.", examples=["IOM"]), BLANK_IS_NONE] = None,
    q: Annotated[str | None, Query(max_length=NAME_LENGTH, description="Part of the event's title.",
                                   examples=["panel"])] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Event]:  # fmt: skip
    """Events in date order, each with organizers, themes, what it implements and the
    documents and quotes behind it. A title search (`q`) finds series of events too."""
    found = catalog.events(store, minter, catalog.EventFilters(filters, venue, org, q))
    items = [
        Event.model_validate(catalog.with_sources(store, e)) for e in found[offset : offset + limit]
    ]
    return Page(items=items, total=len(found), limit=limit, offset=offset)


@router.get("/events/{event_id}", responses=NOT_FOUND)
def event(
    store: StoreDep,
    minter: MinterDep,
    event_id: Annotated[str, Path(max_length=NAME_LENGTH, description="The event's id.",
                                  examples=["2006-07-18-madrid-ibero-american-encounter-on-"
                                            "international-migration"])],
) -> EventDetail:  # fmt: skip
    """One event or series: every organization involved and in which role, its parts and
    announced topics (a series), its implementation links and their evidence, and the
    values its source documents give that cannot all be true."""
    return EventDetail.model_validate(catalog.event(store, minter, event_id))


@router.get("/instruments", responses=NOT_FOUND)
def instruments(
    store: StoreDep,
    minter: MinterDep,
    q: Annotated[str | None, Query(max_length=NAME_LENGTH, description="Part of a symbol or title.",
                                   examples=["A/RES"])] = None,
    doc: Annotated[str | None, Query(max_length=NAME_LENGTH, description="Only what this document "
                                     "cites.", examples=["002_701c0046ca42ff1f"])] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Instrument]:  # fmt: skip
    """Instruments (resolutions, reports, constitutions...) with their paragraphs."""
    found, total = catalog.instrument_page(store, minter, q, doc, limit=limit, offset=offset)
    items = [Instrument.model_validate(i) for i in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/instruments/{instrument_id:path}", responses=NOT_FOUND)
def instrument(
    store: StoreDep,
    minter: MinterDep,
    instrument_id: Annotated[str, Path(max_length=NAME_LENGTH, description="Id or symbol.",
                                       examples=["A-RES-60-227"])],
) -> InstrumentDetail:  # fmt: skip
    """One instrument with its paragraphs and the documents that cite it."""
    return InstrumentDetail.model_validate(catalog.instrument(store, minter, instrument_id))


@router.get("/trace", responses=NOT_FOUND)
def trace_paragraph(
    store: StoreDep,
    instrument: Annotated[str, Query(max_length=NAME_LENGTH, description="Symbol or id.",
                                     examples=["A/RES/60/227"])],
    paragraph: Annotated[str | None, Query(max_length=40, description="Paragraph number; "
                                           "all paragraphs when left out.",
                                           examples=["17"])] = None,
) -> TraceAnswer:  # fmt: skip
    """A paragraph of an instrument, its addressees, the activities it mandates and the
    events that implement it, each link with its basis and evidence."""
    return TraceAnswer.model_validate(trace.trace(store, instrument, paragraph))
