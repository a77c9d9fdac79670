"""`mkg ingest`: the automatic extractors on new documents, as candidates for review.

Nothing enters the graph until accepted. Accepting copies the document into a scratch
copy of the corpus, builds from it, and only when that build succeeds (the new graph
is already swapped in) writes the document and its manifest entry into the corpus.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import charset_normalizer
import yaml
from rdflib import Graph

from graph.errors import CorpusError
from graph.extract.base import Context, Finding
from graph.extract.dates import find_as_of_date, find_dates
from graph.extract.instruments import ParagraphMention, SymbolMention
from graph.extract.organizations import OrgCandidate
from graph.extract.prose import Meeting
from graph.extract.records import EventRecord
from graph.extract.registered import EXTRACTORS
from graph.extract.themes import ThemeTagger
from graph.model.iris import Minter
from graph.model.namespaces import MKG
from graph.settings import Settings
from graph.sources.corpus import MANIFEST, Document, ManifestEntry, decode_text, read_manifest
from graph.sources.curation import Curation, load_curation
from graph.sources.facts import instrument_names
from graph.sources.registry import Registry

MAX_BYTES = 5_000_000
"""The largest document ingest reads (5 MB of text is a 1,500-page report)."""


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """A new document's text, or a CorpusError saying why it cannot be one.

    UTF-8 first; a byte-order mark (UTF-16, UTF-32) or, failing UTF-8, the encoding
    charset-normalizer finds (Windows-1252, Latin-1...) otherwise. Accepted documents are
    written into the corpus as UTF-8.
    """
    if not path.is_file():
        raise CorpusError(path, "file not found")
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusError(path, f"file is {size:,} bytes; the limit is {max_bytes:,}")
    data = path.read_bytes()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return decode_text(path, data.decode(encoding).encode("utf-8"))
            except UnicodeDecodeError as exc:
                raise CorpusError(path, f"not valid {encoding} after its byte-order mark") from exc
    if b"\x00" in data:
        raise CorpusError(path, "binary file (contains NUL bytes); ingest reads plain text")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        guess = charset_normalizer.from_bytes(data).best()
        if guess is None:
            raise CorpusError(path, "not text in any encoding charset-normalizer knows") from None
        return decode_text(path, str(guess).encode("utf-8"))
    return decode_text(path, data)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def review(paths: list[Path], settings: Settings) -> dict[str, Any]:
    """Candidate organizations, instruments and events of each document: what the
    registered extractors find in it, as `mkg build` runs them."""
    registry = Registry.load(settings.registry_dir)
    curation = load_curation(settings.curation_dir) if settings.curation else Curation()
    ctx = Context(
        minter=Minter(settings.base_iri),
        registry=registry,
        themes=ThemeTagger.from_graph(_themes(settings)),
        instrument_names=instrument_names(curation),
    )
    texts = [(path, read_text(path)) for path in paths]
    documents = []
    for path, text in texts:
        entry = ManifestEntry.model_validate(manifest_entry(path, text, registry))
        doc = Document(entry, path, text, hashlib.sha256(text.encode()).hexdigest())
        findings = [f for extractor in EXTRACTORS for f in extractor.find(doc, ctx)]
        documents.append(
            {
                "file": str(path),
                "organizations": _organizations(text, registry, findings),
                "instruments": _instruments(findings),
                "events": [_event(f, text, registry) for f in findings if f.kind == "event"],
            }
        )
    return {"documents": documents}


def _themes(settings: Settings) -> Graph:
    graph_ = Graph()
    graph_.parse(settings.ontology_dir / "themes.ttl", format="turtle")
    return graph_


def _event(finding: Finding, text: str, registry: Registry) -> dict[str, Any]:
    record = finding.record
    venue: str | None
    if isinstance(record, EventRecord):
        start, end, label, venue = (record.start.isoformat(), record.end.isoformat(),
                                    record.label, record.venue)  # fmt: skip
        organizers = []
        for mention in record.mentions:
            known = registry.lookup_org(mention.text)
            organizers.append({"label": mention.text, "id": known.id if known else None,
                               "role": mention.role})  # fmt: skip
    else:
        assert isinstance(record, Meeting)
        start, end, label = record.start.iso(), record.end.iso(), record.label
        venue = registry.places[record.venue].label if record.venue else record.venue_text
        organizers = [{"label": f.text, "id": f.key, "role": f.role} for f in record.organizations]
    return {
        "label": label,
        "start": start,
        "end": end,
        "venue": venue,
        "organizers": organizers,
        "evidence": finding.span.of(text),
        "confidence": finding.confidence,
        "extractor": finding.extractor,
    }


def _organizations(text: str, registry: Registry, findings: list[Finding]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    info: dict[str, dict[str, Any]] = {}
    for mention in registry.org_finder().find(text):
        entry = registry.orgs[str(mention.key)]
        counts[entry.id] += 1
        info[entry.id] = {"label": entry.label, "acronym": entry.acronym, "id": entry.id}
    for finding in findings:
        found = finding.record
        if finding.kind != "organization" or not isinstance(found, OrgCandidate):
            continue
        name = found.acronym or found.text
        key = f"new:{name}"
        counts[key] += len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text))
        info[key] = {"label": found.text, "acronym": found.acronym, "id": None,
                     "confidence": finding.confidence}  # fmt: skip
    return [
        {**info[key], "mentions": counts[key]}
        for key in sorted(info, key=lambda k: (-counts[k], info[k]["label"]))
    ]


def _instruments(findings: list[Finding]) -> list[dict[str, Any]]:
    """The instruments the document prints a symbol of, with their paragraphs. One it only
    describes ("the UN Chief Executives Board issued a decision in April 2012") has no
    symbol to list: its statements are among the document's others."""
    described = {f.record.symbol for f in findings
                 if isinstance(f.record, SymbolMention) and f.record.described}  # fmt: skip
    found: dict[str, dict[str, Any]] = {}
    for finding in findings:
        record = finding.record
        if getattr(record, "symbol", None) in described:
            continue
        if isinstance(record, SymbolMention):
            entry = found.setdefault(record.symbol, {"symbol": record.symbol, "mentions": 0,
                                                     "paragraphs": []})  # fmt: skip
            entry["mentions"] += 1
        elif isinstance(record, ParagraphMention) and record.symbol is not None:
            entry = found.setdefault(record.symbol, {"symbol": record.symbol, "mentions": 0,
                                                     "paragraphs": []})  # fmt: skip
            if record.number not in entry["paragraphs"]:
                entry["paragraphs"].append(record.number)
        elif finding.kind in ("instrument", "resolution-paragraph"):
            # a resolution's own text: its symbol and the paragraphs it prints
            symbol = next(str(s.value) for s in finding.statements if s.prop == MKG.symbol)
            entry = found.setdefault(symbol, {"symbol": symbol, "mentions": 0, "paragraphs": []})
            if finding.kind == "instrument":
                entry["mentions"] += 1
            for number in (str(s.value) for s in finding.statements if s.prop == MKG.number):
                if number not in entry["paragraphs"]:
                    entry["paragraphs"].append(number)
    return list(found.values())


