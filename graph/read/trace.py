"""Tracing mandates: from an instrument's paragraphs to what implements them, and back."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.errors import NotFound, ParseError
from graph.extract.instruments import ParagraphReference, parse_paragraph, parse_reference
from graph.read.terms import rows
from graph.sources.curation import normalize_symbol
from graph.store.backend import GraphStore
from graph.store.queries import load_query

MKG = "https://w3id.org/migration-kg/ontology#"


@dataclass(frozen=True)
class Source:
    """A document, the quote that supports a fact, and where the quote stands."""

    document: str
    evidence: str
    char_start: int
    char_end: int
    graph: str
    method: str | None = None


@dataclass(frozen=True)
class Link:
    """An implementation link with its basis and evidence."""

    implementer: str
    label: str
    kind: str
    start: str | None
    target: str
    target_label: str | None
    basis: str
    score: float | None
    rationale: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Part:
    """An addressee or a mandated activity of a paragraph."""

    iri: str
    label: str
    assigned_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParagraphTrace:
    """A paragraph, who it addresses, what it mandates and what implements it."""

    iri: str
    number: str
    kind: str
    label: str
    verb: str | None
    addressees: tuple[Part, ...]
    activities: tuple[Part, ...]
    implementations: tuple[Link, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class InstrumentTrace:
    """An instrument with its paragraphs (all, or the one asked for)."""

    iri: str
    symbol: str
    label: str
    paragraphs: tuple[ParagraphTrace, ...]
    implementations: tuple[Link, ...] = field(default=())
    sources: tuple[Source, ...] = field(default=())


def sources(store: GraphStore, node: str, query: str = "sources") -> tuple[Source, ...]:
    """Every document that states something about a node, with its quote and offsets
    (with query="mention_sources": every quoted statement that points at the node)."""
    found = rows(store.query(load_query(query), {"node": ox.NamedNode(node)}))
    return tuple(
        Source(
            document=str(r["document"]),
            evidence=str(r["evidence"]),
            char_start=int(r["start"]),  # type: ignore[call-overload]
            char_end=int(r["end"]),  # type: ignore[call-overload]
            graph=str(r["graph"]),
            method=str(r["method"]) if r["method"] else None,
        )
        for r in found
    )


def find_instrument(store: GraphStore, symbol: str) -> dict[str, object]:
    """The instrument whose symbol or spelling is `symbol` (case and spaces ignored)."""
    wanted = normalize_symbol(symbol)
    for row in rows(store.query(load_query("instruments"))):
        names = {str(row["symbol"]), *str(row["aliases"] or "").split("|")}
        if wanted in {normalize_symbol(n) for n in names if n}:
            return row
    raise NotFound(f"no instrument {symbol!r} in the graph")


def links(
    store: GraphStore, *, target: str | None = None, implementer: str | None = None
) -> tuple[Link, ...]:
    """Implementation links into a paragraph/instrument, or out of an event/activity."""
    bindings = {"target": ox.NamedNode(target)} if target else {}
    if implementer:
        bindings["implementer"] = ox.NamedNode(implementer)
    merged: dict[tuple[str, str, str], Link] = {}
    for r in rows(store.query(load_query("implementations"), bindings)):
        key = (str(r["implementer"]), str(r["target"]), str(r["basis"]))
        if key in merged:
            continue
        merged[key] = Link(
            implementer=key[0],
            label=str(r["label"] or key[0]),
            kind="event" if str(r["type"]).endswith("#Event") else "activity",
            start=str(r["start"]) if r["start"] else None,
            target=key[1],
            target_label=str(r["targetLabel"]) if r["targetLabel"] else None,
            basis=key[2],
            score=float(r["score"]) if r["score"] is not None else None,  # type: ignore[arg-type]
            rationale=str(r["rationale"]) if r["rationale"] else None,
            sources=sources(store, str(r["link"])),
        )
    order = {"stated": 0, "curated": 1, "inferred": 2}
    return tuple(
        sorted(merged.values(), key=lambda link: (order[link.basis], link.start or "", link.label))
    )


def trace(store: GraphStore, symbol: str, paragraph: str | None = None) -> InstrumentTrace:
    """An instrument's paragraphs (or one of them) traced to what implements them.

    The paragraph comes on its own ("17", "OP17", "Art. 1(1)(e)") or after the symbol
    ("A/RES/60/227 OP17"); one that names no paragraph is one the graph does not have.
    """
    try:
        reference = parse_reference(symbol)
    except ParseError as exc:
        raise NotFound(f"no instrument {symbol!r} in the graph") from exc
    instrument = find_instrument(store, reference.symbol)
    iri = str(instrument["instrument"])
    found = rows(store.query(load_query("paragraphs"), {"instrument": ox.NamedNode(iri)}))
    wanted = _paragraph_asked(str(instrument["symbol"]), reference.paragraph, paragraph)
    if wanted is not None:
        found = [r for r in found if wanted.names(str(r["number"]), str(r["kind"]))]
        if not found:
            asked = wanted.render() if paragraph is None else paragraph
            raise NotFound(f"{instrument['symbol']} has no paragraph {asked!r} in the graph")
    traced = []
    for r in found:
        node = str(r["paragraph"])
        parts = rows(store.query(load_query("paragraph_parts"), {"paragraph": ox.NamedNode(node)}))
        activities: dict[str, Part] = {}
        for p in parts:
            if p["role"] == "activity":
                prior = activities.get(str(p["part"]))
                assigned = (
                    *(prior.assigned_to if prior else ()),
                    *([str(p["assigneeLabel"])] if p["assigneeLabel"] else []),
                )
                activities[str(p["part"])] = Part(str(p["part"]), str(p["label"]), assigned)
        traced.append(
            ParagraphTrace(
                iri=node,
                number=str(r["number"]),
                kind=str(r["kind"]),
                label=str(r["label"] or r["number"]),
                verb=str(r["verb"]) if r["verb"] else None,
                addressees=tuple(
                    Part(str(p["part"]), str(p["label"])) for p in parts if p["role"] == "addressee"
                ),
                activities=tuple(activities.values()),
                implementations=links(store, target=node),
                sources=sources(store, node),
            )
        )
    traced.sort(key=lambda t: (t.kind, _number_key(t.number)))
    return InstrumentTrace(
        iri=iri,
        symbol=str(instrument["symbol"]),
        label=str(instrument["label"] or instrument["symbol"]),
        paragraphs=tuple(traced),
        implementations=links(store, target=iri) if wanted is None else (),
        sources=sources(store, iri),
    )


def _paragraph_asked(
    symbol: str, with_symbol: ParagraphReference | None, paragraph: str | None
) -> ParagraphReference | None:
    """The paragraph asked for: after the symbol, or as its own argument (not both)."""
    if paragraph is None:
        return with_symbol
    try:
        asked = parse_paragraph(paragraph)
    except ParseError as exc:
        raise NotFound(f"{symbol} has no paragraph {paragraph!r} in the graph") from exc
    if with_symbol is not None and with_symbol != asked:
        raise ParseError(
            f"two paragraphs asked for: {with_symbol.render()!r} with the symbol and "
            f"{paragraph!r} on its own; name one"
        )
    return asked


def _number_key(number: str) -> tuple[int, str]:
    digits = "".join(c for c in number if c.isdigit())
    return (int(digits) if digits else 0, number)


BASIS_OF_METHOD = {"extracted": "stated", "curated": "curated", "inferred": "inferred"}
"""The basis of a link whose evidence was found by a method: what the automatic extractor
read in a document is stated there; the rest says who vouches for it."""


def basis_of(found: tuple[Source, ...]) -> str:
    """The strongest basis the sources give a statement: stated, curated or inferred
    (curated when nothing records a method: someone put the statement in the graph)."""
    bases = {BASIS_OF_METHOD.get(s.method or "", "curated") for s in found}
    return next((b for b in ("stated", "curated", "inferred") if b in bases), "curated")


def part_sources(store: GraphStore, paragraph: ParagraphTrace) -> dict[str, tuple[Source, ...]]:
    """The evidence for each addressee and mandated activity of a paragraph: the sentence
    that states the paragraph for an addressee, the activity's own quotes for an activity
    (the paragraph's when the activity has none)."""
    found = {part.iri: paragraph.sources for part in paragraph.addressees}
    for activity in paragraph.activities:
        found[activity.iri] = sources(store, activity.iri) or paragraph.sources
    return found
