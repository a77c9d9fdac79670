"""One settings object for the whole project, read from MKG_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


class Settings(BaseSettings):
    """Paths and names the project runs with; every field is overridable as MKG_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="MKG_", frozen=True)

    store: Path = Path("data/store")
    corpus: Path = PROJECT_ROOT / "corpus"
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    registry_dir: Path = PACKAGE_DIR / "registry"
    curation_dir: Path = PACKAGE_DIR / "curation"
    base_iri: str = "https://w3id.org/migration-kg/id/"
    query_timeout: float = 10.0
    """Seconds a /sparql query may run before its worker is killed (answer: 503)."""
    sparql_workers: int = 2
    """Worker processes for /sparql: at most this many queries run at once."""
    max_result_rows: int = 10_000
    """Solutions (or triples) a /sparql answer holds at most; a longer result is cut and
    the answer says so in the header X-SPARQL-MaxRows (Virtuoso's convention)."""
    max_request_bytes: int = 65_536
    """The largest /sparql request (query string or body) accepted (larger: 413)."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
