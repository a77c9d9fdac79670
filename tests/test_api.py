"""The HTTP application: /health from a real uvicorn server started by `mkg serve`."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.settings import Settings
from tests.conftest import Built
from tests.servers import free_port, serve


@pytest.fixture
def server(built: Built) -> Iterator[str]:
    yield from serve(built.settings.store)


def test_health_over_real_http(server: str, built: Built) -> None:
    answer = httpx.get(f"{server}/health")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "triples": built.info.triples,
        "graph_version": built.info.version,
        "served_from": "memory",
    }


def test_health_without_a_graph_is_503_with_a_json_message(tmp_path: object) -> None:
    settings = Settings(store=tmp_path / "empty")  # type: ignore[operator]
    with TestClient(create_app(settings)) as client:
        answer = client.get("/health")
    assert answer.status_code == 503
    assert answer.json()["error"] == "StoreError"
    assert "run `mkg build`" in answer.json()["detail"]


def test_an_unreachable_remote_store_is_503_that_says_so() -> None:
    settings = Settings(store=f"sparql+http://127.0.0.1:{free_port()}/sparql")  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        answer = client.get("/api/events")
    assert answer.status_code == 503
    assert answer.json()["error"] == "StoreError"
    assert "127.0.0.1" in answer.json()["detail"]
