"""Curated facts: every quote verbatim in its document, every name known, bad files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import CurationError
from graph.pipeline.build import build
from graph.settings import Settings, get_settings
from graph.sources.curation import load_curation, locate
from graph.sources.registry import Registry
from graph.store.embedded import StoreLayout
from tests.conftest import CORPUS


def test_every_curated_quote_is_verbatim_in_its_document() -> None:
    curation = load_curation(get_settings().curation_dir)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    quotes = curation.quotes()
    assert len(quotes) > 200
    for name, quote in quotes:
        assert quote.doc in texts, (name, quote.doc)
        span = locate(texts[quote.doc], quote)
        assert texts[quote.doc][span.start : span.end] == quote.evidence


def test_every_curated_organization_is_in_the_registry() -> None:
    settings = get_settings()
    curation = load_curation(settings.curation_dir)
    known = set(Registry.load(settings.registry_dir).orgs)
    used = {i.org for e in curation.events for i in e.involvements}
    used |= {m.body for m in curation.memberships} | {m.member for m in curation.memberships}
    used |= {a for s in curation.instruments for p in s.paragraphs for a in p.addressees}
    used |= {i.org for w in curation.works for i in w.involvements}
    assert used - known == set()


def _copy_curation(tmp_path: Path) -> Path:
    target = tmp_path / "curation"
    target.mkdir()
    for path in get_settings().curation_dir.glob("*.yaml"):
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_a_quote_not_in_its_document_fails_the_build_and_keeps_the_graph(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    build(fresh_settings)
    before = StoreLayout(fresh_settings.store).current()
    curation = _copy_curation(tmp_path)
    events = curation / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace(
            "convened jointly by IOM, WHO and the Government of Spain",
            "convened jointly by IOM, WHO and the Government of Portugal",
        ),
        encoding="utf-8",
    )
    with pytest.raises(CurationError, match="evidence not found verbatim in 001_6d7862dd6d85dfbf"):
        build(fresh_settings.model_copy(update={"curation_dir": curation}))
    assert StoreLayout(fresh_settings.store).current() == before


def test_a_malformed_curation_file_names_itself(tmp_path: Path) -> None:
    curation = _copy_curation(tmp_path)
    (curation / "bodies.yaml").write_text("memberships:\n  - body: GMG\n    member: IOM\n")
    with pytest.raises(CurationError, match=r"bodies.yaml: memberships.0.doc: Field required"):
        load_curation(curation)


def test_a_list_written_empty_has_no_entries(tmp_path: Path) -> None:
    (tmp_path / "rejections.yaml").write_text("rejections:\n  # none today\n")
    assert load_curation(tmp_path).rejections == ()


def test_an_unknown_organization_in_a_curated_fact_is_refused(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    curation = _copy_curation(tmp_path)
    bodies = curation / "bodies.yaml"
    bodies.write_text(
        bodies.read_text(encoding="utf-8").replace("member: UNDP", "member: NO-SUCH-ORG", 1),
        encoding="utf-8",
    )
    with pytest.raises(CurationError, match="organization 'NO-SUCH-ORG' is not in the registry"):
        build(fresh_settings.model_copy(update={"curation_dir": curation}))
