"""The embedded graph store (pyoxigraph on disk, or a copy in memory), and `open_store`,
which opens the backend the settings name (this one, or graph.store.remote's).

A store path (setting MKG_STORE, default data/store) is a symbolic link to one immutable
version directory under `<store>.d/`. A build or load writes a new version directory,
then swaps the link with an atomic rename, so readers see either the old graph or the
new one, never half of one; a build that fails or is killed leaves the link untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import shutil
import time
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pydantic import ByteSize

from graph.errors import QueryError, StoreError, one_line
from graph.model.namespaces import PREFIXES
from graph.settings import Settings
from graph.store.backend import (
    GraphInfo,
    GraphStore,
    QueryResult,
    Source,
    not_valid_rdf,
    source_size,
)
from graph.store.queries import load_query
from graph.store.querytext import Term
from graph.store.remote import RemoteStore
from graph.store.sparql import QueryPool, QueryRunner

log = logging.getLogger(__name__)

DATA_DIR = "oxigraph"
META_FILE = "build.json"
KEEP_VERSIONS = 2


def open_store(settings: Settings, *, serving: bool = False) -> GraphStore:
    """The store the settings name: the remote endpoint if one is set, else the embedded
    store's current version (copied into memory when `serving` and it fits)."""
    if settings.remote:
        return RemoteStore.open(settings)
    layout = StoreLayout(settings.store)
    if not (serving and settings.in_memory):
        return layout.open()
    disk = layout.open()
    need = memory_estimate(disk.info)
    if need > settings.memory_ceiling:
        log.info(
            "serving graph %s from disk: in memory it would take about %s, over the %s "
            "ceiling (MKG_MEMORY_CEILING)",
            disk.info.version, _human(need), _human(settings.memory_ceiling),
        )  # fmt: skip
        return disk
    try:
        return MemoryStore(disk)
    finally:
        disk.close()


BYTES_PER_STATEMENT = 700
"""Memory a statement takes in a pyoxigraph store in memory, counting both of its copies
(its document's graph and the merged default graph): 1.52M quads (761k statements) took
500 MB resident (`benchmarks/run.py` reports the figure for the graph it measures)."""


def memory_estimate(info: GraphInfo) -> int:
    """Bytes the graph would take in memory."""
    return info.triples * BYTES_PER_STATEMENT


def _human(size: int) -> str:
    return ByteSize(size).human_readable()


