"""Linked Data at /id/...: every IRI under the base dereferences, as a page for browsers
and as Turtle, JSON-LD, N-Triples or TriG by Accept; text from documents stays text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx2 as httpx
import pyoxigraph as ox
import pytest
import schemathesis
from fastapi.testclient import TestClient
from markupsafe import escape
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from api.main import create_app
from api.routers.sparql import PAGE_POLICY
from graph.read.trace import sources
from graph.settings import Settings
from graph.store.backend import GraphInfo
from graph.store.embedded import StoreLayout, write_version
from tests.conftest import CALENDAR_DOC, Built
from tests.fuzzing import fuzz, operations_of
from tests.servers import serve

BASE = "https://w3id.org/migration-kg/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
MKG_EVIDENCE = "https://w3id.org/migration-kg/ontology#evidence"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BRUSSELS = "event/2006-03-15-brussels-conference-on-migration-and-development"
RECENT_ACTIVITIES_DOC = "003_3ad2074d6c553691"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TURTLE = {"Accept": "text/turtle"}

RESOURCES = {
    "org/IOM": (f"{SKOS}prefLabel", "International Organization for Migration"),
    BRUSSELS: (f"{RDFS}label", "Conference on Migration and Development"),
    "instrument/A-RES-60-227/op/17": (f"{RDFS}label", "A/RES/60/227 OP17"),
    f"doc/{CALENDAR_DOC}": (
        f"{DCTERMS}title",
        "IOM and the High-Level Dialogue on International Migration and Development",
    ),
}
"""An organization, an event, a paragraph of A/RES/60/227 and a source document, with the
label each is known by."""


def _quotes(built: Built, path: str) -> set[str]:
    """The quotes behind a node: its own, and those of the quoted nodes pointing at it."""
    node = BASE + path
    return {
        s.evidence
        for s in sources(built.store, node) + sources(built.store, node, "mention_sources")
    }


@pytest.mark.parametrize("path", sorted(RESOURCES))
def test_a_browser_gets_a_page_with_the_label_and_a_quote_from_a_source(
    client: TestClient, built: Built, path: str
) -> None:
    answer = client.get(f"/id/{path}", headers=HTML)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    _, label = RESOURCES[path]
    assert f"<h1>{escape(label)}</h1>" in answer.text
    quotes = _quotes(built, path)
    assert quotes, f"the corpus quotes nothing about {path}"
    assert any(str(escape(quote)) in answer.text for quote in quotes)


@pytest.mark.parametrize("path", sorted(RESOURCES))
def test_turtle_holds_the_label_and_json_ld_the_same_triples(client: TestClient, path: str) -> None:
    turtle = client.get(f"/id/{path}", headers=TURTLE)
    jsonld = client.get(f"/id/{path}", headers={"Accept": "application/ld+json"})
    assert turtle.status_code == jsonld.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    from_turtle = Graph().parse(data=turtle.text, format="turtle")
    from_jsonld = Graph().parse(data=jsonld.text, format="json-ld")
    prop, label = RESOURCES[path]
    labels = {str(o) for o in from_turtle.objects(URIRef(BASE + path), URIRef(prop))}
    assert label in labels
    assert len(from_turtle) > 3
    assert isomorphic(from_turtle, from_jsonld)


def test_n_triples_is_the_same_description(client: TestClient) -> None:
    turtle = client.get("/id/org/IOM", headers=TURTLE).text
    ntriples = client.get("/id/org/IOM", headers={"Accept": "application/n-triples"}).text
    assert isomorphic(
        Graph().parse(data=turtle, format="turtle"), Graph().parse(data=ntriples, format="nt")
    )


def test_every_iri_under_the_base_dereferences_as_turtle(client: TestClient, built: Built) -> None:
    iris: set[str] = set()
    for quad in built.store.raw.quads_for_pattern(None, None, None):
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                iris.add(term.value)
    assert len(iris) > 500
    failures = []
    for iri in sorted(iris):
        answer = client.get("/id/" + iri.removeprefix(BASE), headers=TURTLE)
        if answer.status_code != 200:
            failures.append((iri, answer.status_code))
            continue
        parsed = ox.parse(answer.content, format=ox.RdfFormat.TURTLE)
        if not any(iri in (t.subject.value, getattr(t.object, "value", "")) for t in parsed):
            named_graph = any(
                True for _ in built.store.raw.quads_for_pattern(None, None, None, ox.NamedNode(iri))
            )
            if not named_graph:
                failures.append((iri, "no statement about it"))
    assert failures == []


def test_a_named_graph_dereferences_to_its_content(client: TestClient, built: Built) -> None:
    graph_iri = f"{BASE}graph/doc/{CALENDAR_DOC}"
    answer = client.get(f"/id/graph/doc/{CALENDAR_DOC}", headers=TURTLE)
    assert answer.status_code == 200
    expected = Graph()
    for quad in built.store.raw.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)):
        expected.parse(data=f"{quad.subject} {quad.predicate} {quad.object} .", format="nt")
    assert len(expected) > 1000
    assert isomorphic(Graph().parse(data=answer.text, format="turtle"), expected)
    page = client.get(f"/id/graph/doc/{CALENDAR_DOC}", headers=HTML)
    assert page.status_code == 200
    assert "Named graph" in page.text
    assert f"{len(expected):,} statements" in page.text


def test_a_document_page_links_to_the_graph_of_what_was_taken_from_it(
    client: TestClient,
) -> None:
    page = client.get(f"/id/doc/{CALENDAR_DOC}", headers=HTML).text
    assert f'href="/id/graph/doc/{CALENDAR_DOC}"' in page


def test_where_documents_disagree_the_page_says_which_states_which(client: TestClient) -> None:
    # The 2013 position paper dates A/RES/65/170 to 2011, the 2012 input to 2010.
    page = client.get("/id/instrument/A-RES-65-170", headers=HTML).text
    section = page.split('<section class="disputed">', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)
    said = {
        (value, doc)
        for row in rows
        for value in re.findall(r'class="literal">([^<]*)<', row)
        for doc in re.findall(r'class="docid">([^<]*)<', row)
    }
    assert ("2011", "001_6d7862dd6d85dfbf") in said
    assert ("2010", "004_6339e25530592e73") in said
    assert ("2011", "004_6339e25530592e73") not in said
    assert "dcterms:issued" in section


def test_a_less_precise_date_is_no_disagreement(client: TestClient) -> None:
    # The calendar dates the Brussels conference 2006-03-15, the 2005 paper "March 2006".
    page = client.get(f"/id/{BRUSSELS}", headers=HTML).text
    assert '<section class="disputed">' not in page
    assert CALENDAR_DOC in page and RECENT_ACTIVITIES_DOC in page


def test_documents_naming_different_memberships_do_not_disagree(client: TestClient) -> None:
    page = client.get("/id/org/IOM", headers=HTML).text
    assert "org:memberOf" in page
    assert '<section class="disputed">' not in page


def test_trig_keeps_the_document_of_each_statement(client: TestClient) -> None:
    answer = client.get(f"/id/{BRUSSELS}", headers={"Accept": "application/trig"})
    assert answer.status_code == 200
    dataset = Dataset().parse(data=answer.text, format="trig")
    start = URIRef(f"{SCHEMA}startDate")
    stated = {
        (str(o), str(g))
        for _, _, o, g in dataset.quads((URIRef(BASE + BRUSSELS), start, None, None))
    }
    # "March 2006" (the 2005 paper) only agrees, less precisely, with the calendar's
    # 2006-03-15: the precise date is the value, the paper keeps its quote in its graph.
    assert stated == {("2006-03-15", f"{BASE}graph/doc/{CALENDAR_DOC}")}
    quoted = {
        str(g)
        for _, _, _, g in dataset.quads((URIRef(BASE + BRUSSELS), URIRef(MKG_EVIDENCE), None, None))
    }
    assert f"{BASE}graph/doc/{RECENT_ACTIVITIES_DOC}" in quoted


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("*/*", "text/html"),
        ("", "text/html"),
        ("text/html;q=0.5, text/turtle", "text/turtle"),
        ("application/ld+json;q=0.9, text/turtle;q=0.8", "application/ld+json"),
        ("text/turtle;q=0, application/n-triples", "application/n-triples"),
        ("application/json", "application/json"),
        ("application/n-quads", "application/n-quads"),
    ],
)
def test_accept_picks_the_format_by_q_value(
    client: TestClient, accept: str, media_type: str
) -> None:
    answer = client.get("/id/org/IOM", headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media_type
    assert answer.headers["vary"] == "Accept"


def test_format_parameter_wins_over_accept_and_link_lists_the_alternates(
    client: TestClient,
) -> None:
    answer = client.get("/id/org/IOM?format=turtle", headers=HTML)
    assert answer.headers["content-type"].startswith("text/turtle")
    link = answer.headers["link"]
    assert '</id/org/IOM?format=jsonld>; rel="alternate"; type="application/ld+json"' in link
    assert '</id/org/IOM?format=html>; rel="alternate"; type="text/html"' in link
    assert client.get("/id/org/IOM?format=xlsx").status_code == 422


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/ld+json", "application/json", "*/*"]
)
def test_an_unknown_iri_is_404_with_a_json_body(client: TestClient, accept: str) -> None:
    answer = client.get("/id/org/NO-SUCH-ORGANIZATION", headers={"Accept": accept})
    assert answer.status_code == 404
    assert answer.json()["error"] == "NotFound"
    assert "org/NO-SUCH-ORGANIZATION" in answer.json()["detail"]


def test_a_browser_asking_for_an_unknown_iri_gets_a_404_page(client: TestClient) -> None:
    answer = client.get("/id/org/NO-SUCH-ORGANIZATION", headers=HTML)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"] == PAGE_POLICY


@pytest.mark.parametrize(
    "path", ["org/two%20words", "org/%3Cscript%3E", "org/%22quoted%22", "x" * 1100]
)
def test_a_malformed_or_overlong_path_is_422_with_a_json_body(
    client: TestClient, path: str
) -> None:
    answer = client.get(f"/id/{path}", headers=TURTLE)
    assert answer.status_code == 422
    assert set(answer.json()) == {"error", "detail", "request_id"}


def test_pages_carry_the_csp_and_load_only_this_servers_stylesheet(client: TestClient) -> None:
    answer = client.get("/id/org/IOM", headers=HTML)
    assert answer.headers["content-security-policy"] == PAGE_POLICY
    assert "<script" not in answer.text
    assert "style=" not in answer.text and "<style" not in answer.text
    external = re.findall(r'<link[^>]+href="(https?:[^"]+)"', answer.text)
    assert external == []
    assert '<link rel="stylesheet" href="/static/resource.css">' in answer.text
    assert client.get("/static/resource.css").status_code == 200


def test_the_route_is_documented_in_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    route = spec["paths"]["/id/{iri_path}"]["get"]
    assert route["summary"]
    assert route["description"]
    parameter = next(p for p in route["parameters"] if p["name"] == "iri_path")
    assert parameter["in"] == "path"
    assert parameter["schema"]["examples"] == ["org/IOM"]
    assert {"text/html", "text/turtle", "application/ld+json"} <= set(
        route["responses"]["200"]["content"]
    )
    not_found = route["responses"]["404"]["content"]["application/json"]["schema"]
    assert not_found["$ref"].endswith("/ErrorBody")


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=str)
def test_generated_paths_get_only_documented_answers(
    built: Built, mode: schemathesis.GenerationMode
) -> None:
    """schemathesis: paths and formats made from the OpenAPI schema, valid and not, get
    200, 404 or 422 as documented, never a 5xx."""
    app = create_app(built.settings)
    with TestClient(app):
        for operation in operations_of(app, r"^/id/"):
            fuzz(operation, mode, 50)


# ---------------------------------------------------------------- hostile text stays text

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A tiny graph whose labels, quotes and IRIs try to become markup."""
    node = f"<{BASE}org/EVIL>"
    doc = f"<{BASE}doc/evil>"
    graph_name = f"<{BASE}graph/doc/evil>"
    mkg = "https://w3id.org/migration-kg/ontology#"
    quads = [
        f"{node} <{RDF_TYPE}> <{mkg}Organization> {graph_name} .",
        f'{node} <{SKOS}prefLabel> "{SCRIPT}" {graph_name} .',
        f'{node} <{SKOS}altLabel> "\\" onmouseover=\\"alert(1)" {graph_name} .',
        f"{node} <{RDFS}seeAlso> <javascript:alert(1)> {graph_name} .",
        f"{node} <http://www.w3.org/ns/prov#wasDerivedFrom> {doc} {graph_name} .",
        f'{node} <{mkg}evidence> "quoted {SCRIPT} here" {graph_name} .',
        f'{node} <{mkg}charStart> "0"^^<{XSD}integer> {graph_name} .',
        f'{node} <{mkg}charEnd> "10"^^<{XSD}integer> {graph_name} .',
        f'{doc} <{DCTERMS}identifier> "evil" {graph_name} .',
        f"{doc} <{RDF_TYPE}> <{mkg}Document> {graph_name} .",
        f'{doc} <{DCTERMS}title> "<b>bold</b> title" {graph_name} .',
    ]
    layout = StoreLayout(tmp_path_factory.mktemp("hostile") / "store")
    with layout.writing() as work:
        write_version(work, "\n".join(quads).encode())
        layout.publish(work, GraphInfo("hostile", len(quads), "", "hand-built"))
    with TestClient(create_app(Settings(store=layout.link))) as test_client:
        yield test_client


