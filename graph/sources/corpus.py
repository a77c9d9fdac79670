"""The corpus: plain-text documents listed in corpus/manifest.yaml, checked before any build."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.errors import CorpusError
from graph.sources.yamlio import read_yaml

MANIFEST = "manifest.yaml"


class ManifestEntry(BaseModel):
    """One document's bibliographic record in the manifest."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    file: str
    title: str
    date: dt.date
    date_precision: Literal["year", "month", "day"] = "day"
    publisher: str
    symbol: str | None = None
    language: str = "en"
    date_evidence: str | None = None
    title_evidence: str | None = None


class Manifest(BaseModel):
    """The whole manifest file."""

    model_config = ConfigDict(extra="forbid")

    documents: list[ManifestEntry]


@dataclass(frozen=True)
class Document:
    """A corpus document with its text, as read and checked."""

    entry: ManifestEntry
    path: Path
    text: str
    sha256: str

    @property
    def id(self) -> str:
        """The document id (its file name without extension)."""
        return self.entry.id


def read_manifest(corpus_dir: Path) -> Manifest:
    """Parse and check corpus/manifest.yaml."""
    path = corpus_dir / MANIFEST
    if not path.is_file():
        raise CorpusError(path, "manifest not found")
    try:
        raw = read_yaml(path)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CorpusError(path, f"not a readable YAML file ({_first_line(exc)})") from exc
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise CorpusError(path, f"{where}: {err['msg']}") from exc
    seen: set[str] = set()
    for entry in manifest.documents:
        if entry.id in seen:
            raise CorpusError(path, f"document id {entry.id!r} is listed twice")
        seen.add(entry.id)
    return manifest


def decode_text(path: Path, data: bytes) -> str:
    """A document's bytes as text: UTF-8, not empty; errors name the file and the byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            path, f"not valid UTF-8 (byte {exc.start}: {data[exc.start]:#04x})"
        ) from exc
    if not text.strip():
        raise CorpusError(path, "document is empty")
    return text


def read_document(path: Path, entry: ManifestEntry) -> Document:
    """Read one document as UTF-8 text; refuse a missing, undecodable or empty file."""
    if not path.is_file():
        raise CorpusError(path, f"listed in {MANIFEST} as {entry.id!r} but the file does not exist")
    data = path.read_bytes()
    text = decode_text(path, data)
    for field in ("date_evidence", "title_evidence"):
        quote = getattr(entry, field)
        if quote and quote not in text:
            raise CorpusError(path, f"{MANIFEST} {field} is not found verbatim in the document")
    return Document(entry=entry, path=path, text=text, sha256=hashlib.sha256(data).hexdigest())


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every document of the corpus, in manifest order; errors name the file at fault."""
    if not corpus_dir.is_dir():
        raise CorpusError(corpus_dir, "corpus folder not found")
    manifest = read_manifest(corpus_dir)
    listed = {entry.file for entry in manifest.documents}
    for path in sorted(corpus_dir.iterdir()):
        if path.name == MANIFEST or path.name.startswith("."):
            continue
        if path.name not in listed:
            raise CorpusError(path, f"not listed in {MANIFEST}; add an entry or remove the file")
    return [read_document(corpus_dir / entry.file, entry) for entry in manifest.documents]


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