def manifest_entry(path: Path, text: str, registry: Registry) -> dict[str, Any]:
    """A manifest entry guessed from the document: first line as title, its own date."""
    # the first line with words; a document of markup only is named after its file
    title = next((t for line in text.splitlines() if (t := line.strip(" #*\t"))), path.stem)
    as_of = find_as_of_date(text)
    dates = find_dates(text)
    precise = [d.start for d in dates if d.start.precision == "day"]
    if as_of:
        date, precision = as_of, "day"
    elif precise:
        latest = max(precise)
        date, precision = latest.first_day(), "day"
    elif dates:
        date, precision = dt.date(max(d.start.year for d in dates), 1, 1), "year"
    else:
        date, precision = dt.date.today(), "day"
    mentions = Counter(str(m.key) for m in registry.org_finder().find(text))
    publisher = registry.orgs[mentions.most_common(1)[0][0]].label if mentions else "unknown"
    return {
        "id": path.stem,
        "file": path.name,
        "title": title[:300],
        "date": date.isoformat(),
        "date_precision": precision,
        "publisher": publisher,
        "language": "en",
    }


def accept(paths: list[Path], settings: Settings) -> tuple[Any, list[str]]:
    """Add documents to the corpus and rebuild; on any failure the corpus stays as it was."""
    from graph.pipeline.build import build

    registry = Registry.load(settings.registry_dir)
    manifest_path = settings.corpus / MANIFEST
    current = read_manifest(settings.corpus)
    known = {entry.file for entry in current.documents} | {e.id for e in current.documents}
    additions = []
    for path in paths:
        text = read_text(path)
        if path.name in known or path.stem in known:
            raise CorpusError(path, "a document with this name is already in the corpus")
        additions.append((path, manifest_entry(path, text, registry)))
    with tempfile.TemporaryDirectory(prefix="mkg-ingest-") as scratch:
        staged = Path(scratch) / "corpus"
        shutil.copytree(settings.corpus, staged)
        manifest_text = manifest_path.read_text(encoding="utf-8")
        addition_text = "".join(_yaml_entry(entry) for _, entry in additions)
        (staged / MANIFEST).write_text(manifest_text.rstrip("\n") + "\n" + addition_text)
        for path, _ in additions:
            (staged / path.name).write_text(read_text(path), encoding="utf-8")
        info, _ = build(settings.model_copy(update={"corpus": staged}))
        for path, _ in additions:
            shutil.copy2(staged / path.name, settings.corpus / path.name)
        tmp = manifest_path.with_suffix(".yaml.tmp")
        tmp.write_text((staged / MANIFEST).read_text(encoding="utf-8"), encoding="utf-8")
        os.replace(tmp, manifest_path)
    return info, [str(entry["id"]) for _, entry in additions]


def _yaml_entry(entry: dict[str, Any]) -> str:
    """One manifest list item, indented under `documents:`."""
    dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False)
    return "".join(f"  {line}\n" for line in dumped.splitlines())
