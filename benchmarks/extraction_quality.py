"""What the extractors and the linker find on their own: the corpus built without curation,
scored against the curated build (precision and recall per kind of fact)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from graph.pipeline.quality import measure
from graph.settings import Settings

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    """Extract the corpus twice (nothing is stored) and report."""
    with tempfile.TemporaryDirectory() as tmp:
        quality = measure(Settings(store=Path(tmp) / "store"))
    print(quality.table())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "extraction_quality.json").write_text(json.dumps(quality.as_dict(), indent=2))


if __name__ == "__main__":
    main()
