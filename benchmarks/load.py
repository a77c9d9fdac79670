"""Bounded load: concurrent clients on mixed routes for a fixed time against `mkg serve`,
while `mkg build` writes a new graph version into the store it serves; then the same
clients on /health only, the ceiling of this machine.

    python benchmarks/load.py [--seconds 30] [--clients 16] [--rebuild/--no-rebuild] [--json OUT]

The corpus is built into a temporary store and served on a free loopback port with rate
limiting off. The mixed routes are real URLs taken from the graph served (`routes`): event
lists, organization pages (JSON, HTML and the linked-data page), analytics, small SPARQL
SELECTs and the network page with its data. With --rebuild (the default) `mkg build` runs
into the same store a couple of seconds into the load, from a copy of the corpus with one
document changed, so that it makes a new graph version. Each route is asked once before
and once after the load; /health says which graph version is served before and after.

The client is wrk (Debian package `wrk`) driven by benchmarks/load.lua: a Python client
tops out at 1-2k requests a second, wrk's C client costs far less, so it measures the
server. It prints a table and writes JSON to benchmarks/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx2 as httpx

try:  # imported as benchmarks.load (by the tests) or run as a script from benchmarks/
    from benchmarks.bench_api import free_port, stop
except ModuleNotFoundError:
    from bench_api import free_port, stop

from graph.settings import PROJECT_ROOT, Settings

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
LUA = HERE / "load.lua"
PYTHON = sys.executable
WRK_TIMEOUT_S = 5
"""A request unanswered after this long counts as an error (wrk's `timeout`)."""
PROBLEM = re.compile(r'" [45]\d\d\b|"status": [45]\d\d|ERROR|Traceback')
"""Server log lines worth showing when a run had errors: 4xx/5xx answers (in the text and
the JSON log), logged errors."""
SPARQL_JSON = "application/sparql-results+json"
SPARQL_PREFIXES = """PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
"""


@dataclass(frozen=True)
class Route:
    """One URL of the load: a path with its query string, and the Accept header to send."""

    path: str
    accept: str | None = None

    @property
    def label(self) -> str:
        """The path, and the media type asked for when there is one."""
        return f"{self.path} [{self.accept}]" if self.accept else self.path

    def line(self) -> str:
        """The route as a line of load.lua's route file."""
        return f"{self.path}\t{self.accept}" if self.accept else self.path


HEALTH = [Route("/health")]


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured: counts, throughput, latency (ms) and errors."""

    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    """wrk's error counts: connect, read, write, timeout, status (a status above 399)."""
    statuses: dict[str, int]
    """Every answer that was not a 200, by status."""

    @property
    def error_count(self) -> int:
        """Errors of every kind, and answers other than 200 that wrk does not count."""
        return sum(self.errors.values()) + sum(
            n for status, n in self.statuses.items() if int(status) < 400
        )

    @classmethod
    def of(cls, line: str) -> WrkResult:
        """From the JSON line load.lua's done() prints."""
        raw = json.loads(line)
        seconds = raw["duration_us"] / 1e6
        return cls(
            requests=raw["requests"],
            seconds=round(seconds, 2),
            per_second=round(raw["requests"] / seconds, 1),
            p50_ms=raw["p50_us"] / 1000,
            p90_ms=raw["p90_us"] / 1000,
            p99_ms=raw["p99_us"] / 1000,
            max_ms=raw["max_us"] / 1000,
            errors=raw["errors"],
            statuses=raw["statuses"],
        )


@dataclass
class Writer:
    """A command that writes a new graph version into the store served (`mkg build` or
    `mkg load`), started `delay` seconds into the load; then, for up to `follow` seconds,
    it waits for the server at `url` to serve that version. Records how both went."""

    args: list[str]
    env: Mapping[str, str] = field(repr=False)
    url: str
    delay: float = 2.0
    follow: float = 0.0
    seconds: float | None = None
    returncode: int | None = None
    output: str = ""
    served_at: float | None = None
    """Seconds after the start when the server first answered with the new version."""

    def __call__(self) -> None:
        """Wait `delay` seconds, run the command to its end, wait for the switch."""
        begun = time.perf_counter()
        time.sleep(self.delay)
        started = time.perf_counter()
        done = subprocess.run(
            [PYTHON, "-m", "graph.cli", *self.args],
            env=dict(self.env),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        self.seconds = round(time.perf_counter() - started, 2)
        self.returncode = done.returncode
        self.output = (done.stdout + done.stderr).strip()
        new = self.version
        if new and self.follow > 0 and await_version(self.url, new, self.follow) == new:
            self.served_at = round(time.perf_counter() - begun, 1)

    def record(self, load_seconds: float) -> dict[str, Any]:
        """What the report says about the writer, against a load of `load_seconds`."""
        ended = self.delay + self.seconds if self.seconds is not None else None
        return {
            "command": "mkg " + " ".join(self.args),
            "started_s": self.delay,
            "seconds": self.seconds,
            "returncode": self.returncode,
            "finished_during_load": ended is not None and ended <= load_seconds,
            "served_at_s": self.served_at,
            "output": self.output[-500:] if self.returncode else "",
        }

    @property
    def version(self) -> str | None:
        """The graph version the command reported writing, if it did."""
        found = re.search(r"(?:built|loaded) graph (\w+)", self.output)
        return found.group(1) if found else None


@dataclass
class Report:
    """One run of the load test: its settings, both phases and what the writer did."""

    clients: int
    seconds: int
    machine: str
    date: str
    routes: list[str]
    mixed: WrkResult | None = None
    ceiling: WrkResult | None = None
    writer: dict[str, Any] | None = None
    versions: dict[str, str | None] = field(default_factory=dict)
    not_ok_before: dict[str, int] = field(default_factory=dict)
    not_ok_after: dict[str, int] = field(default_factory=dict)
    server_log: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """Mixed-route throughput as a share of the /health ceiling."""
        if self.mixed is None or self.ceiling is None or not self.ceiling.per_second:
            return None
        return round(self.mixed.per_second / self.ceiling.per_second, 3)


@contextmanager
def serving(
    store: Path, env: Mapping[str, str] | None = None, log: Path | None = None
) -> Iterator[str]:
    """`mkg serve` on the store (rate limiting and the per-client share of /sparql off:
    the clients here stand for many, all on loopback), yielding its base URL once /health
    answers; its output goes to `log`."""
    port = free_port()
    environment = {
        "MKG_SPARQL_CLIENT_SHARE": "1000",
        **(env or os.environ),
        "MKG_STORE": str(store),
        "MKG_RATE_LIMIT": "off",
    }
    with open(log or os.devnull, "wb") as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "graph.cli", "serve", "--port", str(port)],
            env=environment,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    answer = httpx.get(f"{url}/health", timeout=2)
                except httpx.TransportError:
                    answer = None
                if answer is not None and answer.status_code == 200:
                    break
                if answer is not None:  # up, but without a graph it can serve
                    raise RuntimeError(f"/health answered {answer.status_code}: {answer.text}")
                if process.poll() is not None or time.monotonic() > deadline:
                    said = log.read_text(errors="replace")[-2000:] if log else ""
                    raise RuntimeError(f"the server did not start: {said}")
                time.sleep(0.1)
            yield url
        finally:
            stop(process)


def url_of(path: str, **params: str | int) -> str:
    """A path with its query string, url-encoded."""
    return f"{path}?{urlencode(params)}" if params else path


def routes(url: str) -> list[Route]:
    """The mixed routes, with ids taken from the graph served at `url`: event lists (pages,
    a date window, a theme, an organizer), the busiest organizations as JSON, as a page and
    as linked data (HTML and JSON-LD), analytics (rankings, pairs, centrality, communities,
    a path between two organizations), small SPARQL SELECTs and the network page."""
    with httpx.Client(base_url=url, timeout=60) as client:

        def get(path: str, **params: str | int) -> Any:
            answer = client.get(path, params=params)
            answer.raise_for_status()
            return answer.json()

        busiest = [c["org"] for c in get("/api/analytics/cosponsors", limit=2)["items"]]
        pairs = [p["orgs"] for p in get("/api/analytics/pairs", limit=2)["items"]]
        events = get("/api/events", limit=1000)
    middle = events["items"][len(events["items"]) // 2]
    year = int(middle["start"][:4])
    theme = Counter(t for e in events["items"] for t in e["themes"]).most_common(1)[0][0]
    # two organizations that each worked with a third: the path has a hop or two
    source, target = pairs[0][1]["id"], pairs[-1][1]["id"]
    if source == target:
        source, target = pairs[0][0]["id"], pairs[0][1]["id"]
    base = Settings().base_iri
    listed = [
        url_of("/api/events", limit=20),
        url_of("/api/events", limit=20, offset=events["total"] // 2),
        url_of("/api/events", start=year, end=year + 2, limit=50),
        url_of("/api/events", theme=theme),
        url_of("/api/events", org=busiest[1]["id"]),
        url_of("/api/organizations", limit=50),
        "/api/analytics/cosponsors",
        "/api/analytics/pairs",
        url_of("/api/analytics/centrality", measure="betweenness"),
        "/api/analytics/communities",
        url_of("/api/analytics/path", source=source, target=target),
        "/viz/network",
        "/viz/network.json",
        url_of("/viz/network.json", org=busiest[1]["id"]),
    ]
    found = [Route(path) for path in listed]
    for org in busiest:
        linked_data = "/id/" + org["iri"].removeprefix(base)
        found += [
            Route(f"/api/organizations/{quote(org['id'], safe='')}"),
            Route(f"/viz/organizations/{quote(org['id'], safe='')}"),
            Route(linked_data, "text/html"),
            Route(linked_data, "application/ld+json"),
        ]
    queries = [
        "SELECT ?org ?label WHERE { ?org a mkg:Organization ; skos:prefLabel ?label }"
        " ORDER BY ?label LIMIT 20",
        f"SELECT ?event ?start WHERE {{ ?event mkg:organizer <{busiest[0]['iri']}> ;"
        " schema:startDate ?start } ORDER BY ?start LIMIT 20",
        f"SELECT ?org ?label WHERE {{ <{middle['iri']}> mkg:organizer ?org ."
        " ?org skos:prefLabel ?label }",
        "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
    ]
    found += [Route(url_of("/sparql", query=SPARQL_PREFIXES + q), SPARQL_JSON) for q in queries]
    return found


def check_routes(url: str, wanted: Sequence[Route]) -> dict[str, int]:
    """Each route asked once: the status of every route that did not answer 200."""
    not_ok: dict[str, int] = {}
    with httpx.Client(base_url=url, timeout=60) as client:
        for route in wanted:
            headers = {"Accept": route.accept} if route.accept else {}
            status = client.get(route.path, headers=headers).status_code
            if status != 200:
                not_ok[route.label] = status
    return not_ok


def run_wrk(
    url: str,
    wanted: Sequence[Route],
    seconds: int,
    clients: int,
    *,
    threads: int = 2,
    meanwhile: Callable[[], object] | None = None,
    linger: float | None = None,
) -> WrkResult:
    """wrk with `clients` connections on the routes for `seconds` (whole seconds, as wrk
    takes them); `meanwhile` runs in this thread once wrk has started (e.g. a rebuild).
    With `linger`, wrk stops that many seconds after `meanwhile` returns, if its time has
    not run out by then (on SIGINT it still reports, for the time it ran)."""
    with tempfile.TemporaryDirectory(prefix="mkg-load-") as tmp:
        route_file = Path(tmp) / "routes.txt"
        route_file.write_text("".join(r.line() + "\n" for r in wanted), encoding="utf-8")
        process = subprocess.Popen(
            ["wrk", f"-t{min(threads, clients)}", f"-c{clients}", f"-d{seconds}s",
             f"--timeout={WRK_TIMEOUT_S}s", "-s", str(LUA), url, "--", str(route_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        try:
            if meanwhile is not None:
                meanwhile()
                if linger is not None and process.poll() is None:
                    time.sleep(linger)
                    process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=seconds + 60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    lines = [line for line in out.splitlines() if line.startswith('{"requests"')]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({process.returncode}): {err.strip() or out.strip()}")
    return WrkResult.of(lines[-1])


def graph_version(url: str) -> str | None:
    """The graph version /health reports, or None if it does not answer 200."""
    try:
        answer = httpx.get(f"{url}/health", timeout=10)
    except httpx.TransportError:
        return None
    return str(answer.json()["graph_version"]) if answer.status_code == 200 else None


def await_version(url: str, version: str, within: float) -> str | None:
    """The version served once it is `version`, or whatever is served after `within` s."""
    deadline = time.monotonic() + within
    while True:
        served = graph_version(url)
        if served == version or time.monotonic() > deadline:
            return served
        time.sleep(0.2)


def changed_corpus(target: Path) -> Path:
    """A copy of the project's corpus with one sentence added to its last document, so a
    build from it makes a graph version different from the corpus's own."""
    corpus = Settings().corpus
    shutil.copytree(corpus, target)
    last = sorted(target.glob("*.txt"))[-1]
    with last.open("a", encoding="utf-8") as text:
        text.write("\nThis sentence was added by the load test.\n")
    return target


def log_problems(log: Path, limit: int = 8) -> list[str]:
    """The first server log lines that show an error answer or a logged error."""
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line[:200] for line in lines if PROBLEM.search(line)][:limit]


def measure(args: argparse.Namespace, work: Path) -> Report:
    """Build, serve, run the mixed phase (with the rebuild) and the ceiling phase."""
    store = work / "store"
    env = {**os.environ, "MKG_STORE": str(store)}
    step("building the corpus into a temporary store")
    build = [PYTHON, "-m", "graph.cli", "build"]
    subprocess.run(build, env=env, cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)
    log = work / "server.log"
    with serving(store, env, log) as url:
        wanted = routes(url)
        report = Report(
            clients=args.clients,
            seconds=args.seconds,
            machine=f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            date=time.strftime("%Y-%m-%d"),
            routes=[r.label for r in wanted],
        )
        report.not_ok_before = check_routes(url, wanted)
        report.versions["before"] = graph_version(url)
        writer = None
        if args.rebuild:
            corpus = changed_corpus(work / "corpus")
            follow = 2 * Settings().follow_seconds + 1  # it looks every follow_seconds
            changed = {**env, "MKG_CORPUS": str(corpus)}
            writer = Writer(["build"], changed, url, delay=args.delay, follow=follow)
        during = f", `mkg build` {args.delay:.0f} s in" if writer else ""
        step(f"mixed routes ({len(wanted)}): {args.clients} clients, {args.seconds} s{during}")
        report.mixed = run_wrk(url, wanted, args.seconds, args.clients, meanwhile=writer)
        if writer is not None:
            report.writer = writer.record(report.mixed.seconds)
            report.versions["built"] = writer.version
        report.versions["after"] = graph_version(url)
        report.not_ok_after = check_routes(url, wanted)
        step(f"/health only (the ceiling): {args.clients} clients, {args.seconds} s")
        report.ceiling = run_wrk(url, HEALTH, args.seconds, args.clients)
    if report.mixed.error_count or report.ceiling.error_count:
        report.server_log = log_problems(log)
    return report


def table(report: Report) -> str:
    """The report in one screen of markdown."""
    lines = [
        f"## load: {report.clients} clients, {report.seconds} s a phase, {report.machine}, "
        f"{report.date}",
        "",
        "| phase | requests | req/s | p50 ms | p99 ms | max ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    phases = [
        (f"mixed routes ({len(report.routes)})", report.mixed),
        ("/health only (ceiling)", report.ceiling),
    ]
    for name, result in phases:
        if result is None:
            continue
        errors = ", ".join(f"{k} {v}" for k, v in result.errors.items() if v)
        statuses = ", ".join(f"{n}x {s}" for s, n in sorted(result.statuses.items()))
        shown = f"{result.error_count}" + (f" ({errors}; {statuses})" if errors or statuses else "")
        lines.append(
            f"| {name} | {result.requests:,} | {result.per_second:,.0f} | {result.p50_ms:.1f} "
            f"| {result.p99_ms:.1f} | {result.max_ms:.1f} | {shown} |"
        )
    lines.append("")
    if report.ratio is not None:
        lines.append(f"mixed / ceiling throughput: {report.ratio:.2f}")
    if report.writer is not None:
        w = report.writer
        if w["returncode"] is None:
            finished = "did not finish"
        else:
            during = "during" if w["finished_during_load"] else "after"
            finished = f"exit {w['returncode']}, finished {during} the load"
        lines.append(
            f"`{w['command']}` (one document changed) started {w['started_s']:.0f} s in, "
            f"took {w['seconds']} s, {finished}"
        )
    v = report.versions
    switch = ""
    if v.get("built"):
        served_at = report.writer["served_at_s"] if report.writer else None
        if served_at is None:
            switch = " (the server did not switch to it)"
        elif report.mixed is not None and served_at > report.mixed.seconds:
            switch = f" (served from {served_at} s, after the load)"
        else:
            switch = f" (served from {served_at} s into the load)"
    lines.append(
        f"graph version before {v.get('before')}, built {v.get('built', '-')}, "
        f"after {v.get('after')}{switch}"
    )
    for when, not_ok in (("before", report.not_ok_before), ("after", report.not_ok_after)):
        lines.append(
            f"routes asked once {when}: "
            + (", ".join(f"{r} -> {s}" for r, s in not_ok.items()) if not_ok else "all 200")
        )
    if report.server_log:
        lines += ["", "server log:", *(f"    {line}" for line in report.server_log)]
    return "\n".join(lines)


def step(message: str) -> None:
    """A progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    """Parse the arguments, run the load test, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each phase")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    parser.add_argument("--rebuild", action=argparse.BooleanOptionalAction, default=True,
                        help="run `mkg build` into the served store during the load")  # fmt: skip
    parser.add_argument("--delay", type=float, default=2.0,
                        help="seconds into the load the rebuild starts")  # fmt: skip
    parser.add_argument("--json", type=Path, help="where to write the results")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="mkg-load-") as tmp:
        report = measure(args, Path(tmp))
    out = args.json or RESULTS / "load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**asdict(report), "ratio": report.ratio}, indent=2) + "\n")
    print(table(report))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
