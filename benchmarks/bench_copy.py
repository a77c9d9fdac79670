"""How long a server stops answering while it copies a new graph version into memory.

`mkg serve` copies each new version into memory beside the one it serves (graph.store.embedded
MemoryStore). This measures the two ways of copying on a synthetic graph: through Python
objects (`bulk_extend` over `quads_for_pattern`) and as N-Quads streamed through a pipe
(`dump` into `bulk_load`, what the project uses). A ticker thread stands for the event
loop: it wakes every millisecond, and the longest gap between two wake-ups is the longest
time the server could not have answered.

    .venv/bin/python benchmarks/bench_copy.py --events 20000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graph.settings import Settings
from graph.store.embedded import StoreLayout, copy_quads


def through_objects(source: ox.Store, target: ox.Store) -> None:
    """The copy the project used before: every quad as a Python object."""
    target.bulk_extend(source.quads_for_pattern(None, None, None, None))


def longest_gap(copy: Callable[[], None]) -> tuple[float, float]:
    """(seconds the copy took, longest gap in ms between the ticker's wake-ups)."""
    stop, gaps = threading.Event(), [0.0]

    def tick() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps[0] = max(gaps[0], now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    started = time.perf_counter()
    copy()
    took = time.perf_counter() - started
    stop.set()
    ticker.join()
    return took, gaps[0] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix="mkg-copy-") as scratch:
        data = Path(scratch) / "synth.nq"
        subprocess.run(
            [sys.executable, str(here / "synth.py"), "--events", str(args.events), "--seed", "1",
             "--out", str(data)],
            check=True, capture_output=True,
        )  # fmt: skip
        store = Path(scratch) / "store"
        subprocess.run(
            [sys.executable, "-m", "graph.cli", "--store", str(store), "load", str(data)],
            check=True, capture_output=True, cwd=here.parent,
        )  # fmt: skip
        disk = StoreLayout(Settings(store=store).store).open()
        quads = len(disk.raw)
        print(f"## copy into memory: {args.events:,} events, {quads:,} quads\n")
        print("| copy | seconds | longest gap, ms |\n|---|---|---|")
        for name, copy in (("Python objects (bulk_extend)", through_objects),
                           ("N-Quads through a pipe (dump, bulk_load)", copy_quads)):  # fmt: skip
            took, gap = longest_gap(lambda copy=copy: copy(disk.raw, ox.Store()))
            print(f"| {name} | {took:.2f} | {gap:,.0f} |")


if __name__ == "__main__":
    main()
