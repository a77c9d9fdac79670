"""`mkg load`: the bulk load with its merged default graph, progress, bad files, and kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import CorpusError
from graph.pipeline.build import load
from graph.settings import Settings
from graph.store.embedded import StoreLayout, load_merged

EX = "http://example.org/"


def quads(graph: str, n: int, shared: int = 0) -> bytes:
    """N-Quads of n statements in one graph; the first `shared` are the same in every graph."""
    lines = [f"<{EX}s{i}> <{EX}p> <{EX}o{i}> <{EX}{graph}> ." for i in range(shared)]
    lines += [f'<{EX}{graph}/s{i}> <{EX}p> "{graph} {i}" <{EX}{graph}> .' for i in range(n)]
    return "\n".join(lines).encode() + b"\n"


def triples_of(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph | None) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, graph)
        if graph is not None or q.graph_name != ox.DefaultGraph()
    }


def test_the_default_graph_is_the_merge_of_the_named_graphs(tmp_path: Path) -> None:
    first, second = tmp_path / "a.nq", tmp_path / "b.nq"
    first.write_bytes(quads("a", 5000, shared=100))
    second.write_bytes(quads("b", 3000, shared=100))
    store = ox.Store(str(tmp_path / "store"))
    seen: list[tuple[int, int]] = []
    load_merged(
        store,
        [(first, ox.RdfFormat.N_QUADS, None), (second, ox.RdfFormat.N_QUADS, None)],
        lambda done, total: seen.append((done, total)),
    )
    named = triples_of(store, None)
    assert triples_of(store, ox.DefaultGraph()) == named
    assert len(named) == 5000 + 3000 + 100  # the shared statements count once
    assert sum(1 for _ in store.quads_for_pattern(None, None, None)) == 5100 + 3100 + 8100
    total = first.stat().st_size + second.stat().st_size
    assert seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_triples_go_to_the_graph_they_are_given(tmp_path: Path) -> None:
    store = ox.Store()
    graph = ox.NamedNode(f"{EX}g")
    load_merged(store, [(f"<{EX}s> <{EX}p> <{EX}o> .\n".encode(), ox.RdfFormat.N_TRIPLES, graph)])
    assert len(triples_of(store, graph)) == len(triples_of(store, ox.DefaultGraph())) == 1


def test_a_bad_second_file_names_it_and_keeps_the_graph(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store")
    good, bad = tmp_path / "good.nq", tmp_path / "bad.nq"
    good.write_bytes(quads("good", 200))
    bad.write_bytes(quads("bad", 200) + b"<broken\n")
    info = load(settings, [good])
    before = StoreLayout(settings.store).current()
    with pytest.raises(CorpusError, match=r"bad\.nq: not valid RDF"):
        load(settings, [good, bad])
    layout = StoreLayout(settings.store)
    assert layout.current() == before
    assert not list(layout.versions.glob(".work-*"))
    assert layout.open().info.version == info.version


def test_load_on_top_keeps_what_was_there(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store")
    (tmp_path / "a.nq").write_bytes(quads("a", 50))
    (tmp_path / "b.nq").write_bytes(quads("b", 70))
    load(settings, [tmp_path / "a.nq"])
    info = load(settings, [tmp_path / "b.nq"])
    assert info.triples == 120
    store = StoreLayout(settings.store).open()
    assert len(triples_of(store.raw, ox.DefaultGraph())) == 120


LOAD = """
import sys
from pathlib import Path
from graph.pipeline.build import load
from graph.settings import Settings
load(Settings(store=Path(sys.argv[1])), [Path(sys.argv[2])])
"""


@pytest.mark.parametrize("after", [0.3, 0.8, 1.5])
def test_a_load_killed_midway_leaves_the_previous_graph(tmp_path: Path, after: float) -> None:
    settings = Settings(store=tmp_path / "store")
    (tmp_path / "small.nq").write_bytes(quads("small", 100))
    before = load(settings, [tmp_path / "small.nq"])
    big = tmp_path / "big.nq"
    big.write_bytes(quads("big", 400_000))
    child = subprocess.Popen(
        [sys.executable, "-c", LOAD, str(settings.store), str(big)], cwd=Path.cwd()
    )
    time.sleep(after)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL  # killed, not finished
    layout = StoreLayout(settings.store)
    assert layout.open().info.version == before.version
    assert len(triples_of(layout.open().raw, ox.DefaultGraph())) == 100
    # the next load removes what the killed one left
    assert load(settings, [tmp_path / "small.nq"]).triples == 100
    assert not list(layout.versions.glob(".work-*"))
