"""One error format for the whole API: {"error": {"code", "message", "messages", "fields"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from itfabrik.core import errors

_DRF_MAP: list[tuple[type[Exception], type[errors.ApplicationError]]] = [
    (drf.NotAuthenticated, errors.NotAuthenticated),
    (drf.AuthenticationFailed, errors.NotAuthenticated),
    (drf.NotFound, errors.NotFound),
    (Http404, errors.NotFound),
    (drf.PermissionDenied, errors.Forbidden),
    (DjangoPermissionDenied, errors.Forbidden),
    (drf.Throttled, errors.Throttled),
]


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, dict | list):
                for k, v in _flatten(value, f"{prefix}[{i}]" if prefix else str(i)).items():
                    out.setdefault(k, []).extend(v)
            else:
                out.setdefault(prefix or "non_field_errors", []).append(str(value))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


def to_application_error(exc: Exception) -> errors.ApplicationError | None:
    if isinstance(exc, errors.ApplicationError):
        return exc
    # A library exception that carries our own error (e.g. a wrong Authorization scheme).
    carried = getattr(exc, "application_error", None)
    if isinstance(carried, errors.ApplicationError):
        return carried
    if isinstance(exc, drf.ValidationError):
        return errors.ValidationFailed(fields=_flatten(exc.detail))  # type: ignore[arg-type]
    if isinstance(exc, drf.ParseError):
        return errors.ValidationFailed(
            errors.lazy_format(_("Anropet kunde inte tolkas: %(reason)s"), reason=exc.detail),
            code="parse_error",
        )
    if isinstance(exc, drf.UnsupportedMediaType):
        err: errors.ApplicationError = errors.ValidationFailed(
            _("Innehållstypen stöds inte. Skicka JSON."), code="unsupported_media_type"
        )
        err.status = 415
        return err
    if isinstance(exc, drf.MethodNotAllowed):
        not_allowed = errors.ApplicationError(
            _("Metoden är inte tillåten."), code="method_not_allowed"
        )
        not_allowed.status = 405
        return not_allowed
    if isinstance(exc, drf.NotAcceptable):
        not_acceptable = errors.ApplicationError(
            _("Formatet kan inte levereras."), code="not_acceptable"
        )
        not_acceptable.status = 406
        return not_acceptable
    for source, target in _DRF_MAP:
        if isinstance(exc, source):
            return target()
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    app_error = to_application_error(exc)
    if app_error is None:
        return drf_exception_handler(exc, context)
    headers: dict[str, str] = {}
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        request = context.get("request")
        view = context.get("view")
        if request is not None and view is not None:
            auth_header = view.get_authenticate_header(request)
            if auth_header:
                headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if isinstance(exc, drf.Throttled) and wait:
        headers["Retry-After"] = str(int(wait))
    return Response({"error": app_error.as_dict()}, status=app_error.status, headers=headers)
