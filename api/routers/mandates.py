"""The mandate register over HTTP: the register as JSON, its coverage, the lineage of
instruments, the review sheet (CSV or JSON), and the page /viz/mandates.

The page draws the register as a matrix (paragraphs by addressees, each cell coloured
by status) and an instrument's lineage as a timeline, both on the server (an HTML table
and an SVG, every text escaped by Jinja); /static/mandates.js opens a cell's evidence
from the page's JSON data with textContent only."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import BLANK_IS_NONE, NAME_LENGTH, Limit, Offset, StoreDep, page_parameter
from api.pages import PAGE, on_error, render
from api.schemas import (
    PAGE_ERROR_CONTENT,
    REFUSED_TARGET,
    CoverageAnswer,
    ErrorBody,
    LineageAnswer,
    MandateItem,
    MandatePage,
    MandateSummary,
)
from graph.errors import MkgError, NotFound
from graph.read import mandates
from graph.store.backend import GraphStore

router = APIRouter(tags=["mandates"], responses=REFUSED_TARGET)
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such instrument or addressee in the graph"},
    422: {"model": ErrorBody, "description": "An unknown status or a malformed parameter"},
}
Status = Literal["implemented", "inferred", "untraced"]
InstrumentParam = Annotated[
    str | None,
    Query(max_length=NAME_LENGTH, description="Symbol, spelling or id of an instrument.",
          examples=["A/RES/60/227"]),
    BLANK_IS_NONE,
]  # fmt: skip
AddresseeParam = Annotated[
    str | None,
    Query(
        max_length=NAME_LENGTH,
        description="Id, acronym or label of an addressee.",
        examples=["IOM"],
    ),
    BLANK_IS_NONE,
]
StatusParam = Annotated[Status | None, Query(description="implemented (a stated or curated "
                        "link), inferred (only the linker's guesses) or untraced.",
                        examples=["untraced"])]  # fmt: skip
TIMELINE_WIDTH = 900
LANE_HEIGHT = 34


@router.get("/api/mandates", responses=ERRORS)
def register(
    store: StoreDep,
    instrument: InstrumentParam = None,
    addressee: AddresseeParam = None,
    status: StatusParam = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> MandatePage:
    """The mandate register: every paragraph that can mandate something, its verb,
    addressees and deliverables, whether anything carries it out (`status`, as the trace
    shows it) and by whom, with the quotes it was read from. `summary` counts the whole
    selection (before `status` and paging) by status."""
    found = mandates.register(store, instrument, addressee, status)
    return MandatePage(
        items=[
            MandateItem.model_validate(mandates.item(m))
            for m in found.items[offset : offset + limit]
        ],
        total=len(found.items),
        limit=limit,
        offset=offset,
        summary=MandateSummary(**found.summary),
    )


@router.get("/api/mandates/coverage", responses=ERRORS)
def coverage(store: StoreDep, instrument: InstrumentParam = None) -> CoverageAnswer:
    """For each instrument: paragraphs nothing carries out, events and activities that
    implement the instrument but none of its paragraphs, paragraphs addressed to several
    entities, and kinds of deliverable asked more than once; `across` lists kinds of
    deliverable asked by several instruments (candidates for duplication)."""
    return CoverageAnswer.model_validate(
        {
            "items": [mandates.coverage_dict(c) for c in mandates.coverage(store, instrument)],
            "across": [mandates.shared_dict(s) for s in mandates.shared_across(store)],
        }
    )


@router.get("/api/mandates/lineage", responses=ERRORS)
def lineage(
    store: StoreDep,
    instrument: Annotated[str, Query(max_length=NAME_LENGTH, description="Symbol or spelling.",
                                     examples=["A/RES/50/123"])],
) -> LineageAnswer:  # fmt: skip
    """Every citation reachable from an instrument (what it recalls, reaffirms or follows
    up, and what cites it), each with the quote it was read from."""
    symbol, found = mandates.lineage(store, instrument)
    return LineageAnswer.model_validate(
        {"symbol": symbol, "citations": [mandates.citation_dict(c) for c in found]}
    )


@router.get(
    "/api/mandates/review",
    responses={
        **ERRORS,
        200: {
            "description": "One row per paragraph, with an empty decision (retain, update or "
            "remove) and comment for the reviewer.",
            "content": {"text/csv": {"schema": {"type": "string"}}, "application/json": {}},
        },
    },
)
def review(
    store: StoreDep,
    format: Annotated[Literal["csv", "json"], Query(description="csv or json.")] = "csv",
    instrument: InstrumentParam = None,
    addressee: AddresseeParam = None,
    status: StatusParam = None,
) -> Response:
    """The register as a review sheet: one row per paragraph, for reviewers to mark
    retain, update or remove, with a comment."""
    found = mandates.register(store, instrument, addressee, status).items
    if format == "json":
        return JSONResponse(
            mandates.review_json(found),
            headers={"Content-Disposition": 'attachment; filename="mandates-review.json"'},
        )
    return Response(
        mandates.review_csv(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="mandates-review.csv"'},
    )


# ---------------------------------------------------------------------- the page


@router.get(
    "/viz/mandates",
    summary="The mandate register as a matrix, and an instrument's lineage (HTML page)",
    response_class=HTMLResponse,
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}},
        404: {"description": "No such instrument or addressee.", "content": PAGE_ERROR_CONTENT},
        422: {"description": "A malformed parameter.", "content": PAGE_ERROR_CONTENT},
    },
    dependencies=[PAGE],
)
def mandates_page(
    request: Request,
    store: StoreDep,
    instrument: Annotated[str | None, Query(description="Only this instrument's paragraphs "
                          "(and its lineage).", examples=["A/RES/60/227"])] = None,
    addressee: Annotated[str | None, Query(description="Only paragraphs addressed to it.",
                         examples=["IOM"])] = None,
    status: Annotated[str | None, Query(description="implemented, inferred or untraced.",
                      examples=["untraced"])] = None,
) -> Response:  # fmt: skip
    """Paragraphs (rows) by addressees (columns), each cell coloured by the paragraph's
    status; a click on a cell opens the quotes and what implements it. With an instrument,
    its lineage: the resolutions it recalls, reaffirms or follows up, and those citing it,
    on a timeline."""
    choices = _choices(store)
    context: dict[str, Any] = {
        **choices,
        "selected": {"instrument": "", "addressee": "", "status": ""},
        "statuses": mandates.STATUSES,
    }
    on_error(request, "mandates.html", context)
    wanted = {
        "instrument": page_parameter("instrument", instrument),
        "addressee": page_parameter("addressee", addressee),
        "status": page_parameter("status", status),
    }
    found = mandates.register(store, wanted["instrument"], wanted["addressee"], wanted["status"])
    context["selected"] = {k: v or "" for k, v in wanted.items()}
    if wanted["instrument"]:
        context["selected"]["instrument"] = (
            found.items[0].symbol if found.items else _symbol_of(store, wanted["instrument"])
        )
    context.update(matrix(found), summary=found.summary)
    if wanted["instrument"]:
        context["timeline"] = timeline(store, wanted["instrument"])
    return render(request, "mandates.html", context)


def _symbol_of(store: GraphStore, wanted: str) -> str:
    try:
        return mandates.lineage(store, wanted)[0]
    except MkgError:
        return wanted


def _choices(store: GraphStore) -> dict[str, Any]:
    everything = mandates.register(store).items
    return {
        "instruments": list(dict.fromkeys(m.symbol for m in everything)),
        "addressees": [{"id": p.id, "label": p.label} for p in mandates.addressees(store)],
    }


def matrix(found: mandates.Register) -> dict[str, Any]:
    """Rows (paragraphs), columns (addressees, and a column for paragraphs that name none)
    and, for the script, each paragraph's evidence and implementers."""
    columns: dict[str, dict[str, str]] = {}
    for m in found.items:
        for party in m.addressees:
            columns.setdefault(party.id, {"id": party.id, "label": party.label})
    ordered = sorted(columns.values(), key=lambda c: c["label"].casefold())
    if any(not m.addressees for m in found.items):
        ordered.append({"id": "", "label": "(no addressee named)"})
    rows = []
    details: dict[str, Any] = {}
    for m in found.items:
        ids = {p.id for p in m.addressees} or {""}
        rows.append(
            {
                "iri": m.paragraph_iri,
                "symbol": m.symbol,
                "number": m.number,
                "id": m.id,
                "verb": m.verb or "",
                "status": m.status,
                "cells": [c["id"] in ids for c in ordered],
            }
        )
        details[m.paragraph_iri] = {
            "symbol": m.symbol,
            "number": m.number,
            "id": m.id,
            "verb": m.verb,
            "status": m.status,
            "trace": f"/viz/trace?{urlencode({'instrument': m.symbol, 'paragraph': m.number})}",
            "addressees": [p.label for p in m.addressees],
            "deliverables": [
                {"kind": d.kind, "label": d.label, "due": d.due} for d in m.deliverables
            ],
            "implementers": [{"label": p.label, "basis": p.basis} for p in m.implementers],
            "sources": [
                {
                    "document": s.document,
                    "evidence": s.evidence,
                    "char_start": s.char_start,
                    "char_end": s.char_end,
                    "method": s.method,
                }
                for s in m.sources
            ],
        }
    return {"columns": ordered, "rows": rows, "details": details}


