"""Virtuoso Open Source (Debian's virtuoso-opensource) for the remote store tests.

One server per session, started by the tests, never by apt (which does not start it in
containers): `virtuoso-t +foreground` with an ini written here from the Debian sample's
settings, its database in a temporary folder (also its DirsAllowed), its SQL and HTTP
ports free ones on 127.0.0.1. A fresh database has the user dba with password dba.
Stopped afterwards with its whole process group, so nothing is left running.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from pydantic import SecretStr

from graph.settings import Settings
from tests.conftest import require
from tests.servers import free_port

VIRTUOSO = "virtuoso-t"
USER, PASSWORD = "dba", "dba"
ROW_LIMIT = 20_000
"""The server's result cap (ResultSetMaxRows): above the corpus' 16,773 quads, so a whole
dump fits, and low enough for a test to reach it."""
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {rows}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its HTTP base URL, database folder and dba credentials."""

    url: str
    directory: Path
    user: str = USER
    password: str = PASSWORD

    def settings(self, **overrides: Any) -> Settings:
        """Settings for a remote store on this server (authenticated endpoints)."""
        values: dict[str, Any] = {
            "store": f"sparql+{self.url}/sparql-auth",
            "remote_graph_store": f"{self.url}/sparql-graph-crud-auth",
            "remote_user": self.user,
            "remote_password": SecretStr(self.password),
            **overrides,
        }
        return Settings(**values)

    def environment(self) -> dict[str, str]:
        """The MKG_* variables that select this server, for a subprocess."""
        return {
            "MKG_STORE": f"sparql+{self.url}/sparql-auth",
            "MKG_REMOTE_GRAPH_STORE": f"{self.url}/sparql-graph-crud-auth",
            "MKG_REMOTE_USER": self.user,
            "MKG_REMOTE_PASSWORD": self.password,
        }


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Virtuoso on loopback with its own database, for the whole session."""
    executable = shutil.which(VIRTUOSO)
    require(executable is not None, "Virtuoso (virtuoso-t, Debian's virtuoso-opensource)")
    assert executable is not None
    directory = tmp_path_factory.mktemp("virtuoso")
    (directory / "vsp").mkdir()
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        INI.format(dir=directory, sql_port=sql_port, http_port=http_port, rows=ROW_LIMIT),
        encoding="utf-8",
    )
    log = (directory / "console.log").open("wb")
    process = subprocess.Popen(
        [executable, "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped whole afterwards
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        _wait_until_up(process, url, directory)
        yield Virtuoso(url, directory)
    finally:
        _stop(process)
        log.close()


def _wait_until_up(process: subprocess.Popen[bytes], url: str, directory: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (directory / "console.log").read_text(errors="replace")[-2000:]
            pytest.fail(f"virtuoso-t exited with {process.returncode}:\n{tail}")
        try:
            answer = httpx.post(f"{url}/sparql", data={"query": "ASK {}"}, timeout=2)
            if answer.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail("Virtuoso did not answer on HTTP within 120 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the group (Virtuoso checkpoints and exits), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
