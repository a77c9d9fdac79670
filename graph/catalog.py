"""Organizations, events and instruments as the API shows them, read from the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import pyoxigraph as ox

from graph import analytics
from graph.errors import NotFound
from graph.iris import Minter
from graph.queries import load_query
from graph.store import GraphStore
from graph.terms import doc_scope, rows
from graph.trace import Link, Source, find_instrument, links, sources

SCHEMA = "https://schema.org/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DISPUTABLE = {
    RDFS_LABEL: "label",
    f"{SCHEMA}startDate": "start",
    f"{SCHEMA}endDate": "end",
    f"{SCHEMA}location": "venue",
}
"""The event properties on which documents can disagree, by their API names."""


def key_of(iri: str) -> str:
    """The last segment of an IRI: the id the API uses."""
    return iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Claim:
    """One value a property has, and the documents (or graphs) that state it."""

    property: str
    value: str
    stated_by: tuple[str, ...]


@dataclass(frozen=True)
class EventView:
    """An event with organizers, themes, implementation links and sources."""

    iri: str
    label: str
    start: str | None
    end: str | None
    venue: str | None
    organizers: tuple[analytics.Organization, ...]
    themes: tuple[str, ...]
    implements: tuple[dict[str, str | None], ...]
    part_of: str | None = None
    sources: tuple[Source, ...] = ()
    links: tuple[Link, ...] = ()
    disputed: tuple[Claim, ...] = ()

    @property
    def id(self) -> str:
        """The event's key."""
        return key_of(self.iri)


@dataclass(frozen=True)
class EventFilters:
    """What an event list can be narrowed by, besides the analytics window."""

    window: analytics.Filters = field(default_factory=analytics.Filters)
    venue: str | None = None
    org: str | None = None
    q: str | None = None


@dataclass
class _EventIndex:
    rows: dict[str, dict[str, Any]]
    links: dict[str, list[dict[str, str | None]]] = field(default_factory=dict)


def most_precise(values: str, latest: bool = False) -> str | None:
    """Of space-separated ISO dates, the most precise; among equals the earliest (or latest)."""
    found = sorted(values.split(), key=lambda v: (len(v), v if latest else ""))
    if not found:
        return None
    best = [v for v in found if len(v) == len(found[-1])]
    return max(best) if latest else min(best)


def _index(store: GraphStore, minter: Minter, doc: str | None) -> _EventIndex:
    def build() -> _EventIndex:
        scope = doc_scope(store, minter, doc)
        found = {str(r["event"]): r for r in rows(store.query(load_query("events"), graphs=scope))}
        links_: dict[str, list[dict[str, str | None]]] = defaultdict(list)
        for r in rows(store.query(load_query("event_links"), graphs=scope)):
            links_[str(r["event"])].append(
                {
                    "instrument": str(r["symbol"]),
                    "paragraph": str(r["number"]) if r["number"] else None,
                    "basis": str(r["basis"]),
                }
            )
        return _EventIndex(found, dict(links_))

    index: _EventIndex = analytics.cached(store, ("event-index", doc), build)
    return index


def events(
    store: GraphStore, minter: Minter, filters: EventFilters = EventFilters()
) -> list[EventView]:
    """Events that pass the filters, in date order (without sources: see `with_sources`)."""
    proj = analytics.projection(store, minter, filters.window)
    index = _index(store, minter, filters.window.doc)
    wanted_org = analytics.resolve_org(proj, filters.org) if filters.org else None
    wanted_q = (filters.q or "").casefold()
    found = []
    for iri, event in proj.events.items():
        view = _view(iri, index, event, proj)
        if wanted_org and wanted_org not in event.organizers:
            continue
        if wanted_q and wanted_q not in view.label.casefold():
            continue
        if filters.venue and (view.venue or "").casefold() != filters.venue.casefold():
            continue
        found.append(view)
    return sorted(found, key=lambda e: (e.start or "", e.label))


