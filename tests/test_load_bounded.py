"""The bounded load test in its short form: 16 wrk clients on the mixed routes for a few
seconds against a real `mkg serve`, while `mkg load` writes a new graph version into the
store it serves and the server switches to it. Every answer must be a 200; speed is not
asserted (timings on shared machines are too noisy). The full form is benchmarks/load.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.load import HEALTH, Route, Writer, check_routes, routes, run_wrk, serving
from graph.store.backend import GraphInfo
from graph.store.embedded import StoreLayout, write_version
from tests.conftest import Built, require

CLIENTS = 16
MOST_SECONDS = 20
"""The load runs until half a second after the server serves the new version, or for
this long: the write takes 1-3 s under the load, the switch up to follow_seconds more,
and on a 2-core machine busy with the rest of the suite the switch under 16 clients has
taken over 3 s after the write (the writer waits up to 15 s for it). These bound how
long to wait, not a speed asserted."""


@pytest.fixture(scope="module")
def store(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the built graph, which the test's writer may add a version to."""
    layout = StoreLayout(tmp_path_factory.mktemp("load") / "store")
    with layout.writing() as work:
        write_version(work, built.store.dump())
        layout.publish(work, GraphInfo(built.info.version, built.info.triples, "", "corpus"))
    return layout.link


@pytest.fixture(scope="module")
def server(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require(shutil.which("wrk") is not None, "wrk")
    with serving(store, log=tmp_path_factory.mktemp("log") / "server.log") as url:
        yield url


def test_mixed_routes_answer_under_load_while_a_new_version_is_written(
    server: str, store: Path, tmp_path: Path
) -> None:
    wanted = routes(server)
    assert check_routes(server, wanted) == {}
    extra = tmp_path / "extra.nt"
    extra.write_text(
        '<https://example.org/load-test> <http://www.w3.org/2000/01/rdf-schema#comment> "a new '
        'version written under load" .\n'
    )
    env = {**os.environ, "MKG_STORE": str(store)}
    writer = Writer(["load", str(extra)], env, server, delay=0.5, follow=15)
    result = run_wrk(server, wanted, MOST_SECONDS, CLIENTS, meanwhile=writer, linger=0.5)
    assert writer.returncode == 0, writer.output
    # the switch to the new version happened under the load, not after it
    served = writer.served_at
    assert served is not None and served < result.seconds, writer.record(result.seconds)
    assert result.requests > 0
    assert result.errors == {"connect": 0, "read": 0, "write": 0, "timeout": 0, "status": 0}
    assert result.statuses == {}
    assert check_routes(server, wanted) == {}


def test_the_load_counts_answers_that_are_not_200(server: str) -> None:
    """The assertions above can fail: an unknown organization's 404s are counted."""
    result = run_wrk(server, [*HEALTH, Route("/api/organizations/NO-SUCH-ORG")], 1, 4)
    assert result.statuses["404"] > 0
    assert result.errors["status"] == result.statuses["404"]
    assert result.error_count == result.statuses["404"]
