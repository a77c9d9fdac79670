"""The server's logs: one JSON object a line (or plain text), each with its request id.

Every line written while a request is handled, uvicorn's access line and the project's own
lines alike, carries the id that the answer's X-Request-ID header and any error body
carry; lines from outside a request (start-up, a version switch) carry "-".
"""

from __future__ import annotations

import logging
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS

FIELDS = "%(levelname)s %(name)s %(correlation_id)s %(message)s"
PATH_SHOWN = 2000
"""The most characters of a request target an access line shows."""
TEXT = "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"


def log_config(form: str, level: str = "INFO") -> dict[str, Any]:
    """A logging.config.dictConfig for `mkg serve` (uvicorn's `log_config`)."""
    if form == "json":
        formatter: dict[str, Any] = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": FIELDS,
            "timestamp": "time",  # ISO 8601, UTC
            "reserved_attrs": [*RESERVED_ATTRS, "color_message"],  # uvicorn's ANSI copy
            "rename_fields": {
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        }
    else:
        formatter = {"format": TEXT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {
                "()": "asgi_correlation_id.CorrelationIdFilter",
                "default_value": "-",
            },
            "access": {"()": "api.logs.AccessFields"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id", "access"],
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": level},
    }


class AccessFields(logging.Filter):
    """Gives uvicorn's access lines their parts as fields: client, method, path, status."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Adds the fields to access records; passes every record."""
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            if isinstance(path, str) and len(path) > PATH_SHOWN:  # a 100 kB URL: one short line
                path = f"{path[:PATH_SHOWN]}...({len(path) - PATH_SHOWN} more characters)"
                record.args = (client, method, path, version, status)
            record.client, record.method, record.path, record.status = client, method, path, status
        return True
