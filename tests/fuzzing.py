"""schemathesis over the app in process: the operations of a part of the OpenAPI schema,
and one property-based run of an operation with the suite's settings."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # Rules across fields (a window that ends before it starts, 31 February) are
            # beyond what OpenAPI can state: they answer the documented 422.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "422"]}
        }
    }
)


def operations_of(app: FastAPI, path_regex: str) -> list[schemathesis.APIOperation]:
    """The operations of the app's schema whose path matches path_regex."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)
    return [result.ok() for result in schema.include(path_regex=path_regex).get_all_operations()]


def fuzz(
    operation: schemathesis.APIOperation, mode: schemathesis.GenerationMode, examples: int
) -> None:
    """Call the operation with `examples` generated requests (the same ones every run) and
    check every answer against the schema: no 5xx, no undocumented status or body."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate()

    check()
