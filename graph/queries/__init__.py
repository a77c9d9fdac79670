"""SPARQL queries kept as .rq files beside this module, each runnable as it stands."""

from __future__ import annotations

from functools import cache
from importlib import resources

from graph.errors import QueryError


@cache
def load_query(name: str) -> str:
    """The text of graph/queries/{name}.rq."""
    resource = resources.files(__package__).joinpath(f"{name}.rq")
    if not resource.is_file():
        raise QueryError(f"no query named {name!r}")
    return resource.read_text(encoding="utf-8")
