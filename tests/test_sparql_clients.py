"""A real third-party SPARQL client (SPARQLWrapper) gets the same answers as the store."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from rdflib import Graph
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from graph.read.terms import rows
from tests.conftest import Built
from tests.test_api import server as api_server  # noqa: F401  (the real-server fixture)

SELECT = """
PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?org ?label (COUNT(DISTINCT ?e) AS ?events) WHERE {
  ?e a mkg:Event ; mkg:organizer ?org . ?org skos:prefLabel ?label
} GROUP BY ?org ?label ORDER BY DESC(?events) ?label LIMIT 10
"""
CONSTRUCT = """
PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?org skos:prefLabel ?label } WHERE { ?org mkg:acronym ?a ; skos:prefLabel ?label }
"""


@pytest.fixture
def endpoint(api_server: str) -> Iterator[str]:  # noqa: F811
    yield f"{api_server}/sparql"


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_matches_the_store(endpoint: str, built: Built, method: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    client.setMethod(method)
    answer = client.query().convert()
    remote = [
        (b["org"]["value"], b["label"]["value"], int(b["events"]["value"]))
        for b in answer["results"]["bindings"]  # type: ignore[index]
    ]
    local = [
        (str(r["org"]), str(r["label"]), int(r["events"]))  # type: ignore[call-overload]
        for r in rows(built.store.query(SELECT))
    ]
    assert remote == local
    assert remote[0][1] == "International Organization for Migration"


def test_sparqlwrapper_construct_matches_the_store(endpoint: str, built: Built) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    remote = Graph().parse(data=client.query().convert(), format="turtle")
    triples = built.store.query(CONSTRUCT).serialize(format=ox.RdfFormat.N_TRIPLES)  # type: ignore[union-attr]
    local = Graph().parse(data=triples, format="nt")
    assert len(remote) == len(local) > 50
    assert set(remote) == set(local)
