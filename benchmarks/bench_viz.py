"""How large a network the page can draw: server layout time and browser time-to-usable
for synthetic corpora, at several caps on the organizations drawn.

    cd benchmarks && ../.venv/bin/python bench_viz.py --events 10000 100000 --caps 150 1000 3000

For each size: the store is loaded, `graph.views.network.network` is timed uncached (projection,
communities, layout), then `mkg serve` serves it and Debian's Chromium opens
/viz/network?max_nodes=N; "usable" is the first frame vis-network draws (performance.now()
at its first afterDrawing), and "hover" is one highlight redraw."""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_api import free_port, serve
from playwright.sync_api import sync_playwright
from synth import generate

from graph.model.iris import Minter
from graph.read import derived
from graph.store.backend import GraphInfo
from graph.store.embedded import StoreLayout, write_version
from graph.views import network

RESULTS = Path(__file__).parent / "results"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def load(events: int, workdir: Path) -> Path:
    """A synthetic corpus of `events` events in a store; returns the store link."""
    nq = workdir / f"synth-{events}.nq"
    quads = generate(events, max(50, events // 20), 20, 1, nq)
    layout = StoreLayout(workdir / f"store-{events}")
    with layout.writing() as work:
        write_version(work, nq.read_bytes())
        layout.publish(work, GraphInfo(f"synth-{events}", quads, "", str(nq)))
    return layout.link


def server_side(store_link: Path, caps: list[int]) -> dict[int, float]:
    """Seconds for graph.views.network.network per cap, the projection included once."""
    store = StoreLayout(store_link).open()
    minter = Minter("https://w3id.org/migration-kg/id/")
    out = {}
    for cap in caps:
        derived.clear()
        started = time.perf_counter()
        network.network(store, minter, network.NetworkRequest(max_nodes=cap))
        out[cap] = round(time.perf_counter() - started, 2)
    return out


def browser_side(base: str, caps: list[int]) -> dict[int, dict[str, float]]:
    """Time to first frame and one hover redraw, per cap, in a real Chromium."""
    out: dict[int, dict[str, float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for cap in caps:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/viz/network?max_nodes={cap}", timeout=600_000)
            page.wait_for_function("() => window.mkgDrawnAt !== undefined", timeout=600_000)
            usable = page.evaluate("window.mkgDrawnAt")
            hover = page.evaluate(
                """() => { const id = mkgNetwork.body.data.nodes.getIds()[0];
                   const t = performance.now(); mkgNetwork.emit('hoverNode', {node: id});
                   mkgNetwork.redraw(); return performance.now() - t; }"""
            )
            out[cap] = {
                "drawn": page.evaluate("mkgNetwork.body.data.nodes.length"),
                "edges": page.evaluate("mkgNetwork.body.data.edges.length"),
                "usable_ms": round(usable),
                "hover_ms": round(hover),
            }
            page.close()
        browser.close()
    return out


def main() -> None:
    """Every size and cap; prints a table and writes results/bench_viz.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, nargs="+", default=[10_000])
    parser.add_argument("--caps", type=int, nargs="+", default=[150, 1000, 3000])
    args = parser.parse_args()
    report: dict[str, Any] = {"machine": platform.platform(), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        for events in args.events:
            link = load(events, Path(tmp))
            layout = server_side(link, args.caps)
            port = free_port()
            server = serve(link, port)
            try:
                pages = browser_side(f"http://127.0.0.1:{port}", args.caps)
            finally:
                server.terminate()
                server.wait(timeout=10)
            for cap in args.caps:
                row = {"events": events, "cap": cap, "server_s": layout[cap], **pages[cap]}
                report["runs"].append(row)
                print(
                    f"{events:>8} events, cap {cap:>5}: server {row['server_s']:>6} s, "
                    f"{row['drawn']:>5} nodes / {row['edges']:>6} edges drawn, "
                    f"usable after {row['usable_ms']:>6} ms, hover redraw {row['hover_ms']} ms"
                )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "bench_viz.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()
