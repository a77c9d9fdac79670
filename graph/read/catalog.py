"""Organizations, events and instruments as the API shows them, read from the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import pyoxigraph as ox

from graph.errors import NotFound
from graph.model.iris import Minter
from graph.model.statements import agree
from graph.read import derived
from graph.read.filters import Filters
from graph.read.projection import Event, Organization, Projection, projection, resolve_org
from graph.read.terms import doc_scope, rows
from graph.read.trace import Link, Source, find_instrument, links, sources
from graph.store.backend import GraphStore
from graph.store.queries import load_query, paged

SCHEMA = "https://schema.org/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DISPUTABLE = {
    f"{SCHEMA}startDate": "start",
    f"{SCHEMA}endDate": "end",
    f"{SCHEMA}location": "venue",
}
"""The event properties whose values documents can give so that both cannot be true, by
their API names (an event can have several titles; it has one start, end and venue)."""
INSTRUMENT_DISPUTABLE = {"http://purl.org/dc/terms/issued": "issued"}
"""The instrument properties on which documents can disagree, by their API names."""


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
class Involvement:
    """An organization's role in an event or series, and the quotes that give it."""

    org: Organization
    role: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class PartView:
    """An event or series that is part of a series."""

    iri: str
    label: str
    start: str | None

    @property
    def id(self) -> str:
        """The part's key."""
        return key_of(self.iri)


@dataclass(frozen=True)
class TopicView:
    """A topic a series announced, and the part that covers it (None: no part does)."""

    label: str
    part: PartView | None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class EventView:
    """An event with organizers, themes, implementation links and sources."""

    iri: str
    label: str
    start: str | None
    end: str | None
    venue: str | None
    organizers: tuple[Organization, ...]
    themes: tuple[str, ...]
    implements: tuple[dict[str, str | None], ...]
    part_of: str | None = None
    sources: tuple[Source, ...] = ()
    links: tuple[Link, ...] = ()
    disputed: tuple[Claim, ...] = ()
    series: bool = False
    involvements: tuple[Involvement, ...] = ()
    parts: tuple[PartView, ...] = ()
    topics: tuple[TopicView, ...] = ()

    @property
    def id(self) -> str:
        """The event's key."""
        return key_of(self.iri)


@dataclass(frozen=True)
class EventFilters:
    """What an event list can be narrowed by, besides the analytics window."""

    window: Filters = field(default_factory=Filters)
    venue: str | None = None
    org: str | None = None
    q: str | None = None


@dataclass
class _EventIndex:
    rows: dict[str, dict[str, Any]]
    links: dict[str, list[dict[str, str | None]]] = field(default_factory=dict)
    series: dict[str, dict[str, Any]] = field(default_factory=dict)
    series_organizers: dict[str, set[str]] = field(default_factory=dict)


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
        series = {str(r["event"]): r for r in rows(store.query(load_query("series"), graphs=scope))}
        organizers: dict[str, set[str]] = defaultdict(set)
        for r in rows(store.query(load_query("series_organizers"), graphs=scope)):
            organizers[str(r["event"])].add(str(r["org"]))
        return _EventIndex(found, dict(links_), series, dict(organizers))

    index: _EventIndex = derived.cached(store, ("event-index", doc), build)
    return index


def events(
    store: GraphStore, minter: Minter, filters: EventFilters = EventFilters()
) -> list[EventView]:
    """Events that pass the filters, in date order (without sources: see `with_sources`).
    A search by title (`q`) finds series of events too, unless dates or a theme are asked
    for (a series has neither of its own)."""
    proj = projection(store, minter, filters.window)
    index = _index(store, minter, filters.window.doc)
    wanted_org = resolve_org(proj, filters.org) if filters.org else None
    wanted_q = (filters.q or "").casefold()
    candidates = [(_view(iri, index, e, proj), e.organizers) for iri, e in proj.events.items()]
    window = filters.window
    if wanted_q and not (window.start or window.end or window.theme):
        whole = projection(store, minter)
        candidates += [
            (view, frozenset(o.iri for o in view.organizers))
            for view in (_series_view(iri, index, whole) for iri in index.series)
        ]
    found = []
    for view, organizers in candidates:
        if wanted_org and wanted_org not in organizers:
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


def _view(iri: str, index: _EventIndex, event: Event, proj: Projection) -> EventView:
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


