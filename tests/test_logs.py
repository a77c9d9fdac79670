"""Structured logs: one JSON object a line, the request id on every line a request writes,
and the same id in the answer's header and in any error body."""

from __future__ import annotations

import json
import logging
import os
import pty
import re
import select
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx2 as httpx
import pytest
from asgi_correlation_id import CorrelationIdFilter
from fastapi.testclient import TestClient

from api.logs import resolve
from api.main import create_app
from graph.settings import Settings
from tests.conftest import Built
from tests.servers import free_port, serve

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def served_log(built: Built, tmp_path: Path) -> tuple[list[dict[str, object]], dict[str, str]]:
    """Requests to a real server; its log lines, and the request id each request got."""
    log = tmp_path / "server.log"
    ids: dict[str, str] = {}
    for url in serve(built.settings.store, log=log, log_format="json", query_timeout="1"):
        chosen = uuid.uuid4().hex
        answers = {
            "ok": httpx.get(f"{url}/api/organizations/IOM"),
            "missing": httpx.get(f"{url}/api/organizations/NO-SUCH-ORG"),
            "slow": httpx.get(f"{url}/sparql", params={"query": ENDLESS}, timeout=30),
            "chosen": httpx.get(f"{url}/api/events?limit=1", headers={"X-Request-ID": chosen}),
            "long": httpx.get(f"{url}/api/organizations", params={"q": "x" * 50_000}),
        }
        assert [a.status_code for a in answers.values()] == [200, 404, 503, 200, 422]
        for name, answer in answers.items():
            ids[name] = answer.headers["X-Request-ID"]
            if answer.status_code >= 400:
                assert answer.json()["request_id"] == ids[name]
        assert ids["chosen"] == chosen  # a client's own id is kept, so it can find its lines
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return lines, ids


def test_every_line_is_json_with_the_request_id_of_the_request_that_wrote_it(
    built: Built, tmp_path: Path
) -> None:
    lines, ids = served_log(built, tmp_path)
    assert lines
    for line in lines:
        assert {"time", "level", "logger", "request_id", "message"} <= set(line), line
    by_id: dict[object, list[dict[str, object]]] = {}
    for line in lines:
        by_id.setdefault(line["request_id"], []).append(line)
    # each request's access line carries its id, with its parts as fields
    expected = {"ok": 200, "missing": 404, "slow": 503, "chosen": 200, "long": 422}
    for name, status in expected.items():
        [access] = [line for line in by_id[ids[name]] if line["logger"] == "uvicorn.access"]
        assert access["status"] == status and access["method"] == "GET"
        assert len(json.dumps(access)) < 5000  # a 50 kB URL is cut short
    # what the server said while answering the slow query is filed under that request
    said = [line["message"] for line in by_id[ids["slow"]] if line["logger"] != "uvicorn.access"]
    assert any("exceeded" in str(message) for message in said), said
    # lines written outside any request (start-up, shutdown) say so
    assert any(line["message"] == "Application startup complete." for line in by_id["-"])
    readiness = {line["request_id"] for line in lines if line.get("path") == "/health"}
    assert set(by_id) - readiness == {"-", *ids.values()}


def test_a_bug_answers_500_with_the_id_its_traceback_is_logged_under(
    built: Built, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(store=built.settings.store))

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    caplog.handler.addFilter(CorrelationIdFilter())
    with (
        caplog.at_level(logging.ERROR, logger="api.main"),
        TestClient(app, raise_server_exceptions=False) as client,
    ):
        answer = client.get("/broken")
    assert answer.status_code == 500
    assert answer.json()["error"] == "InternalError"
    assert "a bug" not in answer.text  # the details stay in the log
    request_id = answer.headers["X-Request-ID"]
    assert answer.json()["request_id"] == request_id
    [record] = [r for r in caplog.records if r.name == "api.main"]
    assert record.correlation_id == request_id  # type: ignore[attr-defined]
    assert record.exc_info is not None and "a bug" in str(record.exc_info[1])


def test_text_logs_carry_the_id_too(built: Built, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    for url in serve(built.settings.store, log=log, log_format="text"):
        request_id = httpx.get(f"{url}/health").headers["X-Request-ID"]
    assert any(f"[{request_id}] uvicorn.access" in line for line in log.read_text().splitlines())


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_auto_means_console_on_a_terminal_and_json_elsewhere(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as terminal:
            assert resolve("auto", terminal) == "console"
        with (tmp_path / "server.log").open("w") as file:
            assert resolve("auto", file) == "json"
        assert resolve("text", None) == "text"
    finally:
        os.close(leader)
        os.close(follower)
    assert Settings().log_format == "auto"


def _read_until(leader: int, wanted: str, seen: list[str], seconds: float = 60) -> None:
    """Read the terminal into `seen` (lines, colours removed) until a line holds `wanted`."""
    buffer = ""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if not ready:
            continue
        buffer += os.read(leader, 65536).decode("utf-8", "replace")
        *lines, buffer = buffer.replace("\r", "").split("\n")
        seen.extend(ANSI.sub("", line) for line in lines)
        if any(wanted in line for line in seen):
            return
    raise AssertionError(f"never saw {wanted!r} in {seen}")


def test_serve_on_a_terminal_prints_readable_lines_and_the_address(built: Built) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MKG_LOG_FORMAT"}
    env["MKG_STORE"] = str(built.settings.store)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    seen: list[str] = []
    try:
        _read_until(leader, "is ready", seen)
        url = f"http://127.0.0.1:{port}"
        assert any(f"open {url} in a browser" in line for line in seen), seen
        answer = httpx.get(f"{url}/api/organizations/IOM")
        _read_until(leader, "GET /api/organizations/IOM 200", seen)
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.close(leader)
    assert not any(line.lstrip().startswith("{") for line in seen), seen
    [access] = [line for line in seen if "GET /api/organizations/IOM 200" in line]
    assert re.match(r"^\d\d:\d\d:\d\d  GET ", access)
    assert f"[{answer.headers['X-Request-ID'][:8]}]" in access


def test_serve_to_a_file_writes_json_with_the_address(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "server.log"
    monkeypatch.delenv("MKG_LOG_FORMAT", raising=False)
    for url in serve(built.settings.store, log=log):
        httpx.get(f"{url}/health")
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    ready = [line for line in lines if line["logger"] == "mkg.serve"]
    assert len(ready) == 1 and f"open {url} in a browser" in str(ready[0]["message"])
