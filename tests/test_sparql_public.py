"""/sparql as a public endpoint, probed as an attacker would, over `mkg serve` with its
defaults (rate limiting aside, off for the suite): one heavy query cannot stall the
server, answers are bounded in bytes, ordinary queries do not crash the engine, and one
client cannot hold every worker.

Clients are told apart by address: each test client binds its own loopback address
(127.0.0.2, 127.0.0.3, ...), as separate machines would connect from their own.
No assertion is on time: "/health answers" is checked while the heavy queries are still
in flight; the latencies are measured by benchmarks/bench_public.py.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pyoxigraph as ox
import pytest

from api.routers.sparql import Shares, TooManyQueries
from benchmarks.bench_public import memory
from graph.settings import Settings
from tests.conftest import Built
from tests.servers import PIDS, ask, serve

DEFAULTS = Settings()
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json"]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MALFORMED = "SELECT ?x WHERE { BIND(" + "+".join(["1"] * 2000) + " AS ?x }"
"""4 KB, 2,000 terms, a parenthesis missing: seconds of rdflib's parser before it fails."""
SHORT_MALFORMED = "SELECT ?x WHERE { BIND(" + "+".join(["1"] * 50) + " AS ?x }"
LONG_VALID = "SELECT ?x WHERE { BIND(" + "+".join(["1"] * 8000) + " AS ?x) }"
"""16 KB, 8,000 terms: valid, and once a segfault in the engine."""


def doubled(times: int, rows: int, seed: str = "0123456789abcdef") -> str:
    """A short query whose answer is `rows` strings of len(seed) * 2**times characters."""
    binds = " ".join(
        f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times)
    )  # each doubles the one before
    return (
        f"SELECT ?a{times} WHERE {{ {{ SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {rows} }} "
        f'BIND("{seed}" AS ?a0) {binds} }}'
    )


PROBE = "SELECT ?probe WHERE {"
"""Malformed, so once refused it is answered from memory without a worker: while a client
has its share running the probe gets 429, else 400, and it never takes a worker."""


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[str]:
    for url in serve(built.settings.store):
        assert httpx.post(f"{url}/sparql", data={"query": PROBE}).status_code == 400
        yield url


