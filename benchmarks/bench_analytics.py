"""Times every analytics measure on synthetic graphs, cached and not, through the API too,
and NetworkX against igraph on the same projection (what a faster backend is worth).

    python benchmarks/bench_analytics.py --events 10000 100000 [--skip-closeness-above 20000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
from fastapi.testclient import TestClient
from synth import generate  # type: ignore[import-not-found]

from api.main import create_app
from graph.model.iris import Minter
from graph.read import analytics, derived
from graph.read.projection import projection as projection_of
from graph.settings import Settings
from graph.store.backend import GraphInfo
from graph.store.embedded import StoreLayout, write_version

RESULTS = Path(__file__).parent / "results"


def seconds(fn: Callable[[], Any], repeat: int = 1) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples), 4)


class Report(dict[str, Any]):
    """Timings, printed as each is measured (a long run still tells what it got to)."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        print(f"  {key}: {value}", flush=True)


def run(events: int, workdir: Path, closeness_limit: int) -> dict[str, Any]:
    """All timings for one size; all-pairs measures only up to `closeness_limit` nodes."""
    nq = workdir / f"synth-{events}.nq"
    quads = generate(events, max(50, events // 20), 20, 1, nq)
    layout = StoreLayout(workdir / f"store-{events}")
    started = time.perf_counter()
    with layout.writing() as work:
        store = write_version(work, nq.read_bytes())
        del store
        layout.publish(work, GraphInfo(f"synth-{events}", quads, "", str(nq)))
    load_s = round(time.perf_counter() - started, 2)
    store = layout.open()
    minter = Minter("https://w3id.org/migration-kg/id/")
    derived.clear()
    out: dict[str, Any] = Report(events=events, quads=quads)
    out["load_s"] = load_s
    out["projection_s"] = seconds(lambda: projection_of(store, minter))
    graph_ = projection_of(store, minter).cosponsorship()
    out["organizations"] = graph_.number_of_nodes()
    out["edges"] = graph_.number_of_edges()
    out["cosponsors_s"] = seconds(lambda: analytics.cosponsors(store, minter))
    out["pairs_s"] = seconds(lambda: analytics.pairs(store, minter))
    for measure in analytics.CENTRALITIES:
        if measure == "closeness" and graph_.number_of_nodes() > closeness_limit:
            continue
        out[f"{measure}_s"] = seconds(lambda m=measure: analytics.centrality(store, minter, m))  # type: ignore[misc]
        out[f"{measure}_cached_s"] = seconds(
            lambda m=measure: analytics.centrality(store, minter, m),
            repeat=5,  # type: ignore[misc]
        )
    out["louvain_s"] = seconds(lambda: analytics.communities(store, minter))
    # the API, uncached then cached
    derived.clear()
    settings = Settings(store=layout.link)
    with TestClient(create_app(settings)) as client:
        out["api_pagerank_uncached_s"] = seconds(
            lambda: client.get("/api/analytics/centrality", params={"measure": "pagerank"})
        )
        out["api_pagerank_cached_s"] = seconds(
            lambda: client.get("/api/analytics/centrality", params={"measure": "pagerank"}), 20
        )
    # NetworkX against igraph on the same projection
    nodes = list(graph_.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    igraph_ = ig.Graph(
        n=len(nodes), edges=[(index[a], index[b]) for a, b in graph_.edges()], directed=False
    )
    igraph_.es["weight"] = [d["weight"] for _, _, d in graph_.edges(data=True)]
    igraph_.es["distance"] = [d["distance"] for _, _, d in graph_.edges(data=True)]
    k = min(256, len(nodes))
    out["nx_pagerank_s"] = seconds(lambda: nx.pagerank(graph_, weight="weight"))
    out["igraph_pagerank_s"] = seconds(lambda: igraph_.pagerank(weights="weight"))
    out["nx_betweenness_k256_s"] = seconds(
        lambda: nx.betweenness_centrality(graph_, k=k, weight="distance", seed=42)
    )
    if len(nodes) <= closeness_limit:  # exact betweenness is all-pairs too
        out["igraph_betweenness_exact_s"] = seconds(lambda: igraph_.betweenness(weights="distance"))
    store.close()
    return out


def main() -> None:
    """Run the sizes asked for and write a JSON report and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--skip-closeness-above", type=int, default=20_000)
    args = parser.parse_args()
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        for events in args.events:
            report = run(events, Path(tmp), args.skip_closeness_above)
            reports.append(report)
            print(json.dumps(dict(report)), flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "analytics.json").write_text(json.dumps([dict(r) for r in reports], indent=2))
    keys = [k for k in reports[0] if k.endswith("_s")]
    print(f"{'seconds':<30}" + "".join(f"{r['events']:>12,}" for r in reports))
    for key in keys:
        print(f"{key:<30}" + "".join(f"{r.get(key, float('nan')):>12}" for r in reports))


if __name__ == "__main__":
    main()
