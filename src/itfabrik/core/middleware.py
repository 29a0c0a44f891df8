"""Gives every request an id, so the audit rows of one request can be found together."""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .client_ip import through_trusted_proxies

_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def _trusted_request_id(request: HttpRequest) -> str | None:
    """A well-formed X-Request-ID set by a trusted reverse proxy, else None.

    The id ends up in the audit trail, so a client must not choose it. It is kept only when the
    request came through the trusted proxies (ITFABRIK_TRUSTED_PROXY_COUNT, the same rule as
    for client addresses, `core.client_ip`); the proxy must then set the header itself
    (docs/operations.md).
    """
    if not through_trusted_proxies(request):
        return None
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID_RE.fullmatch(given) else None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = _trusted_request_id(request) or uuid.uuid4().hex
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class ApplicationErrorMiddleware:
    """Turns an ApplicationError escaping a web view into the matching Swedish error page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .errors import ApplicationError, Forbidden, NotFound

        if not isinstance(exception, ApplicationError):
            return None
        if isinstance(exception, NotFound):
            return render(request, "404.html", status=404)
        if isinstance(exception, Forbidden):
            return render(request, "403.html", status=403)
        return render(request, "400.html", {"error": exception}, status=exception.status)
