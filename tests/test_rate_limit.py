"""Per-client rate limiting: 429 with Retry-After past the limit, other clients unaffected.

The rest of the suite runs with rate limiting off (conftest); these tests turn it on.
"""

from __future__ import annotations

import time

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.settings import Settings
from tests.conftest import Built, RunMkg
from tests.servers import serve


def client(built: Built, limit: str, address: str = "10.0.0.1") -> TestClient:
    settings = Settings(store=built.settings.store, rate_limit=limit)
    return TestClient(create_app(settings), client=(address, 40000))


def test_past_its_limit_a_client_gets_429_with_retry_after(built: Built) -> None:
    with client(built, "5/minute") as first:
        assert all(first.get("/api/organizations").status_code == 200 for _ in range(5))
        refused = first.get("/api/organizations")
        assert refused.status_code == 429
        body = refused.json()
        assert body["error"] == "TooManyRequests"
        assert "5 requests per minute" in body["detail"]
        assert body["request_id"] == refused.headers["X-Request-ID"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        # every route counts against the same allowance, but /health and static files do not
        assert first.get("/api/events").status_code == 429
        assert first.get("/health").status_code == 200
        assert first.get("/static/network.css").status_code == 200
        # another client has its own allowance
        other = TestClient(first.app, client=("10.0.0.2", 40000))
        assert other.get("/api/organizations").status_code == 200


def test_retry_after_says_when_the_client_may_come_back(built: Built) -> None:
    with client(built, "2/second") as first:
        assert [first.get("/api/organizations").status_code for _ in range(3)] == [200, 200, 429]
        wait = int(first.get("/api/organizations").headers["Retry-After"])
        time.sleep(wait + 0.1)
        assert first.get("/api/organizations").status_code == 200


def test_several_limits_hold_at_once(built: Built) -> None:
    with client(built, "100/second;3/minute") as first:
        codes = [first.get("/api/organizations").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_off_means_no_limit(built: Built) -> None:
    with client(built, "off") as first:
        assert all(first.get("/api/organizations").status_code == 200 for _ in range(60))
    assert Settings(rate_limit="off").rate_limit is None
    # on by default for a server anyone may reach
    assert Settings.model_fields["rate_limit"].default


MALFORMED = {
    "MKG_RATE_LIMIT": (
        "lots",
        "mkg: error: MKG_RATE_LIMIT=lots: not a rate limit (couldn't parse rate limit string "
        "'lots'); e.g. 30/second;1200/minute",
    ),
    "MKG_TRUSTED_PROXIES": (
        "127.0.0.1,localhost",
        "mkg: error: MKG_TRUSTED_PROXIES=127.0.0.1,localhost: not an address or network: "
        "'localhost' (e.g. 127.0.0.1,10.0.0.0/8)",
    ),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_setting_is_one_line_from_the_command_line(
    run_mkg: RunMkg, built: Built, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    value, line = MALFORMED[name]
    monkeypatch.setenv(name, value)
    failed = run_mkg("top", "--limit", "1", settings=built.settings)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [line]


def forwarded_for(url: str, addresses: list[str]) -> list[int]:
    """The status codes of one request per address, each saying it forwards that address."""
    return [
        httpx.get(f"{url}/api/organizations", headers={"X-Forwarded-For": a}).status_code
        for a in addresses
    ]


def test_a_real_server_limits_by_client_address(built: Built) -> None:
    for url in serve(built.settings.store, rate_limit="3/minute"):
        codes = [httpx.get(f"{url}/api/organizations").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert httpx.get(f"{url}/health").status_code == 200


def test_forged_forwarded_headers_do_not_escape_the_limit(built: Built) -> None:
    # off by default: whatever X-Forwarded-For says, the client is its own address
    assert Settings().trusted_proxies is None
    for url in serve(built.settings.store, rate_limit="3/minute"):
        codes = forwarded_for(url, [f"203.0.113.{i}" for i in range(1, 6)])
        assert codes == [200, 200, 200, 429, 429]
        refused = httpx.get(f"{url}/api/organizations", headers={"X-Forwarded-For": "198.51.100.7"})
        assert "127.0.0.1" in refused.json()["detail"]


def test_a_named_proxy_is_believed_about_its_clients(built: Built) -> None:
    # the server is behind a proxy on loopback: the clients it forwards are told apart
    for url in serve(built.settings.store, rate_limit="3/minute", trusted_proxies="127.0.0.1"):
        assert forwarded_for(url, [f"203.0.113.{i}" for i in range(1, 6)]) == [200] * 5
        assert forwarded_for(url, ["198.51.100.7"] * 4) == [200, 200, 200, 429]
