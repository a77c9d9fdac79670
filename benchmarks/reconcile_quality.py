"""How well /reconcile finds organizations from the names people write: the share of the
name variants in tests/fixtures/reconcile_names.yaml whose right organization comes first,
wrong organizations given `match`, other bodies matched, nonsense given a candidate.
Builds the corpus into a temporary store; prints a table and writes results/."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import yaml

from graph.model.iris import Minter
from graph.pipeline.build import build
from graph.read import reconcile
from graph.settings import PROJECT_ROOT, Settings
from graph.store.embedded import StoreLayout

RESULTS = Path(__file__).parent / "results"
NAMES = PROJECT_ROOT / "tests" / "fixtures" / "reconcile_names.yaml"


def main() -> None:
    """Reconcile every name of the fixture and report."""
    names = yaml.safe_load(NAMES.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=Path(tmp) / "store")
        build(settings)
        store = StoreLayout(settings.store).open()
        known = reconcile.index(store, Minter(settings.base_iri))
        first = wrong = 0
        missed = []
        for variant in names["variants"]:
            found = reconcile.reconcile(known, reconcile.Query(variant["name"], ("Organization",)))
            expected = f"org/{variant['expect']}"
            first += bool(found) and found[0].entity.id == expected
            wrong += any(c.match and c.entity.id != expected for c in found)
            if not found or found[0].entity.id != expected:
                missed.append(variant["name"])
        absent = sum(
            any(c.match for c in reconcile.reconcile(known, reconcile.Query(n)))
            for n in names["absent"]
        )
        nonsense = sum(
            bool(reconcile.reconcile(known, reconcile.Query(n))) for n in names["nonsense"]
        )
        started = time.perf_counter()
        for variant in names["variants"]:
            reconcile.reconcile(known, reconcile.Query(variant["name"]))
        per_query_ms = (time.perf_counter() - started) * 1000 / len(names["variants"])
    total = len(names["variants"])
    result = {
        "variants": total,
        "right_first": first,
        "right_first_share": round(first / total, 4),
        "wrong_match": wrong,
        "wrong_match_share": round(wrong / total, 4),
        "absent": len(names["absent"]),
        "absent_matched": absent,
        "nonsense": len(names["nonsense"]),
        "nonsense_with_a_candidate": nonsense,
        "missed": missed,
        "ms_per_query": round(per_query_ms, 2),
        "entities": len(known.entities),
    }
    print(f"right organization first  {first}/{total} ({first / total:.1%})")
    print(f"match on a wrong one      {wrong}/{total} ({wrong / total:.1%})")
    print(f"other bodies matched      {absent}/{len(names['absent'])}")
    print(f"nonsense with a candidate {nonsense}/{len(names['nonsense'])}")
    print("missed:", "; ".join(missed))
    print(f"{per_query_ms:.2f} ms a query over {len(known.entities)} entities")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reconcile_quality.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
