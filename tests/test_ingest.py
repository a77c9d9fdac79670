"""`mkg ingest`: candidates from new documents, clear refusals, and nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

from graph.pipeline.ingest import manifest_entry
from graph.settings import Settings
from graph.sources.registry import Registry
from graph.store.embedded import StoreLayout
from tests.conftest import FIXTURES, RunMkg

INGEST = FIXTURES / "ingest"
REGISTRY = Settings().registry_dir


def test_a_document_with_no_known_organizations_still_yields_candidates(
    run_mkg: RunMkg, fresh_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "review.json"
    done = run_mkg(
        "ingest", str(INGEST / "caribbean_workshop.txt"), "--review", str(out),
        settings=fresh_settings,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [doc] = json.loads(out.read_text())["documents"]
    pairs = {(o["label"], o["acronym"]) for o in doc["organizations"] if o["id"] is None}
    assert pairs == {
        ("Caribbean Migration Consultations", "CMC"),
        ("Pacific Islands Labour Forum", "PILF"),
        ("Eastern Caribbean Central Bank", "ECCB"),
    }
    assert doc["instruments"] == [{"symbol": "A/RES/68/4", "mentions": 1, "paragraphs": ["12"]}]
    workshop, consultation = doc["events"]
    assert (workshop["label"], workshop["start"], workshop["end"], workshop["venue"]) == (
        "Regional Workshop on Seasonal Labour Schemes", "2014-03-12", "2014-03-13", "Bridgetown",
    )  # fmt: skip
    assert {o["label"]: o["role"] for o in workshop["organizers"]} == {
        "Caribbean Migration Consultations": "co-organizer",
        "Pacific Islands Labour Forum": "co-organizer",
    }
    assert (consultation["label"], consultation["start"], consultation["venue"]) == (
        "Expert Consultation on Remittance Costs", "2014-11", "Basseterre",
    )  # fmt: skip
    assert consultation["organizers"] == [
        {"label": "Eastern Caribbean Central Bank", "id": None, "role": "host"}
    ]
    assert done.stderr.strip().endswith("4 organizations, 1 instruments, 2 events")


def test_bad_files_are_refused_with_one_line_and_change_nothing(
    run_mkg: RunMkg, fresh_settings: Settings, tmp_path: Path
) -> None:
    assert run_mkg("build", settings=fresh_settings).returncode == 0
    before_store = StoreLayout(fresh_settings.store).current()
    before_corpus = sorted(p.name for p in fresh_settings.corpus.iterdir())
    oversized = tmp_path / "oversized.txt"
    oversized.write_text("Migration. " * 600_000)
    cases = {
        INGEST / "empty.txt": "document is empty",
        INGEST / "binary.bin": "binary file",
        oversized: "the limit is 5,000,000",
        tmp_path / "missing.txt": "file not found",
    }
    for path, message in cases.items():
        done = run_mkg("ingest", str(path), "--accept", settings=fresh_settings)
        assert done.returncode == 1, path
        [line] = done.stderr.strip().splitlines()
        assert line.startswith("mkg: error: ") and path.name in line and message in line
    assert sorted(p.name for p in fresh_settings.corpus.iterdir()) == before_corpus
    assert StoreLayout(fresh_settings.store).current() == before_store


def test_accept_adds_the_document_and_rebuilds(run_mkg: RunMkg, fresh_settings: Settings) -> None:
    assert run_mkg("build", settings=fresh_settings).returncode == 0
    done = run_mkg(
        "ingest", str(INGEST / "caribbean_workshop.txt"), "--accept", settings=fresh_settings
    )
    assert done.returncode == 0, done.stderr
    assert (fresh_settings.corpus / "caribbean_workshop.txt").is_file()
    manifest = (fresh_settings.corpus / "manifest.yaml").read_text()
    assert "id: caribbean_workshop" in manifest and "date: '2014-06-14'" in manifest
    asked = run_mkg(
        "query", "--format", "csv",
        "SELECT ?title WHERE { ?d dcterms:identifier 'caribbean_workshop' ; dcterms:title ?title }",
        settings=fresh_settings,
    )  # fmt: skip
    assert (
        asked.stdout.splitlines()[1] == "CARIBBEAN PREPARATIONS FOR THE DIALOGUE ON LABOUR MOBILITY"
    )
    again = run_mkg(
        "ingest", str(INGEST / "caribbean_workshop.txt"), "--accept", settings=fresh_settings
    )
    assert again.returncode == 1 and "already in the corpus" in again.stderr


def test_known_organizations_resolve_and_roles_follow_the_cues(
    run_mkg: RunMkg, fresh_settings: Settings
) -> None:
    done = run_mkg("ingest", str(INGEST / "regional_followup.txt"), settings=fresh_settings)
    assert done.returncode == 0, done.stderr
    [doc] = json.loads(done.stdout)["documents"]
    assert {o["id"] for o in doc["organizations"]} >= {"IOM", "ECLAC", "GMG", "ILO", "MACARTHUR"}
    assert doc["instruments"] == [{"symbol": "A/RES/67/219", "mentions": 2, "paragraphs": ["8"]}]
    events = {e["label"]: e for e in doc["events"]}
    santiago = events["Regional Consultation on Migration and Development"]
    assert (santiago["start"], santiago["venue"]) == ("2012-12-04", "Santiago")
    assert {(o["id"], o["role"]) for o in santiago["organizers"]} == {
        ("IOM", "organizer"),
        ("ECLAC", "co-organizer"),
    }
    series = events["Migration and Development Seminar Series"]
    assert ("MACARTHUR", "funder") in {(o["id"], o["role"]) for o in series["organizers"]}


def test_a_document_of_markup_only_is_titled_after_its_file() -> None:
    entry = manifest_entry(Path("inbox/notes.txt"), "## \n\n**\n", Registry.load(REGISTRY))
    assert entry["title"] == "notes" and entry["id"] == "notes"


def test_documents_in_other_encodings_are_read_and_stored_as_utf8(
    run_mkg: RunMkg, fresh_settings: Settings, tmp_path: Path
) -> None:
    text = (INGEST / "regional_followup.txt").read_text(encoding="utf-8")
    text = text.replace("Principals meeting", "Principals\u2019 meeting (réunion)")
    cases = {"utf8.txt": text.encode(), "cp1252.txt": text.encode("cp1252"),
             "utf16.txt": text.encode("utf-16")}  # fmt: skip
    found = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        done = run_mkg("ingest", str(tmp_path / name), settings=fresh_settings)
        assert done.returncode == 0, done.stderr
        [doc] = json.loads(done.stdout)["documents"]
        found[name] = (doc["organizations"], doc["instruments"], doc["events"])
    assert found["cp1252.txt"] == found["utf16.txt"] == found["utf8.txt"]
    assert "Principals\u2019 meeting (réunion)" in json.dumps(found["utf8.txt"], ensure_ascii=False)
    done = run_mkg("ingest", str(tmp_path / "cp1252.txt"), "--accept", settings=fresh_settings)
    assert done.returncode == 0, done.stderr
    assert (fresh_settings.corpus / "cp1252.txt").read_bytes() == text.encode("utf-8")


def test_review_lists_the_paragraphs_a_resolution_prints(
    run_mkg: RunMkg, fresh_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "res.txt"
    path.write_text(
        "61/999. Migration and development\n\nThe General Assembly,\n\n"
        "Recalling its resolution 58/208 of 23 December 2003,\n\n"
        "1.  Requests the Secretary-General to submit a report at its sixty-third session;\n\n"
        "2.  Decides to convene a high-level dialogue in 2013;\n"
    )
    done = run_mkg("ingest", str(path), settings=fresh_settings)
    assert done.returncode == 0, done.stderr
    [doc] = json.loads(done.stdout)["documents"]
    instruments = {i["symbol"]: i for i in doc["instruments"]}
    assert instruments["A/RES/61/999"]["paragraphs"] == ["1", "2"]
    assert "A/RES/58/208" in instruments


def test_an_instrument_described_without_a_symbol_is_not_listed_as_a_symbol(
    run_mkg: RunMkg, fresh_settings: Settings, tmp_path: Path
) -> None:
    """ "the UN Chief Executives Board issued a decision in April 2012" is an instrument of
    the document, keyed by what the text says of it, but the review's list is of symbols."""
    note = tmp_path / "ceb_note.txt"
    note.write_text(
        "Inter-agency note on the 2013 Dialogue\n\n"
        "In addition, the UN Chief Executives Board issued a decision in April 2012 asking "
        "IOM and UNFPA to prepare a set of draft outcomes. General Assembly resolution 67/219 "
        "decides to hold the Dialogue in October 2013.\n",
        encoding="utf-8",
    )
    done = run_mkg("ingest", str(note), settings=fresh_settings)
    assert done.returncode == 0, done.stderr
    [doc] = json.loads(done.stdout)["documents"]
    assert [i["symbol"] for i in doc["instruments"]] == ["A/RES/67/219"]