def timeline(store: GraphStore, instrument: str) -> dict[str, Any] | None:
    """An instrument's lineage laid out for an SVG: one lane per instrument in time order,
    x by year, an arrow from each citing instrument to the one it cites."""
    try:
        symbol, found = mandates.lineage(store, instrument)
    except NotFound:
        return None
    if not found:
        return {"symbol": symbol, "nodes": [], "edges": [], "width": TIMELINE_WIDTH, "height": 0}
    years: dict[str, tuple[str, int | None]] = {}
    for c in found:
        years.setdefault(c.citing, (c.citing_symbol, c.citing_year))
        years.setdefault(c.cited, (c.cited_symbol, c.cited_year))
    known = [y for _, y in years.values() if y is not None]
    low, high = (min(known), max(known)) if known else (0, 1)
    span = max(high - low, 1)
    left, right = 140, TIMELINE_WIDTH - 40
    order = sorted(years, key=lambda iri: (years[iri][1] or 10**4, years[iri][0]))
    nodes = {}
    for lane, iri in enumerate(order):
        symbol_of, year = years[iri]
        x = left + (right - left) * ((year - low) / span) if year is not None else right
        nodes[iri] = {
            "iri": iri,
            "symbol": symbol_of,
            "year": year,
            "x": round(x, 1),
            "y": 30 + lane * LANE_HEIGHT,
            "focus": symbol_of == symbol,
        }
    edges = [
        {
            "x1": nodes[c.citing]["x"],
            "y1": nodes[c.citing]["y"],
            "x2": nodes[c.cited]["x"],
            "y2": nodes[c.cited]["y"],
            "property": c.property,
            "citing": c.citing_symbol,
            "cited": c.cited_symbol,
            "label": f"{c.citing_symbol} {c.property} {c.cited_symbol}",
            "evidence": c.sources[0].evidence if c.sources else "",
        }
        for c in found
    ]
    ticks: list[int] = []
    for year in sorted({low, high, *range(low - low % 5 + 5, high, 5)}) if known else []:
        if not ticks or year - ticks[-1] >= 3 or year == high:
            ticks = [t for t in ticks if high - t >= 3 or t == year] + [year]
    return {
        "symbol": symbol,
        "nodes": list(nodes.values()),
        "edges": edges,
        "ticks": [
            {"year": t, "x": round(left + (right - left) * ((t - low) / span), 1)} for t in ticks
        ],
        "width": TIMELINE_WIDTH,
        "height": 50 + len(nodes) * LANE_HEIGHT,
    }
