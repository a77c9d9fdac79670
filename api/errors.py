"""Error answers: one shape, `{"error", "detail", "request_id"}`, for every error: JSON
for the API, the same three fields on an HTML page for a request for a page.

The request id is the one in the X-Request-ID header of the answer and on every log line
of the request, so a user who reports an error hands over what finds its log lines.
"""

from __future__ import annotations

from collections.abc import Mapping

from asgi_correlation_id import correlation_id
from fastapi import Request
from fastapi.responses import JSONResponse, Response

from api.pages import error_page, render

REQUEST_ID_HEADER = "X-Request-ID"


def error_body(error: str, detail: str) -> dict[str, str | None]:
    """The JSON body of an error answer, with the current request's id."""
    return {"error": error, "detail": detail, "request_id": correlation_id.get()}


def error_response(
    status: int, error: str, detail: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An error answer: `error` names the kind (e.g. "NotFound"), `detail` says what is wrong."""
    return JSONResponse(error_body(error, detail), status_code=status, headers=headers)


def error_answer(
    request: Request,
    status: int,
    error: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The error answer to this request: the page that shows it when the request is for a
    page (see api.pages.PAGE), the JSON error otherwise."""
    page = error_page(request)
    if page is None:
        return error_response(status, error, detail, headers)
    context = {**page.context, "problem": error_body(error, detail)}
    return render(request, page.template, context, status, {**page.headers, **(headers or {})})
