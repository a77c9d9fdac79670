"""SPARQL kept as files beside this module, each runnable as it stands: queries (.rq), and
the updates of the remote store's own bookkeeping (remote/*.ru). Values are bound by
substitution, never spliced in: by pyoxigraph's substitutions on the embedded store, as
VALUES on a remote one (graph.store.querytext)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from graph.errors import QueryError


@cache
def load_query(name: str) -> str:
    """The text of graph/store/queries/{name}.rq ("remote/versions": in the remote/ folder)."""
    return _load(name, "rq")


@cache
def load_update(name: str) -> str:
    """The text of graph/store/queries/{name}.ru, a SPARQL update."""
    return _load(name, "ru")


def _load(name: str, suffix: str) -> str:
    resource = resources.files(__package__)
    for part in f"{name}.{suffix}".split("/"):
        resource = resource.joinpath(part)
    if not resource.is_file():
        raise QueryError(f"no {'query' if suffix == 'rq' else 'update'} named {name!r}")
    return resource.read_text(encoding="utf-8")


def paged(name: str, limit: int, offset: int) -> str:
    """graph/store/queries/{name}.rq for one page of its rows (its ORDER BY keeps pages stable).

    SPARQL cannot bind LIMIT and OFFSET as values, so these two are the only text ever
    added to a query: two integers, checked here, never text from a request."""
    for value in (limit, offset):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise QueryError(f"a page takes non-negative integers, got {value!r}")
    return f"{load_query(name)}\nLIMIT {limit}\nOFFSET {offset}\n"
