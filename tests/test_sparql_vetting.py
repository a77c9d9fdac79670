"""Vetting in itself: what counts as empty, an update or too deep, and the bounded memory
of outcomes that lets a server answer a repeated query without a worker; the worker pool
that vets and runs them under the time limit, and replaces a worker that dies."""

from __future__ import annotations

import json
import os
import signal
import threading

import pyoxigraph as ox
import pytest

from graph.errors import QueryError
from graph.store.querytext import nesting
from graph.store.sparql import (
    MAX_NESTING,
    EngineFailed,
    Outcomes,
    QueryPool,
    Refused,
    Request,
    TimedOut,
    TooDeep,
    Vetted,
    vet,
)


@pytest.mark.parametrize("text", ["", " \n\t", "# nothing\n  # at all", "PREFIX a: <urn:a:>"])
def test_nothing_to_run_is_not_an_update(text: str) -> None:
    with pytest.raises(QueryError) as refused:
        vet(text)
    assert not isinstance(refused.value, Refused)


def test_an_update_is_still_refused() -> None:
    with pytest.raises(Refused):
        vet("PREFIX a: <urn:a:> INSERT DATA { a:x a:y a:z }")


def test_nesting_counts_syntax_only() -> None:
    assert nesting('SELECT * { ?s ?p "((((" . <urn:(((> ?o # ((((\n FILTER((1)) }') == 3
    deep = "SELECT ?x WHERE { BIND(" + "(" * MAX_NESTING + "1" + ")" * MAX_NESTING + " AS ?x) }"
    with pytest.raises(TooDeep):
        vet(deep)
    quoted = 'SELECT ?x WHERE { BIND("' + "(" * (2 * MAX_NESTING) + '" AS ?x) }'
    assert vet(quoted).form == "SELECT"


def test_outcomes_are_remembered_within_their_bound() -> None:
    outcomes = Outcomes(size=3)
    outcomes.put("ASK {}", Vetted("ASK {}", "ASK"))
    outcomes.put("bad", QueryError("malformed SPARQL: bad"))
    first, second = outcomes.get("bad"), outcomes.get("bad")
    assert isinstance(first, QueryError) and str(first) == "malformed SPARQL: bad"
    assert first is not second  # a fresh error each time
    assert outcomes.get("ASK {}") == Vetted("ASK {}", "ASK")
    for extra in ("a", "b", "c"):
        outcomes.put(extra, Vetted(extra, "SELECT"))
    assert outcomes.get("bad") is None and outcomes.get("ASK {}") is None
    assert outcomes.get("c") == Vetted("c", "SELECT")


def small_store() -> ox.Store:
    store = ox.Store()
    for i in range(30):  # 30**12 combinations for the runaway query
        store.add(ox.Quad(ox.NamedNode(f"urn:a{i}"), ox.NamedNode("urn:b"), ox.Literal(i)))
    return store


def test_parsing_is_under_the_time_limit() -> None:
    malformed = "SELECT ?x WHERE { BIND(" + "+".join(["1"] * 2000) + " AS ?x }"  # seconds
    pool = QueryPool(small_store(), workers=1, timeout=0.5)
    try:
        with pytest.raises(TimedOut):
            pool.run(Request(malformed), wait=5)
        assert json.loads(pool.run(Request("ASK { ?s ?p ?o }"), wait=5).data)["boolean"]
    finally:
        pool.close()


def test_a_worker_that_dies_is_an_engine_failure_and_is_replaced() -> None:
    runaway = (
        "SELECT (COUNT(*) AS ?n) WHERE { "
        + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12))
        + " }"
    )
    pool = QueryPool(small_store(), workers=1, timeout=60)
    failed: list[BaseException] = []

    def run() -> None:
        try:
            pool.run(Request(runaway), wait=5)
        except EngineFailed as exc:
            failed.append(exc)

    try:
        worker = pool._slots[0].process.pid
        running = threading.Thread(target=run)
        running.start()
        threading.Event().wait(0.5)
        os.kill(worker, signal.SIGKILL)
        running.join(60)
        assert failed and "worker exited" in str(failed[0])
        assert pool._slots[0].process.pid != worker
        assert json.loads(pool.run(Request("ASK { ?s ?p ?o }"), wait=5).data)["boolean"]
    finally:
        pool.close()
