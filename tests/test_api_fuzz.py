"""schemathesis against the REST routes, in-process: requests generated from the OpenAPI
schema, valid and invalid, find no 5xx, no undocumented status and no answer that breaks
its declared schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from tests.conftest import Built
from tests.fuzzing import fuzz, operations_of

EXAMPLES_PER_ROUTE = 30


@pytest.fixture(scope="module")
def app(built: Built) -> Iterator[FastAPI]:
    served = create_app(built.settings)
    with TestClient(served):  # runs the lifespan: the store is open while the tests run
        yield served


def rest_operations(app: FastAPI) -> list[schemathesis.APIOperation]:
    return operations_of(app, r"^/(api/|health)")


def test_the_fuzzed_routes_are_every_rest_route(app: FastAPI) -> None:
    labels = {op.label for op in rest_operations(app)}
    assert {"GET /api/events", "GET /api/trace", "GET /api/analytics/path", "GET /health"} <= labels


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=str)
def test_rest_routes_keep_their_contract(app: FastAPI, mode: schemathesis.GenerationMode) -> None:
    for operation in rest_operations(app):
        if mode == schemathesis.GenerationMode.NEGATIVE and not operation.definition.raw.get(
            "parameters"
        ):
            continue  # nothing to get wrong
        fuzz(operation, mode, EXAMPLES_PER_ROUTE)


def test_every_route_is_documented_with_examples(app: FastAPI) -> None:
    spec = app.openapi()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            assert op.get("description") or op.get("summary"), where
            for parameter in op.get("parameters", []):
                assert (
                    "example" in parameter
                    or "examples" in parameter
                    or "examples" in parameter["schema"]
                    or "enum" in parameter["schema"]
                    or (
                        "anyOf" in parameter["schema"]
                        and any("enum" in s for s in parameter["schema"]["anyOf"])
                    )
                ), f"{where}: parameter {parameter['name']} has no example"
            assert "200" in op["responses"], where
            assert "404" in op["responses"] or "400" in op["responses"], where
    for name, schema in spec["components"]["schemas"].items():
        if name in {"HTTPValidationError", "ValidationError"}:
            continue
        for field, definition in schema.get("properties", {}).items():
            described = "examples" in definition or "$ref" in definition or "anyOf" in definition
            assert described or definition.get("type") == "array", f"{name}.{field}: no example"
