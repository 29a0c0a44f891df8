"""OpenAPI generation: every operation documents the error answers it can give.

The one error format (core/api/errors.py) can come back from any endpoint: 400 for bad input or
filters, 401 without credentials, 403 for a refused write or a missing second factor, 404 for
what does not exist or may not be seen, 406 for an `Accept` header no format of the answer meets,
409 for a stale version. Listing them everywhere keeps the schema honest, so a client (and
schemathesis' status-code check) can rely on it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from rest_framework.permissions import AllowAny

from .serializers import ErrorSerializer

_DESCRIPTIONS = {
    "400": "Ogiltiga uppgifter / invalid input",
    "401": "Inte inloggad / not authenticated",
    "403": "Saknar behörighet / forbidden",
    "404": "Finns inte eller får inte ses / not found",
    "405": "Metoden är inte tillåten / method not allowed",
    "406": "Formatet kan inte levereras / not acceptable",
    "409": "Ändrad av någon annan / changed by someone else",
    "415": "Innehållstypen stöds inte / unsupported media type",
    "429": "För många försök / too many attempts",
}


class AutoSchema(BaseAutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400", "406"]  # 406: any operation, for an Accept header it cannot meet
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if not public:
            codes += ["401", "403"]
        creates = getattr(self.view, "action", None) == "create"
        if "{" in self.path or self._is_list_view() or creates:
            codes.append("404")  # an unknown id, a page past the end, an unknown parent
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["405", "415"]
            if not public:
                codes.append("409")
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                body["description"] = _DESCRIPTIONS[code]
                responses[code] = body
        return responses