def _series_view(iri: str, index: _EventIndex, proj: Projection) -> EventView:
    row = index.series[iri]
    known = [o for o in index.series_organizers.get(iri, ()) if o in proj.organizations]
    organizers = sorted((proj.organizations[o] for o in known), key=lambda o: o.label)
    return EventView(
        iri=iri,
        label=str(row.get("label") or key_of(iri)),
        start=most_precise(str(row.get("starts") or "")),
        end=most_precise(str(row.get("ends") or ""), latest=True),
        venue=str(row["venue"]) if row.get("venue") else None,
        organizers=tuple(organizers),
        themes=(),
        implements=tuple(index.links.get(iri, ())),
        part_of=str(row["superEvent"]) if row.get("superEvent") else None,
        series=True,
    )


def event(store: GraphStore, minter: Minter, event_id: str) -> EventView:
    """One event or series with its sources, every organization involved and in which role,
    its parts (for a series), its implementation links with evidence, and the values
    documents give that cannot all be true."""
    iri = str(minter.event(event_id))
    proj = projection(store, minter)
    index = _index(store, minter, None)
    if iri in proj.events:
        view = _view(iri, index, proj.events[iri], proj)
    elif iri in index.series:
        view = _series_view(iri, index, proj)
    else:
        raise NotFound(f"no event {event_id!r} in the graph")
    return replace(
        with_sources(store, view),
        links=links(store, implementer=iri),
        disputed=disputed(store, iri),
        involvements=involvements(store, proj, iri),
        parts=parts(store, iri),
        topics=topics(store, iri),
    )


def topics(store: GraphStore, iri: str) -> tuple[TopicView, ...]:
    """The topics a series announced, in the order announced, each with its covering part."""
    found: dict[str, TopicView] = {}
    for r in rows(store.query(load_query("series_topics"), {"event": ox.NamedNode(iri)})):
        topic = str(r["topic"])
        part = None
        if r["part"]:
            label = str(r["partLabel"] or key_of(str(r["part"])))
            part = PartView(str(r["part"]), label, _start(r["partStart"]))
        if topic not in found or (part and not found[topic].part):
            found[topic] = TopicView(str(r["label"]), part, sources(store, topic))
    return tuple(sorted(found.values(), key=_announced))


def _announced(topic: TopicView) -> list[tuple[str, int]]:
    return [(s.document, s.char_start) for s in topic.sources]


def involvements(store: GraphStore, proj: Projection, iri: str) -> tuple[Involvement, ...]:
    """Every organization involved in an event or series, in every role, with its quotes."""
    found = rows(store.query(load_query("event_involvements"), {"event": ox.NamedNode(iri)}))
    return tuple(
        Involvement(
            org=proj.organization(str(r["org"])),
            role=str(r["role"]),
            sources=sources(store, str(r["involvement"])),
        )
        for r in found
    )


def parts(store: GraphStore, iri: str) -> tuple[PartView, ...]:
    """The events and series that are part of a series or event, in date order."""
    found = rows(store.query(load_query("event_parts"), {"event": ox.NamedNode(iri)}))
    return tuple(
        PartView(str(r["part"]), str(r["label"] or key_of(str(r["part"]))), _start(r["start"]))
        for r in found
    )


def _start(value: object) -> str | None:
    return str(value)[:10] if value else None


def disputed(
    store: GraphStore, iri: str, properties: dict[str, str] = DISPUTABLE
) -> tuple[Claim, ...]:
    """The values of a property that cannot all be true, each with who states it. A value
    that is only a less precise form of another (2006-03 beside 2006-03-15) agrees with it:
    it is no dispute, and its documents are counted with the more precise value's."""
    stated: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows(store.query(load_query("claims"), {"node": ox.NamedNode(iri)})):
        name = properties.get(str(r["property"]))
        if name:
            stated[name][str(r["value"])].add(str(r["document"] or "registry"))
    return tuple(
        claim for name, values in sorted(stated.items()) for claim in _disagreement(name, values)
    )


def _disagreement(name: str, values: dict[str, set[str]]) -> list[Claim]:
    """The most precise values, with the documents of the values that agree with each,
    when two or more of them remain; nothing when the documents agree."""
    precise = [
        v for v in values if not any(len(o) > len(v) and agree(v, o) for o in values)
    ]  # fmt: skip
    if len(precise) < 2:
        return []
    claims = []
    for top in sorted(precise):
        who = set().union(*(docs for value, docs in values.items() if agree(value, top)))
        claims.append(Claim(name, top, tuple(sorted(who))))
    return claims