def with_sources(store: GraphStore, view: EventView) -> EventView:
    """The event with the documents and quotes behind it."""
    return replace(view, sources=sources(store, view.iri))


def _view(
    iri: str, index: _EventIndex, event: analytics.Event, proj: analytics.Projection
) -> EventView:
    row = index.rows.get(iri, {})
    organizers = sorted((proj.organizations[o] for o in event.organizers), key=lambda o: o.label)
    return EventView(
        iri=iri,
        label=str(row.get("label") or event.label),
        start=most_precise(str(row.get("starts") or "")),
        end=most_precise(str(row.get("ends") or ""), latest=True),
        venue=str(row["venue"]) if row.get("venue") else None,
        organizers=tuple(organizers),
        themes=tuple(sorted(key_of(t) for t in event.themes)),
        implements=tuple(index.links.get(iri, ())),
        part_of=str(row["superEvent"]) if row.get("superEvent") else None,
    )


def event(store: GraphStore, minter: Minter, event_id: str) -> EventView:
    """One event with its sources, its implementation links with evidence, and the values
    documents disagree on."""
    iri = str(minter.event(event_id))
    proj = analytics.projection(store, minter)
    if iri not in proj.events:
        raise NotFound(f"no event {event_id!r} in the graph")
    view = _view(iri, _index(store, minter, None), proj.events[iri], proj)
    return replace(
        with_sources(store, view),
        links=links(store, implementer=iri),
        disputed=disputed(store, iri),
    )


def disputed(store: GraphStore, iri: str) -> tuple[Claim, ...]:
    """Every value of a property on which the documents disagree, with who states it."""
    stated: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows(store.query(load_query("claims"), {"node": ox.NamedNode(iri)})):
        name = DISPUTABLE.get(str(r["property"]))
        if name:
            stated[name][str(r["value"])].add(str(r["document"] or "registry"))
    return tuple(
        Claim(name, value, tuple(sorted(who)))
        for name, values in sorted(stated.items())
        if len(values) > 1
        for value, who in sorted(values.items())
    )


@dataclass(frozen=True)
class OrganizationView:
    """An organization with its names, events, partners, mandates and sources."""

    org: analytics.Organization
    alt_labels: tuple[str, ...]
    parent: analytics.Organization | None
    needs_review: bool
    events: tuple[EventView, ...]
    partners: tuple[tuple[analytics.Organization, int], ...]
    mandates: tuple[dict[str, str], ...]
    sources: tuple[Source, ...]


def organizations(
    store: GraphStore,
    minter: Minter,
    q: str | None = None,
    org_type: str | None = None,
    window: analytics.Filters | None = None,
) -> list[tuple[analytics.Organization, int]]:
    """Organizations whose name or acronym contains `q`, of a type if given, each with the
    events it organized; with a window (dates, document, theme) only those active in it."""
    proj = analytics.projection(store, minter, window or analytics.Filters())
    counts: dict[str, int] = defaultdict(int)
    for e in proj.events.values():
        for o in e.organizers:
            counts[o] += 1
    wanted = (q or "").casefold()
    found = [
        (org, counts[iri])
        for iri, org in proj.organizations.items()
        if (not wanted or wanted in org.label.casefold() or wanted in (org.acronym or "").casefold()
            or wanted == org.id.casefold())
        and (not org_type or org.type == org_type)
        and (window is None or counts[iri] > 0)
    ]  # fmt: skip
    return sorted(found, key=lambda o: o[0].label)


