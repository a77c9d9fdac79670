"""The page "What did this paragraph set in motion?": a paragraph of an instrument (or the
whole instrument), its addressees and mandated activities, and what implements it, drawn
left to right with vis-network, each link with its basis and the evidence behind it.

The page gets its data as JSON in a `<script type="application/json">` element (Jinja's
`tojson` escapes <, > and &) and draws it with /static/trace.js, which writes every text
with textContent: labels and quotes come from documents and stay text. Errors are pages
too: an unknown instrument or paragraph answers 404, a malformed parameter 422, each with
the message and the form to choose again."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import MinterDep, StoreDep, prefers_json
from api.errors import error_response
from api.pages import render
from api.schemas import PAGE_ERROR_CONTENT, REFUSED_TARGET
from graph import catalog, trace
from graph.backend import GraphStore
from graph.errors import NotFound, ParseError
from graph.extract.instruments import parse_reference
from graph.iris import Minter

router = APIRouter(tags=["pages"], responses=REFUSED_TARGET)
MAX_INSTRUMENT = 300
MAX_PARAGRAPH = 40
"""The same limits as /api/trace."""
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
HTML_PAGE: dict[str, Any] = {"content": {"text/html": {"schema": {"type": "string"}}}}


class Malformed(ValueError):
    """A query parameter that cannot name anything (too long, control characters)."""


@router.get(
    "/viz/trace",
    summary="Trace a paragraph to what it set in motion (HTML page)",
    response_class=HTMLResponse,
    responses={
        200: {"description": "The page with the drawing.", **HTML_PAGE},
        404: {
            "description": "No such instrument or paragraph (an HTML page; JSON when Accept "
            "prefers it).",
            "content": PAGE_ERROR_CONTENT,
        },
        422: {
            "description": "A malformed parameter (an HTML page; JSON when Accept prefers it).",
            "content": PAGE_ERROR_CONTENT,
        },
    },
)
def trace_page(
    request: Request,
    store: StoreDep,
    minter: MinterDep,
    instrument: Annotated[str | None, Query(
        description="Symbol, spelling or id of the instrument; the page offers every "
        "instrument in the graph when left out.", examples=["A/RES/60/227"])] = None,
    paragraph: Annotated[str | None, Query(
        description="Paragraph number (`17`, `OP17`, `unnumbered-1`); the whole instrument "
        "when left out.", examples=["17"])] = None,
) -> Response:  # fmt: skip
    """A paragraph of an instrument, its addressees, the activities it mandates and the
    events that implement it, drawn left to right; each link says whether a document states
    it, a curator made it or the linker inferred it, and a click on a node or a link shows
    the document, the quote and where it stands. Without `paragraph`, every paragraph of
    the instrument."""
    choices = catalog.instruments(store, minter)
    context: dict[str, Any] = {
        "instruments": _choices(choices),
        "selected": {"instrument": "", "paragraph": ""},
        "paragraphs": [],
        "kinds": KINDS,
    }
    try:
        wanted = _parameter("instrument", instrument, MAX_INSTRUMENT)
        number = _parameter("paragraph", paragraph, MAX_PARAGRAPH)
    except Malformed as exc:
        if prefers_json(request):
            return error_response(422, "InvalidRequest", str(exc))
        return render(request, "trace.html", {**context, "error": str(exc)}, status_code=422)
    if wanted is None:
        return render(request, "trace.html", context)
    try:
        found = trace.trace(store, wanted, number)
        one = number is not None or parse_reference(wanted).paragraph is not None
    except ParseError as exc:  # e.g. "A/RES/60/227 OP17" with another paragraph
        if prefers_json(request):
            return error_response(422, "ParseError", str(exc))
        return render(request, "trace.html", {**context, "error": str(exc)}, status_code=422)
    except NotFound as exc:
        if prefers_json(request):
            return error_response(404, "NotFound", str(exc))
        symbol = _symbol_of(store, wanted)
        if symbol:  # the instrument exists, the paragraph does not: offer its paragraphs
            context["selected"]["instrument"] = symbol
            context["paragraphs"] = _paragraphs_of(context["instruments"], symbol)
        return render(request, "trace.html", {**context, "error": str(exc)}, status_code=404)
    context["selected"] = {
        "instrument": found.symbol,
        "paragraph": found.paragraphs[0].number if one else "",
    }
    context["paragraphs"] = _paragraphs_of(context["instruments"], found.symbol)
    data = page_data(store, minter, found, whole=not one)
    heading = (
        f"{found.symbol} {_short_paragraph(found.paragraphs[0].label, found.symbol)}"
        if one
        else f"{found.symbol}: every paragraph"
    )
    context.update(
        found=found,
        focus=found.paragraphs[0] if number is not None else None,
        whole=number is None,
        data=data,
        summary=_summary(data),
        heading=heading,
    )
    return render(request, "trace.html", context)


def _parameter(name: str, value: str | None, max_length: int) -> str | None:
    """A parameter as asked, None when empty; Malformed when it cannot name anything."""
    if value is None or not value.strip():
        return None
    if len(value) > max_length:
        raise Malformed(f"{name}: at most {max_length} characters, got {len(value)}")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
        raise Malformed(f"{name}: control characters are not allowed")
    return value.strip()


def _symbol_of(store: GraphStore, wanted: str) -> str:
    try:
        return str(trace.find_instrument(store, wanted)["symbol"])
    except NotFound:
        return ""


def _choices(found: list[catalog.InstrumentView]) -> list[dict[str, Any]]:
    """Every instrument with its paragraphs, as the selects offer them."""
    return [
        {
            "symbol": view.symbol,
            "label": view.label,
            "paragraphs": [
                {"number": p.number, "label": _short_paragraph(p.label or p.number, view.symbol)}
                for p in view.paragraphs
            ],
        }
        for view in found
    ]


def _paragraphs_of(choices: list[dict[str, Any]], symbol: str) -> list[dict[str, str]]:
    return next((c["paragraphs"] for c in choices if c["symbol"] == symbol), [])


def _short_paragraph(label: str, symbol: str) -> str:
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


def _sources(found: tuple[trace.Source, ...], base: str) -> list[dict[str, Any]]:
    return [
        {
            "document": s.document,
            "document_page": _page_path(f"{base}doc/{s.document}", base),
            "evidence": s.evidence,
            "char_start": s.char_start,
            "char_end": s.char_end,
            "method": s.method,
        }
        for s in found
    ]


def page_data(
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
        return _sources(trace.sources(store, iri), base)

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
            sources=_sources(link.sources, base),
        )

    if whole:
        node(
            found.iri,
            "instrument",
            0,
            0,
            found.symbol,
            title=found.label,
            sources=_sources(found.sources, base),
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
            _short_paragraph(paragraph.label, found.symbol),
            title=paragraph.label,
            number=paragraph.number,
            paragraph_kind=paragraph.kind,
            verb=paragraph.verb,
            trace=trace_path,
            sources=_sources(paragraph.sources, base),
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
                sources=_sources(quoted, base),
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
                sources=_sources(quoted, base),
            )
        for link in paragraph.implementations:
            implementation(paragraph.iri, link, band)
    return {
        "instrument": {"symbol": found.symbol, "label": found.label},
        "whole": whole,
        "nodes": list(nodes.values()),
        "edges": edges,
    }


def _summary(data: dict[str, Any]) -> dict[str, int]:
    """How many of each kind of node (a node drawn twice counts once), and of each basis of
    implementation link."""
    counts: dict[str, int] = {}
    for kind, _ in {(n["kind"], n["iri"]) for n in data["nodes"]}:
        counts[kind] = counts.get(kind, 0) + 1
    for e in data["edges"]:
        if e["relation"] == "implements":
            counts[e["basis"]] = counts.get(e["basis"], 0) + 1
    return counts
