"""A rebuild while `mkg serve` answers, and builds killed at any moment.

Each test builds the corpus into its own store, serves it with a real `mkg serve`, and
runs `mkg build` as a real subprocess beside it, as a user would. A second build differs
from the first by a new label for IOM in the registry, so the two versions differ and the
test can tell which one is served.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx2 as httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from api.main import create_app
from graph.pipeline.build import build as build_in_process
from graph.settings import Settings
from graph.store.backend import GraphInfo
from graph.store.embedded import META_FILE, StoreLayout
from tests.servers import serve

NEW_LABEL = "International Organization for Migration, rebuilt"
ROUTES = (
    "/health",
    "/api/events?limit=5",
    "/api/organizations/IOM",
    "/api/analytics/cosponsors?limit=5",
    "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
)


def mkg(settings: Settings, *args: str) -> subprocess.Popen[bytes]:
    """`mkg ARGS` as a subprocess on the settings' store and corpus."""
    env = {
        **os.environ,
        "MKG_STORE": str(settings.store),
        "MKG_CORPUS": str(settings.corpus),
        "MKG_REGISTRY_DIR": str(settings.registry_dir),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def build(settings: Settings) -> str:
    """Run `mkg build` to the end; the version it published."""
    child = mkg(settings, "build")
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0, err.decode()
    return version_of(settings)


def version_of(settings: Settings) -> str:
    current = StoreLayout(settings.store).current()
    assert current is not None
    return str(json.loads((current / META_FILE).read_text())["version"])


def relabel_iom(settings: Settings, label: str) -> Settings:
    """Settings whose registry (a copy) gives IOM another label: the next build differs."""
    registry = settings.store.parent / "registry"
    if not registry.exists():
        shutil.copytree(settings.registry_dir, registry)
    path = registry / "organizations.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in entries["organizations"]:
        if entry["id"] == "IOM":
            entry["label"] = label
    path.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), "utf-8")
    return settings.model_copy(update={"registry_dir": registry})


class Clients:
    """Threads that request the routes in turn until stopped, counting every answer."""

    def __init__(self, url: str, threads: int = 4) -> None:
        self.url = url
        self.statuses: Counter[int | str] = Counter()
        self.versions: list[str] = []
        self.failures: list[str] = []
        """The route, status and body of each answer that was not a 200, for the message."""
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def __enter__(self) -> Clients:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, offset: int) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            n = offset
            while not self._stop.is_set():
                route = ROUTES[n % len(ROUTES)]
                n += 1
                try:
                    answer = client.get(route)
                except httpx.HTTPError as exc:
                    outcome: int | str = type(exc).__name__
                else:
                    outcome = answer.status_code
                    if outcome != 200:
                        with self._lock:
                            self.failures.append(f"{route}: {outcome} {answer.text[:300]}")
                    if route == "/health" and outcome == 200:
                        with self._lock:
                            self.versions.append(answer.json()["graph_version"])
                with self._lock:
                    self.statuses[outcome] += 1


