"""pyoxigraph aborts the process on `ORDER BY ?o` over 21 triples of mixed literals.

Run: python repro.py (pyoxigraph 0.5.13, the newest release on PyPI on 2026-12-05).
Expected: the 21 objects, in some order. Seen: the in-memory store aborts (SIGABRT),

    panicked at library/core/src/slice/sort/shared/smallsort.rs:854:5:
    user-provided comparison function does not correctly implement a total order

while an on-disk store loaded with the same triples answers. The ORDER BY comparison
treats terms SPARQL cannot compare (an xsd:integer and a string, a gYear and a string)
as equal, which is not transitive (6035 = "IOM...", "IOM..." = 19005, 6035 < 19005);
Rust's sort detects this on some input orders (the in-memory store keeps insertion
order, the on-disk one sorts by encoded ids) and panics; the panic aborts the process.
"""

import os
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

DATA = (Path(__file__).parent / "data.nt").read_bytes()
QUERY = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"


def answers(store: ox.Store) -> bool:
    """Whether the query runs to the end (in a child process: the panic aborts it)."""
    pid = os.fork()
    if pid == 0:
        list(store.query(QUERY))
        os._exit(0)
    return os.waitpid(pid, 0)[1] == 0


def main() -> None:
    memory = ox.Store()
    memory.load(DATA, format=ox.RdfFormat.N_TRIPLES)
    disk = ox.Store(tempfile.mkdtemp())
    disk.load(DATA, format=ox.RdfFormat.N_TRIPLES)
    print(f"pyoxigraph {ox.__version__}")
    print(f"in memory: {'answers' if answers(memory) else 'aborts'}")
    print(f"on disk:   {'answers' if answers(disk) else 'aborts'}")
    sys.exit(0 if answers(memory) else 1)


if __name__ == "__main__":
    main()
