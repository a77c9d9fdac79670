"""The trace page's drawing ("What did this paragraph set in motion?"): a paragraph of an
instrument (or the whole instrument), its addressees and mandated activities, and what
implements it, as the nodes and links the browser draws left to right, each with what its
panel shows (basis, quotes, where they stand), beside the network (graph.views.network) and the
timeline (graph.views.timeline) builders. The router only calls it."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from graph.errors import NotFound
from graph.model.iris import Minter
from graph.read import catalog, trace
from graph.store.backend import GraphStore

KINDS = (
    ("instrument", "Instrument"),
    ("paragraph", "Paragraph"),
    ("addressee", "Addressee"),
    ("activity", "Mandated activity"),
    ("event", "Implementing event"),
    ("implementing-activity", "Implementing activity"),
)
"""The kinds of node the page draws, in the legend's order."""
LABEL_SHOWN = 90
"""Characters of a label drawn in a node; the panel and the tooltip show all of it."""


def symbol_of(store: GraphStore, wanted: str) -> str:
    """The symbol of the instrument `wanted` names, "" when none."""
    try:
        return str(trace.find_instrument(store, wanted)["symbol"])
    except NotFound:
        return ""


def heading(found: trace.InstrumentTrace, one: bool) -> str:
    """The page's heading: the instrument and its paragraph, or every paragraph."""
    if one:
        return f"{found.symbol} {short_paragraph(found.paragraphs[0].label, found.symbol)}"
    return f"{found.symbol}: every paragraph"


def choices(found: list[catalog.InstrumentView]) -> list[dict[str, Any]]:
    """Every instrument with its paragraphs, as the selects offer them."""
    return [
        {
            "symbol": view.symbol,
            "label": view.label,
            "paragraphs": [
                {"number": p.number, "label": short_paragraph(p.label or p.number, view.symbol)}
                for p in view.paragraphs
            ],
        }
        for view in found
    ]


def paragraphs_of(choices: list[dict[str, Any]], symbol: str) -> list[dict[str, str]]:
    """The paragraphs the select offers for an instrument of `choices`."""
    return next((c["paragraphs"] for c in choices if c["symbol"] == symbol), [])


def short_paragraph(label: str, symbol: str) -> str:
    """ "A/RES/60/227 OP17" -> "OP17": the paragraph's label without the instrument's symbol."""
    return label.removeprefix(symbol).strip() or label


def _shown(label: str) -> str:
    return label if len(label) <= LABEL_SHOWN else label[: LABEL_SHOWN - 1].rstrip() + "…"


def _page_path(iri: str, base: str) -> str | None:
    """The Linked Data page of an IRI of the graph."""
    return (
        quote(f"/id/{iri[len(base) :]}", safe="/:@!$&'()*+,;=-._~")
        if iri.startswith(base)
        else None
    )


def _sources(found: tuple[trace.Source, ...], minter: Minter) -> list[dict[str, Any]]:
    base = minter.base
    return [
        {
            "document": s.document,
            "document_page": _page_path(str(minter.doc(s.document)), base),
            "evidence": s.evidence,
            "char_start": s.char_start,
            "char_end": s.char_end,
            "method": s.method,
        }
        for s in found
    ]


