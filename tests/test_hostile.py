"""Hostile parameters over a real server: negative and enormous paging, malformed dates,
path traversal in ids and static paths, 100 kB targets and bodies, unknown export formats,
unknown or repeated organizations in `path`. Each answer is a 4xx in the JSON error shape
(pages too, when asked for JSON), never a 5xx, and never holds a file's text.

Requests go out as raw bytes (http.client, the target as written): httpx would resolve
`..` and re-encode the path before it left. One server serves the whole module.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from api.docs import ASSETS
from api.main import STATIC
from api.pages import VIS_NETWORK
from graph.settings import PROJECT_ROOT, Settings
from tests.conftest import CALENDAR_DOC, CORPUS, Built
from tests.servers import serve

JSON = "application/json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LIMIT = Settings().max_request_bytes
BIG = "x" * 100_000
"""A 100 kB parameter: over the request-target limit."""
UP = "../" * 16
"""More levels than any served folder is deep: from any of them, to the root."""
OUTSIDE = [
    Path("/etc/passwd"),
    PROJECT_ROOT / "pyproject.toml",
    CORPUS / "manifest.yaml",
    CORPUS / f"{CALENDAR_DOC}.txt",
    PROJECT_ROOT / "api" / "main.py",
]
"""Files outside the served folders: no answer may hold their text."""


def _first_line(path: Path) -> str:
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


LEAK_MARKERS = [_first_line(p) for p in OUTSIDE if p.exists()] + ["[project]", "root:x:0:0"]


@dataclass(frozen=True)
class Answer:
    """A response as it came off the wire."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes


@pytest.fixture(scope="module")
def server(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # to a file: a pipe nobody reads would fill with access lines (a 100 kB target is
    # logged whole) and stop the server
    yield from serve(built.settings.store, log=tmp_path_factory.mktemp("hostile") / "server.log")


def send(
    server: str,
    target: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Answer:
    """One request with the target exactly as given (no normalization, no re-encoding)."""
    url = urlsplit(server)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        sent = {"Accept": JSON, **(headers or {})}
        if body is not None and "Transfer-Encoding" not in sent:
            sent["Content-Length"] = str(len(body))
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def assert_no_file(answer: Answer) -> None:
    """The answer holds no line of a file outside the served folders."""
    text = answer.body.decode("utf-8", errors="replace")
    for marker in LEAK_MARKERS:
        assert marker not in text, f"the answer holds {marker!r}"


def assert_refused(answer: Answer, status: int, reason: str = "") -> None:
    """The answer is `status` in the JSON error shape, with the request id and a detail
    that says `reason`, and holds no file."""
    assert_no_file(answer)
    assert answer.status == status, answer.body[:300]
    assert answer.headers["content-type"] == JSON
    body = json.loads(answer.body)
    assert set(body) == {"error", "detail", "request_id"}
    assert body["detail"] and reason in body["detail"]
    assert body["request_id"] == answer.headers["X-Request-ID"]


def cases(targets: dict[str, int]) -> list[object]:
    """pytest params from {target: status}, each named by its target (cut to be readable)."""
    return [
        pytest.param(t, s, id=t if len(t) <= 80 else f"{t[:60]}...({len(t):,} bytes)")
        for t, s in targets.items()
    ]


# ------------------------------------------------------------------------- paging bounds

LISTS = [
    "/api/organizations",
    "/api/events",
    "/api/instruments",
    "/api/analytics/cosponsors",
    "/api/analytics/pairs",
    "/api/analytics/centrality",
    "/api/analytics/communities",
]
BAD_PAGING = [
    "limit=-1",
    "limit=0",
    f"limit={10**12}",
    "limit=99999999999999999999999",  # more than an int64
    "limit=abc",
    "limit=",
    "limit=1.5",
    "offset=-1",
    f"offset={10**12}",
    "offset=99999999999999999999999",
    "offset=abc",
]
NETWORK_SIZES = [
    "max_nodes=-1",
    "max_nodes=0",
    f"max_nodes={10**12}",
    "max_nodes=99999999999999999999999",
    "min_shared=-1",
    f"min_shared={10**12}",
    "min_shared=abc",
]
PAGING = {f"{route}?{q}": 422 for route in LISTS for q in BAD_PAGING} | {
    f"{route}?{q}": 422 for route in ("/viz/network", "/viz/network.json") for q in NETWORK_SIZES
}


@pytest.mark.parametrize(("target", "status"), cases(PAGING))
def test_paging_out_of_bounds_is_422(server: str, target: str, status: int) -> None:
    assert_refused(send(server, target), status)


# -------------------------------------------------------------------------------- dates

BAD_DATES = [
    "2006-13",
    "2006-02-30",
    "0000",
    "99999",
    "2006'; DROP",
    "\uff12\uff10\uff10\uff16",
    "2006-1",
    "",
]
"""Malformed: no month 13, no 30 February, no year 0, five digits, SQL, full-width
digits, a one-digit month; empty, on the JSON routes (the pages' forms send empty fields
for "no filter")."""
DATED_JSON = [
    "/api/organizations?",
    "/api/events?",
    "/api/analytics/cosponsors?",
    "/api/analytics/pairs?",
    "/api/analytics/centrality?",
    "/api/analytics/communities?",
    "/api/analytics/path?source=IOM&target=UNFPA&",
    "/api/export?format=csv&",
    "/api/export?format=gexf&",
]
DATED_PAGES = ["/viz/network?", "/viz/network.json?", "/viz/timeline?"]
DATES = {
    f"{route}{name}={quote(value)}": 422
    for route in DATED_JSON
    for name in ("start", "end")
    for value in BAD_DATES
} | {
    f"{route}{name}={quote(value)}": 422
    for route in DATED_PAGES
    for name in ("start", "end")
    for value in BAD_DATES
    if value
}


@pytest.mark.parametrize(("target", "status"), cases(DATES))
def test_a_malformed_date_is_422(server: str, target: str, status: int) -> None:
    assert_refused(send(server, target), status)


def test_a_browser_still_gets_the_page_that_says_what_is_wrong(server: str) -> None:
    answer = send(server, "/viz/network?start=%EF%BC%92%EF%BC%90%EF%BC%90%EF%BC%96",
                  headers={"Accept": BROWSER})  # fmt: skip
    assert answer.status == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "malformed date" in answer.body.decode()
    assert_no_file(answer)


# -------------------------------------------------------------------- ids and traversal

ID_ROUTES = [
    "/api/events/",
    "/api/organizations/",
    "/api/instruments/",
    "/id/org/",
    "/viz/organizations/",
]
CLIMBING = [
    UP + "etc/passwd",
    "..%2f" * 16 + "etc%2fpasswd",
    "%2e%2e/" * 16 + "pyproject.toml",
    "%2e%2e%2f" * 16 + "pyproject.toml",
    "%2E%2E%2F" * 16 + "corpus%2Fmanifest.yaml",
    "..%5c" * 16 + "pyproject.toml",
    "..\\" * 16 + "pyproject.toml",
    "IOM/../../../../pyproject.toml",
]
CONTROL = ["IOM%00", "%00", "a%00b", "IOM%0d%0aSet-Cookie:%20a=b", "IOM%09"]
"""NUL bytes, a header injection, a tab: no id holds a control character."""
UNKNOWN_IDS = {
    "%252e%252e%252fpyproject.toml": 404,  # double-encoded: an id that names nothing
    "%2Fetc%2Fpasswd": 404,  # absolute
    "file:%2F%2F%2Fetc%2Fpasswd": 404,
    "%C3%A9v%C3%A9nement": 404,
    "%EF%BC%A9%EF%BC%AF%EF%BC%AD": 404,  # full-width IOM
    "%F0%9F%92%A3": 404,
    "%E2%80%AEMOI": 404,  # right-to-left override
    "x" * 10_000: 422,
}
IDS = {route + value: s for route in ID_ROUTES for value, s in UNKNOWN_IDS.items()} | {
    # invalid UTF-8: decoded to U+FFFD, which names nothing and is no IRI character
    "/api/events/%ff%fe": 404,
    "/api/organizations/%ff": 404,
    "/api/instruments/%ff": 404,
    "/viz/organizations/%ff": 404,
    "/id/org/%ff": 422,
}


@pytest.mark.parametrize(("target", "status"), cases(IDS))
def test_a_hostile_id_names_nothing(server: str, target: str, status: int) -> None:
    assert_refused(send(server, target), status)


ID_PARAMETERS = [
    "/api/events?doc=",
    "/api/analytics/cosponsors?doc=",
    "/api/export?format=turtle&doc=",
    "/api/export?format=trig&doc=",
    "/api/export?format=csv&doc=",
    "/api/trace?instrument=",
    "/viz/trace?instrument=",
    "/viz/network?doc=",
    "/viz/timeline?doc=",
]
"""Ids in the query string: matched against the graph, never against a file name."""
PARAMETERS = {
    route + value: 404
    for route in ID_PARAMETERS
    for value in [
        UP + "etc/passwd",
        "..%2f..%2fcorpus%2fmanifest.yaml",
        "%2Fetc%2Fpasswd",
        "..%5c..%5cpyproject.toml",
        f"..%2fcorpus%2f{CALENDAR_DOC}",
        "%252e%252e%252fpyproject.toml",
    ]
} | {"/viz/trace?instrument=A%2FRES%00": 422, "/api/trace?instrument=%00": 404}


@pytest.mark.parametrize(("target", "status"), cases(PARAMETERS))
def test_a_path_in_a_parameter_names_nothing(server: str, target: str, status: int) -> None:
    assert_refused(send(server, target), status)


def _climb(folder: Path, to: Path) -> str:
    return os.path.relpath(to, folder).replace(os.sep, "/")


SERVED = {"/static/": STATIC, "/static/vendor/vis-network/": VIS_NETWORK,
          "/static/vendor/openapi/": ASSETS}  # fmt: skip
CLIMBS = "climbs out of its folder"
CONTROLS = "control character"
GUARDED = (
    {route + value: CLIMBS for route in ID_ROUTES for value in CLIMBING}
    | {route + value: CONTROLS for route in ID_ROUTES for value in CONTROL}
    | {
        prefix + way(_climb(folder, target)): CLIMBS
        for prefix, folder in SERVED.items()
        for target in OUTSIDE
        for way in (
            lambda p: p,
            lambda p: p.replace("..", "%2e%2e"),
            lambda p: p.replace("../", "..%2f"),
            lambda p: p.replace("../", "%2e%2e%2f"),
            lambda p: p.replace("../", "..%5c"),
            lambda p: p.replace("../", "..\\"),
        )
    }
    | {
        "/../../../../etc/passwd": CLIMBS,
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd": CLIMBS,
        "/static/../../corpus/manifest.yaml": CLIMBS,
        "/static/network.js%00.txt": CONTROLS,
        "/static/%00": CONTROLS,
        "/static/vendor/vis-network/vis-network.min.js%00": CONTROLS,
    }
)
"""Refused before routing, whatever route or folder they name (404: nothing is there)."""


@pytest.mark.parametrize(
    ("target", "reason"), [pytest.param(t, r, id=t[:80]) for t, r in GUARDED.items()]
)
def test_a_climbing_or_control_character_path_is_refused_before_routing(
    server: str, target: str, reason: str
) -> None:
    assert_refused(send(server, target), 404, reason)


STATIC_MISSES = {
    "/static/%252e%252e%252f%252e%252e%252fpyproject.toml": 404,
    "/static/..%252f..%252fpyproject.toml": 404,
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/pyproject.toml": 404,  # overlong UTF-8 dots
    "/static//etc/passwd": 404,
    "/static/%2fetc%2fpasswd": 404,
    "/static/vendor/vis-network//etc/passwd": 404,
    "/corpus/manifest.yaml": 404,
    f"/corpus/{CALENDAR_DOC}.txt": 404,
    "/pyproject.toml": 404,
}
"""Double encoding, absolute paths, files by their own names: they name nothing served."""


@pytest.mark.parametrize(("target", "status"), cases(STATIC_MISSES))
def test_static_folders_serve_nothing_outside_them(server: str, target: str, status: int) -> None:
    assert_refused(send(server, target), status)


def test_static_files_are_still_served(server: str) -> None:
    for target in ["/static/network.js", "/static/vendor/vis-network/vis-network.min.js"]:
        answer = send(server, target, headers={"Accept": "*/*"})
        assert answer.status == 200 and answer.body
        assert_no_file(answer)


# ------------------------------------------------------------------------ export formats

FORMATS = {
    "/api/export?format=" + quote(f, safe="%"): 422
    for f in [UP + "etc/passwd", "..%2f..%2fetc%2fpasswd", "rdfxml", "", "TURTLE", "turtle\x00",
              "turtle.ttl", "xlsx", "x" * 300]
} | {
    "/api/export": 422,
    "/api/export?format=turtle&format=../../etc/passwd": 422,
    "/id/org/IOM?format=" + quote(UP + "etc/passwd"): 422,
    "/id/org/IOM?format=": 422,
}  # fmt: skip


@pytest.mark.parametrize(("target", "status"), cases(FORMATS))
def test_an_unknown_export_format_is_422(server: str, target: str, status: int) -> None:
    assert_refused(send(server, target), status)


# ---------------------------------------------------------------------------------- path

PATHS = {
    "/api/analytics/path?source=NOPE&target=NADA": 404,
    "/api/analytics/path?source=IOM&target=NOPE": 404,
    "/api/analytics/path?source=NOPE&target=IOM": 404,
    "/api/analytics/path?source=" + quote(UP + "etc/passwd") + "&target=IOM": 404,
    "/api/analytics/path?source=IOM%00&target=IOM": 404,
    "/api/analytics/path?source=IOM&target=IOM": 422,
    "/api/analytics/path?source=IOM&target=iom": 422,
    "/api/analytics/path?source=IOM&target=International%20Organization%20for%20Migration": 422,
    "/api/analytics/path?source=IOM": 422,
    "/api/analytics/path?target=IOM": 422,
    "/api/analytics/path": 422,
    "/api/analytics/path?source=&target=": 422,
    "/api/analytics/path?source=%20&target=IOM": 422,
    "/api/analytics/path?source=IOM&target=%20%09": 422,
    "/api/analytics/path?source=IOM&target=" + "x" * 301: 422,
    "/api/organizations/%20": 422,
    "/viz/organizations/%20": 422,
}


@pytest.mark.parametrize(("target", "status"), cases(PATHS))
def test_path_between_unknown_blank_or_identical_organizations(
    server: str, target: str, status: int
) -> None:
    assert_refused(send(server, target), status)


def test_a_blank_organizer_filter_is_no_filter(server: str) -> None:
    def total(target: str) -> int:
        answer = send(server, target)
        assert answer.status == 200
        return int(json.loads(answer.body)["total"])

    assert total("/api/events?org=%20&limit=1") == total("/api/events?limit=1")


# ------------------------------------------------------------------------- 100 kB requests

LONG = {
    f"/api/events?q={BIG}": 414,
    f"/api/events?limit=1&pad={BIG}": 414,
    f"/api/events/{BIG}": 414,
    f"/api/analytics/path?source={BIG}&target=IOM": 414,
    f"/api/export?format=csv&doc={BIG}": 414,
    f"/viz/network?theme={BIG}": 414,
    f"/viz/network?{'&'.join(['start=2006'] * 12_000)}": 414,
    f"/viz/network.json?org={BIG}": 414,
    f"/?q={BIG}": 414,
    f"/id/org/{BIG}": 414,
    f"/static/{BIG}": 414,
    f"/reconcile?queries={BIG}": 414,
    f"/reconcile/suggest/entity?prefix={BIG}": 414,
    f"/sparql?query={BIG}": 413,  # the query string is the request: the endpoint's own cap
    f"/sparql?query=%23{BIG}%0AASK%20%7B%7D": 413,
}


@pytest.mark.parametrize(("target", "status"), cases(LONG))
def test_a_100_kb_target_is_refused_before_routing(server: str, target: str, status: int) -> None:
    assert_refused(send(server, target), status)


def test_a_target_under_the_limit_is_routed(server: str) -> None:
    answer = send(server, f"/api/events?limit=1&pad={'x' * (LIMIT - 100)}")
    assert answer.status == 200
    assert json.loads(answer.body)["limit"] == 1


SPARQL_BODY = ("#" + BIG + "\nASK {}").encode()


@pytest.mark.parametrize(
    ("target", "content_type", "body"),
    [
        ("/sparql", "application/sparql-query", SPARQL_BODY),
        ("/sparql", "application/x-www-form-urlencoded", b"query=" + SPARQL_BODY),
        ("/sparql", "text/plain", SPARQL_BODY),
        (f"/sparql?query={BIG}", "application/x-www-form-urlencoded", b"query=ASK%20%7B%7D"),
        (f"/sparql?pad={BIG}", "application/sparql-query", b"ASK {}"),
    ],
    ids=["direct", "form", "other-type", "query-string", "padded-query-string"],
)
def test_a_sparql_post_over_the_limit_is_413(
    server: str, target: str, content_type: str, body: bytes
) -> None:
    assert_refused(send(server, target, "POST", {"Content-Type": content_type}, body), 413)


def test_a_chunked_sparql_body_over_the_limit_is_413(server: str) -> None:
    chunks = [SPARQL_BODY[i : i + 8192] for i in range(0, len(SPARQL_BODY), 8192)]
    framed = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    headers = {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"}
    assert_refused(send(server, "/sparql", "POST", headers, framed), 413)


def test_a_1_mb_header_is_refused_before_anything_reads_it(server: str) -> None:
    for name in ("Accept", "X-Anything"):
        answer = send(server, "/sparql?query=ASK%20%7B%7D", headers={name: "a/b," * 250_000})
        assert_refused(answer, 431, "longer than 8,192 bytes")
    # a long but reasonable Accept is still negotiated
    answer = send(server, "/sparql?query=ASK%20%7B%7D", headers={"Accept": "text/csv;q=0.5," * 400})
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    "target", ["/health", "/api/organizations", "/api/organizations/nobody", "/", "/sparql"]
)
def test_every_answer_says_nosniff_and_no_referrer(server: str, target: str) -> None:
    answer = send(server, target, headers={"Accept": BROWSER})
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("target", ["/api/organizations/", "/viz/network/", "/sparql/", "//evil/"])
def test_a_forged_host_is_never_a_redirect_target(server: str, target: str) -> None:
    answer = send(server, target, headers={"Host": "evil.example"})
    if answer.status in (301, 302, 307, 308):
        location = answer.headers["Location"]
        assert "evil.example" not in location and location.startswith("/")
        assert not location.startswith("//")


def test_options_and_other_methods_say_what_sparql_allows(server: str) -> None:
    options = send(server, "/sparql", "OPTIONS")
    assert options.status == 204
    assert {m.strip() for m in options.headers["Allow"].split(",")} >= {"GET", "POST"}
    for method in ("PUT", "DELETE", "PATCH"):
        refused = send(server, "/sparql", method)
        assert_refused(refused, 405)
        assert {m.strip() for m in refused.headers["Allow"].split(",")} >= {"GET", "POST"}


@pytest.fixture(scope="module")
def impatient(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server that gives clients one second to send their request."""
    log = tmp_path_factory.mktemp("impatient") / "server.log"
    yield from serve(built.settings.store, log=log, client_timeout="1")


def _closed_by_server(server: str, sent: bytes) -> bytes:
    """Send `sent` and nothing more; what the server sends before it closes (b"" when
    it just closes). Fails if it keeps the connection open for a minute."""
    url = urlsplit(server)
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80)) as sock:
        sock.settimeout(60)
        sock.sendall(sent)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


@pytest.mark.parametrize(
    "sent",
    [b"", b"GET /health HTTP/1.1\r\n", b"GET /health HTTP/1.1\r\nHost: x\r\nAccept: a"],
    ids=["idle", "request line only", "half the headers"],
)
def test_idle_and_half_sent_connections_are_closed(impatient: str, sent: bytes) -> None:
    assert _closed_by_server(impatient, sent) == b""
    assert send(impatient, "/health").status == 200


def test_a_kept_alive_connection_that_goes_quiet_is_closed(impatient: str) -> None:
    first = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    received = _closed_by_server(impatient, first + b"GET /health HTTP/1.1\r\n")
    assert received.startswith(b"HTTP/1.1 200") and received.count(b"HTTP/1.1") == 1


def test_a_half_sent_body_is_408(impatient: str) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK"
    )
    received = _closed_by_server(impatient, head)
    assert received.startswith(b"HTTP/1.1 408")
    assert b'"error":"ProtocolError"' in received


def test_the_server_is_well_after_all_this(server: str) -> None:
    answer = send(server, "/health")
    assert answer.status == 200 and json.loads(answer.body)["status"] == "ok"