@dataclass(frozen=True)
class OrganizationView:
    """An organization with its names, events, partners, mandates and sources."""

    org: Organization
    alt_labels: tuple[str, ...]
    parent: Organization | None
    needs_review: bool
    events: tuple[EventView, ...]
    partners: tuple[tuple[Organization, int], ...]
    mandates: tuple[dict[str, str], ...]
    sources: tuple[Source, ...]
    members: tuple[Involvement, ...] = ()
    member_of: tuple[Involvement, ...] = ()
    figures: tuple[Figure, ...] = ()
    projects: tuple[ProjectView, ...] = ()
    disputed: tuple[Claim, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A number a document reports about an organization, for a date."""

    variable: str
    value: int | float
    date: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ProjectView:
    """A programme, project or fund an organization takes part in, and its role there."""

    iri: str
    label: str
    kind: str | None
    role: str
    sources: tuple[Source, ...]

    @property
    def id(self) -> str:
        """The project's key."""
        return key_of(self.iri)


def organizations(
    store: GraphStore,
    minter: Minter,
    q: str | None = None,
    org_type: str | None = None,
    window: Filters | None = None,
) -> list[tuple[Organization, int]]:
    """Organizations whose name or acronym contains `q`, of a type if given, each with the
    events it organized; with a window (dates, document, theme) only those active in it."""
    proj = projection(store, minter, window or Filters())
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
    proj = projection(store, minter)
    iri = resolve_org(proj, org_id)
    detail = rows(store.query(load_query("organization_detail"), {"org": ox.NamedNode(iri)}))
    parents = sorted({str(r["parent"]) for r in detail if r["parent"]})
    parent = proj.organizations.get(parents[0]) if parents else None
    graph_ = proj.cosponsorship()
    partners = sorted(
        ((proj.organizations[n], int(graph_[iri][n]["weight"])) for n in graph_[iri]),
        key=lambda p: (-p[1], p[0].label),
    ) if iri in graph_ else []  # fmt: skip
    mandates = rows(store.query(load_query("organization_mandates"), {"org": ox.NamedNode(iri)}))
    members, member_of = memberships(store, proj, iri)
    found_figures = figures(store, iri)
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
        members=members,
        member_of=member_of,
        figures=found_figures,
        projects=projects(store, iri),
        disputed=_figure_disputes(found_figures),
    )


def memberships(
    store: GraphStore, proj: Projection, iri: str
) -> tuple[tuple[Involvement, ...], tuple[Involvement, ...]]:
    """Who belongs to the organization (as a body), and what it belongs to, with roles."""
    found = rows(store.query(load_query("organization_memberships"), {"org": ox.NamedNode(iri)}))
    sides: dict[str, list[Involvement]] = {"members": [], "member_of": []}
    for r in found:
        org = proj.organization(str(r["other"]))
        role = str(r["role"] or "member")
        sides[str(r["side"])].append(Involvement(org, role, sources(store, str(r["membership"]))))
    return tuple(sides["members"]), tuple(sides["member_of"])


def figures(store: GraphStore, iri: str) -> tuple[Figure, ...]:
    """The numbers documents report about the organization, each with its quote."""
    found = rows(store.query(load_query("organization_figures"), {"org": ox.NamedNode(iri)}))
    out = []
    for r in found:
        raw = r["value"]
        number = raw if isinstance(raw, int) else float(str(raw))
        date = str(r["date"])[:10] if r["date"] else None
        out.append(Figure(str(r["variable"]), number, date, sources(store, str(r["observation"]))))
    return tuple(out)


def _figure_disputes(found: tuple[Figure, ...]) -> tuple[Claim, ...]:
    """Figures of one variable for the same time (or a less precise form of it) that differ."""
    claims: list[Claim] = []
    for variable in sorted({f.variable for f in found}):
        dated = [f for f in found if f.variable == variable and f.date]
        clashing = {
            (a.value, a.date, tuple(s.document for s in a.sources))
            for a in dated
            for b in dated
            if a.value != b.value and agree(str(a.date), str(b.date))
        }
        claims += [
            Claim(variable, f"{value:g} ({date})", tuple(sorted(set(docs))))
            for value, date, docs in sorted(clashing)
        ]
    return tuple(claims)


