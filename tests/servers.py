"""A real `mkg serve` for tests that need HTTP as clients see it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(store: Path, log: Path | None = None, **settings: str) -> Iterator[str]:
    """`mkg serve` on a store (MKG_<NAME> settings as keywords); yields its base URL once
    /health answers, and stops it afterwards. Its log goes to `log` when one is given."""
    port = free_port()
    env = {
        **os.environ,
        "MKG_STORE": str(store),
        **{f"MKG_{name.upper()}": value for name, value in settings.items()},
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if log is None else log.open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if process.poll() is not None:
                    said = process.stderr.read() if process.stderr else log.read_bytes()  # type: ignore[union-attr]
                    pytest.fail(f"server exited: {said.decode()}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