def test_a_script_in_a_label_or_quote_is_rendered_as_text(hostile: TestClient) -> None:
    page = hostile.get("/id/org/EVIL", headers=HTML)
    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert "<b>" not in page.text
    assert f"<h1>{escape(SCRIPT)}</h1>" in page.text
    assert f"quoted {escape(SCRIPT)} here" in page.text
    assert '" onmouseover="' not in page.text
    assert 'href="javascript:' not in page.text
    assert "&lt;b&gt;bold&lt;/b&gt; title" in page.text


def test_the_hostile_label_survives_as_data_in_turtle(hostile: TestClient) -> None:
    answer = hostile.get("/id/org/EVIL", headers=TURTLE)
    labels = set(
        Graph()
        .parse(data=answer.text, format="turtle")
        .objects(URIRef(f"{BASE}org/EVIL"), URIRef(f"{SKOS}prefLabel"))
    )
    assert {str(label) for label in labels} == {SCRIPT}


# ---------------------------------------------------------------- over real HTTP


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[str]:
    yield from serve(built.settings.store)


def test_over_real_http_iom_answers_as_turtle_and_as_a_page(server: str) -> None:
    turtle = httpx.get(f"{server}/id/org/IOM", headers=TURTLE)
    assert turtle.status_code == 200
    parsed = Graph().parse(data=turtle.text, format="turtle")
    assert (
        URIRef(f"{BASE}org/IOM"),
        URIRef(f"{SKOS}prefLabel"),
        None,
    ) in parsed
    page = httpx.get(f"{server}/id/org/IOM", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == PAGE_POLICY
    assert page.headers["vary"] == "Accept"
    missing = httpx.get(f"{server}/id/org/NOPE", headers=TURTLE)
    assert missing.status_code == 404
    assert missing.json()["error"] == "NotFound"


def test_head_answers_like_get_without_a_body(built: Built) -> None:
    with TestClient(create_app(built.settings)) as client:
        get = client.get("/id/org/IOM", headers={"Accept": "text/turtle"})
        head = client.head("/id/org/IOM", headers={"Accept": "text/turtle"})
        missing = client.head("/id/org/NO-SUCH-ORG", headers={"Accept": "text/turtle"})
    assert head.status_code == 200
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.content == b""
    assert missing.status_code == 404
