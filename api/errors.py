"""Error answers: one JSON shape, `{"error", "detail", "request_id"}`, for every error.

The request id is the one in the X-Request-ID header of the answer and on every log line
of the request, so a user who reports an error hands over what finds its log lines.
"""

from __future__ import annotations

from collections.abc import Mapping

from asgi_correlation_id import correlation_id
from fastapi.responses import JSONResponse

REQUEST_ID_HEADER = "X-Request-ID"


def error_body(error: str, detail: str) -> dict[str, str | None]:
    """The JSON body of an error answer, with the current request's id."""
    return {"error": error, "detail": detail, "request_id": correlation_id.get()}


def error_response(
    status: int, error: str, detail: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An error answer: `error` names the kind (e.g. "NotFound"), `detail` says what is wrong."""
    return JSONResponse(error_body(error, detail), status_code=status, headers=headers)