def client(address: str, timeout: float = 60) -> httpx.Client:
    """An HTTP client connecting from its own loopback address."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=timeout)


class InFlight:
    """Requests sent on threads; `pending()` says whether any has not answered yet."""

    def __init__(self) -> None:
        self.answers: dict[str, httpx.Response] = {}
        self._threads: list[threading.Thread] = []

    def send(self, name: str, address: str, query: str) -> None:
        def run() -> None:
            with client(address) as c:
                self.answers[name] = c.post(f"{self.url}/sparql", data={"query": query})

        thread = threading.Thread(target=run)
        self._threads.append(thread)
        thread.start()

    url = ""

    def pending(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def wait(self) -> dict[str, httpx.Response]:
        for thread in self._threads:
            thread.join()
        return self.answers


def in_flight(url: str) -> InFlight:
    found = InFlight()
    found.url = url
    return found


def started(flight: InFlight, address: str) -> None:
    """Wait until the server has taken up a request of this client (its share is held)."""
    with client(address) as c:
        while flight.pending():
            answer = c.post(f"{flight.url}/sparql", data={"query": PROBE})
            if answer.status_code == 429:
                return
            assert answer.status_code == 400
            threading.Event().wait(0.05)
    answers = {k: (v.status_code, v.text[:300]) for k, v in flight.wait().items()}
    pytest.fail(f"the request from {address} answered before it was seen running: {answers}")


def test_health_answers_while_long_queries_are_parsed(server: str) -> None:
    heavy = in_flight(server)
    heavy.send("malformed", "127.0.0.2", MALFORMED)
    heavy.send("valid", "127.0.0.3", LONG_VALID)
    started(heavy, "127.0.0.2")
    started(heavy, "127.0.0.3")
    healthy = []
    while heavy.pending() and len(healthy) < 5:
        health = httpx.get(f"{server}/health", timeout=60)
        if heavy.pending():  # answered while both were still being parsed or run
            healthy.append(health.status_code)
    answers = heavy.wait()
    assert healthy and set(healthy) == {200}
    # refused, or (on a machine busy enough) stopped at the time limit, never a crash
    malformed = answers["malformed"]
    assert malformed.status_code in (400, 503)
    if malformed.status_code == 400:
        assert malformed.json()["detail"].startswith("malformed SPARQL")
    else:
        assert malformed.json()["error"] == "TimedOut"
    # 16 KB of valid SPARQL: it answers, or meets the time limit; the engine never crashes
    assert answers["valid"].status_code in (200, 503)
    if answers["valid"].status_code == 503:
        assert answers["valid"].json()["error"] == "TimedOut"


def test_a_refused_query_is_remembered_and_needs_no_worker(server: str) -> None:
    with client("127.0.0.2") as c:
        first = c.post(f"{server}/sparql", data={"query": SHORT_MALFORMED})
    assert first.status_code == 400
    # both workers busy with other clients' runaway queries
    heavy = in_flight(server)
    heavy.send("a", "127.0.0.4", RUNAWAY)
    heavy.send("b", "127.0.0.5", RUNAWAY)
    started(heavy, "127.0.0.4")
    started(heavy, "127.0.0.5")
    with client("127.0.0.2") as c:
        again = c.post(f"{server}/sparql", data={"query": SHORT_MALFORMED})
        busy = c.post(f"{server}/sparql", data={"query": "ASK { ?s ?p 1 }"})
    still_running = heavy.pending()
    heavy.wait()
    assert still_running
    assert again.status_code == 400 and again.json()["detail"] == first.json()["detail"]
    assert busy.status_code == 503 and busy.json()["error"] == "Busy"


def test_a_second_client_answers_while_the_first_holds_two_heavy_queries(server: str) -> None:
    heavy = in_flight(server)
    heavy.send("first", "127.0.0.2", RUNAWAY)
    started(heavy, "127.0.0.2")
    heavy.send("second", "127.0.0.2", RUNAWAY)
    with client("127.0.0.3") as other:
        ask = other.get(f"{server}/sparql", params={"query": "ASK {}"})
    still_running = heavy.pending()
    answers = heavy.wait()
    assert still_running
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    # the first client's second query was refused: its share was taken
    assert answers["second"].status_code == 429
    assert answers["second"].json()["error"] == "TooManyQueries"
    assert answers["second"].headers["Retry-After"] == "1"
    # the first met the time limit, and says when to come back
    assert answers["first"].status_code == 503
    assert answers["first"].json()["error"] == "TimedOut"
    assert answers["first"].headers["Retry-After"] == "1"


def test_an_answer_that_doubles_itself_is_cut_at_the_byte_cap(server: str) -> None:
    pid = PIDS[server]
    cap = int(DEFAULTS.max_result_bytes)
    query = doubled(18, 100)  # 100 strings of 4 MiB: 400 MiB uncut
    assert len(query) < 1000
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak starts again from here
    before = memory(pid)["VmRSS"]
    answer = httpx.post(f"{server}/sparql", data={"query": query}, timeout=60)
    peak = memory(pid)["VmHWM"]
    assert answer.status_code == 200
    assert answer.headers["X-SPARQL-MaxBytes"] == str(cap)
    assert len(answer.content) <= cap
    rows = answer.json()["results"]["bindings"]
    assert 1 <= len(rows) < 100 and all(len(r["a18"]["value"]) == 16 << 18 for r in rows)
    assert peak - before <= cap


@pytest.mark.parametrize("media_type", RESULT_TYPES)
def test_long_literals_are_served_alike_in_every_format(server: str, media_type: str) -> None:
    # 16 * 2**14 = 256 K characters: over CSV readers' 128 K field limit
    answer = httpx.post(
        f"{server}/sparql", data={"query": doubled(14, 2)}, headers={"Accept": media_type}
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media_type)
    assert "X-SPARQL-MaxBytes" not in answer.headers
    assert _values(answer, media_type) == ["0123456789abcdef" * (1 << 14)] * 2
    # a literal over the byte cap (16 * 2**21 = 32 MiB): cut, in every format alike
    over = httpx.post(
        f"{server}/sparql", data={"query": doubled(21, 1)}, headers={"Accept": media_type}
    )
    assert over.status_code == 200
    assert over.headers["X-SPARQL-MaxBytes"] == str(int(DEFAULTS.max_result_bytes))
    assert _values(over, media_type) == []


def _values(answer: httpx.Response, media_type: str) -> list[str]:
    if media_type == "text/csv":  # lossy: read it as plain CSV, without a field limit
        csv.field_size_limit(1 << 30)
        return [row[0] for row in list(csv.reader(io.StringIO(answer.text, newline="")))[1:]]
    solutions = ox.parse_query_results(answer.content, format=RESULT_TYPES[media_type])
    assert isinstance(solutions, ox.QuerySolutions)
    return [s[0].value for s in solutions]  # type: ignore[union-attr]


@pytest.mark.parametrize("media_type", GRAPH_TYPES)
def test_graph_answers_are_cut_at_the_byte_cap(built: Built, media_type: str) -> None:
    cap = 5_000
    for url in serve(built.settings.store, max_result_bytes=str(cap)):
        answer = httpx.post(
            f"{url}/sparql",
            data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
            headers={"Accept": media_type},
            timeout=60,
        )
        assert answer.status_code == 200
        assert answer.headers["X-SPARQL-MaxBytes"] == str(cap)
        assert cap // 2 < len(answer.content) <= cap
        fmt = ox.RdfFormat.from_media_type(media_type)
        assert fmt is not None and len(list(ox.parse(answer.content, format=fmt))) > 10


def test_order_by_o_over_the_whole_graph_answers(server: str) -> None:
    one = ask(server, "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 1", timeout=60)
    assert one.status_code == 200 and len(one.json()["results"]["bindings"]) == 1
    every = ask(
        server,
        "SELECT DISTINCT ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o)",
        accept="text/tab-separated-values",
        timeout=60,
    )
    assert every.status_code == 200
    solutions = ox.parse_query_results(every.content, format=ox.QueryResultsFormat.TSV)
    terms = [s[0] for s in solutions]  # type: ignore[index]
    kinds = [_kind(t) for t in terms]
    assert kinds == sorted(kinds, reverse=True)  # literals, then IRIs: DESC of SPARQL's order
    numbers = [float(t.value) for t in terms if _kind(t) == 3]  # type: ignore[union-attr]
    assert len(numbers) > 100 and numbers == sorted(numbers, reverse=True)
    strings = [t.value for t in terms if _kind(t) == 5]  # type: ignore[union-attr]
    assert len(strings) > 100 and strings == sorted(strings, reverse=True)


NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("integer", "decimal", "double")}


def _kind(term: object) -> int:
    if isinstance(term, ox.BlankNode):
        return 1
    if isinstance(term, ox.NamedNode):
        return 2
    assert isinstance(term, ox.Literal)
    if term.datatype.value in NUMERIC:
        return 3
    if term.language:
        return 6
    return 5 if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string" else 7


def test_repeated_dataset_graphs_do_not_change_a_count(server: str) -> None:
    graph = "https://w3id.org/migration-kg/id/graph/registry"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(repeats: int) -> int:
        params = [("query", query)] + [("default-graph-uri", graph)] * repeats
        answer = httpx.get(f"{server}/sparql", params=params)
        assert answer.status_code == 200
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    once = count(1)
    assert once > 0 and count(2) == once and count(50) == once


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?x WHERE { BIND(" + "(" * 15 + "1" + ")" * 15 + " AS ?x) }",
        "SELECT ?x WHERE " + "{ " * 40 + "BIND(1 AS ?x)" + " }" * 40,
    ],
    ids=["15 parentheses", "40 groups"],
)
def test_nested_queries_the_spec_allows_answer(server: str, query: str) -> None:
    answer = httpx.post(f"{server}/sparql", data={"query": query}, timeout=60)
    assert answer.status_code == 200
    assert answer.json()["results"]["bindings"][0]["x"]["value"] == "1"


def test_a_query_too_deep_for_the_parser_says_so(server: str) -> None:
    query = "SELECT ?x WHERE { BIND(" + "(" * 4000 + "1" + ")" * 4000 + " AS ?x) }"
    answer = httpx.post(f"{server}/sparql", data={"query": query}, timeout=60)
    assert answer.status_code == 400
    assert answer.json()["error"] == "TooDeep"
    assert "nests deeper" in answer.json()["detail"]


@pytest.mark.parametrize("query", ["", "  \n", "# only a comment", "PREFIX a: <urn:a:>"])
def test_an_empty_query_is_not_called_an_update(server: str, query: str) -> None:
    answer = httpx.get(f"{server}/sparql", params={"query": query})
    assert answer.status_code == 400
    assert "Update" not in answer.json()["detail"]
    if not query.startswith("PREFIX"):
        assert answer.json()["detail"].startswith("empty query")


def test_a_query_known_to_be_refused_takes_no_share() -> None:
    shares = Shares(share=1)
    # the client's real query arrives while its refused one is answered from memory
    # and once the real one runs, the refused one is still held to the share
    with (
        shares.hold("127.0.0.9", counted=False),
        shares.hold("127.0.0.9"),
        pytest.raises(TooManyQueries),
        shares.hold("127.0.0.9", counted=False),
    ):
        pass
    with shares.hold("127.0.0.9"), pytest.raises(TooManyQueries), shares.hold("127.0.0.9"):
        pass
