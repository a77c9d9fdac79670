"""/sparql as a public endpoint: how long /health takes while heavy queries are parsed,
and what a self-doubling answer costs the server in memory.

    python benchmarks/bench_public.py [--json OUT]

The corpus is built into a temporary store and served by `mkg serve` with its defaults
(rate limiting off; the per-client share of /sparql as it ships). Phases, each from
clients on their own loopback addresses (127.0.0.2, ...):

1. idle: /health alone, 50 times;
2. malformed: three 4 KB malformed queries (BIND(1+1+...+1 with a parenthesis missing,
   2,000 terms) from three clients, /health asked in a loop until they answer;
3. valid 16 KB: an 8,000-term valid expression, /health asked until it answers;
4. doubled: a 908-byte query whose answer doubles a string 18 times over 100 rows
   (400 MiB uncut): its time, its size, and the growth of the server's peak memory
   (VmHWM, reset before the query), next to the byte cap.

Prints a table and writes JSON to benchmarks/results/public.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

try:  # imported as benchmarks.bench_public or run as a script from benchmarks/
    from benchmarks.load import serving
except ModuleNotFoundError:
    from load import serving

from graph.settings import PROJECT_ROOT, Settings

RESULTS = Path(__file__).resolve().parent / "results"
MALFORMED = "SELECT ?x WHERE { BIND(" + "+".join(["1"] * 2000) + " AS ?x }"
LONG_VALID = "SELECT ?x WHERE { BIND(" + "+".join(["1"] * 8000) + " AS ?x) }"


def doubled(times: int, rows: int) -> str:
    """A short query whose answer is `rows` strings of 16 * 2**times characters."""
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times))
    return (
        f"SELECT ?a{times} WHERE {{ {{ SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {rows} }} "
        f'BIND("0123456789abcdef" AS ?a0) {binds} }}'
    )


def health_while(url: str, queries: list[str]) -> dict[str, Any]:
    """/health latencies (ms) while `queries` run, each from its own client address."""
    answers: list[int] = []

    def send(index: int, query: str) -> None:
        transport = httpx.HTTPTransport(local_address=f"127.0.0.{index + 2}")
        with httpx.Client(transport=transport, timeout=120) as client:
            answers.append(client.post(f"{url}/sparql", data={"query": query}).status_code)

    threads = [threading.Thread(target=send, args=(i, q)) for i, q in enumerate(queries)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    latencies = []
    with httpx.Client(timeout=120) as client:
        while any(t.is_alive() for t in threads) or len(latencies) < (0 if threads else 50):
            began = time.perf_counter()
            assert client.get(f"{url}/health").status_code == 200
            latencies.append((time.perf_counter() - began) * 1000)
            time.sleep(0.02)
    for thread in threads:
        thread.join()
    return {
        "queries_s": round(time.perf_counter() - started, 2),
        "statuses": sorted(answers),
        "health_n": len(latencies),
        "health_p50_ms": round(statistics.median(latencies), 1),
        "health_max_ms": round(max(latencies), 1),
    }


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) * 1024
    return found


def server_pid(port: int) -> int:
    """The pid of the `mkg serve` listening on this port."""
    out = subprocess.run(
        ["pgrep", "-f", f"graph.cli serve --port {port}"], capture_output=True, text=True
    ).stdout.split()
    return int(out[0])


def main() -> None:
    """Run the phases and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=RESULTS / "public.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        env = {**os.environ, "MKG_STORE": str(store), "MKG_SPARQL_CLIENT_SHARE": "0"}
        subprocess.run(
            [sys.executable, "-m", "graph.cli", "build"],
            env=env,
            cwd=PROJECT_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with serving(store, env) as url:
            pid = server_pid(int(url.rsplit(":", 1)[1]))
            results: dict[str, Any] = {"idle": health_while(url, [])}
            results["malformed"] = health_while(url, [MALFORMED + " " * i for i in range(3)])
            results["valid_16kb"] = health_while(url, [LONG_VALID])
            query = doubled(18, 100)
            Path(f"/proc/{pid}/clear_refs").write_text("5")
            before = memory(pid)["VmRSS"]
            began = time.perf_counter()
            answer = httpx.post(f"{url}/sparql", data={"query": query}, timeout=120)
            results["doubled"] = {
                "query_bytes": len(query),
                "status": answer.status_code,
                "seconds": round(time.perf_counter() - began, 2),
                "answer_bytes": len(answer.content),
                "cap_bytes": int(Settings().max_result_bytes),
                "cut": answer.headers.get("X-SPARQL-MaxBytes"),
                "server_peak_growth_bytes": memory(pid)["VmHWM"] - before,
            }
    RESULTS.mkdir(exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print("| phase | query statuses | queries s | /health n | p50 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for name in ("idle", "malformed", "valid_16kb"):
        r = results[name]
        print(
            f"| {name} | {r['statuses']} | {r['queries_s']} | {r['health_n']} | "
            f"{r['health_p50_ms']} | {r['health_max_ms']} |"
        )
    print(json.dumps(results["doubled"]))


if __name__ == "__main__":
    main()