class OxigraphStore:
    """A read-only view of one version directory of the embedded store."""

    served_from = "disk"

    def __init__(self, version_dir: Path) -> None:
        self.path = version_dir
        data = version_dir / DATA_DIR if (version_dir / DATA_DIR).is_dir() else version_dir
        self.data_path = data
        self._lease: Lease | None = Lease(version_dir)
        try:
            self._store: ox.Store | None = ox.Store.read_only(str(data))
        except OSError as exc:
            self._lease.release()
            raise StoreError(f"cannot open the store at {version_dir}: {exc}") from exc
        meta = version_dir / META_FILE
        if meta.is_file():
            self._info = GraphInfo(**json.loads(meta.read_text(encoding="utf-8")))
        else:
            self._info = GraphInfo(
                version="unversioned", triples=len(self._store), created="", source=str(data)
            )

    @property
    def info(self) -> GraphInfo:
        """The version, size and origin of the graph served."""
        return self._info

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; `bindings` are substituted as values, never spliced into text."""
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        default_graph = None if graphs is None else [ox.NamedNode(g) for g in graphs]
        try:
            return self.raw.query(
                sparql,
                prefixes=PREFIXES,
                substitutions=substitutions or None,
                default_graph=default_graph,  # type: ignore[arg-type]
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {one_line(exc)}") from exc
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            raise QueryError(one_line(exc)) from exc

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        """The whole dataset serialized."""
        out = self.raw.dump(format=format)
        assert out is not None
        return out

    def close(self) -> None:
        """Release the store (and the version directory, which a build may then prune)."""
        self._store = None
        if self._lease is not None:
            self._lease.release()

    def query_runner(self, settings: Settings) -> QueryRunner:
        """Worker processes that open this version read-only, killed past the time limit."""
        return QueryPool(self.data_path, settings.sparql_workers, settings.query_timeout)


class MemoryStore(OxigraphStore):
    """A copy of one version in memory: aggregates and joins run several times faster than
    on disk, and /sparql workers forked from the server share its pages."""

    served_from = "memory"

    def __init__(self, disk: OxigraphStore) -> None:
        started = time.perf_counter()
        self.path = disk.path
        self.data_path = disk.data_path
        self._info = disk.info
        self._lease = None  # the copy needs no directory
        self._store = ox.Store()
        copy_quads(disk.raw, self._store)
        log.info(
            "serving graph %s from memory (%d statements, copied in %.1f s)",
            self._info.version, self._info.triples, time.perf_counter() - started,
        )  # fmt: skip

    def query_runner(self, settings: Settings) -> QueryRunner:
        """Worker processes forked from this one, sharing the copy; killed past the limit."""
        return QueryPool(self.raw, settings.sparql_workers, settings.query_timeout)


def copy_quads(source: ox.Store, target: ox.Store) -> None:
    """Copy every quad, streamed as N-Quads through a pipe: pyoxigraph dumps and loads
    without holding the GIL, so a server copying a new version goes on answering, and
    the text is never held whole in memory. A copy through Python objects holds the GIL
    throughout: at 560k quads it took 3.0-3.2 s, all of it without a request answered,
    against 3.7-4.0 s with gaps under 0.2 s this way (benchmarks/bench_copy.py)."""
    read_end, write_end = os.pipe()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mkg-copy") as pool:

        def dump() -> None:
            with open(write_end, "wb", buffering=1 << 20) as out:
                source.dump(out, format=ox.RdfFormat.N_QUADS)

        dumped = pool.submit(dump)
        with open(read_end, "rb", buffering=1 << 20) as into:
            target.bulk_load(into, format=ox.RdfFormat.N_QUADS)
        dumped.result()


class Lease:
    """A shared lock on a version directory, held while it is read: a build prunes only
    versions no one holds. Released by `release()`, or when its holder is collected."""

    def __init__(self, version_dir: Path) -> None:
        fd = os.open(version_dir, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(fd, fcntl.LOCK_SH)
        self._finalizer = weakref.finalize(self, os.close, fd)

    def release(self) -> None:
        """Drop the lock (once; later calls do nothing)."""
        self._finalizer()


def in_use(version_dir: Path) -> bool:
    """Whether a reader holds a lease on a version directory."""
    try:
        fd = os.open(version_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the lock taken to look
    return False


def content_version(nquads: bytes) -> str:
    """A version id that depends only on the statements: the hash of the sorted N-Quads."""
    lines = sorted(line for line in nquads.splitlines() if line.strip())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()[:16]


class StoreLayout:
    """The version directories behind a store link, and the atomic swap between them."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.versions = link.parent.resolve() / f"{link.name}.d"  # absolute, as current() is

    def current(self) -> Path | None:
        """The version directory the link points to, if any."""
        if self.link.is_symlink():
            target = self.link.resolve()
            return target if target.is_dir() else None
        if self.link.is_dir():
            return self.link
        return None

    def open(self) -> OxigraphStore:
        """Open the current version read-only."""
        current = self.current()
        if current is None:
            raise StoreError(f"no graph at {self.link}: run `mkg build` first")
        return OxigraphStore(current)

    @contextlib.contextmanager
    def writing(self) -> Iterator[Path]:
        """A fresh working directory under an exclusive lock; removed unless published."""
        if self.link.exists() and not self.link.is_symlink():
            raise StoreError(f"{self.link} is a directory not managed by mkg; move it away first")
        self.versions.mkdir(parents=True, exist_ok=True)
        with open(self.versions / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(f"another build or load is writing {self.link}") from exc
            self._remove_leftovers()
            work = self.versions / f".work-{os.getpid()}-{time.time_ns()}"
            work.mkdir()
            try:
                yield work
            finally:
                if work.exists():
                    shutil.rmtree(work, ignore_errors=True)

    def publish(self, work: Path, info: GraphInfo) -> Path:
        """Make a finished working directory the current version (atomic link swap)."""
        (work / META_FILE).write_text(info.to_json(), encoding="utf-8")
        final = self.versions / f"{info.version}-{time.time_ns()}"
        os.rename(work, final)
        tmp_link = self.link.parent / f".{self.link.name}.link-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        os.symlink(os.path.relpath(final, self.link.parent), tmp_link)
        os.replace(tmp_link, self.link)
        _fsync_dir(self.link.parent)
        self._prune()
        log.info("published graph version %s at %s", info.version, final)
        return final

    def _prune(self) -> None:
        """Keep the current version, the one before it, and any a server still reads."""
        current = self.current()
        finished = sorted(self._finished(), key=_published_at, reverse=True)
        keep = {current} | set(finished[:KEEP_VERSIONS])
        for path in finished:
            if path not in keep and not in_use(path):
                shutil.rmtree(path, ignore_errors=True)

    def _finished(self) -> list[Path]:
        return [p for p in self.versions.iterdir() if p.is_dir() and not p.name.startswith(".")]

    def _remove_leftovers(self) -> None:
        """What killed builds left, called under the lock: working directories, a link not
        yet swapped in, and a version renamed into place but never published."""
        for path in self.versions.glob(".work-*"):
            shutil.rmtree(path, ignore_errors=True)
        for link in self.link.parent.glob(f".{self.link.name}.link-*"):
            link.unlink(missing_ok=True)
        current = self.current()
        if current is None or current.parent != self.versions:
            return
        for path in self._finished():
            if _published_at(path) > _published_at(current) and not in_use(path):
                log.info("removing %s, a version a killed build never published", path.name)
                shutil.rmtree(path, ignore_errors=True)


def _published_at(version_dir: Path) -> int:
    """When a version was published: the nanosecond stamp at the end of its name."""
    stamp = version_dir.name.rpartition("-")[2]
    return int(stamp) if stamp.isdigit() else 0


def write_version(work: Path, nquads: bytes) -> ox.Store:
    """Bulk-load N-Quads into a new on-disk store in the working directory, with the merge
    of all named graphs as its default graph."""
    store = ox.Store(str(work / DATA_DIR))
    load_merged(store, [(nquads, ox.RdfFormat.N_QUADS, None)])
    return store


def load_merged(
    store: ox.Store,
    sources: Sequence[Source],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Bulk-load each source into its named graphs and, at the same time, its statements
    into the default graph, which stays the RDF merge of all named graphs.

    pyoxigraph's "default graph as union" is a union of quads: a statement two documents
    make comes back twice, and joins multiply. A materialized merge gives queries set
    semantics, while GRAPH ?g still says which document said what. The bulk loader works
    on one core; the default-graph copy is parsed and loaded on the other, in parallel, so
    the merge costs little extra time (6.6 s against 6.6 s for the bulk load alone at
    761k quads, where a second pass took 12.2 s). `progress(done, total)` is in bytes.
    """
    sizes = [source_size(data) for data, _, _ in sources]
    total, before = sum(sizes), 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mkg-bulk-load") as pool:
        for (data, fmt, graph), size in zip(sources, sizes, strict=True):
            done = before

            def report(n: int, done: int = done) -> None:
                if progress:
                    progress(done + n, total)

            try:
                if isinstance(data, Path):
                    named = pool.submit(store.bulk_load, path=str(data), format=fmt, to_graph=graph)
                else:
                    named = pool.submit(store.bulk_load, data, format=fmt, to_graph=graph)
                reader = io.BufferedReader(_Counting(data, report), buffer_size=1 << 20)
                try:
                    store.bulk_extend(
                        ox.Quad(statement.subject, statement.predicate, statement.object, _DEFAULT)
                        for statement in ox.parse(reader, format=fmt)
                    )
                finally:
                    wait([named])
                    reader.close()
                named.result()
            except (SyntaxError, ValueError, OSError) as exc:
                raise not_valid_rdf(data, exc) from exc
            before += size
            if progress:
                progress(before, total)
    store.flush()


_DEFAULT = ox.DefaultGraph()


class _Counting(io.RawIOBase):
    """A readable view of a file or bytes that reports how many bytes were read."""

    def __init__(self, data: Path | bytes, report: Callable[[int], object]) -> None:
        self._file = io.FileIO(data) if isinstance(data, Path) else io.BytesIO(data)
        self._report = report
        self._done = 0
        self._last = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n: int = self._file.readinto(buffer)
        self._done += n
        if self._done - self._last >= 1 << 22 or n == 0:  # every 4 MB
            self._last = self._done
            self._report(self._done)
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def merged_size(store: ox.Store) -> int:
    """The number of distinct statements (the size of the default graph)."""
    result = store.query(load_query("merged_size"))
    assert isinstance(result, ox.QuerySolutions)
    solution = next(result)
    return int(solution["n"].value)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
