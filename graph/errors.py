"""The project's exception tree: every error `graph` raises on purpose derives from MkgError."""

from __future__ import annotations

from pathlib import Path


class MkgError(Exception):
    """Base class of every error the graph package raises deliberately."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (parsers' messages span several)."""
    return " ".join(str(exc).split()) or type(exc).__name__


class CorpusError(MkgError):
    """A document or the manifest cannot be used; names the file and, where known, the row."""

    def __init__(self, path: Path | str, message: str, row: int | None = None) -> None:
        self.path = Path(path)
        self.row = row
        self.reason = message
        where = f"{self.path}" if row is None else f"{self.path}, row {row}"
        super().__init__(f"{where}: {message}")


class RegistryError(MkgError):
    """The curated registry (organizations, places) is inconsistent."""


class ValidationFailed(MkgError):
    """SHACL validation found violations; `report` is a readable multi-line summary."""

    def __init__(self, report: str, violations: int) -> None:
        self.report = report
        self.violations = violations
        super().__init__(f"SHACL validation failed with {violations} violation(s)")


class StoreError(MkgError):
    """The store cannot be opened, read or replaced."""


class QueryError(MkgError):
    """A SPARQL query is malformed or cannot run."""


class NotFound(MkgError):
    """A requested resource does not exist in the graph."""


class ParseError(MkgError, ValueError):
    """A parser met text it cannot read (a date, a row, a symbol); says what and where."""


class CurationError(MkgError):
    """A curated fact is malformed, names something unknown, or quotes text not in its document."""


class ReconcileError(MkgError):
    """A reconciliation request cannot be answered as sent (not JSON, too large, an unknown
    type or property); says what to change."""
