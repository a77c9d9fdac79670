"""The HTTP application: /health from a real uvicorn server started by `mkg serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.settings import Settings
from tests.conftest import Built


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(built: Built) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "MKG_STORE": str(built.settings.store)}
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    pytest.fail(f"server exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_health_over_real_http(server: str, built: Built) -> None:
    answer = httpx.get(f"{server}/health")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "triples": built.info.triples,
        "graph_version": built.info.version,
    }


def test_health_without_a_graph_is_503_with_a_json_message(tmp_path: object) -> None:
    settings = Settings(store=tmp_path / "empty")  # type: ignore[operator]
    with TestClient(create_app(settings)) as client:
        answer = client.get("/health")
    assert answer.status_code == 503
    assert answer.json()["error"] == "StoreError"
    assert "run `mkg build`" in answer.json()["detail"]