def projects(store: GraphStore, iri: str) -> tuple[ProjectView, ...]:
    """The programmes, projects and funds the organization takes part in, with its role."""
    found = rows(store.query(load_query("organization_projects"), {"org": ox.NamedNode(iri)}))
    return tuple(
        ProjectView(
            iri=str(r["project"]),
            label=str(r["label"]),
            kind=str(r["kind"]) if r["kind"] else None,
            role=str(r["role"]),
            sources=sources(store, str(r["project"])),
        )
        for r in found
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
    disputed: tuple[Claim, ...] = ()

    @property
    def id(self) -> str:
        """The instrument's key."""
        return key_of(self.iri)


def instruments(
    store: GraphStore, minter: Minter, q: str | None = None, doc: str | None = None
) -> list[InstrumentView]:
    """Instruments (those a document cites, with `doc`) whose symbol, title or another
    spelling contains `q`, in symbol order."""
    scope = doc_scope(store, minter, doc)
    found = rows(store.query(load_query("instruments"), _search(q), graphs=scope))
    paragraphs: dict[str, list[ParagraphView]] = defaultdict(list)
    for r in rows(store.query(load_query("paragraphs"), graphs=scope)):
        paragraphs[str(r["instrument"])].append(_paragraph_view(r))
    return [_instrument_view(r, paragraphs.get(str(r["instrument"]), [])) for r in found]


PARAGRAPH_QUERIES = 20
"""Up to this many instruments on a page, each has its paragraphs read by its own query;
a longer page reads every paragraph at once."""


def instrument_page(
    store: GraphStore,
    minter: Minter,
    q: str | None = None,
    doc: str | None = None,
    *,
    limit: int,
    offset: int = 0,
) -> tuple[list[InstrumentView], int]:
    """One page of `instruments` and how many there are in all: the store pages and
    counts; a short page reads only its own instruments' paragraphs."""
    scope = doc_scope(store, minter, doc)
    bound = _search(q)
    counted = rows(store.query(load_query("instruments_count"), bound, graphs=scope))
    page = rows(store.query(paged("instruments", limit, offset), bound, graphs=scope))
    paragraphs: dict[str, list[ParagraphView]] = defaultdict(list)
    if len(page) > PARAGRAPH_QUERIES:  # one query for all beats a query per instrument
        for r in rows(store.query(load_query("paragraphs"), graphs=scope)):
            paragraphs[str(r["instrument"])].append(_paragraph_view(r))
    else:
        for r in page:
            own = {"instrument": ox.NamedNode(str(r["instrument"]))}
            found = rows(store.query(load_query("paragraphs"), own, graphs=scope))
            paragraphs[str(r["instrument"])] = [_paragraph_view(p) for p in found]
    views = [_instrument_view(r, paragraphs.get(str(r["instrument"]), [])) for r in page]
    return views, int(str(counted[0]["total"])) if counted else 0


def _search(q: str | None) -> dict[str, ox.Literal]:
    """The binding of ?q for a search by part of a name (none for no search)."""
    return {"q": ox.Literal(q.lower())} if q else {}


def _paragraph_view(r: dict[str, Any]) -> ParagraphView:
    return ParagraphView(
        iri=str(r["paragraph"]),
        number=str(r["number"]),
        kind=str(r["kind"]),
        verb=str(r["verb"]) if r["verb"] else None,
        label=str(r["label"]) if r["label"] else None,
    )


def _instrument_view(r: dict[str, Any], paragraphs: list[ParagraphView]) -> InstrumentView:
    aliases = tuple(sorted(a for a in str(r["aliases"] or "").split("|") if a))
    return InstrumentView(
        iri=str(r["instrument"]),
        symbol=str(r["symbol"]),
        label=str(r["label"] or r["symbol"]),
        kind=str(r["kind"]) if r["kind"] else None,
        aliases=aliases,
        paragraphs=tuple(sorted(paragraphs, key=_paragraph_order)),
    )


def instrument(store: GraphStore, minter: Minter, name: str) -> InstrumentView:
    """One instrument, by its key (A-RES-60-227), symbol or another spelling of it."""
    by_key = {i.id.casefold(): i for i in instruments(store, minter)}
    found = by_key.get(name.casefold())
    if found is None:
        iri = str(find_instrument(store, name)["instrument"])
        found = next(i for i in by_key.values() if i.iri == iri)
    return replace(
        found,
        sources=sources(store, found.iri),
        disputed=disputed(store, found.iri, INSTRUMENT_DISPUTABLE),
    )


def _paragraph_order(p: ParagraphView) -> tuple[str, int, str]:
    digits = "".join(c for c in p.number.split("(")[0] if c.isdigit())
    return (p.kind, int(digits) if digits else 0, p.number)
