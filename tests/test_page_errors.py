"""Pages answer their errors through the one error table (api.main.ERROR_STATUS): the same
status and the same shape, {"error", "detail", "request_id"}, as the JSON API, written on
an HTML page for a browser and as JSON for a client whose Accept prefers it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from api.deps import JSON, negotiate
from api.main import create_app
from api.pages import PAGE_POLICY
from tests.conftest import Built

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PROGRAM = {"Accept": "application/json"}
BAD_PAGES = [
    ("/viz/timeline?start=2006-13", 422, "ParseError"),
    ("/viz/timeline?doc=nope", 404, "NotFound"),
    ("/viz/timeline?theme=no-such-theme", 404, "NotFound"),
    ("/viz/network?start=someday", 422, "ParseError"),
    ("/viz/network?min_shared=0", 422, "InvalidRequest"),
    ("/viz/organizations/NO-SUCH-ORG", 404, "NotFound"),
    ("/viz/trace?instrument=A/RES/99/999", 404, "NotFound"),
    ("/viz/trace?instrument=A/RES/60/227&paragraph=999", 404, "NotFound"),
    ("/viz/trace?instrument=" + "x" * 301, 422, "ParseError"),
    ("/viz/mandates?status=done", 422, "ParseError"),
    ("/viz/mandates?instrument=A/RES/1/1", 404, "NotFound"),
    ("/id/org/NO-SUCH-ORGANIZATION", 404, "NotFound"),
]


@pytest.fixture(scope="module")
def client(built: Built) -> Iterator[TestClient]:
    with TestClient(create_app(built.settings)) as client:
        yield client


@pytest.mark.parametrize(("path", "status", "error"), BAD_PAGES)
def test_a_browser_gets_the_error_shape_on_a_page(
    client: TestClient, path: str, status: int, error: str
) -> None:
    answer = client.get(path, headers=BROWSER)
    as_json = client.get(path, headers=PROGRAM)
    assert answer.status_code == as_json.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"] == PAGE_POLICY
    body = as_json.json()
    assert set(body) == {"error", "detail", "request_id"} and body["error"] == error
    shown = re.search(r'data-error="([^"]*)">(.*?)</p>', answer.text, re.S)
    assert shown is not None
    assert (shown[1], unescape(shown[2])) == (error, body["detail"])
    assert f"<code>{answer.headers['x-request-id']}</code>" in answer.text
    assert "Traceback" not in answer.text


def test_a_page_error_keeps_the_form_to_correct_it(client: TestClient) -> None:
    """The page's own template shows the error: the trace page offers the instrument's
    paragraphs when only the paragraph is unknown; the timeline keeps the date typed."""
    trace = client.get("/viz/trace?instrument=A/RES/60/227&paragraph=999", headers=BROWSER)
    assert 'class="note problem trace-error"' in trace.text
    assert re.search(r'<option value="17"', trace.text)
    timeline = client.get("/viz/timeline?start=2006-13", headers=BROWSER)
    assert 'value="2006-13"' in timeline.text


def test_json_routes_and_unknown_routes_stay_json_for_a_browser(client: TestClient) -> None:
    for path, status in (("/api/events?start=2006-13", 422), ("/no/such/route", 404),
                         ("/viz/network.json?start=someday", 422)):  # fmt: skip
        answer = client.get(path, headers=BROWSER)
        assert answer.status_code == status
        assert set(answer.json()) == {"error", "detail", "request_id"}


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("", "text/html"),
        ("*/*", "text/html"),
        ("application/json", JSON),
        ("application/*", JSON),
        ("text/html;q=0.5, application/json", JSON),
        ("application/json;q=0.5, text/html", "text/html"),
        ("application/json, text/html", "text/html"),
        ("*/*;q=0.9, application/json", JSON),
        ("text/*;q=0.1, */*;q=0.5", JSON),  # the most specific range sets html's quality
        ("application/json;q=0, */*", "text/html"),
        ("APPLICATION/JSON", JSON),
        ("image/png", "text/html"),
    ],
)
def test_negotiation_by_quality_then_specificity_then_order(accept: str, chosen: str) -> None:
    """As RFC 9110 says: a type's quality is that of the most specific range matching it;
    the highest quality wins, ties go to the first offered."""
    assert negotiate(accept, {"text/html": None, JSON: None}) == chosen
