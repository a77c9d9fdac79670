"""The mandate register: every paragraph that can mandate something, who it addresses,
what it asks for, and whether anything carries it out; coverage and shared mandates per
instrument; the lineage of instruments; a review sheet for people who review mandates.

A paragraph's status comes from the same implementation links the trace shows
(graph.read.trace.links): `implemented` when a document states a link or a curator made one,
`inferred` when only the automatic linker proposes one, `untraced` when nothing does.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.errors import NotFound, ParseError
from graph.extract.resolution import paragraph_id
from graph.read import derived
from graph.read.terms import rows
from graph.read.trace import Link, Source, find_instrument, links, sources
from graph.sources.curation import normalize_symbol
from graph.store.backend import GraphStore
from graph.store.queries import load_query

STATUSES = ("implemented", "inferred", "untraced")
IMPLEMENTED_BASES = frozenset({"stated", "curated"})
REVIEW_DECISIONS = ("retain", "update", "remove")
"""What a reviewer decides for each mandate, as the UN's mandate review sheets ask."""
MKG = "https://w3id.org/migration-kg/ontology#"


@dataclass(frozen=True)
class Party:
    """An organization or named group a paragraph addresses, or that implements it."""

    id: str
    label: str
    iri: str = ""
    acronym: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class Ask:
    """A deliverable a paragraph asks for."""

    kind: str
    label: str
    due: str | None
    periodicity: str | None = None


