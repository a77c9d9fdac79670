"""Bulk exports over HTTP: the graph as RDF, the co-sponsorship network, the events as CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import NAME_LENGTH, PARTIAL_DATE, MinterDep, StoreDep
from api.schemas import REFUSED_TARGET, ErrorBody
from graph.read import export as exporting
from graph.read.export import FORMATS, ExportFormat

router = APIRouter(prefix="/api", tags=["export"], responses=REFUSED_TARGET)

_BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
_EXPANDED_JSON_LD: dict[str, Any] = {
    "schema": {
        "type": "array",
        "items": {"type": "object"},
        "description": "JSON-LD in expanded form: one object per node",
    }
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The export, as an attachment: "
        + "; ".join(f"{f.name}: {f.description} ({f.media_type})" for f in FORMATS.values()),
        "content": {
            f.media_type: _EXPANDED_JSON_LD if f.name == "jsonld" else _BINARY
            for f in FORMATS.values()
        },
    },
    404: {"model": ErrorBody, "description": "No source document with that id."},
    422: {
        "model": ErrorBody,
        "description": "An unknown format, a malformed date, or start/end with an RDF format.",
    },
}


@router.get("/export", response_class=Response, responses=RESPONSES)
def export(
    store: StoreDep,
    minter: MinterDep,
    format: Annotated[ExportFormat, Query(
        description="turtle, jsonld: the merged graph; trig, nquads: the named graphs (one per "
        "source document, plus registry, ontology, inferred); graphml, gexf: the co-sponsorship "
        "network for Gephi; csv: one row per event, for spreadsheets.",
        examples=["turtle", "gexf", "csv"])],
    doc: Annotated[str | None, Query(
        description="Only what this source document says (RDF: its graph with the registry "
        "and ontology).", examples=["000_14d2ce0a342a483c"], max_length=NAME_LENGTH)] = None,
    start: Annotated[str | None, Query(
        description="Window start, YYYY, YYYY-MM or YYYY-MM-DD (graphml, gexf, csv only).",
        examples=["2006"], pattern=PARTIAL_DATE)] = None,
    end: Annotated[str | None, Query(
        description="Window end, YYYY, YYYY-MM or YYYY-MM-DD (graphml, gexf, csv only).",
        examples=["2006-09"], pattern=PARTIAL_DATE)] = None,
) -> Response:  # fmt: skip
    """Download the graph, the co-sponsorship network or the event list in one file."""
    found = exporting.export(store, minter, format, doc=doc, start=start, end=end)
    return Response(
        content=found.data,
        media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )
