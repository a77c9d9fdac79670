"""The extractors' recall and the linker's precision and recall, against the curated facts.

The floors sit below today's measurements (see benchmarks/extraction_quality.py): a
change that makes the automatic parts worse fails here.
"""

from __future__ import annotations

from graph.quality import measure
from tests.conftest import Built


def test_extractors_find_most_curated_facts(built: Built) -> None:
    quality = measure(built.extraction)
    print("\n" + quality.table())
    assert quality.recall["citation"] >= 0.5
    assert quality.recall["paragraph"] >= 0.35
    assert quality.recall["event"] >= 0.55
    assert quality.recall["involvement"] >= 0.42


def test_the_linker_against_the_curated_links(built: Built) -> None:
    quality = measure(built.extraction)
    assert quality.reviewed_links >= 25
    assert quality.linker_precision >= 0.5
    assert quality.linker_recall >= 0.6
