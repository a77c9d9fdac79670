"""The bounded load test in its short form: 16 wrk clients on the mixed routes for a few
seconds against a real `mkg serve`, while `mkg load` writes a new graph version into the
store it serves. Every answer must be a 200; speed is not asserted (timings on shared
machines are too noisy). The full form is benchmarks/load.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.load import HEALTH, Route, Writer, check_routes, routes, run_wrk, serving
from graph.store import GraphInfo, StoreLayout, write_version
from tests.conftest import Built, require

SECONDS = 3
CLIENTS = 16


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
    writer = Writer(["load", str(extra)], {**os.environ, "MKG_STORE": str(store)}, delay=0.5)
    result = run_wrk(server, wanted, SECONDS, CLIENTS, meanwhile=writer)
    assert writer.returncode == 0, writer.output
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
