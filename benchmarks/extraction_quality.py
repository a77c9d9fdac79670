"""Prints the extractors' recall and the linker's precision/recall against curated facts."""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path

from graph.build import extract
from graph.quality import measure
from graph.settings import Settings

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    """Extract the corpus (nothing is stored) and report."""
    with tempfile.TemporaryDirectory() as tmp:
        quality = measure(extract(Settings(store=Path(tmp) / "store")))
    print(quality.table())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "extraction_quality.json").write_text(json.dumps(asdict(quality), indent=2))


if __name__ == "__main__":
    main()
