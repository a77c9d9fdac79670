"""The corpus folder: the five seed documents and a manifest that describes each one."""

from __future__ import annotations

import os
from pathlib import Path

from graph.settings import PROJECT_ROOT
from graph.sources.corpus import load_corpus
from tests.conftest import CORPUS, require

SEEDS = Path(os.environ.get("MKG_SEEDS_DIR", PROJECT_ROOT.parent / "shared" / "seeds"))


def test_manifest_describes_every_document() -> None:
    documents = {d.id: d for d in load_corpus(CORPUS)}
    assert len(documents) == 5
    unitar = documents["002_701c0046ca42ff1f"].entry
    assert unitar.symbol == "UN/POP/MIG-5CM/2006/11"
    assert unitar.date.isoformat() == "2006-11-21"
    calendar = documents["000_14d2ce0a342a483c"].entry
    assert calendar.date.isoformat() == "2006-08-08"
    for doc in documents.values():
        assert doc.entry.title and doc.entry.publisher
        assert doc.path.name == f"{doc.id}.txt"


def test_corpus_holds_the_seeds_unchanged() -> None:
    require(SEEDS.is_dir(), f"the seed folder {SEEDS}")
    seeds = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert seeds == sorted(p.name for p in CORPUS.glob("*.txt"))
    for name in seeds:
        assert (CORPUS / name).read_bytes() == (SEEDS / name).read_bytes()
