"""Real pages in a real browser: `mkg serve` over a built store, Debian's Chromium driven
by Playwright (executable_path=/usr/bin/chromium; never `playwright install`), every
request that leaves the server blocked and recorded, console errors collected.

A second store carries hostile text: an organization and an event whose labels are
markup meant to run (`"><img src=x onerror=...>`), organizing real events, so that pages
can be checked to show it as text."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

from graph.store.backend import GraphInfo
from graph.store.embedded import StoreLayout, write_version
from tests.conftest import PROJECT_ROOT, Built, require
from tests.servers import serve

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("MKG_SCREENSHOTS", PROJECT_ROOT / "tests" / "screenshots"))
PAYLOAD = '"><img src=x onerror="window.__pwned=1">'
"""Markup that would set window.__pwned if any page let it run."""
PAYLOAD_LITERAL = '"' + PAYLOAD.replace("\\", "\\\\").replace('"', '\\"') + '"'
"""PAYLOAD as an N-Quads literal."""
BASE = "https://w3id.org/migration-kg/id/"
MKG = "https://w3id.org/migration-kg/ontology#"
MADRID = f"{BASE}event/2006-07-18-madrid-ibero-american-encounter-on-international-migration"


@pytest.fixture(scope="session")
def live_server(built: Built) -> Iterator[str]:
    """The corpus, served over real HTTP."""
    yield from serve(built.settings.store)


@pytest.fixture(scope="session")
def hostile_server(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The corpus plus an organization and an event labelled with PAYLOAD, served."""
    graph = f"<{BASE}graph/hostile>"
    org, event = f"<{BASE}org/HOSTILE>", f"<{BASE}event/2006-05-01-hostile>"
    text = PAYLOAD_LITERAL
    extra = [
        f"{org} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{MKG}Organization> {graph} .",
        f"{org} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{MKG}NGO> {graph} .",
        f"{org} <http://www.w3.org/2004/02/skos/core#prefLabel> {text} {graph} .",
        f"{org} <{MKG}acronym> {text} {graph} .",
        f"<{MADRID}> <{MKG}organizer> {org} {graph} .",
        f"{event} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{MKG}Event> {graph} .",
        f"{event} <http://www.w3.org/2000/01/rdf-schema#label> {text} {graph} .",
        f'{event} <https://schema.org/startDate> "2006-05-01"'
        f"^^<http://www.w3.org/2001/XMLSchema#date> {graph} .",
        f"{event} <{MKG}organizer> {org} {graph} .",
        f"{event} <{MKG}organizer> <{BASE}org/IOM> {graph} .",
    ]
    yield from serve_with(built, tmp_path_factory.mktemp("hostile"), extra, "hostile-v1")


def serve_with(built: Built, folder: Path, extra: list[str], version: str) -> Iterator[str]:
    """The corpus plus `extra` N-Quads lines, published as `version` in folder and served."""
    nquads = built.store.dump() + ("\n".join(extra) + "\n").encode()
    layout = StoreLayout(folder / "store")
    with layout.writing() as work:
        write_version(work, nquads)
        layout.publish(work, GraphInfo(version, 0, "", f"corpus plus {len(extra)} hostile lines"))
    yield from serve(layout.link)


@dataclass
class Visit:
    """An open page, with what it tried to fetch elsewhere and what went wrong in it."""

    page: Page
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        """A full-page PNG under SCREENSHOTS."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        """Nothing fetched from outside the server, no console error, no injected script."""
        assert self.blocked == [], f"requests outside the server: {self.blocked}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.page.evaluate("window.__pwned") is None


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    require(CHROMIUM.exists(), "Debian's chromium (/usr/bin/chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


Opener = Callable[..., Visit]


@pytest.fixture
def visit(chromium: Browser, live_server: str) -> Iterator[Opener]:
    """visit(path, server=live_server): open a page with outside requests blocked."""
    contexts = []

    def open_page(path: str, server: str = live_server) -> Visit:
        context = chromium.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(str(e)))

        def gate(route: Route, request: Request) -> None:
            if request.url.startswith(server) or request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                seen.blocked.append(request.url)
                route.abort()

        context.route("**/*", gate)
        page.goto(server + path, wait_until="networkidle")
        return seen

    yield open_page
    for context in contexts:
        context.close()
