"""The SPARQL query page for browsers, and the example queries it offers."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from api.routers.sparql import example_queries
from graph.settings import PROJECT_ROOT

MKG_NS = "https://w3id.org/migration-kg/ontology#"


def test_a_browser_gets_the_query_page(client: TestClient) -> None:
    page = client.get("/sparql", headers={"accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "PREFIX mkg: &lt;https://w3id.org/migration-kg/ontology#&gt;" in page.text
    for title, _ in example_queries():
        assert title in page.text
    assert "https://cdn" not in page.text and "//unpkg" not in page.text
    assert client.get("/static/sparql.js").status_code == 200
    assert client.get("/static/sparql.css").status_code == 200


def test_a_client_without_a_query_gets_400(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 400
    assert response.json()["detail"] == "missing the query parameter"


@pytest.mark.parametrize(("title", "text"), example_queries(), ids=lambda v: str(v)[:30])
def test_every_example_query_answers(client: TestClient, title: str, text: str) -> None:
    response = client.post("/sparql", data={"query": text})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"], f"{title} found nothing"


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_with_a_query_gets_the_page_that_runs_it(client: TestClient) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # </textarea><script>alert(1)</script>"
    page = client.get("/sparql", params={"query": query}, headers={"accept": BROWSER})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'data-run="yes"' in page.text
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text


@pytest.mark.parametrize(
    "accept",
    ["*/*", "", "application/sparql-results+json", "text/csv, text/html;q=0.5"],
)
def test_a_program_with_a_query_gets_results(client: TestClient, accept: str) -> None:
    answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"accept": accept})
    assert answer.status_code == 200
    assert not answer.headers["content-type"].startswith("text/html")


def test_the_page_hands_the_ontology_terms_to_the_editor(client: TestClient) -> None:
    page = client.get("/sparql", headers={"accept": BROWSER})
    start = page.text.index('<script type="application/json" id="vocabulary">')
    data = page.text[start:].split(">", 1)[1].split("</script>", 1)[0]
    vocabulary = json.loads(data)
    curies = {t["curie"]: t for t in vocabulary["terms"]}
    ontology = Graph().parse(PROJECT_ROOT / "ontology" / "mkg.ttl", format="turtle")
    classes = {str(c) for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(MKG_NS)}
    assert classes and {f"mkg:{c[len(MKG_NS) :]}" for c in classes} <= set(curies)
    assert curies["mkg:Event"]["kind"] == "class" and curies["mkg:organizer"]["kind"] == "property"
    assert curies["schema:startDate"]["kind"] == "property"  # used by the data (shapes.ttl)
    assert vocabulary["prefixes"]["mkg"] == MKG_NS
    assert "VALUES ?s { }" in vocabulary["labels"]
