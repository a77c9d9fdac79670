"""Times the HTTP API over a real server (`mkg serve`) on a built store: each route's
latency (first call, then median and 95th percentile of repeats), and SPARQL throughput
with concurrent clients."""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

from graph.pipeline.build import build
from graph.settings import Settings

RESULTS = Path(__file__).parent / "results"
ROUTES = [
    "/health",
    "/api/organizations?q=migration",
    "/api/organizations/IOM",
    "/api/events?limit=20",
    "/api/events?start=2006&end=2006&org=IOM&limit=100",
    "/api/events/2006-07-18-madrid-ibero-american-encounter-on-international-migration",
    "/api/instruments",
    "/api/trace?instrument=A/RES/60/227&paragraph=17",
    "/api/trace?instrument=A/RES/60/227",
    "/api/analytics/cosponsors",
    "/api/analytics/centrality?measure=betweenness",
    "/api/analytics/communities",
    "/api/export?format=turtle",
    "/api/export?format=nquads",
    "/api/export?format=gexf",
    "/api/export?format=csv",
    "/id/org/IOM",
    "/id/org/IOM?format=html",
    "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
]
SPARQL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1000"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(store: Path, port: int) -> subprocess.Popen[bytes]:
    """`mkg serve` on the store, once /health answers."""
    # the rate limit would refuse a benchmark that asks as fast as it can
    env = {**os.environ, "MKG_STORE": str(store), "MKG_RATE_LIMIT": "off"}
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Ask a server to stop; kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def latency(client: httpx.Client, route: str, repeat: int) -> dict[str, float]:
    """First-call and repeated latency of one route, in milliseconds."""
    samples = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        answer = client.get(route, headers={"Accept": "application/json, text/turtle"})
        answer.raise_for_status()
        samples.append((time.perf_counter() - start) * 1000)
    first, rest = samples[0], sorted(samples[1:])
    return {
        "first_ms": round(first, 1),
        "median_ms": round(statistics.median(rest), 1),
        "p95_ms": round(rest[max(0, int(len(rest) * 0.95) - 1)], 1),
    }


def throughput(base: str, clients: int, requests: int) -> dict[str, float]:
    """SPARQL queries per second with `clients` concurrent clients (503s counted apart)."""

    def one(_: int) -> int:
        return httpx.get(f"{base}/sparql", params={"query": SPARQL}, timeout=60).status_code

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - start
    return {
        "clients": clients,
        "ok": statuses.count(200),
        "busy_503": statuses.count(503),
        "per_second": round(statuses.count(200) / elapsed, 1),
    }


def main() -> None:
    """Build the corpus into a temporary store, serve it, time every route."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--store", type=Path, help="serve this store instead of building")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "store"
        if args.store is None:
            build(Settings(store=store))
        port = free_port()
        process = serve(store, port)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                routes = {route: latency(client, route, args.repeat) for route in ROUTES}
            concurrency = [throughput(base, n, 60) for n in (1, 2, 8)]
        finally:
            stop(process)
    print(f"{'route':<88} {'first':>8} {'median':>8} {'p95':>8}")
    for route, t in routes.items():
        print(f"{route:<88} {t['first_ms']:>8} {t['median_ms']:>8} {t['p95_ms']:>8}")
    for c in concurrency:
        print(f"SPARQL, {c['clients']} client(s): {c['per_second']}/s, "
              f"{c['ok']} ok, {c['busy_503']} busy (503)")  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "bench_api.json"
    report = {"machine": platform.platform(), "routes": routes, "sparql": concurrency}
    out.write_text(json.dumps(report, indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()