def organization(store: GraphStore, minter: Minter, org_id: str) -> OrganizationView:
    """One organization in full."""
    proj = analytics.projection(store, minter)
    iri = analytics.resolve_org(proj, org_id)
    detail = rows(store.query(load_query("organization_detail"), {"org": ox.NamedNode(iri)}))
    parents = sorted({str(r["parent"]) for r in detail if r["parent"]})
    parent = proj.organizations.get(parents[0]) if parents else None
    graph_ = proj.cosponsorship()
    partners = sorted(
        ((proj.organizations[n], int(graph_[iri][n]["weight"])) for n in graph_[iri]),
        key=lambda p: (-p[1], p[0].label),
    ) if iri in graph_ else []  # fmt: skip
    mandates = rows(store.query(load_query("organization_mandates"), {"org": ox.NamedNode(iri)}))
    return OrganizationView(
        org=proj.organizations[iri],
        alt_labels=tuple(sorted({str(r["alt"]) for r in detail if r["alt"]})),
        parent=parent,
        needs_review=any(r["review"] is True for r in detail),
        events=tuple(events(store, minter, EventFilters(org=iri))),
        partners=tuple(partners),
        mandates=tuple(
            {"paragraph": str(m["paragraph"]), "label": str(m["label"]), "how": str(m["how"])}
            for m in mandates
        ),
        sources=_distinct(sources(store, iri) + sources(store, iri, "mention_sources")),
    )


def _distinct(found: tuple[Source, ...]) -> tuple[Source, ...]:
    seen: dict[tuple[str, int, int], Source] = {}
    for s in found:
        seen.setdefault((s.document, s.char_start, s.char_end), s)
    return tuple(sorted(seen.values(), key=lambda s: (s.document, s.char_start)))


@dataclass(frozen=True)
class ParagraphView:
    """A paragraph of an instrument."""

    iri: str
    number: str
    kind: str
    verb: str | None
    label: str | None


@dataclass(frozen=True)
class InstrumentView:
    """An instrument with its paragraphs."""

    iri: str
    symbol: str
    label: str
    kind: str | None
    aliases: tuple[str, ...]
    paragraphs: tuple[ParagraphView, ...]
    sources: tuple[Source, ...] = ()

    @property
    def id(self) -> str:
        """The instrument's key."""
        return key_of(self.iri)


def instruments(
    store: GraphStore, minter: Minter, q: str | None = None, doc: str | None = None
) -> list[InstrumentView]:
    """Instruments (those a document cites, with `doc`) whose symbol or title contains `q`."""
    scope = doc_scope(store, minter, doc)
    paragraphs: dict[str, list[ParagraphView]] = defaultdict(list)
    for r in rows(store.query(load_query("paragraphs"), graphs=scope)):
        paragraphs[str(r["instrument"])].append(
            ParagraphView(
                iri=str(r["paragraph"]),
                number=str(r["number"]),
                kind=str(r["kind"]),
                verb=str(r["verb"]) if r["verb"] else None,
                label=str(r["label"]) if r["label"] else None,
            )
        )
    wanted = (q or "").casefold()
    found = []
    for r in rows(store.query(load_query("instruments"), graphs=scope)):
        aliases = tuple(sorted(a for a in str(r["aliases"] or "").split("|") if a))
        names = (str(r["symbol"]), str(r["label"]), *aliases)
        if wanted and not any(wanted in n.casefold() for n in names):
            continue
        iri = str(r["instrument"])
        found.append(
            InstrumentView(
                iri=iri,
                symbol=str(r["symbol"]),
                label=str(r["label"]),
                kind=str(r["kind"]) if r["kind"] else None,
                aliases=aliases,
                paragraphs=tuple(sorted(paragraphs.get(iri, ()), key=_paragraph_order)),
            )
        )
    return found


def instrument(store: GraphStore, minter: Minter, name: str) -> InstrumentView:
    """One instrument, by its key (A-RES-60-227), symbol or another spelling of it."""
    by_key = {i.id.casefold(): i for i in instruments(store, minter)}
    found = by_key.get(name.casefold())
    if found is None:
        iri = str(find_instrument(store, name)["instrument"])
        found = next(i for i in by_key.values() if i.iri == iri)
    return replace(found, sources=sources(store, found.iri))


def _paragraph_order(p: ParagraphView) -> tuple[str, int, str]:
    digits = "".join(c for c in p.number.split("(")[0] if c.isdigit())
    return (p.kind, int(digits) if digits else 0, p.number)
