"""Times the foundation's steps on the real corpus: extract, validate, build, and `mkg top`."""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from graph.model.iris import Minter
from graph.pipeline.build import build, extract, union_of
from graph.pipeline.validate import check, load_shapes
from graph.read import analytics
from graph.settings import Settings
from graph.store.embedded import StoreLayout

RESULTS = Path(__file__).parent / "results"


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    """Median, min and max wall time of `repeat` runs, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(samples), 2),
        "min_ms": round(min(samples), 2),
        "max_ms": round(max(samples), 2),
    }


def main() -> None:
    """Run every step `--repeat` times and report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=Path(tmp) / "store")
        extraction = extract(settings)
        shapes = load_shapes(settings.ontology_dir)
        union = union_of(extraction.dataset)
        build(settings)
        store = StoreLayout(settings.store).open()
        minter = Minter(settings.base_iri)
        results = {
            "extract": timed(lambda: extract(settings), args.repeat),
            "shacl_validate": timed(lambda: check(union, shapes, extraction.ontology), args.repeat),
            "build_total": timed(lambda: build(settings), args.repeat),
            "top_all": timed(lambda: analytics.cosponsors(store, minter), args.repeat * 10),
            "top_doc": timed(
                lambda: analytics.cosponsors(store, minter, doc="000_14d2ce0a342a483c"),
                args.repeat * 10,
            ),
        }
        report = {
            "machine": platform.platform(),
            "python": platform.python_version(),
            "statements": store.info.triples,
            "events": extraction.events,
            "results": results,
        }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "build.json").write_text(json.dumps(report, indent=2))
    print(f"{'step':<16}{'median ms':>12}{'min ms':>10}{'max ms':>10}")
    for step, r in results.items():
        print(f"{step:<16}{r['median_ms']:>12}{r['min_ms']:>10}{r['max_ms']:>10}")
    print(f"({report['statements']} statements, {report['events']} events)")


if __name__ == "__main__":
    main()
