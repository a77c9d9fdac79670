"""The server's logs: one JSON object a line for files and collectors, short readable
lines for a person at a terminal (MKG_LOG_FORMAT: auto picks by whether stderr is one),
or plain text; each with its request id.

Every line written while a request is handled, uvicorn's access line and the project's own
lines alike, carries the id that the answer's X-Request-ID header and any error body
carry; lines from outside a request (start-up, a version switch) carry "-".
"""

from __future__ import annotations

import logging
import sys
import time
from typing import IO, Any

from pythonjsonlogger.core import RESERVED_ATTRS

FIELDS = "%(levelname)s %(name)s %(correlation_id)s %(message)s"
PATH_SHOWN = 2000
"""The most characters of a request target an access line shows."""
TEXT = "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"


def resolve(form: str, stream: IO[str] | None = None) -> str:
    """The format "auto" stands for: console on a terminal, json anywhere else (a file, a
    pipe to a log collector); any other format as it is."""
    if form != "auto":
        return form
    target = stream if stream is not None else sys.stderr
    try:
        return "console" if target.isatty() else "json"
    except (AttributeError, ValueError):  # a closed or odd stream: not a person
        return "json"


def log_config(form: str, level: str = "INFO") -> dict[str, Any]:
    """A logging.config.dictConfig for `mkg serve` (uvicorn's `log_config`)."""
    form = resolve(form)
    if form == "console":
        formatter: dict[str, Any] = {"()": "api.logs.Console"}
    elif form == "json":
        formatter = {
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


LEVEL_COLOURS = {"WARNING": "33", "ERROR": "31", "CRITICAL": "1;31", "DEBUG": "2"}
"""ANSI colours of the levels a person should notice (INFO stays plain)."""
STATUS_COLOURS = {2: "32", 3: "36", 4: "33", 5: "31"}


class Console(logging.Formatter):
    """Short lines for a person at a terminal: the time, the level when it is not INFO,
    the request (method, path, status) or the message, and the request id's first eight
    characters, dimmed, to find the JSON lines of the same request later."""

    def __init__(self, colour: bool | None = None) -> None:
        super().__init__()
        self.colour = sys.stderr.isatty() if colour is None else colour

    def paint(self, code: str | None, text: str) -> str:
        """text in an ANSI colour when colour is on."""
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour and code else text

    def format(self, record: logging.LogRecord) -> str:
        """One readable line (plus the traceback, if any)."""
        when = time.strftime("%H:%M:%S", time.localtime(record.created))
        parts = [self.paint("2", when)]
        if record.levelname != "INFO":
            parts.append(self.paint(LEVEL_COLOURS.get(record.levelname), record.levelname))
        status = getattr(record, "status", None)
        if record.name == "uvicorn.access" and isinstance(status, int):
            method, path = getattr(record, "method", ""), getattr(record, "path", "")
            parts.append(f"{method} {path} " + self.paint(STATUS_COLOURS.get(status // 100),
                                                          str(status)))  # fmt: skip
        else:
            parts.append(record.getMessage())
        request_id = str(getattr(record, "correlation_id", "-"))
        if request_id != "-":
            parts.append(self.paint("2", f"[{request_id[:8]}]"))
        line = "  ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def address(host: str, port: int) -> str:
    """The address a person should open for a server bound to host:port (an "any
    interface" bind is reached on this machine at 127.0.0.1)."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"
