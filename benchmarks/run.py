"""The performance suite: migration-kg against its peers and its floor, in one run.

    python benchmarks/run.py [--scale small|medium|large] [--json OUT] [--repeat N]

On a synthetic graph (benchmarks/synth.py) of the chosen size it measures, side by side:

- load: `mkg load` (a fresh process, as a user runs it) against pyoxigraph's own bulk
  load to disk (the floor) and rdflib parsing the same N-Quads into memory;
- three queries (the top co-sponsors, one paragraph's implementing events, and the
  co-sponsor pair self-join), each through `mkg serve`'s /sparql and its REST route,
  on pyoxigraph called directly in memory (the floor), on rdflib in memory (what a plain
  rdflib application does) and through rdflib-endpoint (an existing FastAPI SPARQL
  endpoint over rdflib, the peer product), all over HTTP on loopback where HTTP applies;
- the analytics routes uncached (the first call after start) and cached, against a
  /health round trip;
- the server's peak memory (the proportional set size of the server and its query
  workers, which share the graph's pages).

It prints a table of ratios and the targets, and writes JSON to benchmarks/results/.
A peer that cannot finish within --peer-timeout seconds is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
from bench_api import free_port, stop

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PYTHON = sys.executable
SCALES = {"small": 10_000, "medium": 100_000, "large": 1_000_000}

PREFIXES = """PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
"""
QUERIES = {
    "top co-sponsors": PREFIXES
    + """SELECT ?org ?label (COUNT(DISTINCT ?event) AS ?events) WHERE {
  ?event a mkg:Event ; mkg:organizer ?org .
  ?org skos:prefLabel ?label .
} GROUP BY ?org ?label ORDER BY DESC(?events) ?label LIMIT 20""",
    "paragraph trace": PREFIXES
    + """SELECT ?event ?label ?start WHERE {
  ?event mkg:implements <PARAGRAPH> ; rdfs:label ?label ; schema:startDate ?start .
} ORDER BY ?start ?event""",
    "pair self-join": PREFIXES
    + """SELECT ?a ?b (COUNT(DISTINCT ?event) AS ?events) WHERE {
  ?event mkg:organizer ?a , ?b .
  FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b ORDER BY DESC(?events) ?a ?b LIMIT 20""",
}
REST = {
    "top co-sponsors": "/api/analytics/cosponsors?limit=20",
    "paragraph trace": "/api/trace?instrument=INSTRUMENT&paragraph=NUMBER",
    "pair self-join": "/api/analytics/pairs?limit=20",
}
BUSIEST_PARAGRAPH = (
    PREFIXES
    + """SELECT ?paragraph ?symbol ?number WHERE {
  { SELECT ?paragraph (COUNT(?event) AS ?n) WHERE { ?event mkg:implements ?paragraph }
    GROUP BY ?paragraph ORDER BY DESC(?n) ?paragraph LIMIT 1 }
  ?instrument mkg:paragraph ?paragraph ; mkg:symbol ?symbol .
  ?paragraph mkg:number ?number .
}"""
)


@dataclass
class Timing:
    """Latencies of one measurement, in milliseconds."""

    samples: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def as_dict(self) -> dict[str, Any]:
        return {"median_ms": self.median, "p95_ms": self.p95, "n": len(self.samples),
                "note": self.note}  # fmt: skip


def timed(call: Callable[[], object], repeat: int, budget: float) -> Timing:
    """Run `call` up to `repeat` times (at least once), stopping early past `budget` s."""
    timing = Timing()
    spent = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        elapsed = time.perf_counter() - started
        timing.samples.append(elapsed * 1000)
        spent += elapsed
        if spent > budget:
            break
    return timing


# ---------------------------------------------------------------- processes and memory


def pss_kb(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in kB."""
    total = 0
    for process in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{process}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return found
    for child in map(int, children):
        found += [child, *descendants(child)]
    return found


class PeakMemory:
    """Samples a process tree's PSS (and the main process's RSS) every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_pss = 0
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            try:
                self.peak_pss = max(self.peak_pss, pss_kb(self.pid))
                self.peak_rss = max(self.peak_rss, rss_kb(self.pid))
            except (FileNotFoundError, ProcessLookupError):
                return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def running(command: list[str], env: dict[str, str], url: str, ready: str, timeout: float
            ) -> Iterator[subprocess.Popen[bytes]]:  # fmt: skip
    """A server process, once `ready` answers; stopped afterwards."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, cwd=ROOT)  # fmt: skip
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(url + ready, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{command[-1] if len(command) < 4 else 'the peer'} "
                    f"did not answer within {timeout:.0f} s"
                )
            time.sleep(0.2)
        yield process
    finally:
        stop(process, timeout=30)


def wall(command: list[str], env: dict[str, str] | None = None, timeout: float | None = None
         ) -> float | None:  # fmt: skip
    """Seconds a command takes, or None if it ran past the timeout."""
    started = time.perf_counter()
    try:
        subprocess.run(command, check=True, env=env, cwd=ROOT, timeout=timeout,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - started


# ---------------------------------------------------------------- the peers (subprocesses)

PEER = r"""
import json, sys, time, statistics
import rdflib
import rdflib.plugins.sparql
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
data, queries, repeat = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
budget, port, report = float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
started = time.perf_counter()
dataset = rdflib.Dataset(default_union=True)
dataset.parse(data, format="nquads")
out = {"load_s": time.perf_counter() - started, "statements": len(dataset), "queries": {}}
for name, text in queries.items():
    samples, spent, rows = [], 0.0, None
    for _ in range(repeat):
        t = time.perf_counter(); result = list(dataset.query(text)); dt = time.perf_counter() - t
        samples.append(dt * 1000); spent += dt; rows = len(result)
        if spent > budget: break
    out["queries"][name] = {"samples": samples, "rows": rows}
with open(report, "w") as f: json.dump(out, f)
if port:
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint
    app = SparqlEndpoint(graph=dataset, public_url=f"http://127.0.0.1:{port}/")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""

FLOOR_LOAD = r"""
import sys, pyoxigraph as ox
ox.Store(sys.argv[1]).bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)
"""


# ---------------------------------------------------------------- the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--events", type=int, help="override the scale's event count")
    parser.add_argument("--json", type=Path, help="where to write the results")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--peer-timeout", type=float, default=600,
                        help="seconds rdflib may take to load and answer")  # fmt: skip
    parser.add_argument("--query-timeout", type=float, default=600,
                        help="MKG_QUERY_TIMEOUT for the server under test")  # fmt: skip
    args = parser.parse_args()
    events = args.events or SCALES[args.scale]
    out = args.json or RESULTS / f"run-{args.scale}.json"
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    results: dict[str, Any] = {
        "scale": args.scale, "events": events, "repeat": args.repeat,
        "machine": f"{machine}, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="mkg-bench-") as tmp:
        work = Path(tmp)
        results |= measure(events, work, args)
    RESULTS.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    print(f"\nresults: {out}")


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(events: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    import pyoxigraph as ox

    from benchmarks.synth import generate

    results: dict[str, Any] = {}
    data = work / "synth.nq"
    step(f"generating {events:,} events")
    started = time.perf_counter()
    quads = generate(events, max(50, events // 20), 20, 1, data)
    results["quads"] = quads
    results["synth_s"] = time.perf_counter() - started

    # --- load: floor, mkg, rdflib (rdflib's load is measured by the peer process below)
    step("pyoxigraph bulk load to disk (the floor)")
    results["load_floor_s"] = wall([PYTHON, "-c", FLOOR_LOAD, str(work / "floor"), str(data)])
    step("mkg load")
    env = {**os.environ, "MKG_STORE": str(work / "store")}
    results["load_mkg_s"] = wall([PYTHON, "-m", "graph.cli", "load", str(data)], env=env)

    # --- the floor: pyoxigraph in memory, queried directly (and answers serialized as JSON)
    step("pyoxigraph in memory (the floor)")
    from graph.store.embedded import load_merged

    started = time.perf_counter()
    memory = ox.Store()
    load_merged(memory, [(data, ox.RdfFormat.N_QUADS, None)])
    results["load_memory_s"] = time.perf_counter() - started
    paragraph, symbol, number = next(iter(memory.query(BUSIEST_PARAGRAPH)))  # type: ignore[misc]
    queries = {name: text.replace("PARAGRAPH", paragraph.value) for name, text in QUERIES.items()}
    rest = {name: path.replace("INSTRUMENT", symbol.value).replace("NUMBER", number.value)
            for name, path in REST.items()}  # fmt: skip
    results["paragraph"] = paragraph.value
    rows: dict[str, int] = {}
    floor: dict[str, Timing] = {}
    for name, text in queries.items():

        def direct(text: str = text, store: ox.Store = memory) -> None:
            store.query(text).serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]

        floor[name] = timed(direct, args.repeat, 120)
        rows[name] = sum(1 for _ in memory.query(text))  # type: ignore[union-attr]
    results["rows"] = rows
    del memory

    # --- rdflib in memory, then rdflib-endpoint over the same graph
    step("rdflib in memory and rdflib-endpoint (the peers)")
    peer = run_peers(data, queries, work, args)
    results["peer"] = peer

    # --- mkg serve: /sparql and REST, analytics cold and warm, memory
    step("mkg serve")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve_env = {**env, "MKG_QUERY_TIMEOUT": str(args.query_timeout)}
    started = time.perf_counter()
    with running([PYTHON, "-m", "graph.cli", "serve", "--port", str(port)], serve_env, url,
                 "/health", timeout=1800) as server:  # fmt: skip
        results["serve_start_s"] = time.perf_counter() - started
        memory_watch = PeakMemory(server.pid)
        client = httpx.Client(base_url=url, timeout=args.query_timeout + 30)
        health = timed(lambda: client.get("/health").raise_for_status(), args.repeat * 5, 30)
        analytics: dict[str, dict[str, Any]] = {}
        rest_timings: dict[str, Timing] = {}
        for name, path in rest.items():
            first = timed(lambda path=path: client.get(path).raise_for_status(), 1, 0)
            rest_timings[name] = timed(
                lambda path=path: client.get(path).raise_for_status(), args.repeat, 120
            )
            analytics[name] = {"first_ms": first.median}
        sparql: dict[str, Timing] = {}
        for name, text in queries.items():

            def over_http(text: str = text, expected: int = rows[name]) -> None:
                response = client.post(
                    "/sparql", data={"query": text},
                    headers={"Accept": "application/sparql-results+json"},
                )  # fmt: skip
                response.raise_for_status()
                got = len(response.json()["results"]["bindings"])
                assert got == expected, f"/sparql gave {got} rows, not {expected}: {text}"

            sparql[name] = timed(over_http, args.repeat, 120)
        memory_watch.stop()
        results["server_peak_pss_mb"] = memory_watch.peak_pss / 1024
        results["server_peak_rss_mb"] = memory_watch.peak_rss / 1024
        health_info = client.get("/health").json()
        results["statements"] = health_info["triples"]
    results["health"] = health.as_dict()
    results["floor"] = {k: v.as_dict() for k, v in floor.items()}
    results["sparql"] = {k: v.as_dict() for k, v in sparql.items()}
    results["rest"] = {k: v.as_dict() | analytics[k] for k, v in rest_timings.items()}
    return results


def run_peers(data: Path, queries: dict[str, str], work: Path, args: argparse.Namespace
              ) -> dict[str, Any]:  # fmt: skip
    """rdflib in memory (in its own process, with a time limit), then rdflib-endpoint
    serving that same graph over HTTP."""
    report = work / "peer.json"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [PYTHON, "-c", PEER, str(data), json.dumps(queries), str(args.repeat),
               str(max(10.0, args.peer_timeout / 10)), str(port), str(report)]  # fmt: skip
    peer: dict[str, Any] = {}
    try:
        with running(command, dict(os.environ), url, "/", timeout=args.peer_timeout) as server:
            rdflib_side = json.loads(report.read_text())
            peer["rdflib_load_s"] = rdflib_side["load_s"]
            peer["rdflib"] = {
                name: Timing(q["samples"]).as_dict() | {"rows": q["rows"]}
                for name, q in rdflib_side["queries"].items()
            }
            peer["rdflib_endpoint"] = {}
            client = httpx.Client(base_url=url, timeout=args.peer_timeout)
            for name, text in queries.items():

                def over_http(text: str = text) -> None:
                    client.post("/", data={"query": text},
                                headers={"Accept": "application/sparql-results+json"}
                                ).raise_for_status()  # fmt: skip

                peer["rdflib_endpoint"][name] = timed(
                    over_http, args.repeat, max(10.0, args.peer_timeout / 10)
                ).as_dict()
            peer["rdflib_peak_rss_mb"] = rss_kb(server.pid) / 1024
    except RuntimeError as exc:
        peer["error"] = f"did not finish: {exc}"
    return peer


# ---------------------------------------------------------------- the table


def table(r: dict[str, Any]) -> str:
    def ms(value: float | None) -> str:
        return "n/a" if value is None else (f"{value:,.1f}" if value < 100 else f"{value:,.0f}")

    def ratio(a: float | None, b: float | None) -> str:
        return "n/a" if not a or not b else f"{a / b:.2f}x"

    lines = [
        f"## {r['scale']}: {r['events']:,} events, {r.get('statements', 0):,} statements "
        f"({r['quads']:,} quads loaded), {r['machine']}, {r['date']}",
        "",
        "| load | seconds | statements/s | vs the floor |",
        "|---|---|---|---|",
    ]
    floor_load = r["load_floor_s"]
    for label, seconds in [
        ("pyoxigraph bulk load to disk (floor)", floor_load),
        ("`mkg load` (named graphs + merged default graph)", r["load_mkg_s"]),
        ("rdflib Dataset.parse in memory", r["peer"].get("rdflib_load_s")),
    ]:
        rate = f"{r['quads'] / seconds:,.0f}" if seconds else "n/a"
        lines.append(f"| {label} | {ms(seconds and seconds * 1000).rstrip()} ms | {rate} | "
                     f"{ratio(seconds, floor_load)} |")  # fmt: skip
    lines += [
        "",
        "| query (median / p95 ms) | pyoxigraph in memory (floor) | mkg /sparql | mkg REST "
        "| rdflib in memory | rdflib-endpoint | /sparql vs floor | rdflib vs /sparql "
        "| rdflib-endpoint vs /sparql |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    peer = r["peer"]
    for name in QUERIES:
        floor, sparql, rest = r["floor"][name], r["sparql"][name], r["rest"][name]
        rdf = peer.get("rdflib", {}).get(name, {})
        endpoint = peer.get("rdflib_endpoint", {}).get(name, {})

        def cell(t: dict[str, Any]) -> str:
            return f"{ms(t.get('median_ms'))} / {ms(t.get('p95_ms'))}" if t else "did not finish"

        lines.append(
            f"| {name} ({r['rows'][name]} rows) | {cell(floor)} | {cell(sparql)} | {cell(rest)} "
            f"| {cell(rdf)} | {cell(endpoint)} "
            f"| {ratio(sparql['median_ms'], floor['median_ms'])} "
            f"| {ratio(rdf.get('median_ms'), sparql['median_ms'])} "
            f"| {ratio(endpoint.get('median_ms'), sparql['median_ms'])} |"
        )
    health = r["health"]["median_ms"]
    lines += [
        "",
        "| REST route | first call (uncached) ms | cached median ms | cached vs /health |",
        "|---|---|---|---|",
    ]
    for name in REST:
        rest = r["rest"][name]
        lines.append(f"| {name} | {ms(rest['first_ms'])} | {ms(rest['median_ms'])} | "
                     f"{ratio(rest['median_ms'], health)} |")  # fmt: skip
    lines += [
        "",
        f"/health round trip {ms(health)} ms; server ready in "
        f"{r['serve_start_s']:.1f} s; server peak memory {r['server_peak_pss_mb']:,.0f} MB "
        f"(PSS of the server and its workers; main process RSS {r['server_peak_rss_mb']:,.0f} MB)"
        + (f"; rdflib peak RSS {peer['rdflib_peak_rss_mb']:,.0f} MB"
           if "rdflib_peak_rss_mb" in peer else "")
        + (f"; rdflib: {peer['error']}" if "error" in peer else ""),
    ]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
