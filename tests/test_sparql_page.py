"""The SPARQL query page for browsers, and the example queries it offers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routers.sparql import example_queries
from tests.conftest import Built


@pytest.fixture(scope="module")
def client(built: Built) -> Iterator[TestClient]:
    with TestClient(create_app(built.settings)) as test_client:
        yield test_client


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
