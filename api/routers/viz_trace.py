"""The page "What did this paragraph set in motion?": a paragraph of an instrument (or the
whole instrument), its addressees and mandated activities, and what implements it, drawn
left to right with vis-network, each link with its basis and the evidence behind it.

The page gets its data as JSON in a `<script type="application/json">` element (Jinja's
`tojson` escapes <, > and &) and draws it with /static/trace.js, which writes every text
with textContent: labels and quotes come from documents and stay text. Errors are pages
too (api.errors, through the one error table): an unknown instrument or paragraph answers
404, a malformed parameter 422, each with the message and the form to choose again."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import NAME_LENGTH, MinterDep, StoreDep, page_parameter
from api.pages import PAGE, on_error, render
from api.schemas import PAGE_ERROR_CONTENT, REFUSED_TARGET
from graph.errors import NotFound
from graph.extract.instruments import parse_reference
from graph.read import catalog, trace
from graph.views import trace_layout

router = APIRouter(tags=["pages"], responses=REFUSED_TARGET)
MAX_PARAGRAPH = 40
"""The same limit as /api/trace."""
HTML_PAGE: dict[str, Any] = {"content": {"text/html": {"schema": {"type": "string"}}}}


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
    dependencies=[PAGE],
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
    context: dict[str, Any] = {
        "instruments": trace_layout.choices(catalog.instruments(store, minter)),
        "selected": {"instrument": "", "paragraph": ""},
        "paragraphs": [],
        "kinds": trace_layout.KINDS,
    }
    on_error(request, "trace.html", context)  # the form, to choose again
    wanted = page_parameter("instrument", instrument, NAME_LENGTH)
    number = page_parameter("paragraph", paragraph, MAX_PARAGRAPH)
    if wanted is None:
        return render(request, "trace.html", context)
    try:
        found = trace.trace(store, wanted, number)
    except NotFound:
        symbol = trace_layout.symbol_of(store, wanted)
        if symbol:  # the instrument exists, the paragraph does not: offer its paragraphs
            context["selected"]["instrument"] = symbol
            context["paragraphs"] = trace_layout.paragraphs_of(context["instruments"], symbol)
        raise
    one = number is not None or parse_reference(wanted).paragraph is not None
    context["selected"] = {
        "instrument": found.symbol,
        "paragraph": found.paragraphs[0].number if one else "",
    }
    context["paragraphs"] = trace_layout.paragraphs_of(context["instruments"], found.symbol)
    data = trace_layout.layout(store, minter, found, whole=not one)
    context.update(
        found=found,
        focus=found.paragraphs[0] if number is not None else None,
        whole=number is None,
        data=data,
        summary=trace_layout.summary(data),
        heading=trace_layout.heading(found, one),
    )
    return render(request, "trace.html", context)