def wait_for_version(url: str, version: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if httpx.get(f"{url}/health").json()["graph_version"] == version:
            return
        time.sleep(0.1)
    pytest.fail(f"the server did not switch to graph version {version} in {seconds:g} s")


@pytest.mark.parametrize("in_memory", ["true", "false"])
def test_a_rebuild_while_serving_answers_throughout_and_switches_without_a_restart(
    fresh_settings: Settings, in_memory: str
) -> None:
    first = build(fresh_settings)
    # the four client threads share one address: each may have its /sparql query running
    shares = {"sparql_client_share": "4"}
    for url in serve(fresh_settings.store, follow_seconds="0.2", in_memory=in_memory, **shares):
        with Clients(url) as clients:
            time.sleep(0.5)
            second = build(relabel_iom(fresh_settings, NEW_LABEL))
            assert second != first
            wait_for_version(url, second)
            time.sleep(1.0)  # requests go on after the switch
        assert set(clients.statuses) == {200}, (clients.statuses, clients.failures[:5])
        assert clients.statuses[200] > 50
        assert clients.versions[0] == first and clients.versions[-1] == second
        # the new graph, not only its version
        health = httpx.get(f"{url}/health").json()
        assert health["served_from"] == ("memory" if in_memory == "true" else "disk")
        assert httpx.get(f"{url}/api/organizations/IOM").json()["label"] == NEW_LABEL


def test_a_version_a_server_reads_from_disk_is_not_pruned(fresh_settings: Settings) -> None:
    build(fresh_settings)
    # the server never switches here: it holds its version while three builds publish
    for url in serve(fresh_settings.store, follow_seconds="0", in_memory="false"):
        served = StoreLayout(fresh_settings.store).current()
        assert served is not None
        for _ in range(3):
            build(fresh_settings)
        assert served.is_dir()
        assert served != StoreLayout(fresh_settings.store).current()
        for route in ROUTES:
            assert httpx.get(f"{url}{route}").status_code == 200, route
    # once no server reads it, the next build prunes it
    build(fresh_settings)
    assert not served.exists()


@pytest.mark.parametrize("after", [0.2, 1.0, 2.0])  # imports, extraction, later
def test_a_build_killed_midway_leaves_the_last_good_graph(
    fresh_settings: Settings, after: float
) -> None:
    good = build(fresh_settings)
    changed = relabel_iom(fresh_settings, NEW_LABEL)
    child = mkg(changed, "build")
    time.sleep(after)
    if child.poll() is not None:
        pytest.fail(f"the build finished in under {after} s; kill it earlier")
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    assert version_of(fresh_settings) == good
    for url in serve(fresh_settings.store):
        assert httpx.get(f"{url}/health").json()["graph_version"] == good
        assert httpx.get(f"{url}/api/organizations/IOM").status_code == 200
    # the next build cleans up whatever the killed one left, and publishes
    assert build(changed) != good
    assert_no_leftovers(fresh_settings)


@pytest.mark.parametrize("where", ["absolute", "relative"])
def test_the_next_build_removes_what_a_build_killed_while_publishing_left(
    fresh_settings: Settings, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The states a kill between the publishing steps leaves: a working directory, a
    finished version renamed into place but never linked, a new link not yet swapped in.
    The store path as given, absolute or relative (like the default, data/store)."""
    if where == "relative":
        monkeypatch.chdir(fresh_settings.store.parent)
        fresh_settings = fresh_settings.model_copy(
            update={"store": Path(fresh_settings.store.name)}
        )
    good = build(fresh_settings)
    layout = StoreLayout(fresh_settings.store)
    current = layout.current()
    assert current is not None
    shutil.copytree(current, layout.versions / f".work-{os.getpid()}-1")
    unpublished = layout.versions / f"{good}-{time.time_ns()}"
    shutil.copytree(current, unpublished)
    link = fresh_settings.store.parent / f".{fresh_settings.store.name}.link-99999"
    link.symlink_to(unpublished)
    for url in serve(fresh_settings.store):  # the link still names the last good version
        assert httpx.get(f"{url}/health").json()["graph_version"] == good
    assert layout.current() == current
    build(fresh_settings)
    assert_no_leftovers(fresh_settings)
    assert not unpublished.exists() and not link.is_symlink()


def assert_no_leftovers(settings: Settings) -> None:
    layout = StoreLayout(settings.store)
    assert not list(layout.versions.glob(".work-*"))
    assert not list(settings.store.parent.glob(f".{settings.store.name}.link-*"))
    current = layout.current()
    assert current is not None
    newer = [
        p
        for p in layout.versions.iterdir()
        if p.is_dir() and not p.name.startswith(".") and stamp(p) > stamp(current)
    ]
    assert not newer, newer


def stamp(version_dir: Path) -> int:
    return int(version_dir.name.rpartition("-")[2])


def test_a_server_started_before_any_graph_serves_the_first_build(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", follow_seconds=0.1)
    ask = {"query": "ASK { ?s ?p ?o }"}
    with TestClient(create_app(settings)) as client:
        for answer in (client.get("/health"), client.get("/sparql", params=ask)):
            assert answer.status_code == 503
            assert "run `mkg build`" in answer.json()["detail"]
        info, _ = build_in_process(settings)
        deadline = time.monotonic() + 30
        while client.get("/health").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.get("/health").json()["graph_version"] == info.version
        sparql = client.get("/sparql", params=ask, headers={"Accept": "application/json"})
        assert sparql.status_code == 200 and sparql.json()["boolean"] is True


def test_a_version_that_cannot_be_read_is_not_switched_to(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", follow_seconds=0.1)
    good, _ = build_in_process(settings)
    layout = StoreLayout(settings.store)
    with TestClient(create_app(settings)) as client:
        with layout.writing() as work:  # a version whose data is not a store
            (work / "oxigraph").mkdir()
            (work / "oxigraph" / "CURRENT").write_text("not a store\n")
            layout.publish(work, GraphInfo("broken", 0, "", "test"))
        time.sleep(0.5)
        assert client.get("/health").json()["graph_version"] == good.version
        assert client.get("/api/organizations/IOM").status_code == 200
        fixed, _ = build_in_process(relabel_iom(settings, NEW_LABEL))  # the next good one
        assert fixed.version != good.version
        deadline = time.monotonic() + 30
        while client.get("/health").json()["graph_version"] != fixed.version:
            assert time.monotonic() < deadline, "the server did not switch to the good version"
            time.sleep(0.1)
        assert client.get("/api/organizations/IOM").json()["label"] == NEW_LABEL
