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


def paged(name: str, limit: int, offset: int) -> str:
    """graph/queries/{name}.rq for one page of its rows (its ORDER BY keeps pages stable).

    SPARQL cannot bind LIMIT and OFFSET as values, so these two are the only text ever
    added to a query: two integers, checked here, never text from a request."""
    for value in (limit, offset):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise QueryError(f"a page takes non-negative integers, got {value!r}")
    return f"{load_query(name)}\nLIMIT {limit}\nOFFSET {offset}\n"
