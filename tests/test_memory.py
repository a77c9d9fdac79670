"""The serving path: the graph in memory when it fits under the ceiling, on disk otherwise."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.settings import Settings
from graph.store.embedded import MemoryStore, OxigraphStore, memory_estimate, open_store
from graph.store.sparql import QueryPool, Request
from tests.answers import answer
from tests.conftest import Built
from tests.servers import serve

QUERIES = sorted((Path(__file__).parent.parent / "graph" / "store" / "queries").glob("*.rq"))


def test_the_graph_is_served_from_memory_when_it_fits(built: Built) -> None:
    store = open_store(built.settings, serving=True)
    assert isinstance(store, MemoryStore) and store.served_from == "memory"
    assert memory_estimate(store.info) < built.settings.memory_ceiling
    assert len(store.raw) == len(built.store.raw)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "settings", [{"memory_ceiling": "1KiB"}, {"in_memory": False}], ids=["over", "off"]
)
def test_from_disk_over_the_ceiling_or_when_turned_off(
    built: Built, settings: dict[str, str | bool]
) -> None:
    chosen = built.settings.model_copy(
        update=Settings(**settings).model_dump(include=set(settings))  # type: ignore[arg-type]
    )
    store = open_store(chosen, serving=True)
    assert type(store) is OxigraphStore and store.served_from == "disk"
    assert not isinstance(open_store(built.settings), MemoryStore)  # the CLI reads from disk


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_memory_and_disk_give_the_same_answers(built: Built, path: Path) -> None:
    text = path.read_text(encoding="utf-8")  # variables meant to be bound stay free here
    disk = open_store(built.settings)
    memory = open_store(built.settings, serving=True)
    assert isinstance(disk, OxigraphStore) and isinstance(memory, MemoryStore)
    assert answer(memory.query(text)) == answer(disk.query(text))


def test_forked_workers_answer_from_the_copy_and_come_back_after_a_kill(built: Built) -> None:
    memory = open_store(built.settings, serving=True)
    assert isinstance(memory, MemoryStore)
    pool = QueryPool(memory.raw, workers=1, timeout=1.0)
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        media = "text/csv"
        first = pool.run(Request(count, media))
        assert first.data.splitlines()[1].decode() == str(built.store.info.triples)
        pid = pool._slots[0].process.pid
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        with pytest.raises(Exception, match="longer than"):
            pool.run(Request(runaway, media))
        assert pool._slots[0].process.pid != pid  # killed and forked again
        assert pool.run(Request(count, media)).data == first.data
    finally:
        pool.close()


def test_health_says_where_queries_are_answered(built: Built) -> None:
    with TestClient(create_app(built.settings)) as client:
        assert client.get("/health").json()["served_from"] == "memory"
    disk = built.settings.model_copy(update={"in_memory": False})
    with TestClient(create_app(disk)) as client:
        assert client.get("/health").json()["served_from"] == "disk"


def test_a_real_server_over_the_ceiling_serves_from_disk(built: Built) -> None:
    for url in serve(built.settings.store, memory_ceiling="1KiB"):
        health = httpx.get(f"{url}/health").json()
        assert health["served_from"] == "disk"
        assert health["triples"] == built.store.info.triples
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        answer = httpx.get(f"{url}/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        assert answer.text.splitlines()[1] == str(built.store.info.triples)


def test_forked_workers_do_not_hold_the_servers_pipes(built: Built) -> None:
    # A worker that kept the write end of another program's pipe would keep that program
    # waiting for an end of file forever (Playwright's driver hung the suite this way).
    memory = open_store(built.settings, serving=True)
    assert isinstance(memory, MemoryStore)
    reader = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    pool = QueryPool(memory.raw, workers=2, timeout=5.0)
    try:
        assert pool.run(Request("ASK {}", "text/csv")).data.strip() == b"true"
        assert reader.stdin is not None
        reader.stdin.close()
        assert reader.wait(timeout=10) == 0
    finally:
        pool.close()
        reader.kill()
