"""One settings object for the whole project, read from MKG_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import ByteSize, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
OFF = {"", "off", "none", "0", "false"}


class Settings(BaseSettings):
    """Paths and names the project runs with; every field is overridable as MKG_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="MKG_", frozen=True)

    store: Path = Path("data/store")
    """The embedded store: a link to the current version directory (see graph.store.embedded).
    A SPARQL endpoint URL given here, sparql+http(s)://host:port/path, sets `remote`."""
    remote: str | None = None
    """A SPARQL 1.1 endpoint to use instead of the embedded store (sparql+http(s)://...)."""
    remote_update: str | None = None
    """Its SPARQL Update endpoint (default: the query endpoint)."""
    remote_graph_store: str | None = None
    """Its Graph Store Protocol endpoint (default: the query endpoint)."""
    remote_user: str | None = None
    """User name for the remote store's authenticated endpoints (digest or basic)."""
    remote_password: SecretStr | None = None
    """Password for the remote store, from the environment (MKG_REMOTE_PASSWORD)."""
    in_memory: bool = True
    """Serve from a copy of the graph in memory when it fits under `memory_ceiling`
    (aggregates run several times faster than on disk); from disk otherwise."""
    memory_ceiling: ByteSize = ByteSize(1536 * 1024**2)
    """The most memory the in-memory copy may take (estimated from its size), e.g. 4GiB."""
    corpus: Path = PROJECT_ROOT / "corpus"
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    registry_dir: Path = PACKAGE_DIR / "registry"
    curation_dir: Path = PACKAGE_DIR / "curation"
    curation: bool = True
    """Apply the curated overlay; off (`mkg build --without-curation`) builds from the
    extractors and the registry alone."""
    min_confidence: float = Field(default=0.6, ge=0.0, le=1.0)
    """Findings that no curated fact matches enter the graph from this confidence up."""
    base_iri: str = "https://w3id.org/migration-kg/id/"
    query_timeout: float = 10.0
    """Seconds a /sparql query may run before its worker is killed (answer: 503)."""
    sparql_workers: int = 2
    """Worker processes for /sparql: at most this many queries run at once."""
    sparql_client_share: int = 0
    """Queries one client may have running at once on /sparql (past it: 429 with
    Retry-After), so that one client cannot hold every worker. 0: half the workers,
    at least one (with the default two workers, one)."""
    max_result_rows: int = 10_000
    """Solutions (or triples) a /sparql answer holds at most; a longer result is cut and
    the answer says so in the header X-SPARQL-MaxRows (Virtuoso's convention)."""
    max_result_bytes: ByteSize = ByteSize(16 * 1024**2)
    """Bytes a /sparql answer holds at most, in every format (e.g. 16MiB); a longer one
    is cut at the last whole solution that fits, and the header X-SPARQL-MaxBytes says so."""
    max_request_bytes: int = 65_536
    """The largest /sparql request (query string or body) accepted (larger: 413), and the
    longest request target (path and query string) of any route (longer: 414)."""
    rate_limit: str | None = "30/second;1200/minute"
    """Requests a client (by IP address) may make, in the `limits` notation ("10/second",
    several joined with ";"); past it the answer is 429 with Retry-After. "off" or an
    empty value turns it off. /health and static files are not counted. Behind a proxy,
    set `trusted_proxies` so that clients are told apart."""
    trusted_proxies: str | None = None
    """Proxies whose X-Forwarded-For (and X-Forwarded-Proto) headers are believed: a
    comma-separated list of addresses or networks ("127.0.0.1", "10.0.0.0/8"). Off by
    default: a client's identity (for the rate limit and its share of /sparql) is then
    the address it connects from, whatever headers it sends."""
    client_timeout: float = 10.0
    """Seconds a client has to send a request's head, and then each part of its body;
    a connection that stays idle or half-sent longer is closed."""
    follow_seconds: float = 1.0
    """How often the server looks for a new graph version (from `mkg build` or `mkg
    load`) and switches to it, without a restart."""
    log_format: Literal["auto", "json", "text", "console"] = "auto"
    """How the server logs: "json" (one object a line, with the request id: for files and
    log collectors), "text" (plain lines), "console" (short, coloured lines for a person
    at a terminal) or "auto": console when stderr is a terminal, else json."""

    @property
    def client_share(self) -> int:
        """Queries one client may have running at once on /sparql."""
        return self.sparql_client_share or max(1, self.sparql_workers // 2)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _trusted_proxies(cls, value: object) -> object:
        """Off unless named; each entry must be an address or a network."""
        if value is None or (isinstance(value, str) and value.strip().lower() in OFF):
            return None
        if isinstance(value, str):
            import ipaddress

            for entry in value.split(","):
                try:
                    ipaddress.ip_network(entry.strip(), strict=False)
                except ValueError as exc:
                    raise ValueError(
                        f"not an address or network: {entry.strip()!r} (e.g. 127.0.0.1,10.0.0.0/8)"
                    ) from exc
        return value

    @field_validator("rate_limit", mode="before")
    @classmethod
    def _rate_limit(cls, value: object) -> object:
        """ "off", "none" or "" turns rate limiting off; anything else must parse."""
        if value is None or (isinstance(value, str) and value.strip().lower() in OFF):
            return None
        if isinstance(value, str):
            from limits import parse_many

            try:
                parse_many(value)
            except ValueError as exc:
                raise ValueError(f"not a rate limit ({exc}); e.g. 30/second;1200/minute") from exc
        return value

    @model_validator(mode="before")
    @classmethod
    def _remote_in_store(cls, data: object) -> object:
        """MKG_STORE=sparql+http://host:port/sparql selects the remote backend."""
        if isinstance(data, dict):
            store = data.get("store")
            if isinstance(store, str) and store.startswith(("sparql+http://", "sparql+https://")):
                data = {**data, "remote": store, "store": Path("data/store")}
        return data


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()


def settings_problem(exc: ValidationError) -> str:
    """What is wrong with the environment's settings, in one line naming the variable."""
    first = exc.errors()[0]
    name = "MKG_" + "_".join(str(p) for p in first["loc"]).upper()
    message = first["msg"].removeprefix("Value error, ")
    return f"{name}={first.get('input')!s}: {message}"
