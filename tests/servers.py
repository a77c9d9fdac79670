"""A real `mkg serve` for tests that need HTTP as clients see it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

PIDS: dict[str, int] = {}
"""The process id of each running server, by its base URL (for tests that watch its memory)."""


def ask(server: str, query: str, accept: str | None = None, timeout: float = 30) -> httpx.Response:
    """GET {server}/sparql?query=..., with an Accept header when one is given."""
    headers = {"Accept": accept} if accept else {}
    return httpx.get(f"{server}/sparql", params={"query": query}, headers=headers, timeout=timeout)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(store: Path, log: Path | None = None, **settings: str) -> Iterator[str]:
    """`mkg serve` on a store (MKG_<NAME> settings as keywords); yields its base URL once
    /health answers, and stops it afterwards. Its log goes to `log` when one is given,
    else to a temporary file (a pipe nobody reads would block the server once full)."""
    port = free_port()
    env = {
        **os.environ,
        "MKG_STORE": str(store),
        **{f"MKG_{name.upper()}": value for name, value in settings.items()},
    }
    with (
        log.open("w+b") if log is not None else tempfile.TemporaryFile() as written,
        subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=written,
        ) as process,
    ):
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    if process.poll() is not None:
                        written.seek(0)
                        pytest.fail(f"server exited: {written.read().decode()}")
                    time.sleep(0.1)
            PIDS[url] = process.pid
            yield url
        finally:
            PIDS.pop(url, None)
            process.terminate()
            process.wait(timeout=10)
