"""Fixture strategy.

Tests run on real inputs: the corpus in corpus/ and small fixtures in tests/fixtures/.
The real corpus is built once per session into a temporary store (`built`), which
read-only tests share, most through the app over it (`client`, one per module). Tests
that change inputs or the store work on their own copy of the corpus (`corpus_copy`) and
their own store path (`fresh_settings`), so nothing a test does can reach another test
or the developer's data/ folder. The CLI is run as a real
subprocess (`run_mkg`) where exit codes and stderr lines are what is being tested.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.pipeline.build import Extraction, build
from graph.settings import PROJECT_ROOT, Settings
from graph.store.backend import GraphInfo
from graph.store.embedded import OxigraphStore, StoreLayout

pytest_plugins = ["tests.browser", "tests.virtuoso"]
# Tests make many requests a second from one client: rate limiting is off for them (and
# the servers they start), and on only where tests/test_rate_limit.py turns it on.
os.environ["MKG_RATE_LIMIT"] = "off"
CORPUS = PROJECT_ROOT / "corpus"
CALENDAR_DOC = "000_14d2ce0a342a483c"
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Built:
    """The real corpus, built once: its settings, info, extraction and an open store."""

    settings: Settings
    info: GraphInfo
    extraction: Extraction
    store: OxigraphStore


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The corpus built into a session-wide temporary store."""
    settings = Settings(store=tmp_path_factory.mktemp("built") / "store")
    info, extraction = build(settings)
    store = StoreLayout(settings.store).open()
    return Built(settings, info, extraction, store)


@pytest.fixture(scope="module")
def client(built: Built) -> Iterator[TestClient]:
    """The app over the built corpus, in process (one per test module)."""
    with TestClient(create_app(built.settings)) as test_client:
        yield test_client


def ok_json(client: TestClient, url: str, **params: Any) -> Any:
    """The JSON body of a GET that must answer 200."""
    answer = client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def all_pages(client: TestClient, url: str, page_size: int = 100, **params: Any) -> list[Any]:
    """Every item of a paginated list, page by page, checking the page envelope."""
    items: list[Any] = []
    while True:
        page = ok_json(client, url, limit=page_size, offset=len(items), **params)
        assert page["limit"] == page_size and page["offset"] == len(items)
        items += page["items"]
        if not page["items"]:
            assert len(items) == page["total"]
            return items


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the corpus that a test may damage."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def fresh_settings(tmp_path: Path, corpus_copy: Path) -> Settings:
    """Settings pointing at a private store and the private corpus copy."""
    return Settings(store=tmp_path / "store", corpus=corpus_copy)


def require(available: bool, what: str) -> None:
    """Skip a test whose outside tool is missing, or fail under MKG_REQUIRE_ALL=1 (as CI sets)."""
    if available:
        return
    if os.environ.get("MKG_REQUIRE_ALL") == "1":
        pytest.fail(f"{what} is required (MKG_REQUIRE_ALL=1) but missing")
    pytest.skip(f"{what} is missing; set MKG_REQUIRE_ALL=1 to make this a failure")


RunMkg = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_mkg() -> RunMkg:
    """Run `mkg ARGS...` as a subprocess with the given settings; returns the completed run."""

    def run(
        *args: str, settings: Settings, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "MKG_STORE": str(settings.store),
            "MKG_CORPUS": str(settings.corpus),
        }
        return subprocess.run(
            [sys.executable, "-m", "graph.cli", *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run
