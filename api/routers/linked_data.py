"""Linked Data: every IRI under the base (MKG_BASE_IRI) dereferences at /id/<its path>.

Browsers get a page with the node's statements, which document states which value, what
points at it and the quotes behind it; RDF clients get its description as Turtle, JSON-LD,
N-Triples, RDF/XML, or, with the named graph of each statement, TriG and N-Quads. The
format comes from Accept (q-values honoured) or from ?format=. As at DBpedia, an Accept of
*/* or none gets the page: programs ask for RDF by name. DBpedia and Wikidata answer with
a 303 redirect to a document URL per format; we answer 200 directly (which the W3C TAG's
2012 revision of httpRange-14 permits), with `Vary: Accept` and the per-format URLs
(?format=...) in the Link header.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import MinterDep, StoreDep, negotiate
from api.pages import PAGE_POLICY, TEMPLATES, on_error
from api.schemas import REFUSED_TARGET, ErrorBody
from graph.model.iris import Minter
from graph.model.namespaces import PREFIXES
from graph.read import describe as describing
from graph.store.backend import GraphStore

router = APIRouter(tags=["linked data"], responses=REFUSED_TARGET)
MAX_PATH = 1024
HTML = "text/html"
XSD_STRING = f"{PREFIXES['xsd']}string"
_SAFE = "/:@!$&'()*+,;=-._~"
"""What stays unescaped when a path goes into a URL: RFC 3986 pchar and "/"."""


class Format(StrEnum):
    """The representations of a resource, by the name ?format= takes."""

    html = "html"
    turtle = "turtle"
    jsonld = "jsonld"
    ntriples = "ntriples"
    rdfxml = "rdfxml"
    trig = "trig"
    nquads = "nquads"


MEDIA_TYPES: dict[Format, str] = {
    Format.html: HTML,
    Format.turtle: "text/turtle",
    Format.jsonld: "application/ld+json",
    Format.ntriples: "application/n-triples",
    Format.rdfxml: "application/rdf+xml",
    Format.trig: "application/trig",
    Format.nquads: "application/n-quads",
}
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/json": ox.RdfFormat.JSON_LD,
}
OFFERED: dict[str, object] = {HTML: None, **RDF_FORMATS}
"""What Accept can pick, in order of preference on a tie (so */* gets the page)."""

_TEXT: dict[str, Any] = {"schema": {"type": "string"}}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The resource: an HTML page, or its description in an RDF format "
        "(TriG and N-Quads keep the named graph, i.e. the source document, of each statement).",
        "content": {
            HTML: _TEXT,
            "text/turtle": _TEXT,
            "application/ld+json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "application/n-triples": _TEXT,
            "application/rdf+xml": _TEXT,
            "application/trig": _TEXT,
            "application/n-quads": _TEXT,
        },
    },
    404: {
        "model": ErrorBody,
        "description": "Nothing in the graph is about this IRI (a browser gets an HTML page).",
    },
    422: {"model": ErrorBody, "description": "Not an IRI path, or longer than 1,024 characters."},
}


@router.get(
    "/id/{iri_path:path}",
    summary="Dereference an IRI of the graph (Linked Data)",
    response_class=Response,
    responses=RESPONSES,
)
def resource(
    request: Request,
    store: StoreDep,
    minter: MinterDep,
    iri_path: Annotated[str, Path(
        max_length=MAX_PATH,
        description="The IRI's path under the base IRI: `org/IOM` is "
        "<https://w3id.org/migration-kg/id/org/IOM>.",
        examples=["org/IOM"])],
    format: Annotated[Format | None, Query(
        description="Ask for one representation by name instead of by Accept.",
        examples=["turtle"])] = None,
) -> Response:  # fmt: skip
    """Every IRI minted under the base (organizations, events, instruments, paragraphs,
    activities, documents, the named graphs) answers here, HTML for browsers and RDF by
    `Accept` (q-values honoured; `*/*` gets HTML) or by `?format=`.

    The page shows the label, types and every property with its values; beside each value
    the named graphs (source documents) that state it, and where documents disagree, who
    says what; then the sources with their quotes, character offsets and method, the
    quoted statements in other nodes that mention this one, and what points here. The RDF
    is the node's own statements plus the derivations hanging off it; a named graph's IRI
    gives the graph's content."""
    iri = describing.iri_for(minter, iri_path)
    accept = request.headers.get("accept", "")
    media_type = MEDIA_TYPES[format] if format else negotiate(accept, OFFERED)
    headers = {"Vary": "Accept", "Link": _alternates(iri_path)}
    if media_type == HTML:
        return _page(request, store, minter, iri, iri_path, accept, headers)
    quads = describing.description_quads(store, iri)
    data = describing.serialize(quads, RDF_FORMATS[media_type])
    return Response(content=data, media_type=media_type, headers=headers)


# Linked Data clients check a resource with HEAD before fetching it.
router.add_api_route("/id/{iri_path:path}", resource, methods=["HEAD"], include_in_schema=False)


def _page(
    request: Request,
    store: GraphStore,
    minter: Minter,
    iri: str,
    iri_path: str,
    accept: str,
    headers: dict[str, str],
) -> Response:
    if HTML in accept.lower():  # a program that did not ask for HTML gets the JSON error
        missing = {"iri": iri, "base": minter.base, "missing": True}
        on_error(request, "resource.html", missing, headers)
    description = describing.describe(store, minter, iri)
    context: dict[str, object] = {
        "d": description,
        "iri_path": iri_path,
        "base": minter.base,
        "refs": {ref.graph: number for number, ref in enumerate(description.references, 1)},
        "incoming_counts": dict(description.incoming_counts),
        "formats": [(f.value, MEDIA_TYPES[f]) for f in Format if f is not Format.html],
        "xsd_string": XSD_STRING,
        "shown": {
            "mentions": describing.MENTIONS_SHOWN,
            "subjects": describing.GRAPH_SUBJECTS_SHOWN,
        },
    }
    response = TEMPLATES.TemplateResponse(request, "resource.html", context)
    response.headers.update(headers)
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


def _alternates(iri_path: str) -> str:
    here = quote(f"/id/{iri_path}", safe=_SAFE)
    return ", ".join(
        f'<{here}?format={f.value}>; rel="alternate"; type="{MEDIA_TYPES[f]}"' for f in Format
    )


def local_href(iri: str, base: str) -> str | None:
    """Where a link to an IRI goes: this server's /id/ page for an IRI under the base, the
    IRI itself for other http(s) IRIs, nowhere for anything else (javascript:, urn:...)."""
    if iri.startswith(base):
        return quote(f"/id/{iri[len(base) :]}", safe=_SAFE)
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def short_name(iri: str, base: str) -> str:
    """A readable name for an IRI: its path under the base, or a prefixed name."""
    if iri.startswith(base) and len(iri) > len(base):
        return iri[len(base) :]
    return describing.compact(iri)


TEMPLATES.env.filters["href"] = local_href
TEMPLATES.env.filters["short"] = short_name
TEMPLATES.env.filters["compact"] = describing.compact