@dataclass(frozen=True)
class Mandate:
    """One paragraph of the register."""

    instrument_iri: str
    symbol: str
    paragraph_iri: str
    number: str
    kind: str
    id: str
    verb: str | None
    addressees: tuple[Party, ...]
    deliverables: tuple[Ask, ...]
    status: str
    implementers: tuple[Party, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Register:
    """A selection of the register and how many of it are in each status."""

    items: list[Mandate]
    summary: dict[str, int]


@dataclass(frozen=True)
class Shared:
    """One kind of deliverable asked by several paragraphs (candidates for duplication)."""

    kind: str
    paragraphs: tuple[Mandate, ...]

    @property
    def instruments(self) -> tuple[str, ...]:
        """The symbols of the instruments that ask for it."""
        return tuple(dict.fromkeys(m.symbol for m in self.paragraphs))


@dataclass(frozen=True)
class Coverage:
    """One instrument's register at a glance."""

    symbol: str
    iri: str
    paragraphs: int
    summary: dict[str, int]
    untraced: tuple[Mandate, ...]
    unlinked: tuple[Link, ...]
    """Events and activities linked to the instrument as a whole but to none of its paragraphs."""
    shared: tuple[Mandate, ...]
    """Paragraphs addressed to several entities."""
    duplicates: tuple[Shared, ...]


@dataclass(frozen=True)
class Citation:
    """One instrument citing another, with how and the evidence."""

    citing: str
    citing_symbol: str
    cited: str
    cited_symbol: str
    property: str
    citing_year: int | None
    cited_year: int | None
    sources: tuple[Source, ...] = field(default=())


def status_of(found: Iterable[Link]) -> str:
    """implemented (a stated or curated link), inferred (linker guesses only) or untraced."""
    bases = {link.basis for link in found}
    if bases & IMPLEMENTED_BASES:
        return "implemented"
    return "inferred" if bases else "untraced"


def _all(store: GraphStore) -> list[Mandate]:
    """Every paragraph of the register, computed once per graph version."""

    def build() -> list[Mandate]:
        addressees: dict[str, list[Party]] = defaultdict(list)
        for r in rows(store.query(load_query("mandate_addressees"))):
            org = str(r["org"])
            addressees[str(r["paragraph"])].append(
                Party(
                    id=org.rsplit("/", 1)[-1],
                    label=str(r["label"] or org.rsplit("/", 1)[-1]),
                    iri=org,
                    acronym=str(r["acronym"]) if r["acronym"] else None,
                )
            )
        asks: dict[str, list[Ask]] = defaultdict(list)
        for r in rows(store.query(load_query("mandate_deliverables"))):
            asks[str(r["paragraph"])].append(
                Ask(
                    kind=str(r["kind"]),
                    label=str(r["label"] or r["kind"]),
                    due=str(r["due"]) if r["due"] is not None else None,
                    periodicity=str(r["periodicity"]) if r["periodicity"] else None,
                )
            )
        linked: dict[str, list[Link]] = defaultdict(list)
        for link in links(store):
            linked[link.target].append(link)
        found = []
        for r in rows(store.query(load_query("mandates"))):
            iri = str(r["paragraph"])
            number, kind = str(r["number"]), str(r["kind"])
            implementations = linked.get(iri, [])
            found.append(
                Mandate(
                    instrument_iri=str(r["instrument"]),
                    symbol=str(r["symbol"]),
                    paragraph_iri=iri,
                    number=number,
                    kind=kind,
                    id=str(r["id"]) if r["id"] else paragraph_id(number, kind),
                    verb=str(r["verb"]) if r["verb"] else None,
                    addressees=tuple(addressees.get(iri, ())),
                    deliverables=tuple(asks.get(iri, ())),
                    status=status_of(implementations),
                    implementers=_implementers(implementations),
                    sources=sources(store, iri),
                )
            )
        found.sort(key=lambda m: (m.symbol, _order(m.number), m.number))
        return found

    register: list[Mandate] = derived.cached(store, ("mandates",), build)
    return register


def _implementers(found: list[Link]) -> tuple[Party, ...]:
    """Each implementer once, with the strongest basis of its links."""
    order = {"stated": 0, "curated": 1, "inferred": 2}
    best: dict[str, Link] = {}
    for link in found:
        prior = best.get(link.implementer)
        if prior is None or order[link.basis] < order[prior.basis]:
            best[link.implementer] = link
    return tuple(
        Party(id=k.rsplit("/", 1)[-1], label=v.label, iri=k, basis=v.basis)
        for k, v in sorted(best.items(), key=lambda kv: (order[kv[1].basis], kv[1].label))
    )


def _order(number: str) -> tuple[int, ...]:
    return tuple(int(d) for d in re.findall(r"\d+", number)) or (10**6,)


def _addressed_to(mandate: Mandate, wanted: str) -> bool:
    for party in mandate.addressees:
        names = {party.id, party.label, party.iri, *([party.acronym] if party.acronym else [])}
        if wanted in {n.casefold() for n in names}:
            return True
    return False


def register(
    store: GraphStore,
    instrument: str | None = None,
    addressee: str | None = None,
    status: str | None = None,
) -> Register:
    """The register, narrowed to one instrument (symbol or spelling), one addressee (id,
    acronym or label) and one status; the summary counts the selection by status."""
    if status is not None and status not in STATUSES:
        raise ParseError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
    found = _all(store)
    if instrument is not None and instrument.strip():
        iri = str(find_instrument(store, instrument)["instrument"])
        found = [m for m in found if m.instrument_iri == iri]
    if addressee is not None and addressee.strip():
        wanted = addressee.strip().casefold()
        found = [m for m in found if _addressed_to(m, wanted)]
        if not found and not _known_party(store, wanted):
            raise NotFound(f"no organization {addressee!r} is addressed in the graph")
    summary = {s: sum(1 for m in found if m.status == s) for s in STATUSES}
    if status is not None:
        found = [m for m in found if m.status == status]
    return Register(found, summary)


def _known_party(store: GraphStore, wanted: str) -> bool:
    return any(_addressed_to(m, wanted) for m in _all(store))


def addressees(store: GraphStore) -> list[Party]:
    """Every organization or group some paragraph addresses, by label."""
    seen: dict[str, Party] = {}
    for mandate in _all(store):
        for party in mandate.addressees:
            seen.setdefault(party.iri, party)
    return sorted(seen.values(), key=lambda p: p.label.casefold())


# ---------------------------------------------------------------------- coverage


def coverage(store: GraphStore, instrument: str | None = None) -> list[Coverage]:
    """For each instrument (or the one named): untraced paragraphs, what implements the
    instrument but none of its paragraphs, paragraphs addressed to several entities, and
    kinds of deliverable it asks for more than once."""
    everything = _all(store)
    by_instrument: dict[str, list[Mandate]] = defaultdict(list)
    for mandate in everything:
        by_instrument[mandate.instrument_iri].append(mandate)
    if instrument is not None and instrument.strip():
        iri = str(find_instrument(store, instrument)["instrument"])
        by_instrument = {iri: by_instrument.get(iri, [])}
    whole: dict[str, list[Link]] = defaultdict(list)
    for link in links(store):
        whole[link.target].append(link)
    found = []
    for iri, mandates in by_instrument.items():
        implementing_paragraphs = {
            link.implementer for m in mandates for link in whole.get(m.paragraph_iri, ())
        }
        unlinked = tuple(
            {
                link.implementer: link
                for link in whole.get(iri, ())
                if link.implementer not in implementing_paragraphs
            }.values()
        )
        symbol = mandates[0].symbol if mandates else _symbol(store, iri)
        found.append(
            Coverage(
                symbol=symbol,
                iri=iri,
                paragraphs=len(mandates),
                summary={s: sum(1 for m in mandates if m.status == s) for s in STATUSES},
                untraced=tuple(m for m in mandates if m.status == "untraced"),
                unlinked=unlinked,
                shared=tuple(m for m in mandates if len(m.addressees) > 1),
                duplicates=duplicates(mandates),
            )
        )
    found.sort(key=lambda c: c.symbol)
    return found


def _symbol(store: GraphStore, iri: str) -> str:
    for r in rows(store.query(load_query("instruments"))):
        if str(r["instrument"]) == iri:
            return str(r["symbol"])
    return iri.rsplit("/", 1)[-1]


def duplicates(mandates: Iterable[Mandate]) -> tuple[Shared, ...]:
    """Kinds of deliverable asked by more than one paragraph: candidates for duplication."""
    by_kind: dict[str, list[Mandate]] = defaultdict(list)
    for mandate in mandates:
        for kind in dict.fromkeys(d.kind for d in mandate.deliverables):
            by_kind[kind].append(mandate)
    return tuple(
        Shared(kind, tuple(found))
        for kind, found in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        if len(found) > 1
    )


def shared_across(store: GraphStore) -> tuple[Shared, ...]:
    """Kinds of deliverable asked by paragraphs of more than one instrument."""
    return tuple(s for s in duplicates(_all(store)) if len(s.instruments) > 1)


# ---------------------------------------------------------------------- lineage


def _year(issued: object, symbol: str) -> int | None:
    """The year of an instrument: the date its citations give, else its symbol's (a General
    Assembly session N ran from 1945 + N; a year-numbered symbol carries its year)."""
    if issued is not None:
        match = re.match(r"\d{4}", str(issued))
        if match:
            return int(match.group(0))
    year = re.search(r"(?<!\d)((?:19|20)\d\d)/\d", symbol)
    if year:
        return int(year.group(1))
    session = re.match(r"A/(?:RES|DEC|C\.\d)/(\d{1,2})/", symbol)
    return 1945 + int(session.group(1)) if session else None


def citations(store: GraphStore) -> list[Citation]:
    """Every citation between instruments, with the evidence for it."""

    def build() -> list[Citation]:
        found = []
        for r in rows(store.query(load_query("lineage"))):
            citing_symbol, cited_symbol = str(r["citingSymbol"]), str(r["citedSymbol"])
            found.append(
                Citation(
                    citing=str(r["citing"]),
                    citing_symbol=citing_symbol,
                    cited=str(r["cited"]),
                    cited_symbol=cited_symbol,
                    property=str(r["property"]).removeprefix(MKG),
                    citing_year=_year(r["citingIssued"], citing_symbol),
                    cited_year=_year(r["citedIssued"], cited_symbol),
                    sources=sources(store, str(r["citation"])),
                )
            )
        return found

    result: list[Citation] = derived.cached(store, ("citations",), build)
    return result


def lineage(store: GraphStore, instrument: str) -> tuple[str, list[Citation]]:
    """An instrument's lineage: every citation reachable from it, citing or cited, in
    either direction (its symbol, and the citations)."""
    everything = citations(store)
    try:
        start = str(find_instrument(store, instrument)["instrument"])
    except NotFound:
        wanted = normalize_symbol(instrument)
        start = next(
            (c.cited for c in everything if normalize_symbol(c.cited_symbol) == wanted), ""
        )
        if not start:
            raise
    seen, queue = {start}, [start]
    while queue:
        node = queue.pop()
        for c in everything:
            for a, b in ((c.citing, c.cited), (c.cited, c.citing)):
                if a == node and b not in seen:
                    seen.add(b)
                    queue.append(b)
    chosen = [c for c in everything if c.citing in seen]
    symbol = next(
        (c.citing_symbol if c.citing == start else c.cited_symbol)
        for c in [*chosen, *everything]
        if start in (c.citing, c.cited)
    ) if chosen else _symbol(store, start)  # fmt: skip
    return symbol, chosen


# ---------------------------------------------------------------------- review sheet

REVIEW_COLUMNS = (
    "instrument", "paragraph_id", "paragraph", "verb", "addressees", "deliverables", "status",
    "implementers", "document", "evidence", "decision", "comment",
)  # fmt: skip


DECISION_HEADER = f"decision ({'/'.join(REVIEW_DECISIONS)})"
"""The CSV header of the decision column says what a reviewer may write in it."""


def review_rows(found: Iterable[Mandate]) -> list[dict[str, str]]:
    """One row per paragraph, for a reviewer to mark retain, update or remove and comment."""
    return [
        {
            "instrument": m.symbol,
            "paragraph_id": m.id,
            "paragraph": m.number,
            "verb": m.verb or "",
            "addressees": "; ".join(p.label for p in m.addressees),
            "deliverables": "; ".join(
                f"{d.kind}: {d.label}" + (f" (due {d.due})" if d.due else "")
                for d in m.deliverables
            ),
            "status": m.status,
            "implementers": "; ".join(f"{p.label} ({p.basis})" for p in m.implementers),
            "document": m.sources[0].document if m.sources else "",
            "evidence": m.sources[0].evidence if m.sources else "",
            "decision": "",
            "comment": "",
        }
        for m in found
    ]


def review_csv(found: Iterable[Mandate]) -> str:
    """The review sheet as CSV; the decision column (headed "decision (retain/update/remove)")
    and the comment are left for the reviewer."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REVIEW_COLUMNS, lineterminator="\n")
    writer.writerow({**{c: c for c in REVIEW_COLUMNS}, "decision": DECISION_HEADER})
    writer.writerows(review_rows(found))
    return out.getvalue()


def review_json(found: Iterable[Mandate]) -> dict[str, object]:
    """The review sheet as JSON: the decisions a reviewer may take, and the rows."""
    return {"decisions": list(REVIEW_DECISIONS), "rows": review_rows(found)}


# ---------------------------------------------------------------------- plain answers


def _source(s: Source) -> dict[str, object]:
    return {
        "document": s.document,
        "evidence": s.evidence,
        "char_start": s.char_start,
        "char_end": s.char_end,
        "method": s.method,
    }


def item(m: Mandate) -> dict[str, object]:
    """One register row as the API and `mkg mandates --format json` give it."""
    return {
        "instrument": {"symbol": m.symbol, "iri": m.instrument_iri},
        "paragraph": {"number": m.number, "id": m.id, "iri": m.paragraph_iri},
        "verb": m.verb,
        "addressees": [{"id": a.id, "label": a.label} for a in m.addressees],
        "deliverables": [{"kind": d.kind, "label": d.label, "due": d.due} for d in m.deliverables],
        "status": m.status,
        "implementers": [
            {"id": p.id, "label": p.label, "basis": p.basis or "curated"} for p in m.implementers
        ],
        "sources": [_source(s) for s in m.sources],
    }


def page(found: Register, limit: int, offset: int) -> dict[str, object]:
    """A page of the register: items, total, limit, offset and the selection's summary."""
    return {
        "items": [item(m) for m in found.items[offset : offset + limit]],
        "total": len(found.items),
        "limit": limit,
        "offset": offset,
        "summary": dict(found.summary),
    }


def ref(m: Mandate) -> dict[str, object]:
    """A paragraph named in a coverage answer."""
    return {
        "instrument": m.symbol,
        "number": m.number,
        "id": m.id,
        "iri": m.paragraph_iri,
        "addressees": [{"id": a.id, "label": a.label} for a in m.addressees],
    }


def shared_dict(shared: Shared) -> dict[str, object]:
    """A kind of deliverable asked more than once, as plain data."""
    return {
        "kind": shared.kind,
        "instruments": list(shared.instruments),
        "paragraphs": [ref(m) for m in shared.paragraphs],
    }


def coverage_dict(c: Coverage) -> dict[str, object]:
    """One instrument's coverage as the API and `mkg mandates --coverage` give it."""
    return {
        "instrument": {"symbol": c.symbol, "iri": c.iri},
        "paragraphs": c.paragraphs,
        "summary": dict(c.summary),
        "untraced": [ref(m) for m in c.untraced],
        "unlinked": [
            {"id": link.implementer.rsplit("/", 1)[-1], "label": link.label, "basis": link.basis}
            for link in c.unlinked
        ],
        "shared": [ref(m) for m in c.shared],
        "duplicates": [shared_dict(s) for s in c.duplicates],
    }


def citation_dict(c: Citation) -> dict[str, object]:
    """One citation as plain data."""
    return {
        "citing": {"symbol": c.citing_symbol, "iri": c.citing},
        "cited": {"symbol": c.cited_symbol, "iri": c.cited},
        "property": c.property,
        "citing_year": c.citing_year,
        "cited_year": c.cited_year,
        "sources": [_source(s) for s in c.sources],
    }