def layout(
    store: GraphStore, minter: Minter, found: trace.InstrumentTrace, whole: bool
) -> dict[str, Any]:
    """The nodes and links the page draws, each with what its panel shows.

    Columns run left to right: (the instrument,) the paragraph, its addressees and
    activities, what implements it; `band` is the paragraph a node is drawn under. A node
    that several paragraphs share (an organization addressed twice, an event implementing
    two paragraphs) is drawn under each of them, so that no link crosses the drawing: its
    first drawing has the IRI as id, the others the IRI and the band (`iri` is the IRI)."""
    base = minter.base
    events = {view.iri: view for view in catalog.events(store, minter)}
    nodes: dict[str, dict[str, Any]] = {}
    keys: dict[tuple[str, int], str] = {}
    edges: list[dict[str, Any]] = []
    first = 1 if whole else 0

    def node(iri: str, kind: str, column: int, band: int, label: str, **detail: Any) -> str:
        key = keys.get((iri, band))
        if key is None:  # first drawn here: the IRI itself, or the IRI and the band if repeated
            key = keys[(iri, band)] = iri if iri not in nodes else f"{iri} @{band}"
            nodes[key] = {
                "id": key,
                "iri": iri,
                "kind": kind,
                "column": column,
                "band": band,
                "label": _shown(label),
                "full_label": label,
                "page": _page_path(iri, base),
                **detail,
            }
        return key

    def edge(source: str, target: str, relation: str, basis: str | None, **detail: Any) -> None:
        edges.append(
            {
                "id": f"e{len(edges)}",
                "from": source,
                "to": target,
                "relation": relation,
                "basis": basis,
                **detail,
            }
        )

    @cache
    def stated(iri: str) -> list[dict[str, Any]]:
        return _sources(trace.sources(store, iri), minter)

    def implementer(link: trace.Link, band: int) -> str:
        if link.kind == "event":
            view = events.get(link.implementer)
            event_id = catalog.key_of(link.implementer)
            return node(
                link.implementer,
                "event",
                first + 2,
                band,
                view.label if view else link.label,
                start=view.start if view else link.start,
                end=view.end if view else None,
                venue=view.venue if view else None,
                organizers=[
                    {"label": o.label, "acronym": o.acronym, "page": _page_path(o.iri, base)}
                    for o in (view.organizers if view else ())
                ],
                api=f"/api/events/{quote(event_id, safe='')}",
                sources=stated(link.implementer),
            )
        return node(
            link.implementer,
            "implementing-activity",
            first + 2,
            band,
            link.label,
            start=link.start,
            sources=stated(link.implementer),
        )

    def implementation(source: str, link: trace.Link, band: int) -> None:
        edge(
            source,
            implementer(link, band),
            "implements",
            link.basis,
            score=link.score,
            rationale=link.rationale,
            sources=_sources(link.sources, minter),
        )

    if whole:
        node(
            found.iri,
            "instrument",
            0,
            0,
            found.symbol,
            title=found.label,
            sources=_sources(found.sources, minter),
        )
        for link in found.implementations:
            implementation(found.iri, link, 0)
    for band, paragraph in enumerate(found.paragraphs, start=1):
        trace_path = (
            f"/viz/trace?instrument={quote(found.symbol, safe='')}"
            f"&paragraph={quote(paragraph.number, safe='')}"
        )
        node(
            paragraph.iri,
            "paragraph",
            first,
            band,
            short_paragraph(paragraph.label, found.symbol),
            title=paragraph.label,
            number=paragraph.number,
            paragraph_kind=paragraph.kind,
            verb=paragraph.verb,
            trace=trace_path,
            sources=_sources(paragraph.sources, minter),
        )
        if whole:
            edge(found.iri, paragraph.iri, "paragraph", None)
        evidence = trace.part_sources(store, paragraph)
        for part in paragraph.addressees:
            key = node(part.iri, "addressee", first + 1, band, part.label)
            quoted = evidence[part.iri]
            edge(
                paragraph.iri,
                key,
                "addresses",
                trace.basis_of(quoted),
                sources=_sources(quoted, minter),
            )
        for part in paragraph.activities:
            key = node(
                part.iri,
                "activity",
                first + 1,
                band,
                part.label,
                assigned_to=list(part.assigned_to),
            )
            quoted = evidence[part.iri]
            edge(
                paragraph.iri,
                key,
                "mandates",
                trace.basis_of(quoted),
                sources=_sources(quoted, minter),
            )
        for link in paragraph.implementations:
            implementation(paragraph.iri, link, band)
    return {
        "instrument": {"symbol": found.symbol, "label": found.label},
        "whole": whole,
        "nodes": list(nodes.values()),
        "edges": edges,
    }


def summary(data: dict[str, Any]) -> dict[str, int]:
    """How many of each kind of node (a node drawn twice counts once), and of each basis of
    implementation link."""
    counts: dict[str, int] = {}
    for kind, _ in {(n["kind"], n["iri"]) for n in data["nodes"]}:
        counts[kind] = counts.get(kind, 0) + 1
    for e in data["edges"]:
        if e["relation"] == "implements":
            counts[e["basis"]] = counts.get(e["basis"], 0) + 1
    return counts
